#!/usr/bin/env bash
# The state file cannot keep the service from its name, and a failed Save leaves nothing behind: a FIFO
# or a link to /dev/zero in place of ruleset.nft is set aside at start (RestoreError says why) and the
# service serves; a FIFO left under the temp name does not block Save; Save onto a full disk fails with
# an error and leaves no temp file.
source "$(dirname "$0")/lib.sh"

M="$BUS_NAME $ROOT $IFACE.Manager"
FILE=$STATE_DIRECTORY/ruleset.nft
stop() { kill -TERM "$NFTBUSD_PID"; for _ in $(seq 1 1200); do kill -0 "$NFTBUSD_PID" 2>/dev/null || break; sleep 0.05; done; }
restore_error() { bus get-property $M RestoreError; }
aside() { ls "$STATE_DIRECTORY" | grep -c '^ruleset.nft.damaged-'; }

stop
mkfifo "$FILE"
start_nftbusd >/dev/null
assert_eq "ruleset.nft is a FIFO: the service takes its name" "0" "$(bus status $BUS_NAME >/dev/null 2>&1; echo $?)"
assert_match "and RestoreError says why" "cannot be read \(it is not a regular file\); nothing was restored from it, it is kept as" \
        "$(restore_error)"
assert_eq "the FIFO is set aside" "1|no" "$(aside)|$([ -e "$FILE" ] && echo yes || echo no)"

stop
ln -s /dev/zero "$FILE"
start_nftbusd >/dev/null
assert_eq "a link to /dev/zero: the service takes its name" "0" "$(bus status $BUS_NAME >/dev/null 2>&1; echo $?)"
assert_match "and RestoreError says why" "cannot be read \(it is not a regular file\)" "$(restore_error)"
assert_eq "nftbusd stays small" "yes" "$([ "$(awk '/^VmRSS/ { print $2 }' /proc/$NFTBUSD_PID/status)" -lt 200000 ] && echo yes)"

bus call $M AddTable 'ssa{sv}' inet filter 0 >/dev/null
mkfifo "$FILE.tmp"
assert_eq "Save with a FIFO under the temp name" "" "$(bus call $M Save 'a{sv}' 0 2>&1)"
assert_eq "writes the file" "table inet filter {" "$(grep '^table' "$FILE")"
assert_eq "and leaves no temp" "no" "$([ -e "$FILE.tmp" ] && echo yes || echo no)"

# a full disk: a state directory of 64 KiB, a ruleset larger than that
stop
small=$(mktemp -d)
mount -t tmpfs -o size=64k tmpfs "$small"
STATE_DIRECTORY=$small start_nftbusd >/dev/null
python3 -c '
print("add table inet big")
print("add set inet big s { type ipv4_addr; }")
for i in range(20000): print("add element inet big s { 10.%d.%d.%d }" % (i >> 16, (i >> 8) & 255, i & 255))' | nft -f -
assert_match "Save onto a full disk fails, saying so" "No space left on device" \
        "$(bus call $M Save 'a{sv}' 1 tables as 1 "inet big" 2>&1)"
assert_eq "and leaves nothing behind" "" "$(ls "$small")"
assert_eq "the service serves on" "0" "$(bus status $BUS_NAME >/dev/null 2>&1; echo $?)"
stop
umount "$small"
rmdir "$small"

done_testing
