#!/usr/bin/env bash
# A host firewall built with nftbusctl alone: a table, a base chain with policy drop, rules added,
# inserted, replaced and deleted by handle, a named counter reset; listings as text and JSON; exit
# codes for what is missing, refused or malformed.
source "$(dirname "$0")/lib.sh"

ctl() { nftbusctl --no-ask-password "$@"; }

ctl add-table inet host
assert_eq "add-chain makes a base chain" "0" \
        "$(ctl add-chain --hook input --priority filter --policy drop inet host input; echo $?)"
ctl add-chain inet host services
assert_eq "list-chains shows both" \
        "$(printf '%-8s %-16s %-20s %-7s %-12s %9s %s\n' FAMILY TABLE CHAIN TYPE HOOK PRIORITY POLICY \
                inet host input filter input 0 drop inet host services - - - -)" "$(ctl list-chains)"
assert_eq "list-chains --json, keys in snake case as every listing's" '[{"name":"input","hook":"input","priority":0,"policy":"drop"},{"name":"services","hook":"","priority":0,"policy":""}]' \
        "$(ctl --json list-chains inet host | jq -c '[.[] | {name, hook, priority, policy}]')"

established=$(ctl add-rule inet host input ct state established,related accept)
loopback=$(ctl add-rule inet host input iif lo accept)
jump=$(ctl add-rule --comment "to the services" inet host input jump services)
invalid=$(ctl insert-rule inet host input ct state invalid drop)
ssh=$(ctl add-rule inet host services tcp dport 22 accept)
web=$(ctl add-rule --after "$ssh" inet host services tcp dport '{ 80, 443 }' accept)
assert_eq "add-rule prints handles" "1" "$([[ "$established $loopback $jump $invalid $ssh $web" =~ ^[0-9]+( [0-9]+){5}$ ]] && echo 1)"
assert_eq "list-rules shows them in order" \
        "$(printf '%6s  %s\n' "$invalid" 'ct state invalid drop' "$established" 'ct state established,related accept' \
                "$loopback" 'iif "lo" accept' "$jump" 'jump services comment "to the services"')" \
        "$(ctl list-rules inet host input)"
assert_eq "the kernel agrees" "ct state invalid drop|ct state established,related accept|iif \"lo\" accept|jump services comment \"to the services\"" \
        "$(nft list chain inet host input | sed -n 's/^\t\t\([a-z].*\)$/\1/p' | grep -v '^type ' | paste -sd'|')"

ctl replace-rule inet host services "$web" tcp dport 443 accept
assert_eq "replace-rule keeps the handle" "[{\"handle\":$ssh,\"rule\":\"tcp dport 22 accept\",\"comment\":\"\"},{\"handle\":$web,\"rule\":\"tcp dport 443 accept\",\"comment\":\"\"}]" \
        "$(ctl --json list-rules inet host services | jq -c .)"
ctl delete-rule inet host input "$invalid"
assert_eq "delete-rule removes it" "3" "$(ctl --json list-rules inet host input | jq length)"

bus call $BUS_NAME $ROOT/table/inet/host $IFACE.Table AddCounter 'sa{sv}' drops 1 packets t 7 >/dev/null
ctl add-rule inet host input counter name drops >/dev/null
assert_eq "list-objects shows the counter" \
        "$(printf '%-10s %-8s %-16s %-20s %s\n' KIND FAMILY TABLE NAME STATE counter inet host drops 'packets 7 bytes 0')" \
        "$(ctl list-objects inet host)"
assert_eq "reset-counter prints what it held" "packets 7 bytes 0" "$(ctl reset-counter inet host drops)"
assert_eq "and the counter is zero" '{"packets": 0, "bytes": 0}' "$(ctl --json reset-counter inet host drops)"

# exit codes
assert_eq "a missing chain: 3" "3" "$(ctl add-rule inet host nowhere accept 2>/dev/null; echo $?)"
assert_eq "a missing handle: 3" "3" "$(ctl delete-rule inet host input 99999 2>/dev/null; echo $?)"
assert_eq "a second command in the rule: 2" "2" "$(ctl add-rule inet host input 'accept;' flush ruleset 2>/dev/null; echo $?)"
assert_eq "with a clear message" \
        "Failed to add the rule: The rule contains ';' at byte 7: one call adds one rule (org.nftbus.Firewall1.Error.InvalidArgument)" \
        "$(ctl add-rule inet host input 'accept;' flush ruleset 2>&1)"
assert_eq "a rule the kernel refuses: 1" "1" "$(ctl add-rule inet host input dnat to 10.0.0.1 2>/dev/null; echo $?)"
assert_eq "a bad handle: 2" "2" "$(ctl delete-rule inet host input x 2>/dev/null; echo $?)"
assert_eq "--after on insert-rule: 2" "2" "$(ctl insert-rule --after 1 inet host input accept 2>/dev/null; echo $?)"
assert_eq "missing arguments: 2" "2" "$(ctl add-rule inet host input 2>/dev/null; echo $?)"
assert_eq "nothing of that changed the chain" "4" "$(ctl --json list-rules inet host input | jq length)"
ctl delete-chain inet host input
assert_eq "delete-chain" '["services"]' "$(nft -j list chains | jq -c '[.nftables[] | select(.chain) | .chain.name]')"

done_testing
