#!/usr/bin/env bash
# Zones fail closed: no input, delegate, crash or typo leaves the host unfiltered while nftbus says
# "running". Each way that once ended with no zone table and ZonesEnabled false is walked here, and after
# each the packets say that the zones still filter: the client's r-c is in public (ssh, 22, answers; 8080
# is refused) unless the step says otherwise.
source "$(dirname "$0")/lib.sh"

Z=$ROOT/zone
M="$BUS_NAME $ROOT $IFACE.Manager"
zone() { local name=$1; shift; bus call $BUS_NAME $Z/$name $IFACE.Zone "$@"; }
manager() { bus call $M "$@"; }
prop() { busctl --system --json=short get-property "$@" | jq -r '.data | if type == "array" then join(" ") else . end'; }
state() { echo "$(prop $M ZonesEnabled)|$(prop $M ZonesState)"; }
as_delegate() {
        as_user busctl --system --allow-interactive-authorization=no call $BUS_NAME "$@" 2>&1 | sed 's/^Call failed: //'
}
denied="Interactive authentication required for org.nftbus.Firewall1.manage-zones"

make_network
python3 -c "$ANSWER_PEER" 22 80 8080 &
_network_pids+=" $!"
wait_listening 8080
from() { connect_from in_client 10.0.1.2 10.0.1.1 "$1"; }
# the zones filter as public says: ssh in, 8080 refused
filtered() { echo "$(from 22)|$(from 8080)"; }
public="10.0.1.2|unreachable"

manager SetZonesEnabled 'ba{sv}' true 0
manager SetZonesEnabled 'ba{sv}' true 1 permanent b true
assert_eq "zones on: running, and public filters r-c" "true|running|$public" "$(state)|$(filtered)"

# 1. a permanent move rewrites both zones' files in one step; the loader refuses a second claim by hand
zone drop AddInterface 'sa{sv}' r-c 1 permanent b true
zone home ChangeInterface 'sa{sv}' r-c 1 permanent b true
assert_eq "a permanent ChangeInterface takes r-c out of drop's file and into home's" \
        "0|interface=r-c" "$(grep -c interface= "$CONFIGURATION_DIRECTORY/zones/drop.zone")|$(
           grep -x interface=r-c "$CONFIGURATION_DIRECTORY/zones/home.zone")"
restart_nftbusd
assert_eq "the next start puts it in force: running, r-c in home (ssh answers, 8080 refused)" \
        "true|running|$public|home" "$(state)|$(filtered)|$(busctl --system call $M GetZoneOfInterface s r-c | sed 's|.*/||; s/"//')"
printf 'interface=r-c\n' >>"$CONFIGURATION_DIRECTORY/zones/drop.zone"
restart_nftbusd
assert_eq "written by hand into drop too: drop (first by name) keeps it, home's file is refused, the state failed" \
        "true|failed|no answer|no answer" "$(state)|$(from 22)|$(from 8080)"
line=$(grep -nx interface=r-c "$CONFIGURATION_DIRECTORY/zones/home.zone" | cut -d: -f1)
assert_eq "ZonesError names the refused file, its line and the other zone" \
        "Parts of the zones' configuration in $CONFIGURATION_DIRECTORY are refused; the rest is in force: $CONFIGURATION_DIRECTORY/zones/home.zone is refused: line $line: interface r-c is in zone drop already ($CONFIGURATION_DIRECTORY/zones/drop.zone): one zone only" \
        "$(prop $M ZonesError)"
assert_eq "a Reload with the files still in conflict is refused, and the running zones stay" \
        "1|true|failed|no answer" \
        "$(manager Reload 'a{sv}' 0 >/dev/null 2>&1; echo $?)|$(state)|$(from 22)"
rm "$CONFIGURATION_DIRECTORY/zones/drop.zone" "$CONFIGURATION_DIRECTORY/zones/home.zone"
manager Reload 'a{sv}' 0
assert_eq "mended and reloaded: running again, r-c in public" "true|running|$public" "$(state)|$(filtered)"

