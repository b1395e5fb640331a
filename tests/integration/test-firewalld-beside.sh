#!/usr/bin/env bash
# nftbusd first, then the real firewalld (the other order is test-firewalld-compare's): nftbusd keeps
# firewalld's name while it runs, firewalld waits in line for it and puts its table in force anyway, so both
# filter; nftbusctl status and nftbusd's journal say so, and status exits 1. When nftbusd leaves, firewalld
# has its name, and firewall-cmd talks to it.
source "$(dirname "$0")/lib.sh"
require_firewalld "nftbusd, then firewalld"

walk_setup
api() { bus get-property $BUS_NAME $ROOT $IFACE.Manager FirewallDAPI; }
owner_pid() { bus call org.freedesktop.DBus / org.freedesktop.DBus GetConnectionUnixProcessID s $FWD 2>&1 | awk '{ print $2 }'; }
assert_eq "nftbusd serves firewalld's API" 's "served"' "$(api)"
assert_eq "nftbusctl status: nothing amiss, exit 0" 0 "$(nftbusctl status >/dev/null; echo $?)"

firewalld_start "$NFTBUS_RUNDIR/firewalld.log"
has_table() { nft list table inet firewalld >/dev/null 2>&1 && echo yes; }
wait_until yes has_table
assert_eq "firewalld starts anyway, its table in force beside nftbus's zones" "yes|yes" \
        "$(has_table)|$(nft list table inet nftbus_zones >/dev/null 2>&1 && echo yes)"
assert_eq "it waits in line for its name, which nftbusd keeps" "$NFTBUSD_PID|2" \
        "$(owner_pid)|$(bus call org.freedesktop.DBus / org.freedesktop.DBus ListQueuedOwners s $FWD | awk '{ print $2 }')"
out=$(nftbusctl status); rc=$?
assert_eq "nftbusctl status says firewalld filters beside nftbus, and exits 1" \
        "firewalld: running beside nftbus (table inet firewalld): a packet must pass both; run one of them|1" \
        "$(grep '^firewalld:' <<<"$out")|$rc"
assert_eq "--json too" "true" "$(nftbusctl --json status | jq .firewalld_beside)"
assert_eq "and the journal" 1 "$(grep -c "firewalld's table inet firewalld is in the kernel" "$NFTBUSD_LOG")"

# nftbusd leaves: firewalld has its name
stop_nftbusd
assert_eq "nftbusd stops cleanly (exit status 0 under the sanitizers)" 0 "$?"
wait_until "$firewalld" owner_pid
assert_eq "firewalld has its name once nftbusd left it" "$firewalld" "$(owner_pid)"
assert_eq "and firewall-cmd talks to firewalld" "running" "$(firewall-cmd --state 2>&1)"
kill -TERM "$firewalld"
wait "$firewalld" 2>/dev/null

done_testing
