#!/usr/bin/env bash
# Every method of introspection/, called with generated hostile arguments for a bounded time
# (NFTBUS_HOSTILE_SECONDS, 20 s by default, for each caller; the seed is printed, and
# NFTBUS_HOSTILE_SEED repeats a run): as root, every answer is a success or a typed error and the
# service stays on its name; as an unprivileged user too, and nothing at all changes, in the ruleset or
# the sysctls. tests/integration/hostile-calls.py makes the calls.
source "$(dirname "$0")/lib.sh"

seconds=${NFTBUS_HOSTILE_SECONDS:-20}
seed=${NFTBUS_HOSTILE_SEED:-$RANDOM}
calls="$NFTBUS_SOURCE/tests/integration/hostile-calls.py"
fixture_file=$(mktemp)
trap 'rm -f "$fixture_file"' EXIT
cat >"$fixture_file" <<'NFT'
add table inet fz
add chain inet fz c
add chain inet fz base { type filter hook input priority 0; policy accept; }
add set inet fz s { type ipv4_addr; }
add map inet fz m { type ipv4_addr : verdict; }
add counter inet fz k
add quota inet fz q 100 mbytes
add limit inet fz l rate 10/second
add ct helper inet fz h { type "ftp" protocol tcp; }
add synproxy inet fz sp { mss 1460; wscale 7; }
NFT
fixtures() { nft -f "$fixture_file"; }
sysctls() { bus call $BUS_NAME $ROOT/sysctl $IFACE.Sysctl List; }

fixtures
out=$(/usr/bin/python3 "$calls" "$NFTBUS_SOURCE/introspection" "$seconds" "$seed" "$fixture_file")
rc=$?
diag "as root: $out"
assert_eq "as root, every answer is a success or a typed error (seed $seed)" 0 "$rc"
assert_eq "and nftbusd is on the bus" alive "$(alive)"

nft flush ruleset
fixtures
before=$(nft list ruleset; sysctls)
out=$(setpriv --reuid="$NFTBUS_TEST_UID" --regid="$NFTBUS_TEST_UID" --init-groups -- \
        /usr/bin/python3 "$calls" "$NFTBUS_SOURCE/introspection" "$seconds" "$((seed + 1))")
rc=$?
diag "unprivileged: $out"
assert_eq "unprivileged, every answer is a success or a typed error (seed $((seed + 1)))" 0 "$rc"
assert_eq "and nothing changed" "$before" "$(nft list ruleset; sysctls)"
assert_eq "nftbusd is on the bus" alive "$(alive)"

# firewalld's API (FirewallDAPI=yes), the same way
FWD=org.fedoraproject.FirewallD1
sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
# ipsets for the calls to find: one of addresses, one of address and port pairs, one of networks and interfaces
mkdir -p "$CONFIGURATION_DIRECTORY/ipsets"
printf 'type=hash:ip\nentry=192.0.2.1\n' >"$CONFIGURATION_DIRECTORY/ipsets/lab.ipset"
printf 'type=hash:ip,port\noption=maxelem=100\n' >"$CONFIGURATION_DIRECTORY/ipsets/web.ipset"
printf 'type=hash:net,iface\noption=family=inet6\n' >"$CONFIGURATION_DIRECTORY/ipsets/a.ipset"
restart_nftbusd
wait_for_name $FWD "$NFTBUSD_PID"
out=$(NFTBUS_HOSTILE_API=firewalld /usr/bin/python3 "$calls" "$NFTBUS_SOURCE/introspection" "$seconds" "$((seed + 2))")
rc=$?
diag "firewalld's API, as root: $out"
assert_eq "firewalld's API as root: every answer a success or a typed error (seed $((seed + 2)))" 0 "$rc"
assert_eq "and nftbusd is on the bus" alive "$(alive)"
state() { nft list ruleset; cat "$CONFIGURATION_DIRECTORY"/nftbus.conf "$CONFIGURATION_DIRECTORY"/zones/* "$CONFIGURATION_DIRECTORY"/ipsets/* 2>/dev/null; }
before=$(state)
out=$(setpriv --reuid="$NFTBUS_TEST_UID" --regid="$NFTBUS_TEST_UID" --init-groups -- \
        env NFTBUS_HOSTILE_API=firewalld /usr/bin/python3 "$calls" "$NFTBUS_SOURCE/introspection" "$seconds" "$((seed + 3))")
rc=$?
diag "firewalld's API, unprivileged: $out"
assert_eq "firewalld's API unprivileged: every answer a success or a typed error (seed $((seed + 3)))" 0 "$rc"
assert_eq "and nothing changed, in the ruleset or the zones' files" "$before" "$(state)"
assert_eq "nftbusd is on the bus" alive "$(alive)"

done_testing
