#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the sd-bus vtables of firewalld's interfaces from their contract files in introspection/, so
that what nftbusd publishes is firewalld 1.3.3's API whole, member for member, in firewalld's order, with
its argument names and its deprecations (clients marshal from the introspection: dbus-python and
cockpit-bridge cannot call a method it does not list).

    vtables.py CONTRACT.xml... OUTPUT.c

Every member of interface org.fedoraproject.FirewallD1<.suffix> goes to the dispatchers of
firewalld/shared.c with the table fwd_<id>_members (<id>: the suffix with "_" for ".", "main" for
none), which the bus glue writes by hand: a member with an entry there is implemented, one without answers
firewalld's NOT_SUPPORTED. The vtable is fwd_<id>_vtable. A property's flags come from its
org.freedesktop.DBus.Property.EmitsChangedSignal annotation (const, false, invalidates; none: emits
PropertiesChanged); org.freedesktop.DBus.Deprecated makes a member deprecated."""

import sys
import xml.etree.ElementTree as ET

PREFIX = "org.fedoraproject.FirewallD1"
EMITS = {"const": "SD_BUS_VTABLE_PROPERTY_CONST", "false": "0",
         "invalidates": "SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION", None: "SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE"}


def ident(interface):
    if interface != PREFIX and not interface.startswith(PREFIX + "."):
        raise SystemExit(f"{interface}: not one of firewalld's interfaces")
    return interface[len(PREFIX) + 1:].replace(".", "_") or "main"


def annotation(elem, name):
    for a in elem.findall("annotation"):
        if a.get("name") == name:
            return a.get("value")
    return None


def c_string(s):
    return '"' + s + '"'


def names(args):
    """sd-bus's argument names: each NUL-terminated, in one string; "" when the arguments have none"""
    named = [a.get("name") for a in args if a.get("name")]
    if len(named) not in (0, len(args)):
        raise SystemExit("arguments named in part: " + ", ".join(a.get("type") for a in args))
    return " ".join(c_string(n + "\\0") for n in named) or '""'


def flags(elem, *base):
    out = list(base)
    if annotation(elem, "org.freedesktop.DBus.Deprecated") == "true":
        out.append("SD_BUS_VTABLE_DEPRECATED")
    return " | ".join(out) or "0"


def vtable(interface):
    i = ident(interface.get("name"))
    lines, used = [], set()
    for member in interface:
        name = c_string(member.get("name"))
        if member.tag == "method":
            ins = [a for a in member.findall("arg") if a.get("direction", "in") == "in"]
            outs = [a for a in member.findall("arg") if a.get("direction") == "out"]
            if ins and outs and bool(ins[0].get("name")) != bool(outs[0].get("name")):
                raise SystemExit(f"{member.get('name')}: sd-bus names all of a method's arguments or none")
            lines.append(f"SD_BUS_METHOD_WITH_NAMES({name}, {c_string(''.join(a.get('type') for a in ins))}, "
                         f"{names(ins)}, {c_string(''.join(a.get('type') for a in outs))}, {names(outs)}, "
                         f"{i}_method, {flags(member, 'SD_BUS_VTABLE_UNPRIVILEGED')})")
            used.add("method")
        elif member.tag == "signal":
            args = member.findall("arg")
            lines.append(f"SD_BUS_SIGNAL_WITH_NAMES({name}, {c_string(''.join(a.get('type') for a in args))}, "
                         f"{names(args)}, {flags(member)})")
        elif member.tag == "property":
            emits = EMITS[annotation(member, "org.freedesktop.DBus.Property.EmitsChangedSignal")]
            sig = c_string(member.get("type"))
            if member.get("access") == "readwrite":
# anyone may ask to set it; the setter (or NOT_SUPPORTED) decides, as for a method
                lines.append(f"SD_BUS_WRITABLE_PROPERTY({name}, {sig}, {i}_get, {i}_set, 0, "
                             f"{flags(member, 'SD_BUS_VTABLE_UNPRIVILEGED', emits)})")
                used |= {"get", "set"}
            elif member.get("access") == "read":
                lines.append(f"SD_BUS_PROPERTY({name}, {sig}, {i}_get, 0, {flags(member, emits)})")
                used.add("get")
            else:
                raise SystemExit(f"{member.get('name')}: access {member.get('access')}")
        elif member.tag != "annotation":
            raise SystemExit(f"{interface.get('name')}: unknown element {member.tag}")
    out = [f"/* {interface.get('name')} */"]
    if "method" in used:
        out.append(f"static int {i}_method(sd_bus_message *m, void *userdata, sd_bus_error *error)\n{{\n"
                   f"        return fwd_dispatch_method(fwd_{i}_members, m, userdata, error);\n}}")
    if "get" in used:
        out.append(f"static int {i}_get(sd_bus *bus, const char *path, const char *interface, const char *property,\n"
                   f"        sd_bus_message *reply, void *userdata, sd_bus_error *error)\n{{\n"
                   f"        return fwd_dispatch_get(fwd_{i}_members, bus, path, interface, property, reply, userdata, "
                   f"error);\n}}")
    if "set" in used:
        out.append(f"static int {i}_set(sd_bus *bus, const char *path, const char *interface, const char *property,\n"
                   f"        sd_bus_message *value, void *userdata, sd_bus_error *error)\n{{\n"
                   f"        return fwd_dispatch_set(fwd_{i}_members, bus, path, interface, property, value, userdata, "
                   f"error);\n}}")
    out.append(f"const sd_bus_vtable fwd_{i}_vtable[] = {{\n        SD_BUS_VTABLE_START(0),\n" +
               "".join(f"        {line},\n" for line in lines) + "        SD_BUS_VTABLE_END,\n};")
    return "\n\n".join(out)


def main():
    contracts, output = sys.argv[1:-1], sys.argv[-1]
    parts = ["/* Generated by service/firewalld/vtables.py from introspection/: do not edit. */",
             '#include "firewalld/firewalld.h"']
    for path in contracts:
        for interface in ET.parse(path).getroot().iter("interface"):
            parts.append(vtable(interface))
    with open(output, "w") as f:
        f.write("\n\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
