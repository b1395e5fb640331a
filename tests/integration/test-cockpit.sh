#!/usr/bin/env bash
# Cockpit's firewall page (Debian's cockpit-ws, cockpit-bridge, cockpit-networkmanager 287) in headless Chromium,
# driven through ChromeDriver as a person would drive it (cockpit-firewall.py): against the real firewalld, then
# against nftbusd, each run by the real systemd as a host runs it (systemd_world: Cockpit asks systemd whether
# firewalld.service is installed and running, and its switch disables and stops that unit). The same steps: list
# the zones, add a service and remove one, custom ports (a service Cockpit makes, then a reload), a zone added with a
# source and a service and removed; the page shows the same at every step, and firewall-cmd reads the same
# configuration back. Then the switch: off stops firewalld.service (nftbusd, through nftbus's generator's alias),
# which keeps its rules in the kernel by design (nftbusd(8)); on starts it again. Skipped where Cockpit, Chromium or
# ChromeDriver is not installed (tools/deps installs them).
source "$(dirname "$0")/lib.sh"

require_firewalld "Cockpit's firewall page against firewalld and nftbusd"
if [ ! -x /usr/lib/cockpit/cockpit-ws ] || [ ! -e /usr/share/cockpit/networkmanager/firewall.html ] ||
        ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || [ ! -x /lib/systemd/systemd ]; then
        skip "Cockpit's firewall page against firewalld and nftbusd" \
                "cockpit-ws, cockpit-networkmanager, chromium, chromium-driver or systemd is not installed (tools/deps installs them)"
        done_testing
        exit 0
fi
out=${COCKPIT_OUT:-$NFTBUS_RUNDIR/cockpit}
mkdir -p "$out/home"
# Chromium's and the bridge's files in the run's folder; Chromium never on a system bus (the world's is Cockpit's)
export HOME=$out/home XDG_CONFIG_HOME=$out/home/.config XDG_CACHE_HOME=$out/home/.cache XDG_RUNTIME_DIR=$out/home/run
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent chromedriver --port=9515 >"$out/chromedriver.log" 2>&1 &
chromedriver=$!
cockpit_ws=
trap 'kill $chromedriver $cockpit_ws 2>/dev/null; systemd_world_stop' EXIT
wait_until 0 sh -c 'python3 -c "import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:9515/status\")" 2>/dev/null; echo $?'

# an interface of the namespace's for the zone public (runtime and permanent: Cockpit's custom ports reload)
ip link add eth7 type veth peer name eth7p
ip link set eth7 up

steps=(show add-service=public:http remove-service=public:dhcpv6-client ports=public:8080-8081:5353
        add-zone=work:192.0.2.0/24 add-service=work:ftp remove-zone=work)

# cockpit_page NAME STEP...: one local session of Cockpit's (its bridge as root, on the world's bus; its log into
# $out/NAME.cockpit-ws.log), its firewall page driven through the steps (what it shows on stdout), the session
# stopped; the driver's exit status
cockpit_page() {
        local rc
        /usr/lib/cockpit/cockpit-ws --no-tls --address 127.0.0.1 --port 9090 --local-session=cockpit-bridge \
                >>"$out/$1.cockpit-ws.log" 2>&1 &
        cockpit_ws=$!
        wait_listening 9090
        CHROME_PROFILE=$(mktemp -d "$out/chromium.XXXXXX") python3 "$NFTBUS_SOURCE/tests/integration/cockpit-firewall.py" \
                http://127.0.0.1:9090/cockpit/@localhost/network/firewall.html "${@:2}"
        rc=$?
        kill $cockpit_ws
        wait $cockpit_ws 2>/dev/null
        return $rc
}

