#!/usr/bin/env bash
# NAT over busctl, checked twice: the kernel's table inet nftbus_nat, and real packets. The test's
# namespace is the router (nftbusd runs there); a client and a server namespace hang off it on veth pairs:
#
#   client 10.0.1.2 ---- c-r | r-c 10.0.1.1  ROUTER  10.0.2.1 r-s | s-r ---- server 10.0.2.2
#
# The server answers every TCP connection on port 80 with the address it came from, and knows no route
# to the client's network: only a port forward (with masquerade) or its own route lets an answer back.
source "$(dirname "$0")/lib.sh"

P=$ROOT/nat
call() { bus call $BUS_NAME $P $IFACE.NAT "$@"; }
err() { busctl --system call $BUS_NAME $P $IFACE.NAT "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
rules() { nft -j list table inet nftbus_nat | jq -r '.nftables[] | select(.rule) | "\(.rule.chain): \(.rule.comment)"'; }

make_network
nsenter -t "$server" -n python3 -c "$ANSWER_PEER" 80 &
_network_pids+=" $!"
# connect HOST PORT (from the client): what the server answered, or how it failed
connect() { connect_from in_client 10.0.1.2 "$1" "$2"; }
wait_listening 80 in_server

bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl Set ss net.ipv4.ip_forward 1
assert_eq "without NAT, nothing listens on the router's port 8080" "refused" "$(connect 10.0.1.1 8080)"

# a port forward
id=$(call PortForward 'sqsqa{sv}' tcp 8080 10.0.2.2 80 1 in_interface s r-c | cut -d'"' -f2)
assert_match "PortForward returns an id" '^[0-9a-f]{8}$' "$id"
assert_eq "the same call again returns the same id" "s \"$id\"" \
        "$(call PortForward 'sqsqa{sv}' tcp 8080 10.0.2.2 80 1 in_interface s r-c)"
assert_eq "and the kernel has one rule, in prerouting" \
        "prerouting: port-forward family=ipv4 iif=r-c proto=tcp port=8080 to=10.0.2.2 to_port=80" "$(rules)"
assert_eq "the table's base chains: nat at dstnat and srcnat" \
        '[["postrouting","nat","postrouting",100],["prerouting","nat","prerouting",-100]]' \
        "$(nft -j list table inet nftbus_nat | jq -c '[.nftables[] | select(.chain) | .chain | [.name, .type, .hook, .prio]] | sort')"
assert_eq "forwarded, but the server has no way back yet" "no answer" "$(connect 10.0.1.1 8080)"

# masquerade: the server sees the router
masq=$(call Masquerade 'sa{sv}' r-s 0 | cut -d'"' -f2)
assert_eq "with Masquerade, a connection to router:8080 reaches server:80, which sees the router" "10.0.2.1" \
        "$(connect 10.0.1.1 8080)"
assert_eq "Remove of the masquerade" "" "$(call Remove s "$masq")"
in_server ip route add 10.0.1.0/24 via 10.0.2.1
assert_eq "without it, with a route back, the server sees the client itself" "10.0.1.2" "$(connect 10.0.1.1 8080)"
assert_eq "Remove of the port forward" "" "$(call Remove s "$id")"
assert_eq "and the forward is gone" "refused" "$(connect 10.0.1.1 8080)"
assert_eq "the kernel has no rules left" "" "$(rules)"
assert_eq "Remove again is NotFound" "No NAT entry with that id; List shows them" "$(err Remove s "$id")"

# every kind, IPv4 and IPv6, as the kernel has them and as List shows them
call Masquerade 'sa{sv}' r-s 1 family s ipv6 >/dev/null
call PortForward 'sqsqa{sv}' udp 53 2001:db8::53 0 1 source s 2001:db8:1::/48 >/dev/null
call SourceNat 'ssa{sv}' r-s 198.51.100.1 1 source s 10.1.0.0/16 >/dev/null
call DestinationNat 'ssa{sv}' 198.51.100.2 10.0.2.2 3 protocol s tcp port u 443 to_port u 80 >/dev/null
call StaticNat 'ssa{sv}' 198.51.100.10 10.0.2.10 0 >/dev/null
call Redirect 'sqqa{sv}' tcp 80 3128 1 in_interface s r-c >/dev/null
assert_eq "the kernel's rules, each with its description" "$(printf '%s\n' \
        'prerouting: port-forward family=ipv6 src=2001:db8:1::/48 proto=udp port=53 to=2001:db8::53' \
        'prerouting: dnat family=ipv4 dst=198.51.100.2 proto=tcp port=443 to=10.0.2.2 to_port=80' \
        'prerouting: static family=ipv4 dst=198.51.100.10 to=10.0.2.10' \
        'prerouting: redirect iif=r-c proto=tcp port=80 to_port=3128' \
        'postrouting: static family=ipv4 dst=198.51.100.10 to=10.0.2.10' \
        'postrouting: snat family=ipv4 oif=r-s src=10.1.0.0/16 to=198.51.100.1' \
        'postrouting: masquerade family=ipv6 oif=r-s')" "$(rules)"
assert_eq "the rules themselves" "$(printf '%s\n' \
        'ip6 saddr 2001:db8:1::/48 udp dport 53 dnat ip6 to 2001:db8::53' \
        'ip daddr 198.51.100.2 tcp dport 443 dnat ip to 10.0.2.2:80' \
        'ip daddr 198.51.100.10 dnat ip to 10.0.2.10' \
        'iifname "r-c" tcp dport 80 redirect to :3128' \
        'ip saddr 10.0.2.10 snat ip to 198.51.100.10' \
        'oifname "r-s" ip saddr 10.1.0.0/16 snat ip to 198.51.100.1' \
        'oifname "r-s" meta nfproto ipv6 masquerade')" \
        "$(nft list table inet nftbus_nat | sed -n 's/^\t\t\(.*\) comment .*/\1/p')"
assert_eq "List: one entry per call, static's two rules as one" \
        "dnat masquerade port-forward redirect snat static" \
        "$(call List --json=short | jq -r '[.data[0][][1]] | sort | join(" ")')"
assert_eq "List's parameters" \
        '{"destination":"198.51.100.2","family":"ipv4","port":443,"protocol":"tcp","to_address":"10.0.2.2","to_port":80}' \
        "$(call List --json=short | jq -cS '.data[0][] | select(.[1] == "dnat") | .[2] | map_values(.data)')"
assert_eq "removing static removes both its rules" "" \
        "$(call Remove s "$(call List --json=short | jq -r '.data[0][] | select(.[1] == "static") | .[0]')"
           rules | grep static)"

