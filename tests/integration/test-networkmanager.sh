#!/usr/bin/env bash
# The real NetworkManager drives nftbusd through firewalld's D-Bus API, as it drives firewalld: a connection's
# zone is where its interface goes when it comes up (addInterface), a new zone moves it (changeZone), and it
# leaves its zone when the connection goes down (removeInterface). NetworkManager runs here only: on the
# harness's private bus, in its network namespace, managing the one veth this test made, its configuration,
# state and /run on tmpfs (in the harness's own mount namespace) and the namespace's own sysfs read only (so
# that it does not wait for udev, which does not run here). Skipped where NetworkManager is not installed
# (tools/deps installs it).
source "$(dirname "$0")/lib.sh"

if ! command -v NetworkManager >/dev/null || ! command -v nmcli >/dev/null; then
        skip "NetworkManager binds its connections' interfaces to nftbus's zones" \
                "NetworkManager is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
wait_for_name $FWD "$NFTBUSD_PID"

mount -t sysfs -o ro sysfs /sys
mount -t tmpfs tmpfs /run
mkdir /run/NetworkManager
mount -t tmpfs tmpfs /var/lib/NetworkManager
mount -t tmpfs tmpfs /etc/NetworkManager
mkdir /etc/NetworkManager/system-connections
cat >/etc/NetworkManager/NetworkManager.conf <<'EOF'
[main]
plugins=keyfile
dns=none
rc-manager=unmanaged
no-auto-default=*
hostname-mode=none
firewall-backend=none
[keyfile]
unmanaged-devices=except:interface-name:nm0
EOF
sed -i "s|</busconfig>|  <include>/usr/share/dbus-1/system.d/org.freedesktop.NetworkManager.conf</include>\n</busconfig>|" \
        "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
ip link add nm0 type veth peer name nm1
ip link set nm1 up
cat >/etc/NetworkManager/system-connections/lab.nmconnection <<'EOF'
[connection]
id=lab
type=ethernet
interface-name=nm0
zone=home
[ipv4]
method=manual
address1=10.0.9.1/24
[ipv6]
method=disabled
EOF
chmod 600 /etc/NetworkManager/system-connections/lab.nmconnection
NetworkManager --no-daemon --debug >"$NFTBUS_RUNDIR/networkmanager.log" 2>&1 &
networkmanager=$!
trap 'kill $networkmanager 2>/dev/null; wait $networkmanager 2>/dev/null' EXIT

state() { nmcli -g GENERAL.STATE device show nm0 2>/dev/null; }
zone_of() { firewall-cmd --get-zone-of-interface=nm0 2>&1; }
wait_until "100 (connected)" state
assert_eq "NetworkManager brings its connection up on nm0" "100 (connected)" "$(state)"
wait_until home zone_of
assert_eq "and puts nm0 in the connection's zone, home" "home" "$(zone_of)"
assert_eq "as nftbus's zones have it" "home" "$(nftbusctl zone of-interface nm0)"
assert_eq "firewall-cmd sees it active" $'home\n  interfaces: nm0' "$(firewall-cmd --get-active-zones)"
home_object=$(bus call $FWD /org/fedoraproject/FirewallD1/config $FWD.config getZoneByName s home | cut -d'"' -f2)
assert_eq "the runtime zone only: the permanent home has no interface" "as 0" \
        "$(bus call $FWD "$home_object" $FWD.config.zone getInterfaces)"
assert_eq "firewall-cmd --permanent lists it from NetworkManager's connection (it asks NetworkManager, as with firewalld)" \
        "nm0" "$(firewall-cmd --permanent --zone=home --list-interfaces)"

nmcli connection modify lab connection.zone work
nmcli device reapply nm0 >/dev/null
wait_until work zone_of
assert_eq "a new zone for the connection moves nm0 there" "work" "$(zone_of)"
assert_eq "and out of home" "" "$(firewall-cmd --zone=home --list-interfaces)"

nmcli connection down lab >/dev/null
wait_until "no zone" zone_of
assert_eq "the connection down: nm0 leaves its zone" "no zone" "$(zone_of)"
assert_eq "no zone is active" "" "$(firewall-cmd --get-active-zones)"
assert_eq "nftbusd refused none of NetworkManager's calls" "" \
        "$(grep -i "firewalld\|zone" "$NFTBUS_RUNDIR/networkmanager.log" | grep -i "error\|fail" | head -5)"
done_testing
