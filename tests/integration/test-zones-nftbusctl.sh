#!/usr/bin/env bash
# nftbusctl's zone verbs: list, show, default, enable, the list changes with and without --permanent, new and
# delete, reload, panic, services; exit statuses and messages of mistakes.
source "$(dirname "$0")/lib.sh"

ip link add wlan0 type veth peer name wlan0-peer
assert_eq "zone list: the built-in zones, the default marked" \
        "block dmz drop external home internal nm-shared public (default) trusted work" \
        "$(nftbusctl zone list | paste -sd' ')"
assert_eq "zone list --json" '{"name":"public","default":true}' \
        "$(nftbusctl --json zone list | jq -c '.[] | select(.default)')"
assert_eq "zone enable" "0 true" "$(nftbusctl zone enable; echo "$? $(busctl --system --json=short get-property $BUS_NAME $ROOT $IFACE.Manager ZonesEnabled | jq .data)")"
nftbusctl zone change-interface home wlan0
nftbusctl zone add-service home http
nftbusctl zone add-port home 6000-6010/udp
assert_eq "zone show" "$(printf '  %-19s%s\n' Target default Masquerade no Forward yes IcmpBlockInversion no \
        Interfaces wlan0 Sources '' Services 'dhcpv6-client http mdns samba-client ssh' Ports 6000-6010/udp \
        Protocols '' ForwardPorts '' IcmpBlocks '' RichRules '' SourcePorts '' \
        Description 'For a home network: the other computers are mostly trusted.' | sed '1i home')" \
        "$(nftbusctl zone show home)"
# rich rules: firewalld's canonical text, where firewalld puts them in the zone's chain
nftbusctl zone add-rich-rule home 'rule family=ipv4 source address=10.9.0.0/16 drop'
nftbusctl zone add-rich-rule home "rule priority=-3 family='ipv6' source NOT address=fd00::/8 reject"
assert_eq "zone add-rich-rule: kept as firewalld writes it" \
        'rule family="ipv4" source address="10.9.0.0/16" drop|rule priority="-3" family="ipv6" source NOT address="fd00::/8" reject' \
        "$(nftbusctl --json zone show home | jq -r '.rich_rules | join("|")')"
assert_eq "the priority below 0 first in the zone's chain, then the refusing ones before what it allows" \
        "ip6 saddr != fd00::/8 reject with icmpv6 port-unreachable|ip saddr 10.9.0.0/16 drop|meta l4proto . th dport @zone_home_ports accept" \
        "$(nft list chain inet nftbus_zones zone_home | sed -n 's/^\t\t//p' | sed -n '1,3p' | paste -sd'|')"
out=$(nftbusctl zone add-rich-rule home 'rule family=ipv4 source ipset=blocked log accept' 2>&1); rc=$?
assert_eq "a rich rule's ipset: one of the configuration's" \
        "2 Failed to add the rich rule: INVALID_IPSET: blocked (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl zone add-rich-rule home 'rule service name=nope accept' 2>&1); rc=$?
assert_eq "a rich rule's service: one of the catalogue" \
        "2 Failed to add the rich rule: Invalid rich rule 'rule service name=nope accept': INVALID_SERVICE: nope (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
nftbusctl zone remove-rich-rule home 'rule family="ipv4" source address="10.9.0.0/16" drop'
assert_eq "zone remove-rich-rule, in any form of the rule" 'rule priority="-3" family="ipv6" source NOT address="fd00::/8" reject' \
        "$(nftbusctl --json zone show home | jq -r '.rich_rules | join("|")')"
nftbusctl zone remove-rich-rule home 'rule priority=-3 family=ipv6 source NOT address=fd00::/8 reject'
# NetworkManager's zone for the connections it shares (hotspots)
assert_eq "nm-shared: forwarded traffic accepted; to this host DHCP, DNS, SSH, ICMP, and the rest rejected" \
        '{"target":"accept","forward":false,"services":["dhcp","dns","ssh"],"protocols":["icmp","ipv6-icmp"],"rich_rules":["rule priority=\"32767\" reject"]}' \
        "$(nftbusctl --json zone show nm-shared | jq -c '{target, forward, services, protocols, rich_rules}')"
assert_eq "the kernel has it" '"wlan0" : goto zone_home' "$(nft list map inet nftbus_zones interface | grep -o '"wlan0" : goto zone_home')"
nftbusctl zone add-service --permanent home https
assert_eq "--permanent: the file, not the running zone" "service=https|no" \
        "$(grep -x service=https "$CONFIGURATION_DIRECTORY/zones/home.zone")|$(nftbusctl zone show home | grep -q https && echo yes || echo no)"
nftbusctl zone new lab
nftbusctl zone masquerade lab on
nftbusctl zone set-target lab drop
nftbusctl zone forward lab off
assert_eq "a zone of one's own" "lab|drop|yes|no" \
        "$(nftbusctl --json zone show lab | jq -r '[.name, .target, (if .masquerade then "yes" else "no" end), (if .forward then "yes" else "no" end)] | join("|")')"
