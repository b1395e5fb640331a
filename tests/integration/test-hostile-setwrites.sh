#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-rules.rules --rules delegate-dynamic-set.rules)
# A rule that writes into a set from the packet path changes that set's elements: the rules delegate of
# inet/filter/user_rules, who may not add to "admins", may not write a rule that fills "admins" either,
# in any syntax (add/update/delete @set, set add ... @set, meter, JSON set and map statements). It may
# match against "admins", and write into "seen", whose elements it is also given.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
U=$T/chain/user_5frules
denied="ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for"
nftbusctl add-table inet filter
nftbusctl add-chain inet filter user_rules >/dev/null
nft add set inet filter admins '{ type ipv4_addr; flags dynamic; }'
nft add set inet filter seen '{ type ipv4_addr; flags dynamic; }'
nft add map inet filter marks '{ type ipv4_addr : mark; flags dynamic; }'

assert_eq "add @admins { ip saddr } is manage-elements" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "add @admins { ip saddr }" '{}')"
assert_eq "update @admins { ip saddr } too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "tcp dport 22 update @admins { ip saddr } accept" '{}')"
assert_eq "delete @admins { ip saddr } too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "delete @admins { ip saddr }" '{}')"
assert_eq "the older set add ... @admins too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "set add ip saddr @admins" '{}')"
assert_eq "a meter (a set of its own name) too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "meter admins { ip saddr limit rate 10/second } accept" '{}')"
assert_eq "a map written from packets too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "update @marks { ip saddr : 0x1 }" '{}')"
assert_eq "JSON: a set statement" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRuleJSON '[{"set": {"op": "add", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@admins"}}]' '{}')"
assert_eq "ReplaceRule too" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.ReplaceRule "uint64 1" "add @admins { ip saddr }")"
assert_eq "the chain is still empty" "[]" \
        "$(nft -j list chain inet filter user_rules | jq -c '[.nftables[] | select(.rule)]')"

assert_match "matching against admins is a rule like any other" "^\(uint64 [0-9]+,\)$" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "ip saddr @admins accept" '{}')"
assert_match "writing into seen, whose elements the delegate has, is allowed" "^\(uint64 [0-9]+,\)$" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "add @seen { ip saddr }" '{}')"
assert_match "in JSON too" "^\(uint64 [0-9]+,\)$" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRuleJSON '[{"set": {"op": "update", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@seen"}}]' '{}')"
assert_eq "writing into both needs both" "$denied org.nftbus.Firewall1.manage-elements" \
        "$(as_user gdbus_call $U $IFACE.Chain.AddRule "add @seen { ip saddr } add @admins { ip saddr }" '{}')"
assert_eq "the kernel has the three allowed rules" 3 \
        "$(nft -j list chain inet filter user_rules | jq '[.nftables[] | select(.rule)] | length')"

done_testing
