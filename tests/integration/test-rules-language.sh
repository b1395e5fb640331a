#!/usr/bin/env bash
# The rule language over D-Bus, table-driven from rules-language.txt: each rule goes in with AddRule, and
# ListRules must give back exactly what the kernel's own listing (nft -a list chain) shows, which must be
# the expected text. Rules that need kernel support this kernel lacks must be refused, changing nothing.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/t
call $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet t 0 >/dev/null
for chain in c other; do call $T $IFACE.Table AddChain 'sa{sv}' $chain 0 >/dev/null; done
call $T $IFACE.Table AddChain 'sa{sv}' pre 2 hook s prerouting priority s raw >/dev/null
call $T $IFACE.Table AddCounter 'sa{sv}' hits 0 >/dev/null
call $T $IFACE.Table AddQuota 'sta{sv}' q 1000 0 >/dev/null
call $T $IFACE.Table AddLimit 'stsa{sv}' l 10 second 0 >/dev/null
for family in netdev bridge ip ip6; do
        call $ROOT $IFACE.Manager AddTable 'ssa{sv}' $family t 0 >/dev/null
        call $ROOT/table/$family/t $IFACE.Table AddChain 'sa{sv}' c 0 >/dev/null
done
# sets come with their own interface later; nft makes them here
nft add set inet t blocklist '{ type ipv4_addr; }'
nft add set inet t pairs '{ type ipv4_addr . inet_service; }'
nft add set inet t flood '{ type ipv4_addr; flags dynamic; size 1024; }'

has_queue=false
nft -c add rule inet t c queue num 1 2>/dev/null && has_queue=true
has_flowtable=false
if kernel_has_flowtables; then
        has_flowtable=true
        ip link add ft0 type veth peer name ft1
        call $T $IFACE.Table AddFlowtable 'sa{sv}' ft 1 devices as 1 ft0 >/dev/null
fi

rule_count() { nft -j list chain "$1" t "$2" | jq '[.nftables[] | select(.rule)] | length'; }

while IFS=$'\t' read -r family rule expected needs; do
        [[ -z "$family" || "$family" == \#* ]] && continue
        chain=c
        [[ "$rule" == notrack || "$rule" == *tproxy* ]] && chain=pre
        path=$ROOT/table/$family/t/chain/$chain
        supported=true
        [ "$needs" = queue ] && [ $has_queue = false ] && supported=false
        [ "$needs" = flowtable ] && [ $has_flowtable = false ] && supported=false

        before=$(rule_count $family $chain)
        out=$(call $path $IFACE.Chain AddRule 'sa{sv}' "$rule" 0 2>&1)
        if [ $supported = false ]; then
                # the kernel's ENOENT, as libnftables words it: the queue expression (or the flowtable) is not there
                missing=$([ "$needs" = queue ] && echo queue || echo "$rule")
                assert_eq "$family: '$rule' is refused without $needs support: the kernel's error, quoting the rule" \
                        "$(printf "Call failed: Error: '%s' does not exist in table %s t\nadd rule %s t %s %s" \
                                "$missing" "$family" "$family" "$chain" "$rule")" "$(head -n 2 <<<"$out")"
                assert_eq "$family: the refused '$rule' changed nothing" "$before" "$(rule_count $family $chain)"
                continue
        fi
        if [[ "$out" != "t "* ]]; then
                not_ok "$family: AddRule '$rule'"
                diag "$out"
                continue
        fi
        handle=${out#t }
        listed=$(call $path $IFACE.Chain ListRules --json=short | jq -r ".data[0][] | select(.[0] == $handle) | .[1]")
        kernel=$(nft -a list chain $family t $chain | sed -n "s/^\t\t\(.*\) # handle $handle\$/\1/p")
        assert_eq "$family: '$rule' lists as '$expected'" "$expected" "$listed"
        assert_eq "$family: the kernel's listing of '$rule' agrees" "$expected" "$kernel"
done <"$(dirname "$0")/rules-language.txt"

# Round trip through JSON: the statements ListRulesJSON gives make the same rule through AddRuleJSON
P=$T/chain/c
json=$(call $P $IFACE.Chain ListRulesJSON --json=short | jq -r '.data[0]')
n=$(jq length <<<"$json")
call $T $IFACE.Table AddChain 'sa{sv}' copy 0 >/dev/null
for i in $(seq 0 $((n - 1))); do
        expr=$(jq -c ".[$i].expr" <<<"$json")
        call $T/chain/copy $IFACE.Chain AddRuleJSON 'sa{sv}' "$expr" 0 >/dev/null ||
                not_ok "AddRuleJSON takes back rule $i: $expr"
done
texts() { call "$1" $IFACE.Chain ListRules --json=short | jq -c '[.data[0][] | .[1]]'; }
assert_eq "AddRuleJSON of ListRulesJSON rebuilds the chain rule for rule" "$(texts $P)" "$(texts $T/chain/copy)"

done_testing
