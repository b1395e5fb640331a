#!/usr/bin/env bash
# Zones with real packets (make_network in lib.sh: client -- HERE -- server, nftbusd runs HERE): an
# interface's zone decides what gets in, a source bound to a zone overrides its interface's zone, services
# come and go, masquerade and a port forward in external, a reload brings back the permanent configuration
# and leaves another tool's table alone, panic drops everything and its end restores it, a delegated user
# moves one interface between two zones and nothing else.
source "$(dirname "$0")/lib.sh"

Z=$ROOT/zone
zone() { local name=$1; shift; bus call $BUS_NAME $Z/$name $IFACE.Zone "$@"; }
zerr() { local name=$1; shift; busctl --system call $BUS_NAME $Z/$name $IFACE.Zone "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
manager() { bus call $BUS_NAME $ROOT $IFACE.Manager "$@"; }
prop() { bus get-property $BUS_NAME "$@"; }

make_network
answer_peers
in_client ip addr add 10.0.1.3/24 dev c-r
from() { connect_from in_client "$@"; }

assert_eq "zones are off at first: no table, everything gets in" "b false|10.0.1.2" \
        "$(prop $ROOT $IFACE.Manager ZonesEnabled)|$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "the built-in zones, public the default" \
        "block dmz drop external home internal nm-shared public trusted work|s \"public\"" \
        "$(manager ListZones --json=short | jq -r '[.data[0][][0]] | join(" ")')|$(prop $ROOT $IFACE.Manager DefaultZone)"
assert_eq "public's services" 'as 2 "dhcpv6-client" "ssh"' "$(prop $Z/public $IFACE.Zone Services)"

# zones and the presets that filter input compose by refusing what would silently drop
bus call $BUS_NAME $ROOT/preset/workstation $IFACE.Preset Apply 'a{sv}' 1 services as 1 8080 >/dev/null
assert_eq "zones cannot go on over the workstation preset" \
        "The workstation preset's table nftbus_workstation filters what comes in; with zones on, both would decide, and one would drop what the other allows. Delete that table first, or leave zones off" \
        "$(busctl --system call $BUS_NAME $ROOT $IFACE.Manager SetZonesEnabled 'ba{sv}' true 0 2>&1 | sed 's/^Call failed: //')"
bus call $BUS_NAME $ROOT/table/inet/nftbus_5fworkstation $IFACE.Table Delete
monitor_start "$NFTBUS_RUNDIR/zone-signals"
manager SetZonesEnabled 'ba{sv}' true 0
manager SetZonesEnabled 'ba{sv}' true 1 permanent b true
assert_eq "and the presets that filter input cannot be applied while zones are on" \
        "Zones are on and decide what comes in; the server preset would filter it a second time, and drop what a zone allows. Turn zones off or allow it in a zone" \
        "$(busctl --system call $BUS_NAME $ROOT/preset/server $IFACE.Preset Apply 'a{sv}' 0 2>&1 | sed 's/^Call failed: //')"
assert_eq "nor the router preset: zones decide what is forwarded too" \
        "Zones are on and decide what is forwarded; the router preset would filter it a second time, and drop what a zone allows. Turn zones off or allow it in a zone" \
        "$(busctl --system call $BUS_NAME $ROOT/preset/router $IFACE.Preset Apply 'a{sv}' 2 wan s r-s lan as 1 r-c 2>&1 | sed 's/^Call failed: //')"
assert_eq "on, and on permanently (nftbus.conf)" "Zones=yes" "$(grep -x Zones=yes "$CONFIGURATION_DIRECTORY/nftbus.conf")"
assert_eq "on: r-c is in no zone, so in public; ssh answers" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "port 8080 is refused" "unreachable" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "GetZoneOfInterface says public" 'o "/org/nftbus/Firewall1/zone/public"' \
        "$(manager GetZoneOfInterface s r-c)"

zone trusted AddInterface 'sa{sv}' r-c 0
assert_eq "r-c in trusted: 8080 gets through" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "the kernel dispatches by a map" '"r-c" : goto zone_trusted' \
        "$(nft list map inet nftbus_zones interface | grep -o '"r-c" : goto zone_trusted')"
assert_eq "adding it to another zone too is refused" "r-c is in zone trusted already: move it rather than add it" \
        "$(zerr public AddInterface 'sa{sv}' r-c 0)"
zone public ChangeInterface 'sa{sv}' r-c 0
assert_eq "ChangeInterface moved it to public in one step: refused again" "unreachable|" \
        "$(from 10.0.1.2 10.0.1.1 8080)|$(prop $Z/trusted $IFACE.Zone Interfaces | sed 's/^as 0$//')"

# a source bound to home overrides its interface's zone
zone home AddSource 'sa{sv}' 10.0.1.3 0
zone home AddPort 'sa{sv}' 8080/tcp 0
assert_eq "10.0.1.3 is in home, which allows 8080" "10.0.1.3" "$(from 10.0.1.3 10.0.1.1 8080)"
assert_eq "while 10.0.1.2 on the same interface stays in public" "unreachable" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "GetZoneOfSource" 'o "/org/nftbus/Firewall1/zone/home"' "$(manager GetZoneOfSource s 10.0.1.3)"
wait_until 1 bash -c "jq -r 'select(.member == \"PropertiesChanged\" and .path == \"/org/nftbus/Firewall1/zone/home\") | .path' \"$NFTBUS_RUNDIR/zone-signals\" | head -n 1 | wc -l"
assert_eq "each change is announced: PropertiesChanged on the zone, ZonesEnabled on the Manager" \
        "/org/nftbus/Firewall1/zone/home|ZonesEnabled" \
        "$(jq -r 'select(.member == "PropertiesChanged" and .path == "/org/nftbus/Firewall1/zone/home") | .path' "$NFTBUS_RUNDIR/zone-signals" | head -n 1)|$(
           jq -r 'select(.member == "PropertiesChanged" and .path == "/org/nftbus/Firewall1") | .payload.data[1] | keys[]' "$NFTBUS_RUNDIR/zone-signals" | head -n 1)"

