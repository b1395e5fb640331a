#!/usr/bin/env bash
# Manager.Apply: a whole batch, JSON or nft syntax, one transaction, its echo with handles; check (dry
# run); a failing batch changes nothing; what reaches outside the batch is refused before polkit.
# Manager.Export: the round trip of a rich ruleset through Apply.
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
assert_eq "a batch whose second command fails is refused, the error naming it" \
        "$(printf '%s\n' 'line 2: Error: No chain '"'nochain'"' in table ip z' 'add rule ip z nochain accept' '              ^^^^^^^')" \
        "$(err "$(printf '%s\n' 'add table ip z' 'add rule ip z nochain accept')" 0)"
assert_eq "and its first command did not happen either" "inet t, ip x" "$(tables)"
assert_eq "a JSON batch that fails: the error names the failing command" \
        "$(printf '%s\n' 'Error: Could not process rule: No such file or directory' \
                'The failing command is number 3: {"add":{"rule":{"family":"ip","table":"x","chain":"nochain","expr":[{"accept":null}]}}}')" \
        "$(err '{"nftables": [{"add": {"table": {"family": "ip", "name": "j"}}}, {"add": {"chain": {"family": "ip", "table": "j", "name": "c"}}},
                {"add": {"rule": {"family": "ip", "table": "x", "chain": "nochain", "expr": [{"accept": null}]}}},
                {"add": {"table": {"family": "ip", "name": "k"}}}]}' 0)"
assert_eq "with check too" "The failing command is number 2: {\"delete\":{\"table\":{\"family\":\"ip\",\"name\":\"nothere\"}}}" \
        "$(err '{"nftables": [{"add": {"table": {"family": "ip", "name": "j"}}}, {"delete": {"table": {"family": "ip", "name": "nothere"}}}]}' 1 check b true | tail -n 1)"
assert_eq "none of it happened" "inet t, ip x" "$(tables)"

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

# --- Export: the round trip ---
X() { bus call $BUS_NAME $ROOT $IFACE.Manager Export 'a{sv}' "$@" --json=short | jq -r '.data[0]'; }
nft flush ruleset
ip link add rt0 type veth peer name rt1
flowtable=""
kernel_has_flowtables && flowtable='flowtable ft {
                hook ingress priority filter
                devices = { rt0 }
        }'
A "$(cat <<NFT
table inet rich {
        comment "every kind of object"
        counter hits {
                packets 5 bytes 300
        }
        quota monthly {
                over 100 mbytes used 12 mbytes
        }
        limit slow {
                rate 10/second burst 5 packets
        }
        set blocked {
                type ipv4_addr
                flags timeout
                timeout 1h
                comment "dynamic"
                elements = { 192.0.2.1 timeout 30m, 192.0.2.2 }
        }
        set nets {
                type ipv6_addr
                flags interval
                auto-merge
                elements = { 2001:db8::/32, 2001:db9::/48 }
        }
        set pairs {
                type ipv4_addr . inet_service
                elements = { 192.0.2.3 . 22 }
        }
        map ports {
                type inet_service : ipv4_addr
                elements = { 8080 : 10.0.0.5 }
        }
        map verdicts {
                type ipv4_addr : verdict
                elements = { 192.0.2.9 : drop, 192.0.2.10 : jump other }
        }
        $flowtable
        chain input {
                type filter hook input priority filter; policy drop;
                comment "in"
                ip saddr @blocked counter drop
                ip saddr vmap @verdicts
                tcp dport 22 counter name "hits" accept comment "ssh"
                quota name "monthly" limit name "slow" accept
        }
        chain other {
                counter accept
        }
}
table ip plain {
        chain c {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "rt0" masquerade
        }
}
NFT
)" 0 >/dev/null
# timeouts run down between two listings: compare without the time left
strip() { strip_expiry; }
first=$(X 0 | strip)
kernel_before=$(nft list ruleset | strip)
assert_eq "Export is the kernel's own listing: every element, counter, quota use, timeout, comment and flag" \
        "$kernel_before" "$first"
assert_eq "(the listing has them all: 7 elements)" 7 \
        "$(nft -j list ruleset | jq '[.nftables[] | select(.set or .map) | (.set // .map).elem // [] | length] | add')"
for t in rich; do nft delete table inet $t; done; nft delete table ip plain
assert_eq "the ruleset is gone" "" "$(nft list ruleset)"
assert_match "Apply takes the export back" '^s ' "$(A "$first" 0 | head -c 2)"
assert_eq "the kernel holds again what it held: Export, flush, Apply is the identity" "$kernel_before" \
        "$(nft list ruleset | strip)"
assert_eq "exported again: identical, counters, quota use, timeouts, comments and auto-merge included" "$first" "$(X 0 | strip)"
# The same round trip in JSON, compared by the kernel's JSON listing without handles and the time left. What
# libnftables 1.0.6 cannot take back from its own JSON is left out, as Export's documentation says: the
# comments of tables, sets and chains and auto-merge are not in its listing, and a verdict map listed before
# the chain it jumps to does not load (nft -j -f of nft -j list ruleset fails the same way).
nft delete element inet rich verdicts '{ 192.0.2.10 }'
json_lossless='walk(if type == "object" then del(.handle, .expires) else . end) |
        .nftables |= map(if .table or .set or .map or .chain then (.[] |= del(.comment)) else . end)'
kernel_json() { nft -j list ruleset | jq -S "del(.nftables[0]) | $json_lossless"; }
json_before=$(kernel_json)
exported=$(X 1 format s json)
assert_eq "Export in JSON is the kernel's own JSON listing" "$json_before" \
        "$(jq -S "del(.nftables[0]) | $json_lossless" <<<"$exported")"
assert_eq "(with every element: 6)" 6 \
        "$(jq '[.nftables[] | select(.set or .map) | (.set // .map).elem // [] | length] | add' <<<"$exported")"
nft flush ruleset
assert_match "Apply takes the JSON export back" '^s ' "$(A "$exported" 0 2>&1 | head -c 300)"
assert_eq "the kernel holds again what it held, by its JSON listing" "$json_before" "$(kernel_json)"
assert_eq "one table" "$(nft list table inet rich | strip)" "$(X 2 family s inet table s rich | strip)"
assert_eq "one family" "table ip plain {" "$(X 1 family s ip | grep '^table')"
assert_eq "JSON" '["plain","rich"]' "$(X 1 format s json | jq -c '[.nftables[] | select(.table) | .table.name] | sort')"
assert_eq "JSON of one family" '["plain"]'         "$(X 2 format s json family s ip | jq -c '[.nftables[] | select(.table) | .table.name]')"
assert_eq "JSON of one family holds that family's objects only" '["ip"]'         "$(X 2 format s json family s ip | jq -c '[.nftables[] | .[] | .family // empty] | unique')"
xerr() { busctl --system call $BUS_NAME $ROOT $IFACE.Manager Export 'a{sv}' "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
assert_eq "a table that is not there" "No table inet nothere" "$(xerr 2 family s inet table s nothere)"
assert_eq "a table without its family" "Option table needs option family" "$(xerr 1 table s rich)"
assert_eq "a format that is not one" "Invalid format: expected nft (the default) or json" "$(xerr 1 format s xml)"
assert_eq "a family that is not one" "Invalid family 'ipx': expected one of ip, ip6, inet, arp, bridge, netdev"         "$(xerr 1 family s ipx)"

done_testing
