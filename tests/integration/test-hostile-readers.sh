#!/usr/bin/env bash
# Bounded cost for every reader: a listing into a descriptor nobody reads holds nftbusd's memory until it
# gives up, so a user may have 4 listings under way at once (16 in all), and the rest are Busy at once; when
# the reader goes, the room comes back. A listing too large for one message stops keeping lines once past
# the bus's limit, and says TooLarge.
source "$(dirname "$0")/lib.sh"

nft add table inet t
nft add set inet t s '{ type ipv4_addr; flags interval; }'
python3 -c '
for i in range(200000): print("add element inet t s { 10.%d.%d.%d/31 }" % ((2 * i) >> 16, ((2 * i) >> 8) & 255, (2 * i) & 255))' |
        nft -f -

# as nobody, 20 listings (ListElementsToFd: nftbusctl list-elements passes its standard output) into pipes
# that are never read; each call's outcome once it has one
python3 - >"$NFTBUS_RUNDIR/readers" <<'PY' &
import os, subprocess, sys, time
calls = []
for i in range(20):
    r, w = os.pipe()
    p = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                          "nftbusctl", "list-elements", "inet", "t", "s"],
                         stdout=w, stderr=subprocess.PIPE, text=True)
    os.close(w)
    calls.append((p, r))
# the refused ones answer at once; the others wait on their pipes
deadline = time.time() + 60
while time.time() < deadline and sum(p.poll() is not None for p, _ in calls) < 16:
    time.sleep(0.1)
done = [p for p, _ in calls if p.poll() is not None]
print("refused", len(done), sorted(set(p.stderr.read().strip() for p in done)))
sys.stdout.flush()
# the readers go: the waiting calls end
for _, r in calls:
    os.close(r)
for p, _ in calls:
    p.wait()
print("ended")
PY
reader=$!
wait_until 1 eval "grep -c '^ended' \"$NFTBUS_RUNDIR/readers\""
assert_eq "nobody's 20 listings into unread pipes: 16 refused at once, as Busy" \
        "refused 16 ['Failed to list the elements: 4 listings of this user are under way already (16 in all at most): read what they wrote first (org.nftbus.Firewall1.Error.Busy)']" \
        "$(sed -n 1p "$NFTBUS_RUNDIR/readers")"
assert_eq "the service is on the bus" alive "$(alive "$NFTBUSD_PID")"
assert_eq "the readers gone, their room is back: a listing as nobody" "200000" \
        "$(setpriv --reuid=65534 --regid=65534 --clear-groups -- nftbusctl --no-pager list-elements inet t s | wc -l)"
wait "$reader"

done_testing
