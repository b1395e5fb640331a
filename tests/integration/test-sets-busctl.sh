#!/usr/bin/env bash
# Sets and maps over D-Bus with busctl: AddSet and AddMap of the key types nftbus encodes, their
# properties, elements added, listed, looked up and deleted, all or nothing with the first bad element
# named; intervals, concatenations, timeouts, verdict maps; sets made by nft and sets of other types.
# The kernel's own listing (nft -j) is the judge.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
S=$T/set/blocklist

# one line per element of the kernel's set, as nft -j lists it, sorted
kernel_elements() {
        { nft -j list set inet filter "$1" 2>/dev/null || nft -j list map inet filter "$1"; } | jq -r '
                def e: if type == "object" and .prefix then "\(.prefix.addr)/\(.prefix.len)"
                       elif type == "object" and .range then "\(.range[0] | e)-\(.range[1] | e)"
                       elif type == "object" and .concat then (.concat | map(e) | join(" . "))
                       elif type == "object" and .elem then (.elem.val | e)
                       elif type == "object" and .jump then "jump \(.jump.target)"
                       elif type == "object" then (keys[0])
                       elif type == "array" then "\(.[0] | e) : \(.[1] | e)"
                       else tostring end;
                .nftables[] | (.set // .map // empty) | (.elem // [])[] | e' | sort
}
# the reply's strings, one per line, sorted
strings() { sed 's/^as [0-9]* //' | tr -d '"' | sed 's/ \([0-9a-f]\)/\n\1/g' | sort; }
list() { call "$1" "$2" ListElements --json=short | jq -r '.data[0][]' | sort; }

call $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
assert_eq "AddSet returns the set's path" "o \"$S\"" "$(call $T $IFACE.Table AddSet 'ssa{sv}' blocklist ipv4_addr 0)"
assert_eq "the kernel has the set" '{"family":"inet","name":"blocklist","table":"filter","type":"ipv4_addr","handle":1}' \
        "$(nft -j list set inet filter blocklist | jq -c '.nftables[] | select(.set) | .set | del(.elem)')"
call $T $IFACE.Table AddSet 'ssa{sv}' nets ipv4_addr 3 flags as 1 interval auto-merge b false comment s "bad networks" \
        >/dev/null
call $T $IFACE.Table AddSet 'ssa{sv}' svc "ipv4_addr . inet_service" 3 flags as 1 timeout timeout t 3600 \
        size u 65536 >/dev/null
call $T $IFACE.Table AddSet 'ssa{sv}' small inet_proto 1 policy s memory >/dev/null
call $T $IFACE.Table AddSet 'ssa{sv}' counted ipv6_addr 1 counter b true >/dev/null
call $T $IFACE.Table AddChain 'sa{sv}' allowed 0 >/dev/null
call $T $IFACE.Table AddMap 'sssa{sv}' verdicts ipv4_addr verdict 0 >/dev/null
call $T $IFACE.Table AddMap 'sssa{sv}' ports inet_service ipv4_addr 0 >/dev/null

assert_eq "a set's properties" $'s "ipv4_addr . inet_service"\nas 1 "timeout"\nt 3600\nu 65536\ns "performance"\nb false' \
        "$(bus get-property $BUS_NAME $T/set/svc $IFACE.Set Type Flags Timeout Size Policy Counter)"
assert_eq "Policy" 's "memory"' "$(bus get-property $BUS_NAME $T/set/small $IFACE.Set Policy)"
assert_eq "an interval set's flags and comment" $'as 1 "interval"\ns "bad networks"' \
        "$(bus get-property $BUS_NAME $T/set/nets $IFACE.Set Flags Comment)"
assert_eq "Counter" "b true" "$(bus get-property $BUS_NAME $T/set/counted $IFACE.Set Counter)"
assert_eq "a map's key and value types" $'s "ipv4_addr"\ns "verdict"' \
        "$(bus get-property $BUS_NAME $T/set/verdicts $IFACE.Map Type ValueType)"
assert_eq "the kernel has them as asked" \
        "$(printf '%s\n' 'set svc {' 'type ipv4_addr . inet_service' 'size 65536' 'timeout 1h' '}' \
                'set small {' 'type inet_proto' 'policy memory' '}' 'set counted {' 'type ipv6_addr' 'counter' '}')" \
        "$(nft list table inet filter | sed -n '/^\tset \(svc\|small\|counted\) /,/^\t}/p' | sed 's/^\t*//')"

# refusals change nothing
sets() { nft -j list table inet filter | jq -c '[.nftables[] | (.set // .map // empty) | .name] | sort'; }
before=$(sets)
assert_eq "an unknown type" "Unknown data type 'ipv4_address': expected ipv4_addr, ipv6_addr, ether_addr, inet_proto, inet_service, mark, ifname or another nftables type" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_address 0)"
assert_eq "a concatenation without spaces" "Invalid type 'ipv4_addr.inet_service': join fields with ' . '" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr.inet_service 0)"
assert_eq "an unknown flag" "Unknown flag 'intervals': expected constant, interval, timeout or dynamic" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr 1 flags as 1 intervals)"
assert_eq "auto-merge without interval" "auto-merge needs the interval flag" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr 1 auto-merge b true)"
assert_eq "a policy nft does not know" "Invalid policy: expected performance or memory" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr 1 policy s fast)"
assert_eq "an injected name" "Invalid set name 'x; flush ruleset': only letters, digits, '_', '-' and '.' are allowed" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' "x; flush ruleset" ipv4_addr 0)"
assert_eq "a map's unknown value type" "Unknown value type: expected verdict, ipv4_addr, ipv6_addr, ether_addr, inet_proto, inet_service, mark, ifname or another nftables type" \
        "$(err $T $IFACE.Table AddMap 'sssa{sv}' x ipv4_addr verdicts 0)"
