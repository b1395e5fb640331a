#!/usr/bin/env bash
# Every command of nftbusctl with --json prints JSON of the shape its help (and so nftbusctl(1)) gives in its
# "JSON:" line: each command is run here once, in an order that gives it something to work on, and its
# output checked against that shape by tests/integration/json-shape.py. A command of `nftbusctl --help`
# without a run here fails the test.
source "$(dirname "$0")/lib.sh"

# the commands of nftbusctl --help: "  add-table FAMILY NAME", "  zone add-service ZONE SERVICE" (a group's
# command is two lower-case words)
commands=$(nftbusctl --help | /usr/bin/python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"  ([a-z][a-z-]*)( [a-z][a-z-]*)?( |$)", line)
    if m:
        print(m.group(1) + (m.group(2) or ""))' | sort -u)
groups=$(awk 'NF == 2 { print $1 }' <<<"$commands" | sort -u | tr '\n' ' ')
shape_check() { /usr/bin/python3 "$NFTBUS_SOURCE/tests/integration/json-shape.py" "$@"; }
ran=()
# j WORDS...: the command with --json, its output checked against its help's JSON line
j() {
        local words=() w out rc shape
        for w in "$@"; do [[ "$w" == -* ]] && break; words+=("$w"); done
        # the command's name: one word, or a group's two
        local name=${words[0]}
        [[ " $groups " == *" $name "* ]] && name="${words[0]} ${words[1]}"
        ran+=("$name")
        shape=$(nftbusctl $name --help | sed -n 's/^JSON: //p')
        out=$(nftbusctl --json "$@" 2>"$NFTBUS_RUNDIR/json.err")
        rc=$?
        if [ $rc != 0 ] && [ "${JSON_EXIT:-0}" != "$rc" ]; then
                not_ok "$name --json: exit status $rc"
                diag "$(cat "$NFTBUS_RUNDIR/json.err")"
                return
        fi
        if why=$(shape_check "$shape" <<<"$out" 2>&1); then
                ok "$name --json prints $shape"
        else
                not_ok "$name --json prints $shape"
                diag "$why"
                diag "output: $(head -c 600 <<<"$out")"
        fi
}

