#!/usr/bin/env bash
# The presets, checked with real packets (make_network in lib.sh: client -- HERE -- server, nftbusd
# runs HERE). This namespace is first a workstation, then a server, then the router between the two.
source "$(dirname "$0")/lib.sh"

P=$ROOT/preset
apply() { local name=$1; shift; bus call $BUS_NAME $P/$name $IFACE.Preset Apply 'a{sv}' "$@"; }
nat() { bus call $BUS_NAME $ROOT/nat $IFACE.NAT "$@" | sed 's/^s "\(.*\)"$/\1/'; }
apply_batch() { bus call $BUS_NAME $ROOT $IFACE.Manager Apply 'sa{sv}' "$1" 0 >/dev/null; }
delete_table() { bus call $BUS_NAME $ROOT/table/inet/$1 $IFACE.Table Delete; }
# rule COMMENT-FREE-TEXT: "handle packets" of the server table's rule that reads so
rule_counter() {
        nft -a list table inet nftbus_server |
                sed -n "s/^\t\t$1 counter packets \([0-9]*\) bytes [0-9]* accept comment .* # handle \([0-9]*\)$/\2 \1/p"
}

make_network
python3 -c "$ANSWER_PEER" 22 8080 &
_network_pids+=" $!"
nsenter -t "$server" -n python3 -c "$ANSWER_PEER" 80 25 &
_network_pids+=" $!"
nsenter -t "$client" -n python3 -c "$ANSWER_PEER" 9000 &
_network_pids+=" $!"
wait_listening 8080; wait_listening 80 in_server; wait_listening 9000 in_client
for a in 3 4 5 6 8; do in_client ip addr add 10.0.1.$a/24 dev c-r; done
in_client ip addr add fd00:1::3/64 dev c-r nodad
from() { connect_from in_client "$@"; }

# --- workstation ---
assert_eq "before: port 8080 answers the client" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "workstation allowing ssh" 'o "/org/nftbus/Firewall1/table/inet/nftbus_5fworkstation"' \
        "$(apply workstation 1 services as 1 ssh)"
assert_eq "the ssh port answers over IPv4" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "and over IPv6" "fd00:1::2" "$(from fd00:1::2 fd00:1::1 22)"
assert_eq "port 8080 does not, over IPv4" "no answer" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "nor over IPv6" "no answer" "$(from fd00:1::2 fd00:1::1 8080)"
assert_eq "ping answers (allow_ping)" "1" \
        "$(in_client ping -c 1 -W 1 10.0.1.1 >/dev/null && in_client ping -6 -c 1 -W 1 fd00:1::1 >/dev/null && echo 1)"
apply workstation 2 services as 1 ssh allow_ping b false >/dev/null
assert_eq "without allow_ping it does not" "0" "$(in_client ping -c 1 -W 1 10.0.1.1 >/dev/null && echo 1 || echo 0)"
assert_eq "and IPv6 neighbour discovery still works: ssh over IPv6 from a new address" "fd00:1::3" \
        "$(from fd00:1::3 fd00:1::1 22)"
# with NAT: a redirect to an allowed service's port and to one that is not; both are the admin's intent
redirect=$(nat Redirect 'sqqa{sv}' tcp 2222 8080 1 in_interface s r-c)
assert_eq "workstation + a NAT redirect: the redirected port reaches its target, which the policy would drop" \
        "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 2222)"
assert_eq "while the target itself stays closed" "no answer" "$(from 10.0.1.2 10.0.1.1 8080)"
nat Remove s "$redirect" >/dev/null
delete_table nftbus_5fworkstation

# --- server ---
assert_eq "before: this host may connect to the server's smtp port" "10.0.2.1" "$(connect_from "" 10.0.2.1 10.0.2.2 25)"
# server_apply BLACKLIST_TIMEOUT
server_apply() {
        apply server 7 services as 2 ssh 8080 whitelist as 1 10.0.1.5 blacknets as 2 10.0.1.4/30 192.0.2.0/24 \
                blacklist as 3 10.0.1.3 fd00:1::3 "10.0.1.8 . 22" blacklist_timeout u "$1" \
                outgoing_reject as 1 smtp allow_ping b true
}
assert_eq "server" 'o "/org/nftbus/Firewall1/table/inet/nftbus_5fserver"' "$(server_apply 0)"
assert_eq "a source on no list gets the services" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "and a port that is not a service is rejected, not dropped" "unreachable" "$(from 10.0.1.2 10.0.1.1 9999)"
assert_eq "a blacklisted source is dropped" "no answer" "$(from 10.0.1.3 10.0.1.1 22)"
assert_eq "a blacklisted IPv6 source is dropped" "no answer" "$(from fd00:1::3 fd00:1::1 22)"
assert_eq "while the client's other IPv6 address gets in" "fd00:1::2" "$(from fd00:1::2 fd00:1::1 22)"
assert_eq "a source in blacknets is dropped" "no answer" "$(from 10.0.1.4 10.0.1.1 22)"
assert_eq "a whitelisted source inside blacknets gets in" "10.0.1.5" "$(from 10.0.1.5 10.0.1.1 22)"
assert_eq "to any port: at one that is no service it meets the closed port itself" "refused" \
        "$(from 10.0.1.5 10.0.1.1 9999)"
