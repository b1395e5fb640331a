#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-rules.rules)
# A polkit rule lets the unprivileged test user (group nftbus-delegates) add and delete rules in
# inet/filter/user_rules only, through the family, table and chain details: allowed there, refused in
# every other chain, and for making or deleting chains.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
U=$T/chain/user_5frules
denied="ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for"
bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' ip filter 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddChain 'sa{sv}' user_rules 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddChain 'sa{sv}' input 1 hook s input >/dev/null
bus call $BUS_NAME $ROOT/table/ip/filter $IFACE.Table AddChain 'sa{sv}' user_rules 0 >/dev/null
rules() { nft -j list chain "$1" filter "$2" | jq -c '[.nftables[] | select(.rule) | .rule.handle]'; }

out=$(as_user gdbus_call $U $IFACE.Chain.AddRule "tcp dport 8080 accept" '{}')
assert_match "the delegate may add a rule to user_rules" "^\(uint64 [0-9]+,\)$" "$out"
handle=$(sed 's/.*uint64 \([0-9]*\).*/\1/' <<<"$out")
out=$(as_user gdbus_call $U $IFACE.Chain.AddRuleJSON '[{"drop": null}]' '{}')
assert_match "and one as JSON" "^\(uint64 [0-9]+,\)$" "$out"
assert_eq "and delete one" "()" "$(as_user gdbus_call $U $IFACE.Chain.DeleteRule "uint64 $handle")"
assert_eq "with nftbusctl too" "0" \
        "$(as_user nftbusctl --no-ask-password add-rule inet filter user_rules udp dport 53 accept >/dev/null; echo $?)"

assert_eq "a rule in another chain is refused" "$denied org.nftbus.Firewall1.manage-rules" \
        "$(as_user gdbus_call $T/chain/input $IFACE.Chain.AddRule "accept" '{}')"
assert_eq "in the same chain of another family too" "$denied org.nftbus.Firewall1.manage-rules" \
        "$(as_user gdbus_call $ROOT/table/ip/filter/chain/user_5frules $IFACE.Chain.AddRule "accept" '{}')"
assert_eq "making a chain is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $T $IFACE.Table.AddChain user_rules2 '{}')"
assert_eq "deleting the delegated chain is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $U $IFACE.Chain.Delete)"
assert_eq "renaming it is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $U $IFACE.Chain.Rename other)"
assert_eq "a counter is refused" "$denied org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $T $IFACE.Table.AddCounter c '{}')"
assert_eq "exit 4 from nftbusctl for another chain" "4" \
        "$(as_user nftbusctl --no-ask-password add-rule inet filter input accept 2>/dev/null; echo $?)"

assert_eq "user_rules holds the delegate's two rules" "2" "$(rules inet user_rules | jq length)"
assert_eq "input holds nothing" "[]" "$(rules inet input)"
assert_eq "ip filter user_rules holds nothing" "[]" "$(rules ip user_rules)"
assert_eq "the chains are the ones root made" '["input","user_rules"]' \
        "$(nft -j list chains inet | jq -c '[.nftables[] | select(.chain) | .chain.name] | sort')"

done_testing
