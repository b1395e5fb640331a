#!/usr/bin/env bash
# Huge arrays cost a caller's call, not everyone's: 640,000 strings (5 MB) in an "as" option, sent by
# an unprivileged user, are read in linear time and refused in well under the 30 s the call is given
# (the quadratic reader took 64 s, freezing every caller), while another caller is answered meanwhile;
# nothing changes. And a big call is parsed only once polkit allowed it: a refused caller's big JSON
# batch, element array or preset list is refused by polkit, unparsed (small ones are still checked
# first, so that a typo never asks for a password).
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
nftbusctl add-table inet filter
big() { as_user "$BIGCALL" strv-option "$@" 30; }

assert_eq "Save with 640,000 tables: InvalidArgument" \
        'ERROR org.nftbus.Firewall1.Error.InvalidArgument: Option tables holds "FAMILY NAME" strings' \
        "$(big $ROOT $IFACE.Manager Save - tables 640000 x)"
assert_match "AddChain with 640,000 devices: InvalidArgument" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: ' \
        "$(big $T $IFACE.Table AddChain s:c devices 640000 eth0)"
assert_match "AddSet with 640,000 flags: InvalidArgument" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: ' \
        "$(big $T $IFACE.Table AddSet s:s,s:ipv4_addr flags 640000 bogus)"
assert_eq "a preset's list of 640,000 bad entries: counted, and refused by polkit, unparsed" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-preset" \
        "$(big $ROOT/preset/server $IFACE.Preset Apply - blacklist 640000 x)"

# parsed after polkit when big, before it when small
json=$(mktemp)
chmod 644 "$json"
python3 -c 'print("{\"nftables\": [" + ", ".join(["{\"add\": {\"table\": {\"family\": \"inet\", \"name\": \"x\"}}}"] * 2000) + ", oops")' >"$json"
assert_eq "a refused caller's 130 KB JSON batch that does not parse: polkit refuses it, unparsed" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-batch" \
        "$(as_user "$BIGCALL" file-arg $ROOT $IFACE.Manager Apply "$json" 30)"
echo '{"nftables": [oops' >"$json"
assert_match "a small one is InvalidArgument before polkit" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: The JSON batch does not parse' \
        "$(as_user "$BIGCALL" file-arg $ROOT $IFACE.Manager Apply "$json" 30)"
rm -f "$json"
nftbusctl add-set inet filter s ipv4_addr >/dev/null
assert_eq "5,000 bad elements from a refused caller: polkit refuses them, unparsed" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.manage-elements" \
        "$(as_user "$BIGCALL" strv-arg $T/set/s $IFACE.Set AddElements 5000 bad 30)"
assert_eq "4,000 are checked first" \
        "ERROR org.nftbus.Firewall1.Error.InvalidArgument: Element 1: Invalid ipv4_addr: 'bad'; nothing was changed" \
        "$(as_user "$BIGCALL" strv-arg $T/set/s $IFACE.Set AddElements 4000 bad 30)"
assert_eq "a preset's 5,000 bad entries from a refused caller: polkit refuses them, unparsed" \
        "ERROR org.freedesktop.DBus.Error.InteractiveAuthorizationRequired: Interactive authentication required for org.nftbus.Firewall1.apply-preset" \
        "$(big $ROOT/preset/server $IFACE.Preset Apply - blacklist 5000 x)"
assert_eq "4,000 are checked first" \
        "ERROR org.nftbus.Firewall1.Error.InvalidArgument: Invalid blacklist entry 'x': expected an IPv4 or IPv6 address" \
        "$(big $ROOT/preset/server $IFACE.Preset Apply - blacklist 4000 x)"
assert_match "root's 5,000 bad elements: InvalidArgument after all" "^ERROR org.nftbus.Firewall1.Error.InvalidArgument: Element 1: " \
        "$("$BIGCALL" strv-arg $T/set/s $IFACE.Set AddElements 5000 bad 30)"
before=$(nft list ruleset)

# the service answers others while one caller's huge call is being read
as_user "$BIGCALL" strv-option $ROOT $IFACE.Manager Save - tables 1500000 x 60 >/dev/null &
slow=$!
assert_eq "another caller is answered meanwhile" 's "'"$(cat "$NFTBUS_BUILD/meson-info/intro-projectinfo.json" | jq -r .version)"'"' \
        "$(bus get-property $BUS_NAME $ROOT $IFACE.Manager Version)"
wait $slow
assert_eq "nothing changed" "$before" "$(nft list ruleset)"

done_testing
