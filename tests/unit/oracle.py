# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the oracle scripts (richrule-oracle.py, ipset-oracle.py) share: each asks the installed firewalld what it
makes of every case of a cases file, and writes the answers as a C table for a unit test."""
import sys

import firewall.config
from firewall.errors import FirewallError


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def ask(case, question):
    """("", answer) when firewalld takes the case, (CODE, words) when it refuses it; its crashes are no oracle"""
    try:
        return "", question()
    except FirewallError as e:
        return FirewallError.errors[e.code], str(e.msg) if e.msg else ""
    except Exception as e:
        sys.exit(f"firewalld fails on {case!r} ({type(e).__name__}: {e}); leave it out")


def write_header(path, script, cases, what, fields, rows):
    """the table oracle[] of rows (tuples of strings, one per field) into path"""
    with open(path, "w") as out:
        out.write(f"/* Written by tests/unit/{script} from tests/unit/{cases} against firewalld "
                  f"{firewall.config.VERSION}'s {what}: do not edit. */\n")
        out.write("/* clang-format off */\n")
        out.write("static const struct { const char " + ", ".join("*" + f for f in fields) + "; } oracle[] = {\n")
        for row in rows:
            out.write("        { " + ", ".join(c_string(x) for x in row) + " },\n")
        out.write("};\n/* clang-format on */\n")
