# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for integration tests that run inside tests/integration/harness: TAP output, callers,
# and the kernel's own view of the ruleset. Source it, call the assertions, end with done_testing.
set -u

# These scripts change the firewall of the network namespace they run in ("flush", "delete", and the
# injection attempts aimed at "flush ruleset"): never the host's. Only the namespace the harness made,
# which it names in NFTBUS_HARNESS_NETNS, will do; anything else (run by hand, the variable missing)
# stops here.
if [ -z "${NFTBUS_HARNESS_NETNS:-}" ] || [ "$(readlink /proc/self/ns/net)" != "$NFTBUS_HARNESS_NETNS" ] ||
        [ "$NFTBUS_HARNESS_NETNS" = "${NFTBUS_HOST_NETNS:-}" ]; then
        echo "$(basename "$0"): refusing to run outside the namespace of tests/integration/harness" \
                "(meson test, tools/check, tools/sandbox)" >&2
        exit 1
fi

_tap_n=0
_tap_failed=0

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
diag() { sed 's/^/# /' <<<"$*"; }

# assert_eq DESCRIPTION EXPECTED ACTUAL
assert_eq() {
        if [ "$2" == "$3" ]; then ok "$1"; else
                not_ok "$1"
                diag "expected: $2"
                diag "actual:   $3"
        fi
}

# assert_match DESCRIPTION REGEX ACTUAL
assert_match() {
        if [[ "$3" =~ $2 ]]; then ok "$1"; else
                not_ok "$1"
                diag "expected to match: $2"
                diag "actual:            $3"
        fi
}

done_testing() {
        echo "1..$_tap_n"
        [ "$_tap_failed" = 0 ]
}

BUS_NAME=org.nftbus.Firewall1
ROOT=/org/nftbus/Firewall1
IFACE=org.nftbus.Firewall1

NFTBUS_TEST_LIB=$(realpath "${BASH_SOURCE[0]}")

# as_user COMMAND...: run as the unprivileged test user (with its groups); COMMAND may be a function
# of this file
as_user() {
        setpriv --reuid="$NFTBUS_TEST_UID" --regid="$NFTBUS_TEST_UID" --init-groups -- \
                bash -c 'source "$0"; "$@"' "$NFTBUS_TEST_LIB" "$@"
}

# The kernel's tables as compact JSON: [{"family":..,"name":..},...], sorted.
kernel_tables() {
        nft -j list tables | jq -c '[.nftables[] | select(.table) | .table | {family, name}] | sort_by(.family, .name)'
}

# gdbus_call PATH INTERFACE.METHOD ARGS...: prints the reply, or "ERROR <name>: <message>"
gdbus_call() {
        local out
        if out=$(gdbus call --system --dest "$BUS_NAME" --object-path "$1" --method "$2" "${@:3}" 2>&1); then
                printf '%s\n' "$out"
        else
                sed -n 's/^.*GDBus\.Error:\([^:]*\): \(.*\)$/ERROR \1: \2/p' <<<"$out" | head -n 1
        fi
}

# error_name "ERROR <name>: <message>" -> <name>
error_name() { sed -n 's/^ERROR \([^:]*\):.*/\1/p' <<<"$1"; }

# busctl against the service, --system implied
bus() { busctl --system "$@"; }

# Whether the namespace's kernel has flowtables (CONFIG_NF_FLOW_TABLE): probed with nft itself, in a
# table that is gone afterwards.
kernel_has_flowtables() {
        ip link add nftbus-probe0 type veth peer name nftbus-probe1 2>/dev/null || return 1
        local r=1
        if nft add table inet nftbus_probe && nft add flowtable inet nftbus_probe f \
                '{ hook ingress priority 0; devices = { nftbus-probe0 }; }' 2>/dev/null; then r=0; fi
        nft delete table inet nftbus_probe 2>/dev/null
        ip link del nftbus-probe0 2>/dev/null
        return $r
}

# skip DESCRIPTION REASON: a TAP skip
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }
