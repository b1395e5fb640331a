#!/usr/bin/env bash
# nftbusctl apply, export and save: a batch from a file or stdin, --check, the export applied back, the
# saved file, and the usage errors.
source "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\n' 'add table inet web' 'add chain inet web input { type filter hook input priority 0; policy drop; }' \
        'add rule inet web input tcp dport { 80, 443 } counter accept comment "web"' >"$dir/web.nft"

assert_eq "apply --check: checked, nothing applied" "0 " "$(nftbusctl apply --check -f "$dir/web.nft"; echo "$? $(nft list tables)")"
assert_eq "apply -f FILE prints the echo, with handles" "add table inet web # handle" \
        "$(nftbusctl apply -f "$dir/web.nft" | head -n 1 | sed 's/ [0-9]*$//')"
assert_eq "the kernel has it" 'tcp dport { 80, 443 } counter packets 0 bytes 0 accept comment "web"' \
        "$(nft list chain inet web input | sed -n 's/^\t\t//p' | tail -n 1)"
assert_eq "apply -f - reads standard input; --json" '{"applied":true}' \
        "$(echo 'add table ip other' | nftbusctl --json apply -f - | jq -c '{applied}')"

nftbusctl export >"$dir/export.nft"
assert_eq "export: the whole ruleset, without handles" "table inet web {|table ip other {" \
        "$(grep '^table' "$dir/export.nft" | paste -sd'|')"
assert_eq "no handle in it" "0" "$(grep -c '# handle' "$dir/export.nft")"
before=$(nft list ruleset)
nft flush ruleset
assert_eq "the export applied back gives the same ruleset" "$before" \
        "$(nftbusctl apply -f "$dir/export.nft" >/dev/null; nft list ruleset)"
# a backup restored over the live ruleset: exactly the backup's state, whatever is there now
nft add rule inet web input tcp dport 8080 accept
nft add chain inet web extra
nft add set inet web blocked '{ type ipv4_addr; }'
nft delete table ip other
nftbusctl apply -f "$dir/export.nft" >/dev/null
assert_eq "applied over the live tables without --replace, nft's own rule adds every rule again" "2" \
        "$(nft list chain inet web input | grep -c 'dport { 80, 443 }')"
assert_eq "apply --replace: the backup's state exactly, the extra rule, chain and set gone, the deleted table back" \
        "$before" "$(nftbusctl apply --replace -f "$dir/export.nft" >/dev/null; nft list ruleset)"
assert_eq "and again: the same (idempotent)" \
        "$before" "$(nftbusctl apply --replace -f "$dir/export.nft" >/dev/null; nft list ruleset)"
nftbusctl export --format json >"$dir/export.json"
nft add rule inet web input udp dport 53 accept
assert_eq "a JSON export restored with --replace" "$before" \
        "$(nftbusctl apply --replace -f "$dir/export.json" >/dev/null; nft list ruleset)"
printf '%s\n' 'table inet web {' '  chain input { type filter hook input priority 0; policy drop; }' '}' \
        'add rule inet web input tcp dport 22 counter accept' 'add rule inet web nosuchchain accept' >"$dir/bad.nft"
out=$(nftbusctl apply --replace -f "$dir/bad.nft" 2>&1); rc=$?
assert_eq "a replacing batch that fails: the error names the caller's line" \
        "3 line 5: Error: No chain 'nosuchchain' in table inet web" \
        "$rc $(head -n 1 <<<"$out" | sed 's/^Failed to apply the batch: //')"
assert_eq "and nothing changed: the table is not replaced half-way" "$before" "$(nft list ruleset)"
printf '%s\n' '{"nftables": [{"table": {"family": "inet", "name": "web"}},' \
        '{"rule": {"family": "inet", "table": "web", "chain": "nosuchchain", "expr": [{"accept": null}]}}]}' \
        >"$dir/bad.json"
out=$(nftbusctl apply --replace -f "$dir/bad.json" 2>&1); rc=$?
assert_match "a failing JSON batch: its command numbered as the caller numbers them, not counting nftbus's" \
        'The failing command is number 2: \{"rule"' "$out"
printf 'table inet "odd name" {\n}\n' >"$dir/odd.nft"
out=$(nftbusctl apply --replace -f "$dir/odd.nft" 2>&1); rc=$?
assert_eq "a table --replace cannot name: refused before anything" \
        "2 Failed to apply the batch: Line 1 of the batch declares a table nftbus cannot replace: Invalid table name '\"': a name starts with a letter or '_' (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
assert_eq "nothing changed" "$before" "$(nft list ruleset)"

assert_eq "export --family --table" "table inet web {" \
        "$(nftbusctl export --family inet --table web | head -n 1)"
assert_eq "export --format json" '["other","web"]' \
        "$(nftbusctl export --format json | jq -c '[.nftables[] | select(.table) | .table.name] | sort')"

assert_eq "save" "0" "$(nftbusctl save; echo $?)"
assert_eq "the saved file holds what nftbus made (both came through Apply)" "table inet web {|table ip other {" \
        "$(grep '^table' "$STATE_DIRECTORY/ruleset.nft" | paste -sd'|')"
nft add table ip by_hand
assert_eq "save FAMILY NAME adds a table nftbus did not make" "table inet web {|table ip other {|table ip by_hand {" \
        "$(nftbusctl save ip by_hand; grep '^table' "$STATE_DIRECTORY/ruleset.nft" | paste -sd'|')"

out=$(nftbusctl apply 2>&1); rc=$?
assert_eq "apply without a file: usage (2)" "2 nftbusctl: usage: nftbusctl apply [--check] [--replace] -f FILE|-" "$rc $out"
out=$(nftbusctl apply -f "$dir/nothere" 2>&1); rc=$?
assert_eq "a file that is not there" "2 nftbusctl: cannot open $dir/nothere: No such file or directory" "$rc $out"
printf 'include "/etc/passwd"\n' >"$dir/bad.nft"
out=$(nftbusctl apply -f "$dir/bad.nft" 2>&1); rc=$?
assert_eq "a batch with an include: refused by the service (2)" \
        "2 Failed to apply the batch: Line 1 of the batch uses 'include': a batch is its own text, without files or definitions (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl export --table web 2>&1); rc=$?
assert_eq "export --table without --family" \
        "2 Failed to export the ruleset: Option table needs option family (org.nftbus.Firewall1.Error.InvalidArgument)" "$rc $out"
out=$(nftbusctl save ip 2>&1); rc=$?
assert_eq "save with half a table" "2 nftbusctl: usage: nftbusctl save [FAMILY NAME]..." "$rc $out"

# the README's workflow: check, then apply; a check leaves no trace (an interval set checked first was
# then refused as "conflicting intervals")
printf '%s\n' 'table inet nets {' '	set s {' '		type ipv4_addr' '		flags interval' \
        '		elements = { 10.0.0.0/8, 192.168.1.1 }' '	}' '}' >"$dir/nets.nft"
assert_eq "apply --check, then apply, of an interval set" "0 0" \
        "$(nftbusctl apply --check -f "$dir/nets.nft" >/dev/null; echo -n "$? "; nftbusctl apply -f "$dir/nets.nft" >/dev/null; echo $?)"
assert_eq "the kernel has the set's elements" "elements = { 10.0.0.0/8, 192.168.1.1 }" \
        "$(nft list set inet nets s | grep -o 'elements = .*')"

done_testing
