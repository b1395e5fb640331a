#!/usr/bin/env bash
# The same firewall-cmd sequence (firewalld-sequence.txt) against firewalld and against nftbusd: every output
# and exit status the same, those of an unprivileged user under a polkit rule written for firewalld's actions
# (delegate-firewalld.rules) included. firewalld runs here only: on the harness's private bus, in its network namespace,
# its configuration on a tmpfs over /etc/firewalld (in the harness's own mount namespace), stopped before
# nftbusd takes its name. Skipped where firewalld is not installed (tools/deps installs it).
source "$(dirname "$0")/lib.sh"

require_firewalld "firewall-cmd against firewalld and nftbusd"
sequence=$(dirname "$0")/firewalld-sequence.txt
out=$NFTBUS_RUNDIR/compare
mkdir -p "$out"

# the permanent zone's config object, as the one who has firewalld's name numbers it
config_zone_path() {
        gdbus call --system --dest $FWD --object-path /org/fedoraproject/FirewallD1/config \
                --method $FWD.config.getZoneByName "$1" | sed -n "s/^(objectpath '\(.*\)',)$/\1/p"
}

# run_sequence FILE: each line's command, its output and exit status, into FILE
run_sequence() {
        local line result rc
        while IFS= read -r line; do
                case "$line" in "#"* | "") continue ;; esac
                if [ "${line%% *}" = nm ]; then
                        eval "set -- ${line#nm }"
                        result=$(gdbus call --system --dest $FWD --object-path /org/fedoraproject/FirewallD1 \
                                --method $FWD.zone."$@" 2>&1)
                elif [ "${line%% *}" = call ]; then
                        eval "set -- ${line#call }"
                        result=$(gdbus call --system --dest $FWD --object-path /org/fedoraproject/FirewallD1$1 \
                                --method $FWD."${@:2}" 2>&1)
                elif [ "${line%% *}" = property ]; then
                        eval "set -- ${line#property }"
                        result=$(gdbus call --system --dest $FWD --object-path /org/fedoraproject/FirewallD1$1 \
                                --method org.freedesktop.DBus.Properties.Get "$FWD$2" "$3" 2>&1)
                elif [ "${line%% *}" = config-zone ]; then
                        eval "set -- ${line#config-zone }"
                        result=$(gdbus call --system --dest $FWD --object-path "$(config_zone_path "$1")" \
                                --method $FWD.config.zone."${@:2}" 2>&1)
                elif [ "${line%% *}" = user ]; then
                        result=$(eval "as_user firewall-cmd ${line#user }" 2>&1)
                elif [ "${line%% *}" = nobody ]; then
                        result=$(eval "setpriv --reuid=65534 --regid=65534 --clear-groups -- firewall-cmd ${line#nobody }" 2>&1)
                else
                        result=$(eval "firewall-cmd $line" 2>&1)
                fi
                rc=$?
                printf '=== %s\n%s\nrc=%s\n' "$line" "$result" "$rc"
        done <"$sequence" >"$1"
}

# introspect DIR PATH...: each object's Introspect output, as the one who has firewalld's name gives it, into DIR
introspect() {
        local dir=$1 path
        shift
        mkdir -p "$dir"
        for path in "$@"; do
                bus call $FWD "$path" org.freedesktop.DBus.Introspectable Introspect --json=short | jq -r '.data[0]' \
                        >"$dir/$(echo "$path" | tr / _).xml"
        done
}
objects=(/org/fedoraproject/FirewallD1 /org/fedoraproject/FirewallD1/config /org/fedoraproject/FirewallD1/config/zone/0
        /org/fedoraproject/FirewallD1/config/service/0)

# firewalld, from its shipped zones, the default zone public
firewalld_start "$out/firewalld.log"
# an ipset has an object while it is there (neither has one at first)
firewall-cmd --permanent --new-ipset=introspected --type=hash:ip >/dev/null
introspect "$out/firewalld-introspection" "${objects[@]}" /org/fedoraproject/FirewallD1/config/helper/0 \
        /org/fedoraproject/FirewallD1/config/icmptype/0 /org/fedoraproject/FirewallD1/config/policy/0 \
        /org/fedoraproject/FirewallD1/config/ipset/0
