#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Calls every method of introspection/ with generated hostile arguments, through busctl, for a
bounded time: right signatures with odd values (empty, huge, control characters, injection texts,
odd names, unknown families, extreme numbers), unknown and mistyped options, wrong signatures, and
objects that are not there. Prints one line per answer kind and checks that every answer is a
success or a typed error, never a timeout or a lost connection.

    hostile-calls.py INTROSPECTION_DIR SECONDS SEED [FIXTURES]
FIXTURES, an nft file, is applied again every 25 calls (as root), since calls delete what they find.
With NFTBUS_HOSTILE_API=firewalld, the methods of firewalld's API (introspection/org.fedoraproject.*) on
org.fedoraproject.FirewallD1 instead.
Exit 0 when every answer was acceptable; prints the offending calls otherwise."""

import os
import random
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

BUS = "org.nftbus.Firewall1"
ROOT = "/org/nftbus/Firewall1"
T = ROOT + "/table/inet/fz"
PATHS = {
    "Manager": [ROOT],
    "Table": [T, ROOT + "/table/inet/nothere", ROOT + "/table/bogus/fz"],
    "Chain": [T + "/chain/c", T + "/chain/base", T + "/chain/nothere"],
    "Set": [T + "/set/s", T + "/set/nothere"],
    "Map": [T + "/set/m"],
    "Counter": [T + "/counter/k"],
    "Quota": [T + "/quota/q"],
    "Limit": [T + "/limit/l"],
    "Flowtable": [T + "/flowtable/f"],
    "Object": [T + "/ct_5fhelper/h", T + "/synproxy/sp", T + "/ct_5fhelper/nothere"],
    "Zone": [ROOT + "/zone/public", ROOT + "/zone/home", ROOT + "/zone/nothere"],
    "IPSet": [ROOT + "/ipset/lab", ROOT + "/ipset/web", ROOT + "/ipset/a", ROOT + "/ipset/nothere"],
    "Policy": [ROOT + "/policy/allow_2dhost_2dipv6", ROOT + "/policy/nothere"],
    "Sysctl": [ROOT + "/sysctl"],
    "NAT": [ROOT + "/nat"],
    "Preset": [ROOT + "/preset/workstation", ROOT + "/preset/server", ROOT + "/preset/router",
               ROOT + "/preset/harden", ROOT + "/preset/nothere"],
}
FWD = "org.fedoraproject.FirewallD1"
FWD_ROOT = "/org/fedoraproject/FirewallD1"
FWD_PATHS = {
    **{FWD + suffix: [FWD_ROOT] for suffix in ("", ".zone", ".policies", ".policy", ".direct", ".ipset")},
    **{FWD + suffix: [FWD_ROOT + "/config"] for suffix in (".config", ".config.policies", ".config.direct")},
    FWD + ".config.zone": [FWD_ROOT + "/config/zone/0", FWD_ROOT + "/config/zone/6", FWD_ROOT + "/config/zone/99",
                           FWD_ROOT + "/config/zone/06"],
    FWD + ".config.service": [FWD_ROOT + "/config/service/0", FWD_ROOT + "/config/service/9999"],
    FWD + ".config.ipset": [FWD_ROOT + "/config/ipset/0", FWD_ROOT + "/config/ipset/2", FWD_ROOT + "/config/ipset/3"],
    FWD + ".config.policy": [FWD_ROOT + "/config/policy/0", FWD_ROOT + "/config/policy/1",
                             FWD_ROOT + "/config/policy/00"],
    FWD + ".config.icmptype": [FWD_ROOT + "/config/icmptype/0", FWD_ROOT + "/config/icmptype/44",
                               FWD_ROOT + "/config/icmptype/45", FWD_ROOT + "/config/icmptype/07"],
    FWD + ".config.helper": [FWD_ROOT + "/config/helper/0", FWD_ROOT + "/config/helper/12",
                             FWD_ROOT + "/config/helper/13", FWD_ROOT + "/config/helper/1x"],
}
FIREWALLD = os.environ.get("NFTBUS_HOSTILE_API") == "firewalld"
if FIREWALLD:
    BUS = FWD
OK_ERRORS = {
    "org.freedesktop.DBus.Error.InvalidArgs", "org.freedesktop.DBus.Error.AccessDenied",
    "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.IOError",
}
STRINGS = [
    "", "a", "fz", "c", "s", "inet", "ip", "ip6", "bridge", "netdev", "arp", "bogus", "filter", "input",
    "forward", "drop", "accept", "ssh", "tcp", "udp", "eth0", "lo", "wan0", "10.0.0.1", "192.0.2.1/24",
    "2001:db8::1", "10.0.0.1 : accept", "1.2.3.4 . 22", "tcp dport 22 accept", "ip saddr @s drop",
    "add @s { ip saddr }", "counter", "x" * 255, "x" * 256, "y" * 70000, "../../../etc/passwd",
    "flush ruleset", "accept; flush ruleset", "accept\nflush ruleset", "accept # x", "$var", "include \"/etc/shadow\"",
    "define x = 1", "{ }", "}", "\"", "'", "\\", "%s%s%n", "\u00e9\u00e8", "\u202e", "a\tb", "\x01", "-1", "0",
    "18446744073709551616", "0x10", "filter + 10", "raw - 5", "net.ipv4.ip_forward", "net.ipv4.conf.lo.rp_filter",
    "net.ipv4.conf.../../../rp_filter", "/proc/sys/kernel/panic", "{\"nftables\": []}",
    "{\"nftables\": [{\"flush\": {\"ruleset\": null}}]}", "[{\"accept\": null}]", "[]", "{", "null",
    "add table inet x\nadd chain inet x y", "ipv4_addr", "ipv4_addr . inet_service", "verdict", "mark", "ct_state",
    "public", "home", "http", "8080", "22-23", "65536", "port=22:proto=tcp:toport=2222", "22:toaddr=10.0.0.1",
    "ipset:x", "ipset:", "echo-request", "%%REJECT%%", "DROP",
    "lab", "web", "a", "ipset:lab", "hash:ip", "hash:net,iface", "hash:nope", "family", "inet6", "maxelem", "timeout",
    "192.0.2.1,tcp:80", "192.0.2.1,icmp:echo-request", "10.0.0.0/8,eth0", "::/0,eth0", "0.0.0.0", "10.1.2.3/8",
    "192.0.2.1-192.0.2.9", "2001:db8::/129", "52:54:00:12:34:56", "192.0.2.1,0xffffffff", "a:b.c-d_e",
    "rule source ipset=lab drop", "rule family=ipv4 destination ipset=web accept", "rule source NOT ipset=a accept",
]
OPTIONS = ["timeout", "comment", "hook", "priority", "policy", "type", "device", "devices", "flags", "index",
           "after", "before", "insert", "check", "echo", "family", "table", "format", "tables", "expires", "size",
           "gc-interval", "auto-merge", "counter", "packets", "bytes", "used", "over", "rate", "per", "unit",
           "burst", "services", "blacklist", "blacknets", "whitelist", "wan", "lan", "ping", "in_interface",
           "protocol", "bogus", "", "x" * 300, "interfaces", "sources", "ports", "services", "target", "masquerade",
           "forward_ports", "rules_str", "icmp_block_inversion", "permanent", "Type", "Options", "Short",
           "Description"]
NUMBERS = {"t": [0, 1, 22, 4294967296, 18446744073709551615], "u": [0, 1, 65535, 4294967295],
           "q": [0, 1, 22, 65535], "i": [-2147483648, -1, 0, 2147483647], "b": ["true", "false"]}


def gv_string(text):
    """A GVariant text-format string literal."""
    out = []
    for ch in text:
        if ch in "\\'":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


GV_NUMBER = {"t": "uint64", "u": "uint32", "q": "uint16", "i": "int32"}


def gv_value(sig, rnd):
    """One value of signature sig in GVariant's text format, as gdbus call takes it."""
    if sig == "s":
        return gv_string(rnd.choice(STRINGS))
    if sig == "o":
        return "objectpath " + gv_string(rnd.choice(["/", ROOT, T, T + "/chain/c", "/a/b"]))
    if sig == "b":
        return rnd.choice(["true", "false"])
    if sig in GV_NUMBER:
        return "%s %d" % (GV_NUMBER[sig], rnd.choice(NUMBERS[sig]))
    if sig == "as":
        n = rnd.choice([0, 1, 2, 5, 3000])
        if n == 3000:
            items = ["'10.%d.%d.%d'" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(n)]
        else:
            items = [gv_string(rnd.choice(STRINGS[:40])) for _ in range(n)]
        return "@as [" + ", ".join(items) + "]"
    if sig == "a{sv}":
        n = rnd.choice([0, 0, 1, 1, 2, 3])
        items = []
        for name in rnd.sample(OPTIONS, n):
            t = rnd.choice(["s", "s", "u", "t", "b", "i", "as"])
            items.append("%s: <%s>" % (gv_string(name), gv_value(t, rnd)))
        return "@a{sv} {" + ", ".join(items) + "}"
    # firewalld's other types (structs of settings, lists of pairs): empty lists, structs of such values
    if sig.startswith("a"):
        return "@%s %s" % (sig, "{}" if sig.startswith("a{") else "[]")
    if sig.startswith("("):
        members = [gv_value(t, rnd) for t in complete_types(sig[1:-1])]
        return "(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")"
    if sig == "v":
        return "<%s>" % gv_value(rnd.choice("sub"), rnd)
    raise ValueError(sig)