# order by specificity, whatever the call order (with packets): start from no entries
for id in $(call List --json=short | jq -r '.data[0][][0]'); do call Remove s "$id"; done
assert_eq "no entries left" "" "$(rules)"
in_server ip route del 10.0.1.0/24 via 10.0.2.1
ip addr add 10.0.2.100/32 dev r-s # the public address of the client's static NAT, on the server's side
call Masquerade 'sa{sv}' r-s 0 >/dev/null
assert_eq "masquerade alone: the server sees the router" "10.0.2.1" "$(connect 10.0.2.2 80)"
static=$(call StaticNat 'ssa{sv}' 10.0.2.100 10.0.1.2 0 | cut -d'"' -f2)
assert_eq "a static NAT after the masquerade still comes first: the server sees the client's public address" \
        "10.0.2.100" "$(connect 10.0.2.2 80)"
assert_eq "in postrouting the static rule stands before the masquerade" \
        "postrouting: static family=ipv4 dst=10.0.2.100 to=10.0.1.2,postrouting: masquerade oif=r-s" \
        "$(rules | grep postrouting | paste -sd,)"
snat=$(call SourceNat 'ssa{sv}' r-s 10.0.2.1 1 source s 10.0.1.0/24 | cut -d'"' -f2)
assert_eq "a source-specific SNAT goes between them" \
        "static,snat,masquerade" "$(rules | sed -n 's/^postrouting: \([a-z-]*\) .*/\1/p' | paste -sd,)"
assert_eq "List gives them in that order" "$static $snat" \
        "$(call List --json=short | jq -r '[.data[0][] | select(.[1] != "masquerade") | .[0]] | join(" ")')"
call Remove s "$static"; call Remove s "$snat"
forward=$(call PortForward 'sqsqa{sv}' tcp 8080 10.0.2.2 80 1 in_interface s r-c | cut -d'"' -f2)
assert_eq "a port forward from the client's side" "10.0.2.1" "$(connect 10.0.1.1 8080)"
call DestinationNat 'ssa{sv}' 10.0.1.1 10.0.2.2 3 protocol s tcp port u 8080 to_port u 81 >/dev/null
assert_eq "a DNAT of the one address, added after it, comes first: to port 81, where nothing listens" \
        "refused" "$(connect 10.0.1.1 8080)"
for id in $(call List --json=short | jq -r '.data[0][][0]'); do call Remove s "$id"; done
call DestinationNat 'ssa{sv}' 10.0.1.1 10.0.2.2 3 protocol s tcp port u 8080 to_port u 81 >/dev/null
call PortForward 'sqsqa{sv}' tcp 8080 10.0.2.2 80 1 in_interface s r-c >/dev/null
call Masquerade 'sa{sv}' r-s 0 >/dev/null
assert_eq "and the other way round, the same" "refused" "$(connect 10.0.1.1 8080)"
for id in $(call List --json=short | jq -r '.data[0][][0]'); do call Remove s "$id"; done

# breadth: port ranges, sctp and udplite, networks mapped 1:1, interfaces that do not exist yet
call PortForward 'sqsqa{sv}' tcp 8000 10.0.2.2 80 1 port_last u 8010 >/dev/null
call Masquerade 'sa{sv}' r-s 0 >/dev/null
assert_eq "a port range forward: its first port" "10.0.2.1" "$(connect 10.0.1.1 8000)"
assert_eq "its last port" "10.0.2.1" "$(connect 10.0.1.1 8010)"
assert_eq "the port after it is not forwarded" "refused" "$(connect 10.0.1.1 8011)"
in_client ip addr add 10.0.1.7/24 dev c-r
call StaticNat 'ssa{sv}' 10.0.2.96/29 10.0.1.0/29 0 >/dev/null
ip addr add 10.0.2.103/32 dev r-s; ip addr add 10.0.2.98/32 dev r-s
assert_eq "a network mapped onto a network: 10.0.1.7 leaves as 10.0.2.103, before the masquerade" "10.0.2.103" \
        "$(connect_from in_client 10.0.1.7 10.0.2.2 80)"