ip link add eth0 type veth peer name eth0-peer
j status
j add-table inet f
j list-tables
j add-chain --hook input inet f in
j add-chain inet f c
j list-chains
j add-rule inet f c counter accept
j insert-rule inet f c drop
j list-rules inet f c
handle=$(nftbusctl --json list-rules inet f c | jq '.[0].handle')
j replace-rule inet f c "$handle" accept
j delete-rule inet f c "$handle"
nft add counter inet f k
j list-objects
j reset-counter inet f k
j add-set --flags timeout inet f s ipv4_addr
j list-sets
j add-element --timeout 60 inet f s 10.0.0.1 10.0.0.2
j list-elements inet f s
j list-elements --details inet f s
j has-element inet f s 10.0.0.1
JSON_EXIT=1 j has-element inet f s 10.9.9.9
j delete-element inet f s 10.0.0.1
j delete-set inet f s
j delete-chain inet f c
j sysctl list
j sysctl get net.ipv4.ip_forward
j sysctl set net.ipv4.ip_forward 0
j nat masquerade eth0
j nat forward tcp 8080 10.0.0.2 80
j nat snat eth0 198.51.100.1
j nat dnat 198.51.100.2 10.0.0.3
j nat static 198.51.100.4 10.0.0.4
j nat redirect tcp 8081 81
j nat list
j nat remove "$(nftbusctl --json nat list | jq -r '.[0].id')"
j zone enable
j zone list
j zone list --permanent
j zone show home
j zone show --permanent home
j zone active
j zone default
j zone default home
j zone of-interface eth0
j zone new lab
j zone set-target lab drop
j zone masquerade lab on
j zone forward lab off
j zone add-interface lab eth0
j zone query-interface lab eth0
j zone remove-interface lab eth0
j zone change-interface lab eth0
j zone add-source lab 192.0.2.0/24
j zone query-source lab 192.0.2.0/24
j zone of-source 192.0.2.0/24
j zone remove-source lab 192.0.2.0/24
j zone change-source lab 192.0.2.0/24
j zone add-service lab http
j zone query-service lab http
j zone remove-service lab http
j zone add-port lab 8080/tcp
j zone query-port lab 8080/tcp
j zone remove-port lab 8080/tcp
j zone add-protocol lab gre
JSON_EXIT=1 j zone query-protocol lab igmp
j zone remove-protocol lab gre
j zone add-forward-port lab port=2222:proto=tcp:toport=22
j zone query-forward-port lab port=2222:proto=tcp:toport=22
j zone remove-forward-port lab port=2222:proto=tcp:toport=22
j zone add-icmp-block lab echo-request
j zone query-icmp-block lab echo-request
j zone remove-icmp-block lab echo-request
j zone add-rich-rule lab 'rule family=ipv4 source address=10.0.0.1 accept'
j zone remove-rich-rule lab 'rule family=ipv4 source address=10.0.0.1 accept'
j zone query-masquerade lab
JSON_EXIT=1 j zone query-forward lab
j ipset new banned hash:net family=inet description=banned
j ipset list
j ipset list --permanent
j ipset show banned
j ipset set banned maxelem=1000
j ipset add-entry banned 192.0.2.0/24
j ipset query-entry banned 192.0.2.0/24
j ipset entries banned
j ipset remove-entry banned 192.0.2.0/24
printf '198.51.100.0/24\n' >"$NFTBUS_RUNDIR/entries"
j ipset set-entries banned -f "$NFTBUS_RUNDIR/entries"
j ipset delete banned
j policy new lan-out ingress-zone=lab egress-zone=ANY service=http target=ACCEPT
j policy list
j policy list --permanent
j policy show lan-out
j policy show allow-host-ipv6 --permanent
j policy set lan-out service=ssh priority=10
j policy delete lan-out
j zone icmp-block-inversion lab on
JSON_EXIT=0 j zone query-icmp-block-inversion lab
j zone icmp-block-inversion lab off
j zone add-source-port lab 53/udp
j zone query-source-port lab 53/udp
j zone remove-source-port lab 53/udp
j zone log-denied unicast
j zone log-denied
j zone log-denied off
j zone default public
j zone remove-interface lab eth0
j zone remove-source lab 192.0.2.0/24
j zone delete lab
j runtime-to-permanent
j reload
j panic on
j panic query
j panic off
j service list
j service show ssh
j zone disable
j preset list
j preset show harden
j preset preview harden
j preset apply harden
printf 'add table inet batch\n' >"$NFTBUS_RUNDIR/batch.nft"
j apply --check -f "$NFTBUS_RUNDIR/batch.nft"
j apply -f "$NFTBUS_RUNDIR/batch.nft"
j export
j export --format json
j save
j delete-table inet batch
j flush-table inet f
j delete-table inet f

# monitor runs until interrupted: one line of JSON per change
monitor_out=$NFTBUS_RUNDIR/monitor.json
nftbusctl --json monitor >"$monitor_out" 2>&1 &
monitor=$!
wait_until yes bash -c "nft add table inet m\$RANDOM >/dev/null; grep -q . '$monitor_out' && echo yes"
kill "$monitor"
ran+=(monitor)
shape=$(nftbusctl monitor --help | sed -n 's/^JSON: //p')
if why=$(head -n 1 "$monitor_out" | shape_check "$shape" 2>&1); then ok "monitor --json prints $shape, a line each"
else not_ok "monitor --json prints $shape, a line each"; diag "$why"; fi

# every command has been run
missing=$(comm -23 <(echo "$commands") <(printf '%s\n' "${ran[@]}" | sort -u))
assert_eq "every command of nftbusctl --help was run here" "" "$missing"

done_testing
