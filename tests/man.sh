#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The man pages: each (nftbus-executor(8) too) renders with man(1) without a warning; nftbusctl(1)
# documents every command the program has, org.nftbus.Firewall1(5) every interface and member of
# introspection/; installed by meson into a DESTDIR, `man nftbusctl`, `man nftbusd` and
# `man org.nftbus.Firewall1` find them. TAP output.
#
#   man.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 source=$2
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
export LC_ALL=C.UTF-8 MANWIDTH=80

for page in nftbusctl.1 nftbusd.8 nftbus-executor.8 org.nftbus.Firewall1.5; do
        warnings=$(man --warnings -l "$build/man/$page" 2>&1 >/dev/null)
        if [ -z "$warnings" ] && [ -n "$(man -l "$build/man/$page" 2>/dev/null)" ]; then
                ok "$page renders without warnings"
        else
                not_ok "$page renders without warnings"
                sed 's/^/# /' <<<"$warnings" | head -20
        fi
done

# every command of nftbusctl --help has its entry
rendered=$(man -l "$build/man/nftbusctl.1" 2>/dev/null)
missing=""
while read -r command; do
        grep -q "^ *nftbusctl $command\b" <<<"$rendered" || missing+=" $command"
done < <("$build/client/nftbusctl" --help | sed -n '/^Commands/,/^$/p' |
        sed -n 's/^  \([a-z][a-z-]*\)\( [a-z][a-z-]*\)\?.*/\1\2/p' | sort -u)
if [ -z "$missing" ]; then ok "nftbusctl(1) has every command"; else not_ok "nftbusctl(1) lacks:$missing"; fi

# every interface and member of nftbus's contract is in the API page, and every interface of firewalld's (whose
# members firewalld.dbus(5) documents) with the number of its members
api=$(man -l "$build/man/org.nftbus.Firewall1.5" 2>/dev/null | tr -d '\n ' | tr -d '‐')
missing=""
for xml in "$source"/introspection/org.nftbus.*.xml; do
        for name in $(grep -o '<\(interface\|method\|property\|signal\) name="[^"]*"' "$xml" | cut -d'"' -f2); do
                grep -qF "$name" <<<"$api" || missing+=" $name"
        done
done
for xml in "$source"/introspection/org.fedoraproject.*.xml; do
        members=$(grep -c '<\(method\|property\|signal\) name=' "$xml")
        grep -qF "$(basename "$xml" .xml)" <<<"$api" && grep -qF "Its${members}membersarefirewalld's" <<<"$api" ||
                missing+=" $(basename "$xml" .xml)"
done
if [ -z "$missing" ]; then ok "org.nftbus.Firewall1(5) has every interface and member"; else
        not_ok "org.nftbus.Firewall1(5) lacks:$missing"; fi

# installed, man finds them
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
if meson install -C "$build" --no-rebuild --quiet --destdir "$destdir" >/dev/null 2>&1; then
        mandir=$(find "$destdir" -type d -path '*/share/man' | head -n 1)
        for page in nftbusctl nftbusd org.nftbus.Firewall1; do
                if [ -n "$mandir" ] && man -M "$mandir" "$page" 2>/dev/null | grep -q "^NAME"; then
                        ok "man $page finds the installed page"
                else
                        not_ok "man $page finds the installed page"
                fi
        done
else
        not_ok "meson install into a DESTDIR"
fi

echo "1..$n"
[ "$failed" = 0 ]
