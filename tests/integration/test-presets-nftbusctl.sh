#!/usr/bin/env bash
# nftbusctl preset: list, show, preview and apply, with typed NAME=VALUE options (from the preset's
# Options), lists from a file, --json, and the usage errors.
source "$(dirname "$0")/lib.sh"

assert_eq "preset list" "harden router server workstation" "$(nftbusctl preset list | awk '{ print $1 }' | xargs)"
assert_eq "preset list --json" '["harden","router","server","workstation"]' \
        "$(nftbusctl --json preset list | jq -c '[.[].name]')"
assert_eq "preset show: options with types and defaults" "$(printf '%s\n' \
        '  services (as, default [])' '  allow_ping (b, default true)' '  log_dropped (b, default false)')" \
        "$(nftbusctl preset show workstation | grep '^  [a-z]')"
assert_eq "preset show --json" '[["wan","s",""],["lan","as",[]],["masquerade","b",true],["ipv6","b",true]]' \
        "$(nftbusctl --json preset show router | jq -c '[.options[] | [.name, .signature, .default]]')"
assert_eq "preset preview: the batch" "add rule inet nftbus_workstation input tcp dport 22 counter accept" \
        "$(nftbusctl preset preview workstation services=ssh,domain allow_ping=no | grep -o 'add rule .* dport 22 counter accept')"
assert_eq "and nothing applied" "[]" "$(nft -j list ruleset | jq -c '.nftables[1:]')"
assert_eq "preset apply prints the table" "/org/nftbus/Firewall1/table/inet/nftbus_5fworkstation" \
        "$(nftbusctl preset apply workstation services=ssh,domain allow_ping=no)"
assert_eq "preview after apply: nothing to do" "" "$(nftbusctl preset preview workstation services=ssh,domain allow_ping=no)"
assert_eq "--json preview" '{"batch":""}' \
        "$(nftbusctl --json preset preview workstation services=ssh,domain allow_ping=no | jq -c .)"

# a list from a file and from standard input
nets=$(mktemp)
trap 'rm -f "$nets"' EXIT
printf '%s\n' '# a country' 192.0.2.0/24 198.51.100.0/24 '' 203.0.113.0/24 >"$nets"
assert_eq "lists from @FILE, comments and blank lines skipped" '{"applied":"/org/nftbus/Firewall1/table/inet/nftbus_5fserver"}' \
        "$(nftbusctl --json preset apply server services=ssh blacknets=@"$nets" blacklist_timeout=60 | jq -c .)"
assert_eq "blacknets holds them" "3" "$(nft -j list set inet nftbus_server blacknets_v4 | jq '.nftables[1].set.elem | length')"
assert_eq "and @- reads standard input" "/org/nftbus/Firewall1/table/inet/nftbus_5fserver" \
        "$(printf '%s\n' 203.0.113.7 203.0.113.8 | nftbusctl preset apply server services=ssh blacklist=@-)"
assert_eq "the blacklist holds them" '["203.0.113.7","203.0.113.8"]' \
        "$(nft -j list set inet nftbus_server blacklist_v4 | jq -c '[.nftables[1].set.elem[]]')"
assert_eq "harden, with a number" "/org/nftbus/Firewall1/preset/harden" "$(nftbusctl preset apply harden rp_filter=2)"
assert_eq "rp_filter is 2" "2" "$(nftbusctl sysctl get net.ipv4.conf.all.rp_filter)"

before=$(nft -j list ruleset)
out=$(nftbusctl preset apply workstation colour=red 2>&1); rc=$?
assert_eq "an option the preset does not have" \
        "2 nftbusctl: 'colour=red' is not NAME=VALUE with one of the names: services allow_ping log_dropped" "$rc $out"
out=$(nftbusctl preset apply workstation allow_ping=perhaps 2>&1); rc=$?
assert_eq "a boolean that is not one" "2 nftbusctl: allow_ping is true or false, not 'perhaps'" "$rc $out"
out=$(nftbusctl preset apply harden rp_filter=-1 2>&1); rc=$?
assert_eq "a negative number" "2 nftbusctl: rp_filter takes a number from 0 to 4294967295, not '-1'" "$rc $out"
out=$(nftbusctl preset apply server blacknets=@/nonexistent 2>&1); rc=$?
assert_eq "a file that is not there" "2 nftbusctl: cannot open /nonexistent for blacknets: No such file or directory" \
        "$rc $out"
out=$(nftbusctl preset apply workstation services=telnetd 2>&1); rc=$?
assert_eq "what the service refuses: its message, exit 2" \
        "2 Failed to apply the preset: Invalid service 'telnetd': not a service /etc/services knows (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$rc $out"
out=$(nftbusctl preset apply castle 2>&1); rc=$?
assert_eq "a preset that does not exist: not found (3)" \
        "3 Failed to read the preset's options: No preset 'castle': the presets are workstation, server, router, harden (org.nftbus.Firewall1.Error.NotFound)" \
        "$rc $out"
out=$(nftbusctl preset frobnicate 2>&1); rc=$?
assert_eq "a subcommand that is not one: usage" "2" "$rc"
assert_eq "nothing changed" "$before" "$(nft -j list ruleset)"

done_testing
