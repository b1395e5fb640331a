#!/usr/bin/env bash
# The real NetworkManager drives nftbusd through firewalld's D-Bus API, as it drives firewalld: a connection's
# zone is where its interface goes when it comes up (addInterface), a new zone moves it (changeZone), and it
# leaves its zone when the connection goes down (removeInterface); a connection it shares (a hotspot) without a
# zone goes into nm-shared, which accepts what is forwarded and lets only DHCP, DNS, SSH and ICMP reach this
# host, proved with packets from the peer behind it. NetworkManager runs here only: on the harness's private
# bus, in its network namespace, managing the one veth this test made towards the client peer (r-c), its
# configuration, state and /run on tmpfs (in the harness's own mount namespace) and the namespace's own sysfs
# read only (so that it does not wait for udev, which does not run here). Skipped where NetworkManager is not
# installed (tools/deps installs it, and dnsmasq-base, which its shared connections run).
source "$(dirname "$0")/lib.sh"

if ! command -v NetworkManager >/dev/null || ! command -v nmcli >/dev/null; then
        skip "NetworkManager binds its connections' interfaces to nftbus's zones" \
                "NetworkManager is not installed (tools/deps installs it)"
        done_testing
        exit 0
fi
wait_for_name $FWD "$NFTBUSD_PID"

make_network
in_server ip route add default via 10.0.2.1
python3 -c "$ANSWER_PEER" 22 8080 &
_network_pids+=" $!"
nsenter -t "$server" -n python3 -c "$ANSWER_PEER" 80 &
_network_pids+=" $!"
wait_listening 8080
ip addr flush dev r-c # NetworkManager's to configure (one it finds configured it only watches)
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
unmanaged-devices=except:interface-name:r-c
EOF
sed -i "s|</busconfig>|  <include>/usr/share/dbus-1/system.d/org.freedesktop.NetworkManager.conf</include>\n</busconfig>|" \
        "$NFTBUS_RUNDIR/bus.conf"
bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig
cat >/etc/NetworkManager/system-connections/lab.nmconnection <<'EOF'
[connection]
id=lab
type=ethernet
interface-name=r-c
zone=home
[ipv4]
method=manual
address1=10.0.1.1/24
[ipv6]
method=disabled
EOF
chmod 600 /etc/NetworkManager/system-connections/lab.nmconnection
NetworkManager --no-daemon --debug >"$NFTBUS_RUNDIR/networkmanager.log" 2>&1 &
networkmanager=$!
trap 'kill $networkmanager $_network_pids 2>/dev/null; wait $networkmanager 2>/dev/null' EXIT

state() { nmcli -g GENERAL.STATE device show r-c 2>/dev/null; }
zone_of() { firewall-cmd --get-zone-of-interface=r-c 2>&1; }
wait_until "100 (connected)" state
assert_eq "NetworkManager brings its connection up on r-c" "100 (connected)" "$(state)"
wait_until home zone_of
assert_eq "and puts r-c in the connection's zone, home" "home" "$(zone_of)"
assert_eq "as nftbus's zones have it" "home" "$(nftbusctl zone of-interface r-c)"
assert_eq "firewall-cmd sees it active" $'home\n  interfaces: r-c' "$(firewall-cmd --get-active-zones)"
home_object=$(bus call $FWD /org/fedoraproject/FirewallD1/config $FWD.config getZoneByName s home | cut -d'"' -f2)
assert_eq "the runtime zone only: the permanent home has no interface" "as 0" \
        "$(bus call $FWD "$home_object" $FWD.config.zone getInterfaces)"
assert_eq "firewall-cmd --permanent lists it from NetworkManager's connection (it asks NetworkManager, as with firewalld)" \
        "r-c" "$(firewall-cmd --permanent --zone=home --list-interfaces)"

nmcli connection modify lab connection.zone work
nmcli device reapply r-c >/dev/null
wait_until work zone_of
assert_eq "a new zone for the connection moves r-c there" "work" "$(zone_of)"
assert_eq "and out of home" "" "$(firewall-cmd --zone=home --list-interfaces)"

nmcli connection down lab >/dev/null
wait_until "no zone" zone_of
assert_eq "the connection down: r-c leaves its zone" "no zone" "$(zone_of)"
assert_eq "no zone is active" "" "$(firewall-cmd --get-active-zones)"

# shared (a hotspot: NetworkManager hands out addresses with dnsmasq and forwards), no zone named: nm-shared.
# Forwarding on, as NetworkManager's own firewall part would turn it on (firewall-backend, none here: what
# filters is nftbus's nm-shared alone)
sysctl -qw net.ipv4.ip_forward=1
nmcli connection modify lab connection.zone "" ipv4.method shared
nmcli connection up lab >/dev/null
wait_until nm-shared zone_of
assert_eq "a shared connection without a zone: nm-shared" "nm-shared" "$(zone_of)"
from() { connect_from in_client "$@"; }
assert_eq "from behind it, forwarded: accepted (the server sees the client)" "10.0.1.2" "$(from 10.0.1.2 10.0.2.2 80)"
assert_eq "to this host's ssh: allowed" "10.0.1.2" "$(from 10.0.1.2 10.0.1.1 22)"
assert_eq "to anything else here: rejected (the rule of priority 32767)" "refused" "$(from 10.0.1.2 10.0.1.1 8080)"
assert_eq "ping: allowed" "ok" "$(in_client ping -c 1 -W 2 10.0.1.1 >/dev/null && echo ok || echo lost)"
assert_eq "NetworkManager's dnsmasq answers DHCP and DNS on it" "dnsmasq" \
        "$(ss -Hlnup 'sport = :67' | grep -o dnsmasq | head -1)"
assert_eq "nftbusd refused none of NetworkManager's calls" "" \
        "$(grep -i "firewalld\|zone" "$NFTBUS_RUNDIR/networkmanager.log" | grep -i "error\|fail" | head -5)"
done_testing
