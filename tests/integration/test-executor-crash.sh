#!/usr/bin/env bash
# SIGKILL of the executor between calls and during a call: the call in flight fails with
# BackendFailed, the service stays on the bus with a new executor, and the next call succeeds.
source "$(dirname "$0")/lib.sh"

executor_pid() { pgrep -P "$NFTBUSD_PID" -x nftbus-executor | head -n 1; }
wait_new_executor() { wait_executor "$1"; }

first=$(executor_pid)
assert_match "an executor runs as a child of nftbusd" '^[0-9]+$' "$first"

kill -KILL "$first"
second=$(wait_new_executor "$first")
assert_match "a new executor replaces the killed one" '^[0-9]+$' "$second"
assert_eq "the call after the kill succeeds" 'o "/org/nftbus/Firewall1/table/inet/after_5fkill"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet after_kill 0)"

# freeze the executor, send a call, and kill it while the call is in its socket
kill -STOP "$second"
out_file=$(mktemp)
gdbus_call $ROOT $IFACE.Manager.AddTable inet in_flight '{}' >"$out_file" &
caller=$!
# the request is in flight once it sits unread in the executor's socket
queued=$(wait_executor_queue "$second" 0)
assert_match "the call is waiting in the frozen executor" '^[1-9][0-9]*$' "$queued"
kill -KILL "$second"
wait "$caller"
assert_match "the call in flight fails with BackendFailed" \
        "^ERROR org.nftbus.Firewall1.Error.BackendFailed: The nftables executor failed during the call" \
        "$(cat "$out_file")"
rm -f "$out_file"
third=$(wait_new_executor "$second")
assert_match "another executor is started" '^[0-9]+$' "$third"

assert_eq "the service is still on the bus" "0" "$(bus status $BUS_NAME >/dev/null 2>&1; echo $?)"
assert_eq "and the next call succeeds" 'o "/org/nftbus/Firewall1/table/inet/after_5fcrash"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet after_crash 0)"
assert_eq "the killed call changed nothing" '[{"family":"inet","name":"after_crash"},{"family":"inet","name":"after_kill"}]' \
        "$(kernel_tables)"

# a burst of crashes does not stop the service: it keeps restarting (with a delay after five)
for _ in 1 2 3 4 5 6; do
        p=$(executor_pid)
        kill -KILL "$p"
        wait_new_executor "$p" >/dev/null
done
assert_eq "after a burst of crashes calls still succeed" 'o "/org/nftbus/Firewall1/table/ip/after_5fburst"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' ip after_burst 0)"

done_testing