# a service added is reachable, and gone after its removal
assert_eq "http is not in public" "unreachable" "$(from 10.0.1.2 10.0.1.1 80)"
zone public AddService 'sa{sv}' http 0
assert_eq "AddService http: reachable" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 80)"
zone public RemoveService 'sa{sv}' http 0
assert_eq "RemoveService: gone" "unreachable" "$(from 10.0.1.2 10.0.1.1 80)"

# zones and the NAT interface compose: a redirect to a port public refuses still reaches it (what a dnat or
# redirect sent is accepted, as the presets do)
redirect=$(bus call $BUS_NAME $ROOT/nat $IFACE.NAT Redirect 'sqqa{sv}' tcp 2223 8080 1 in_interface s r-c | cut -d'"' -f2)
assert_eq "a NAT redirect to 8080, which public refuses: it gets through" "10.0.1.2|unreachable" \
        "$(from 10.0.1.2 10.0.1.1 2223)|$(from 10.0.1.2 10.0.1.1 8080)"
bus call $BUS_NAME $ROOT/nat $IFACE.NAT Remove s "$redirect"

# an ICMP block
assert_eq "public answers pings" "0" "$(in_client ping -c 1 -W 2 10.0.1.1 >/dev/null 2>&1; echo $?)"
zone public AddIcmpBlock 'sa{sv}' echo-request 0
assert_eq "with echo-request blocked, it refuses them" "1" "$(in_client ping -c 1 -W 2 10.0.1.1 >/dev/null 2>&1; echo $?)"
zone public RemoveIcmpBlock 'sa{sv}' echo-request 0
assert_eq "and answers again once the block is gone" "0" "$(in_client ping -c 1 -W 2 10.0.1.1 >/dev/null 2>&1; echo $?)"

# a zone of one's own comes and goes on the bus
manager AddZone 'sa{sv}' lab 0
manager DeleteZone 'sa{sv}' lab 0
wait_until 1 bash -c "jq -r 'select(.member == \"InterfacesRemoved\") | .payload.data[0]' \"$NFTBUS_RUNDIR/zone-signals\" | grep -c /zone/lab"
assert_eq "InterfacesAdded and InterfacesRemoved for it" "/org/nftbus/Firewall1/zone/lab /org/nftbus/Firewall1/zone/lab " \
        "$(signals_of "$NFTBUS_RUNDIR/zone-signals" InterfacesAdded /zone/lab)$(signals_of "$NFTBUS_RUNDIR/zone-signals" InterfacesRemoved /zone/lab)"

