#!/usr/bin/env bash
# The zones' permanent configuration at start: read from the configuration directory and in force before
# nftbusd takes its name (a restart brings it back without a call); a damaged file is refused alone (the
# rest in force, ZonesState failed, the file and line in ZonesError); the admin's services extend the catalogue.
source "$(dirname "$0")/lib.sh"

M="$BUS_NAME $ROOT $IFACE.Manager"
# the service stopped (it is the harness's child, not this shell's: waited for by its pid), then a new one
restart() {
        kill -TERM "$NFTBUSD_PID"
        for _ in $(seq 1 600); do kill -0 "$NFTBUSD_PID" 2>/dev/null || break; sleep 0.1; done
        start_nftbusd >/dev/null
}

mkdir -p "$CONFIGURATION_DIRECTORY/zones" "$CONFIGURATION_DIRECTORY/services"
printf '# a shop\ndescription=The web shop\nport=8443/tcp\n' >"$CONFIGURATION_DIRECTORY/services/shop.service"
printf 'Zones=yes\nDefaultZone=work\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
printf 'description=Mine\ntarget=drop\ninterface=lo2\nsource=192.0.2.0/24\nservice=shop\nport=9000/udp\n' \
        >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
ip link add lo2 type veth peer name lo2-peer
restart
# right after the name: the table is there, as the files say
assert_eq "in force before the name: the default zone's dispatch" "goto zone_work" \
        "$(nft list chain inet nftbus_zones input | grep -o 'goto zone_work')"
assert_eq "the admin's zone, with the admin's service" '[{"concat":["tcp",8443]},{"concat":["udp",9000]}]' \
        "$(nft -j list set inet nftbus_zones zone_mine_ports | jq -c '.nftables[1].set.elem')"
assert_eq "on the bus" $'b true\ns "work"\ns ""' \
        "$(bus get-property $M ZonesEnabled; bus get-property $M DefaultZone; bus get-property $M ZonesError)"
assert_eq "the zone object" $'s "drop"\nas 1 "lo2"\nas 1 "192.0.2.0/24"' \
        "$(bus get-property $BUS_NAME $ROOT/zone/mine $IFACE.Zone Target Interfaces Sources)"
assert_eq "GetService of the admin's service" '"The web shop" 1 "8443/tcp" 0 0 0' \
        "$(bus call $M GetService s shop | cut -d' ' -f2-)"
assert_eq "and of a shipped one" 'sasasasas "Multicast DNS: finding printers and other hosts on the local network by name (Avahi, Bonjour)." 1 "5353/udp" 0 0 2 "224.0.0.251" "ff02::fb"' \
        "$(bus call $M GetService s mdns)"
assert_match "ListServices: the shipped ones and the admin's" '"shop".*"ssh"' "$(bus call $M ListServices)"

# a damaged file: refused alone, the rest in force, the reason on the bus (firewalld's FAILED state)
printf 'service=ssh\ntarget=sometimes\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
restart
assert_eq "a damaged zone file at start: zones on, the state failed, the file and line in ZonesError" \
        "true|failed|Parts of the zones' configuration in $CONFIGURATION_DIRECTORY are refused; the rest is in force: Line 2 of $CONFIGURATION_DIRECTORY/zones/mine.zone: Invalid target 'sometimes': default, accept, reject or drop" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesState | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesError | jq -r .data)"
assert_eq "the rest of the configuration is in force: the default zone work" "goto zone_work" \
        "$(nft list chain inet nftbus_zones input | grep -o 'goto zone_work')"
assert_eq "the refused zone is not there" "" "$(nft list table inet nftbus_zones | grep -o 'chain zone_mine ')"
assert_eq "DefaultZone on the bus" 's "work"' "$(bus get-property $M DefaultZone)"
assert_eq "nftbusctl status says it, with the file and line, and exits 1" \
        "Zones: failed (default zone work)
  Parts of the zones' configuration in $CONFIGURATION_DIRECTORY are refused; the rest is in force: Line 2 of $CONFIGURATION_DIRECTORY/zones/mine.zone: Invalid target 'sometimes': default, accept, reject or drop
firewalld's API: off
exit status 1" \
        "$(nftbusctl status | sed -n '/^Zones/,$p'; echo "exit status ${PIPESTATUS[0]}")"