assert_eq "a source blacklisted on port 22 is dropped there" "no answer" "$(from 10.0.1.8 10.0.1.1 22)"
redirect=$(nat Redirect 'sqqa{sv}' tcp 2222 8080 1 in_interface s r-c)
assert_eq "server + a NAT redirect: the redirect reaches its target" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 2222)"
assert_eq "but a blacklisted source is dropped all the same" "no answer" "$(from 10.0.1.3 10.0.1.1 2222)"
nat Remove s "$redirect" >/dev/null
assert_eq "and gets the other services" "10.0.1.8" "$(from 10.0.1.8 10.0.1.1 8080)"
assert_eq "outgoing smtp is refused at once, here" "refused" "$(connect_from "" 10.0.2.1 10.0.2.2 25)"
ssh_before=$(rule_counter "tcp dport 22")
assert_match "the ssh rule counted the connections it let in" '^[0-9]+ [1-9][0-9]*$' "$ssh_before"

# only the lists change: the sets are updated, the rules and their counters stay
assert_eq "the same server, the blacklist's entries lasting two seconds" \
        'o "/org/nftbus/Firewall1/table/inet/nftbus_5fserver"' "$(server_apply 2)"
assert_eq "the ssh rule kept its handle and its counter" "$ssh_before" "$(rule_counter "tcp dport 22")"
assert_eq "the blacklisted source is dropped" "no answer" "$(from 10.0.1.3 10.0.1.1 22)"
sleep 2.2
assert_eq "once its entry timed out, it gets in" "10.0.1.3" "$(from 10.0.1.3 10.0.1.1 22)"

# nftfw's lists: networks in the blacklist, ports in the whitelist, services from some sources, outgoing
# rejects to some destinations; and a limit per source
apply server 5 services as 2 "22 from 10.0.1.2 fd00:1::2" "8080 limit 2/minute per-source" \
        whitelist as 1 "10.0.1.6 . 9999" blacklist as 2 10.0.1.4/31 fd00:1::3/128 \
        outgoing_reject as 1 "smtp to 10.0.2.2" allow_ping b true >/dev/null
assert_eq "ssh from a source it names" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "and from its IPv6 one" "fd00:1::2" "$(from fd00:1::2 fd00:1::1 22)"
assert_eq "not from another" "unreachable" "$(from 10.0.1.3 10.0.1.1 22)"
assert_eq "a blacklisted network: its first address dropped" "no answer" "$(from 10.0.1.4 10.0.1.1 8080)"
assert_eq "and its second" "no answer" "$(from 10.0.1.5 10.0.1.1 8080)"
assert_eq "the address after it gets the service" "10.0.1.6" "$(from 10.0.1.6 10.0.1.1 8080)"
assert_eq "a blacklisted IPv6 host" "no answer" "$(from fd00:1::3 fd00:1::1 22)"
assert_eq "a whitelisted address on its port: let in (to a closed port)" "refused" "$(from 10.0.1.6 10.0.1.1 9999)"
assert_eq "on another port it is not whitelisted" "unreachable" "$(from 10.0.1.6 10.0.1.1 9998)"
assert_eq "nor is another source on that port" "unreachable" "$(from 10.0.1.2 10.0.1.1 9999)"
assert_eq "outgoing smtp to the destination named: refused at once" "refused" \
        "$(connect_from "" 10.0.2.1 10.0.2.2 25)"
apply server 5 services as 1 "8080 limit 2/minute per-source" outgoing_reject as 1 "smtp to 10.0.2.3" \
        allow_ping b true whitelist as 0 blacklist as 0 >/dev/null