# masquerade and a port forward in external, the router's outside (r-c here): the server's network is behind
bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl Set ss net.ipv4.ip_forward 1
in_server ip route add 10.0.1.0/24 via 10.0.2.1
zone external ChangeInterface 'sa{sv}' r-c 0
zone external AddForwardPort 'sa{sv}' port=2222:proto=tcp:toport=80:toaddr=10.0.2.2 0
assert_eq "a port forward in external: the outside's 2222 reaches the server's 80" "10.0.1.2" \
        "$(from 10.0.1.2 10.0.1.1 2222)"
assert_eq "the server's side in public (the default zone) forwards nothing to external, as firewalld" "unreachable" \
        "$(connect_from in_server 10.0.2.2 10.0.1.2 9000)"
zone trusted AddInterface 'sa{sv}' r-s 0
assert_eq "from trusted, forwarded; external masquerades what leaves through it: the client sees this host" \
        "10.0.1.1" "$(connect_from in_server 10.0.2.2 10.0.1.2 9000)"
zone external SetMasquerade 'ba{sv}' false 0
assert_eq "without masquerade, the client sees the server" "10.0.2.2" "$(connect_from in_server 10.0.2.2 10.0.1.2 9000)"
zone trusted RemoveInterface 'sa{sv}' r-s 0
zone external RemoveForwardPort 'sa{sv}' port=2222:proto=tcp:toport=80:toaddr=10.0.2.2 0
assert_eq "the forward removed: 2222 is closed (the outside's target rejects)" "unreachable" "$(from 10.0.1.2 10.0.1.1 2222)"
zone public ChangeInterface 'sa{sv}' r-c 0

# refusals change nothing
before=$(nft list table inet nftbus_zones)
assert_eq "a service that is not one" "Unknown service 'telepathy': not in the catalogue of services" \
        "$(zerr public AddService 'sa{sv}' telepathy 0)"
assert_eq "a port without a protocol" \
        "Invalid port '22': PORT/PROTOCOL or FROM-TO/PROTOCOL, the protocol tcp, udp, sctp or dccp" \
        "$(zerr public AddPort 'sa{sv}' 22 0)"
assert_eq "a zone that is not there" "No zone 'nowhere'" \
        "$(zerr nowhere AddPort 'sa{sv}' 22/tcp 0)"
assert_eq "an injection" \
        "Invalid device 'r-c\"; flush ruleset': an interface name has 1 to 15 characters" \
        "$(zerr public AddInterface 'sa{sv}' 'r-c"; flush ruleset' 0)"
assert_eq "the zones' table is as it was" "$before" "$(nft list table inet nftbus_zones)"

# runtime and permanent; a reload touches nftbus_zones only
nft -f - <<'NFT'
table ip docker_like {
        chain forward { type filter hook forward priority filter; policy accept; ip daddr 172.17.0.0/16 counter accept; }
}
NFT
docker_before=$(nft list table ip docker_like)
zone public AddService 'sa{sv}' http 1 permanent b true
assert_eq "a permanent change is not in the runtime configuration" "unreachable" "$(from 10.0.1.2 10.0.1.1 80)"
assert_eq "it is in the zone's file" "service=http" "$(grep -x service=http "$CONFIGURATION_DIRECTORY/zones/public.zone")"
manager Reload 'a{sv}' 0
assert_eq "Reload: the runtime is the permanent one: http answers" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 80)"
assert_eq "and the runtime-only changes are gone: r-c back in public, 8080 refused" "unreachable" \
        "$(from 10.0.1.3 10.0.1.1 8080)"
assert_eq "another tool's table is untouched by the reload" "$docker_before" "$(nft list table ip docker_like)"
printf 'service=ssh\nservice=no-such-service\n' >"$CONFIGURATION_DIRECTORY/zones/work.zone"
assert_eq "a damaged file: Reload refuses it, naming it" \
        "The permanent configuration is refused, the running one stays: Line 2 of $CONFIGURATION_DIRECTORY/zones/work.zone: Unknown service 'no-such-service'" \
        "$(busctl --system call $BUS_NAME $ROOT $IFACE.Manager Reload 'a{sv}' 0 2>&1 | sed 's/^Call failed: //')"