printf 'service=shop\ntarget=drop\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
bus call $M Reload 'a{sv}' 0
assert_eq "once the file is mended, Reload puts the files in force, and the state is running" \
        "true|running||work|drop" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesState | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesError | jq -r .data)|$(
           busctl --system --json=short get-property $M DefaultZone | jq -r .data)|$(
           busctl --system --json=short get-property $BUS_NAME $ROOT/zone/mine $IFACE.Zone Target | jq -r .data)"

# nftbus.conf: a setting that is not known is passed over with a warning naming its line, never a reason to
# turn zones off
printf 'Zones=yes\nFirewallDAPI=yes\n\nDefualtZone=home\nDefaultZone=work\n' >"$CONFIGURATION_DIRECTORY/nftbus.conf"
restart
assert_eq "a mistyped setting: zones on, the others in force, running" "true|running|work" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesState | jq -r .data)|$(
           busctl --system --json=short get-property $M DefaultZone | jq -r .data)"
assert_match "the warning names the file and the line" \
        "Line 4 of $CONFIGURATION_DIRECTORY/nftbus.conf: unknown setting 'DefualtZone=home'" \
        "$(cat "$NFTBUSD_LOG")"

# a conntrack helper the kernel lacks (NFTBUS_MODULES_DIR: where nftbusd looks for loaded modules, here one without
# nf_conntrack_sip): the services that name it lose it, with a warning, and keep their ports; the zones run
mkdir -p "$NFTBUS_RUNDIR/modules/nf_conntrack_ftp"
printf 'service=sip\nservice=ftp\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
export NFTBUS_MODULES_DIR=$NFTBUS_RUNDIR/modules
restart
unset NFTBUS_MODULES_DIR
assert_eq "without the sip helper: zones running" "true|running" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesState | jq -r .data)"
assert_match "the warning says so" \
        "Service sip: the kernel has no conntrack helper sip .nf_conntrack_sip.: its ports are allowed without it" \
        "$(cat "$NFTBUSD_LOG")"
assert_eq "sip's ports allowed, ftp's helper there, no sip helper" "tcp . 5060|helper-ftp-tcp|" \
        "$(nft list set inet nftbus_zones zone_mine_ports | grep -o 'tcp . 5060' | head -n 1)|$(
           nft list table inet nftbus_zones | grep -o 'ct helper helper-ftp-tcp' | cut -d' ' -f3)|$(
           nft list table inet nftbus_zones | grep -o 'helper-sip-[a-z]*' | head -n 1)"
restart

# the admin's helper (helpers/NAME.helper) and a service that names it: attached on the helper's port; one of a
# module the kernel has no helper of is refused with its file and line, the rest in force
mkdir -p "$CONFIGURATION_DIRECTORY/helpers"
printf 'short=FTP on 2121\nmodule=nf_conntrack_ftp\nport=2121/tcp\n' >"$CONFIGURATION_DIRECTORY/helpers/ftp2.helper"
printf 'port=2121/tcp\nhelper=ftp2\n' >"$CONFIGURATION_DIRECTORY/services/ftp2svc.service"
printf 'service=ftp2svc\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
restart
assert_eq "the admin's helper: in force, the kernel's ftp helper on 2121/tcp" \
        "running|tcp dport 2121 ct helper set \"helper-ftp2-tcp\"|type \"ftp\" protocol tcp" \
        "$(busctl --system --json=short get-property $M ZonesState | jq -r .data)|$(
           nft list chain inet nftbus_zones zone_mine | grep -o 'tcp dport 2121 ct helper set "helper-ftp2-tcp"')|$(
           nft list table inet nftbus_zones | grep -o 'type "ftp" protocol tcp')"
printf 'module=nf_conntrack_ftp\nport=2121/udp\n' >"$CONFIGURATION_DIRECTORY/helpers/ftp2.helper"
restart
assert_match "a port its helper cannot follow: refused, the file and line named" \
        "Line 2 of $CONFIGURATION_DIRECTORY/helpers/ftp2.helper: Invalid port '2121/udp': the kernel's helper of nf_conntrack_ftp follows no udp" \
        "$(busctl --system --json=short get-property $M ZonesError | jq -r .data)"
rm -r "$CONFIGURATION_DIRECTORY/helpers" "$CONFIGURATION_DIRECTORY/services/ftp2svc.service"
printf 'service=ssh\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
restart

done_testing
