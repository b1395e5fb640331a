#!/usr/bin/env bash
# The same packets as firewalld: the configurations of firewalld-packets.txt, made with firewall-cmd against
# the real firewalld and against nftbusd serving firewalld's API, and after each the same probes from the
# peers (make_network: client -- HERE -- server), each answer classified (what the far end saw, refused,
# unreachable, no answer; a ping answered or refused); any difference fails. One decision: over IPv6 a TCP
# refusal and a drop are one class (see probe()). firewalld runs here only: on
# the harness's private bus, in its network namespace, its configuration on a tmpfs over /etc/firewalld.
# Skipped where firewalld is not installed (tools/deps installs it).
source "$(dirname "$0")/lib.sh"

require_firewalld "the same packets as firewalld"
configurations=$(dirname "$0")/firewalld-packets.txt
out=$NFTBUS_RUNDIR/packets
mkdir -p "$out"

make_network
answer_peers
python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 9999))
while True:
    data, peer = s.recvfrom(512)
    s.sendto(peer[0].removeprefix("::ffff:").encode(), peer)' &
_network_pids+=" $!"
udp_bound() { ss -lun | grep -q ':9999 ' && echo yes; }
wait_until yes udp_bound
# udp_from SOURCE HOST PORT: from the client, what the UDP service at HOST PORT answered, "refused" (port
# unreachable), "unreachable" (another ICMP error) or "no answer", within three seconds (the answer is a
# process's, which a loaded machine may keep waiting; the kernel's refusals come at once)
udp_from() {
        in_client python3 -c '
import errno, socket, sys
src, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
try:
    s.bind((src, 0)); s.connect((host, port)); s.send(b"x"); print(s.recv(512).decode())
except socket.timeout: print("no answer")
except ConnectionRefusedError: print("refused")
except OSError as e: print("unreachable" if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES) else e)
' "$@"
}
in_client ip addr add 10.0.1.3/24 dev c-r
in_server ip route add default via 10.0.2.1
in_server ip -6 route add default via fd00:2::1
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# every neighbour known for good, on every side: an answer (an ICMP error above all) is never lost to a
# neighbour lookup under way, which would make a probe's answer a matter of timing; "neighbours dynamic" in
# the configurations takes the client's IPv6 ones away, so that neighbour discovery itself is probed
mac() { $1 ip -j link show "$2" | jq -r '.[0].address'; }
neighbours_static() {
        for a in 10.0.1.2 10.0.1.3 fd00:1::2; do ip neigh replace "$a" lladdr "$(mac in_client c-r)" dev r-c nud permanent; done
        for a in 10.0.2.2 fd00:2::2; do ip neigh replace "$a" lladdr "$(mac in_server s-r)" dev r-s nud permanent; done
        for a in 10.0.1.1 fd00:1::1; do in_client ip neigh replace "$a" lladdr "$(mac "" r-c)" dev c-r nud permanent; done
        for a in 10.0.2.1 fd00:2::1; do in_server ip neigh replace "$a" lladdr "$(mac "" r-s)" dev s-r nud permanent; done
}
neighbours_dynamic() {
        ip neigh del fd00:1::2 dev r-c
        in_client ip neigh del fd00:1::1 dev c-r
}
neighbours_static
# what reaches the host's input from a source that would route back another way (fd00:2::99 is behind r-s):
# firewalld's reverse-path filter drops it before any zone
in_client ip addr add fd00:2::99/128 dev c-r nodad
nft add table inet probe
nft add chain inet probe input '{ type filter hook input priority -200; }'
nft add rule inet probe input ip6 saddr fd00:2::99 counter
spoofed() {
        nft reset counters table inet probe >/dev/null
        in_client python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("fd00:2::99", 0))
for _ in range(3): s.sendto(b"x", ("fd00:1::1", 9))'
        nft -j list chain inet probe input | jq '.nftables[] | select(.rule) | .rule.expr[1].counter.packets'
}