assert_eq "to another destination, smtp goes out" "10.0.2.1" "$(connect_from "" 10.0.2.1 10.0.2.2 25)"
# one source spends its burst (5) and its rate: then it is refused, while another still gets in
in_client ip addr add 10.0.1.7/24 dev c-r
limited=""
for i in $(seq 1 10); do
        [ "$(from 10.0.1.7 10.0.1.1 8080)" = unreachable ] && { limited=$i; break; }
done
assert_match "a limit per source: within 10 connections one source is held back" '^(6|7|8|9|10)$' "$limited"
assert_eq "while another source gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_match "the per-source set holds the limited source" '"10.0.1.7"' \
        "$(nft -j list set inet nftbus_server per_source_0_v4 | jq -c '[.nftables[1].set.elem[]?.elem.val]')"
assert_eq "applied again, Preview leaves the per-source sets alone (they are the rules' to fill)" "" \
        "$(bus call $BUS_NAME $P/server $IFACE.Preset Preview 'a{sv}' 5 services as 1 "8080 limit 2/minute per-source" \
                outgoing_reject as 1 "smtp to 10.0.2.3" allow_ping b true whitelist as 0 blacklist as 0 | sed 's/^s ""$//')"
delete_table nftbus_5fserver

# --- router ---
assert_eq "before: the client cannot reach the server" "no answer" "$(from 10.0.1.2 10.0.2.2 80)"
assert_eq "router" 'o "/org/nftbus/Firewall1/table/inet/nftbus_5frouter"' \
        "$(apply router 2 wan s r-s lan as 1 r-c)"
assert_eq "it turned forwarding on through Sysctl" 's "1"' \
        "$(bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl Get s net.ipv4.ip_forward)"
assert_eq "the client reaches the server, which sees the router (masquerade)" "10.0.2.1" \
        "$(from 10.0.1.2 10.0.2.2 80)"
in_server ip route add 10.0.1.0/24 via 10.0.2.1
assert_eq "the server, given a route, cannot open a connection to the client (forward drops it)" "no answer" \
        "$(connect_from in_server 10.0.2.2 10.0.1.2 9000)"
assert_eq "IPv6 from the LAN is forwarded too (no masquerade: the server needs its route back)" "no answer" \
        "$(from fd00:1::2 fd00:2::2 80)"
in_server ip -6 route add fd00:1::/64 via fd00:2::1
assert_eq "with it, the server sees the client's IPv6 address" "fd00:1::2" "$(from fd00:1::2 fd00:2::2 80)"
assert_match "the forward chain's counters: answers let back, nothing invalid, no port forward, the LAN's new connections" \
        '^[1-9][0-9]* 0 0 [1-9][0-9]*$' \
        "$(nft -j list chain inet nftbus_router forward |
                jq -r '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | join(" ")')"


# router + NAT: a port forward from the WAN side; the server answers the client it sees
forward=$(nat PortForward 'sqsqa{sv}' tcp 2222 10.0.2.2 80 1 in_interface s r-c)
assert_eq "router + a NAT port forward: forwarded through the forward chain's policy" "10.0.2.1" \
        "$(from 10.0.1.2 10.0.1.1 2222)"
nat Remove s "$forward" >/dev/null
assert_eq "without it, the port is closed" "refused" "$(from 10.0.1.2 10.0.1.1 2222)"
# router + hand-made rules: a dnat of the admin's own table, then a drop of the admin's own
apply_batch 'table inet mine {
        chain pre { type nat hook prerouting priority dstnat; tcp dport 2525 dnat ip to 10.0.2.2:25; }
}'
assert_eq "router + a hand-made dnat in another table: forwarded too" "10.0.2.1" "$(from 10.0.1.2 10.0.1.1 2525)"
apply_batch 'table inet mine {
        chain block { type filter hook forward priority filter; ip saddr 10.0.1.3 drop; }
}'
assert_eq "router + a hand-made drop: the dropped source does not get through" "no answer" \
        "$(from 10.0.1.3 10.0.1.1 2525)"
assert_eq "while other sources do" "10.0.2.1" "$(from 10.0.1.4 10.0.1.1 2525)"
assert_eq "and the LAN still reaches the WAN" "10.0.2.1" "$(from 10.0.1.2 10.0.2.2 80)"
assert_match "the router's port forward rule counted them" '^[1-9][0-9]*$' \
        "$(nft -j list chain inet nftbus_router forward |
                jq -r '.nftables[] | select(.rule) | .rule | select(.expr[0].match.left.ct.key == "status") |
                       .expr[] | select(.counter) | .counter.packets')"

done_testing
