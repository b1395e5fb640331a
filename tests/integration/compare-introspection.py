#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compares the interface in an introspection/ file with the same interface in a running object's
Introspect output: methods, arguments, properties, signals and annotations, in order. Comments and
white space do not count. Exit 0 when equal; otherwise prints both and exits 1."""
import sys
import xml.etree.ElementTree as ET


def canonical(elem):
    return (elem.tag, sorted(elem.attrib.items()), [canonical(c) for c in elem])


def interface(root, name):
    for i in root.iter("interface"):
        if i.get("name") == name:
            return i
    return None


def main():
    contract_file, live_file = sys.argv[1], sys.argv[2]
    contract = ET.parse(contract_file).getroot()
    ifaces = list(contract.iter("interface"))
    if len(ifaces) != 1:
        print(f"{contract_file}: expected exactly one interface", file=sys.stderr)
        return 1
    name = ifaces[0].get("name")
    live = interface(ET.parse(live_file).getroot(), name)
    if live is None:
        print(f"{name}: not implemented by the running object", file=sys.stderr)
        return 1
    if canonical(ifaces[0]) != canonical(live):
        print(f"{name} differs from {contract_file}", file=sys.stderr)
        print("contract:", ET.tostring(ifaces[0], encoding="unicode"), file=sys.stderr)
        print("running: ", ET.tostring(live, encoding="unicode"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