assert_eq "a set named like a map" "The set verdicts exists already in table inet filter" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' verdicts ipv4_addr 0)"
assert_eq "an option of the wrong type" \
        "Option 'timeout' takes a value of D-Bus type 't' (or another integer type), not 's'" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr 1 timeout s 1h)"
assert_eq "a negative integer for an unsigned option" \
        "Option 'timeout' takes an integer from 0 to 18446744073709551615; -5 is out of range" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' -- x ipv4_addr 1 timeout i -5)"
assert_eq "a 64-bit value for a 32-bit option" "Option 'size' takes an integer from 0 to 4294967295; 4294967296 is out of range" \
        "$(err $T $IFACE.Table AddSet 'ssa{sv}' x ipv4_addr 1 size x 4294967296)"
assert_eq "no set was made by a refused call" "$before" "$(sets)"
call $T $IFACE.Table AddSet 'ssa{sv}' typed ipv4_addr 3 timeout i 600 size y 200 flags as 1 timeout >/dev/null
assert_eq "integer options in any integer type (gdbus and dbus-python send 'i' for 600)" '600 200' \
        "$(nft -j list set inet filter typed | jq -r '.nftables[1].set | "\(.timeout) \(.size)"')"
call $T/set/typed $IFACE.Set Delete >/dev/null

# elements: one transaction, all or nothing
assert_eq "AddElements" "" "$(call $S $IFACE.Set AddElements 'asa{sv}' 3 192.0.2.1 192.0.2.2 198.51.100.7 0)"
assert_eq "the kernel has exactly them" $'192.0.2.1\n192.0.2.2\n198.51.100.7' "$(kernel_elements blocklist)"
assert_eq "ListElements" $'192.0.2.1\n192.0.2.2\n198.51.100.7' "$(list $S $IFACE.Set)"
assert_eq "adding one that is there already is no error" "" \
        "$(call $S $IFACE.Set AddElements 'asa{sv}' 2 192.0.2.1 192.0.2.3 0)"