# drive NAME: the world's firewall set up, Cockpit's page driven through the steps (into $out/NAME.txt), then what
# firewall-cmd reads back of the runtime and permanent configuration
drive() {
        firewall-cmd --zone=public --add-interface=eth7 >/dev/null
        firewall-cmd --permanent --zone=public --add-interface=eth7 >/dev/null
        COCKPIT_SCREENSHOT=$out/$1.png cockpit_page "$1" "${steps[@]}" >"$out/$1.txt" 2>&1
        echo "rc=$?" >>"$out/$1.txt"
        {
                echo "== firewall-cmd --list-all --zone=public"
                firewall-cmd --list-all --zone=public
                echo "== firewall-cmd --permanent --list-all --zone=public"
                firewall-cmd --permanent --list-all --zone=public
                echo "== firewall-cmd --permanent --zone=work --list-sources"
                firewall-cmd --permanent --zone=work --list-sources
                echo "== firewall-cmd --permanent --info-service=custom--8080-8081-mdns"
                firewall-cmd --permanent --info-service=custom--8080-8081-mdns
        } >>"$out/$1.txt" 2>&1
}

# switch NAME STATE: Cockpit's switch turned to STATE (a session of its own), what systemd then says of
# firewalld.service, and the kernel's tables
switch() {
        cockpit_page "$1" "switch=$2" 2>&1 | grep -v '^  '
        echo "firewalld.service: $(world_unit_state firewalld.service | cut -d' ' -f1)"
        echo "tables: $(nft list tables | tr '\n' ' ')"
}

firewalld_files
systemd_world firewalld
drive firewalld
systemd_world_stop
assert_eq "firewalld stopped cleanly by systemd" 0 $?
# (firewalld's table, had its CleanupOnExit left one, is not nftbusd's to find)
nft delete table inet firewalld 2>/dev/null

printf 'Zones=yes\nDefaultZone=public\nFirewallDAPI=yes\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
systemd_world nftbus
assert_eq "systemd finds nftbusd as firewalld.service (the generator's alias), running" \
        "nftbusd.service firewalld.service|active" \
        "$(busctl --system get-property org.freedesktop.systemd1 /org/freedesktop/systemd1/unit/firewalld_2eservice \
                org.freedesktop.systemd1.Unit Names | cut -d' ' -f3- | tr -d '"')|$(world_unit_state firewalld.service | cut -d' ' -f1)"
drive nftbus

assert_eq "Cockpit took every step against nftbusd" "rc=0" "$(grep '^rc=' "$out/nftbus.txt")"
assert_eq "with no timeout, no error" "" "$(grep -E '^(timeout|webdriver|dialog alert|alert):' "$out/nftbus.txt")"
assert_eq "it lists the zone public, with its interface and services" "zone: public: Public zone
  Interface eth7
  Allowed addresses Entire subnet
  service: ssh | 22
  service: dhcpv6-client | 546" "$(sed -n '/^== show/,/^==/p' "$out/nftbus.txt" | grep -v -e '^==' -e '^switch')"
assert_eq "its custom ports are a service of Cockpit's, in public" "  service: custom--8080-8081-mdns | 8080-8081 | 5353" \
        "$(sed -n '/^== ports/,/^==/p' "$out/nftbus.txt" | grep custom)"
assert_eq "the zone work it added with the source 192.0.2.0/24 is gone with it" "" \
        "$(firewall-cmd --permanent --zone=work --list-sources; firewall-cmd --zone=work --list-sources)"
assert_same "Cockpit shows and does the same against firewalld and nftbusd, step by step" \
        "$out/firewalld.txt" "$out/nftbus.txt"

# the switch: off disables and stops firewalld.service, which is nftbusd; its rules stay in the kernel
nft list ruleset >"$out/ruleset.before"
assert_eq "the switch off: systemd stopped nftbusd, whose table stays" "== switch=off
switch: off
firewalld.service: inactive
tables: table inet nftbus_zones " "$(switch nftbus off)"
assert_eq "its status exit 0 (stopped cleanly)" "inactive 0" "$(world_unit_state firewalld.service)"
nft list ruleset >"$out/ruleset.after"
assert_same "the ruleset in the kernel is the one nftbusd left, rule for rule" "$out/ruleset.before" "$out/ruleset.after"
assert_eq "the switch on: systemd started it again, and the zones are back" "== switch=on
switch: on
zone: public: Public zone
firewalld.service: active
tables: table inet nftbus_zones " "$(switch nftbus on)"
systemd_world_stop
assert_eq "nftbusd stopped cleanly by systemd at the end" 0 $?
done_testing
