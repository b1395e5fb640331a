#!/usr/bin/env bash
# The same packets as firewalld, for what firewall-cmd configures alike (firewalld's nftables backend is the
# reference): the block zone refuses pings too; neighbour discovery is answered whatever the zone, so a zone
# that drops still serves IPv6 what it allows; IPv6's reverse path is checked; a local redirect is IPv4's
# only; an IPv6 forward port with an address forwards; forwarding is filtered by the zone a packet comes from
# (within a zone that forwards, to its own interfaces; between zones, nothing; trusted, anywhere), and the
# NAT interface composes (its port forwards go through, its masquerade where the zones forward).
source "$(dirname "$0")/lib.sh"

Z=$ROOT/zone
zone() { local name=$1; shift; bus call $BUS_NAME $Z/$name $IFACE.Zone "$@"; }
manager() { bus call $BUS_NAME $ROOT $IFACE.Manager "$@"; }

make_network
python3 -c "$ANSWER_PEER" 22 80 &
_network_pids+=" $!"
nsenter -t "$server" -n python3 -c "$ANSWER_PEER" 80 &
_network_pids+=" $!"
wait_listening 22; wait_listening 80 in_server
in_server ip -6 route add default via fd00:2::1
in_server ip route add default via 10.0.2.1
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
from() { connect_from in_client "$@"; }
# ping4|ping6: "answered", "refused" (an ICMP error came back) or "no answer"
ping_from_client() {
        local out
        out=$(in_client ping -n -c 1 -W 1 "$1" 2>&1)
        if grep -q ' 0% packet loss' <<<"$out"; then echo answered
        elif grep -qiE 'filtered|prohibited|unreachable' <<<"$out"; then echo refused
        else echo "no answer"; fi
}
manager SetZonesEnabled 'ba{sv}' true 0
manager SetZonesEnabled 'ba{sv}' true 1 permanent b true

# the block zone: REJECT refuses everything, pings included; the default target answers them
assert_eq "public (target default) answers a ping" answered "$(ping_from_client 10.0.1.1)"
zone block AddInterface 'sa{sv}' r-c 0
assert_eq "block (target REJECT) refuses it, as firewalld does" "refused|refused" \
        "$(ping_from_client 10.0.1.1)|$(ping_from_client fd00:1::1)"
zone block RemoveInterface 'sa{sv}' r-c 0

# a zone that drops, with ssh allowed: over IPv6 the neighbours must be found first
zone drop AddService 'sa{sv}' ssh 0
zone drop AddInterface 'sa{sv}' r-c 0
ip -6 neigh flush dev r-c
in_client ip -6 neigh flush dev c-r
assert_eq "drop with ssh: ssh answers over IPv6 (neighbour discovery is let in before the zone)" "fd00:1::2" \
        "$(from fd00:1::2 fd00:1::1 22)"
assert_eq "and what drop does not allow gets no answer" "no answer" "$(from fd00:1::2 fd00:1::1 80)"
zone drop RemoveInterface 'sa{sv}' r-c 0

# IPv6's reverse path: a source that would route back another way is dropped before any zone
zone trusted AddInterface 'sa{sv}' r-c 0
nft add table inet probe
nft add chain inet probe input '{ type filter hook input priority 100; }'
nft add rule inet probe input ip6 saddr fd00:2::99 counter
in_client ip addr add fd00:2::99/128 dev c-r nodad
in_client python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("fd00:2::99", 0))
for _ in range(3): s.sendto(b"x", ("fd00:1::1", 9))'
assert_eq "a spoofed IPv6 source (fd00:2::99 is behind r-s) never reaches the host, trusted zone or not" "0" \
        "$(nft -j list chain inet probe input | jq '.nftables[] | select(.rule) | .rule.expr[1].counter.packets')"
in_client python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("fd00:1::2", 0))
s.sendto(b"x", ("fd00:1::1", 9))'
assert_eq "the client's own source does" "fd00:1::2" "$(from fd00:1::2 fd00:1::1 80)"
nft delete table inet probe
zone trusted RemoveInterface 'sa{sv}' r-c 0