before=$(kernel_elements blocklist)
assert_eq "a bad element names itself and its position" \
        "Element 3: Invalid ipv4_addr: '10.0.0.300'; nothing was changed" \
        "$(err $S $IFACE.Set AddElements 'asa{sv}' 4 10.0.0.1 10.0.0.2 10.0.0.300 10.0.0.4 0)"
assert_eq "a prefix in a set without intervals" \
        "Element 1: '10.0.0.0/8' is a prefix, which only a set with the interval flag can hold; nothing was changed" \
        "$(err $S $IFACE.Set AddElements 'asa{sv}' 1 10.0.0.0/8 0)"
assert_eq "an injection attempt is just a bad element" \
        "Element 2: Invalid ipv4_addr: '10.0.0.2;'; nothing was changed" \
        "$(err $S $IFACE.Set AddElements 'asa{sv}' 2 10.0.0.1 "10.0.0.2; flush ruleset" 0)"
assert_eq "a timeout on a set without the timeout flag" "timeout and expires need a set with the timeout flag" \
        "$(err $S $IFACE.Set AddElements 'asa{sv}' 1 10.0.0.1 1 timeout t 60)"
assert_eq "after the refusals the set is as it was" "$before" "$(kernel_elements blocklist)"

# intervals
assert_eq "prefixes and ranges" "" \
        "$(call $T/set/nets $IFACE.Set AddElements 'asa{sv}' 4 10.0.0.0/8 192.168.1.0-192.168.1.20 203.0.113.9 \
                172.16.0.0-172.31.255.255 0)"
assert_eq "the kernel's intervals" $'10.0.0.0/8\n172.16.0.0/12\n192.168.1.0-192.168.1.20\n203.0.113.9' \
        "$(kernel_elements nets)"
assert_eq "ListElements prints them as nft does, in order" \
        $'10.0.0.0/8\n172.16.0.0/12\n192.168.1.0-192.168.1.20\n203.0.113.9' \
        "$(call $T/set/nets $IFACE.Set ListElements --json=short | jq -r '.data[0][]')"
before=$(kernel_elements nets)
assert_eq "an overlap the kernel refuses is named, and nothing changes" \
        "Element 2 ('10.1.0.0/16') was refused by the kernel: it overlaps an element already in the set; nothing was changed" \
        "$(err $T/set/nets $IFACE.Set AddElements 'asa{sv}' 3 11.0.0.0/8 10.1.0.0/16 12.0.0.0/8 0)"
assert_eq "host bits past the prefix" \
        "Element 1: '10.0.0.1/8' has bits set past its prefix length; nothing was changed" \
        "$(err $T/set/nets $IFACE.Set AddElements 'asa{sv}' 1 10.0.0.1/8 0)"
assert_eq "the interval set is as it was" "$before" "$(kernel_elements nets)"
assert_eq "HasElement: a value inside a prefix" "b true" "$(call $T/set/nets $IFACE.Set HasElement s 10.200.3.4)"
assert_eq "HasElement: a prefix inside a prefix" "b true" "$(call $T/set/nets $IFACE.Set HasElement s 10.5.0.0/16)"
assert_eq "HasElement: a range across two intervals" "b false" \
        "$(call $T/set/nets $IFACE.Set HasElement s 192.168.1.0-203.0.113.9)"
assert_eq "HasElement: outside" "b false" "$(call $T/set/nets $IFACE.Set HasElement s 192.168.1.21)"

# concatenations with timeouts
call $T/set/svc $IFACE.Set AddElements 'asa{sv}' 2 "192.0.2.1 . 22" "192.0.2.2 . 443" 2 timeout t 600 comment s ssh \
        >/dev/null
assert_eq "concatenated elements with their timeout and comment" \
        '[{"val":{"concat":["192.0.2.1",22]},"timeout":600,"comment":"ssh"},{"val":{"concat":["192.0.2.2",443]},"timeout":600,"comment":"ssh"}]' \
        "$(nft -j list set inet filter svc | jq -c '[.nftables[] | select(.set) | .set.elem[] | .elem | del(.expires)] | sort_by(.val.concat[1])')"
