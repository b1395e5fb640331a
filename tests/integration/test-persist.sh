#!/usr/bin/env bash
# Manager.Save and the restore at start: the managed tables (made through nftbus, or named) survive a
# killed service and a flushed kernel; another tool's tables are never saved; a restart restores only
# what is missing; a crash between the temp write and the rename leaves the previous file; a damaged
# file is set aside, nothing of it applied, the problem in RestoreError.
source "$(dirname "$0")/lib.sh"

M="$BUS_NAME $ROOT $IFACE.Manager"
FILE=$STATE_DIRECTORY/ruleset.nft
save() { bus call $M Save 'a{sv}' "$@" && echo saved; }
err() { busctl --system call $M "$@" 2>&1 >/dev/null | sed 's/^Call failed: //'; }
restore_error() { bus get-property $M RestoreError; }
# the kernel's ruleset without handles and the time elements have left
ruleset() { nft list ruleset | strip_expiry; }
# kill the service the hard way; then a new one
kill_service() { kill -KILL "$NFTBUSD_PID"; wait "$NFTBUSD_PID" 2>/dev/null; }
restart() { start_nftbusd >/dev/null; }

bus call $M AddTable 'ssa{sv}' inet filter 0 >/dev/null
bus call $M Apply 'sa{sv}' "$(printf '%s\n' 'add chain inet filter input { type filter hook input priority 0; policy drop; }' \
        'add rule inet filter input tcp dport 22 counter accept comment "ssh"' \
        'add set inet filter blocked { type ipv4_addr; flags timeout; elements = { 192.0.2.1 timeout 1h, 192.0.2.2 } }' \
        'add set inet filter nets { type ipv4_addr; flags interval; auto-merge; comment "nets"; elements = { 10.0.0.0/8, 192.168.0.0/16 } }' \
        'add counter inet filter hits { packets 5 bytes 300 }' 'add quota inet filter monthly { over 100 mbytes used 12 mbytes }' \
        'add map inet filter ports { type inet_service : ipv4_addr; elements = { 8080 : 10.0.0.5 } }' \
        'add table ip nat' 'add chain ip nat post { type nat hook postrouting priority srcnat; }')" 0 >/dev/null
nft add table ip docker_like
nft add chain ip docker_like c
nft add table ip admins
assert_eq "Save" "saved" "$(save 0)"
assert_eq "the file holds the tables made through nftbus, not the others" "table inet filter {|table ip nat {" \
        "$(grep '^table' "$FILE" | paste -sd'|')"
assert_eq "between nftbus's header and its end line" \
        "# nftbus saved ruleset, format 1: nftbusd restores the tables missing at start" "$(head -n 1 "$FILE")"
assert_match "" '^# end of nftbus saved ruleset: [0-9]+ bytes, fnv1a [0-9a-f]{8}$' "$(tail -n 1 "$FILE")"
assert_eq "only the owner reads it" "600" "$(stat -c %a "$FILE")"
assert_eq "option tables adds another tool's table" "saved" "$(save 1 tables as 1 "ip admins")"
assert_eq "now three" "table inet filter {|table ip admins {|table ip nat {" \
        "$(grep '^table' "$FILE" | sort | paste -sd'|')"
assert_eq "a named table that is not there" "No table ip nothere" "$(err Save 'a{sv}' 1 tables as 1 'ip nothere')"
assert_eq "a name that is not one" 'Option tables holds "FAMILY NAME" strings' "$(err Save 'a{sv}' 1 tables as 1 'ip')"
assert_eq "the test user needs persist" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.persist" \
        "$(as_user gdbus_call $ROOT $IFACE.Manager.Save '{}')"

# kill, flush, start: the saved tables are back, the others are not
nft add rule inet filter input tcp dport 80 accept # after the save: not in the file
saved=$(nft list table inet filter | grep -v 'dport 80' | sed -E 's/ expires [0-9hms]+//g; s/ # handle [0-9]+//')
saved_all=$(for t in "inet filter" "ip admins" "ip nat"; do nft list table $t; done | grep -v 'dport 80' | strip_expiry)
kill_service
nft flush ruleset
restart
assert_eq "after a kill and a flush, the saved tables are restored" "table inet filter|table ip admins|table ip nat" \
        "$(nft list tables | sort | paste -sd'|')"
assert_eq "exactly as saved: rules, counters, set elements and their timeouts" "$saved" \
        "$(nft list table inet filter | sed -E 's/ expires [0-9hms]+//g')"
