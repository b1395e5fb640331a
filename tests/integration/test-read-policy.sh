#!/usr/bin/env bash
# One read policy: reading is open to every local user, by every way there is (the read methods under
# polkit's org.nftbus.Firewall1.read, which says yes to anyone; properties, GetManagedObjects and
# introspection, which sd-bus answers itself), as firewalld's info. The bus policy narrows reading as a
# whole: with units/examples/org.nftbus.Firewall1.restrict-reading.conf in the bus's configuration,
# every read is refused to callers outside the group, root and the group still read, and a delegated
# change still goes through polkit.
source "$(dirname "$0")/lib.sh"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
example=$NFTBUS_SOURCE/units/examples/org.nftbus.Firewall1.restrict-reading.conf

nft add table inet filter
nft add chain inet filter input '{ type filter hook input priority 0; }'
nft add rule inet filter input tcp dport 22 accept
nft add set inet filter blocklist '{ type ipv4_addr; elements = { 192.0.2.1 } }'
wait_until 'o "/org/nftbus/Firewall1/table/inet/filter/set/blocklist"' \
        bus call $BUS_NAME $ROOT $IFACE.Manager GetSet sss inet filter blocklist
T=$ROOT/table/inet/filter

# every read, as a user with no polkit rule and no session: "reads" prints one word per read that worked
reads() {
        local ok=()
        gdbus call --system --dest $BUS_NAME --object-path $ROOT --method $IFACE.Manager.ListTables >/dev/null 2>&1 &&
                ok+=(ListTables)
        gdbus call --system --dest $BUS_NAME --object-path $ROOT --method $IFACE.Manager.GetSet inet filter blocklist \
                >/dev/null 2>&1 && ok+=(GetSet)
        gdbus call --system --dest $BUS_NAME --object-path $T/chain/input --method $IFACE.Chain.ListRules >/dev/null 2>&1 &&
                ok+=(ListRules)
        gdbus call --system --dest $BUS_NAME --object-path $T/set/blocklist --method $IFACE.Set.ListElements \
                >/dev/null 2>&1 && ok+=(ListElements)
        gdbus call --system --dest $BUS_NAME --object-path $ROOT --method $IFACE.Manager.Export '{}' >/dev/null 2>&1 &&
                ok+=(Export)
        gdbus call --system --dest $BUS_NAME --object-path $ROOT/sysctl --method $IFACE.Sysctl.Get net.ipv4.ip_forward \
                >/dev/null 2>&1 && ok+=(SysctlGet)
        gdbus call --system --dest $BUS_NAME --object-path $ROOT/nat --method $IFACE.NAT.List >/dev/null 2>&1 &&
                ok+=(NatList)
        gdbus call --system --dest $BUS_NAME --object-path $T --method org.freedesktop.DBus.Properties.GetAll \
                $IFACE.Table >/dev/null 2>&1 && ok+=(Properties)
        gdbus call --system --dest $BUS_NAME --object-path $ROOT \
                --method org.freedesktop.DBus.ObjectManager.GetManagedObjects >/dev/null 2>&1 && ok+=(Objects)
        gdbus introspect --system --dest $BUS_NAME --object-path $T >/dev/null 2>&1 && ok+=(Introspect)
        echo "${ok[*]}"
}
export -f reads
all="ListTables GetSet ListRules ListElements Export SysctlGet NatList Properties Objects Introspect"
export BUS_NAME ROOT IFACE T

assert_eq "an unprivileged user outside any session reads everything" "$all" "$(nobody bash -c reads)"
assert_eq "and what it read is the kernel's" '"192.0.2.1"' \
        "$(nobody busctl --system --allow-interactive-authorization=no call $BUS_NAME $T/set/blocklist $IFACE.Set ListElements | cut -d' ' -f3)"
assert_eq "but changes nothing" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-elements" \
        "$(nobody bash -c "source $NFTBUS_TEST_LIB; gdbus_call $T/set/blocklist $IFACE.Set.AddElements \"['192.0.2.9']\" '{}'")"

# the example covers every read method the action table names (so that it cannot drift)
assert_eq "the example denies every method under org.nftbus.Firewall1.read and .subscribe (the signals are reading too)" \
        "$(grep -oE '"[A-Za-z]*", (READ|SUBSCRIBE)' "$NFTBUS_SOURCE/service/auth/actions.c" | cut -d'"' -f2 | sort -u)" \
        "$(grep -o 'send_member="[A-Za-z]*"' "$example" | cut -d'"' -f2 | sort -u)"
assert_eq "on the interfaces that have them" "" \
        "$(python3 - "$example" "$NFTBUS_SOURCE/introspection" <<'PY'
import re, sys, xml.etree.ElementTree as ET, glob
have = set()
for f in glob.glob(sys.argv[2] + "/*.xml"):
    for i in ET.parse(f).getroot().iter("interface"):
        have |= {(i.get("name"), m.get("name")) for m in i.iter("method")}
for i, m in re.findall(r'send_interface="([^"]*)"\s+send_member="([^"]*)"', open(sys.argv[1]).read()):
    if (i, m) not in have:
        print(i, m)
PY
)"

# narrowed at the bus: the example, with the test's delegates as its group
sed 's/group="netops"/group="'"$NFTBUS_TEST_GROUP"'"/' "$example" >"$NFTBUS_RUNDIR/restrict-reading.conf"
sed -i "s|</busconfig>|  <include>$NFTBUS_RUNDIR/restrict-reading.conf</include>\n</busconfig>|" "$NFTBUS_RUNDIR/bus.conf"
assert_eq "the bus takes the example" "" "$(bus call org.freedesktop.DBus / org.freedesktop.DBus ReloadConfig 2>&1)"
assert_eq "with the bus policy, a user outside the group reads nothing" "" "$(nobody bash -c reads)"
assert_match "refused by the bus itself" "org.freedesktop.DBus.Error.AccessDenied" \
        "$(nobody gdbus call --system --dest $BUS_NAME --object-path $T --method org.freedesktop.DBus.Properties.GetAll \
                $IFACE.Table 2>&1)"
assert_eq "a member of the group reads everything" "$all" "$(as_user reads)"
assert_eq "root too" "$all" "$(reads)"
assert_eq "and a change by a user outside the group still reaches polkit, which refuses it" \
        "Call failed: Interactive authentication required for org.nftbus.Firewall1.manage-elements" \
        "$(nobody busctl --system --allow-interactive-authorization=no call $BUS_NAME $T/set/blocklist $IFACE.Set AddElements 'asa{sv}' 1 \
                192.0.2.9 0 2>&1)"

done_testing