ping_from() {
        local out
        out=$($1 ping -n -c 1 -W 1 "$2" 2>&1)
        if grep -q ' 0% packet loss' <<<"$out"; then echo answered
        elif grep -qiE 'filtered|prohibited|unreachable' <<<"$out"; then echo refused
        else echo "no answer"; fi
}
# probe: one line a probe, "WHAT: ANSWER"
probe() {
        local p
        for p in "client 10.0.1.2 10.0.1.1 22" "client 10.0.1.2 10.0.1.1 80" "client 10.0.1.2 10.0.1.1 8080" \
                 "client 10.0.1.2 10.0.1.1 2222" "client 10.0.1.3 10.0.1.1 8080" "client fd00:1::2 fd00:1::1 22" \
                 "client fd00:1::2 fd00:1::1 8080" "client fd00:1::2 fd00:1::1 9001" "client fd00:1::2 fd00:1::1 2222" \
                 "client 10.0.1.2 10.0.2.2 80" \
                 "client fd00:1::2 fd00:2::2 80" "server 10.0.2.2 10.0.1.2 9000" "server fd00:2::2 fd00:1::2 9000"; do
                set -- $p
                answer=$(connect_from "in_$1" "$2" "$3" "$4")
                # a decision, with its reason: over IPv6 the client sees a refusal (ICMPv6 admin-prohibited) as
                # often as not, against firewalld as against nftbusd (measured here: the same configuration
                # gave either), so refused and dropped are one class there; IPv4 tells them apart
                case "$3:$answer" in *:*:unreachable | *:*:"no answer") answer="refused or dropped" ;; esac
                echo "tcp from $1 $2 to $3 port $4: $answer"
        done
        echo "udp from client 10.0.1.2 to 10.0.1.1 port 9999: $(udp_from 10.0.1.2 10.0.1.1 9999)"
        # the host's own connections
        echo "tcp from here to the server's 80: $(connect_from "" 10.0.2.1 10.0.2.2 80)"
        echo "tcp from here to the server's 80 over IPv6: $(connect_from "" fd00:2::1 fd00:2::2 80)"
        echo "spoofed IPv6 datagrams that reach the host: $(spoofed)"
        echo "ping 10.0.1.1: $(ping_from in_client 10.0.1.1)"
        echo "ping fd00:1::1: $(ping_from in_client fd00:1::1)"
        echo "ping from the server to 10.0.1.2: $(ping_from in_server 10.0.1.2)"
}
# run_configurations FILE: each configuration's commands and its probes, into FILE
run_configurations() {
        local line
        while IFS= read -r line; do
                case "$line" in "#"* | "") continue ;; esac
                if [ "$line" = probe ]; then
                        probe
                elif [ "$line" = "neighbours dynamic" ] || [ "$line" = "neighbours static" ]; then
                        "neighbours_${line#neighbours }"
                else
                        echo "=== firewall-cmd $line: $(eval "firewall-cmd $line" 2>&1)"
                fi
        done <"$configurations" >"$1"
}

# firewalld, from its shipped zones, the default zone public
kill -TERM "$NFTBUSD_PID"
wait_until gone eval 'kill -0 "$NFTBUSD_PID" 2>/dev/null || echo gone'
firewalld_start "$out/firewalld.log"
run_configurations "$out/firewalld.txt"
kill -TERM $firewalld
wait_until gone eval "kill -0 $firewalld 2>/dev/null || echo gone"
assert_eq "firewalld stopped, its table gone" "gone|" \
        "$(kill -0 $firewalld 2>/dev/null && echo running || echo gone)|$(nft list tables | grep -w firewalld)"

# nftbusd, from its built-in zones, the default zone public, serving firewalld's name
sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
start_nftbusd >/dev/null
_nftbusd_restarted=1
wait_for_name $FWD "$NFTBUSD_PID"
run_configurations "$out/nftbus.txt"

probes=$(grep -vc '^===' "$out/firewalld.txt")
assert_same "the $probes probes answer the same against firewalld and nftbusd" "$out/firewalld.txt" "$out/nftbus.txt"
done_testing
