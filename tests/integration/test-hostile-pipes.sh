#!/usr/bin/env bash
# A descriptor whose reader has gone is the caller's problem, never the service's: ListElementsToFd
# into a pipe or a socket nobody reads fails that call alone, and so does a request to an executor
# killed while the request is being written to it; nftbusd keeps its name. Stray HUP and USR1/USR2
# signals do not stop it either.
source "$(dirname "$0")/lib.sh"

S=$ROOT/table/inet/filter/set/blocklist
nftbusctl add-table inet filter
nftbusctl add-set inet filter blocklist ipv4_addr >/dev/null
nftbusctl add-element inet filter blocklist 192.0.2.1 192.0.2.2 >/dev/null

# list_to_closed KIND: nftbusctl list-elements (ListElementsToFd) into a pipe or socket whose other end is already closed
list_to_closed() {
        python3 - "$1" "$S" <<'PY'
import os, socket, subprocess, sys
if sys.argv[1] == "pipe":
    r, w = os.pipe()
    os.close(r)
else:
    a, b = socket.socketpair()
    b.close()
    w = a.detach()
# nftbusctl hands its standard output to ListElementsToFd
p = subprocess.run(["nftbusctl", "list-elements", "inet", "filter", "blocklist"], stdout=w,
                   stderr=subprocess.PIPE, text=True)
print(p.returncode, p.stderr.strip())
PY
}

for kind in pipe socket; do
        for i in 1 2 3 4 5 6 7; do out=$(list_to_closed $kind); done
        assert_eq "ListElementsToFd into a $kind nobody reads (7 times): the call fails" \
                "1 Failed to list the elements: The descriptor's reader has gone (Broken pipe); the listing stopped there (org.freedesktop.DBus.Error.IOError)" "$out"
        assert_eq "and nftbusd stays on the bus" alive "$(alive)"
done
assert_eq "the set still lists" "192.0.2.1 192.0.2.2" "$(nftbusctl list-elements inet filter blocklist | sort | paste -sd' ')"

# the executor killed while a request of several megabytes is being written to it
# 5 MB of batch: more than a command line takes, so bigcall sends it
big=$(mktemp)
python3 -c 'print("add table inet big\n" + "\n".join("add chain inet big c%d" % i for i in range(200000)))' >"$big"
p=
for i in 1 2 3; do
        p=$(wait_executor "$p")
        kill -STOP "$p"
        "$BIGCALL" file-arg $ROOT $IFACE.Manager Apply "$big" 120 >/dev/null 2>&1 &
        caller=$!
        # the request fills the executor's socket: nftbusd is in the middle of writing it
        queued=$(wait_executor_queue "$p" 100000)
        kill -KILL "$p"
        wait "$caller"
        assert_match "executor killed mid-request ($i), with $queued bytes of it unread" '^[0-9]{6,}$' "$queued"
        assert_eq "nftbusd stays on the bus" alive "$(alive)"
done
rm -f "$big"
assert_eq "a call after that succeeds" 'o "/org/nftbus/Firewall1/table/inet/after"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet after 0)"

# 40 listings into pipes that nobody reads: at most 16 threads wait on them, the rest wait their turn,
# and element changes are not held up behind them
nft add set inet filter big '{ type ipv4_addr; }'
python3 -c '
for i in range(20000): print("add element inet filter big { 10.%d.%d.%d }" % (i >> 16, (i >> 8) & 255, i & 255))' | nft -f -
threads_out=$(python3 - "$NFTBUSD_PID" <<'PY'
import os, subprocess, sys, time
pid = sys.argv[1]
procs, reads = [], []
for i in range(40):
    r, w = os.pipe()
    procs.append(subprocess.Popen(["nftbusctl", "list-elements", "inet", "filter", "big"], stdout=w,
                                  stderr=subprocess.DEVNULL))
    os.close(w)
    reads.append(r)
threads = lambda: int([l.split()[1] for l in open("/proc/%s/status" % pid) if l.startswith("Threads:")][0])
def pipes_held():  # the pipes nftbusd holds: one for each call it has received
    held = set()
    for fd in os.listdir("/proc/%s/fd" % pid):
        try:
            target = os.readlink("/proc/%s/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("pipe:"):
            held.add(target)
    return len(held)
# until all 40 calls are in nftbusd (a minute at most), then a moment more for their threads, if any
most = 0
deadline = time.monotonic() + 60
while pipes_held() < 40 and time.monotonic() < deadline:
    most = max(most, threads())
    time.sleep(0.05)
for _ in range(20):
    most = max(most, threads())
    time.sleep(0.05)
add = subprocess.run(["busctl", "--system", "--timeout=20", "call", "org.nftbus.Firewall1",
                      "/org/nftbus/Firewall1/table/inet/filter/set/blocklist", "org.nftbus.Firewall1.Set",
                      "AddElements", "asa{sv}", "1", "192.0.2.9", "0"], capture_output=True, text=True)
for r in reads:
    os.close(r)
for p in procs:
    p.wait()
print(most <= 1 + 16 + 4, add.returncode, add.stderr.strip())
PY
)
assert_eq "40 listings into unread pipes: at most 16 threads wait, and AddElements goes through" "True 0 " "$threads_out"
assert_eq "nftbusd is on the bus" alive "$(alive)"

for sig in HUP USR1 USR2; do
        kill -$sig "$NFTBUSD_PID"
        assert_eq "SIG$sig does not stop nftbusd" alive "$(alive)"
done

done_testing