# 2. delegation by zone means the zone: what it leaves, what reaches every zone
zone drop AddInterface 'sa{sv}' r-c 0
assert_eq "a delegate for home and public cannot take r-c out of drop" "$denied" \
        "$(as_delegate $Z/home $IFACE.Zone ChangeInterface 'sa{sv}' r-c 0)"
assert_eq "it stays in drop, dropped" "drop|no answer" \
        "$(busctl --system call $M GetZoneOfInterface s r-c | sed 's|.*/||; s/"//')|$(from 22)"
zone drop RemoveInterface 'sa{sv}' r-c 0
assert_eq "between public and home, permanently, it may move it (both grants)" "|" \
        "$(as_delegate $Z/public $IFACE.Zone AddInterface 'sa{sv}' r-c 1 permanent b true)|$(
           as_delegate $Z/home $IFACE.Zone ChangeInterface 'sa{sv}' r-c 1 permanent b true)"
assert_eq "and the files say one zone" "0|interface=r-c" \
        "$(grep -c interface= "$CONFIGURATION_DIRECTORY/zones/public.zone")|$(
           grep -x interface=r-c "$CONFIGURATION_DIRECTORY/zones/home.zone")"
restart_nftbusd
assert_eq "after a restart, running" "true|running|$public" "$(state)|$(filtered)"
zone external AddInterface 'sa{sv}' r-s 0
zone drop AddSource 'sa{sv}' 203.0.113.0/24 0
assert_eq "a delegate for zone home alone: not the default zone" "$denied" \
        "$(as_delegate $ROOT $IFACE.Manager SetDefaultZone 'sa{sv}' home 0)"
assert_eq "not home's target to accept" "$denied" "$(as_delegate $Z/home $IFACE.Zone SetTarget 'sa{sv}' accept 0)"
assert_eq "not a source of every address" "$denied|$denied" \
        "$(as_delegate $Z/home $IFACE.Zone AddSource 'sa{sv}' ::/0 0)|$(as_delegate $Z/home $IFACE.Zone AddSource 'sa{sv}' 0.0.0.0/0 0)"
assert_eq "not r-s out of external, nor 203.0.113.0/24 out of drop" "$denied|$denied" \
        "$(as_delegate $Z/home $IFACE.Zone ChangeInterface 'sa{sv}' r-s 0)|$(
           as_delegate $Z/home $IFACE.Zone ChangeSource 'sa{sv}' 203.0.113.0/24 0)"
assert_eq "but home's own business, yes: a service, a target of drop, a narrow source" "||" \
        "$(as_delegate $Z/home $IFACE.Zone AddService 'sa{sv}' http 0)|$(
           as_delegate $Z/home $IFACE.Zone SetTarget 'sa{sv}' drop 0)|$(
           as_delegate $Z/home $IFACE.Zone AddSource 'sa{sv}' 198.51.100.0/24 0)"
assert_eq "nothing of the refused changes happened (r-c is in home, now dropping what ssh is not)" \
        "public|drop|external|drop|10.0.1.2|no answer" \
        "$(prop $M DefaultZone)|$(prop $BUS_NAME $Z/home $IFACE.Zone Target)|$(
           busctl --system call $M GetZoneOfInterface s r-s | sed 's|.*/||; s/"//')|$(
           busctl --system call $M GetZoneOfSource s 203.0.113.0/24 | sed 's|.*/||; s/"//')|$(filtered)"
zone home RemoveInterface 'sa{sv}' r-c 1 permanent b true
manager Reload 'a{sv}' 0
assert_eq "reloaded, r-c in no zone: public" "true|running|$public" "$(state)|$(filtered)"

# 3. a port range over a service's port: merged, never a table the kernel refuses
zone public AddPort 'sa{sv}' 1-65535/tcp 0
zone public AddProtocol 'sa{sv}' gre 0
zone public AddService 'sa{sv}' http 0
assert_eq "1-65535/tcp in public with ssh: every TCP port answers, and the table takes more changes" \
        "10.0.1.2|10.0.1.2|gre" "$(from 22)|$(from 8080)|$(prop $BUS_NAME $Z/public $IFACE.Zone Protocols)"
