#!/usr/bin/env bash
# Tables made with nft directly, outside the service, appear on the bus with the kernel's properties,
# change with it and disappear with it.
source "$(dirname "$0")/lib.sh"

wait_for() { # until a command succeeds, for at most 60 s: a loaded machine is late, not wrong
        for _ in $(seq 1 1200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
        return 1
}

nft add table ip external
handle=$(nft -j list tables | jq '.nftables[] | select(.table.name == "external") | .table.handle')
assert_eq "the table appears on the bus" 'o "/org/nftbus/Firewall1/table/ip/external"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager GetTable ss ip external)"
assert_eq "with the kernel's properties" $'s "ip"\ns "external"\nt '"$handle"$'\nas 0' \
        "$(bus get-property $BUS_NAME $ROOT/table/ip/external $IFACE.Table Family Name Handle Flags)"

nft add table inet sleepy '{ flags dormant; }'
assert_eq "a dormant table shows its flag" 'as 1 "dormant"' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/sleepy $IFACE.Table Flags)"
# nft 1.0.6 cannot clear a table's flags; a table made anew under the same name has none
nft delete table inet sleepy && nft add table inet sleepy
assert_eq "the flag follows the kernel" 'as 0' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/sleepy $IFACE.Table Flags)"

# a name the service would refuse to create, made by another tool, is still shown, escaped
echo '{"nftables": [{"add": {"table": {"family": "inet", "name": "odd name"}}}]}' | nft -j -f -
assert_eq "an odd external name is listed with an escaped path" \
        'a(sso) 3 "inet" "odd name" "/org/nftbus/Firewall1/table/inet/odd_20name" "inet" "sleepy" "/org/nftbus/Firewall1/table/inet/sleepy" "ip" "external" "/org/nftbus/Firewall1/table/ip/external"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager ListTables)"
assert_eq "and its Name property is exact" 's "odd name"' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/odd_20name $IFACE.Table Name)"

# the tree and the ObjectManager know the same objects
assert_eq "GetManagedObjects lists every table, beside the nat, policy, preset, sysctl and zone objects" \
        '["/org/nftbus/Firewall1/nat","/org/nftbus/Firewall1/policy/allow_2dhost_2dipv6","/org/nftbus/Firewall1/preset/harden","/org/nftbus/Firewall1/preset/router","/org/nftbus/Firewall1/preset/server","/org/nftbus/Firewall1/preset/workstation","/org/nftbus/Firewall1/sysctl","/org/nftbus/Firewall1/table/inet/odd_20name","/org/nftbus/Firewall1/table/inet/sleepy","/org/nftbus/Firewall1/table/ip/external"]' \
        "$(bus call $BUS_NAME $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short |
           jq -c '.data[0] | keys | map(select(startswith("/org/nftbus/Firewall1/zone/") | not))')"
assert_eq "the zones among them" "block dmz drop external home internal nm_2dshared public trusted work" \
        "$(bus call $BUS_NAME $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short |
           jq -r '[.data[0] | keys[] | select(startswith("/org/nftbus/Firewall1/zone/")) | ltrimstr("/org/nftbus/Firewall1/zone/")] | join(" ")')"

nft delete table ip external
assert_eq "a table deleted with nft disappears from the bus" \
        "ERROR org.nftbus.Firewall1.Error.NotFound: No table ip external" \
        "$(gdbus_call $ROOT $IFACE.Manager.GetTable ip external)"

# an owned table (NFT_TABLE_F_OWNER) belongs to another process: the kernel refuses to delete it,
# and libnftables' own message reaches the caller inside Rejected
# (its owner, nft -i, lives as long as this test holds its input open: no window of time)
owner_input=$(mktemp -u "$NFTBUS_RUNDIR/owner.XXXXXX")
mkfifo "$owner_input"
nft -i <"$owner_input" >/dev/null 2>&1 &
owner=$!
exec 4>"$owner_input"
echo 'add table inet owned { flags owner; }' >&4
wait_for bus call $BUS_NAME $ROOT $IFACE.Manager GetTable ss inet owned
assert_eq "an owned table shows the owner flag" 'as 1 "owner"' \
        "$(bus get-property $BUS_NAME $ROOT/table/inet/owned $IFACE.Table Flags)"
assert_eq "deleting it is Rejected with nft's message" \
        "ERROR org.nftbus.Firewall1.Error.Rejected: Error: Could not process rule: Operation not permitted" \
        "$(gdbus_call $ROOT/table/inet/owned $IFACE.Table.Delete)"
exec 4>&-
wait $owner 2>/dev/null
wait_for bash -c "! busctl --system call $BUS_NAME $ROOT $IFACE.Manager GetTable ss inet owned"
assert_eq "when its owner exits, the kernel drops it and so does the bus" '[]' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager GetTable ss inet owned 2>/dev/null; nft -j list tables | jq -c '[.nftables[] | select(.table.name == "owned")]')"

done_testing
