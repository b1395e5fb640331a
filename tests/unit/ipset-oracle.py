#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes tests/unit/ipset-oracle.h: for each entry of tests/unit/ipset-cases.txt, what firewalld (the installed
one, 1.3.3 on Debian 12) makes of it when it is added to an ipset: normalize_ipset_entry(), then
IPSet.check_entry(), as FirewallIPSet.add_entry() calls them: the normalized entry, or the error code and words.
test-ipsetspec holds nftbus's checks to that table.

    /usr/bin/python3 tests/unit/ipset-oracle.py
"""
from pathlib import Path

from firewall.core.io.ipset import IPSet
from firewall.core.ipset import normalize_ipset_entry

from oracle import ask, write_header

here = Path(__file__).resolve().parent


def add(kind, family, entry):
    """what add_entry() checks: the entry normalized, then checked"""
    normalized = normalize_ipset_entry(entry)
    IPSet.check_entry(normalized, {"family": family}, kind)
    return normalized


rows = []
for line in (here / "ipset-cases.txt").read_text().split("\n"):
    if line and not line.startswith("#"):
        kind, family, entry = line.split("|", 2)
        rows.append((kind, family, entry, *ask(line, lambda: add(kind, family, entry))))
write_header(here / "ipset-oracle.h", "ipset-oracle.py", "ipset-cases.txt", "checks",
             ("type", "family", "entry", "code", "expected"), rows)
print(f"{len(rows)} entries")
