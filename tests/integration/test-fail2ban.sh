#!/usr/bin/env bash
# fail2ban, the real one (Debian's fail2ban-server), running as the unprivileged test user whose group a polkit
# rule lets add and remove the elements of inet/filter/blocklist and nothing else (delegate-elements.rules),
# banning through nftbus's action (data/fail2ban/nftbus.conf): failed logins from one address in a log it
# watches put the address in the kernel set with the jail's bantime, packets from it are dropped, and unban
# takes it out.
source "$(dirname "$0")/lib.sh"

if ! command -v fail2ban-server >/dev/null; then
        skip "fail2ban" "Debian's fail2ban package is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
nft -f - <<'NFT'
table inet filter {
        set blocklist { type ipv4_addr; flags timeout; }
        chain input {
                type filter hook input priority 0; policy accept;
                ip saddr @blocklist drop
        }
}
NFT
make_network
python3 -c "$ANSWER_PEER" 8080 &
_network_pids+=" $!"
wait_listening 8080
from() { connect_from in_client "$@"; }

# fail2ban's configuration, the user's own: a jail on a log the test writes
f2b=$NFTBUS_RUNDIR/fail2ban
mkdir -p "$f2b/action.d"
cp "$NFTBUS_SOURCE/data/fail2ban/nftbus.conf" "$f2b/action.d/"
fail2ban_start "nftbus[table=filter, set=blocklist]"

assert_eq "before: 10.0.1.2 gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
for _ in 1 2 3; do echo "Failed login from 10.0.1.2" >>"$f2b/auth.log"; done
banned() { nftbusctl list-elements inet filter blocklist | grep -x 10.0.1.2; }
wait_until 10.0.1.2 banned
assert_eq "three failures: banned, the address in the kernel set" "10.0.1.2" "$(banned)"
assert_match "with the jail's bantime as its timeout" "^10\.0\.1\.2 .*10m" \
        "$(nftbusctl list-elements --details inet filter blocklist | grep ^10.0.1.2)"
assert_eq "and its packets are dropped" "no answer" "$(from 10.0.1.2 10.0.1.1 8080)"
f2b_unban 10.0.1.2 "out of the set"

# the delegation is that set's elements only: the same user may not touch the rule that drops them
assert_eq "the user may not delete the table" 4 \
        "$(as_user nftbusctl --no-ask-password delete-table inet filter >/dev/null 2>&1; echo $?)"
f2b_client stop >/dev/null 2>&1
wait $f2b_server 2>/dev/null
done_testing
