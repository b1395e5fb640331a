#!/usr/bin/env bash
# nftbusctl on long operations and as systemd's tools print: no fixed client timeout (a call the service
# answers after more than sd-bus's default 25 s still succeeds), --call-timeout, progress on a terminal
# while the service reads a file of elements, a million elements under load with the right count, a pager
# on a terminal (and none with --no-pager or off a terminal), --no-legend.
source "$(dirname "$0")/lib.sh"

nft add table inet t
nft add set inet t s '{ type ipv4_addr; flags timeout; }'
# on_tty COMMAND: COMMAND run with a terminal (script(1)), its output as the terminal shows it
on_tty() { script -qec "$*" /dev/null | tr -d '\r'; }

# listings as systemd's tools print them
assert_eq "--no-legend: the rows only" "inet     t" "$(nftbusctl --no-legend list-tables)"
assert_eq "a pager on a terminal" "PAGED:FAMILY   NAME|PAGED:inet     t" \
        "$(on_tty "NFTBUS_PAGER='sed s/^/PAGED:/' nftbusctl list-tables" | tr '\n' '|' | sed 's/|$//')"
assert_eq "--no-pager" "FAMILY   NAME|inet     t" \
        "$(on_tty "NFTBUS_PAGER='sed s/^/PAGED:/' nftbusctl --no-pager list-tables" | tr '\n' '|' | sed 's/|$//')"
assert_eq "--json: a change prints the path it made" \
        '{"path": "/org/nftbus/Firewall1/table/inet/made"}|{"path": "/org/nftbus/Firewall1/table/inet/made/chain/c"}' \
        "$(nftbusctl --json add-table inet made)|$(nftbusctl --json add-chain inet made c)"
assert_eq "and a rule its handle" '{"handle": 2}' "$(nftbusctl --json add-rule inet made c accept)"
nftbusctl delete-table inet made
assert_eq "no pager off a terminal" "FAMILY   NAME" "$(NFTBUS_PAGER='sed s/^/PAGED:/' nftbusctl list-tables | head -n 1)"

# a call answered after more than 25 s: the service is stopped meanwhile
monitor_start "$NFTBUS_RUNDIR/late.monitor"
kill -STOP "$NFTBUSD_PID"
nftbusctl add-element inet t s 192.0.2.1 >"$NFTBUS_RUNDIR/late.out" 2>&1 &
late=$!
# sd-bus's default method call timeout is 25 s; counted from when the bus has the call (the monitor saw it),
# 30 s on the call must still be waiting
call_sent() { jq -r 'select(.type == "method_call" and .member == "AddElements") | .member' "$NFTBUS_RUNDIR/late.monitor" | head -n 1; }
wait_until AddElements call_sent
assert_eq "the call reached the bus" AddElements "$(call_sent)"
sleep 30
kill "$monitor"
assert_eq "past 25 s, the call still waits" "waiting" "$(kill -0 $late 2>/dev/null && echo waiting || echo gone)"
kill -CONT "$NFTBUSD_PID"
wait $late
assert_eq "and succeeds when the answer comes" 0 "$?"
assert_eq "the element is in the kernel" "192.0.2.1" "$(nftbusctl list-elements inet t s)"

# --call-timeout: a limit of one's own, said as what it is
kill -STOP "$NFTBUSD_PID"
out=$(nftbusctl --call-timeout 1 add-element inet t s 192.0.2.2 2>&1)
rc=$?
kill -CONT "$NFTBUSD_PID"
assert_eq "--call-timeout 1: said, exit 1" \
        "Failed to add the elements: no answer within --call-timeout=1; whether the service did it is unknown|1" \
        "$out|$rc"
assert_eq "the service answers again" "192.0.2.1" "$(nftbusctl list-elements inet t s | grep -x 192.0.2.1)"
nft flush set inet t s

# progress on a terminal while the service reads the file: stopped, it has read nothing yet
elements() {
        python3 -c '
import sys
sys.stdout.write("".join("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(int(sys.argv[1]))))' "$1"
}
elements 100000 >"$NFTBUS_RUNDIR/hundredk"
elements 1000000 >"$NFTBUS_RUNDIR/million"
kill -STOP "$NFTBUSD_PID"
script -qec "nftbusctl add-element -f $NFTBUS_RUNDIR/hundredk inet t s" /dev/null >"$NFTBUS_RUNDIR/tty.out" 2>&1 &
loading=$!
progress() { grep -c 'read 0.0 KiB of 1.1 MiB (0%)' "$NFTBUS_RUNDIR/tty.out" | head -c 1; }
wait_until 1 progress
assert_eq "progress: what the service has read of the file" 1 "$(progress)"
kill -CONT "$NFTBUSD_PID"
wait $loading
assert_eq "then done, the progress line cleared" "100000 elements added" \
        "$(tr -d '\r' <"$NFTBUS_RUNDIR/tty.out" | sed 's/.*\x1b\[K//' | grep -v '^$' | tail -n 1)"
nft flush set inet t s

# a million elements on a loaded machine: the right count, exit 0; quiet off a terminal
busy=""
for _ in 1 2 3 4; do (while :; do :; done) & busy+=" $!"; done
out=$(nftbusctl add-element -f "$NFTBUS_RUNDIR/million" inet t s 2>&1)
rc=$?
kill $busy
assert_eq "a million elements under load: exit 0, the count, nothing else" "1000000 elements added|0" "$out|$rc"
assert_eq "the kernel has them all" 1000000 "$(nftbusctl list-elements inet t s | wc -l)"

done_testing
