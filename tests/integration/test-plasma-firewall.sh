#!/usr/bin/env bash
# KDE's firewall settings (Debian's plasma-firewall, its firewalld backend, in kcmshell5) under Xvfb: against the
# real firewalld, then against nftbusd serving firewalld's API. What it asks firewalld's name (every call, from
# dbus-monitor, until it has read the default zone's settings, its last call at start) and every error it is
# answered are the same against both: none. It lists its rules with the direct interface's getAllRules: nftbus
# has no direct rules and says so (an empty list), where its NOT_SUPPORTED made KDE show the firewall disabled.
# (What KDE then shows was compared by screenshot by hand: the same, but for the order of the zone's services,
# firewalld's insertion order against nftbus's sorted one; Qt's accessibility bridge in kcmshell5 did not
# register reliably enough here to read it in a test.) firewalld runs here only: on the harness's private bus, in
# its namespaces, on a tmpfs over /etc/firewalld. Skipped where firewalld, plasma-firewall or Xvfb is not
# installed (tools/deps installs them).
source "$(dirname "$0")/lib.sh"

require_firewalld "KDE's firewall settings against firewalld and nftbusd"
if ! command -v kcmshell5 >/dev/null || ! [ -e /usr/share/applications/kcm_firewall.desktop ] ||
        ! command -v Xvfb >/dev/null || ! command -v dbus-run-session >/dev/null; then
        skip "KDE's firewall settings against firewalld and nftbusd" \
                "plasma-firewall or Xvfb is not installed (tools/deps installs them)"
        done_testing
        exit 0
fi
out=$NFTBUS_RUNDIR/plasma-firewall
mkdir -p "$out"

# show NAME: kcmshell5 kcm_firewall on a session bus of its own until it has read the default zone's settings; the
# calls it made of firewalld's name and the errors answered, into $out/NAME.txt
show() {
        # an X server of its own (the first free display, told on a pipe), KDE's settings and caches in the run's
        # folder, fresh for each
        local display_fd display xvfb monitor
        exec {display_fd}<> <(:)
        Xvfb -displayfd "$display_fd" -screen 0 1280x900x24 -nolisten tcp >"$out/$1.xvfb.log" 2>&1 &
        xvfb=$!
        read -r -u "$display_fd" display
        export DISPLAY=:$display HOME=$out/home-$1 XDG_CONFIG_HOME=$out/home-$1/.config
        export XDG_CACHE_HOME=$out/home-$1/.cache XDG_DATA_HOME=$out/home-$1/.local/share XDG_RUNTIME_DIR=$out/home-$1/run
        mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
        chmod 700 "$XDG_RUNTIME_DIR"
        dbus-monitor --system "type='method_call',destination='$FWD'" "type='error'" >"$out/$1.monitor" 2>&1 &
        monitor=$!
        wait_until 1 grep -c NameAcquired "$out/$1.monitor"
        # (its four calls at start seen, polled for up to two minutes on a loaded machine)
        dbus-run-session -- bash -c 'kcmshell5 kcm_firewall >"$0" 2>&1 & kcm=$!
                for _ in $(seq 600); do
                        [ "$(grep -oE "member=(getAllRules|listServices|getServices|getZoneSettings2)" "$1" |
                                sort -u | wc -l)" = 4 ] && break
                        sleep 0.2
                done
                kill $kcm; wait $kcm; exit 0' "$out/$1.kcmshell5.log" "$out/$1.monitor" >"$out/$1.err" 2>&1
        kill $monitor $xvfb
        wait $monitor $xvfb 2>/dev/null
        {
                echo "== the calls of $FWD"
                sed -n "s/^method call .*destination=$FWD.* interface=\([^;]*\); member=\([^ ]*\).*/\1.\2/p" \
                        "$out/$1.monitor" | sort -u
                echo "== the errors"
                grep -A1 '^error' "$out/$1.monitor" | sed -n 's/^ *string "\(.*\)"$/\1/p' | grep -v NetworkManager | sort -u
        } >"$out/$1.txt"
}

firewalld_start "$out/firewalld.log"
show firewalld
nftbusd_in_firewalds_place
show nftbus

assert_eq "KDE's firewall settings ask nftbusd at start what they ask firewalld, the direct rules among them; no error" \
        "== the calls of $FWD
$FWD.direct.getAllRules
$FWD.listServices
$FWD.zone.getServices
$FWD.zone.getZoneSettings2
== the errors" "$(cat "$out/nftbus.txt")"
assert_same "the same calls and errors against firewalld and nftbusd" "$out/firewalld.txt" "$out/nftbus.txt"
done_testing