firewall-cmd --permanent --delete-ipset=introspected >/dev/null
run_sequence "$out/firewalld.txt"

# nftbusd asked to serve firewalld's API while firewalld holds the name: it says so, never takes it from
# firewalld, and waits in line for it
owner_pid() { bus call org.freedesktop.DBus / org.freedesktop.DBus GetConnectionUnixProcessID s $FWD 2>&1 | awk '{ print $2 }'; }
api() { bus get-property $BUS_NAME $ROOT $IFACE.Manager FirewallDAPI; }
sed -i "s|</busconfig>|  <include>$NFTBUS_SOURCE/units/$FWD.nftbus.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
restart_nftbusd
queued='s "queued: another owner has the name (firewalld?); nftbusd takes it when that one leaves"'
wait_until "$queued" api
assert_eq "FirewallDAPI says firewalld holds the name and nftbusd waits for it" "$queued" "$(api)"
assert_eq "and the journal" 1 "$(grep -c "Not serving $FWD: queued" "$NFTBUSD_LOG")"
assert_eq "nftbusctl status says it, and exits 1 (what is asked for is not in force)" \
        "firewalld's API: queued: another owner has the name (firewalld?); nftbusd takes it when that one leaves
exit status 1" "$(nftbusctl status | grep "^firewalld's API"; echo "exit status ${PIPESTATUS[0]}")"
assert_eq "firewalld keeps it" "$firewalld" "$(owner_pid)"
assert_eq "status says firewalld filters beside nftbus (its table is in the kernel)" \
        "firewalld: running beside nftbus (table inet firewalld): a packet must pass both; run one of them" \
        "$(nftbusctl status | grep '^firewalld:')"
assert_eq "and so does the journal, from nftbusd's start" 1 \
        "$(grep -c "firewalld's table inet firewalld is in the kernel" "$NFTBUSD_LOG")"
kill -TERM $firewalld
for _ in $(seq 1 600); do kill -0 $firewalld 2>/dev/null || break; sleep 0.1; done
assert_eq "firewalld stopped" "gone" "$(kill -0 $firewalld 2>/dev/null && echo running || echo gone)"
wait_until 's "served"' api
assert_eq "nftbusd has the name as soon as firewalld left it" "$NFTBUSD_PID|s \"served\"" "$(owner_pid)|$(api)"
assert_eq "nftbusctl status: served, exit 0" "firewalld's API: served
exit status 0" "$(nftbusctl status | grep "^firewalld's API"; echo "exit status ${PIPESTATUS[0]}")"

# nftbusd, from its built-in zones, the default zone public: started again (firewalld gone), it takes the free name
restart_nftbusd
wait_for_name $FWD "$NFTBUSD_PID"
assert_eq "nftbusd serves it now" "$NFTBUSD_PID" "$(owner_pid)"
run_sequence "$out/nftbus.txt"
# the whole API, as firewalld publishes it (dbus-python and cockpit-bridge marshal a call from it)
firewall-cmd --permanent --new-ipset=introspected --type=hash:ip >/dev/null
# (its number: the next one, after those of the ipsets the sequence made, as firewalld numbers them)
introspected=$(bus call $FWD /org/fedoraproject/FirewallD1/config $FWD.config getIPSetByName s introspected |
        cut -d'"' -f2)
introspect "$out/nftbus-introspection" "${objects[@]}" "$introspected" /org/fedoraproject/FirewallD1/config/policy/0 \
        /org/fedoraproject/FirewallD1/config/helper/0 /org/fedoraproject/FirewallD1/config/icmptype/0
firewall-cmd --permanent --delete-ipset=introspected >/dev/null
tap_from compare-firewalld-introspection.py < <(python3 "$NFTBUS_SOURCE/tests/integration/compare-firewalld-introspection.py" \
        "$out/firewalld-introspection" "$out/nftbus-introspection" 2>&1)

commands=$(grep -c '^===' "$out/firewalld.txt")
assert_same "the $commands commands print the same against firewalld and nftbusd" "$out/firewalld.txt" "$out/nftbus.txt"
done_testing
