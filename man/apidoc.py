#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes org.nftbus.Firewall1(5), the D-Bus API reference, in scdoc(5) from what the service's contract
says: the introspection XML (introspection/*.xml: the comment before an interface documents it, the
comment before a method, property or signal documents it and the members of its kind that follow it
without a comment of their own), the error names of service/common/errors.h (the comment before each
#define) and the polkit actions of polkit/*.policy. The page cannot drift from the contract: it is made
from it at build time.

    apidoc.py ERRORS_H POLICY... -- INTROSPECTION_XML... > org.nftbus.Firewall1.5.scd"""

import re
import sys
import xml.etree.ElementTree as ET

INTRO = """\
nftbusd(8) puts the nftables firewall on the D-Bus system bus under the name *org.nftbus.Firewall1*. The
objects below it are the kernel's firewall objects as they are now, made by anyone (nft, other tools,
nftbus); they appear and go as the kernel reports changes (*org.freedesktop.DBus.ObjectManager* on
/org/nftbus/Firewall1: InterfacesAdded, InterfacesRemoved, and PropertiesChanged on the objects).

Every method checks its arguments before it asks polkit and before anything changes; a bad value is
*org.nftbus.Firewall1.Error.InvalidArgument* naming it. Every change is one nftables transaction: it
happens whole or not at all. Most methods end with *a{sv} options*: named options, each documented with
its method; an unknown option, or one of the wrong type, is InvalidArgument. Object paths escape names
as systemd does (sd_bus_path_encode(3)): a set "my-set" of table inet filter is
/org/nftbus/Firewall1/table/inet/filter/set/my\\_2dset; the Manager's Get methods give them without
building them by hand.

Reading is open to every local user (the *read* action); every change is authorised by polkit with the
action each method names below and details (family, table, chain, set, zone, ...) that polkit rules can
match, so that an admin can delegate narrow rights (see the examples in
/usr/share/doc/nftbus/examples). Methods whose answer or input can be large have forms that pass a file
descriptor (*h*) instead; the bus's message size limit is never exceeded: a reply that would is
*TooLarge*, naming the form to use.

When /etc/nftbus/nftbus.conf says *FirewallDAPI=yes*, nftbusd also serves firewalld's D-Bus API
(org.fedoraproject.FirewallD1, firewalld.dbus(5)) over its zones, so that firewall-cmd, NetworkManager
and Cockpit work unchanged; its interfaces are at the end of this page."""


def scd(text):
    """Text for scdoc: its markup characters escaped."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def paragraphs(comment, indent=""):
    """A comment's text as scdoc paragraphs: lines joined, blank lines kept. Lines indented deeper than the
    comment's own are a table ("hook s      prerouting, ..."): a row each (its name in bold, the text after two
    spaces or more), lines indented deeper still continuing the row."""
    raw = comment.strip("\n").splitlines()
    depth = lambda l: len(l) - len(l.lstrip())
    rest = [l for l in raw[1:] if l.strip()]
    base = min((depth(l) for l in rest), default=0)
    out, para, rows, row_depth = [], [], [], None

    def flush():
        nonlocal para, rows, row_depth
        if para:
            out.append(indent + scd(" ".join(para)))
        if rows:
            lines = []
            for row in rows:
                parts = re.split(r"\s{2,}", row, maxsplit=1)
                name, text = parts[0], parts[1] if len(parts) > 1 else ""
                lines.append("*%s*  %s" % (scd(name.strip()), scd(text.strip())))
            # (scdoc takes a line after a break as it is: the paragraph's indentation only on the first)
            out.append(indent + " ++\n".join(lines))
        para, rows, row_depth = [], [], None

    for i, line in enumerate(raw + [""]):
        if not line.strip():
            flush()
            continue
        d = depth(line) if i > 0 else base
        if d > base and (row_depth is None or d <= row_depth):
            if row_depth is None and para:
                out.append(indent + scd(" ".join(para)))
                para = []
            row_depth = d
            rows.append(line.strip())
        elif d > base and rows:
            rows[-1] += " " + line.strip()
        else:
            if rows:
                flush()
            para.append(line.strip())
    return ("\n" + indent + "\n").join(out) if indent else "\n\n".join(out)


def args_of(elem, direction):
    return [(a.get("type"), a.get("name") or "") for a in elem.findall("arg")
            if (a.get("direction") or ("in" if elem.tag == "method" else "out")) == direction]


def signature(kind, elem):
    name = elem.get("name")
    if kind == "method":
        ins = ", ".join("%s %s" % (t, n) if n else t for t, n in args_of(elem, "in"))
        outs = ", ".join("%s %s" % (t, n) if n else t for t, n in args_of(elem, "out"))
        return "%s(%s)%s" % (name, ins, " -> " + outs if outs else "")
    if kind == "signal":
        return "%s(%s)" % (name, ", ".join("%s %s" % (t, n) if n else t for t, n in args_of(elem, "out")))
    access = {"read": "readonly ", "readwrite": "", "write": "writeonly "}[elem.get("access")]
    return "%s%s %s" % (access, elem.get("type"), name)


def interface_doc(path):
    root = ET.parse(path, ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))).getroot()
    header, iface = "", None
    for child in root:
        if child.tag is ET.Comment and iface is None:
            header = child.text
        elif child.tag == "interface":
            iface = child
    name = iface.get("name")
    groups = {"method": [], "property": [], "signal": []}
    comment, last_kind = None, None
    for child in iface:
        if child.tag is ET.Comment:
            comment = child.text
            continue
        kind = child.tag
        if kind not in groups:
            continue
        if comment is not None or last_kind != kind or not groups[kind]:
            groups[kind].append([comment or "", [child]])
        else:
            groups[kind][-1][1].append(child)
        comment, last_kind = None, kind
    if name.startswith("org.fedoraproject.FirewallD1"):
        # firewalld's: published whole (firewalld.dbus(5) documents each member), the comment says what nftbus
        # does of it
        return name, "\n".join(["## %s" % scd(name), "", paragraphs(header), "",
                                "Its %d members are firewalld's, with firewalld's signatures (firewalld.dbus(5)); "
                                "one the paragraph above does not name answers NOT\\_SUPPORTED." % len(
                                    [m for m in iface if m.tag in ("method", "signal", "property")]), ""])
    out = ["## %s" % scd(name), "", paragraphs(header), "", "```", "interface %s {" % name]
    for kind, title in (("method", "methods"), ("signal", "signals"), ("property", "properties")):
        members = [m for _, ms in groups[kind] for m in ms]
        if members:
            out.append("  %s:" % title)
            out += ["    %s;" % signature(kind, m) for m in members]
    out += ["};", "```", ""]
    for kind, title in (("method", "Methods"), ("property", "Properties"), ("signal", "Signals")):
        if not groups[kind]:
            continue
        out += ["*%s of %s*" % (title, scd(name)), ""]
        for comment, members in groups[kind]:
            for m in members:
                out.append("*%s*" % scd(signature(kind, m)) + (" ++" if m is not members[-1] else ""))
            if comment.strip():
                out.append(paragraphs(comment, "\t"))
            out.append("")
    return name, "\n".join(out)


def errors_doc(path):
    text = open(path).read()
    prefix = re.search(r'#define NFTBUS_ERROR_PREFIX "([^"]+)"', text).group(1)
    out = []
    for m in re.finditer(r'(?:/\*((?:[^*]|\*(?!/))*)\*/\s*)?#define NFTBUS_ERROR_\w+ NFTBUS_ERROR_PREFIX "(\w+)"', text):
        comment, name = re.sub(r"(?m)^\s*\*", "", m.group(1) or ""), m.group(2)
        out += ["*%s*" % scd(prefix + name), paragraphs(comment, "\t") if comment.strip() else "", ""]
    return "\n".join(out)


