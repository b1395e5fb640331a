#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fills the templates of nftbusctl(1) and nftbusd(8) from what the built programs say of themselves, so
that the pages and the programs cannot drift: for nftbusctl, @COMMANDS@ becomes every command of
`nftbusctl --help` with its usage, its description and its own options (`nftbusctl COMMAND --help`),
@OPTIONS@ the options of every command and @EXIT_STATUS@ the exit statuses; for nftbusd, @OPTIONS@ its
options. KEY=VALUE arguments replace @KEY@ (directories).

    commands.py nftbusctl|nftbusd PROGRAM TEMPLATE [KEY=VALUE...] > PAGE.scd"""

import re
import subprocess
import sys


def scd(text):
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def run(nftbusctl, *args):
    return subprocess.run([nftbusctl, *args], capture_output=True, text=True, check=True).stdout


def sections(text):
    """The help's blocks: the line ending in ':' that opens each, and its lines."""
    out, name = {}, None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            name = line[:-1]
            out[name] = []
        elif name:
            out[name].append(line)
    return out


def option_lines(lines):
    """'  -f --file FILE   Text' lines as scdoc: the option in bold, its text indented below."""
    out = []
    for line in lines:
        m = re.match(r"\s+(-\S.*?)(?:\s{2,}(\S.*))?$", line)
        if m:
            out += ["*%s*" % scd(m.group(1).strip()), "\t" + scd(m.group(2) or ""), ""]
        elif line.strip() and out:
            out[-2] += ("" if out[-2] == "\t" else " ") + scd(line.strip())
    return out


def command(nftbusctl, words):
    text = run(nftbusctl, *words, "--help")
    blocks = text.split("\n\n")
    usage = blocks[0].strip()
    description = " ".join(l.strip() for b in blocks[1:] if not b.startswith(("Options:", "JSON:"))
                           for l in b.splitlines())
    shape = [b.strip()[len("JSON: "):] for b in blocks[1:] if b.startswith("JSON:")]
    options = [l for b in blocks[1:] if b.startswith("Options:") for l in b.splitlines()[1:]]
    rest = usage[len("nftbusctl "):]
    out = ["*nftbusctl %s*%s" % (scd(" ".join(words)), scd(rest[len(" ".join(words)):])),
           "\t" + scd(description), ""]
    if shape:
        out += ["\tWith *--json*: _%s_" % scd(shape[0]), ""]
    for line in option_lines(options):
        out.append(("\t" + line) if line else "")
    return out


def main():
    kind, program, template = sys.argv[1:4]
    page = open(template).read()
    for assignment in sys.argv[4:]:
        key, value = assignment.split("=", 1)
        page = page.replace("@%s@" % key, value)
    text = run(program, "--help")
    if kind == "nftbusd":
        lines = [l for l in text.splitlines()[1:] if l.startswith(" ")]
        page = page.replace("@OPTIONS@", "\n".join(option_lines(lines)).rstrip())
        sys.stdout.write(page)
        return
    blocks = sections(text)
    words_seen, cmds = set(), []
    for line in blocks["Commands (nftbusctl COMMAND --help shows one with its options)"]:
        m = re.match(r"  ([a-z][a-z-]*(?: [a-z][a-z-]*)?)(?: |$)", line)
        if not m:
            continue
        words = m.group(1).split()
        # "sysctl list", "zone add-port": two words when the first is a group; "panic on|off": one
        if len(words) == 2 and subprocess.run([program, *words, "--help"], capture_output=True).returncode != 0:
            words = words[:1]
        if tuple(words) in words_seen:
            continue
        words_seen.add(tuple(words))
        cmds += command(program, words)
    options = option_lines([l for l in blocks["Options for every command"] if l.strip().startswith("-")])
    status = " ".join(l.strip() for l in blocks["Exit status"])
    page = page.replace("@COMMANDS@", "\n".join(cmds).rstrip())
    page = page.replace("@OPTIONS@", "\n".join(options).rstrip())
    page = page.replace("@EXIT_STATUS@", scd(status))
    sys.stdout.write(page)


if __name__ == "__main__":
    main()
