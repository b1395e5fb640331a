#!/usr/bin/env bash
# The EXAMPLES of org.nftbus.Firewall1(5) (man/org.nftbus.Firewall1.examples) run as printed, in order: each
# command must print exactly the lines the page shows under it.
source "$(dirname "$0")/lib.sh"

examples=$NFTBUS_SOURCE/man/org.nftbus.Firewall1.examples
count=0
run_example() {
        local out
        count=$((count + 1))
        out=$(bash -o pipefail -c "$1" 2>&1)
        assert_eq "EXAMPLES: ${1:0:90} ..." "$2" "$out"
}
command= expected=
while IFS= read -r line || [ -n "$line" ]; do
        if [[ "$line" == '$ '* ]] || [[ "$line" == '#'* ]] || [ -z "$line" ]; then
                [ -n "$command" ] && run_example "$command" "$expected"
                command= expected=
                [[ "$line" == '$ '* ]] && command=${line#\$ }
        elif [ -n "$command" ]; then
                expected+="${expected:+$'\n'}$line"
        fi
done <"$examples"
[ -n "$command" ] && run_example "$command" "$expected"
assert_eq "every example was run" "$(grep -c '^\$ ' "$examples")" "$count"

done_testing