def policy_doc(paths):
    out = []
    for path in paths:
        root = ET.parse(path).getroot()
        for action in root.findall("action"):
            d = action.find("defaults")
            defaults = ", ".join("%s %s" % (k.replace("allow_", ""), d.find(k).text)
                                 for k in ("allow_any", "allow_inactive", "allow_active"))
            out += ["*%s*" % scd(action.get("id")),
                    "\t%s (defaults: %s)" % (scd(action.find("description").text), scd(defaults)), ""]
    return "\n".join(out)


def examples_doc(path):
    """The examples file (man/org.nftbus.Firewall1.examples) as scdoc: each "# ..." line after the file's own
    header a paragraph, each "$ " command and the lines it prints a literal block."""
    out, block = [], []
    lines = open(path).read().splitlines()
    while lines and lines[0].startswith("#"):  # the file's header, for its readers
        lines.pop(0)

    def flush():
        if block:
            out.extend(["```", *block, "```", ""])
            block.clear()

    for line in lines:
        if line.startswith("#"):
            flush()
            text = line.lstrip("#").strip()
            out.append(("\t" + scd(text)) if line.startswith("#   ") else scd(text))
            if not line.startswith("#   "):
                out.append("")
        elif line.strip():
            block.append(line)
        else:
            flush()
    flush()
    return "\n".join(out)


def main():
    sep = sys.argv.index("--")
    errors_h, policies, xmls = sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1:]
    docs = sorted((interface_doc(x) for x in xmls), key=lambda d: (not d[0].startswith("org.nftbus."), d[0]))
    print("org.nftbus.Firewall1(5)\n")
    print("# NAME\n\norg.nftbus.Firewall1 - the D-Bus API of nftbusd, the nftables firewall service\n")
    print("# INTRODUCTION\n\n%s\n" % INTRO)
    print("# INTERFACES\n")
    for name, doc in docs:
        print(doc)
    print("# ERRORS\n\nBesides D-Bus's own (InvalidArgs for a wrong signature, UnknownObject, AccessDenied and "
          "InteractiveAuthorizationRequired from polkit):\n")
    print(errors_doc(errors_h))
    print("# POLKIT ACTIONS\n")
    print(policy_doc(policies))
    print("# EXAMPLES\n")
    print(examples_doc(sys.argv[0].rsplit("/", 1)[0] + "/org.nftbus.Firewall1.examples"))
    print("# SEE ALSO\n\nnftbusd(8), nftbusctl(1), nft(8), polkit(8), firewalld.dbus(5), sd-bus(3)")


if __name__ == "__main__":
    main()
