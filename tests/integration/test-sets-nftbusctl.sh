#!/usr/bin/env bash
# Sets with nftbusctl, and elements through a passed file descriptor: files with comments and blank
# lines, the first bad line named, stdin, a million addresses within a client's default 25 s timeout,
# and a load that waits on its stream while the service goes on answering everyone else.
source "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
count() { nft -j list set inet filter "$1" | jq '[.nftables[] | select(.set) | .set.elem // [] | .[]] | length'; }
kernel_elements() { nft -j list set inet filter "$1" | jq -r '.nftables[] | select(.set) | .set.elem // [] | .[]' | sort; }

nftbusctl add-table inet filter
assert_eq "add-set prints the path" "/org/nftbus/Firewall1/table/inet/filter/set/blocklist" \
        "$(nftbusctl add-set inet filter blocklist ipv4_addr)"
nftbusctl add-set --flags interval --comment "country lists" inet filter nets ipv4_addr >/dev/null
nftbusctl add-set --flags timeout --timeout 3600 inet filter ports ipv4_addr . inet_service >/dev/null
nftbusctl add-set inet filter verdicts ipv4_addr : verdict >/dev/null
assert_eq "list-sets" "$(printf '%-5s %-8s %-16s %-20s %-32s %s\n' KIND FAMILY TABLE NAME TYPE FLAGS \
                set inet filter blocklist ipv4_addr '' set inet filter nets ipv4_addr interval \
                set inet filter ports 'ipv4_addr . inet_service' timeout map inet filter verdicts 'ipv4_addr : verdict' '' |
                sed 's/ *$//')" "$(nftbusctl list-sets | sed 's/ *$//')"
assert_eq "list-sets --json" '[{"kind":"set","name":"blocklist","type":"ipv4_addr"},{"kind":"set","name":"nets","type":"ipv4_addr"},{"kind":"set","name":"ports","type":"ipv4_addr . inet_service"},{"kind":"map","name":"verdicts","type":"ipv4_addr"}]' \
        "$(nftbusctl --json list-sets inet filter | jq -c 'map({kind, name, type})')"

assert_eq "add-element on the command line" "0" "$(nftbusctl add-element inet filter blocklist 192.0.2.1 192.0.2.2; echo $?)"
printf '%s\n' '# a list as people keep them' '198.51.100.1' '' '   198.51.100.2  ' '198.51.100.3' >"$dir/list"
assert_eq "add-element -f passes the file and prints the count" "3 elements added" \
        "$(nftbusctl add-element -f "$dir/list" inet filter blocklist)"
assert_eq "the kernel has them" $'192.0.2.1\n192.0.2.2\n198.51.100.1\n198.51.100.2\n198.51.100.3' \
        "$(kernel_elements blocklist)"
printf '%s\n' '203.0.113.1' '# fine' '203.0.113.2' '203.0.113.256' '203.0.113.4' >"$dir/bad"
assert_eq "a bad line is named, exit 2" \
        "Failed to add the elements: Line 4: Invalid ipv4_addr: '203.0.113.256'; nothing was changed (org.nftbus.Firewall1.Error.InvalidArgument)
2" "$(nftbusctl add-element -f "$dir/bad" inet filter blocklist 2>&1; echo $?)"
assert_eq "and nothing of the file was added" "5" "$(count blocklist)"
printf '%s\n' '10.0.0.0/8' '172.16.0.0/12' '10.20.0.0/16' >"$dir/overlap"
assert_eq "an overlap the kernel refuses names its line" \
        "Failed to add the elements: Line 3 ('10.20.0.0/16') was refused by the kernel: it overlaps an element already in the set; nothing was changed (org.nftbus.Firewall1.Error.Rejected)" \
        "$(nftbusctl add-element -f "$dir/overlap" inet filter nets 2>&1)"
assert_eq "and the interval set is still empty" "0" "$(count nets)"
assert_eq "a line longer than 4096 characters" \
        "Failed to add the elements: Line 2 is longer than 4096 characters; nothing was changed (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$(printf '10.0.0.1\n%05000d\n' 1 | nftbusctl add-element -f - inet filter blocklist 2>&1)"
assert_eq "-f - reads stdin" "2 elements added" \
        "$(printf '10.9.0.1\n10.9.0.2' | nftbusctl add-element -f - inet filter blocklist)"
assert_eq "with --timeout" "0" \
        "$(nftbusctl add-element --timeout 60 inet filter ports "192.0.2.1 . 22"; echo $?)"
assert_eq "the element has its timeout" "60" \
        "$(nft -j list set inet filter ports | jq '.nftables[] | select(.set) | .set.elem[0].elem.timeout')"
nftbusctl add-element inet filter verdicts "192.0.2.1 : accept" "192.0.2.2 : drop"
assert_eq "list-elements of a map" $'192.0.2.1 : accept\n192.0.2.2 : drop' \
        "$(nftbusctl list-elements inet filter verdicts | sort)"
