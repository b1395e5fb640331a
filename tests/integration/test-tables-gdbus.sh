#!/usr/bin/env bash
# The same lifecycle through gdbus (GLib's client), with exact error names.
source "$(dirname "$0")/lib.sh"

assert_eq "AddTable" "(objectpath '/org/nftbus/Firewall1/table/bridge/br_5ffilter',)" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable bridge br_filter '{}')"
assert_eq "AddTable of an existing table is AlreadyExists" \
        "ERROR org.nftbus.Firewall1.Error.AlreadyExists: Table bridge br_filter exists already" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable bridge br_filter '{}')"
assert_eq "GetTable" "(objectpath '/org/nftbus/Firewall1/table/bridge/br_5ffilter',)" \
        "$(gdbus_call $ROOT $IFACE.Manager.GetTable bridge br_filter)"
assert_eq "GetTable of a missing table is NotFound" \
        "ERROR org.nftbus.Firewall1.Error.NotFound: No table netdev missing" \
        "$(gdbus_call $ROOT $IFACE.Manager.GetTable netdev missing)"
assert_eq "ListTables" "([('bridge', 'br_filter', objectpath '/org/nftbus/Firewall1/table/bridge/br_5ffilter')],)" \
        "$(gdbus_call $ROOT $IFACE.Manager.ListTables)"
assert_eq "Flush" "()" "$(gdbus_call $ROOT/table/bridge/br_5ffilter $IFACE.Table.Flush)"
assert_eq "Delete" "()" "$(gdbus_call $ROOT/table/bridge/br_5ffilter $IFACE.Table.Delete)"
assert_eq "the kernel has no table left" "[]" "$(kernel_tables)"

# every family
for f in ip ip6 inet arp bridge netdev; do
        gdbus_call $ROOT $IFACE.Manager.AddTable $f t_$f '{}' >/dev/null
done
assert_eq "a table in every family" \
        '[{"family":"arp","name":"t_arp"},{"family":"bridge","name":"t_bridge"},{"family":"inet","name":"t_inet"},{"family":"ip","name":"t_ip"},{"family":"ip6","name":"t_ip6"},{"family":"netdev","name":"t_netdev"}]' \
        "$(kernel_tables)"

assert_eq "Version property" "(<'0.1.0'>,)" \
        "$(gdbus_call $ROOT org.freedesktop.DBus.Properties.Get $IFACE.Manager Version)"
assert_eq "BackendVersion is libnftables' version" "(<'$(nft --version | awk '{print substr($2, 2)}')'>,)" \
        "$(gdbus_call $ROOT org.freedesktop.DBus.Properties.Get $IFACE.Manager BackendVersion)"

done_testing