assert_eq "the kernel's listing of the three tables is what it was at the save: counters, quota use, comments, flags, elements" \
        "$saved_all" "$(for t in "inet filter" "ip admins" "ip nat"; do nft list table $t; done | strip_expiry)"
assert_eq "RestoreError is empty" 's ""' "$(restore_error)"
assert_eq "the restored tables are managed: saved again without being named" "saved" "$(save 0)"
assert_eq "all three again" "table inet filter {|table ip admins {|table ip nat {" \
        "$(grep '^table' "$FILE" | sort | paste -sd'|')"

# a restart with the tables still there restores nothing: what happened since stays
nft add rule inet filter input tcp dport 443 accept
before=$(ruleset)
kill_service
restart
assert_eq "a restart does not undo what happened since the save" "$before" "$(ruleset)"

# a crash between the temp file and the rename: the previous file stays, whole
# (NFTBUS_TEST_KILL_BEFORE_RENAME makes the service kill itself there)
good=$(cat "$FILE")
kill_service
NFTBUS_TEST_KILL_BEFORE_RENAME=1 start_nftbusd >/dev/null
bus call $M AddTable 'ssa{sv}' inet added_later2 0 >/dev/null
assert_eq "Save dies between the temp write and the rename" "Message recipient disconnected from message bus without replying" "$(err Save 'a{sv}' 0)"
wait "$NFTBUSD_PID" 2>/dev/null
assert_eq "the previous file is intact" "$good" "$(cat "$FILE")"
assert_match "beside the temp file with the new one" "table inet added_later2" "$(cat "$FILE.tmp")"
nft flush ruleset
restart
assert_eq "and the restore reads the previous file" "table inet filter|table ip admins|table ip nat" \
        "$(nft list tables | sort | paste -sd'|')"

# damaged files: the service starts, applies nothing, keeps the file aside, says so
damaged() { # DESCRIPTION EXPECTED-REASON (the file is already damaged)
        local copy
        copy=$(cat "$FILE")
        kill_service
        nft flush ruleset
        rm -f "$STATE_DIRECTORY"/ruleset.nft.damaged-*
        restart
        assert_eq "$1: the service starts and applies nothing" "" "$(nft list tables)"
        assert_match "$1: RestoreError says why and where the file is" \
                "^s \"$2 \\($FILE\\); nothing was restored from it, it is kept as $FILE.damaged-[0-9]+\"$" \
                "$(restore_error)"
        assert_eq "$1: the file is kept aside as it was" "$copy" "$(cat "$STATE_DIRECTORY"/ruleset.nft.damaged-*)"
        assert_eq "$1: and the journal has it" "1" "$(grep -c "$2" "$NFTBUSD_LOG" | tail -n 1 | sed 's/^[1-9][0-9]*$/1/')"
}
cp "$FILE" "$STATE_DIRECTORY/good"
head -c 200 "$STATE_DIRECTORY/good" >"$FILE"
damaged "a truncated file" "The saved ruleset is cut short: its last line is incomplete"
sed 's/dport 22/dport 23/' "$STATE_DIRECTORY/good" >"$FILE"
damaged "an altered file" "The saved ruleset does not match its end line: it was cut or altered"
printf 'flush ruleset\n' >"$FILE"
damaged "somebody else's file" "The saved ruleset does not start with the nftbus header"

# a file nftables refuses (a table of a saved flowtable's device that is gone): nothing applied, file kept
cp "$STATE_DIRECTORY/good" "$FILE"
sed -i 's/^table ip nat {/table ip nat {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { nosuchdev0 }\n\t}/' "$FILE"
body=$(sed '1d;$d' "$FILE")
{ echo "# nftbus saved ruleset, format 1: nftbusd restores the tables missing at start"; printf '%s\n' "$body"
  printf '# end of nftbus saved ruleset: %d bytes, fnv1a %s\n' "$(printf '%s\n' "$body" | wc -c)" \
        "$(printf '%s\n' "$body" | python3 -c 'import sys
h = 2166136261
for b in sys.stdin.buffer.read(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%08x" % h)')"; } >"$FILE.new" && mv "$FILE.new" "$FILE"
kill_service
nft flush ruleset
restart
assert_eq "a saved ruleset nftables refuses: nothing of it is applied" "" "$(nft list tables)"
assert_match "RestoreError quotes nftables" "^s \"nftables refused the saved ruleset $FILE: " "$(restore_error)"
assert_eq "the file stays where it is" "1" "$(test -f "$FILE" && echo 1)"

stop_nftbusd
done_testing
