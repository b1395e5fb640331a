#!/usr/bin/env bash
# Everything in the kernel is on the bus: the stateful objects without an interface of their own (ct
# helper, ct timeout, ct expectation, synproxy, ...) through org.nftbus.Firewall1.Object, and meters (the
# dynamic sets a rule makes) as sets, whoever made them; nftbusctl lists them.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
bus call $BUS_NAME $ROOT $IFACE.Manager Apply 'sa{sv}' 'table inet filter {
        ct helper ftp-standard { type "ftp" protocol tcp; l3proto inet; comment "ftp control"; }
        ct timeout aggressive { protocol tcp; l3proto ip; policy = { established: 100, close: 5 }; }
        ct expectation expect-5000 { protocol tcp; dport 5000; timeout 1m; size 8; l3proto ip; }
        synproxy web { mss 1460; wscale 7; timestamp sack-perm; }
        chain input {
                type filter hook input priority filter;
                tcp dport 21 ct helper set "ftp-standard"
                tcp dport 9000 meter flood size 128 { ip saddr limit rate over 3/minute } counter drop
        }
}' 0 >/dev/null
obj() { bus call $BUS_NAME $ROOT $IFACE.Manager GetObject ssss inet filter "$1" "$2"; }
wait_until 'o "/org/nftbus/Firewall1/table/inet/filter/synproxy/web"' obj synproxy web
assert_eq "GetObject of each kind: the service builds the escaped paths" "$(printf '%s\n' \
        'o "/org/nftbus/Firewall1/table/inet/filter/ct_5fhelper/ftp_2dstandard"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/ct_5ftimeout/aggressive"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/ct_5fexpectation/expect_2d5000"' \
        'o "/org/nftbus/Firewall1/table/inet/filter/synproxy/web"')" \
        "$(obj ct_helper ftp-standard; obj ct_timeout aggressive; obj ct_expectation expect-5000; obj synproxy web)"
H=$T/ct_5fhelper/ftp_2dstandard
assert_eq "their properties: Name, Kind, Comment" $'s "ftp-standard"\ns "ct helper"\ns "ftp control"' \
        "$(bus get-property $BUS_NAME $H $IFACE.Object Name Kind Comment)"
handle=$(nft -j list table inet filter | jq '.nftables[] | select(."ct helper") | ."ct helper".handle')
assert_eq "and the kernel's handle" "t $handle" "$(bus get-property $BUS_NAME $H $IFACE.Object Handle)"
assert_eq "Describe: the object as nft lists it" "$(printf '%s\n' 'table inet filter {' \
        '	ct helper ftp-standard {' '		comment "ftp control"' '		type "ftp" protocol tcp' '		l3proto inet' '	}' '}')" \
        "$(bus call $BUS_NAME $H $IFACE.Object Describe --json=short | jq -r '.data[0]')"
assert_eq "GetManagedObjects has them, with the Object interface" \
        '["/org/nftbus/Firewall1/table/inet/filter/ct_5fexpectation/expect_2d5000","/org/nftbus/Firewall1/table/inet/filter/ct_5fhelper/ftp_2dstandard","/org/nftbus/Firewall1/table/inet/filter/ct_5ftimeout/aggressive","/org/nftbus/Firewall1/table/inet/filter/synproxy/web"]' \
        "$(bus call $BUS_NAME $ROOT org.freedesktop.DBus.ObjectManager GetManagedObjects --json=short |
           jq -c "[.data[0] | to_entries[] | select(.value[\"$IFACE.Object\"]) | .key] | sort")"
assert_eq "nftbusctl list-objects lists them" "$(printf '%s\n' \
        'ct expectation inet filter expect-5000' 'ct helper inet filter ftp-standard' \
        'ct timeout inet filter aggressive' 'synproxy inet filter web')" \
        "$(nftbusctl list-objects inet filter | tail -n +2 | awk '{ k = $1; if ($1 == "ct") { k = $1 " " $2; $2 = "" }
                print k, $(NF > 4 ? 3 : 2), $(NF > 4 ? 4 : 3), $(NF > 4 ? 5 : 4) }' | sed 's/  */ /g' | sort)"
assert_eq "with --json: the kind as nft writes it, keys in snake case" '{"kind":"ct helper","name":"ftp-standard"}' \
        "$(nftbusctl --json list-objects inet filter | jq -c '.[] | select(.name == "ftp-standard") | {kind, name}')"
assert_eq "GetObject of a kind that is not one" \
        "Invalid kind 'counter': expected ct_helper, ct_timeout, ct_expectation, synproxy, secmark, ct_count or tunnel (GetChain, GetSet, ... find the others)" \
        "$(err $ROOT $IFACE.Manager GetObject ssss inet filter counter x)"
assert_eq "GetObject of one that is not there" "No synproxy nothere in table inet filter" \
        "$(err $ROOT $IFACE.Manager GetObject ssss inet filter synproxy nothere)"

# the meter: a set, filled by its rule
assert_eq "the meter is a set" 'o "/org/nftbus/Firewall1/table/inet/filter/set/flood"' \
        "$(bus call $BUS_NAME $ROOT $IFACE.Manager GetSet sss inet filter flood)"
assert_eq "listed by list-sets, dynamic" "set flood ipv4_addr dynamic" \
        "$(nftbusctl list-sets inet filter | awk '$4 == "flood" { print $1, $4, $5, $6 }')"
for _ in 1 2; do connect_from "" 127.0.0.1 127.0.0.1 9000 >/dev/null; done
assert_eq "its elements: the sources its rule saw" "127.0.0.1" "$(nftbusctl list-elements inet filter flood)"

# Delete: refused while a rule uses the object, done when none does
assert_match "a helper a rule uses cannot go" "Device or resource busy|in use" \
        "$(busctl --system call $BUS_NAME $H $IFACE.Object Delete 2>&1)"
assert_eq "an unused one goes" "" "$(bus call $BUS_NAME $T/synproxy/web $IFACE.Object Delete)"
assert_eq "from the kernel" "[]" "$(nft -j list table inet filter | jq -c '[.nftables[] | select(.synproxy)]')"
assert_eq "and from the bus" "No synproxy web in table inet filter" \
        "$(err $ROOT $IFACE.Manager GetObject ssss inet filter synproxy web)"

# as an unprivileged user: reading is open, deleting is not
assert_eq "the test user reads them" "('ct helper',)" \
        "$(as_user gdbus call --system --dest $BUS_NAME --object-path $H --method org.freedesktop.DBus.Properties.Get $IFACE.Object Kind | sed "s/<'\(.*\)'>/'\1'/")"
assert_eq "and may not delete them" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-tables" \
        "$(as_user gdbus_call $T/ct_5ftimeout/aggressive $IFACE.Object.Delete)"

done_testing
