#!/usr/bin/env bash
# The running service's Introspect output matches introspection/, interface by interface, and every
# org.nftbus interface the service implements has its file.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet filter 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddChain 'sa{sv}' input 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddCounter 'sa{sv}' hits 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddQuota 'sta{sv}' monthly 1000 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddLimit 'stsa{sv}' slow 10 second 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddSet 'ssa{sv}' blocklist ipv4_addr 0 >/dev/null
bus call $BUS_NAME $T $IFACE.Table AddMap 'sssa{sv}' ports inet_service verdict 0 >/dev/null
nft add ct helper inet filter ftp-standard '{ type "ftp" protocol tcp; }'
wait_until 'o "/org/nftbus/Firewall1/table/inet/filter/ct_5fhelper/ftp_2dstandard"' \
        bus call $BUS_NAME $ROOT $IFACE.Manager GetObject ssss inet filter ct_helper ftp-standard
bus call $BUS_NAME $ROOT $IFACE.Manager AddIPSet 'sa{sv}a{sv}' web 1 Type s hash:ip 1 permanent b true
# an object of every interface
declare -A object_of=(
        [$IFACE.Manager]=$ROOT
        [$IFACE.Table]=$T
        [$IFACE.Chain]=$T/chain/input
        [$IFACE.Counter]=$T/counter/hits
        [$IFACE.Quota]=$T/quota/monthly
        [$IFACE.Limit]=$T/limit/slow
        [$IFACE.Set]=$T/set/blocklist
        [$IFACE.Map]=$T/set/ports
        [$IFACE.Object]=$T/ct_5fhelper/ftp_2dstandard
        [$IFACE.Zone]=$ROOT/zone/public
        [$IFACE.IPSet]=$ROOT/ipset/web
        [$IFACE.Policy]=$ROOT/policy/allow_2dhost_2dipv6
        [$IFACE.Sysctl]=$ROOT/sysctl
        [$IFACE.NAT]=$ROOT/nat
        [$IFACE.Preset]=$ROOT/preset/server
)
if kernel_has_flowtables; then
        ip link add ft0 type veth peer name ft1
        bus call $BUS_NAME $T $IFACE.Table AddFlowtable 'sa{sv}' fast 1 devices as 1 ft0 >/dev/null
        object_of[$IFACE.Flowtable]=$T/flowtable/fast
fi

seen=""
for file in "$NFTBUS_SOURCE"/introspection/org.nftbus.*.xml; do
        iface=$(basename "$file" .xml)
        path=${object_of[$iface]:-}
        if [ -z "$path" ] && [ "$iface" = $IFACE.Flowtable ]; then
                skip "$iface matches introspection/$(basename "$file")" "this kernel has no flowtables"
                continue
        fi
        if [ -z "$path" ]; then not_ok "$iface has an object to compare with"; continue; fi
        assert_contract "$file" "$path"
        seen="$seen $iface"
done
# (firewalld's interfaces, introspection/org.fedoraproject.*, are compared by test-firewalld-api: they are
# served when nftbus.conf asks for them)

# nothing implemented without a contract file
for path in "${object_of[@]}"; do
        for iface in $(bus call $BUS_NAME "$path" org.freedesktop.DBus.Introspectable Introspect --json=short |
                        jq -r '.data[0]' | grep -o "interface name=\"$IFACE\.[A-Za-z]*\"" | cut -d'"' -f2); do
                assert_match "$iface has a contract file" " $iface( |$)" "$seen"
        done
done

done_testing
