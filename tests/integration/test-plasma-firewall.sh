#!/usr/bin/env bash
# KDE's firewall settings (Debian's plasma-firewall, its firewalld backend, in kcmshell5) under Xvfb: against the
# real firewalld, then against nftbusd serving firewalld's API. What it asks firewalld's name (every call, from
# dbus-monitor, until it has read the default zone's settings, its last call at start) and every error it is
# answered are the same against both: none. It lists its rules with the direct interface's getAllRules: nftbus
# has no direct rules and says so (an empty list), where its NOT_SUPPORTED made KDE show the firewall disabled.
# Then the window once it has drawn the answers: the same against both (Qt's accessibility bridge in kcmshell5
# does not register reliably enough here to read the window, so its screens are compared, a few pixels of a
# text's edges allowed). firewalld runs here only: on the harness's private bus, in its namespaces, on a tmpfs
# over /etc/firewalld. Skipped where firewalld, plasma-firewall, Xvfb or xwd is not installed (tools/deps
# installs them).
source "$(dirname "$0")/lib.sh"

require_firewalld "KDE's firewall settings against firewalld and nftbusd"
if ! command -v kcmshell5 >/dev/null || ! [ -e /usr/share/applications/kcm_firewall.desktop ] ||
        ! command -v Xvfb >/dev/null || ! command -v xwd >/dev/null || ! command -v dbus-run-session >/dev/null; then
        skip "KDE's firewall settings against firewalld and nftbusd" \
                "plasma-firewall, Xvfb or xwd is not installed (tools/deps installs them)"
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
        trap 'kill $xvfb 2>/dev/null' EXIT # (and at the end of each run, below)
        read -r -u "$display_fd" display
        export DISPLAY=:$display HOME=$out/home-$1 XDG_CONFIG_HOME=$out/home-$1/.config
        export XDG_CACHE_HOME=$out/home-$1/.cache XDG_DATA_HOME=$out/home-$1/.local/share XDG_RUNTIME_DIR=$out/home-$1/run
        mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
        chmod 700 "$XDG_RUNTIME_DIR"
        dbus-monitor --system "type='method_call',destination='$FWD'" "type='error'" >"$out/$1.monitor" 2>&1 &
        monitor=$!
        wait_until 1 grep -c NameAcquired "$out/$1.monitor"
        # (its four calls at start seen, polled for up to two minutes on a loaded machine)
        : >"$out/$1.xwd"
        dbus-run-session -- bash -c 'kcmshell5 kcm_firewall >"$0" 2>&1 & kcm=$!
                for _ in $(seq 600); do
                        [ "$(grep -oE "member=(getAllRules|listServices|getServices|getZoneSettings2)" "$1" |
                                sort -u | wc -l)" = 4 ] && break
                        sleep 0.2
                done
                # then the screen once it shows the same twice, a moment apart (what it drew of the answers)
                for _ in $(seq 300); do
                        xwd -root -silent >"$2.next" && cmp -s "$2.next" "$2" && break
                        mv "$2.next" "$2"
                        sleep 0.2
                done
                kill $kcm; wait $kcm; exit 0' "$out/$1.kcmshell5.log" "$out/$1.monitor" "$out/$1.xwd" \
                >"$out/$1.err" 2>&1
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
# pixels that differ between two screens of xwd's (32 bits a pixel, after its header): a few of a text's edges
# differ from one start to the next, a line of text in another place is thousands
pixels_differing() {
        /usr/bin/python3 -c 'import sys
a, b = (open(f, "rb").read() for f in sys.argv[1:])
ha, hb = (int.from_bytes(x[:4], "big") for x in (a, b))
a, b = a[ha:], b[hb:]
print(abs(len(a) - len(b)) // 4 + sum(a[i:i + 4] != b[i:i + 4] for i in range(0, min(len(a), len(b)), 4)))' "$@"
}
differing=$(pixels_differing "$out/firewalld.xwd" "$out/nftbus.xwd")
assert_eq "and the same window, but for a few pixels of a text's edges (the zone's services in firewalld's order)" \
        "yes" "$([ "$differing" -lt 100 ] && echo yes || echo "no: $differing")"
done_testing