assert_eq "and the running configuration stays" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 80)"
assert_eq "the state says so: failed, the file and line in ZonesError" \
        "failed|The permanent configuration is refused, the running one stays: Line 2 of $CONFIGURATION_DIRECTORY/zones/work.zone: Unknown service 'no-such-service'" \
        "$(busctl --system --json=short get-property $BUS_NAME $ROOT $IFACE.Manager ZonesState | jq -r .data)|$(
           busctl --system --json=short get-property $BUS_NAME $ROOT $IFACE.Manager ZonesError | jq -r .data)"
assert_eq "while failed, RuntimeToPermanent refuses to write the stand-in over the files" \
        "org.nftbus.Firewall1.Error.Rejected" \
        "$(error_name "$(gdbus_call $ROOT $IFACE.Manager.RuntimeToPermanent '{}')")"
rm "$CONFIGURATION_DIRECTORY/zones/work.zone"
manager Reload 'a{sv}' 0
assert_eq "the file mended, Reload makes the state running again" "running|" \
        "$(busctl --system --json=short get-property $BUS_NAME $ROOT $IFACE.Manager ZonesState | jq -r .data)|$(
           busctl --system --json=short get-property $BUS_NAME $ROOT $IFACE.Manager ZonesError | jq -r .data)"
zone trusted AddInterface 'sa{sv}' r-c 0
manager RuntimeToPermanent 'a{sv}' 0
assert_eq "RuntimeToPermanent writes the runtime configuration" "interface=r-c" \
        "$(grep -x interface=r-c "$CONFIGURATION_DIRECTORY/zones/trusted.zone")"

# a source bound as an ipset (ipset:NAME, firewalld.ipset(5)): the ipset's file, read at a reload (the runtime
# configuration is the permanent one here), makes the set ipset_NAME of the zones' table with its entries
in_client ip addr add 10.0.1.5/24 dev c-r
in_client ip addr add 10.0.1.6/24 dev c-r
assert_eq "an ipset that is not there is no source" "INVALID_IPSET: banned" \
        "$(zerr drop AddSource 'sa{sv}' ipset:banned 0)"
mkdir -p "$CONFIGURATION_DIRECTORY/ipsets"
printf 'type=hash:net\nentry=10.0.1.5\n' >"$CONFIGURATION_DIRECTORY/ipsets/banned.ipset"
manager Reload 'a{sv}' 0
zone drop AddSource 'sa{sv}' ipset:banned 0
assert_eq "the set holds the ipset's entries" '["10.0.1.5"]' \
        "$(nft -j list set inet nftbus_zones ipset_banned | jq -c '[.nftables[1].set.elem[]]')"
assert_eq "a source in the ipset is in drop" "no answer" "$(from 10.0.1.5 10.0.1.1 22)"
assert_eq "another one is not" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
set_handle() { nft -j -a list set inet nftbus_zones ipset_banned | jq -r '.nftables[1].set.handle'; }
handle=$(set_handle)
zone work SetTarget 'sa{sv}' reject 0 # more than elements: the table made anew
assert_eq "the set's entries are in the table made anew" '["10.0.1.5"]' \
        "$(nft -j list set inet nftbus_zones ipset_banned | jq -c '[.nftables[1].set.elem[]]')"
assert_eq "the set itself stayed (its elements were not sent again): the same handle" "$handle" "$(set_handle)"
assert_eq "the rest is new: work rejects" 1 "$(nft list chain inet nftbus_zones zone_work | grep -c 'reject with icmpx admin-prohibited')"
assert_eq "and the source is still dropped" "no answer" "$(from 10.0.1.5 10.0.1.1 22)"
zone work SetTarget 'sa{sv}' default 0
# a big ipset: its set filled ahead of the transaction, through the kernel's netlink element messages
{ echo type=hash:net; seq 0 4999 | awk '{ printf "entry=10.9.%d.%d\n", int($1 / 256), $1 % 256 }'; echo entry=10.0.1.5; } \
        >"$CONFIGURATION_DIRECTORY/ipsets/banned.ipset"