assert_eq "a port inside the range is there already" "Zone public has 8080/tcp already" \
        "$(busctl --system call $BUS_NAME $Z/public $IFACE.Zone AddPort 'sa{sv}' 8080/tcp 0 2>&1 | sed 's/^Call failed: //')"
zone public RemovePort 'sa{sv}' 8080/tcp 0
assert_eq "removing 8080/tcp breaks the range around it, as firewalld does" "1-8079/tcp 8081-65535/tcp|10.0.1.2|unreachable" \
        "$(prop $BUS_NAME $Z/public $IFACE.Zone Ports)|$(from 22)|$(from 8080)"
zone public AddPort 'sa{sv}' 1-65535/tcp 1 permanent b true
zone public AddService 'sa{sv}' http 1 permanent b true
restart_nftbusd
assert_eq "made permanent, the next start puts it in force" "true|running|10.0.1.2|10.0.1.2" \
        "$(state)|$(from 22)|$(from 8080)"
zone public RemovePort 'sa{sv}' 1-65535/tcp 1 permanent b true
zone public RemoveService 'sa{sv}' http 1 permanent b true
manager Reload 'a{sv}' 0
assert_eq "and gone again" "true|running|$public" "$(state)|$(filtered)"

# 4. Reload repairs whatever was done to the table by hand
nft flush table inet nftbus_zones
assert_eq "a flushed table lets everything in" "10.0.1.2" "$(from 8080)"
manager Reload 'a{sv}' 0
assert_eq "Reload makes it whole again" "$public" "$(filtered)"
nft flush ruleset
manager Reload 'a{sv}' 0
assert_eq "after nft flush ruleset too" "$public" "$(filtered)"
nft delete element inet nftbus_zones zone_public_ports '{ tcp . 22 }'
zone public RemoveService 'sa{sv}' ssh 0
zone public AddService 'sa{sv}' ssh 0
assert_eq "an element deleted by hand: the next change sees the table is not what nftbusd left, and makes it whole" \
        "$public" "$(filtered)"
nft delete element inet nftbus_zones zone_public_ports '{ tcp . 22 }'
zone public AddPort 'sa{sv}' 9000/tcp 0
assert_eq "and any change repairs it" "$public" "$(filtered)"
zone public RemovePort 'sa{sv}' 9000/tcp 0

# 5. one size limit for what is written and what is read: a zone of 70,000 sources (1.3 MB) is read, changed
# and read again
python3 -c 'for i in range(70000): print("source=10.%d.%d.%d" % (64 + (i >> 16), (i >> 8) & 255, i & 255))' \
        >"$CONFIGURATION_DIRECTORY/zones/work.zone"
# a loaded machine takes its time over 70,000 sources: the call waits as long as it takes
busctl --system --timeout=600 call $M Reload 'a{sv}' 0
assert_eq "Reload reads the 1.3 MB file: running, the sources in force" "true|running|70000" \
        "$(state)|$(nft -j list map inet nftbus_zones source_v4 | jq '.nftables[1].map.elem | length')"
busctl --system --timeout=600 call $BUS_NAME $Z/work $IFACE.Zone AddSource 'sa{sv}' 192.0.2.7 1 permanent b true
restart_nftbusd
assert_eq "written again by a permanent change, and read at the next start" "true|running|70001" \
        "$(state)|$(nft -j list map inet nftbus_zones source_v4 | jq '.nftables[1].map.elem | length')"
rm "$CONFIGURATION_DIRECTORY/zones/work.zone"
busctl --system --timeout=600 call $M Reload 'a{sv}' 0
assert_eq "and gone again" "true|running|$public" "$(state)|$(filtered)"

