#!/usr/bin/env bash
# Manager.Subscribe: nftbusd is a member of the nftables event group (which taxes every tool on the host)
# only while someone is subscribed, or one of its own changes is in flight; without a subscriber every call
# still sees what the kernel has (the ruleset generation is checked before a call), and others' changes
# are signalled late, at the next call. A subscriber that leaves the bus ends its subscription. Subscribing is
# an action of its own (org.nftbus.Firewall1.subscribe), refused to system users.
source "$(dirname "$0")/lib.sh"

following() { nftbusd_following; }
assert_eq "started, nobody subscribed: out of the event group" idle "$(following)"

# subscribing costs the whole host: not a read, and not for system users outside a session
assert_eq "nobody may read, but not subscribe" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.subscribe|idle" \
        "$(setpriv --reuid=65534 --regid=65534 --clear-groups -- bash -c "source $NFTBUS_TEST_LIB; gdbus_call $ROOT $IFACE.Manager.Subscribe")|$(following)"

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
# the content of chains and sets is signalled to subscribers only, by nft's changes and nftbus's alike
nft add rule inet own c counter
nft add set inet own s '{ type ipv4_addr; }'
nft add element inet own s '{ 192.0.2.1 }'
nftbusctl add-rule inet own c drop >/dev/null
nftbusctl add-element inet own s 192.0.2.2 >/dev/null
python3 -c 'print("\n".join("10.100.%d.%d" % (i >> 8, i & 255) for i in range(2000)))' |
        nftbusctl add-element -f - inet own s >/dev/null
# a fence: an executor job after any listing the changes above could have queued, and its signal
nftbusctl add-table inet fence >/dev/null
wait_until 1 eval "jq -c 'select(.type == \"signal\" and .member == \"InterfacesAdded\") | .payload.data[0]' \"$NFTBUS_RUNDIR/unsubscribed.json\" | grep -c inet/fence"
assert_eq "nobody subscribed: no RulesChanged, no ElementsChanged" "" \
        "$(jq -c 'select(.type == "signal" and (.member == "RulesChanged" or .member == "ElementsChanged"))' "$NFTBUS_RUNDIR/unsubscribed.json")"
kill "$monitor"

# a subscriber: in the group; signals as changes happen
nftbusctl --json monitor >"$NFTBUS_RUNDIR/subscriber.json" &
subscriber=$!
# subscribed once it says so (following alone may still be the linger of nftbus's own calls above)
wait_until 1 eval "grep -c '\"event\":\"monitoring\"' \"$NFTBUS_RUNDIR/subscriber.json\""
assert_eq "a subscriber: in the event group" following "$(following)"
nft add table ip live
wait_until 1 eval "grep -c 'ip/live' \"$NFTBUS_RUNDIR/subscriber.json\""
assert_eq "the subscriber sees nft's change as it happens" '"added"' \
        "$(grep 'ip/live' "$NFTBUS_RUNDIR/subscriber.json" | jq '.event')"
# rules and elements, for a subscriber, coalesced per transaction, by nft and by nftbus; a bulk change as
# counts
monitor_start "$NFTBUS_RUNDIR/content.json"
content_monitor=$monitor
nft add table inet content
nft add chain inet content c
nft add set inet content s '{ type ipv4_addr; }'
nft add rule inet content c counter
first=$(nft -a list chain inet content c | sed -n 's/.*counter packets 0 bytes 0 # handle \([0-9]*\)$/\1/p')
second=$(nftbusctl add-rule inet content c 'tcp dport 22 accept comment "ssh"')
nft replace rule inet content c handle "$first" udp dport 53 accept
nft delete rule inet content c handle "$second"
python3 -c 'print("\n".join("add rule inet content c counter" for i in range(1500)))' | nft -f -
nft add element inet content s '{ 192.0.2.1, 192.0.2.2, 192.0.2.3 }'
python3 -c 'print("add element inet content s { " + ", ".join("10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(20000)) + " }")' |
        nft -f -
nft delete element inet content s '{ 192.0.2.1 }'
nftbusctl delete-element inet content s 192.0.2.2 192.0.2.3 >/dev/null
# nftbus's own bulk commit goes without events (monitor.h): announced all the same
python3 -c 'print("\n".join("10.200.%d.%d" % (i >> 8, i & 255) for i in range(5000)))' |
        nftbusctl add-element -f - inet content s >/dev/null
content_signals() {
        jq -c "select(.type == \"signal\" and .member == \"$1\") | .payload.data" "$NFTBUS_RUNDIR/content.json"
}
wait_until 5 eval 'content_signals ElementsChanged | wc -l'
assert_eq "ElementsChanged per transaction: 3 added, 20,000 as one count, 1 removed by nft, 2 by nftbus, 5,000 of nftbus's bulk" \
        "[3,0]|[20000,0]|[0,1]|[0,2]|[5000,0]" "$(content_signals ElementsChanged | tr '\n' '|' | sed 's/|$//')"
wait_until 5 eval 'content_signals RulesChanged | wc -l'
assert_eq "RulesChanged: added by nft with its text, by nftbus with its comment, replaced (same handle), removed; 1,500 as counts" \
        "[1,0,0,[[$first,\"counter packets 0 bytes 0\",\"\"]],[],[]]|[1,0,0,[[$second,\"tcp dport 22 accept\",\"ssh\"]],[],[]]|[0,0,1,[],[],[[$first,\"udp dport 53 accept\",\"\"]]]|[0,1,0,[],[$second],[]]|[1500,0,0,[],[],[]]" \
        "$(content_signals RulesChanged | tr '\n' '|' | sed 's/|$//')"
# transactions in quick succession, while the executor is busy with a listing: each its own signal, with
# its rule's text (a listing queued and not started yet serves the transactions that end before it runs)
monitor_start "$NFTBUS_RUNDIR/quick.json"
nftbusctl apply -f - <<<"$(python3 -c 'print("\n".join("add rule inet content c ip saddr 10.9.%d.%d counter" % (i >> 8, i & 255) for i in range(3000)))')" >/dev/null &
applying=$!
for port in $(seq 1001 1040); do nft add rule inet content c tcp dport "$port" drop; done
wait "$applying"
wait_until 40 eval "jq -c 'select(.type == \"signal\" and .member == \"RulesChanged\") | .payload.data[3][0][1]' \"$NFTBUS_RUNDIR/quick.json\" | grep -c 'tcp dport'"
assert_eq "40 quick transactions: 40 RulesChanged in order, each with its rule's text" \
        "$(for port in $(seq 1001 1040); do echo "tcp dport $port drop"; done)" \
        "$(jq -r 'select(.type == "signal" and .member == "RulesChanged") | .payload.data[3][0][1] // "" | select(startswith("tcp dport"))' "$NFTBUS_RUNDIR/quick.json")"
# a table deleted with its rules and elements: InterfacesRemoved says it, no content signal follows
nft delete table inet content
nft add table ip after_delete
wait_until 1 eval "grep -c after_5fdelete \"$NFTBUS_RUNDIR/quick.json\""
assert_eq "a deleted table's chains and sets: no RulesChanged or ElementsChanged for what went with them" 0 \
        "$(jq -c 'select(.type == "signal" and (.member == "RulesChanged" or .member == "ElementsChanged") and .payload.data[1] > 0)' "$NFTBUS_RUNDIR/quick.json" | wc -l)"
kill "$monitor"
wait_until 2 eval "grep -c -e '\"replaced\":1' -e '\"added\":5000' \"$NFTBUS_RUNDIR/subscriber.json\""
assert_eq "nftbusctl monitor prints them" \
        '{"event":"rules","path":"/org/nftbus/Firewall1/table/inet/content/chain/c","properties":{"added":0,"removed":0,"replaced":1},"added_rules":[],"removed_handles":[],"replaced_rules":[{"handle":'"$first"',"rule":"udp dport 53 accept","comment":""}]}|{"event":"elements","path":"/org/nftbus/Firewall1/table/inet/content/set/s","properties":{"added":5000,"removed":0}}' \
        "$(grep -e '"replaced":1' -e '"added":5000' "$NFTBUS_RUNDIR/subscriber.json" | tr '\n' '|' | sed 's/|$//')"
assert_eq "no events were missed: no Resynchronized" 0 "$(grep -c Resynchronized "$NFTBUS_RUNDIR/content.json")"
kill "$content_monitor"
assert_eq "Unsubscribe of a caller that did not subscribe: NotFound" "org.nftbus.Firewall1.Error.NotFound" \
        "$(gdbus_call $ROOT $IFACE.Manager.Unsubscribe | sed -n 's/^ERROR \([^:]*\):.*/\1/p')"
# the subscriber leaves the bus: the subscription ends with it
kill "$subscriber"
wait "$subscriber" 2>/dev/null
wait_until idle following
assert_eq "its disconnect ends the subscription: out of the group again" idle "$(following)"

# events that overflow nftbusd's buffer: the objects are read again, and subscribers are told that rules
# and elements went unannounced (nftbusd stopped while nft commits, so that it reads nothing meanwhile)
NFTBUSD_ARGS=--event-buffer=4096 restart_nftbusd
nftbusctl --json monitor >"$NFTBUS_RUNDIR/overflow.json" &
subscriber=$!
wait_until 1 eval "grep -c '\"event\":\"monitoring\"' \"$NFTBUS_RUNDIR/overflow.json\""
kill -STOP "$NFTBUSD_PID"
python3 -c 'print("add table inet flood\nadd set inet flood s { type ipv4_addr; }\nadd element inet flood s { " + ", ".join("10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(5000)) + " }")' |
        nft -f -
kill -CONT "$NFTBUSD_PID"
wait_until 1 eval "grep -c '\"event\":\"resynchronized\"' \"$NFTBUS_RUNDIR/overflow.json\""
assert_eq "a transaction's events over the buffer: Manager.Resynchronized, and the objects read again" \
        "resynchronized /org/nftbus/Firewall1|added /org/nftbus/Firewall1/table/inet/flood/set/s" \
        "$(jq -r 'select(.event == "resynchronized" or (.event == "added" and (.path | endswith("flood/set/s")))) | "\(.event) \(.path)"' "$NFTBUS_RUNDIR/overflow.json" | sort -r | tr '\n' '|' | sed 's/|$//')"
kill "$subscriber"
wait "$subscriber" 2>/dev/null
done_testing
