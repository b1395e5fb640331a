#!/usr/bin/env bash
# Root adds, lists, gets, flushes and deletes tables with busctl; the kernel agrees at every step.
source "$(dirname "$0")/lib.sh"

assert_eq "ListTables of a kernel without tables: none (and nftbusd still there, under UBSan)" "a(sso) 0|alive" \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager ListTables)|$(alive)"
out=$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0)
assert_eq "AddTable returns the table's path" 'o "/org/nftbus/Firewall1/table/inet/filter"' "$out"
bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' ip6 nat 0 >/dev/null
assert_eq "the kernel has both tables" '[{"family":"inet","name":"filter"},{"family":"ip6","name":"nat"}]' \
        "$(kernel_tables)"

out=$(bus call $BUS_NAME $ROOT $IFACE.Manager ListTables)
assert_eq "ListTables lists both, sorted" \
        'a(sso) 2 "inet" "filter" "/org/nftbus/Firewall1/table/inet/filter" "ip6" "nat" "/org/nftbus/Firewall1/table/ip6/nat"' \
        "$out"

assert_eq "GetTable finds a table" 'o "/org/nftbus/Firewall1/table/ip6/nat"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager GetTable ss ip6 nat)"
handle=$(nft -j list tables | jq '.nftables[] | select(.table.name == "filter") | .table.handle')
assert_eq "Handle is the kernel's handle" "t $handle" \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Handle)"
assert_eq "Family and Name" $'s "inet"\ns "filter"' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Family Name)"
assert_eq "no flags" "as 0" "$(bus get-property $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Flags)"

nft add chain inet filter input '{ type filter hook input priority 0; }'
nft add rule inet filter input tcp dport 22 accept
nft add rule inet filter input counter
nft add set inet filter my.set '{ type ipv4_addr; }'
nft add map inet filter ports '{ type inet_service : verdict; }'
nft add counter inet filter hits
nft add quota inet filter q '{ 10 mbytes }'
nft add limit inet filter l '{ rate 10/second }'
# wait for the mirror (events), then every kind by its name, escaped paths built by the service
wait_until 'o "/org/nftbus/Firewall1/table/inet/filter/limit/l"' bus call $BUS_NAME $ROOT $IFACE.Manager GetLimit sss inet filter l
assert_eq "GetChain, GetSet, GetMap, GetCounter, GetQuota, GetLimit" "$(printf '%s\n' \
        'o "/org/nftbus/Firewall1/table/inet/filter/chain/input"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/set/my_2eset"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/set/ports"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/counter/hits"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/quota/q"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/limit/l"')" \
        "$(for k in Chain:input Set:my.set Map:ports Counter:hits Quota:q Limit:l; do
                bus call $BUS_NAME $ROOT $IFACE.Manager Get${k%%:*} sss inet filter "${k#*:}"; done)"
assert_eq "GetFlowtable" "No flowtable ft in table inet filter" "$(err $ROOT $IFACE.Manager GetFlowtable sss inet filter ft)"
assert_eq "a set is not a map" "No map my.set in table inet filter" \
        "$(err $ROOT $IFACE.Manager GetMap sss inet filter my.set)"
assert_eq "a missing table says so" "No chain input in table ip filter (there is no such table)" \
        "$(err $ROOT $IFACE.Manager GetChain sss ip filter input)"
assert_eq "a bad name is InvalidArgument" \
        "Invalid chain name 'in put': only letters, digits, '_', '-' and '.' are allowed" \
        "$(err $ROOT $IFACE.Manager GetChain sss inet filter 'in put')"
nft delete limit inet filter l; nft delete quota inet filter q
nft delete counter inet filter hits; nft delete map inet filter ports; nft delete set inet filter my.set

bus call $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Flush
assert_eq "Flush removed the rules" "0" \
        "$(nft -j list table inet filter | jq '[.nftables[] | select(.rule)] | length')"
assert_eq "Flush kept the chain" '"input"' \
        "$(nft -j list table inet filter | jq -c '.nftables[] | select(.chain) | .chain.name')"

bus call $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Delete
assert_eq "Delete removed the table from the kernel" '[{"family":"ip6","name":"nat"}]' "$(kernel_tables)"
out=$(bus call $BUS_NAME $ROOT/table/inet/filter $IFACE.Table Delete 2>&1)
assert_match "the deleted table's object is gone" "Unknown object" "$out"
assert_eq "ListTables follows" 'a(sso) 1 "ip6" "nat" "/org/nftbus/Firewall1/table/ip6/nat"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager ListTables)"

done_testing