# 6. writes of several files: all or none, even across a kill
touch "$CONFIGURATION_DIRECTORY/zones/work.zone.tmp"
NFTBUS_TEST_KILL_IN_COMMIT=1 restart_nftbusd
zone drop AddInterface 'sa{sv}' r-c 0
zone trusted AddInterface 'sa{sv}' r-s 0
assert_eq "a temp file a crash left is gone at start" "" "$(find "$CONFIGURATION_DIRECTORY" -name '*.tmp')"
busctl --system call $M RuntimeToPermanent 'a{sv}' 0 >/dev/null 2>&1
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
assert_eq "killed half way through RuntimeToPermanent: the journal is there" "yes" \
        "$([ -e "$CONFIGURATION_DIRECTORY/.commit" ] && echo yes)"
assert_eq "the table stays in force while nftbusd is gone: r-c in drop" "no answer" "$(from 22)"
restart_nftbusd
assert_eq "the next start finishes the write: both zones' files, no temp file left" \
        "interface=r-c|interface=r-s||" \
        "$(grep -x interface=r-c "$CONFIGURATION_DIRECTORY/zones/drop.zone")|$(
           grep -x interface=r-s "$CONFIGURATION_DIRECTORY/zones/trusted.zone")|$(
           find "$CONFIGURATION_DIRECTORY" -name '*.tmp')|$(ls -A "$CONFIGURATION_DIRECTORY" | grep -x .commit)"
assert_eq "and puts them in force" "true|running|no answer" "$(state)|$(from 22)"
zone public ChangeInterface 'sa{sv}' r-c 1 permanent b true
zone trusted RemoveInterface 'sa{sv}' r-s 1 permanent b true
manager Reload 'a{sv}' 0
printf 'target=sometimes\n' >"$CONFIGURATION_DIRECTORY/zones/home.zone"
restart_nftbusd
assert_eq "after a start with a refused file, RuntimeToPermanent does not write the stand-in over the files" \
        "org.nftbus.Firewall1.Error.Rejected|Zones=yes" \
        "$(error_name "$(gdbus_call $ROOT $IFACE.Manager.RuntimeToPermanent '{}')")|$(
           grep -x 'Zones=yes' "$CONFIGURATION_DIRECTORY/nftbus.conf")"
rm "$CONFIGURATION_DIRECTORY/zones/home.zone"
manager Reload 'a{sv}' 0

# 7. a service whose helper the kernel has for one protocol only
zone public AddService 'sa{sv}' samba 0
assert_eq "samba: its netbios-ns helper for udp, none asked for tcp" "helper-netbios-ns-udp|" \
        "$(nft list table inet nftbus_zones | grep -o 'ct helper helper-netbios-ns-udp' | sed 's/ct helper //')|$(
           nft list table inet nftbus_zones | grep -o 'helper-netbios-ns-tcp')"
zone public AddService 'sa{sv}' samba 1 permanent b true
manager Reload 'a{sv}' 0
assert_eq "made permanent, every reload puts it in force" "true|running|$public" "$(state)|$(filtered)"
zone public RemoveService 'sa{sv}' samba 1 permanent b true
manager Reload 'a{sv}' 0

# 8. zones off looks like zones off
manager SetZonesEnabled 'ba{sv}' false 0
assert_eq "off: the state says so, nothing filters" "false|off|10.0.1.2" "$(state)|$(from 8080)"
assert_eq "and a runtime change says it would change nothing, instead of done" "org.nftbus.Firewall1.Error.ZonesOff" \
        "$(error_name "$(gdbus_call $Z/public $IFACE.Zone.AddService http '{}')")"
assert_eq "a permanent one is written" "" "$(zone public AddService 'sa{sv}' http 1 permanent b true)"
manager SetZonesEnabled 'ba{sv}' true 0
assert_eq "on again" "true|running|$public" "$(state)|$(filtered)"

# a kill -9: the table stays, and the next start says running
kill -KILL "$NFTBUSD_PID"
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
assert_eq "killed: the table still filters" "$public" "$(filtered)"
restart_nftbusd
assert_eq "restarted: running" "true|running|$public" "$(state)|$(filtered)"

done_testing