def complete_types(sig):
    """the complete types of a signature, in order: "sa(ss)u" -> ["s", "a(ss)", "u"]"""
    out, i = [], 0
    while i < len(sig):
        k = i
        while sig[k] == "a":
            k += 1
        if sig[k] in "({":
            depth = 0
            while True:
                depth += sig[k] in "({"
                depth -= sig[k] in ")}"
                k += 1
                if depth == 0:
                    break
        else:
            k += 1
        out.append(sig[i:k])
        i = k
    return out


def busctl_value(sig, rnd):
    """busctl arguments for one value: the wrong-signature calls, which gdbus would refuse to send."""
    if sig == "s":
        return [rnd.choice(STRINGS[:60])]
    if sig in NUMBERS:
        return [str(rnd.choice(NUMBERS[sig]))]
    raise ValueError(sig)


def methods(directory):
    for f in sorted(Path(directory).glob("org.fedoraproject.FirewallD1*.xml" if FIREWALLD else
                                         "org.nftbus.Firewall1.*.xml")):
        for iface in ET.parse(f).getroot().iter("interface"):
            short = iface.get("name").rsplit(".", 1)[1]
            for m in iface.iter("method"):
                ins = [a.get("type") for a in m.iter("arg") if a.get("direction", "in") == "in"]
                if "h" in ins:
                    continue  # busctl cannot pass descriptors; the *ToFd methods have tests of their own
                yield iface.get("name"), short, m.get("name"), ins


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        return "TIMEOUT"
    except OSError:
        return "not sent"  # a command line longer than the kernel takes (E2BIG): the client's limit
    if p.returncode == 0:
        return "ok"
    return p.stderr.strip() or "exit %d" % p.returncode


