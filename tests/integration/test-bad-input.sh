#!/usr/bin/env bash
# Every bad input gets InvalidArgument naming the bad value, before polkit is asked (an unprivileged
# caller with no rights gets the validation error, not a password prompt), and the kernel is unchanged.
source "$(dirname "$0")/lib.sh"

nft add table inet keep
before=$(nft -j list ruleset | jq -c '.nftables[1:]')
long=$(printf 'a%.0s' $(seq 1 256))
invalid="ERROR org.nftbus.Firewall1.Error.InvalidArgument"
chars="only letters, digits, '_', '-' and '.' are allowed"

# family, name -> expected message, for every method taking a table's family and name
cases=(
        "ipx|t|Invalid family 'ipx': expected one of ip, ip6, inet, arp, bridge, netdev"
        "|t|Invalid family '': expected one of ip, ip6, inet, arp, bridge, netdev"
        "INET|t|Invalid family 'INET': expected one of ip, ip6, inet, arp, bridge, netdev"
        "inet||Invalid table name: the name is empty"
        "inet|$long|Invalid table name: 256 bytes long, the kernel allows at most 255"
        "inet|a/b|Invalid table name 'a/b': $chars"
        "inet|a\"b|Invalid table name 'a\"b': $chars"
        "inet|a'b|Invalid table name 'a\\x27b': $chars"
        "inet|a b|Invalid table name 'a b': $chars"
        "inet|a;flush ruleset|Invalid table name 'a;flush ruleset': $chars"
        "inet|x}|Invalid table name 'x}': $chars"
        $'inet|a\tb|Invalid table name \'a\\x09b\': '"$chars"
        $'inet|a\nb|Invalid table name \'a\\x0ab\': '"$chars"
        $'inet|a\x01b|Invalid table name \'a\\x01b\': '"$chars"
        "inet|1st|Invalid table name '1st': a name starts with a letter or '_'"
)
for c in "${cases[@]}"; do
        IFS='|' read -r -d '' family name message <<<"$c"
        message=${message%$'\n'}
        for method in AddTable GetTable; do
                if [ $method = AddTable ]; then args=(ssa{sv} "$family" "$name" 0); else args=(ss "$family" "$name"); fi
                out=$(as_user busctl --system call $BUS_NAME $ROOT $IFACE.Manager $method "${args[@]}" 2>&1)
                assert_eq "$method refuses $(printf %q "$family") $(printf %q "${name:0:20}") as the test user" \
                        "Call failed: $message" "$out"
        done
done
# the error name, through gdbus, as root
assert_eq "the error is InvalidArgument" "$invalid: Invalid table name 'a b': $chars" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable inet 'a b' '{}')"

# options: AddTable takes none yet; any is refused, named, escaped
assert_eq "unknown option" "$invalid: Unknown option 'colour'" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable inet t "{'colour': <'red'>}")"
assert_eq "an option libnftables would silently drop is refused" "$invalid: Unknown option 'comment'" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable inet t "{'comment': <'x'>}")"
out=$(bus call $BUS_NAME $ROOT $IFACE.Manager AddTable 'ssa{sv}' inet t 1 $'we\x01ird' s x 2>&1)
assert_eq "an odd option name is escaped in the message" "Call failed: Unknown option 'we\\x01ird'" "$out"

# wrong D-Bus signatures never reach a handler
assert_eq "a missing argument is InvalidArgs, naming both signatures" \
        "ERROR org.freedesktop.DBus.Error.InvalidArgs: Invalid arguments 's' to call org.nftbus.Firewall1.Manager.AddTable(), expecting 'ssa{sv}'." \
        "$(typed_call $ROOT $IFACE.Manager AddTable s "('inet',)")"
assert_eq "a wrong argument type is InvalidArgs, naming both signatures" \
        "ERROR org.freedesktop.DBus.Error.InvalidArgs: Invalid arguments 'si' to call org.nftbus.Firewall1.Manager.GetTable(), expecting 'ss'." \
        "$(typed_call $ROOT $IFACE.Manager GetTable si "('inet', 5)")"
assert_eq "a huge name is refused without echoing it all" \
        "$invalid: Invalid table name: 100000 bytes long, the kernel allows at most 255" \
        "$(gdbus_call $ROOT $IFACE.Manager.AddTable inet "$(printf 'x%.0s' $(seq 1 100000))" '{}')"

# unknown objects: a path that is no table
out=$(bus call $BUS_NAME $ROOT/table/inet/nosuch $IFACE.Table Delete 2>&1)
assert_match "a method on a missing table: unknown object" "Unknown object '/org/nftbus/Firewall1/table/inet/nosuch'" "$out"
out=$(bus call $BUS_NAME $ROOT/table/ipx/keep $IFACE.Table Flush 2>&1)
assert_match "a path with an unknown family: unknown object" "Unknown object" "$out"

assert_eq "the kernel is unchanged by all of it" "$before" "$(nft -j list ruleset | jq -c '.nftables[1:]')"

done_testing
