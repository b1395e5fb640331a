#!/usr/bin/env bash
# firewall-config, firewalld's GTK tool (Debian's package), under Xvfb, driven through its accessibility tree as a
# person would drive it (firewall-config.py): against the real firewalld, then against nftbusd serving firewalld's
# API, the same steps. At every step the window shows the same against both: no error dialog, the same zones, the
# services checked in the zone selected, the status bar, the Helpers and ICMP Types tabs' lists; and each click
# makes the same change (firewall-cmd reads them back). firewalld runs here only: on the harness's private bus, in
# its namespaces, on a tmpfs over /etc/firewalld. Skipped where firewalld, firewall-config, Xvfb or AT-SPI's Python
# binding is not installed (tools/deps installs them).
source "$(dirname "$0")/lib.sh"

require_firewalld "firewall-config against firewalld and nftbusd"
if ! command -v firewall-config >/dev/null || ! command -v Xvfb >/dev/null || ! command -v dbus-run-session >/dev/null ||
        ! /usr/bin/python3 -c 'import gi; gi.require_version("Atspi", "2.0")' 2>/dev/null; then
        skip "firewall-config against firewalld and nftbusd" \
                "firewall-config, Xvfb or python3-gi's Atspi is not installed (tools/deps installs them)"
        done_testing
        exit 0
fi
out=${FC_OUT:-$NFTBUS_RUNDIR/firewall-config}
mkdir -p "$out"

# an X server of its own (the first free display, told on a pipe), stopped when the test ends
exec {display_fd}<> <(:)
Xvfb -displayfd "$display_fd" -screen 0 1280x900x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
read -r -u "$display_fd" display
export DISPLAY=:$display
# firewall-config keeps what View shows in GSettings: in memory here, so that no run changes the next (or the host's
# dconf), and its other files in the run's folder
export GSETTINGS_BACKEND=memory HOME=$out/home XDG_CONFIG_HOME=$out/home/.config XDG_CACHE_HOME=$out/home/.cache
export XDG_DATA_HOME=$out/home/.local/share XDG_RUNTIME_DIR=$out/home/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# the steps: the window at start (runtime); a service checked in the default zone (a runtime change); the
# permanent configuration, zone work, a service checked and one unchecked; the Helpers and ICMP Types tabs
# (firewalld's config.helper and config.icmptype objects)
steps=(show toggle=amanda-client permanent zone=work toggle=ftp toggle=ssh "view=Helpers" "tab=Helpers"
        "view=ICMP Types" "tab=ICMP Types" tab=Zones runtime zone=home)

# drive NAME: firewall-config started on a session bus of its own (its accessibility bus's), the steps taken, what
# it showed and what the changes made (firewall-cmd's listings) into $out/NAME.txt
drive() {
        export FC_LOG=$out/$1.firewall-config.log
        export FC_TXT=$out/$1.txt
        # (what the session's services print, the accessibility registry's greeting, goes to NAME.err)
        dbus-run-session -- bash -c 'firewall-config 2>"$FC_LOG" & fc=$!
                /usr/bin/python3 "$0" "$@" >"$FC_TXT"; rc=$?; kill $fc; wait $fc; exit $rc' \
                "$NFTBUS_SOURCE/tests/integration/firewall-config.py" "${steps[@]}" >"$out/$1.err" 2>&1
        echo "rc=$?" >>"$out/$1.txt"
        {
                echo "== firewall-cmd --zone=public --list-services"
                firewall-cmd --zone=public --list-services
                echo "== firewall-cmd --permanent --zone=work --list-services"
                firewall-cmd --permanent --zone=work --list-services
        } >>"$out/$1.txt" 2>&1
}

firewalld_start "$out/firewalld.log"
drive firewalld
nftbusd_in_firewalds_place
drive nftbus

assert_eq "firewall-config took every step against nftbusd" "rc=0" "$(grep '^rc=' "$out/nftbus.txt")"
assert_eq "and showed no dialog (an error is one) at any" "" "$(grep '^window:' "$out/nftbus.txt")"
assert_eq "it lists nftbus's zones" "zones: block dmz drop external home internal nm-shared public trusted work" \
        "$(grep -m1 '^zones:' "$out/nftbus.txt")"
assert_eq "the runtime click added amanda-client to public, the permanent ones ftp to work and ssh from it" \
        "amanda-client dhcpv6-client ssh|dhcpv6-client ftp" \
        "$(sed -n '/^== firewall-cmd --zone=public/{n;p}' "$out/nftbus.txt")|$(sed -n '/^== firewall-cmd --permanent/{n;p}' "$out/nftbus.txt")"
assert_eq "the Helpers tab lists firewalld's 13 helpers" \
        "list: Q.931 RAS amanda ftp h323 irc netbios-ns pptp proto-gre sane sip snmp tftp" \
        "$(sed -n '/^== tab=Helpers/,/^==/p' "$out/nftbus.txt" | grep '^list:')"
assert_same "firewall-config shows and does the same against firewalld and nftbusd, step by step" \
        "$out/firewalld.txt" "$out/nftbus.txt"
done_testing
