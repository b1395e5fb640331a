#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes tests/unit/richrule-oracle.h: for each rule of tests/unit/richrule-cases.txt, what firewalld's own
parser (firewall.core.rich.Rich_Rule of the installed firewalld, 1.3.3 on Debian 12) makes of it: its canonical
text, or its error code and message. test-richrule holds nftbus's parser to that table.

    /usr/bin/python3 tests/unit/richrule-oracle.py
"""
from pathlib import Path

from firewall.core.rich import Rich_Rule

from oracle import ask, write_header

here = Path(__file__).resolve().parent


def cases():
    rule = None
    for line in (here / "richrule-cases.txt").read_text().split("\n"):
        if line.startswith("#") or (not line and rule is None):
            continue
        rule = line if rule is None else rule + "\n" + line
        if rule.endswith(" \\"):
            rule = rule[:-2]
            continue
        yield rule
        rule = None


rows = [(rule, *ask(rule, lambda: str(Rich_Rule(rule_str=rule)))) for rule in cases()]
write_header(here / "richrule-oracle.h", "richrule-oracle.py", "richrule-cases.txt", "parser",
             ("rule", "code", "expected"), rows)
print(f"{len(rows)} rules")