manager Reload 'a{sv}' 0
count() { nft -j list set inet nftbus_zones ipset_banned | jq '[.nftables[1].set.elem[]] | length'; }
assert_eq "a reload with 5,001 entries: all in the set" 5001 "$(count)"
zone drop AddSource 'sa{sv}' ipset:banned 0
assert_eq "and they filter" "no answer" "$(from 10.0.1.5 10.0.1.1 22)"
handle=$(set_handle)
sed -i '/^entry=10\.9\.1[0-9]\./d' "$CONFIGURATION_DIRECTORY/ipsets/banned.ipset"
manager Reload 'a{sv}' 0
assert_eq "fewer in the file: the same set, emptied and filled again in one batch" "$handle|2561" \
        "$(set_handle)|$(count)"
zone drop AddSource 'sa{sv}' ipset:banned 0
assert_eq "and it still filters" "no answer" "$(from 10.0.1.5 10.0.1.1 22)"
zone drop RemoveSource 'sa{sv}' ipset:banned 0
assert_eq "unbound, the source is in its interface's zone again" "10.0.1.5" "$(from 10.0.1.5 10.0.1.1 22)"
rm "$CONFIGURATION_DIRECTORY/ipsets/banned.ipset"
manager Reload 'a{sv}' 0

# an addition that lasts a while (option timeout, firewall-cmd's --timeout): in force at once, taken back when over
zone work AddSource 'sa{sv}' 10.0.1.6 0
assert_eq "10.0.1.6 in work: 8080 refused" "unreachable" "$(from 10.0.1.6 10.0.1.1 8080)"
zone work AddPort 'sa{sv}' 8080/tcp 1 timeout u 2
assert_eq "AddPort with timeout 2: 8080 answers" "10.0.1.6" "$(from 10.0.1.6 10.0.1.1 8080)"
wait_until "as 0" prop $Z/work $IFACE.Zone Ports
assert_eq "two seconds on, the port is taken back, and refused again" "as 0|unreachable" \
        "$(prop $Z/work $IFACE.Zone Ports)|$(from 10.0.1.6 10.0.1.1 8080)"
why="Invalid option timeout: for a runtime addition of a service, port, protocol, forward port, ICMP block or rich rule"
assert_eq "a timeout is for a runtime addition, and not of a source" "$why|$why" \
        "$(zerr work AddPort 'sa{sv}' 8080/tcp 2 timeout u 2 permanent b true)|$(zerr work AddSource 'sa{sv}' 10.0.1.7 1 timeout u 2)"
zone work RemoveSource 'sa{sv}' 10.0.1.6 0

# source ports: what comes from one is let in, whatever the zone refuses otherwise
from_port() {
        in_client python3 -c '
import socket, sys
s = socket.socket(); s.settimeout(1); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2]))); s.connect((sys.argv[3], int(sys.argv[4]))); print(s.makefile().readline().strip())
except socket.timeout: print("no answer")
except OSError as e: print("unreachable" if e.errno == 113 else e)
' "$@"
}
zone work AddSource 'sa{sv}' 10.0.1.6 0
zone work AddSourcePort 'sa{sv}' 40000-40010/tcp 0
assert_eq "from source port 40005, 8080 answers in work; from 40020 it is refused" "10.0.1.6|unreachable" \
        "$(from_port 10.0.1.6 40005 10.0.1.1 8080)|$(from_port 10.0.1.6 40020 10.0.1.1 8080)"
zone work RemoveSourcePort 'sa{sv}' 40005/tcp 0
assert_eq "40005 taken out of the range: refused, the rest of it still let in" "40000-40004/tcp 40006-40010/tcp|unreachable|10.0.1.6" \
        "$(busctl --system --json=short get-property $BUS_NAME $Z/work $IFACE.Zone SourcePorts | jq -r '.data | sort | join(" ")')|$(
           from_port 10.0.1.6 40005 10.0.1.1 8080)|$(from_port 10.0.1.6 40006 10.0.1.1 8080)"
zone work RemoveSource 'sa{sv}' 10.0.1.6 0

# log denied: a log before each refusal, firewalld's prefixes; the verdicts stay
nftbusctl() { "$NFTBUS_BUILD/client/nftbusctl" "$@"; }
nftbusctl zone log-denied unicast
assert_eq "log denied unicast: each refusal of a zone logged first, invalid state too" \
        "unicast|1|1|1" \
        "$(nftbusctl zone log-denied)|$(nft list chain inet nftbus_zones zone_public | grep -c 'meta pkttype host log prefix "filter_IN_public_REJECT: "')|$(
           nft list chain inet nftbus_zones zone_drop | grep -c 'meta pkttype host log prefix "filter_IN_drop_DROP: "')|$(
           nft list chain inet nftbus_zones input | grep -c 'ct state invalid meta pkttype host log prefix "STATE_INVALID_DROP: "')"
zone work AddSource 'sa{sv}' 10.0.1.6 0
assert_eq "and 8080 is refused as before (10.0.1.6 in work)" "unreachable" "$(from 10.0.1.6 10.0.1.1 8080)"
zone work RemoveSource 'sa{sv}' 10.0.1.6 0
nftbusctl zone log-denied all --permanent
assert_eq "permanently: nftbus.conf's LogDenied=, the running value as it was" "LogDenied=all|unicast" \
        "$(grep -x 'LogDenied=all' "$CONFIGURATION_DIRECTORY/nftbus.conf")|$(nftbusctl zone log-denied)"
nftbusctl zone log-denied off
nftbusctl zone log-denied off --permanent
assert_eq "off: no log rule" "0" "$(nft list table inet nftbus_zones | grep -c 'log prefix')"
assert_eq "a value that is none" "Invalid log denied: off, all, unicast, broadcast or multicast" \
        "$(busctl --system call $BUS_NAME $ROOT $IFACE.Manager SetLogDenied 'sa{sv}' sometimes 0 2>&1 | sed 's/^Call failed: //')"

# panic
manager SetPanic 'ba{sv}' true 0
assert_eq "panic: nothing gets in" "no answer" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "nor out" "no answer" "$(connect_from "" 10.0.2.1 10.0.2.2 80)"
assert_eq "the Panic property" "b true" "$(prop $ROOT $IFACE.Manager Panic)"
manager SetPanic 'ba{sv}' false 0
assert_eq "panic off: as it was" "10.0.1.2|10.0.2.1" \
        "$(from 10.0.1.2 10.0.1.1 8080)|$(connect_from "" 10.0.2.1 10.0.2.2 80)"

# a delegated user moves r-c between home and public, and nothing else
zone public ChangeInterface 'sa{sv}' r-c 0
out=$(as_user busctl --system call $BUS_NAME $Z/home $IFACE.Zone ChangeInterface 'sa{sv}' r-c 0 2>&1)
assert_eq "the delegate moves r-c to home" "" "$out"
assert_eq "it is there" 'as 1 "r-c"' "$(prop $Z/home $IFACE.Zone Interfaces)"
denied="Call failed: Interactive authentication required for org.nftbus.Firewall1.manage-zones"
assert_eq "but not into trusted" "$denied" \
        "$(as_user busctl --system --allow-interactive-authorization=no call $BUS_NAME $Z/trusted $IFACE.Zone ChangeInterface 'sa{sv}' r-c 0 2>&1)"
assert_eq "nor another interface" "$denied" \
        "$(as_user busctl --system --allow-interactive-authorization=no call $BUS_NAME $Z/home $IFACE.Zone ChangeInterface 'sa{sv}' r-s 0 2>&1)"
assert_eq "nor a service" "$denied" \
        "$(as_user busctl --system --allow-interactive-authorization=no call $BUS_NAME $Z/home $IFACE.Zone AddService 'sa{sv}' http 0 2>&1)"

manager SetZonesEnabled 'ba{sv}' false 0
assert_eq "off again: the table is gone, 8080 answers" "no table|10.0.1.2" \
        "$(nft list table inet nftbus_zones >/dev/null 2>&1 || echo no table)|$(from 10.0.1.2 10.0.1.1 8080)"

done_testing
