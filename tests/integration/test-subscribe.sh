#!/usr/bin/env bash
# Manager.Subscribe: nftbusd is a member of the nftables event group (which taxes every tool on the host)
# only while someone is subscribed, or one of its own changes is in flight; without a subscriber every call
# still sees what the kernel has (the ruleset generation is checked before a call), and others' changes
# are signalled late, at the next call. A subscriber that leaves the bus ends its subscription.
source "$(dirname "$0")/lib.sh"

# following: whether nftbusd's netlink sockets are in the nftables event group (group 7, bit 0x40, of
# /proc/net/netlink's Groups for protocol 12, NETLINK_NETFILTER)
following() {
        local inodes
        inodes=$(ls -l /proc/"$NFTBUSD_PID"/fd 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
        awk -v inodes=" $inodes" '$2 == 12 && index(inodes, " " $NF " ") { print $4 }' /proc/net/netlink |
                while read -r groups; do (( 0x$groups & 0x40 )) && echo yes; done | head -n 1 | grep -q yes &&
                echo following || echo idle
}
assert_eq "started, nobody subscribed: out of the event group" idle "$(following)"

# correct without events: what nft changes is what the next call sees
nft add table inet quiet
assert_eq "a table nft made, found by the next call" 'o "/org/nftbus/Firewall1/table/inet/quiet"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager GetTable ss inet quiet)"
nft add chain inet quiet base '{ type filter hook input priority 0; policy accept; }'
nft chain inet quiet base '{ policy drop; }'
assert_eq "a property nft changed, read right after" 's "drop"' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/quiet/chain/base $IFACE.Chain Policy)"
nft delete table inet quiet
assert_eq "a table nft deleted, gone for the next call" "org.nftbus.Firewall1.Error.NotFound" \
        "$(error_name "$(gdbus_call $ROOT $IFACE.Manager.GetTable inet quiet)")"
assert_eq "and GetManagedObjects has none of it" 0 \
        "$(bus call $BUS_NAME $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short | grep -c quiet)"
nftbusctl add-table inet own >/dev/null
nftbusctl add-chain inet own c >/dev/null
# calls in a row keep the group a moment (joining and leaving costs the kernel a grace period each time)
wait_until idle following
assert_eq "nftbus's own changes leave it out of the group once they are over" idle "$(following)"
assert_eq "and AddRule still answers the handle (its events were followed while it ran)" "2" \
        "$(nftbusctl add-rule inet own c accept)"

# unsubscribed, a change by nft is signalled only when the next call finds it (once nftbusd's own calls
# are over)
wait_until idle following
monitor_start "$NFTBUS_RUNDIR/unsubscribed.json"
nft add table ip late
bus call $BUS_NAME $ROOT $IFACE.Manager ListTables >/dev/null
wait_until 1 eval "jq -c 'select(.type == \"signal\" and .member == \"InterfacesAdded\") | .payload.data[0]' \"$NFTBUS_RUNDIR/unsubscribed.json\" | grep -c ip/late"
order=$(jq -r 'if .type == "method_call" and .member == "ListTables" then "call"
               elif .type == "signal" and .member == "InterfacesAdded" and (.payload.data[0] | test("ip/late")) then "signal"
               else empty end' "$NFTBUS_RUNDIR/unsubscribed.json" | tr '\n' ' ')
assert_eq "unsubscribed: the signal comes after the next call, not when nft changed it" "call signal " "$order"
kill "$monitor"

# a subscriber: in the group; signals as changes happen
nftbusctl --json monitor >"$NFTBUS_RUNDIR/subscriber.json" &
subscriber=$!
wait_until following following
assert_eq "a subscriber: in the event group" following "$(following)"
nft add table ip live
wait_until 1 eval "grep -c 'ip/live' \"$NFTBUS_RUNDIR/subscriber.json\""
assert_eq "the subscriber sees nft's change as it happens" '"added"' \
        "$(grep 'ip/live' "$NFTBUS_RUNDIR/subscriber.json" | jq '.event')"
assert_eq "Unsubscribe of a caller that did not subscribe: NotFound" "org.nftbus.Firewall1.Error.NotFound" \
        "$(gdbus_call $ROOT $IFACE.Manager.Unsubscribe | sed -n 's/^ERROR \([^:]*\):.*/\1/p')"
# the subscriber leaves the bus: the subscription ends with it
kill "$subscriber"
wait "$subscriber" 2>/dev/null
wait_until idle following
assert_eq "its disconnect ends the subscription: out of the group again" idle "$(following)"
done_testing
