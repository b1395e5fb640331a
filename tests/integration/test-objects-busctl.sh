#!/usr/bin/env bash
# Named counters, quotas and limits: made over D-Bus, used by rules by name, read live while real
# packets (UDP datagrams over loopback in the test's namespace) pass; Reset, Delete, and the refusals.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
ip link set lo up
signals=$(mktemp)
monitor_start "$signals"

call $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
assert_eq "AddCounter returns its path" 'o "/org/nftbus/Firewall1/table/inet/filter/counter/pings"' \
        "$(call $T $IFACE.Table AddCounter 'sa{sv}' pings 1 comment s "echo requests")"
call $T $IFACE.Table AddQuota 'sta{sv}' daily 1000000 1 comment s "a day's worth" >/dev/null
call $T $IFACE.Table AddLimit 'stsa{sv}' slow 2 second 1 burst u 3 >/dev/null
call $T $IFACE.Table AddLimit 'stsa{sv}' bulk 10 minute 2 unit s bytes over b true >/dev/null
call $T $IFACE.Table AddChain 'sa{sv}' out 1 hook s output >/dev/null
call $T/chain/out $IFACE.Chain AddRule 'sa{sv}' \
        'udp dport 9 counter name "pings" quota name "daily" limit name "slow" accept' 0 >/dev/null

assert_eq "the kernel has the objects as asked" \
        "$(printf '%s\n' 'counter pings {' 'comment "echo requests"' 'packets 0 bytes 0' '}' \
                'quota daily {' 'comment "a day'"'"'s worth"' '1000000 bytes' '}' \
                'limit slow {' 'rate 2/second burst 3 packets' '}' 'limit bulk {' 'rate over 10 bytes/minute' '}')" \
        "$(nft list table inet filter | sed -n '/^\t\(counter\|quota\|limit\) /,/^\t}/p' | sed 's/^\t*//')"

python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3): s.sendto(b"x" * 100, ("127.0.0.1", 9))'
assert_eq "Packets counts the three datagrams" "t 3" \
        "$(bus get-property $BUS_NAME $T/counter/pings $IFACE.Counter Packets)"
bytes=$(nft -j list counter inet filter pings | jq '.nftables[] | select(.counter) | .counter.bytes')
assert_eq "the kernel counted three 128-byte packets" "384" "$bytes"
assert_eq "Bytes is the kernel's count" "t $bytes" "$(bus get-property $BUS_NAME $T/counter/pings $IFACE.Counter Bytes)"
assert_eq "Used is the quota's use" "t $bytes" "$(bus get-property $BUS_NAME $T/quota/daily $IFACE.Quota Used)"
assert_eq "Quota Bytes, Over, Comment" $'t 1000000\nb false\ns "a day\'s worth"' \
        "$(bus get-property $BUS_NAME $T/quota/daily $IFACE.Quota Bytes Over Comment | sed "s/\\\\'/'/")"
assert_eq "Limit Rate, Per, Burst, Unit, Over" $'t 2\ns "second"\nu 3\ns "packets"\nb false' \
        "$(bus get-property $BUS_NAME $T/limit/slow $IFACE.Limit Rate Per Burst Unit Over)"
assert_eq "a byte limit, inverted" $'s "minute"\ns "bytes"\nb true' \
        "$(bus get-property $BUS_NAME $T/limit/bulk $IFACE.Limit Per Unit Over)"

assert_eq "Reset returns the values it cleared" "tt 3 $bytes" "$(call $T/counter/pings $IFACE.Counter Reset)"
assert_eq "after Reset the counter is zero" "t 0" "$(bus get-property $BUS_NAME $T/counter/pings $IFACE.Counter Packets)"

# refusals change nothing
objects() { nft -j list table inet filter | jq -c '[.nftables[] | (.counter // .quota // .limit // empty) | .name]'; }
before=$(objects)
assert_eq "an existing counter is AlreadyExists" "The counter pings exists already in table inet filter" \
        "$(err $T $IFACE.Table AddCounter 'sa{sv}' pings 0)"
