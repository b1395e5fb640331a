#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes tests/unit/richrule-oracle.h: for each rule of tests/unit/richrule-cases.txt, what firewalld's own
parser (firewall.core.rich.Rich_Rule of the installed firewalld, 1.3.3 on Debian 12) makes of it: its canonical
text, or its error code and message. test-richrule holds nftbus's parser to that table.

    /usr/bin/python3 tests/unit/richrule-oracle.py
"""
import sys
from pathlib import Path

import firewall.config
from firewall.core.rich import Rich_Rule
from firewall.errors import FirewallError

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


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


rows = []
for rule in cases():
    try:
        rows.append((rule, "", str(Rich_Rule(rule_str=rule))))
    except FirewallError as e:
        rows.append((rule, FirewallError.errors[e.code], str(e.msg) if e.msg else ""))
    except Exception as e:  # firewalld's own crashes are no oracle
        sys.exit(f"firewalld fails on {rule!r} ({type(e).__name__}: {e}); leave it out")

with open(here / "richrule-oracle.h", "w") as out:
    out.write("/* Written by tests/unit/richrule-oracle.py from tests/unit/richrule-cases.txt against firewalld "
              f"{firewall.config.VERSION}'s parser: do not edit. */\n")
    out.write("/* clang-format off */\n")
    out.write("static const struct { const char *rule, *code, *expected; } oracle[] = {\n")
    for rule, code, expected in rows:
        out.write(f"        {{ {c_string(rule)},\n          {c_string(code)}, {c_string(expected)} }},\n")
    out.write("};\n/* clang-format on */\n")
print(f"{len(rows)} rules")
