#!/usr/bin/env bash
# Every shell recipe of README.md, run exactly as printed, in order, each block a script that must
# succeed and then have printed and changed what the text around it says (after_recipe): a recipe that no
# longer works fails here. A block is left out only when the line above its
# fence says "<!-- not run by test-readme: REASON -->" (the commands that start everything, the
# installation on the host, monitors that run until interrupted, benchmarks).
#
# What the recipes take for granted is made first: the interfaces they name (eth0, eth1, wlan0, wan0),
# and the files they read (firewall.nft, country.zone, cn.txt) in the directory they run in.
source "$(dirname "$0")/lib.sh"

readme=$NFTBUS_SOURCE/README.md
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in eth0 eth1 wlan0 wan0; do ip link add "$i" type veth peer name "$i-peer"; done
printf '%s\n' 10.200.0.0/16 10.201.0.0/16 >"$dir/cn.txt"
printf '%s\n' 100.64.0.0/10 >"$dir/country.zone"
printf '%s\n' 'table inet web {' '        chain input {' \
        '                type filter hook input priority filter; policy accept;' \
        '                tcp dport { 80, 443 } counter accept' '        }' '}' >"$dir/firewall.nft"
cd "$dir" || exit 1

# block LINE, then its lines, separated by NUL: the sh blocks not marked
blocks=$(awk '
        /^```sh$/ { if (prev !~ /^<!-- not run by test-readme: /) { run = 1; start = NR; body = "" } next }
        /^```/ { if (run) printf "%d\n%s%c", start, body, 0; run = 0; prev = $0; next }
        run { body = body $0 "\n"; next }
        { prev = $0 }' "$readme" | tr '\0' '\036')
# what each recipe, in order, must have printed and changed (OUT: what it printed)
kernel_has() { nft list ruleset | grep -cF -- "$1"; }
after_recipe() {
        local out=$2
        case $1 in
        1)
                assert_match "the host firewall: list-rules prints handle and rule, the inserted rule first" \
                        $'\n +[0-9]+  ct state invalid drop\n +[0-9]+  ct state established,related accept\n' "$out"
                assert_eq "and delete-table took it all away" 0 "$(nft list tables | grep -c 'inet filter')" ;;
        2)
                assert_eq "busctl: the rule with its comment is in the kernel" 1 \
                        "$(kernel_has 'tcp dport { 22, 443 } ct state new counter packets 0 bytes 0 accept comment "ssh and web"')"
                assert_eq "the JSON rule too" 1 "$(kernel_has 'iifname "lo" accept')"
                assert_eq "the chain's priority is filter + 10, its policy drop" 1 \
                        "$(kernel_has 'type filter hook input priority filter + 10; policy drop;')"
                assert_match "the counter's Packets are read" $'\nt 0$' "$out" ;;
        3)
                assert_eq "sets: the blocklist holds what is left after the delete" \
                        "192.0.2.2" "$(nft -j list set inet filter blocklist | jq -r '[.nftables[1].set.elem[]] | join(",")')"
                assert_eq "the file's networks are in blacknets" "10.200.0.0/16,10.201.0.0/16" \
                        "$(nft -j list set inet filter blacknets | jq -r '[.nftables[1].set.elem[].prefix | "\(.addr)/\(.len)"] | join(",")')"
                assert_eq "the map's verdicts" "10.0.0.1:accept,10.0.0.2:jump quarantine" \
                        "$(nft -j list map inet filter dispatch | jq -r '[.nftables[1].map.elem[] | "\(.[0]):\(.[1] | keys[0])\(if .[1].jump then " " + .[1].jump.target else "" end)"] | join(",")')"
                assert_eq "and the rule that uses the blocklist" 1 "$(kernel_has 'ip saddr @blocklist drop')" ;;
        4)
                assert_eq "sysctl: forwarding on" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
                assert_eq "eth0's rp_filter loose" 2 "$(cat /proc/sys/net/ipv4/conf/eth0/rp_filter)"
                assert_eq "Get answers with the kernel's value" "s \"$(cat /proc/sys/net/ipv4/tcp_syncookies)\"" \
                        "$(tail -n 1 <<<"$out")" ;;
        5)
                assert_eq "NAT: the port forward is in the kernel" 1 \
                        "$(nft list table inet nftbus_nat | grep -c 'iifname "wan0" tcp dport 8080 dnat ip to 192.168.1.10:80')"
                assert_eq "the removed redirect is not" 0 "$(nft list table inet nftbus_nat | grep -c 'redirect to :3128')" ;;
        6)
                assert_eq "zones: disabled at the end, their table gone" 0 "$(nft list tables | grep -c nftbus_zones)"
                assert_eq "the permanent port is in public's file" 1 \
                        "$(grep -c '8080/tcp' "$CONFIGURATION_DIRECTORY/zones/public.zone")" ;;
        7)
                assert_eq "workstation: its table takes ssh, limited and logged" 1 \
                        "$(nft list table inet nftbus_workstation | grep -c 'tcp dport 22 .*limit rate 10/minute.*log')" ;;
        8)
                assert_eq "server: the blacklist's IPv4 elements listed" "203.0.113.7" "$(grep -x '203.0.113.7' <<<"$out")"
                assert_eq "the whitelisted address is in its set" 1 \
                        "$(nft -j list set inet nftbus_server whitelist_v4 | jq '[.nftables[1].set.elem[] | select(. == "192.0.2.10")] | length')" ;;
        9)
                assert_eq "server again: the IPv6 blacklist holds the range" 1 \
                        "$(nft list set inet nftbus_server blacklist_v6 | grep -c '2001:db8:fab:11::1:0/112')" ;;
        10)
                assert_eq "router: LAN to WAN masqueraded" 1 "$(nft list ruleset | grep -c 'meta nfproto ipv4 oifname "eth0" counter packets 0 bytes 0 masquerade')"
                assert_eq "and forwarding on" 1 "$(cat /proc/sys/net/ipv4/ip_forward)" ;;
        11)
                assert_eq "batches: the backup's tables are back, exactly" "$(grep -c '^table' backup.nft)" \
                        "$(nft list tables | wc -l)"
                assert_eq "the web table's rule" 1 "$(kernel_has 'tcp dport { 80, 443 } counter packets')" ;;
        12)
                assert_eq "RestoreError is empty" 's ""' "$out" ;;
        esac
}

count=0
while IFS= read -r -d $'\036' block; do
        line=${block%%$'\n'*}
        script=${block#*$'\n'}
        count=$((count + 1))
        out=$(bash -e -o pipefail -c "$script" 2>&1); rc=$?
        first=$(head -n 1 <<<"$script" | sed 's/ *#.*//; s/ *\\$//' | cut -c 1-60)
        assert_eq "README.md line $line ($first ...) runs as printed" "0" "$rc"
        [ $rc = 0 ] || diag "$out"
        after_recipe "$count" "$out"
done <<<"$blocks"
assert_eq "every recipe was run (the marked ones aside)" "12" "$count"

done_testing