out=$(nftbusctl zone forward lab maybe 2>&1); rc=$?
assert_eq "forward takes on or off" "2 nftbusctl: forward takes on or off, not 'maybe'" "$rc $out"
nftbusctl zone default lab
assert_eq "zone default" "lab" "$(nftbusctl zone default)"
out=$(nftbusctl zone delete lab 2>&1); rc=$?
assert_eq "the default zone cannot be deleted" \
        "1 Failed to delete the zone: Zone lab is the default zone: make another the default first (org.nftbus.Firewall1.Error.Rejected)" \
        "$rc $out"
nftbusctl zone default public
assert_eq "then it can" "0" "$(nftbusctl zone delete lab; echo $?)"
# the default zone is runtime and permanent at once, as firewall-cmd --set-default-zone
nftbusctl zone default home
assert_eq "zone default home: at runtime" "home" "$(nftbusctl zone default)"
assert_eq "and in nftbus.conf" "DefaultZone=home" "$(grep '^DefaultZone=' "$CONFIGURATION_DIRECTORY/nftbus.conf")"
nftbusctl reload
assert_eq "so a reload keeps it" "home" "$(nftbusctl zone default)"
nftbusctl zone enable
nftbusctl zone default --permanent work
assert_eq "--permanent: the file only" "DefaultZone=work|home" \
        "$(grep '^DefaultZone=' "$CONFIGURATION_DIRECTORY/nftbus.conf")|$(nftbusctl zone default)"
nftbusctl reload
assert_eq "until a reload" "work" "$(nftbusctl zone default)"
# (a reload takes the permanent Zones= too: off here, as the harness starts)
nftbusctl zone enable
nftbusctl zone default public
out=$(nftbusctl zone delete home 2>&1); rc=$?
assert_eq "a built-in zone cannot (2)" \
        "2 Failed to delete the zone: Zone home is built in: it can be changed, not deleted (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl zone add-port home 22 2>&1); rc=$?
assert_eq "a port without its protocol: usage (2)" \
        "2 Failed to add the port: Invalid port '22': PORT/PROTOCOL or FROM-TO/PROTOCOL, the protocol tcp, udp, sctp or dccp (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl zone add-port nowhere 22/tcp 2>&1); rc=$?
assert_eq "a zone that is not there: not found (3)" \
        "3 Failed to add the port: No zone 'nowhere' (org.nftbus.Firewall1.Error.NotFound)" "$rc $out"
out=$(nftbusctl zone add-service home 2>&1); rc=$?
assert_eq "too few arguments: usage" "2 nftbusctl: usage: nftbusctl zone add-service [--timeout SECONDS] [--permanent] ZONE SERVICE" "$rc $out"
assert_eq "reload: the running zones are the permanent ones again" "dhcpv6-client https mdns samba-client ssh" \
        "$(nftbusctl reload && nftbusctl --json zone show home | jq -r '.services | join(" ")')"
assert_eq "panic on and off" "b true|b false" \
        "$(nftbusctl panic on; bus get-property $BUS_NAME $ROOT $IFACE.Manager Panic)|$(nftbusctl panic off; bus get-property $BUS_NAME $ROOT $IFACE.Manager Panic)"
assert_eq "service show" "$(printf '%s\n' mdns \
        '  Multicast DNS: finding printers and other hosts on the local network by name (Avahi, Bonjour).' \
        '  ports        5353/udp' '  destinations 224.0.0.251 ff02::fb')" "$(nftbusctl service show mdns)"
assert_match "service list: firewalld's catalogue, by name" "^RH-Satellite-6 RH-Satellite-6-capsule afp .* cockpit .* dhcpv6-client .* sip sips .* zerotier$" \
        "$(nftbusctl service list | paste -sd' ')"
out=$(nftbusctl service show telepathy 2>&1); rc=$?
assert_eq "an unknown service" \
        "3 Failed to show the service: Unknown service 'telepathy': not in the catalogue of services (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"
# firewall-cmd's habits
nftbusctl zone enable
answer() { local out; out=$(nftbusctl "$@"); echo "$out $?"; }
out=$(nftbusctl zone add-servce public http 2>&1); rc=$?
assert_eq "a mistyped command: the nearest is suggested, usage (2)" \
        "2 nftbusctl: zone has no command 'add-servce'; did you mean 'add-service'?" "$rc $(head -n 1 <<<"$out")"
out=$(nftbusctl zone add-service public ssh 2>&1); rc=$?
assert_eq "adding what is there: a warning, exit 0, as firewall-cmd" \
        "0 Warning: ALREADY_ENABLED: Zone public has ssh already" "$rc $out"
out=$(nftbusctl zone remove-port public 9/udp 2>&1); rc=$?
assert_eq "removing what is not there: a warning, exit 0" "0 Warning: NOT_ENABLED: Zone public does not have 9/udp" \
        "$rc $out"