assert_eq "list-elements --json" '["192.0.2.1","192.0.2.2"]' \
        "$(nftbusctl --json list-elements inet filter blocklist | jq -c 'map(select(startswith("192.0.2."))) | sort')"
assert_eq "has-element: yes, exit 0" $'yes\n0' "$(nftbusctl has-element inet filter blocklist 192.0.2.1; echo $?)"
assert_eq "has-element: no, exit 1" $'no\n1' "$(nftbusctl has-element inet filter blocklist 192.0.2.9; echo $?)"
assert_eq "delete-element" "0" "$(nftbusctl delete-element inet filter blocklist 192.0.2.1 192.0.2.2; echo $?)"
assert_eq "deleting one that is not there: exit 3" "3" \
        "$(nftbusctl delete-element inet filter blocklist 192.0.2.1 2>/dev/null; echo $?)"
assert_eq "a set that does not exist: exit 3" \
        "Failed to add the elements: no set or map nope in table inet filter (org.nftbus.Firewall1.Error.NotFound)
3" "$(nftbusctl add-element inet filter nope 10.0.0.1 2>&1; echo $?)"
assert_eq "a directory is not a stream" \
        "Failed to add the elements: The file descriptor is a directory (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$(nftbusctl add-element -f "$dir" inet filter blocklist 2>&1)"

# The bus keeps answering while a load waits on its stream: the writer holds the pipe open.
mkfifo "$dir/fifo"
nftbusctl add-element -f "$dir/fifo" inet filter blocklist >"$dir/load.out" 2>&1 &
load=$!
exec 3>"$dir/fifo"
# under way: nftbusd (or its executor, which reads it) holds the stream's reading end
fifo_held() {
        for p in "$NFTBUSD_PID" $(pgrep -P "$NFTBUSD_PID"); do ls -l /proc/"$p"/fd 2>/dev/null; done |
                grep -q " -> $dir/fifo\$" && echo held
}
wait_until held fifo_held
assert_eq "nftbusd holds the stream: the load is under way" held "$(fifo_held)"
assert_eq "while a load is under way, Introspect is answered" "0" \
        "$(timeout 60 busctl --system introspect $BUS_NAME $ROOT >/dev/null; echo $?)"
assert_eq "ListTables is answered" 'a(sso) 1 "inet" "filter" "/org/nftbus/Firewall1/table/inet/filter"' \
        "$(timeout 60 busctl --system call $BUS_NAME $ROOT $IFACE.Manager ListTables)"
assert_eq "a property is read" 's "ipv4_addr"' \
        "$(timeout 60 busctl --system get-property $BUS_NAME $ROOT/table/inet/filter/set/blocklist $IFACE.Set Type)"
assert_eq "and another set is changed" "0" "$(timeout 60 nftbusctl add-element inet filter nets 10.0.0.0/8; echo $?)"
assert_eq "the load has not finished" "running" "$(kill -0 $load 2>/dev/null && echo running)"
python3 -c 'import ipaddress, sys
sys.stdout.write("".join(str(ipaddress.IPv4Address(0x64000000 + i)) + "\n" for i in range(100000)))' >&3
exec 3>&-
wait $load
assert_eq "then the load ends with its count" "100000 elements added" "$(cat "$dir/load.out")"
assert_eq "the kernel has them" "100005" "$(count blocklist)"

# a million addresses within a client's default 25 s timeout
python3 -c 'import ipaddress, sys
sys.stdout.write("".join(str(ipaddress.IPv4Address(0x0b000000 + i)) + "\n" for i in range(1000000)))' >"$dir/million"
nftbusctl add-set inet filter big ipv4_addr >/dev/null
assert_eq "a million elements in one call" "1000000 elements added" \
        "$(nftbusctl add-element -f "$dir/million" inet filter big)"
has() { busctl --system call $BUS_NAME $ROOT/table/inet/filter/set/big $IFACE.Set HasElement s "$1"; }
assert_eq "the kernel has the first, the millionth, and not one more" $'b true\nb true\nb false' \
        "$(has 11.0.0.0; has 11.15.66.63; has 11.15.66.64)"
assert_eq "list-elements streams them all" "1000000" "$(nftbusctl list-elements inet filter big | wc -l)"
assert_eq "and the events the load did not send were made up for" \
        's "ipv4_addr"' "$(busctl --system get-property $BUS_NAME $ROOT/table/inet/filter/set/big $IFACE.Set Type)"
assert_eq "delete-set" "0" "$(nftbusctl delete-set inet filter big; echo $?)"
assert_eq "the kernel's sets" '["blocklist","nets","ports","verdicts"]' \
        "$(nft -j list table inet filter | jq -c '[.nftables[] | (.set // .map // empty) | .name] | sort')"

