#!/usr/bin/env bash
# fail2ban, the real one (Debian's fail2ban-server), with the action Fedora and RHEL ban through:
# firewallcmd-rich-rules, as shipped. It runs firewall-cmd --add-rich-rule "rule family='ipv4' source
# address='IP' port port='PORT' protocol='tcp' reject type='icmp-port-unreachable'" against nftbusd serving
# firewalld's API, as the unprivileged test user that a polkit rule written for firewalld's actions lets change
# the zones (delegate-fail2ban-firewalld.rules: firewalld's all and config actions, as firewall-cmd asks both).
# Failed logins from one address in a log it watches ban it: its packets to the port are refused, another
# address's still get in; the unban lets it in again.
source "$(dirname "$0")/lib.sh"

if ! command -v fail2ban-server >/dev/null || ! command -v firewall-cmd >/dev/null; then
        skip "fail2ban through firewall-cmd" "fail2ban or firewalld is not installed (tools/deps installs them)"
        done_testing
        exit 0
fi
wait_for_name $FWD "$NFTBUSD_PID"
make_network
python3 -c "$ANSWER_PEER" 8080 &
_network_pids+=" $!"
wait_listening 8080
in_client ip addr add 10.0.1.3/24 dev c-r
from() { connect_from in_client "$@"; }
firewall-cmd --zone=public --add-port=8080/tcp >/dev/null

f2b=$NFTBUS_RUNDIR/fail2ban
mkdir -p "$f2b/action.d"
cp /etc/fail2ban/action.d/firewallcmd-common.conf /etc/fail2ban/action.d/firewallcmd-rich-rules.conf "$f2b/action.d/"
fail2ban_start "firewallcmd-rich-rules[port=8080, protocol=tcp]"

rule='rule family="ipv4" source address="10.0.1.2" port port="8080" protocol="tcp" reject type="icmp-port-unreachable"'
assert_eq "before: 10.0.1.2 gets in" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 8080)"
for _ in 1 2 3; do echo "Failed login from 10.0.1.2" >>"$f2b/auth.log"; done
banned() { firewall-cmd --zone=public --list-rich-rules; }
wait_until "$rule" banned
assert_eq "three failures: banned, the rule in the zone as firewalld writes it" "$rule" "$(banned)"
assert_match "in the zone's chain, in nft's words" \
        "ip saddr 10\.0\.1\.2 tcp dport 8080 reject with icmp port-unreachable" \
        "$(nft list chain inet nftbus_zones zone_public)"
assert_eq "its packets to the port are refused" "refused" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "another address still gets in" "10.0.1.3" "$(from 10.0.1.3 10.0.1.1 8080)"
f2b_unban 10.0.1.2 "the rule is gone"
nobody_rc=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- firewall-cmd --zone=public \
        --add-rich-rule="$rule" >/dev/null 2>&1; echo $?)
# firewall-cmd's exit status for "Authorization failed." is 253 (firewalld's NOT_AUTHORIZED)
assert_eq "a user outside the delegation may not ban: refused, nothing added" "253|" "$nobody_rc|$(banned)"
f2b_client stop >/dev/null 2>&1
wait $f2b_server 2>/dev/null
done_testing
