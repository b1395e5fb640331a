#!/usr/bin/env bash
# Manager.Apply: a whole batch, JSON or nft syntax, one transaction, its echo with handles; check (dry
# run); a failing batch changes nothing; what reaches outside the batch is refused before polkit.
source "$(dirname "$0")/lib.sh"

A() { bus call $BUS_NAME $ROOT $IFACE.Manager Apply 'sa{sv}' "$@"; }
err() { busctl --system call $BUS_NAME $ROOT $IFACE.Manager Apply 'sa{sv}' "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
tables() { nft -j list tables | jq -r '[.nftables[1:][].table | "\(.family) \(.name)"] | join(", ")'; }

json='{"nftables": [{"add": {"table": {"family": "inet", "name": "t"}}},
 {"add": {"chain": {"family": "inet", "table": "t", "name": "c"}}},
 {"add": {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": [{"accept": null}]}}}]}'
assert_eq "a JSON batch: its echo carries the handles" '[1,1,2]' \
        "$(A "$json" 0 --json=short | jq -c '[.data[0] | fromjson | .nftables[] | .add[] | .handle]')"
assert_eq "the kernel has all three" "inet t c accept" \
        "$(nft -j list ruleset | jq -r '.nftables[] | select(.rule) | .rule | "\(.family) \(.table) \(.chain) \(.expr[0] | keys[0])"')"
assert_eq "an nft-syntax batch: its echo is nft syntax" \
        "$(printf '%s\n' 'add table ip x # handle 2' 'add chain ip x c # handle 1' 'add rule ip x c counter packets 0 bytes 0 accept # handle 2')" \
        "$(A "$(printf '%s\n' 'add table ip x' 'add chain ip x c' 'add rule ip x c counter accept')" 0 --json=short |
                jq -r '.data[0]' | grep -v '^# new generation')"
assert_eq "check: validated, not applied" 's ""' "$(A 'add table ip y' 1 check b true)"
assert_eq "so there is no table y" "inet t, ip x" "$(tables)"
assert_match "a batch whose second command fails is refused" "^Error: Could not process rule: No such file or directory" \
        "$(err "$(printf '%s\n' 'add table ip z' 'add rule ip z nochain accept')" 0)"
assert_eq "and its first command did not happen either" "inet t, ip x" "$(tables)"

before=$(nft -j list ruleset)
assert_eq "include is refused" "Line 2 of the batch uses 'include': a batch is its own text, without files or definitions" \
        "$(err "$(printf '%s\n' 'add table ip a' 'include "/etc/nftables.conf"')" 0)"
assert_eq "define is refused" "Line 1 of the batch uses 'define': a batch is its own text, without files or definitions" \
        "$(err 'define port = 22' 0)"
assert_eq "variables are refused" "Line 1 of the batch uses a variable ('\$'): variables are not available" \
        "$(err 'add rule ip x c tcp dport $port accept' 0)"
assert_eq "but a quoted or commented word is text" "inet t, ip x, ip quoted" \
        "$(A "$(printf '%s\n' 'add table ip quoted # include this' 'add chain ip quoted c { comment "include define \$x"; }')" 0 >/dev/null; tables)"
nft delete table ip quoted
assert_eq "an empty JSON batch" 'A JSON batch is {"nftables": [command, ...]}, with one command or more' \
        "$(err '{"nftables": []}' 0)"
assert_eq "JSON that does not parse" "The JSON batch does not parse: line 1: premature end of input near '\"nft'" \
        "$(err '{"nft' 0)"
assert_eq "an empty batch" "The batch is empty" "$(err ' ' 0)"
assert_eq "an unknown option" "Unknown option 'dry'" "$(err 'add table ip q' 1 dry b true)"
assert_eq "the test user needs apply-batch" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-batch" \
        "$(as_user gdbus_call $ROOT $IFACE.Manager.Apply 'add table ip mine' '{}')"
assert_eq "nothing changed" "$before" "$(nft -j list ruleset)"

done_testing