# forward ports in external: a redirect without an address is IPv4's; one with an IPv6 address forwards
zone external AddInterface 'sa{sv}' r-c 0
zone external AddForwardPort 'sa{sv}' port=2222:proto=tcp:toport=22 0
assert_eq "port 2222 redirected to 22 over IPv4" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 2222)"
# what reaches the host's input over IPv6, before the zones decide: port 2222 as sent, or 22 if redirected
nft add table inet probe
nft add chain inet probe input '{ type filter hook input priority -200; }'
nft add rule inet probe input ip6 saddr fd00:1::2 tcp dport 2222 counter
nft add rule inet probe input ip6 saddr fd00:1::2 tcp dport 22 counter
from fd00:1::2 fd00:1::1 2222 >/dev/null
assert_eq "over IPv6 it is not redirected (firewalld's is IPv4's only): 2222 arrives as 2222, nothing as 22" "1|0" \
        "$(nft -j list chain inet probe input | jq -r '[.nftables[] | select(.rule) | .rule.expr[2].counter.packets | if . > 0 then 1 else 0 end] | join("|")')"
nft delete table inet probe
zone external AddForwardPort 'sa{sv}' port=9001:proto=tcp:toport=80:toaddr=fd00:2::2 0
assert_eq "an IPv6 forward port with an address is taken, as firewall-cmd writes it" \
        'as 2 "port=2222:proto=tcp:toport=22" "port=9001:proto=tcp:toport=80:toaddr=fd00:2::2"' \
        "$(bus get-property $BUS_NAME $Z/external $IFACE.Zone ForwardPorts)"
assert_eq "and forwards to the server, which sees the client" "fd00:1::2" "$(from fd00:1::2 fd00:1::1 9001)"
zone external RemoveInterface 'sa{sv}' r-c 0

# forwarding, from the server's side (r-s) to the client's (r-c): the zone it comes from decides
nsenter -t "$client" -n python3 -c "$ANSWER_PEER" 9000 &
_network_pids+=" $!"
wait_listening 9000 in_client
to_client() { connect_from in_server 10.0.2.2 10.0.1.2 9000; }
assert_eq "both in no zone (public, the default): not forwarded, refused as firewalld refuses it" "unreachable" \
        "$(to_client)"
zone internal AddInterface 'sa{sv}' r-s 0
zone internal AddInterface 'sa{sv}' r-c 0
assert_eq "both bound to internal, which forwards within itself: forwarded" "10.0.2.2" "$(to_client)"
zone internal SetForward 'ba{sv}' false 0
assert_eq "internal told not to forward: refused" "unreachable" "$(to_client)"
assert_eq "its Forward property says so" "b false" "$(bus get-property $BUS_NAME $Z/internal $IFACE.Zone Forward)"
zone internal SetForward 'ba{sv}' true 0
zone external ChangeInterface 'sa{sv}' r-c 0
assert_eq "the LAN in internal, the outside in external with masquerade: not forwarded between zones" "unreachable" \
        "$(to_client)"
zone drop ChangeInterface 'sa{sv}' r-s 0
assert_eq "from drop: dropped" "no answer" "$(to_client)"
zone trusted ChangeInterface 'sa{sv}' r-s 0
assert_eq "from trusted: forwarded anywhere, and masqueraded by external" "10.0.1.1" "$(to_client)"
nft flush ruleset
manager Reload 'a{sv}' 0
zone internal AddInterface 'sa{sv}' r-s 0
assert_eq "the same after a reload: internal alone forwards nothing to the default zone" "unreachable" "$(to_client)"

# the NAT interface beside zones that filter forwarding: what its port forward sends is forwarded (a dnat
# is accepted, as firewalld accepts it); what its masquerade would take out is forwarded only where the
# zones forward
nat() { bus call $BUS_NAME $ROOT/nat $IFACE.NAT "$@" | cut -d'"' -f2; }
pf=$(nat PortForward 'sqsqa{sv}' tcp 8081 10.0.2.2 80 1 in_interface s r-c)
assert_eq "a NAT port forward through public (which forwards nothing between zones): the server answers" \
        "10.0.1.2" "$(connect_from in_client 10.0.1.2 10.0.1.1 8081)"
masq=$(nat Masquerade 'sa{sv}' r-c 0)
zone internal RemoveInterface 'sa{sv}' r-s 0
assert_eq "NAT's masquerade out of r-c: from the default zone not forwarded, the zones decide" "unreachable" \
        "$(to_client)"
zone trusted AddInterface 'sa{sv}' r-s 0
assert_eq "from trusted: forwarded, and NAT's masquerade applies" "10.0.1.1" "$(to_client)"
bus call $BUS_NAME $ROOT/nat $IFACE.NAT Remove s "$pf"
bus call $BUS_NAME $ROOT/nat $IFACE.NAT Remove s "$masq"

done_testing
