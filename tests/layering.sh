#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The layers of service/ hold: each folder includes only the layers below it (README, "Where things are").
#   pure:      common/, core/, auth/actions, netlink's nfmsg and elembatch: pure code only (no bus, no I/O)
#   I/O:       executor/, netlink/, auth/polkit, state/ (files and /proc/sys): pure code, their own folder, the log
#   bus/:      request plumbing, over the layers below
#   nftables/, features/, zones/: the interfaces, each over bus/ and the layers below, none over another
#   firewalld/: firewalld's API over zones/
#   nftbusd.c: everything. Every file of every folder is checked; a folder this script does not know fails.
# nftbusctl (../client) includes its own headers and common/ only. TAP output.
#
#   layering.sh SERVICE_DIR
set -u
cd "$1" || exit 1
pure='common/|core/|auth/actions\.h|netlink/nfmsg\.h|netlink/elembatch\.h'
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
below='log\.h|context\.h|config\.h'
io="executor/|netlink/|auth/|state/"
check common/* auth/actions.* core/* netlink/nfmsg.* netlink/elembatch.* -- "($pure).*"
check executor/* -- "($pure|executor/|log\.h).*"
check netlink/nfnl.* netlink/monitor.* netlink/elemio.* -- "($pure|netlink/|log\.h).*"
check auth/polkit.* -- "($pure|auth/|log\.h).*"
check state/* -- "($pure|state/|log\.h).*"
check bus/* -- "($pure|$io|bus/|$below).*"
check nftables/* -- "($pure|$io|bus/|nftables/|$below).*"
check features/* -- "($pure|$io|bus/|features/|$below).*"
check zones/* -- "($pure|$io|bus/|zones/|$below).*"
check firewalld/* -- "($pure|$io|bus/|zones/|firewalld/|$below).*"
# a folder of the daemon's that no rule above covers
for f in */; do
        case "$f" in common/ | core/ | auth/ | netlink/ | executor/ | state/ | bus/ | nftables/ | features/ | zones/ | firewalld/) ;;
        *)
                n=$((n + 1)) failed=$((failed + 1))
                echo "not ok $n - $f is a folder tests/layering.sh has no rule for"
                ;;
        esac
done
# nftbusctl: its own headers and common/, which daemon and client share; nothing of the daemon's layers
check ../client/* -- "(common/|[a-z]+\.h$).*"
echo "1..$n"
[ $failed = 0 ]