assert_eq "HasElement of a concatenation" "b true" "$(call $T/set/svc $IFACE.Set HasElement s "192.0.2.2 . 443")"
assert_eq "and of one that is not there" "b false" "$(call $T/set/svc $IFACE.Set HasElement s "192.0.2.2 . 80")"
assert_eq "a service by its name, as nft takes it" "b true" "$(call $T/set/svc $IFACE.Set HasElement s "192.0.2.1 . ssh")"
assert_eq "a concatenation missing a field" \
        "Element 1: '192.0.2.1' has fewer fields than the set's key; nothing was changed" \
        "$(err $T/set/svc $IFACE.Set AddElements 'asa{sv}' 1 192.0.2.1 0)"
# 20 s: long enough to be there at the next call on a loaded machine, short enough to wait out
call $T/set/svc $IFACE.Set AddElements 'asa{sv}' 1 "192.0.2.9 . 9" 1 timeout t 20 >/dev/null
assert_eq "an element with a timeout of 20 s is there" "b true" "$(call $T/set/svc $IFACE.Set HasElement s "192.0.2.9 . 9")"
assert_eq "with that timeout in the kernel" 20 \
        "$(nft -j list set inet filter svc | jq '.nftables[] | select(.set) | .set.elem[] | select(.elem.val.concat[0] == "192.0.2.9") | .elem.timeout')"
wait_until "b false" call $T/set/svc $IFACE.Set HasElement s "192.0.2.9 . 9"
assert_eq "and gone after it" "b false" "$(call $T/set/svc $IFACE.Set HasElement s "192.0.2.9 . 9")"

# maps
assert_eq "verdict map elements" "" \
        "$(call $T/set/verdicts $IFACE.Map AddElements 'asa{sv}' 3 "10.0.0.1 : accept" "10.0.0.2 : drop" \
                "10.0.0.3 : jump allowed" 0)"
assert_eq "the kernel's verdict map" $'10.0.0.1 : accept\n10.0.0.2 : drop\n10.0.0.3 : jump allowed' \
        "$(kernel_elements verdicts)"
assert_eq "ListElements of a map" $'10.0.0.1 : accept\n10.0.0.2 : drop\n10.0.0.3 : jump allowed' \
        "$(list $T/set/verdicts $IFACE.Map)"
assert_eq "a jump to a chain that does not exist" \
        "Element 1 ('10.0.0.4 : jump nowhere') was refused by the kernel: the chain it jumps to does not exist; nothing was changed" \
        "$(err $T/set/verdicts $IFACE.Map AddElements 'asa{sv}' 1 "10.0.0.4 : jump nowhere" 0)"
assert_eq "a map element without its value" \
        "Element 1: The map element '10.0.0.5' has no value: write 'KEY : VALUE'; nothing was changed" \
        "$(err $T/set/verdicts $IFACE.Map AddElements 'asa{sv}' 1 10.0.0.5 0)"
call $T/set/ports $IFACE.Map AddElements 'asa{sv}' 2 "80 : 192.0.2.80" "443 : 192.0.2.43" 0 >/dev/null
assert_eq "a data map" $'443 : 192.0.2.43\n80 : 192.0.2.80' "$(kernel_elements ports)"
assert_eq "HasElement of a map takes the key" "b true" "$(call $T/set/ports $IFACE.Map HasElement s 80)"

# deleting
before=$(kernel_elements blocklist)
assert_eq "deleting one that is not there is NotFound, naming it" \
        "Element 2 ('203.0.113.1') was refused by the kernel: it is not in the set; nothing was changed" \
        "$(err $S $IFACE.Set DeleteElements as 2 192.0.2.1 203.0.113.1)"
