#!/usr/bin/env bash
# Huge arrays cost a caller's call, not everyone's: 640,000 strings (5 MB) in an "as" option, sent by
# an unprivileged user, are read in linear time and refused in well under the 30 s the call is given
# (the quadratic reader took 64 s, freezing every caller), while another caller is answered meanwhile;
# nothing changes.
source "$(dirname "$0")/lib.sh"

T=$ROOT/table/inet/filter
nftbusctl add-table inet filter
before=$(nft list ruleset)
big() { as_user "$BIGCALL" strv-option "$@" 30; }

assert_eq "Save with 640,000 tables: InvalidArgument" \
        'ERROR org.nftbus.Firewall1.Error.InvalidArgument: Option tables holds "FAMILY NAME" strings' \
        "$(big $ROOT $IFACE.Manager Save - tables 640000 x)"
assert_match "AddChain with 640,000 devices: InvalidArgument" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: ' \
        "$(big $T $IFACE.Table AddChain s:c devices 640000 eth0)"
assert_match "AddSet with 640,000 flags: InvalidArgument" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: ' \
        "$(big $T $IFACE.Table AddSet s:s,s:ipv4_addr flags 640000 bogus)"
assert_match "a preset's list of 640,000 bad entries: InvalidArgument" '^ERROR org.nftbus.Firewall1.Error.InvalidArgument: ' \
        "$(big $ROOT/preset/server $IFACE.Preset Preview - blacklist 640000 x)"

# the service answers others while one caller's huge call is being read
as_user "$BIGCALL" strv-option $ROOT $IFACE.Manager Save - tables 1500000 x 60 >/dev/null &
slow=$!
assert_eq "another caller is answered meanwhile" 's "'"$(cat "$NFTBUS_BUILD/meson-info/intro-projectinfo.json" | jq -r .version)"'"' \
        "$(bus get-property $BUS_NAME $ROOT $IFACE.Manager Version)"
wait $slow
assert_eq "nothing changed" "$before" "$(nft list ruleset)"

done_testing
