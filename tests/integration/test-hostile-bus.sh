#!/usr/bin/env bash
# Never too big for the bus, and never alive without it. On a bus whose max_message_size is 1 MiB (and
# nftbusd told so), listings too large for one message are TooLarge naming their descriptor form, and the
# descriptor forms deliver them; GetManagedObjects over 6,000 objects, or over zones of 45,000 ports, is
# TooLarge instead of a dropped connection; an Apply whose nft error would quote a 2 MiB line answers with a cut error. The service
# keeps its name throughout, and a RulesChanged whose rule text would be too large goes without it. When dbus-daemon is killed, nftbusd exits with a failure, so that systemd's
# Restart= brings it back.
source "$(dirname "$0")/lib.sh"

# the harness's nftbusd goes; this test runs its own on a bus of its own
kill -TERM "$NFTBUSD_PID"
for _ in $(seq 1 1200); do kill -0 "$NFTBUSD_PID" 2>/dev/null || break; sleep 0.05; done
rundir=$(mktemp -d /tmp/nftbus-smallbus.XXXXXX)
sed -e "s|<listen>.*</listen>|<listen>unix:path=$rundir/bus</listen>|" \
    -e "s|<auth>EXTERNAL</auth>|<auth>EXTERNAL</auth><limit name=\"max_message_size\">1048576</limit>|" \
        "$NFTBUS_RUNDIR/bus.conf" >"$rundir/bus.conf"
dbus-daemon --config-file="$rundir/bus.conf" --nofork --nopidfile --nosyslog 2>"$rundir/dbus.log" &
bus_pid=$!
for _ in $(seq 1 1200); do [ -S "$rundir/bus" ] && break; sleep 0.05; done
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$rundir/bus
"$NFTBUSD" --max-message-size=1048576 >"$rundir/nftbusd.log" 2>&1 &
daemon=$!
wait_for_name $BUS_NAME $daemon || { cat "$rundir/nftbusd.log"; exit 1; }
err() { "$BIGCALL" "$@" | sed 's/^ERROR \([^:]*\):.*/\1/'; }

# 100,000 addresses: 1.5 MB as a listing
nft add table inet big
nft add set inet big s '{ type ipv4_addr; }'
python3 -c '
for i in range(100000): print("add element inet big s { 10.%d.%d.%d }" % (i >> 16, (i >> 8) & 255, i & 255))' | nft -f -
S=$ROOT/table/inet/big/set/s
assert_match "ListElements of 100,000: TooLarge, naming ListElementsToFd" \
        "^ERROR org.nftbus.Firewall1.Error.TooLarge: The reply \(1[0-9]{6} bytes\) would not fit in one message of the bus \(1048576 bytes at most\); use ListElementsToFd" \
        "$(gdbus_call $S $IFACE.Set.ListElements)"
assert_eq "ListElementsToFd delivers them" "100000" "$(nftbusctl list-elements inet big s | wc -l)"
assert_match "Export: TooLarge, naming ExportToFd" "^ERROR org.nftbus.Firewall1.Error.TooLarge: .*; use ExportToFd$" \
        "$(gdbus_call $ROOT $IFACE.Manager.Export '{}')"
assert_eq "nftbusctl export (ExportToFd): the whole ruleset, as nft lists it" "$(nft list ruleset | wc -l)" \
        "$(nftbusctl export | wc -l)"
assert_eq "the service is on the bus" alive "$(alive $daemon)"

# 6,000 chains: GetManagedObjects would be about 2.7 MB
python3 -c '
print("add table inet many")
for i in range(6000): print("add chain inet many chain_number_%d" % i)' | nft -f -
assert_match "GetManagedObjects of 6,000 chains: TooLarge, naming the alternatives" \
        "^ERROR org.nftbus.Firewall1.Error.TooLarge: .*; use Manager.ListTables, then Introspect and GetAll" \
        "$(gdbus_call $ROOT org.freedesktop.DBus.ObjectManager.GetManagedObjects)"