assert_eq "its error name" "org.nftbus.Firewall1.Error.NotFound" \
        "$(busctl --system call $BUS_NAME $S $IFACE.Set DeleteElements as 1 203.0.113.1 --json=short 2>&1 |
                sed -n 's/.*(\(org[^)]*\)).*/\1/p'; gdbus_call $S $IFACE.Set.DeleteElements "['203.0.113.1']" |
                sed -n 's/^ERROR \([^:]*\):.*/\1/p')"
assert_eq "and nothing was deleted" "$before" "$(kernel_elements blocklist)"
assert_eq "DeleteElements" "" "$(call $S $IFACE.Set DeleteElements as 2 192.0.2.1 192.0.2.2)"
assert_eq "the kernel lost exactly them" $'192.0.2.3\n198.51.100.7' "$(kernel_elements blocklist)"
assert_eq "deleting an interval" "" "$(call $T/set/nets $IFACE.Set DeleteElements as 1 192.168.1.0-192.168.1.20)"
assert_eq "the intervals left" $'10.0.0.0/8\n172.16.0.0/12\n203.0.113.9' "$(kernel_elements nets)"
assert_eq "Flush" "" "$(call $S $IFACE.Set Flush)"
assert_eq "the set is empty" "" "$(kernel_elements blocklist)"
assert_eq "an empty array changes nothing and succeeds" "" "$(call $S $IFACE.Set AddElements 'asa{sv}' 0 0)"

# sets of types nftbus does not encode, made and listed all the same
call $T $IFACE.Table AddSet 'ssa{sv}' states ct_state 0 >/dev/null
assert_eq "a ct_state set" 's "ct_state"' "$(bus get-property $BUS_NAME $T/set/states $IFACE.Set Type)"
assert_match "its elements are refused with a clear error" "^nftbus writes and reads the elements of sets of ipv4_addr" \
        "$(err $T/set/states $IFACE.Set AddElements 'asa{sv}' 1 established 0)"

# sets made by nft are on the bus; anonymous sets of rules are not
nft add set inet filter by_nft '{ type ether_addr; flags timeout; }'
nft add element inet filter by_nft '{ 02:00:5e:10:00:01 }'
assert_eq "a set made by nft" $'s "ether_addr"\nas 1 "timeout"' \
        "$(bus get-property $BUS_NAME $T/set/by_5fnft $IFACE.Set Type Flags)"
assert_eq "and its elements" "02:00:5e:10:00:01" "$(list $T/set/by_5fnft $IFACE.Set)"
assert_eq "expires with no timeout anywhere" "expires needs a timeout: give one with the elements, or give the set one" \
        "$(err $T/set/by_5fnft $IFACE.Set AddElements 'asa{sv}' 1 02:00:5e:10:00:02 1 expires t 60)"
call $T/chain/allowed $IFACE.Chain AddRule 'sa{sv}' 'ip saddr { 192.0.2.1, 192.0.2.2 } accept' 0 >/dev/null
assert_eq "a rule's anonymous set is not an object" \
        "blocklist by_nft counted nets ports small states svc verdicts" \
        "$(bus tree $BUS_NAME --list | sed -n 's|^/org/nftbus/Firewall1/table/inet/filter/set/||p' | sed 's/_5f/_/' |
                sort | xargs)"

# Delete
assert_eq "a set a rule uses is Busy" "org.nftbus.Firewall1.Error.Busy" \
        "$(call $T/chain/allowed $IFACE.Chain AddRule 'sa{sv}' 'ip saddr @blocklist drop' 0 >/dev/null
           gdbus_call $S $IFACE.Set.Delete | sed -n 's/^ERROR \([^:]*\):.*/\1/p')"
call $T/chain/allowed $IFACE.Chain Flush >/dev/null
assert_eq "Delete" "" "$(call $S $IFACE.Set Delete)"
assert_eq "the kernel's sets" '["by_nft","counted","nets","ports","small","states","svc","verdicts"]' "$(sets)"
assert_eq "the object is gone" "" "$(bus tree $BUS_NAME --list | grep /set/blocklist)"

done_testing