def call(rnd, iface, short, method, ins):
    """Returns the answer: "ok", an error name, or what went wrong; and the command."""
    path = rnd.choice(FWD_PATHS[iface] if FIREWALLD else PATHS[short])
    if ins and rnd.random() < 0.1:
        # the wrong signature: every s a u and the rest s; sd-bus refuses it as InvalidArgs
        sig = ["u" if s == "s" else "s" for s in ins]
        args = []
        for s in sig:
            args += busctl_value(s, rnd)
        cmd = ["busctl", "--system", "--timeout=60", "--", "call", BUS, path, iface, method, "".join(sig)] + args
        answer = run(cmd)
        return ("org.freedesktop.DBus.Error.InvalidArgs" if answer.startswith("Call failed: ") else answer), cmd
    cmd = ["gdbus", "call", "--system", "--timeout=60", "--dest", BUS, "--object-path", path,
           "--method", iface + "." + method] + [gv_value(s, rnd) for s in ins]
    answer = run(cmd)
    if answer in ("ok", "TIMEOUT"):
        return answer, cmd
    m = re.search(r"GDBus\.Error:([A-Za-z0-9_.]+):", answer)
    return (m.group(1) if m else answer), cmd


def acceptable(answer):
    return (answer in ("ok", "not sent") or answer in OK_ERRORS or answer.startswith("org.nftbus.Firewall1.Error.") or
            answer in (FWD + ".Exception", FWD + ".NotAuthorizedException"))


def in_test_namespace():
    """As tests/integration/lib.sh: only the network namespace tests/integration/harness made, on its private
    bus. The calls include "flush ruleset" as a batch for Apply, which root may send: never to the host."""
    netns = os.environ.get("NFTBUS_HARNESS_NETNS", "")
    return (netns and os.readlink("/proc/self/ns/net") == netns and netns != os.environ.get("NFTBUS_HOST_NETNS")
            and os.environ.get("DBUS_SYSTEM_BUS_ADDRESS", "").startswith("unix:path=/tmp/nftbus-test."))


def main():
    if not in_test_namespace():
        sys.exit("hostile-calls.py: refusing to run outside the namespace of tests/integration/harness")
    directory, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    fixtures = sys.argv[4] if len(sys.argv) > 4 else None
    rnd = random.Random(seed)
    all_methods = list(methods(directory))
    end = time.monotonic() + seconds
    counts, bad, n = {}, [], 0
    while time.monotonic() < end:
        if fixtures and n % 25 == 0:
            subprocess.run(["nft", "-f", fixtures], capture_output=True)
        iface, short, method, ins = all_methods[n % len(all_methods)]
        answer, cmd = call(rnd, iface, short, method, ins)
        n += 1
        kind = answer if acceptable(answer) else "unacceptable"
        kind = kind.replace("org.freedesktop.DBus.Error.", "").replace("org.nftbus.Firewall1.Error.", "")
        kind = kind.replace(FWD + ".", "")
        counts[kind] = counts.get(kind, 0) + 1
        if not acceptable(answer):
            bad.append((answer, cmd))
    print("%d calls over %d methods, seed %d: %s" % (n, len(all_methods), seed,
          ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    for answer, cmd in bad[:10]:
        print("BAD: %s <- %s" % (answer[:300], " ".join(c[:80] for c in cmd[:14])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