assert_eq "options after the arguments, as systemctl takes them" "service=http" \
        "$(nftbusctl zone add-service public http --permanent && grep -x service=http "$CONFIGURATION_DIRECTORY/zones/public.zone")"
nftbusctl zone add-interface home wlan9
nftbusctl zone add-source work 198.51.100.0/24
assert_eq "zone active: the zones with interfaces or sources" \
        "$(printf '%s\n' home '  interfaces: wlan9' work '  sources: 198.51.100.0/24')" "$(nftbusctl zone active)"
assert_eq "zone active --json" '[{"name":"home","interfaces":["wlan9"],"sources":[]},{"name":"work","interfaces":[],"sources":["198.51.100.0/24"]}]' \
        "$(nftbusctl --json zone active | jq -c .)"
assert_eq "zone of-interface; an unbound one is the default zone's" "home|public" \
        "$(nftbusctl zone of-interface wlan9)|$(nftbusctl zone of-interface eth7)"
out=$(nftbusctl zone of-source 203.0.113.1 2>&1); rc=$?
assert_eq "zone of-source: a source in no zone is not found (3)" \
        "3 Failed to find the source's zone: Source 203.0.113.1 is bound to no zone (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"
assert_eq "zone of-source --json" '{"zone":"work"}' "$(nftbusctl --json zone of-source 198.51.100.0/24 | jq -c .)"
assert_eq "query verbs: yes (0) and no (1), as firewall-cmd --query-*" "yes 0|no 1|yes 0|no 1" \
        "$(answer zone query-service public ssh)|$(answer zone query-port public 9/udp)|$(answer zone query-interface home wlan9)|$(answer zone query-masquerade public)"
assert_eq "query --json" '{"enabled":true}' "$(nftbusctl --json zone query-source work 198.51.100.0/24 | jq -c .)"
nftbusctl zone add-port work 6000-6010/tcp
nftbusctl zone add-port work webcache/tcp
assert_eq "ports as firewall-cmd reads them: a name is its number, a query inside a range is yes" \
        "6000-6010/tcp 8080/tcp|yes 0|yes 0|no 1|yes 0" \
        "$(nftbusctl --json zone show work | jq -r '.ports | join(" ")')|$(answer zone query-port work 6005/tcp)|$(
           answer zone query-port work 6001-6002/tcp)|$(answer zone query-port work 6005-6011/tcp)|$(
           answer zone query-port work http-alt/tcp)"
nftbusctl zone add-service --timeout 1 work ftp
assert_eq "zone add-service --timeout: in force, then taken back" "yes 0|no 1" \
        "$(answer zone query-service work ftp)|$(wait_until "no 1" answer zone query-service work ftp; answer zone query-service work ftp)"
out=$(nftbusctl zone add-interface --timeout 5 work eth5 2>&1); rc=$?
assert_eq "add-interface takes no --timeout" "2 nftbusctl: --timeout does not go with zone add-interface; see nftbusctl zone add-interface --help" "$rc $out"
nftbusctl zone remove-port work 6005/tcp
assert_eq "removing a port inside a range splits it" "6000-6004/tcp 6006-6010/tcp 8080/tcp" \
        "$(nftbusctl --json zone show work | jq -r '.ports | sort | join(" ")')"
assert_eq "panic query" "no 1" "$(answer panic query)"
assert_eq "zone default --json" '{"default_zone":"public"}' "$(nftbusctl --json zone default | jq -c .)"
assert_eq "zone show without a name: the default zone" "public" "$(nftbusctl zone show | head -n 1)"
nftbusctl zone add-port --permanent home 8082/tcp
assert_eq "zone show --permanent: the file's settings (Zone.GetPermanent), the running ones without" "8082/tcp|" \
        "$(nftbusctl --json zone show --permanent home | jq -r '.ports | join(" ")')|$(nftbusctl --json zone show home | jq -r '.ports | join(" ")')"
nftbusctl zone new --permanent lab2
nftbusctl zone new fleeting
out=$(nftbusctl zone show --permanent fleeting 2>&1); rc=$?
assert_eq "zone list --permanent: the zones with a file (lab2, not fleeting), the permanent default marked" \
        "lab2|public (default)|" \
        "$(nftbusctl zone list --permanent | grep -x -e lab2 -e 'public (default)' | paste -sd'|')|$(nftbusctl zone list --permanent | grep -x fleeting)"
assert_eq "zone default --permanent: nftbus.conf's (Manager.PermanentDefaultZone)" "public" \
        "$(nftbusctl zone default --permanent)"
assert_eq "a zone that runs only until a reload has no permanent settings" \
        "3 Failed to show the zone: Zone fleeting has no permanent configuration (it runs only until a reload) (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"

assert_eq "zone disable: the table goes" "none" \
        "$(nftbusctl zone disable; nft list table inet nftbus_zones >/dev/null 2>&1 && echo there || echo none)"

done_testing
