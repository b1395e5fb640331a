#!/usr/bin/env bash
# Every shell recipe of README.md, run exactly as printed, in order, each block a script that must
# succeed: a recipe that no longer works fails here. A block is left out only when the line above its
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
count=0
while IFS= read -r -d $'\036' block; do
        line=${block%%$'\n'*}
        script=${block#*$'\n'}
        count=$((count + 1))
        out=$(bash -e -o pipefail -c "$script" 2>&1); rc=$?
        first=$(head -n 1 <<<"$script" | sed 's/ *#.*//; s/ *\\$//' | cut -c 1-60)
        assert_eq "README.md line $line ($first ...) runs as printed" "0" "$rc"
        [ $rc = 0 ] || diag "$out"
done <<<"$blocks"
assert_eq "every recipe was run (the marked ones aside)" "12" "$count"

done_testing
