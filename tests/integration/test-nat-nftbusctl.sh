#!/usr/bin/env bash
# nftbusctl nat: every kind of entry, list (text and --json), remove, and the usage errors.
source "$(dirname "$0")/lib.sh"

rules() { nft -j list table inet nftbus_nat | jq -r '.nftables[] | select(.rule) | .rule.comment' | sort; }

id=$(nftbusctl nat forward tcp 8080 10.0.2.2 80 in_interface=r-c)
assert_match "nat forward prints the entry's id" '^[0-9a-f]{8}$' "$id"
assert_eq "the same again prints the same id" "$id" "$(nftbusctl nat forward tcp 8080 10.0.2.2 80 in_interface=r-c)"
assert_eq "--json" "{\"id\":\"$id\"}" "$(nftbusctl --json nat forward tcp 8080 10.0.2.2 80 in_interface=r-c | jq -c .)"
nftbusctl nat masquerade wan0 family=ipv4 source=10.0.1.0/24 >/dev/null
nftbusctl nat snat wan0 198.51.100.1 source=10.1.0.0/16 >/dev/null
nftbusctl nat dnat 198.51.100.2 10.0.2.2 protocol=tcp port=443 to_port=80 >/dev/null
nftbusctl nat static 198.51.100.10 10.0.2.10 >/dev/null
nftbusctl nat redirect tcp 80 3128 in_interface=r-c >/dev/null
assert_eq "the kernel has every entry" "$(printf '%s\n' \
        'dnat family=ipv4 dst=198.51.100.2 proto=tcp port=443 to=10.0.2.2 to_port=80' \
        'masquerade family=ipv4 oif=wan0 src=10.0.1.0/24' \
        'port-forward family=ipv4 iif=r-c proto=tcp port=8080 to=10.0.2.2 to_port=80' \
        'redirect iif=r-c proto=tcp port=80 to_port=3128' \
        'snat family=ipv4 oif=wan0 src=10.1.0.0/16 to=198.51.100.1' \
        'static family=ipv4 dst=198.51.100.10 to=10.0.2.10' \
        'static family=ipv4 dst=198.51.100.10 to=10.0.2.10')" "$(rules)"
assert_eq "nat list: id, kind, parameters, and that r-c does not exist here" \
        "$id port-forward family=ipv4 in_interface=r-c protocol=tcp port=8080 to_address=10.0.2.2 to_port=80 absent_interfaces=r-c" \
        "$(nftbusctl nat list | grep port-forward)"
assert_eq "nat list --json" \
        "{\"id\":\"$id\",\"kind\":\"port-forward\",\"parameters\":{\"family\":\"ipv4\",\"in_interface\":\"r-c\",\"protocol\":\"tcp\",\"port\":8080,\"to_address\":\"10.0.2.2\",\"to_port\":80,\"absent_interfaces\":[\"r-c\"]}}" \
        "$(nftbusctl --json nat list | jq -c '.[] | select(.kind == "port-forward")')"
assert_eq "six entries" "6" "$(nftbusctl --json nat list | jq length)"
ip link add wan0 type veth peer name wan0-peer
assert_eq "once wan0 exists, its entries have no absent interface" "" \
        "$(nftbusctl nat list | grep wan0 | grep absent)"
range=$(nftbusctl nat forward udp 6000-6010 10.0.2.2 0)
assert_eq "a port range: PORT-LAST" "udp dport 6000-6010 dnat ip to 10.0.2.2" \
        "$(nft list table inet nftbus_nat | sed -n 's/^\t\t\(.*\) comment "port-forward.*6000.*/\1/p')"
assert_eq "listed with port_last" "$range port-forward family=ipv4 protocol=udp port=6000 port_last=6010 to_address=10.0.2.2" \
        "$(nftbusctl nat list | grep 6000)"
nftbusctl nat remove "$range"
assert_eq "nat remove" "0" "$(nftbusctl nat remove "$id"; echo $?)"
assert_eq "and it is gone" "" "$(nftbusctl nat list | grep port-forward)"
out=$(nftbusctl nat remove "$id" 2>&1); rc=$?
assert_eq "removing it again: not found (3)" \
        "3 Failed to remove the NAT entry: No NAT entry with that id; List shows them (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"

before=$(nft -j list ruleset)
out=$(nftbusctl nat forward tcp 80 10.0.2.2 2>&1); rc=$?
assert_eq "too few arguments: usage (2)" \
        "2 nftbusctl: usage: nftbusctl nat forward PROTOCOL PORT[-LAST] TO_ADDRESS TO_PORT [in_interface=IF] [source=PREFIX]" \
        "$rc $out"
out=$(nftbusctl nat forward tcp 80 10.0.2.2 99999 2>&1); rc=$?
assert_eq "a port that is not one: usage (2)" "2 nftbusctl: '99999' is not a port (0 to 65535)" "$rc $out"
out=$(nftbusctl nat forward tcp 80-x 10.0.2.2 80 2>&1); rc=$?
assert_eq "a range that is not one: usage (2)" "2 nftbusctl: '80-x' is not a port or a range of ports (FIRST-LAST)" \
        "$rc $out"
out=$(nftbusctl nat forward tcp 80 10.0.2.2 80-81 2>&1); rc=$?
assert_eq "a range where one port goes: usage (2)" \
        "2 nftbusctl: '80-81' is not a port or a range of ports (FIRST-LAST)" "$rc $out"
out=$(nftbusctl nat forward tcp 90-80 10.0.2.2 80 2>&1); rc=$?
assert_eq "a range backwards: the service says so (2)" \
        "2 Failed to add the NAT entry: Invalid port_last 80: expected 91 to 65535, above the port (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl nat masquerade wan0 colour=red 2>&1); rc=$?
assert_eq "an option nat does not know" \
        "2 nftbusctl: 'colour=red' is not NAME=VALUE with one of the names: in_interface source family protocol port port_last to_port" \
        "$rc $out"
out=$(nftbusctl nat masquerade wan0 to_port=1 2>&1); rc=$?
assert_eq "an option this kind does not take: the service says so (2)" \
        "2 Failed to add the NAT entry: Unknown option 'to_port' (org.nftbus.Firewall1.Error.InvalidArgument)" "$rc $out"
out=$(nftbusctl nat dnat 198.51.100.2 10.0.2.2 port=x 2>&1); rc=$?
assert_eq "a number that is not one" "2 nftbusctl: port takes a number from 0 to 4294967295, not 'x'" "$rc $out"
out=$(nftbusctl nat teleport 1 2>&1); rc=$?
assert_eq "a kind that is not one: usage" "2" "$rc"
assert_eq "nothing changed" "$before" "$(nft -j list ruleset)"

done_testing
