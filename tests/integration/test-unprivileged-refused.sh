#!/usr/bin/env bash
# The forms of a refusal: without interaction allowed it is InteractiveAuthorizationRequired; with it
# allowed (and no agent to ask), AccessDenied; with polkit gone, AccessDenied saying so, while root needs
# no polkit. (test-privilege-walk calls every changing method as nobody and as the test user.)
source "$(dirname "$0")/lib.sh"

bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
before=$(nft -j list ruleset | jq -c '.nftables[1:]')

out=$(as_user gdbus_call $ROOT $IFACE.Manager.AddTable inet mine '{}')
assert_eq "AddTable without interaction: InteractiveAuthorizationRequired" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-tables" \
        "$out"
out=$(as_user gdbus call --system --interactive --dest $BUS_NAME --object-path $ROOT \
        --method $IFACE.Manager.AddTable inet mine '{}' 2>&1)
assert_match "AddTable with interaction allowed but nobody to ask: AccessDenied" \
        "GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: Access denied: not authorised for org.nftbus.Firewall1.manage-tables" \
        "$out"
out=$(as_user busctl --system call $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Delete 2>&1)
# (busctl shows every AccessDenied as just "Access denied")
assert_eq "Delete through busctl is refused" "Call failed: Access denied" "$out"
out=$(as_user gdbus_call $ROOT/table/inet/filter $IFACE.Table.Flush)
assert_eq "Flush is refused" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-tables" \
        "$out"
out=$(as_user gdbus_call $ROOT $IFACE.Manager.ListTables)
assert_eq "reading is open to everyone (test-read-policy): ListTables answers" \
        "([('inet', 'filter', objectpath '/org/nftbus/Firewall1/table/inet/filter')],)" "$out"
assert_eq "the kernel is unchanged" "$before" "$(nft -j list ruleset | jq -c '.nftables[1:]')"

# root skips polkit entirely: it works with polkitd gone
# (SIGKILL: polkitd shuts down slowly on SIGTERM, and a query sent meanwhile would wait for it)
kill -KILL "$POLKITD_PID"
# until the bus has seen it go: a loaded machine may take a while to close a killed process's socket
polkit_owned() { bus call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus NameHasOwner s org.freedesktop.PolicyKit1; }
for _ in 1 2 3; do wait_until "b false" polkit_owned && break; done
assert_eq "root needs no polkit" 'o "/org/nftbus/Firewall1/table/ip/rootonly"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' ip rootonly 0)"
out=$(as_user gdbus_call $ROOT $IFACE.Manager.AddTable inet mine '{}')
assert_eq "with polkit gone, everybody else is denied" \
        "ERROR org.freedesktop.DBus.Error.AccessDenied: Access denied: polkit is not running to authorise org.nftbus.Firewall1.manage-tables" \
        "$out"
assert_eq "and nothing of theirs reached the kernel" '[{"family":"inet","name":"filter"},{"family":"ip","name":"rootonly"}]' \
        "$(kernel_tables)"

done_testing
