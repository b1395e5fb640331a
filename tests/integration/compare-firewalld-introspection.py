#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compares firewalld's introspection with nftbusd's, interface by interface: every member of firewalld's
(method, signal, property), in firewalld's order, with its arguments' types, directions and names and its
annotations, must be nftbusd's too, and nftbusd must publish nothing firewalld does not. The differences
that are decisions are listed below (DECISIONS), each applied before comparing; anything else fails.

    compare-firewalld-introspection.py FIREWALLD_DIR NFTBUS_DIR

Each DIR holds one Introspect output a file, of the objects introspected (the main object, its config
object, a zone's, a service's, ...). Prints TAP."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PREFIX = "org.fedoraproject.FirewallD1"

DECISIONS = {
    "emits-changed": "nftbusd's properties say whether PropertiesChanged is sent "
                     "(org.freedesktop.DBus.Property.EmitsChangedSignal: sd-bus always says); firewalld's say nothing",
    "result-name": "a method whose arguments in are named has its argument out named \"result\" "
                   "(sd-bus names all of a method's arguments or none); firewalld leaves it unnamed",
}


def interfaces(directory):
    out = {}
    for f in sorted(Path(directory).glob("*.xml")):
        for i in ET.parse(f).getroot().findall("interface"):
            if i.get("name").startswith(PREFIX):
                out.setdefault(i.get("name"), i)
    return out


def member(elem, firewalld_elem=None):
    """a member as a comparable tuple; for nftbusd's, with the decisions applied (firewalld_elem: the same
    member of firewalld's, or None)"""
    args = []
    for a in elem.findall("arg"):
        name = a.get("name")
        if firewalld_elem is not None and a.get("direction") == "out" and name == "result":
            name = None  # result-name
        args.append((a.get("type"), a.get("direction"), name))
    annotations = [(a.get("name"), a.get("value")) for a in elem.findall("annotation")]
    if firewalld_elem is not None and elem.tag == "property":
        annotations = [a for a in annotations if a[0] != "org.freedesktop.DBus.Property.EmitsChangedSignal"]
    return (elem.tag, elem.get("name"), elem.get("type"), elem.get("access"), args, annotations)


def describe(m):
    tag, name, type_, access, args, annotations = m
    text = f"{tag} {name}"
    if tag == "property":
        text += f" {type_} {access}"
    text += "(" + ", ".join(f"{d or ''} {t} {n or ''}".strip() for t, d, n in args) + ")"
    return text + "".join(f" [{a}={v}]" for a, v in annotations)


def main():
    firewalld, nftbus = interfaces(sys.argv[1]), interfaces(sys.argv[2])
    n = failed = 0

    def ok(good, text, diag=()):
        nonlocal n, failed
        n += 1
        failed += not good
        print(f"{'ok' if good else 'not ok'} {n} - {text}")
        for line in diag:
            print(f"# {line}")

    for name, fw in firewalld.items():
        ours = nftbus.get(name)
        if ours is None:
            ok(False, f"{name}: published by nftbusd as by firewalld")
            continue
        fw_members = [member(m) for m in fw]
        by_name = {(m.tag, m.get("name")): m for m in fw}
        our_members = [member(m, by_name.get((m.tag, m.get("name")))) for m in ours]
        diff = []
        for i in range(max(len(fw_members), len(our_members))):
            a = fw_members[i] if i < len(fw_members) else None
            b = our_members[i] if i < len(our_members) else None
            if a != b:
                diff.append(f"firewalld: {describe(a) if a else '(none)'}")
                diff.append(f"nftbusd:   {describe(b) if b else '(none)'}")
        ok(not diff, f"{name}: the same {len(fw_members)} members as firewalld's, in its order", diff[:20])
    extra = sorted(set(nftbus) - set(firewalld))
    ok(not extra, "nftbusd publishes no interface of firewalld's name that firewalld does not", extra)
    print(f"1..{n}")
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
