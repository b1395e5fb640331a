#!/usr/bin/env bash
# (run by meson with: harness --rules delegate-table.rules)
# A delegated table is that table, not the host's traffic: the delegate of table "delegated" may make
# regular chains there, but a base chain (input, priority -400, policy drop; a NAT or an ingress chain)
# is manage-base-chains, which it does not have; nor may it set a policy or delete a base chain an admin
# made there. Root may do all of it.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/delegated
denied="ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for"
chains() { nft -j list table inet delegated | jq -c '[.nftables[] | (.chain // empty) | .name] | sort'; }
nftbusctl add-table inet delegated

assert_eq "the delegate makes a regular chain in its table" "(objectpath '$T/chain/mine',)" \
        "$(as_user gdbus_call $T $IFACE.Table.AddChain mine '{}')"
assert_eq "a base chain at -400 with policy drop is manage-base-chains" \
        "$denied org.nftbus.Firewall1.manage-base-chains" \
        "$(as_user gdbus_call $T $IFACE.Table.AddChain grab "{'hook': <'input'>, 'priority': <'-400'>, 'policy': <'drop'>}")"
assert_eq "so is a NAT chain" "$denied org.nftbus.Firewall1.manage-base-chains" \
        "$(as_user gdbus_call $T $IFACE.Table.AddChain nat "{'type': <'nat'>, 'hook': <'prerouting'>, 'priority': <'dstnat'>}")"
nftbusctl add-chain --hook input --policy accept inet delegated input >/dev/null
assert_eq "setting the policy of an admin's base chain" "$denied org.nftbus.Firewall1.manage-base-chains" \
        "$(as_user gdbus_call $T/chain/input $IFACE.Chain.SetPolicy drop)"
assert_eq "deleting it" "$denied org.nftbus.Firewall1.manage-base-chains" \
        "$(as_user gdbus_call $T/chain/input $IFACE.Chain.Delete)"
assert_eq "deleting its own regular chain is fine" "()" "$(as_user gdbus_call $T/chain/mine $IFACE.Chain.Delete)"
assert_eq "the kernel: the admin's base chain, as it was" '["input"]|policy accept' \
        "$(chains)|$(nft list chain inet delegated input | grep -o 'policy [a-z]*')"
assert_eq "root sets the policy" "()" "$(gdbus_call $T/chain/input $IFACE.Chain.SetPolicy drop)"
assert_eq "and makes a base chain" "(objectpath '$T/chain/grab',)" \
        "$(gdbus_call $T $IFACE.Table.AddChain grab "{'hook': <'input'>, 'priority': <'-400'>, 'policy': <'accept'>}")"

done_testing
