#!/usr/bin/env bash
# nftbusctl: every table command, its --json output and its documented exit codes.
source "$(dirname "$0")/lib.sh"

nftbusctl add-table inet filter
assert_eq "add-table exits 0" "0" "$?"
nftbusctl add-table ip edge
assert_eq "the kernel has the tables" '[{"family":"inet","name":"filter"},{"family":"ip","name":"edge"}]' \
        "$(kernel_tables)"

assert_eq "list-tables" $'FAMILY   NAME\ninet     filter\nip       edge' "$(nftbusctl list-tables)"
assert_eq "list-tables --json" \
        '[{"family":"inet","name":"filter","path":"/org/nftbus/Firewall1/table/inet/filter"},{"family":"ip","name":"edge","path":"/org/nftbus/Firewall1/table/ip/edge"}]' \
        "$(nftbusctl --json list-tables | jq -c .)"
assert_eq "status --json" '{"service":"org.nftbus.Firewall1","version":"0.1.0","backend_version":"1.0.6","zones":{"state":"off","default_zone":"public","error":"","panic":false,"active":[]},"firewalld_api":"off","restore_error":"","firewalld_beside":false}' \
        "$(nftbusctl --json status | jq -c .)"
assert_match "status" $'^Service: org.nftbus.Firewall1\nVersion: 0.1.0\nBackend: libnftables ' "$(nftbusctl status)"

nft add chain inet filter c
nft add rule inet filter c counter
nftbusctl flush-table inet filter
assert_eq "flush-table exits 0" "0" "$?"
assert_eq "flush-table removed the rule" "0" \
        "$(nft -j list table inet filter | jq '[.nftables[] | select(.rule)] | length')"
nftbusctl delete-table inet filter
assert_eq "delete-table exits 0" "0" "$?"
assert_eq "the kernel lost the table" '[{"family":"ip","name":"edge"}]' "$(kernel_tables)"

# exit codes: 2 usage/invalid, 3 not found, 4 access denied, 1 refused
nftbusctl add-table inet 'bad name' 2>/dev/null
assert_eq "an invalid name is a usage error (2)" "2" "$?"
nftbusctl add-table inet 2>/dev/null
assert_eq "a missing argument is a usage error (2)" "2" "$?"
nftbusctl frobnicate 2>/dev/null
assert_eq "an unknown command is a usage error (2)" "2" "$?"
out=$(nftbusctl delete-table inet missing 2>&1)
assert_eq "deleting a missing table exits 3" "3" "$?"
assert_eq "and says so" "Failed to delete the table: no table inet missing (org.nftbus.Firewall1.Error.NotFound)" "$out"
out=$(nftbusctl add-table ip edge 2>&1)
assert_eq "adding an existing table exits 1" "1" "$?"
assert_eq "with the error name" \
        "Failed to add the table: Table ip edge exists already (org.nftbus.Firewall1.Error.AlreadyExists)" "$out"
out=$(as_user nftbusctl --no-ask-password add-table inet mine 2>&1)
assert_eq "an unprivileged caller gets exit 4" "4" "$?"
assert_eq "with InteractiveAuthorizationRequired" \
        "Failed to add the table: Interactive authentication required for org.nftbus.Firewall1.manage-tables (org.freedesktop.DBus.Error.InteractiveAuthorizationRequired)" \
        "$out"
DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent nftbusctl list-tables 2>/dev/null
assert_eq "no bus is exit 5" "5" "$?"
out=$(nftbusctl --help)
assert_match "--help documents the exit codes" "3 not found, 4 access denied, 5 the service is not reachable" "$out"
assert_eq "nothing changed by the failures" '[{"family":"ip","name":"edge"}]' "$(kernel_tables)"

# an option meant for another verb is a usage error and changes nothing: a dry run's --check given to
# add-table must not add the table
out=$(nftbusctl --check add-table inet g 2>&1)
assert_eq "--check with add-table: exit 2, saying so" \
        "2 nftbusctl: --check does not go with add-table; see nftbusctl add-table --help" "$? $out"
out=$(nftbusctl add-table --hook input inet g 2>&1)
assert_eq "--hook with add-table after the verb too" \
        "2 nftbusctl: --hook does not go with add-table; see nftbusctl add-table --help" "$? $out"
out=$(nftbusctl sysctl get --family inet net.ipv4.ip_forward 2>&1)
assert_eq "and with a sub-verb" "2 nftbusctl: --family does not go with sysctl get; see nftbusctl sysctl get --help" \
        "$? $out"
assert_eq "the kernel has no table g" '[{"family":"ip","name":"edge"}]' "$(kernel_tables)"
assert_eq "nftbusctl VERB --help: that verb's usage and options" \
        "nftbusctl add-set [--comment TEXT] [--flags F,F] [--timeout SECONDS] [--size N] FAMILY TABLE NAME TYPE [: VALUE_TYPE]" \
        "$(nftbusctl add-set --help | head -n 1)"
assert_eq "the options a verb takes still work" "0" \
        "$(nftbusctl add-chain --hook input --policy accept ip edge input >/dev/null; echo $?)"

done_testing