assert_eq "an empty quota is refused" "A quota is from 1 to 2^63-1 bytes" \
        "$(err $T $IFACE.Table AddQuota 'sta{sv}' q 0 0)"
assert_eq "an unknown period is refused" "Invalid per 'fortnight': expected second, minute, hour, day or week" \
        "$(err $T $IFACE.Table AddLimit 'stsa{sv}' l 1 fortnight 0)"
assert_eq "an unknown unit is refused" "A limit's unit is packets or bytes" \
        "$(err $T $IFACE.Table AddLimit 'stsa{sv}' l 1 second 1 unit s kbytes)"
assert_eq "an option of the wrong type is refused" "Option 'burst' takes a value of D-Bus type 'u' (or another integer type), not 's'" \
        "$(err $T $IFACE.Table AddLimit 'stsa{sv}' l 1 second 1 burst s 5)"
out=$(gdbus_call $T/counter/pings $IFACE.Counter.Delete)
assert_eq "a counter a rule uses is Busy" "org.nftbus.Firewall1.Error.Busy" "$(error_name "$out")"
assert_eq "none of that changed the objects" "$before" "$(objects)"

if kernel_has_flowtables; then
        ip link add ft0 type veth peer name ft1
        assert_eq "AddFlowtable returns its path" 'o "/org/nftbus/Firewall1/table/inet/filter/flowtable/fast"' \
                "$(call $T $IFACE.Table AddFlowtable 'sa{sv}' fast 1 devices as 2 ft0 ft1)"
        assert_eq "Hook, Priority, Devices" $'s "ingress"\ni 0\nas 2 "ft0" "ft1"' \
                "$(bus get-property $BUS_NAME $T/flowtable/fast $IFACE.Flowtable Hook Priority Devices)"
        call $T/flowtable/fast $IFACE.Flowtable Delete
else
        ip link add ft0 type veth peer name ft1
        out=$(gdbus_call $T $IFACE.Table.AddFlowtable fast "{'devices': <['ft0']>}")
        assert_eq "without kernel flowtables AddFlowtable fails with the kernel's ENOENT, as nft words it" \
                "ERROR org.nftbus.Firewall1.Error.NotFound: Error: Could not process rule: No such file or directory" "$out"
        assert_eq "and makes nothing" "0" "$(nft -j list flowtables | jq '[.nftables[] | select(.flowtable)] | length')"
        for what in "AddFlowtable returns its path" "Hook, Priority, Devices" "Flowtable.Delete"; do
                skip "$what" "this kernel has no flowtables (CONFIG_NF_FLOW_TABLE); bench/ or a kernel with them runs it"
        done
fi
assert_eq "a flowtable without devices is refused" "A flowtable needs its devices: give the devices option" \
        "$(err $T $IFACE.Table AddFlowtable 'sa{sv}' f 0)"

call $T/chain/out $IFACE.Chain Flush
call $T/counter/pings $IFACE.Counter Delete
call $T/quota/daily $IFACE.Quota Delete
call $T/limit/slow $IFACE.Limit Delete
assert_eq "Delete removes them" '["bulk"]' "$(objects)"
assert_match "and their objects leave the bus" "Unknown object" \
        "$(busctl --system get-property $BUS_NAME $T/counter/pings $IFACE.Counter Packets 2>&1)"

sig() { signals_of "$signals" "$1" '/(counter|quota|limit)/'; }
wait_until "$T/counter/pings $T/limit/slow $T/quota/daily " sig InterfacesRemoved
kill $monitor
assert_eq "InterfacesAdded for every named object" \
        "$T/counter/pings $T/limit/bulk $T/limit/slow $T/quota/daily " "$(sig InterfacesAdded)"
assert_eq "InterfacesRemoved for every one deleted" "$T/counter/pings $T/limit/slow $T/quota/daily " \
        "$(sig InterfacesRemoved)"
rm -f "$signals"

done_testing
