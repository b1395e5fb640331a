#!/usr/bin/env bash
# The zones' permanent configuration at start: read from the configuration directory and in force before
# nftbusd takes its name (a restart brings it back without a call); a damaged file is refused whole (the
# built-in zones, off, and the reason in Manager.ZonesError); the admin's services extend the catalogue.
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

# a damaged file: refused whole, the built-in zones (off), the reason on the bus
printf 'service=ssh\ntarget=sometimes\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
restart
assert_eq "a damaged zone file at start: zones off, the reason in ZonesError" \
        "false|The configuration in $CONFIGURATION_DIRECTORY is refused: Line 2 of zone mine: Invalid target 'sometimes': default, accept, reject or drop" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M ZonesError | jq -r .data)"
assert_eq "the table the previous start made stays in force, untouched" "goto zone_work" \
        "$(nft list chain inet nftbus_zones input | grep -o 'goto zone_work')"
assert_eq "the built-in zones are there to work with" 's "public"' "$(bus get-property $M DefaultZone)"
printf 'service=shop\ntarget=drop\n' >"$CONFIGURATION_DIRECTORY/zones/mine.zone"
bus call $M Reload 'a{sv}' 0
assert_eq "once the file is mended, Reload puts the files in force" "true|work|drop" \
        "$(busctl --system --json=short get-property $M ZonesEnabled | jq -r .data)|$(
           busctl --system --json=short get-property $M DefaultZone | jq -r .data)|$(
           busctl --system --json=short get-property $BUS_NAME $ROOT/zone/mine $IFACE.Zone Target | jq -r .data)"

done_testing
