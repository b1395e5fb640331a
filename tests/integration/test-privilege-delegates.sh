#!/usr/bin/env bash
# (run by meson with: harness --rules polkit/examples/50-nftbus-delegate-table.rules
#                             --rules polkit/examples/50-nftbus-fail2ban.rules
#                             --rules polkit/examples/50-nftbus-zone-home.rules)
# The delegation examples, as an admin installs them: the test user, in the groups they name, calls every
# changing method of nftbus's API on the table "delegated", the set inet filter blocklist and the zone home
# (and on others), and each call succeeds exactly when a rule says yes to its action and details
# (tests/integration/privilege-walk.py mirrors the three rules); a refused call changes nothing. Then the read policy example on the bus: every
# change still goes to polkit (nobody, outside the policy's group, is refused some at the bus): the
# delegates may do what their rules say, and nothing else.
source "$(dirname "$0")/lib.sh"

# the groups the examples name, the test user in them (the harness's /etc/group is this run's own copy)
printf 'netops:x:64992:%s\nfail2ban:x:64993:%s\nhomenet:x:64994:%s\n' "$NFTBUS_TEST_USER" "$NFTBUS_TEST_USER" \
        "$NFTBUS_TEST_USER" >>/etc/group

walk() { tap_from "privilege-walk.py $1" < <(/usr/bin/python3 "$NFTBUS_SOURCE/tests/integration/privilege-walk.py" "$1" 2>&1); }
walk_setup
walk delegates

sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/examples/$BUS_NAME.restrict-reading.conf</include>\n</busconfig>|" \
        "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
assert_eq "the read policy is in force: nobody (outside netops) may not list tables" \
        "ERROR org.freedesktop.DBus.Error.AccessDenied" \
        "$(setpriv --reuid=65534 --regid=65534 --clear-groups -- bash -c "source $NFTBUS_TEST_LIB; gdbus_call $ROOT $IFACE.Manager.ListTables" | cut -d: -f1)"
walk read-policy

done_testing
