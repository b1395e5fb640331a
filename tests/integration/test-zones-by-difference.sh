#!/usr/bin/env bash
# A zone change costs what it changes (core/zonediff.h), seen in the kernel and with packets: with 300 rich rules in
# public (in chunk chains of about 64), one rule added or removed rewrites its chunk only, a service changes an
# element and no rule, a target rewrites the zone's own chain; the rules kept keep their handles. A table changed by
# hand meanwhile is made whole again, and a refused change leaves the table as it was.
source "$(dirname "$0")/lib.sh"

Z=$ROOT/zone
zone() { local name=$1; shift; bus call $BUS_NAME $Z/$name $IFACE.Zone "$@"; }
manager() { bus call $BUS_NAME $ROOT $IFACE.Manager "$@"; }
from() { connect_from in_client "$@"; }
# every rule of the zones' table as "CHAIN HANDLE", sorted
rules() { nft -a -j list table inet nftbus_zones | jq -r '.nftables[] | select(.rule) | "\(.rule.chain) \(.rule.handle)"' | sort; }
table_handle() { nft -a -j list table inet nftbus_zones | jq -r '.nftables[] | select(.table) | .table.handle'; }
# the rules of before that are gone now
gone() { comm -23 <(echo "$1") <(rules) | wc -l; }
banned() { nft list table inet nftbus_zones | grep -c 'ip saddr 10\.9\.'; }
drop_rule() { echo "rule family=\"ipv4\" source address=\"$1\" drop"; }

make_network
answer_peers
manager SetZonesEnabled 'ba{sv}' true 0
zone public AddInterface 'sa{sv}' r-c 0
assert_eq "ssh gets in through public" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"

for i in $(seq 0 299); do
        zone public AddRichRule 'sa{sv}' "$(drop_rule "10.9.$((i / 256)).$((i % 256))")" 0
done
assert_eq "300 rich rules, each once in the kernel" 300 "$(banned)"
chunks=$(nft list table inet nftbus_zones | grep -c '^\s*chain zone_public_d_')
assert_eq "in chunk chains the zone's chain jumps to, one jump each" "$chunks" \
        "$(nft list chain inet nftbus_zones zone_public | grep -c 'jump zone_public_d_')"
assert_match "about 64 rules a chunk" '^([2-9]|1[0-9])$' "$chunks"
assert_eq "ssh still gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"

table=$(table_handle)
before=$(rules)
zone public AddRichRule 'sa{sv}' "$(drop_rule 10.0.1.2)" 0
assert_eq "a rule that drops the client: dropped" "no answer" "$(from 10.0.1.2 10.0.1.1 22)"
assert_match "its chunk rewritten at most, the other rules kept with their handles" '^[0-9]$|^[1-6][0-9]$|^7[0-5]$' \
        "$(gone "$before")"
assert_eq "the table is the same table" "$table" "$(table_handle)"

before=$(rules)
zone public RemoveRichRule 'sa{sv}' "$(drop_rule 10.0.1.2)" 0
assert_eq "removed: the client gets in again" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_match "one rule gone, or its chunk rewritten" '^[0-9]$|^[1-6][0-9]$|^7[0-5]$' "$(gone "$before")"
assert_eq "300 rules still" 300 "$(banned)"

before=$(rules)
assert_eq "http is refused before" "unreachable" "$(from 10.0.1.2 10.0.1.1 80)"
zone public AddService 'sa{sv}' http 0
assert_eq "a service: http gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 80)"
assert_eq "by an element: no rule of the table changed" 0 "$(gone "$before")"

before=$(rules)
zone public SetTarget 'sa{sv}' drop 0
assert_eq "the target drop: what no service allows goes unanswered" "no answer" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "and ssh still gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "the chunks kept: only the end of the zone's own chain rewritten" 0 \
        "$(comm -23 <(echo "$before" | grep ' *zone_public_d_') <(rules) | wc -l)"
zone public SetTarget 'sa{sv}' default 0

# a rule of a chunk deleted by hand: the next change finds the table is not what nftbusd made, and makes it whole
chunk=$(nft list table inet nftbus_zones | awk '/^[ \t]*chain zone_public_d_/ { print $2; exit }')
handle=$(nft -a list chain inet nftbus_zones "$chunk" | awk '/ip saddr 10\.9\./ { print $NF; exit }')
nft delete rule inet nftbus_zones "$chunk" handle "$handle"
assert_eq "by hand: one rule fewer" 299 "$(banned)"
zone public AddRichRule 'sa{sv}' "$(drop_rule 10.0.1.2)" 0
assert_eq "the next change makes the table whole again: the rule is back" 300 "$(banned)"
assert_eq "and the client is dropped" "no answer" "$(from 10.0.1.2 10.0.1.1 22)"
before=$(rules)
zone public RemoveRichRule 'sa{sv}' "$(drop_rule 10.0.1.2)" 0
assert_eq "then by difference again" "10.0.1.2|300" "$(from 10.0.1.2 10.0.1.1 22)|$(banned)"
assert_match "its chunk at most" '^[0-9]$|^[1-6][0-9]$|^7[0-5]$' "$(gone "$before")"

# what changes nothing sends nothing
before=$(rules)
zone public RemoveRichRule 'sa{sv}' "$(drop_rule 10.0.1.9)" 0
assert_eq "a rule that is not there removed: no rule of the table changed" 0 "$(gone "$before")"

done_testing
