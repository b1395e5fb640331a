#!/usr/bin/env bash
# Live signals: changes made by anyone (nft here) reach the bus as InterfacesAdded, InterfacesRemoved,
# PropertiesChanged and (to subscribers: nftbusctl monitor is one) RulesChanged; the signals of one
# transaction are coalesced, so a 15,000-command batch gives a few; nftbusctl monitor prints them, --json
# too.
source "$(dirname "$0")/lib.sh"

out=$(mktemp)
text=$(mktemp)
trap 'rm -f "$out" "$text"' EXIT
nftbusctl monitor --json >"$out" &
monitor=$!
nftbusctl monitor >"$text" &
monitor_text=$!
for _ in $(seq 100); do [ -s "$out" ] && [ -s "$text" ] && break; sleep 0.05; done
assert_eq "monitor says when it listens" '{"event":"monitoring","service":"org.nftbus.Firewall1"}' "$(head -n 1 "$out")"

T=/org/nftbus/Firewall1/table/inet/ext
# wait_for JQ-FILTER: the first event that matches, within five seconds; and how long it took
wait_for() {
        local start=$(date +%s%N) line
        for _ in $(seq 500); do
                line=$(jq -c "select($1)" "$out" | head -n 1)
                [ -n "$line" ] && { echo "$line"; echo "$(( ($(date +%s%N) - start) / 1000000 ))" >"$out.ms"; return; }
                sleep 0.01
        done
}

nft add table inet ext
assert_eq "nft add table: InterfacesAdded with the Table interface and its properties" \
        "[\"org.nftbus.Firewall1.Table\"] inet ext" \
        "$(wait_for ".event == \"added\" and .path == \"$T\"" | jq -r '"\(.interfaces | tojson) \(.properties.Family) \(.properties.Name)"')"
diag "seen $(cat "$out.ms") ms after nft returned"
nft add chain inet ext c
nft delete chain inet ext c
assert_eq "nft delete chain: InterfacesRemoved" '["org.nftbus.Firewall1.Chain"]' \
        "$(wait_for ".event == \"removed\" and .path == \"$T/chain/c\"" | jq -c .interfaces)"
nft add set inet ext blocked '{ type ipv4_addr; flags interval; }'
assert_eq "nft add set: InterfacesAdded with the Set interface" '[["org.nftbus.Firewall1.Set"],"ipv4_addr",["interval"]]' \
        "$(wait_for ".event == \"added\" and .path == \"$T/set/blocked\"" | jq -c '[.interfaces, .properties.Type, .properties.Flags]')"
nft add chain inet ext base '{ type filter hook input priority 0; policy accept; }'
nft chain inet ext base '{ policy drop; }'
assert_eq "a policy changed by nft: PropertiesChanged with the new value" "org.nftbus.Firewall1.Chain drop" \
        "$(wait_for ".event == \"changed\" and .path == \"$T/chain/base\"" | jq -r '"\(.interface) \(.properties.Policy)"')"

# a batch of more than 10,000 commands: 5,000 chains made and deleted again, 1,000 policy flips, 4,000
# rules, one chain that stays; between two markers
batch=$(mktemp)
{
        for i in $(seq 5000); do echo "add chain inet ext tmp$i"; echo "delete chain inet ext tmp$i"; done
        for i in $(seq 500); do echo "chain inet ext base { policy accept; }"; echo "chain inet ext base { policy drop; }"; done
        echo "add chain inet ext kept"
        for i in $(seq 4000); do echo "add rule inet ext kept counter"; done
} >"$batch"
assert_eq "the batch has 15,001 commands" "15001" "$(wc -l <"$batch")"
nft add table ip before_batch
wait_for ".path == \"/org/nftbus/Firewall1/table/ip/before_5fbatch\"" >/dev/null
nft -f "$batch"
nft add table ip after_batch
wait_for ".path == \"/org/nftbus/Firewall1/table/ip/after_5fbatch\"" >/dev/null
rm -f "$batch"
assert_eq "its signals: the chain that stayed, the policy once, the 4,000 rules as one count" \
        "$(printf '%s\n' "changed $T/chain/base" "added $T/chain/kept" "rules $T/chain/kept 4000 0")" \
        "$(sed -n '/before_5fbatch/,/after_5fbatch/p' "$out" | jq -r 'select(.path | test("batch$") | not) |
                "\(.event) \(.path)" + if .event == "rules" then " \(.properties.added) \(.added_rules | length)" else "" end')"

# changes through nftbus are signalled the same way
bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' ip via_bus 0 >/dev/null
assert_eq "a table added through the bus" "added" \
        "$(wait_for ".path == \"/org/nftbus/Firewall1/table/ip/via_5fbus\"" | jq -r .event)"
nft delete table inet ext
removed() { jq -r "select(.event == \"removed\" and (.path | startswith(\"$T\")) and .path != \"$T/chain/c\") | .path" "$out"; }
for _ in $(seq 100); do [ "$(removed | tail -n 1)" = "$T" ] && break; sleep 0.02; done
assert_eq "a table deleted by nft: its objects are removed, then the table itself" \
        "$T/chain/base $T/chain/kept $T/set/blocked | $T" \
        "$(removed | head -n -1 | sort | xargs) | $(removed | tail -n 1)"

kill -TERM $monitor $monitor_text
wait $monitor; rc=$?
assert_eq "monitor ends on SIGTERM with status 0" "0" "$rc"
wait $monitor_text
assert_eq "the text form: one line per change" "added    /org/nftbus/Firewall1/table/ip/via_5fbus Family=\"ip\" Name=\"via_bus\" Handle=$(nft -j list table ip via_bus | jq '.nftables[1].table.handle') Flags=[]" \
        "$(grep 'via_5fbus' "$text")"
rm -f "$out.ms"

done_testing
