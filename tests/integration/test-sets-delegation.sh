#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-elements.rules)
# The fail2ban case: a polkit rule lets the unprivileged test user (group nftbus-delegates) add and
# delete the elements of inet/filter/blocklist only, through the family, table and set details: allowed
# there; refused for another set, for making or deleting sets, and for rules.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
S=$T/set/blocklist
denied="ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for"
elements() { nft -j list set "$1" filter "$2" | jq -c '[.nftables[] | select(.set) | .set.elem // [] | .[]] | sort'; }
nftbusctl add-table inet filter
nftbusctl add-table ip filter
nftbusctl add-set inet filter blocklist ipv4_addr >/dev/null
nftbusctl add-set inet filter allowlist ipv4_addr >/dev/null
nftbusctl add-set ip filter blocklist ipv4_addr >/dev/null
nftbusctl add-chain inet filter input >/dev/null

assert_eq "the delegate may add elements to inet/filter/blocklist" "()" \
        "$(as_user gdbus_call $S $IFACE.Set.AddElements "['192.0.2.1', '192.0.2.2', '192.0.2.3']" '{}')"
assert_eq "and delete them" "()" "$(as_user gdbus_call $S $IFACE.Set.DeleteElements "['192.0.2.3']")"
# a file of this run's own, which the test user may read (mktemp makes it 0600)
list=$(mktemp /tmp/nftbus-delegate-list.XXXXXX)
printf '198.51.100.1\n198.51.100.2\n' >"$list"
chmod 644 "$list"
assert_eq "with nftbusctl and a file too, as fail2ban would" "2 elements added" \
        "$(as_user nftbusctl --no-ask-password add-element -f "$list" inet filter blocklist)"
rm -f "$list"
assert_eq "the kernel has what the delegate added" '["192.0.2.1","192.0.2.2","198.51.100.1","198.51.100.2"]' \
        "$(elements inet blocklist)"

assert_eq "another set of the table is refused" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $T/set/allowlist $IFACE.Set.AddElements "['192.0.2.1']" '{}')"
assert_eq "the same set name in another family is refused" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $ROOT/table/ip/filter/set/blocklist $IFACE.Set.AddElements "['192.0.2.1']" '{}')"
assert_eq "making a set is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $T $IFACE.Table.AddSet blocklist2 ipv4_addr '{}')"
assert_eq "deleting the delegated set is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $S $IFACE.Set.Delete)"
assert_eq "a rule is refused" "$denied org.nftbus.Firewall1.manage-rules" \
        "$(as_user gdbus_call $T/chain/input $IFACE.Chain.AddRule "ip saddr @blocklist drop" '{}')"
assert_eq "exit 4 from nftbusctl for another set" "4" \
        "$(as_user nftbusctl --no-ask-password add-element inet filter allowlist 10.0.0.1 2>/dev/null; echo $?)"
assert_eq "a bad element is InvalidArgument before polkit is asked" \
        "ERROR org.nftbus.Firewall1.Error.InvalidArgument: Element 1: Invalid ipv4_addr: 'x'; nothing was changed" \
        "$(as_user gdbus_call $T/set/allowlist $IFACE.Set.AddElements "['x']" '{}')"
assert_eq "the refused calls changed nothing" '[]|[]' "$(elements inet allowlist)|$(elements ip blocklist)"
assert_eq "the sets are as they were" '["allowlist","blocklist"]' \
        "$(nft -j list table inet filter | jq -c '[.nftables[] | (.set // empty) | .name] | sort')"

done_testing
