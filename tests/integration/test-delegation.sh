#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-table.rules)
# A polkit rule lets the unprivileged test user manage only the table named "delegated", through the
# "table" detail: allowed there, refused for any other.
source "$(dirname "$0")/lib.sh"

bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null

assert_eq "the delegate may add the delegated table" \
        "(objectpath '/org/nftbus/Firewall1/table/inet/delegated',)" \
        "$(as_user gdbus_call $ROOT $IFACE.Manager.AddTable inet delegated '{}')"
nft add chain inet delegated c
nft add rule inet delegated c counter
assert_eq "flush it" "()" "$(as_user gdbus_call $ROOT/table/inet/delegated $IFACE.Table.Flush)"
assert_eq "the rule is gone" "0" \
        "$(nft -j list table inet delegated | jq '[.nftables[] | select(.rule)] | length')"
assert_eq "and delete it" "()" "$(as_user gdbus_call $ROOT/table/inet/delegated $IFACE.Table.Delete)"
assert_eq "with nftbusctl too" "0" "$(as_user nftbusctl --no-ask-password add-table ip delegated; echo $?)"

assert_eq "another table's name is refused" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $ROOT $IFACE.Manager.AddTable inet other '{}')"
assert_eq "root's table cannot be flushed" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $ROOT/table/inet/filter $IFACE.Table.Flush)"
assert_eq "nor deleted" "4" \
        "$(as_user nftbusctl --no-ask-password delete-table inet filter 2>/dev/null; echo $?)"
assert_eq "the kernel holds exactly what was allowed" '[{"family":"inet","name":"filter"},{"family":"ip","name":"delegated"}]' \
        "$(kernel_tables)"

done_testing