assert_eq "and 10.0.1.2 as 10.0.2.98" "10.0.2.98" "$(connect_from in_client 10.0.1.2 10.0.2.2 80)"
call PortForward 'sqsqa{sv}' sctp 9000 10.0.2.2 9000 0 >/dev/null
call Redirect 'sqqa{sv}' udplite 5000 0 1 port_last u 5010 >/dev/null
call Masquerade 'sa{sv}' wg7 0 >/dev/null
assert_eq "their rules, each chain by specificity" "$(printf '%s\n' \
        'ip daddr 10.0.2.96/29 dnat ip prefix to ip daddr map { 10.0.2.96/29 : 10.0.1.0/29 }' \
        'sctp dport 9000 dnat ip to 10.0.2.2:9000' \
        'tcp dport 8000-8010 dnat ip to 10.0.2.2:80' \
        'udplite dport 5000-5010 redirect' \
        'ip saddr 10.0.1.0/29 snat ip prefix to ip saddr map { 10.0.1.0/29 : 10.0.2.96/29 }' \
        'oifname "r-s" masquerade' \
        'oifname "wg7" masquerade')" \
        "$(nft list table inet nftbus_nat | sed -n 's/^\t\t\(.*\) comment .*/\1/p')"
assert_eq "List: each range's port_last" "[8010,5010]" \
        "$(call List --json=short | jq -c '[.data[0][] | .[2].port_last.data // empty]')"
assert_eq "List: the interface that does not exist" '[["wg7"]]' \
        "$(call List --json=short | jq -c '[.data[0][] | .[2].absent_interfaces.data // empty]')"
for id in $(call List --json=short | jq -r '.data[0][][0]'); do call Remove s "$id"; done
in_server ip route add 10.0.1.0/24 via 10.0.2.1

# refusals change nothing
before=$(nft -j list table inet nftbus_nat)
assert_eq "mixed families" "The addresses must all be IPv4 or all IPv6" \
        "$(err StaticNat 'ssa{sv}' 198.51.100.11 2001:db8::11 0)"
assert_eq "a protocol nftbus does not forward" "Invalid protocol 'icmp': expected tcp, udp, sctp or udplite" \
        "$(err PortForward 'sqsqa{sv}' icmp 80 10.0.2.2 80 0)"
assert_eq "a range that ends below its start" "Invalid port_last 79: expected 81 to 65535, above the port" \
        "$(err PortForward 'sqsqa{sv}' tcp 80 10.0.2.2 80 1 port_last u 79)"
assert_eq "networks of two sizes" \
        "public 198.51.100.0/24 and private 10.0.0.0/16 differ in length: a static NAT maps an address onto an address, a prefix onto a prefix of the same length" \
        "$(err StaticNat 'ssa{sv}' 198.51.100.0/24 10.0.0.0/16 0)"
assert_eq "port 0" "Invalid port 0: expected 1 to 65535" "$(err PortForward 'sqsqa{sv}' tcp 0 10.0.2.2 80 0)"
assert_eq "a prefix where one address is needed" "Invalid to_address '10.0.2.0/24': one address, not a prefix" \
        "$(err PortForward 'sqsqa{sv}' tcp 80 10.0.2.0/24 80 0)"
assert_eq "a host name" "Invalid to_address 'server.example': expected an IPv4 or IPv6 address" \
        "$(err PortForward 'sqsqa{sv}' tcp 80 server.example 80 0)"
assert_eq "an injection attempt" \
        "Invalid out_interface 'eth0\"; flush ruleset': an interface name has 1 to 15 letters, digits, '_', '.', '-', '@' or '+'" \
        "$(err Masquerade 'sa{sv}' 'eth0"; flush ruleset' 0)"
assert_eq "an unknown option" "Unknown option 'colour'" "$(err Masquerade 'sa{sv}' r-s 1 colour s red)"
assert_eq "an option of the wrong type" "Option 'source' takes a value of D-Bus type 's', not 'u'" \
        "$(err Masquerade 'sa{sv}' r-s 1 source u 1)"
assert_eq "a family that is not one" "Invalid family: expected ipv4 or ipv6 (both when not given)" \
        "$(err Masquerade 'sa{sv}' r-s 1 family s ipx)"
assert_eq "an id that is not one" "Invalid NAT entry id 'x; y': expected 8 hex digits, as List shows" \
        "$(err Remove s 'x; y')"
assert_eq "the table is as it was" "$before" "$(nft -j list table inet nftbus_nat)"

# polkit: the unprivileged test user has no nat rights
assert_eq "the test user may not add NAT entries" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.nat" \
        "$(as_user gdbus_call $P $IFACE.NAT.Masquerade r-c '{}')"

done_testing
