#!/usr/bin/env bash
# Chains and rules with busctl: base and regular chains, properties, policy, rename and delete; rules
# placed, replaced and deleted by handle; the kernel's refusals and every injection attempt change
# nothing; the ObjectManager signals every chain that comes and goes.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
# err CALL...: the D-Bus error of a failing call, as "Name: message"
err() { busctl --system --json=short call $BUS_NAME "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
chains() { nft -j list chains inet | jq -c '[.nftables[] | select(.chain) | .chain.name] | sort'; }
rules() { nft -j list chain inet filter "$1" | jq -c '[.nftables[] | select(.rule) | .rule.handle]'; }

signals=$(mktemp)
monitor_start "$signals"

call $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
out=$(call $T $IFACE.Table AddChain 'sa{sv}' input 3 hook s input priority s "filter + 10" policy s drop)
assert_eq "AddChain returns the chain's path" 'o "/org/nftbus/Firewall1/table/inet/filter/chain/input"' "$out"
assert_eq "the kernel has the base chain as asked" \
        "type filter hook input priority filter + 10; policy drop;" \
        "$(nft list chain inet filter input | sed -n 's/^\t\t\(type .*\)$/\1/p')"
assert_eq "Type, Hook, Priority, Policy" $'s "filter"\ns "input"\ni 10\ns "drop"' \
        "$(bus get-property $BUS_NAME $T/chain/input $IFACE.Chain Type Hook Priority Policy)"
call $T $IFACE.Table AddChain 'sa{sv}' user_rules 0 >/dev/null
assert_eq "a regular chain has no type, hook or policy" $'s ""\ns ""\ns ""' \
        "$(bus get-property $BUS_NAME $T/chain/user_5frules $IFACE.Chain Type Hook Policy)"
call $T $IFACE.Table AddChain 'sa{sv}' -- pre 3 hook s prerouting type s nat priority i -100 >/dev/null
assert_eq "a numeric priority, a nat chain" "type nat hook prerouting priority dstnat; policy accept;" \
        "$(nft list chain inet filter pre | sed -n 's/^\t\t\(type .*\)$/\1/p')"

call $T $IFACE.Table AddChain 'sa{sv}' noted 1 comment s "kept by the kernel" >/dev/null
assert_eq "a chain's comment reaches the kernel" '"kept by the kernel"' \
        "$(nft list chain inet filter noted | sed -n 's/^\t\tcomment \(.*\)$/\1/p')"
assert_eq "and reads back as Comment" 's "kept by the kernel"' \
        "$(bus get-property $BUS_NAME $T/chain/noted $IFACE.Chain Comment)"
ip link add nb0 type veth peer name nb1
call $ROOT $IFACE.Manager AddTable 'ssa{sv}' netdev edge 0 >/dev/null
call $ROOT/table/netdev/edge $IFACE.Table AddChain 'sa{sv}' in 4 hook s ingress devices as 2 nb0 nb1 \
        policy s drop comment s "two ports" >/dev/null
assert_eq "a netdev chain on two devices" \
        'type filter hook ingress devices = { nb0, nb1 } priority filter; policy drop;' \
        "$(nft list chain netdev edge in | sed -n 's/^\t\t\(type .*\)$/\1/p')"
assert_eq "Devices lists them" 'as 2 "nb0" "nb1"' \
        "$(bus get-property $BUS_NAME $ROOT/table/netdev/edge/chain/in $IFACE.Chain Devices)"

# refused, saying why, before anything changes
before=$(chains)
assert_eq "a policy on a regular chain is refused" \
        "A policy needs a base chain: give a hook, or leave the policy out (a regular chain has none)" \
        "$(err $T $IFACE.Table AddChain 'sa{sv}' x 1 policy s drop)"
assert_eq "an ingress chain without a device is refused" \
        "The ingress hook of the inet family needs a device: give the device or devices option" \
        "$(err $T $IFACE.Table AddChain 'sa{sv}' x 1 hook s ingress)"
assert_eq "an unknown priority name is refused" \
        "Invalid priority 'fliter': expected a number, or a standard name of the family (raw, mangle, dstnat, filter, security, srcnat; bridge: dstnat, filter, out, srcnat) with an optional offset such as 'filter + 10'" \
        "$(err $T $IFACE.Table AddChain 'sa{sv}' x 2 hook s input priority s fliter)"
assert_eq "an existing chain is AlreadyExists" "The chain input exists already in table inet filter" \
        "$(err $T $IFACE.Table AddChain 'sa{sv}' input 0)"
assert_eq "a bad chain name is refused" "Invalid chain name 'a;b': only letters, digits, '_', '-' and '.' are allowed" \
        "$(err $T $IFACE.Table AddChain 'sa{sv}' 'a;b' 0)"
assert_eq "a nat chain in the netdev family is refused" \
        "nat chains do not exist in the netdev family; they exist in ip, ip6 and inet" \
        "$(err $ROOT/table/netdev/edge $IFACE.Table AddChain 'sa{sv}' x 3 hook s ingress type s nat device s lo)"
assert_eq "none of that changed the chains" "$before" "$(chains)"

# rules, placed
C=$T/chain/input
add() { call $C $IFACE.Chain AddRule 'sa{sv}' "$@" | cut -d' ' -f2; }
a=$(add "tcp dport 22 accept" 0)
b=$(add "tcp dport 80 accept" 1 comment s "web")
c=$(add "tcp dport 1 accept" 1 insert b true)
d=$(add "tcp dport 2 accept" 1 after t "$a")
e=$(add "tcp dport 3 accept" 1 before t "$b")
f=$(add "tcp dport 4 accept" 1 index u 0)
assert_eq "rules sit where they were placed" "[$c,$f,$a,$d,$e,$b]" "$(rules input)"
assert_eq "ListRules: handle, text, comment" \
        "[$b,\"tcp dport 80 accept\",\"web\"]" \
        "$(call $C $IFACE.Chain ListRules --json=short | jq -c '.data[0][5]')"

call $C $IFACE.Chain ReplaceRule ts "$a" "tcp dport 2222 accept"
assert_eq "ReplaceRule keeps the handle and changes the rule" "tcp dport 2222 accept" \
        "$(nft -a list chain inet filter input | sed -n "s/^\t\t\(.*\) # handle $a\$/\1/p")"
call $C $IFACE.Chain DeleteRule t "$f"
assert_eq "DeleteRule removes that rule only" "[$c,$a,$d,$e,$b]" "$(rules input)"
assert_eq "deleting a missing handle is NotFound, naming the handle" "No rule with handle 9999 in chain inet filter input" \
        "$(err $C $IFACE.Chain DeleteRule t 9999)"
assert_eq "gdbus sees the error name" "org.nftbus.Firewall1.Error.NotFound" \
        "$(error_name "$(gdbus_call $C $IFACE.Chain.DeleteRule 9999)")"
assert_eq "replacing a missing handle is NotFound, naming the handle" "Error: No rule with handle 9999 in chain inet filter input" \
        "$(err $C $IFACE.Chain ReplaceRule ts 9999 accept | head -n 1)"
assert_eq "a rule naming a set that is not there: what is missing, in words" \
        "Error: No set or map 'nosuch' in table inet filter" \
        "$(err $C $IFACE.Chain AddRule 'sa{sv}' 'ip saddr @nosuch accept' 0 | head -n 1)"

# refused by the kernel: Rejected with nft's message, nothing changes
before=$(rules input)
out=$(gdbus_call $C $IFACE.Chain.AddRule "dnat to 10.0.0.1" '{}')
assert_eq "a nat statement in a filter chain is Rejected" "org.nftbus.Firewall1.Error.Rejected" "$(error_name "$out")"
out=$(gdbus_call $C $IFACE.Chain.AddRule "jump nowhere" '{}')
assert_eq "a jump to a missing chain is Rejected" "org.nftbus.Firewall1.Error.Rejected" "$(error_name "$out")"
assert_eq "with what is missing, in words" \
        "ERROR org.nftbus.Firewall1.Error.Rejected: Error: No chain 'nowhere' in table inet filter" "$(head -n 1 <<<"$out")"
# the kernel finds loops from base chains: fwd -> loop_a -> loop_b, then loop_b -> loop_a would close one.
# "fwd" is an nft keyword: nft syntax cannot name the chain, so its rules go in as JSON
call $T $IFACE.Table AddChain 'sa{sv}' fwd 1 hook s forward >/dev/null
call $T $IFACE.Table AddChain 'sa{sv}' loop_a 0 >/dev/null
call $T $IFACE.Table AddChain 'sa{sv}' loop_b 0 >/dev/null
out=$(gdbus_call $T/chain/fwd $IFACE.Chain.AddRule "jump loop_a" '{}')
assert_match "AddRule in a chain named like a keyword is Rejected with nft's syntax error" \
        "^ERROR org.nftbus.Firewall1.Error.Rejected: .*syntax error, unexpected fwd" "$out"
call $T/chain/fwd $IFACE.Chain AddRuleJSON 'sa{sv}' '[{"jump": {"target": "loop_a"}}]' 0 >/dev/null
call $T/chain/loop_5fa $IFACE.Chain AddRule 'sa{sv}' "jump loop_b" 0 >/dev/null
out=$(gdbus_call $T/chain/loop_5fb $IFACE.Chain.AddRule "jump loop_a" '{}')
assert_eq "a chain loop is Rejected" "org.nftbus.Firewall1.Error.Rejected" "$(error_name "$out")"
assert_eq "the loop's chain kept no rule" "[]" "$(rules loop_b)"
out=$(gdbus_call $C $IFACE.Chain.AddRuleJSON '[{"jump": {"target": "nowhere"}}]' '{}')
assert_eq "AddRuleJSON: a jump to a missing chain is Rejected" "org.nftbus.Firewall1.Error.Rejected" \
        "$(error_name "$out")"
assert_eq "AddRuleJSON: not JSON" "org.nftbus.Firewall1.Error.InvalidArgument" \
        "$(error_name "$(gdbus_call $C $IFACE.Chain.AddRuleJSON '[{"accept": null}' '{}')")"
assert_eq "AddRuleJSON: not an array of statements" "org.nftbus.Firewall1.Error.InvalidArgument" \
        "$(error_name "$(gdbus_call $C $IFACE.Chain.AddRuleJSON '{"accept": null}' '{}')")"
assert_eq "none of that changed the chain" "$before" "$(rules input)"

# what would leave the rule never reaches nft
for attempt in "accept; flush ruleset" $'accept\ndelete table inet filter' 'include "/etc/passwd"' \
        'accept } ; table inet evil { ' 'ip saddr $net accept' "position $a accept" "accept # hidden"; do
        out=$(gdbus_call $C $IFACE.Chain.AddRule "$attempt" '{}')
        assert_eq "refused: $(printf %q "$attempt")" "org.nftbus.Firewall1.Error.InvalidArgument" "$(error_name "$out")"
done
out=$(gdbus_call $C $IFACE.Chain.AddRule "accept" "{'comment': <'a\" ; flush ruleset ; \"'>}")
assert_eq "a comment with quotes is refused" "org.nftbus.Firewall1.Error.InvalidArgument" "$(error_name "$out")"
out=$(gdbus_call $C $IFACE.Chain.ReplaceRule "uint64 $a" "accept; flush ruleset")
assert_eq "ReplaceRule checks the body too" "org.nftbus.Firewall1.Error.InvalidArgument" "$(error_name "$out")"
assert_eq "the table and its rules are all still there" "$before" "$(rules input)"

# policy, rename, delete
call $C $IFACE.Chain SetPolicy s accept
assert_eq "SetPolicy reaches the kernel" "accept" \
        "$(nft -j list chain inet filter input | jq -r '.nftables[] | select(.chain) | .chain.policy')"
assert_eq "SetPolicy on a regular chain is refused" \
        "A regular chain has no policy: only base chains (with a hook) do" \
        "$(err $T/chain/user_5frules $IFACE.Chain SetPolicy s drop)"
out=$(call $C $IFACE.Chain Rename s inbound)
assert_eq "Rename returns the new path" 'o "/org/nftbus/Firewall1/table/inet/filter/chain/inbound"' "$out"
assert_eq "the rules moved with the name" "[$c,$a,$d,$e,$b]" "$(rules inbound)"
assert_match "the old path is gone" "Unknown object" "$(err $C $IFACE.Chain ListRules)"
call $T/chain/inbound $IFACE.Chain Delete
call $T/chain/user_5frules $IFACE.Chain Delete
assert_eq "Delete removes chains, with their rules" '["fwd","loop_a","loop_b","noted","pre"]' "$(chains)"
out=$(gdbus_call $T/chain/loop_5fb $IFACE.Chain.Delete)
assert_eq "a chain a rule jumps to is Busy" "org.nftbus.Firewall1.Error.Busy" "$(error_name "$out")"

# every chain that came and went was signalled
sig() { signals_of "$signals" "$1" '/chain/'; }
wait_until "$T/chain/inbound $T/chain/input $T/chain/user_5frules " sig InterfacesRemoved
kill $monitor
assert_eq "InterfacesAdded for every chain" \
        "$T/chain/fwd $T/chain/inbound $T/chain/input $T/chain/loop_5fa $T/chain/loop_5fb $T/chain/noted $T/chain/pre $T/chain/user_5frules $ROOT/table/netdev/edge/chain/in " \
        "$(sig InterfacesAdded)"
assert_eq "InterfacesRemoved for every chain deleted or renamed away" \
        "$T/chain/inbound $T/chain/input $T/chain/user_5frules " "$(sig InterfacesRemoved)"
assert_eq "PropertiesChanged for the policy" "1" \
        "$(jq -r "select(.member == \"PropertiesChanged\" and .path == \"$C\") | .payload.data[1].Policy.data" "$signals" | grep -c accept)"
rm -f "$signals"

done_testing
