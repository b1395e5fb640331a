#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The layers of service/ hold: each folder includes only the layers below it. Pure code (common/, spec/,
# auth/actions, netlink's nfmsg and elembatch) includes pure code only: no bus, no executor, no I/O
# layer, no daemon headers; state/ (files and /proc/sys) nothing of the bus or the executor; bus/ anything but
# nftbusd.c. TAP output.
#
#   layering.sh SERVICE_DIR
set -u
cd "$1" || exit 1
pure='common/|spec/|auth/actions\.h|netlink/nfmsg\.h|netlink/elembatch\.h'
n=0
failed=0
# check FILES... -- ALLOWED_REGEX: every project include of each file matches
check() {
        local files=() f inc
        while [ "$1" != "--" ]; do files+=("$1"); shift; done
        local allowed=$2
        for f in "${files[@]}"; do
                [ -e "$f" ] || continue
                n=$((n + 1))
                bad=$(grep -o '#include "[^"]*"' "$f" | sed 's/#include "\(.*\)"/\1/' | grep -vE "^($allowed|config\.h)$" |
                        paste -sd' ')
                if [ -z "$bad" ]; then
                        echo "ok $n - $f"
                else
                        failed=$((failed + 1))
                        echo "not ok $n - $f includes $bad"
                fi
        done
}
check common/* auth/actions.* spec/* netlink/nfmsg.* netlink/elembatch.* -- "($pure).*"
check executor/* -- "($pure|executor/|log\.h).*"
check netlink/nfnl.* netlink/monitor.* netlink/elemio.* -- "($pure|netlink/|log\.h).*"
check auth/polkit.* -- "($pure|auth/|log\.h).*"
check state/* -- "($pure|state/|log\.h).*"
# the bus glue may use every layer below it, never the daemon's main
check bus/* -- "($pure|bus/|auth/|state/|netlink/|executor/|log\.h|context\.h).*"
# nftbusctl: its own headers and common/, which daemon and client share; nothing of the daemon's layers
check ../client/* -- "(common/|[a-z]+\.h$).*"
echo "1..$n"
[ $failed = 0 ]