assert_eq "the service is on the bus" alive "$(alive $daemon)"
nft delete table inet many
assert_match "with them gone, GetManagedObjects answers" '^[0-9]+$' \
        "$("$BIGCALL" measure $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects)"

# two zones of 45,000 ports each: their objects alone are about 1.5 MB
mkdir -p "$CONFIGURATION_DIRECTORY/zones"
for z in home work; do
        python3 -c 'for i in range(1, 45001): print("port=%d/tcp" % i)' >"$CONFIGURATION_DIRECTORY/zones/$z.zone"
done
busctl --system --timeout=600 call $BUS_NAME $ROOT $IFACE.Manager Reload 'a{sv}' 0
assert_eq "the zones are read" "45000" \
        "$(busctl --system --json=short get-property $BUS_NAME $ROOT/zone/home $IFACE.Zone Ports | jq '.data | length')"
assert_match "GetManagedObjects with two zones of 45,000 ports: TooLarge, the zones counted" \
        "^ERROR org.nftbus.Firewall1.Error.TooLarge: " \
        "$(gdbus_call $ROOT org.freedesktop.DBus.ObjectManager.GetManagedObjects)"
assert_eq "the service is on the bus" alive "$(alive $daemon)"
rm "$CONFIGURATION_DIRECTORY/zones/work.zone"
python3 -c 'for i in range(1, 20001): print("port=%d/tcp" % i)' >"$CONFIGURATION_DIRECTORY/zones/home.zone"
busctl --system --timeout=600 call $BUS_NAME $ROOT $IFACE.Manager Reload 'a{sv}' 0
assert_match "with one zone of 20,000, GetManagedObjects answers" '^[0-9]+$' \
        "$("$BIGCALL" measure $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects)"
rm "$CONFIGURATION_DIRECTORY/zones/home.zone"
busctl --system --timeout=600 call $BUS_NAME $ROOT $IFACE.Manager Reload 'a{sv}' 0

# nft quotes and underlines a bad line: from 900 KiB of input, an error of 1.8 MB; the error is cut
out=$("$BIGCALL" string-arg $ROOT $IFACE.Manager Apply 900000)
assert_eq "Apply of a 900 KiB bad line: Rejected, the quoted line cut to 1 KiB" \
        "ERROR org.nftbus.Firewall1.Error.Rejected: Error: syntax error, unexpected new|1024|1024" \
        "$(sed -n 1p <<<"$out" | cut -c1-78)|$(sed -n 2p <<<"$out" | wc -L)|$(sed -n 3p <<<"$out" | wc -L)"
assert_eq "the service is on the bus" alive "$(alive $daemon)"

# a subscriber, and a rule whose text alone is over the bus's limit: RulesChanged without the text
nftbusctl --json monitor >"$rundir/monitor.json" &
watcher=$!
wait_until 1 eval "grep -c monitoring \"$rundir/monitor.json\""
nft add chain inet big c
python3 -c 'print("add rule inet big c ip saddr { " + ", ".join("10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(120000)) + " } drop")' |
        nft -f -
wait_until 1 eval "grep -c '\"event\":\"rules\"' \"$rundir/monitor.json\""
handle=$(nft -a list chain inet big c | sed -n 's/.* drop # handle \([0-9]*\)$/\1/p')
assert_eq "a rule of 1.6 MB: RulesChanged carries its handle, its text left out" "1|$handle|0|0" \
        "$(jq -r 'select(.event == "rules") | "\(.properties.added)|\(.added_rules[0].handle)|\(.added_rules[0].rule | length)|\(.added_rules[0].comment | length)"' "$rundir/monitor.json")"
assert_eq "the service is on the bus" alive "$(alive $daemon)"
kill $watcher

kill -KILL $bus_pid
wait $bus_pid 2>/dev/null
for _ in $(seq 1 1200); do kill -0 $daemon 2>/dev/null || break; sleep 0.05; done
wait $daemon
assert_eq "dbus-daemon killed: nftbusd exits with status 1" "1" "$?"
rm -rf "$rundir"

done_testing