# the dynamic flag (rules fill such sets), which libnftables 1.0.6's JSON refuses: it goes in nft syntax
assert_eq "add-set --flags dynamic,timeout" "0" \
        "$(nftbusctl add-set --flags dynamic,timeout inet filter seen ipv4_addr >/dev/null; echo $?)"
# (nft's JSON listing leaves out the dynamic flag: its text says it)
assert_eq "the kernel's set has both flags" "flags dynamic,timeout" \
        "$(nft list set inet filter seen | grep -o 'flags .*')"
nftbusctl add-chain inet filter counting >/dev/null
assert_match "and a rule fills it" '^[0-9]+$' "$(nftbusctl add-rule inet filter counting add @seen '{ ip saddr }')"

# the README's block list, for fail2ban's bans with a timeout
assert_eq "README: a block list made with --flags timeout takes --timeout 600" "0" \
        "$(nftbusctl add-set --flags timeout inet filter banned ipv4_addr >/dev/null &&
                nftbusctl add-element --timeout 600 inet filter banned 192.0.2.66 >/dev/null; echo $?)"

# elements with what the kernel keeps: expiry, timeout, counters, comments (nftfwls's columns)
nft add set inet filter bans '{ type ipv4_addr; flags timeout; counter; timeout 10m; }'
nft add element inet filter bans '{ 127.0.0.2 timeout 1h comment "ssh", 127.0.0.3 }'
nft add chain inet filter out '{ type filter hook output priority 0; }'
nft add rule inet filter out ip daddr @bans accept
ping -c 2 -i 0.2 -W 1 127.0.0.2 >/dev/null
wait_for_bans() { nft -j list set inet filter bans | jq -r '.nftables[1].set.elem[] | .elem | select(.val == "127.0.0.2") | .counter.packets'; }
wait_until 2 wait_for_bans # the two echo requests went out to 127.0.0.2 (the replies to 127.0.0.1)
details=$(nftbusctl list-elements --details inet filter bans)
assert_eq "list-elements --details: a table of the elements, with what is left of each as nft writes times" \
        "ELEMENT EXPIRES TIMEOUT PACKETS BYTES COMMENT|127.0.0.2 LEFT 1h 2 168 ssh|127.0.0.3 LEFT 10m 0 0 " \
        "$(head -n 1 <<<"$details" | tr -s ' ')|$(tail -n +2 <<<"$details" | sort |
           sed -E 's/^(127[.0-9]+ +)([0-9]+[dhms])+( +[0-9]+[hm] )/\1LEFT\3/' | tr -s ' ' | paste -sd'|')"
assert_match "the expiry of the element with an hour" '^127\.0\.0\.2 +(59m[0-9]+s|1h) +1h ' "$(grep 127.0.0.2 <<<"$details")"
assert_eq "--details --json: an array of objects, each detail when the element has it" \
        '{"element":"127.0.0.2","timeout_ms":3600000,"packets":2,"bytes":168,"comment":"ssh"}|{"element":"127.0.0.3","timeout_ms":600000,"packets":0,"bytes":0}' \
        "$(nftbusctl --json list-elements --details inet filter bans | jq -c '.[] | del(.expires_ms)' | sort | paste -sd'|')"
assert_eq "expires_ms: what is left, at most the timeout (the set's for an element without its own)" "true true" \
        "$(nftbusctl --json list-elements --details inet filter bans | jq -r '.[] | .expires_ms > 0 and .expires_ms <= .timeout_ms' | xargs)"
assert_eq "ListElementsDetailed over the bus" \
        '"127.0.0.2" 5 "timeout_ms" t 3600000 "expires_ms" t N "packets" t 2 "bytes" t 168 "comment" s "ssh"|"127.0.0.3" 4 "timeout_ms" t 600000 "expires_ms" t N "packets" t 0 "bytes" t 0' \
        "$(busctl --system call $BUS_NAME $ROOT/table/inet/filter/set/bans $IFACE.Set ListElementsDetailed |
           sed -E 's/"expires_ms" t [0-9]+/"expires_ms" t N/g; s/^a\(sa\{sv\}\) 2 //; s/ ("127)/\n\1/g' | sort | paste -sd'|')"
nft add set inet filter commented '{ type ipv4_addr; flags interval; }'
nft add element inet filter commented '{ 10.0.0.0/8 comment "rfc1918", 192.0.2.0-192.0.2.9 }'
assert_eq "an interval set's ranges carry their comments" \
        '{"element":"10.0.0.0/8","comment":"rfc1918"}|{"element":"192.0.2.0-192.0.2.9"}' \
        "$(nftbusctl --json list-elements --details inet filter commented | jq -c '.[]' | paste -sd'|')"
out=$(nftbusctl list-elements --details inet filter nothere 2>&1); rc=$?
assert_eq "a set that is not there" \
        "3 Failed to list the elements: no set or map nothere in table inet filter (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"

rm -rf "$dir"
done_testing
