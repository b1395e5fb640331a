#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every method of introspection/ that polkit guards with more than reading, called by callers who may
not make it: generated from the contract, so that a method without a fixture here fails the walk.

    privilege-walk.py refused     nobody and the test user, no polkit rule: each call is refused with
                                  polkit's error naming the method's action, and the kernel ruleset, the
                                  sysctls, the configuration and state files and the service's objects
                                  are the same before and after; root's same call then succeeds (so the
                                  refusal was polkit's, not a bad argument's).
    privilege-walk.py delegates   the test user under polkit/examples' rules (in the groups they name):
                                  each call succeeds exactly when a rule says yes to its action and
                                  details, and a refused one changes nothing.
    privilege-walk.py read-policy the same callers as "refused", with units/examples' read policy on the
                                  bus: every change still refused by polkit, nothing changed.

Runs as root inside tests/integration/harness, with nftbusd started with Zones=yes and FirewallDAPI=yes.
Prints TAP."""

import difflib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import dbus

BUS = "org.nftbus.Firewall1"
ROOT = "/org/nftbus/Firewall1"
N = "org.nftbus.Firewall1."
FWD = "org.fedoraproject.FirewallD1"
FWD_ROOT = "/org/fedoraproject/FirewallD1"
SOURCE = Path(os.environ["NFTBUS_SOURCE"])
NOBODY = (65534, 65534, [])
TEST_UID = int(os.environ["NFTBUS_TEST_UID"])

# the actions whose methods only read: nobody is refused them, and they change nothing
READS = {"org.nftbus.Firewall1.read", FWD + ".info"}

# --- calls ---


def connect():
    return dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])


def outcome(bus, dest, path, iface, method, sig, args):
    """("ok", reply) or (error name, message)"""
    try:
        proxy = bus.get_object(dest, path, introspect=False)
        reply = proxy.get_dbus_method(method, iface)(*args, signature=sig, timeout=120)
        return ("ok", reply)
    except dbus.exceptions.DBusException as e:
        return (e.get_dbus_name(), e.get_dbus_message())


_root_bus = None


def as_root(dest, path, iface, method, sig="", *args):
    global _root_bus
    if _root_bus is None:
        _root_bus = connect()
    return outcome(_root_bus, dest, path, iface, method, sig, args)


def root_ok(dest, path, iface, method, sig="", *args):
    r = as_root(dest, path, iface, method, sig, *args)
    if r[0] != "ok":
        raise RuntimeError(f"root's {iface}.{method} on {path} failed: {r}")
    return r[1]


def as_caller(caller, dest, path, iface, method, sig, args):
    """the call made by CALLER (uid, gid, groups) from a process of its own, on a connection of its own"""
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rd)
            uid, gid, groups = caller
            os.setgroups(groups)
            os.setgid(gid)
            os.setuid(uid)
            r = outcome(connect(), dest, path, iface, method, sig, args)
            text = "ok" if r[0] == "ok" else f"{r[0]}\n{r[1]}"
            os.write(wr, text.encode())
        finally:
            os._exit(0)
    os.close(wr)
    with os.fdopen(rd, "rb") as f:
        text = f.read().decode()
    os.waitpid(pid, 0)
    if text == "ok":
        return ("ok", None)
    name, _, message = text.partition("\n")
    return (name or "no answer", message)


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True).stdout


# --- what a call may change ---


def files_of(directory):
    out = []
    for p in sorted(Path(directory).rglob("*")):
        if p.is_file():
            out.append(f"{p.relative_to(directory)}: {p.read_bytes()!r}")
    return out


def snapshot():
    """the kernel's ruleset, the sysctls, the configuration and state files, and the service's objects"""
    objects = root_ok(BUS, ROOT, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects")
    return "\n".join([
        sh("nft", "list", "ruleset"),
        repr(root_ok(BUS, ROOT + "/sysctl", N + "Sysctl", "List")),
        *files_of(os.environ["CONFIGURATION_DIRECTORY"]),
        *files_of(os.environ["STATE_DIRECTORY"]),
        repr(sorted((str(k), repr(v)) for k, v in objects.items())),
    ])


# --- the world a fixture starts from ---

FIXTURE_TABLE = """\
add table inet {table}
add chain inet {table} c
add rule inet {table} c counter
add chain inet {table} base {{ type filter hook input priority 0; policy accept; }}
add set inet {table} {set} {{ type ipv4_addr; elements = {{ 192.0.2.7 }}; }}
add map inet {table} m {{ type ipv4_addr : verdict; elements = {{ 192.0.2.7 : accept }}; }}
add counter inet {table} k
add quota inet {table} q 100 mbytes
add limit inet {table} l rate 10/second
add ct helper inet {table} h {{ type "ftp" protocol tcp; }}
"""


class World:
    """the names a walk's fixtures use: a table (and its set), and a zone, that the delegation examples may
    or may not name"""

    def __init__(self, table="fz", set_name="s", zone="public"):
        self.table, self.set, self.zone = table, set_name, zone
        self.T = f"{ROOT}/table/inet/{table}"
        self.zones = None

    def reset_table(self):
        sh("nft", "delete", "table", "inet", self.table, check=False)
        subprocess.run(["nft", "-f", "-"], input=FIXTURE_TABLE.format(table=self.table, set=self.set), check=True,
                       text=True)

    def zones_on(self, on):
        """zones enabled (the zone and firewalld fixtures) or not (presets, which zones exclude)"""
        if self.zones != on:
            root_ok(BUS, ROOT, N + "Manager", "SetZonesEnabled", "ba{sv}", on, {})
            self.zones = on

    def rule_handle(self):
        listing = sh("nft", "-a", "list", "chain", "inet", self.table, "c")
        return dbus.UInt64(int(listing.split("counter packets 0 bytes 0 # handle ")[1].split()[0]))

    def nat_id(self):
        root_ok(BUS, ROOT + "/nat", N + "NAT", "Redirect", "sqqa{sv}", "tcp", dbus.UInt16(8081),
                dbus.UInt16(81), E)
        return str(root_ok(BUS, ROOT + "/nat", N + "NAT", "List")[-1][0])

    def fwd_zone(self, name):
        return str(root_ok(FWD, FWD_ROOT + "/config", FWD + ".config", "getZoneByName", "s", name))


def element_file(text):
    r, w = os.pipe()
    os.write(w, text.encode())
    os.close(w)
    return dbus.types.UnixFd(r)


# A fixture: the method's path, signature and arguments, the action polkit must be asked, and what root
# does first (setup) and after (cleanup). Arguments and paths may depend on the world (a lambda of it).
class Fx:
    def __init__(self, key, path, sig, args, action, setup=None, cleanup=None, zones=False, dest=BUS,
                 needs=None, answers=("ok", None)):
        self.iface, self.method = key.rsplit(".", 1)
        self.iface = (N + self.iface) if not self.iface.startswith(FWD) else self.iface
        self.path, self.sig, self.args, self.action = path, sig, args, action
        self.setup, self.cleanup, self.zones, self.dest, self.needs = setup, cleanup, zones, dest, needs
        # what root's call answers: ok, or (error, message) for a method that answers firewalld's error to whom
        # polkit allowed (turning the lockdown on: NOT_SUPPORTED)
        self.answers = answers
        self.from_zone = None  # the zone a Change* takes its interface or source out of

    def resolve(self, w):
        path = self.path(w) if callable(self.path) else self.path.format(T=w.T)
        args = self.args(w) if callable(self.args) else self.args
        return path, args

    def details(self, w, path, args):
        """family, table, set and zone as polkit's details carry them, for the delegation examples"""
        d = {}
        if self.iface == N + "Zone":
            # a target of accept reaches past one zone: asked about every zone ("*")
            d = {"zone": "*" if self.method == "SetTarget" and args[0] == "accept" else path[len(Z):]}
            if self.from_zone:
                d["from"] = self.from_zone
        elif self.iface == N + "Manager" and self.method == "SetDefaultZone":
            d = {"zone": "*"}
        elif self.iface == N + "Manager" and self.method == "AddTable":
            d = {"family": args[0], "table": args[1]}
        elif path.startswith(ROOT + "/table/"):
            parts = path[len(ROOT + "/table/"):].split("/")
            d = {"family": parts[0], "table": parts[1]}
            if len(parts) >= 4 and parts[2] == "set":
                d["set"] = parts[3]
        return d


TABLES, BASE, RULES, ELEMENTS = (N + a for a in ("manage-tables", "manage-base-chains", "manage-rules",
                                                  "manage-elements"))
ZONES, NAT, SYSCTL, PRESET, BATCH, PERSIST, SUBSCRIBE = (N + a for a in ("manage-zones", "nat", "sysctl",
                                                                         "apply-preset", "apply-batch", "persist",
                                                                         "subscribe"))
FCONFIG, FCONFIG_INFO, FALL = FWD + ".config", FWD + ".config.info", FWD + ".all"
FPOLICIES, FPOLICIES_INFO = FWD + ".policies", FWD + ".policies.info"
FDIRECT, FDIRECT_INFO = FWD + ".direct", FWD + ".direct.info"
E = dbus.Dictionary({}, signature="sv")
PERM = dbus.Dictionary({"permanent": True}, signature="sv")
Z = ROOT + "/zone/"


def zone_call(zone, method, value, options=E):
    """root's call of a Zone method, on ZONE or (None) the world's zone"""
    return lambda w: root_ok(BUS, Z + (zone or w.zone), N + "Zone", method, "sa{sv}", value, options)


def on_zone(w):
    return Z + w.zone


def fwd_zone_call(method, *args):
    sig = "s" * len(args)
    return lambda w: root_ok(FWD, FWD_ROOT, FWD + ".zone", method, sig, *args)


def fwd_config_call(method, *args):
    sig = "s" * len(args)
    return lambda w: root_ok(FWD, w.fwd_zone("public"), FWD + ".config.zone", method, sig, *args)


def delete_preset_tables(w):
    for line in sh("nft", "list", "tables").splitlines():
        if line.split()[-1].startswith("nftbus_") and line.split()[-1] != "nftbus_zones":
            sh("nft", "delete", "table", *line.split()[1:])


def nftbus_fixtures():
    fx = [
        Fx("Manager.AddTable", ROOT, "ssa{sv}", lambda w: ("inet", w.table, E), TABLES,
           setup=lambda w: sh("nft", "delete", "table", "inet", w.table)),
        Fx("Manager.Apply", ROOT, "sa{sv}", lambda w: (f"add chain inet {w.table} applied\n", E), BATCH),
        Fx("Manager.Save", ROOT, "a{sv}", (E,), PERSIST),
        Fx("Manager.Subscribe", ROOT, "", (), SUBSCRIBE),
        Fx("Manager.Unsubscribe", ROOT, "", (), SUBSCRIBE),
        Fx("Table.Delete", "{T}", "", (), TABLES),
        Fx("Table.Flush", "{T}", "", (), TABLES),
        Fx("Table.AddChain", "{T}", "sa{sv}", ("c2", E), TABLES),
        Fx("Table.AddCounter", "{T}", "sa{sv}", ("k2", E), TABLES),
        Fx("Table.AddQuota", "{T}", "sta{sv}", ("q2", dbus.UInt64(1000), E), TABLES),
        Fx("Table.AddLimit", "{T}", "stsa{sv}", ("l2", dbus.UInt64(10), "second", E), TABLES),
        Fx("Table.AddFlowtable", "{T}", "sa{sv}",
           ("f2", dbus.Dictionary({"hook": "ingress", "priority": dbus.Int32(0), "devices": dbus.Array(["lo"],
                                                                                                         signature="s")},
                                  signature="sv")), TABLES, needs="flowtables"),
        Fx("Table.AddSet", "{T}", "ssa{sv}", ("s2", "ipv4_addr", E), TABLES),
        Fx("Table.AddMap", "{T}", "sssa{sv}", ("m2", "ipv4_addr", "verdict", E), TABLES),
        Fx("Chain.Delete", "{T}/chain/c", "", (), TABLES, setup=lambda w: sh("nft", "flush", "chain", "inet",
                                                                               w.table, "c")),
        Fx("Chain.Flush", "{T}/chain/c", "", (), RULES),
        Fx("Chain.SetPolicy", "{T}/chain/base", "s", ("drop",), BASE),
        Fx("Chain.Rename", "{T}/chain/c", "s", ("c3",), TABLES),
        Fx("Chain.AddRule", "{T}/chain/c", "sa{sv}", ("ip saddr 192.0.2.1 accept", E), RULES),
        Fx("Chain.AddRuleJSON", "{T}/chain/c", "sa{sv}", ('[{"accept": null}]', E), RULES),
        Fx("Chain.ReplaceRule", "{T}/chain/c", "ts", lambda w: (w.rule_handle(), "counter accept"), RULES),
        Fx("Chain.DeleteRule", "{T}/chain/c", "t", lambda w: (w.rule_handle(),), RULES),
        Fx("Counter.Reset", "{T}/counter/k", "", (), TABLES),
        Fx("Counter.Delete", "{T}/counter/k", "", (), TABLES),
        Fx("Quota.Delete", "{T}/quota/q", "", (), TABLES),
        Fx("Limit.Delete", "{T}/limit/l", "", (), TABLES),
        Fx("Flowtable.Delete", "{T}/flowtable/f", "", (), TABLES, needs="flowtables"),
        Fx("Object.Delete", "{T}/ct_5fhelper/h", "", (), TABLES),
        Fx("Sysctl.Set", ROOT + "/sysctl", "ss", ("net.ipv4.ip_forward", "1"), SYSCTL,
           cleanup=lambda w: Path("/proc/sys/net/ipv4/ip_forward").write_text("0\n")),
        Fx("NAT.Masquerade", ROOT + "/nat", "sa{sv}", ("walk0", E), NAT),
        Fx("NAT.PortForward", ROOT + "/nat", "sqsqa{sv}", ("tcp", dbus.UInt16(8080), "10.0.0.2", dbus.UInt16(80), E),
           NAT),
        Fx("NAT.SourceNat", ROOT + "/nat", "ssa{sv}", ("walk0", "198.51.100.1", E), NAT),
        Fx("NAT.DestinationNat", ROOT + "/nat", "ssa{sv}", ("198.51.100.2", "10.0.0.3", E), NAT),
        Fx("NAT.StaticNat", ROOT + "/nat", "ssa{sv}", ("198.51.100.4", "10.0.0.4", E), NAT),
        Fx("NAT.Redirect", ROOT + "/nat", "sqqa{sv}", ("tcp", dbus.UInt16(8082), dbus.UInt16(82), E), NAT),
        Fx("NAT.Remove", ROOT + "/nat", "s", lambda w: (w.nat_id(),), NAT),
        Fx("Preset.Apply", ROOT + "/preset/workstation", "a{sv}", (E,), PRESET, cleanup=delete_preset_tables),
    ]
    for kind in ("Set", "Map"):
        path = "{T}/set/" + ("{S}" if kind == "Set" else "m")
        p = (lambda path: lambda w: path.format(T=w.T, S=w.set))(path)
        el = "192.0.2.9" if kind == "Set" else "192.0.2.9 : drop"
        old = "192.0.2.7" if kind == "Set" else "192.0.2.7 : accept"
        fx += [
            Fx(kind + ".AddElements", p, "asa{sv}", (dbus.Array([el], signature="s"), E), ELEMENTS),
            Fx(kind + ".DeleteElements", p, "as", (dbus.Array([old], signature="s"),), ELEMENTS),
            Fx(kind + ".AddElementsFromFd", p, "ha{sv}", (lambda el: lambda w: (element_file(el + "\n"), E))(el),
               ELEMENTS),
            Fx(kind + ".Flush", p, "", (), ELEMENTS),
            Fx(kind + ".Delete", p, "", (), TABLES),
        ]
    zones = [
        Fx("Manager.SetZonesEnabled", ROOT, "ba{sv}", (True, E), ZONES),
        Fx("Manager.SetLogDenied", ROOT, "sa{sv}", ("all", E), ZONES,
           cleanup=lambda w: root_ok(BUS, ROOT, N + "Manager", "SetLogDenied", "sa{sv}", "off", E)),
        Fx("Manager.SetLogDenied", ROOT, "sa{sv}", ("unicast", PERM), ZONES,
           cleanup=lambda w: root_ok(BUS, ROOT, N + "Manager", "SetLogDenied", "sa{sv}", "off", PERM)),
        Fx("Manager.SetPanic", ROOT, "ba{sv}", (True, E), ZONES,
           cleanup=lambda w: root_ok(BUS, ROOT, N + "Manager", "SetPanic", "ba{sv}", False, E)),
        Fx("Manager.SetDefaultZone", ROOT, "sa{sv}", ("home", E), ZONES,
           cleanup=lambda w: root_ok(BUS, ROOT, N + "Manager", "SetDefaultZone", "sa{sv}", "public", E)),
        Fx("Manager.AddZone", ROOT, "sa{sv}", ("walk", E), ZONES,
           cleanup=lambda w: root_ok(BUS, ROOT, N + "Manager", "DeleteZone", "sa{sv}", "walk", E)),
        Fx("Manager.DeleteZone", ROOT, "sa{sv}", ("walk2", E), ZONES,
           setup=lambda w: root_ok(BUS, ROOT, N + "Manager", "AddZone", "sa{sv}", "walk2", E)),
        Fx("Manager.Reload", ROOT, "a{sv}", (E,), ZONES),
        Fx("Manager.RuntimeToPermanent", ROOT, "a{sv}", (E,), ZONES),
        Fx("Zone.SetTarget", on_zone, "sa{sv}", ("accept", E), ZONES),
        Fx("Zone.SetTarget", on_zone, "sa{sv}", ("drop", PERM), ZONES),
        Fx("Zone.SetMasquerade", on_zone, "ba{sv}", (True, E), ZONES),
        Fx("Zone.SetForward", on_zone, "ba{sv}", (False, E), ZONES),
        Fx("Zone.SetIcmpBlockInversion", on_zone, "ba{sv}", (True, E), ZONES,
           cleanup=lambda w: root_ok(BUS, Z + w.zone, N + "Zone", "SetIcmpBlockInversion", "ba{sv}", False, E)),
        Fx("Zone.SetDescription", on_zone, "sa{sv}", ("walked", E), ZONES),
        Fx("Zone.SetDescription", on_zone, "sa{sv}", ("walked", PERM), ZONES),
    ]
    values = {"Interface": ("walk1", "walk2"), "Source": ("192.0.2.0/28", "192.0.2.16/28"),
              "Service": ("http", "https"), "Port": ("8080/tcp", "8081/udp"), "Protocol": ("gre", "igmp"),
              "ForwardPort": ("port=2222:proto=tcp:toport=22", "port=2223:proto=tcp:toport=23"),
              "IcmpBlock": ("echo-request", "timestamp-request"),
              "RichRule": ("rule family=ipv4 source address=192.0.2.200 accept",
                           "rule family=ipv4 source address=192.0.2.201 drop"),
              "SourcePort": ("5353/udp", "5354/udp")}
    for what, (new, old) in values.items():
        zones += [
            Fx(f"Zone.Add{what}", on_zone, "sa{sv}", (new, E), ZONES, cleanup=zone_call(None, "Remove" + what, new)),
            Fx(f"Zone.Add{what}", on_zone, "sa{sv}", (new, PERM), ZONES,
               cleanup=zone_call(None, "Remove" + what, new, PERM)),
            Fx(f"Zone.Remove{what}", on_zone, "sa{sv}", (old, E), ZONES, setup=zone_call(None, "Add" + what, old)),
        ]
        if what in ("Interface", "Source"):
            # from public into home: polkit is asked about both
            change = Fx(f"Zone.Change{what}", Z + "home", "sa{sv}", (old, E), ZONES,
                        setup=zone_call("public", "Add" + what, old), cleanup=zone_call("home", "Remove" + what, old))
            change.from_zone = "public"
            zones.append(change)
    zones += nftbus_ipset_fixtures() + nftbus_policy_fixtures()
    for f in zones:
        f.zones = True
    return fx + zones


IPSET_TYPE_IP = dbus.Dictionary({"Type": "hash:ip"}, signature="sv")


def nb_ipset_reset(w):
    """nftbus's ipset "nbwalk" (hash:ip, 192.0.2.1), runtime and permanent, made when it is not there"""
    for options in (E, PERM):
        r = as_root(BUS, ROOT, N + "Manager", "AddIPSet", "sa{sv}a{sv}", "nbwalk", IPSET_TYPE_IP, options)
        if r[0] != "ok" and not r[0].endswith(".AlreadyExists"):
            raise RuntimeError(f"root's AddIPSet nbwalk failed: {r}")
        root_ok(BUS, ROOT + "/ipset/nbwalk", N + "IPSet", "SetEntries", "asa{sv}",
                dbus.Array(["192.0.2.1"], signature="s"), options)


def nftbus_ipset_fixtures():
    """nftbus's IPSet and the Manager's ipset methods: what an ipset is under manage-ipsets, what it holds under
    manage-ipset-entries"""
    IPSETS, ENTRIES = N + "manage-ipsets", N + "manage-ipset-entries"
    I = ROOT + "/ipset/nbwalk"
    delete = lambda name, options: lambda w: root_ok(BUS, ROOT, N + "Manager", "DeleteIPSet", "sa{sv}", name, options)
    fx = [
        Fx("Manager.AddIPSet", ROOT, "sa{sv}a{sv}", ("nbnew", IPSET_TYPE_IP, E), IPSETS, cleanup=delete("nbnew", E)),
        Fx("Manager.AddIPSet", ROOT, "sa{sv}a{sv}", ("nbnew", IPSET_TYPE_IP, PERM), IPSETS,
           cleanup=delete("nbnew", PERM)),
        Fx("Manager.DeleteIPSet", ROOT, "sa{sv}", ("nbwalk", E), IPSETS, setup=nb_ipset_reset, cleanup=nb_ipset_reset),
        Fx("Manager.DeleteIPSet", ROOT, "sa{sv}", ("nbwalk", PERM), IPSETS, setup=nb_ipset_reset,
           cleanup=nb_ipset_reset),
        Fx("IPSet.Update", I, "a{sv}a{sv}", (dbus.Dictionary({"Description": "walked"}, signature="sv"), E), IPSETS,
           setup=nb_ipset_reset),
        Fx("IPSet.Update", I, "a{sv}a{sv}", (dbus.Dictionary({"Type": "hash:net"}, signature="sv"), PERM), IPSETS,
           setup=nb_ipset_reset, cleanup=lambda w: root_ok(BUS, I, N + "IPSet", "Update", "a{sv}a{sv}",
                                                           IPSET_TYPE_IP, PERM)),
    ]
    for options in (E, PERM):
        fx += [
            Fx("IPSet.AddEntry", I, "sa{sv}", ("192.0.2.50", options), ENTRIES, setup=nb_ipset_reset),
            Fx("IPSet.RemoveEntry", I, "sa{sv}", ("192.0.2.1", options), ENTRIES, setup=nb_ipset_reset),
            Fx("IPSet.SetEntries", I, "asa{sv}", (dbus.Array(["192.0.2.9"], signature="s"), options), ENTRIES,
               setup=nb_ipset_reset),
        ]
    return fx


def nb_policy_reset(w):
    """nftbus's policy "nbwalk" (from ANY to HOST), runtime and permanent, made when it is not there"""
    for options in (E, PERM):
        r = as_root(BUS, ROOT, N + "Manager", "AddPolicy", "sa{sv}a{sv}", "nbwalk", POLICY_ANY_HOST, options)
        if r[0] != "ok" and not r[0].endswith(".AlreadyExists"):
            raise RuntimeError(f"root's AddPolicy nbwalk failed: {r}")


POLICY_ANY_HOST = dbus.Dictionary({"IngressZones": dbus.Array(["ANY"], signature="s"),
                                   "EgressZones": dbus.Array(["HOST"], signature="s")}, signature="sv")


def nftbus_policy_fixtures():
    """nftbus's Policy and the Manager's policy methods, under manage-policies"""
    POLICIES, P = N + "manage-policies", ROOT + "/policy/nbwalk"
    delete = lambda name, options: lambda w: root_ok(BUS, ROOT, N + "Manager", "DeletePolicy", "sa{sv}", name,
                                                     options)
    fx = []
    for options in (E, PERM):
        fx += [
            Fx("Manager.AddPolicy", ROOT, "sa{sv}a{sv}", ("nbnew", POLICY_ANY_HOST, options), POLICIES,
               cleanup=delete("nbnew", options)),
            Fx("Manager.DeletePolicy", ROOT, "sa{sv}", ("nbwalk", options), POLICIES, setup=nb_policy_reset,
               cleanup=nb_policy_reset),
            Fx("Policy.Update", P, "a{sv}a{sv}", (dbus.Dictionary({"Description": "walked"}, signature="sv"), options),
               POLICIES, setup=nb_policy_reset),
        ]
    return fx


def firewalld_fixtures():
    I, ZI, C, CZ = FWD, FWD + ".zone", FWD + ".config", FWD + ".config.zone"
    public = lambda w: w.fwd_zone("public")
    fx = [
        Fx(I + ".authorizeAll", FWD_ROOT, "", (), FALL),
        Fx(I + ".setDefaultZone", FWD_ROOT, "s", ("home",), FCONFIG,
           cleanup=lambda w: root_ok(FWD, FWD_ROOT, I, "setDefaultZone", "s", "public")),
        Fx(I + ".reload", FWD_ROOT, "", (), FCONFIG),
        Fx(I + ".completeReload", FWD_ROOT, "", (), FCONFIG),
        Fx(I + ".checkPermanentConfig", FWD_ROOT, "", (), FCONFIG),
        Fx(I + ".resetToDefaults", FWD_ROOT, "", (), FCONFIG),
        Fx(I + ".enablePanicMode", FWD_ROOT, "", (), FCONFIG,
           cleanup=lambda w: root_ok(FWD, FWD_ROOT, I, "disablePanicMode")),
        Fx(I + ".disablePanicMode", FWD_ROOT, "", (), FCONFIG, setup=lambda w: root_ok(FWD, FWD_ROOT, I,
                                                                                       "enablePanicMode")),
        Fx(I + ".runtimeToPermanent", FWD_ROOT, "", (), FCONFIG),
        Fx(I + ".getLogDenied", FWD_ROOT, "", (), FCONFIG_INFO),
        Fx(I + ".setLogDenied", FWD_ROOT, "s", ("all",), FCONFIG,
           cleanup=lambda w: root_ok(FWD, FWD_ROOT, I, "setLogDenied", "s", "off")),
        Fx(I + ".getServiceSettings2", FWD_ROOT, "s", ("ssh",), FCONFIG_INFO),
        Fx(ZI + ".getZoneSettings2", FWD_ROOT, "s", ("public",), FCONFIG_INFO),
        Fx(I + ".getZoneSettings", FWD_ROOT, "s", ("public",), FCONFIG_INFO),
        Fx(ZI + ".setZoneSettings2", FWD_ROOT, "sa{sv}",
           (lambda w: ("public", dbus.Dictionary({"description": "walked"}, signature="sv"))), FCONFIG),
        Fx(ZI + ".changeZoneOfInterface", FWD_ROOT, "ss", ("home", "fwalk1"), FCONFIG,
           setup=fwd_zone_call("addInterface", "public", "fwalk1"),
           cleanup=fwd_zone_call("removeInterface", "home", "fwalk1")),
        Fx(ZI + ".changeZoneOfSource", FWD_ROOT, "ss", ("home", "192.0.2.32/28"), FCONFIG,
           setup=fwd_zone_call("addSource", "public", "192.0.2.32/28"),
           cleanup=fwd_zone_call("removeSource", "home", "192.0.2.32/28")),
        Fx(ZI + ".changeZone", FWD_ROOT, "ss", ("home", "fwalk2"), FCONFIG,
           cleanup=fwd_zone_call("removeInterface", "home", "fwalk2")),
        Fx(C + ".getZoneNames", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".getZoneByName", FWD_ROOT + "/config", "s", ("public",), FCONFIG),
        Fx(C + ".listZones", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".getZoneOfInterface", FWD_ROOT + "/config", "s", ("eth0",), FCONFIG),
        Fx(C + ".getZoneOfSource", FWD_ROOT + "/config", "s", ("192.0.2.1",), FCONFIG),
        Fx(C + ".getServiceNames", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".getServiceByName", FWD_ROOT + "/config", "s", ("ssh",), FCONFIG),
        Fx(C + ".listServices", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".service.getSettings2", lambda w: str(root_ok(FWD, FWD_ROOT + "/config", C, "getServiceByName", "s",
                                                              "ssh")), "", (), FCONFIG),
        Fx(CZ + ".getSettings2", public, "", (), FCONFIG),
        Fx(CZ + ".update2", public, "a{sv}", (dbus.Dictionary({"description": "walked"}, signature="sv"),), FCONFIG),
        Fx(CZ + ".getSettings", public, "", (), FCONFIG),
        Fx(CZ + ".update", public, ZONE_TUPLE, (lambda w: (root_ok(FWD, w.fwd_zone("public"), CZ, "getSettings"),)),
           FCONFIG),
        Fx(CZ + ".getTarget", public, "", (), FCONFIG),
        Fx(CZ + ".setTarget", public, "s", ("DROP",), FCONFIG,
           cleanup=lambda w: root_ok(FWD, public(w), CZ, "setTarget", "s", "default")),
        Fx(CZ + ".addMasquerade", public, "", (), FCONFIG, cleanup=lambda w: root_ok(FWD, public(w), CZ,
                                                                                      "removeMasquerade")),
        Fx(CZ + ".removeMasquerade", public, "", (), FCONFIG, setup=lambda w: root_ok(FWD, public(w), CZ,
                                                                                      "addMasquerade")),
        Fx(CZ + ".queryMasquerade", public, "", (), FCONFIG),
        Fx(ZI + ".addMasquerade", FWD_ROOT, "si", ("public", dbus.Int32(0)), FCONFIG,
           cleanup=fwd_zone_call("removeMasquerade", "public")),
        Fx(ZI + ".removeMasquerade", FWD_ROOT, "s", ("public",), FCONFIG,
           setup=lambda w: root_ok(FWD, FWD_ROOT, ZI, "addMasquerade", "si", "public", dbus.Int32(0))),
        Fx(ZI + ".queryMasquerade", FWD_ROOT, "s", ("public",), FCONFIG_INFO),
        Fx(ZI + ".addIcmpBlockInversion", FWD_ROOT, "s", ("public",), FCONFIG,
           cleanup=fwd_zone_call("removeIcmpBlockInversion", "public")),
        Fx(ZI + ".removeIcmpBlockInversion", FWD_ROOT, "s", ("public",), FCONFIG,
           setup=fwd_zone_call("addIcmpBlockInversion", "public")),
        Fx(ZI + ".queryIcmpBlockInversion", FWD_ROOT, "s", ("public",), FCONFIG_INFO),
    ]
    # the lists: runtime add/remove/query/get on .zone, permanent on .config.zone
    lists = {"Service": (("http",), ("https",)), "Interface": (("fwalk3",), ("fwalk4",)),
             "Source": (("192.0.2.64/28",), ("192.0.2.80/28",)), "Port": (("8080", "tcp"), ("8081", "udp")),
             "Protocol": (("gre",), ("igmp",)), "IcmpBlock": (("echo-request",), ("timestamp-request",)),
             "ForwardPort": (("2222", "tcp", "22", ""), ("2223", "tcp", "23", "")),
             "RichRule": (("rule family=ipv4 source address=192.0.2.210 accept",),
                          ("rule family=ipv4 source address=192.0.2.211 reject",)),
             "SourcePort": (("5353", "udp"), ("5354", "udp"))}
    for what, (new, old) in lists.items():
        timeout = what not in ("Interface", "Source")
        add_sig = "s" * (1 + len(new)) + ("i" if timeout else "")
        add_args = ("public", *new) + ((dbus.Int32(0),) if timeout else ())
        old_add = ("public", *old) + ((dbus.Int32(0),) if timeout else ())
        rm_sig = "s" * (1 + len(new))
        get = "get" + what + "s" if what != "IcmpBlock" else "getIcmpBlocks"
        fx += [
            Fx(f"{ZI}.add{what}", FWD_ROOT, add_sig, add_args, FCONFIG,
               cleanup=(lambda what, new: lambda w: root_ok(FWD, FWD_ROOT, ZI, "remove" + what,
                                                            "s" * (1 + len(new)), "public", *new))(what, new)),
            Fx(f"{ZI}.remove{what}", FWD_ROOT, rm_sig, ("public", *old), FCONFIG,
               setup=(lambda what, sig, a: lambda w: root_ok(FWD, FWD_ROOT, ZI, "add" + what, sig, *a))(what, add_sig,
                                                                                                       old_add)),
            Fx(f"{ZI}.query{what}", FWD_ROOT, rm_sig, ("public", *new), FCONFIG_INFO),
            Fx(f"{ZI}.{get}", FWD_ROOT, "s", ("public",), FCONFIG_INFO),
            Fx(f"{CZ}.add{what}", public, "s" * len(new), new, FCONFIG,
               cleanup=(lambda what, new: lambda w: root_ok(FWD, w.fwd_zone("public"), CZ, "remove" + what,
                                                            "s" * len(new), *new))(what, new)),
            Fx(f"{CZ}.remove{what}", public, "s" * len(old), old, FCONFIG,
               setup=(lambda what, old: lambda w: root_ok(FWD, w.fwd_zone("public"), CZ, "add" + what,
                                                          "s" * len(old), *old))(what, old)),
            Fx(f"{CZ}.query{what}", public, "s" * len(new), new, FCONFIG),
            Fx(f"{CZ}.{get}", public, "", (), FCONFIG),
        ]
    fx += ipset_fixtures() + service_fixtures() + config_zone_fixtures() + policy_fixtures()
    fx += builtin_object_fixtures() + helper_fixtures() + lockdown_fixtures() + direct_fixtures()
    for f in fx:
        f.zones, f.dest = True, FWD
    return fx


ZONE_TUPLE = "(sssbsasa(ss)asba(ssss)asasasasa(ss)b)"


def empty_zone_tuple():
    """firewalld's first form of a zone's settings, all empty"""
    s, ss, ssss = (dbus.Array([], signature=t) for t in ("s", "(ss)", "(ssss)"))
    return dbus.Struct(("", "", "", False, "default", s, ss, s, False, ssss, s, s, s, s, ss, False),
                       signature=ZONE_TUPLE[1:-1])


def fwd_walk_zone(w, name="fwalkz"):
    """the permanent custom zone NAME, made when it is not there; its config.zone object"""
    C = FWD + ".config"
    names = root_ok(FWD, FWD_ROOT + "/config", C, "getZoneNames")
    if name not in names:
        root_ok(FWD, FWD_ROOT + "/config", C, "addZone2", "sa{sv}", name, dbus.Dictionary({}, signature="sv"))
    return w.fwd_zone(name) if w else None


def config_zone_fixtures():
    """firewalld's zones made, removed, renamed and reset, and the permanent zone's single settings and whole
    lists"""
    C, CZ = FWD + ".config", FWD + ".config.zone"
    public = lambda w: w.fwd_zone("public")
    reset = lambda w: root_ok(FWD, w.fwd_zone("public"), CZ, "loadDefaults")
    remove = lambda name: lambda w: root_ok(FWD, w.fwd_zone(name), CZ, "remove")
    fx = [
        Fx(C + ".addZone2", FWD_ROOT + "/config", "sa{sv}", ("fwnew", dbus.Dictionary({}, signature="sv")),
           FCONFIG, cleanup=remove("fwnew")),
        Fx(C + ".addZone", FWD_ROOT + "/config", "s" + ZONE_TUPLE, ("fwnewt", empty_zone_tuple()), FCONFIG,
           cleanup=remove("fwnewt")),
        Fx(CZ + ".remove", lambda w: fwd_walk_zone(w), "", (), FCONFIG, cleanup=fwd_walk_zone),
        Fx(CZ + ".rename", lambda w: fwd_walk_zone(w), "s", ("fwalkz2",), FCONFIG, cleanup=remove("fwalkz2")),
        Fx(CZ + ".loadDefaults", public, "", (), FCONFIG),
        Fx(CZ + ".getMasquerade", public, "", (), FCONFIG),
        Fx(CZ + ".setMasquerade", public, "b", (True,), FCONFIG, cleanup=reset),
        Fx(CZ + ".getIcmpBlockInversion", public, "", (), FCONFIG),
        Fx(CZ + ".queryIcmpBlockInversion", public, "", (), FCONFIG),
        Fx(CZ + ".setIcmpBlockInversion", public, "b", (True,), FCONFIG, cleanup=reset),
        Fx(CZ + ".addIcmpBlockInversion", public, "", (), FCONFIG, cleanup=reset),
        Fx(CZ + ".removeIcmpBlockInversion", public, "", (), FCONFIG,
           setup=lambda w: root_ok(FWD, w.fwd_zone("public"), CZ, "addIcmpBlockInversion")),
    ]
    for field in ("Version", "Short", "Description"):
        fx += [Fx(f"{CZ}.get{field}", public, "", (), FCONFIG),
               Fx(f"{CZ}.set{field}", public, "s", ("walked",), FCONFIG, cleanup=reset)]
    lists = {"Services": ("as", ["http"]), "Ports": ("a(ss)", [("8080", "tcp")]), "Protocols": ("as", ["gre"]),
             "IcmpBlocks": ("as", ["echo-request"]), "ForwardPorts": ("a(ssss)", [("2222", "tcp", "22", "")]),
             "Interfaces": ("as", ["fwalk9"]), "Sources": ("as", ["192.0.2.96/28"]),
             "RichRules": ("as", ["rule family=ipv4 source address=192.0.2.220 accept"]),
             "SourcePorts": ("a(ss)", [("53", "udp")])}
    for what, (sig, values) in lists.items():
        fx.append(Fx(f"{CZ}.set{what}", public, sig, (dbus.Array(values, signature=sig[1:]),), FCONFIG,
                     cleanup=reset))
    return fx


WALK_IPSET = ("", "", "", "hash:ip", dbus.Dictionary({}, signature="ss"), dbus.Array(["192.0.2.1"], signature="s"))


def walk_ipset(w):
    """the ipset "walk" (hash:ip, 192.0.2.1), permanent and in force, made when it is not there"""
    C = FWD + ".config"
    if "walk" not in [str(n) for n in root_ok(FWD, FWD_ROOT + "/config", C, "getIPSetNames")]:
        root_ok(FWD, FWD_ROOT + "/config", C, "addIPSet", "s(ssssa{ss}as)", "walk", WALK_IPSET)
        root_ok(FWD, FWD_ROOT, FWD, "reload")


def ipset_object(w, name="walk"):
    """the object of an ipset ("walk": made first when it is not there)"""
    if name == "walk":
        walk_ipset(w)
    return str(root_ok(FWD, FWD_ROOT + "/config", FWD + ".config", "getIPSetByName", "s", name))


def ipset_call(method, sig="", *args):
    return lambda w: root_ok(FWD, ipset_object(w), FWD + ".config.ipset", method, sig, *args)


WALK_SERVICE = {"short": "Walk", "ports": dbus.Array([dbus.Struct(("9100", "tcp"), signature="ss")], signature="(ss)")}
SERVICE_TUPLE = "(sssa(ss)asa{ss}asa(ss))"
WALK_SERVICE_TUPLE = ("", "Walk", "", dbus.Array([dbus.Struct(("9100", "tcp"), signature="ss")], signature="(ss)"),
                      dbus.Array([], signature="s"), dbus.Dictionary({}, signature="ss"), dbus.Array([], signature="s"),
                      dbus.Array([], signature="(ss)"))


def walk_service(w):
    """the service "walksvc" (9100/tcp) of the permanent configuration, made when it is not there"""
    C = FWD + ".config"
    if "walksvc" not in [str(n) for n in root_ok(FWD, FWD_ROOT + "/config", C, "getServiceNames")]:
        root_ok(FWD, FWD_ROOT + "/config", C, "addService2", "sa{sv}", "walksvc",
                dbus.Dictionary(WALK_SERVICE, signature="sv"))


def service_object(w, name="walksvc"):
    """the object of a service of the permanent configuration ("walksvc": made first when it is not there)"""
    if name == "walksvc":
        walk_service(w)
    return str(root_ok(FWD, FWD_ROOT + "/config", FWD + ".config", "getServiceByName", "s", name))


def service_call(method, sig="", *args, name="walksvc"):
    return lambda w: root_ok(FWD, service_object(w, name), FWD + ".config.service", method, sig, *args)


def service_fixtures():
    """firewalld's services of the permanent configuration: config's addService and addService2, each one's object"""
    C, CS = FWD + ".config", FWD + ".config.service"
    obj = service_object
    fx = [
        Fx(C + ".addService2", FWD_ROOT + "/config", "sa{sv}", ("walksvc2", dbus.Dictionary(WALK_SERVICE, signature="sv")),
           FCONFIG, cleanup=service_call("remove", name="walksvc2")),
        Fx(C + ".addService", FWD_ROOT + "/config", "s" + SERVICE_TUPLE, ("walksvc3", WALK_SERVICE_TUPLE), FCONFIG,
           cleanup=service_call("remove", name="walksvc3")),
        Fx(CS + ".getSettings", obj, "", (), FCONFIG),
        Fx(CS + ".update", obj, SERVICE_TUPLE, (WALK_SERVICE_TUPLE,), FCONFIG),
        Fx(CS + ".update2", obj, "a{sv}", (dbus.Dictionary({"description": "walked"}, signature="sv"),), FCONFIG,
           cleanup=service_call("setDescription", "s", "")),
        Fx(CS + ".remove", obj, "", (), FCONFIG, cleanup=walk_service),
        Fx(CS + ".rename", obj, "s", ("walked",), FCONFIG,
           cleanup=service_call("rename", "s", "walksvc", name="walked")),
        Fx(CS + ".loadDefaults", lambda w: service_object(w, "ssh"), "", (), FCONFIG,
           setup=service_call("addPort", "ss", "2222", "tcp", name="ssh")),
        Fx(CS + ".getDestinations", obj, "", (), FCONFIG),
        Fx(CS + ".setDestinations", obj, "a{ss}", (dbus.Dictionary({"ipv4": "10.0.0.0/8"}, signature="ss"),), FCONFIG,
           cleanup=service_call("setDestinations", "a{ss}", dbus.Dictionary({}, signature="ss"))),
        Fx(CS + ".getDestination", obj, "s", ("ipv4",), FCONFIG,
           setup=service_call("setDestination", "ss", "ipv4", "10.0.0.0/8"),
           cleanup=service_call("removeDestination", "s", "ipv4")),
        Fx(CS + ".setDestination", obj, "ss", ("ipv4", "10.1.0.0/16"), FCONFIG,
           cleanup=service_call("removeDestination", "s", "ipv4")),
        Fx(CS + ".removeDestination", obj, "s", ("ipv4",), FCONFIG,
           setup=service_call("setDestination", "ss", "ipv4", "10.0.0.0/8")),
        Fx(CS + ".queryDestination", obj, "ss", ("ipv4", "10.0.0.0/8"), FCONFIG),
    ]
    for field, value in (("Version", "1"), ("Short", "Walked"), ("Description", "walked")):
        fx += [Fx(f"{CS}.get{field}", obj, "", (), FCONFIG),
               Fx(f"{CS}.set{field}", obj, "s", (value,), FCONFIG, cleanup=service_call("set" + field, "s", ""))]
    lists = {"Port": (("9101", "tcp"), ("9102", "tcp")), "Protocol": (("gre",), ("igmp",)),
             "SourcePort": (("5353", "udp"), ("5354", "udp")), "Include": (("ssh",), ("http",))}
    for what, (new, old) in lists.items():
        sig = "s" * len(new)
        element = "(ss)" if len(new) == 2 else "s"
        fresh = lambda values, element=element: dbus.Array(
            [dbus.Struct(v, signature="ss") if element == "(ss)" else v for v in values], signature=element)
        fx += [
            Fx(f"{CS}.add{what}", obj, sig, new, FCONFIG, cleanup=service_call("remove" + what, sig, *new)),
            Fx(f"{CS}.remove{what}", obj, sig, old, FCONFIG, setup=service_call("add" + what, sig, *old)),
            Fx(f"{CS}.query{what}", obj, sig, new, FCONFIG),
            Fx(f"{CS}.get{what}s", obj, "", (), FCONFIG),
            Fx(f"{CS}.set{what}s", obj, "a" + element, (fresh([new if len(new) == 2 else new[0]]),), FCONFIG,
               cleanup=service_call("set" + what + "s", "a" + element,
                                    fresh([("9100", "tcp")]) if what == "Port" else fresh([]))),
        ]
    return fx


def ipset_fixtures():
    """firewalld's ipsets: the runtime ones' entries, the permanent ones by name, and each one's object"""
    I, C, CI = FWD + ".ipset", FWD + ".config", FWD + ".config.ipset"
    run = lambda method, *args: lambda w: root_ok(FWD, FWD_ROOT, I, method, "s" * len(args), *args)
    obj = ipset_object
    fx = [
        Fx(I + ".getIPSetSettings", FWD_ROOT, "s", ("walk",), FCONFIG_INFO, setup=walk_ipset),
        Fx(I + ".addEntry", FWD_ROOT, "ss", ("walk", "192.0.2.50"), FCONFIG, setup=walk_ipset,
           cleanup=run("removeEntry", "walk", "192.0.2.50")),
        Fx(I + ".removeEntry", FWD_ROOT, "ss", ("walk", "192.0.2.51"), FCONFIG,
           setup=lambda w: (walk_ipset(w), run("addEntry", "walk", "192.0.2.51")(w))),
        Fx(I + ".setEntries", FWD_ROOT, "sas", ("walk", dbus.Array(["192.0.2.1", "192.0.2.52"], signature="s")),
           FCONFIG, setup=walk_ipset,
           cleanup=lambda w: root_ok(FWD, FWD_ROOT, I, "setEntries", "sas", "walk", ["192.0.2.1"])),
        Fx(C + ".getIPSetNames", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".listIPSets", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".getIPSetByName", FWD_ROOT + "/config", "s", ("walk",), FCONFIG, setup=walk_ipset),
        Fx(C + ".addIPSet", FWD_ROOT + "/config", "s(ssssa{ss}as)", ("walk2", WALK_IPSET), FCONFIG,
           cleanup=lambda w: root_ok(FWD, ipset_object(w, "walk2"), CI, "remove")),
        Fx(CI + ".update", obj, "(ssssa{ss}as)", (("", "", "walked", *WALK_IPSET[3:]),), FCONFIG,
           cleanup=ipset_call("update", "(ssssa{ss}as)", WALK_IPSET)),
        Fx(CI + ".remove", obj, "", (), FCONFIG, cleanup=walk_ipset),
        Fx(CI + ".rename", obj, "s", ("walked",), FCONFIG,
           cleanup=lambda w: root_ok(FWD, ipset_object(w, "walked"), CI, "rename", "s", "walk")),
        Fx(CI + ".addOption", obj, "ss", ("maxelem", "100"), FCONFIG,
           cleanup=ipset_call("removeOption", "s", "maxelem")),
        Fx(CI + ".removeOption", obj, "s", ("maxelem",), FCONFIG,
           setup=ipset_call("addOption", "ss", "maxelem", "100")),
        Fx(CI + ".queryOption", obj, "ss", ("family", "inet"), FCONFIG),
        Fx(CI + ".setOptions", obj, "a{ss}", (dbus.Dictionary({"maxelem": "100"}, signature="ss"),), FCONFIG,
           cleanup=ipset_call("setOptions", "a{ss}", dbus.Dictionary({}, signature="ss"))),
        Fx(CI + ".setType", obj, "s", ("hash:net",), FCONFIG, cleanup=ipset_call("setType", "s", "hash:ip")),
        Fx(CI + ".addEntry", obj, "s", ("192.0.2.60",), FCONFIG, cleanup=ipset_call("removeEntry", "s", "192.0.2.60")),
        Fx(CI + ".removeEntry", obj, "s", ("192.0.2.61",), FCONFIG,
           setup=ipset_call("addEntry", "s", "192.0.2.61")),
        Fx(CI + ".queryEntry", obj, "s", ("192.0.2.1",), FCONFIG),
        Fx(CI + ".setEntries", obj, "as", (dbus.Array(["192.0.2.1", "192.0.2.62"], signature="s"),), FCONFIG,
           cleanup=ipset_call("setEntries", "as", dbus.Array(["192.0.2.1"], signature="s"))),
    ]
    for field, value in (("Version", "1"), ("Short", "Walk"), ("Description", "walked")):
        fx += [Fx(f"{CI}.get{field}", obj, "", (), FCONFIG),
               Fx(f"{CI}.set{field}", obj, "s", (value,), FCONFIG, cleanup=ipset_call("set" + field, "s", ""))]
    fx += [Fx(f"{CI}.{m}", obj, "", (), FCONFIG) for m in ("getSettings", "getType", "getOptions", "getEntries")]
    return fx


def walk_policy(w):
    """the permanent policy "walk" (from ANY to HOST, nothing else), made when it is not there"""
    C = FWD + ".config"
    if "walk" not in [str(n) for n in root_ok(FWD, FWD_ROOT + "/config", C, "getPolicyNames")]:
        root_ok(FWD, FWD_ROOT + "/config", C, "addPolicy", "sa{sv}", "walk",
                dbus.Dictionary({"ingress_zones": dbus.Array(["ANY"], signature="s"),
                                 "egress_zones": dbus.Array(["HOST"], signature="s")}, signature="sv"))


def policy_object(w, name="walk"):
    """the object of a permanent policy ("walk": made first when it is not there)"""
    if name == "walk":
        walk_policy(w)
    return str(root_ok(FWD, FWD_ROOT + "/config", FWD + ".config", "getPolicyByName", "s", name))


def settings(**values):
    return dbus.Dictionary({k: dbus.Array(v, signature="s") if isinstance(v, list) else v for k, v in values.items()},
                           signature="sv")


def policy_fixtures():
    """firewalld's policies: the runtime ones' settings, the permanent ones by name, and each one's object"""
    P, C, CP = FWD + ".policy", FWD + ".config", FWD + ".config.policy"
    builtin = lambda w: policy_object(w, "allow-host-ipv6")
    return [
        Fx(FWD + ".getIcmpTypeSettings", FWD_ROOT, "s", ("echo-request",), FCONFIG_INFO),
        Fx(P + ".getPolicySettings", FWD_ROOT, "s", ("allow-host-ipv6",), FCONFIG_INFO),
        Fx(P + ".setPolicySettings", FWD_ROOT, "sa{sv}", ("allow-host-ipv6", settings(services=["http"])), FCONFIG,
           cleanup=lambda w: root_ok(FWD, FWD_ROOT, P, "setPolicySettings", "sa{sv}", "allow-host-ipv6",
                                     settings(services=[]))),
        Fx(C + ".getPolicyNames", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".listPolicies", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(C + ".getPolicyByName", FWD_ROOT + "/config", "s", ("allow-host-ipv6",), FCONFIG),
        Fx(C + ".addPolicy", FWD_ROOT + "/config", "sa{sv}", ("walk2", settings()), FCONFIG,
           cleanup=lambda w: root_ok(FWD, policy_object(w, "walk2"), CP, "remove")),
        Fx(CP + ".getSettings", policy_object, "", (), FCONFIG),
        Fx(CP + ".update", policy_object, "a{sv}", (settings(description="walked"),), FCONFIG,
           cleanup=lambda w: root_ok(FWD, policy_object(w), CP, "update", "a{sv}", settings(description=""))),
        Fx(CP + ".remove", policy_object, "", (), FCONFIG, cleanup=walk_policy),
        Fx(CP + ".rename", policy_object, "s", ("walked",), FCONFIG,
           cleanup=lambda w: root_ok(FWD, policy_object(w, "walked"), CP, "rename", "s", "walk")),
        Fx(CP + ".loadDefaults", builtin, "", (), FCONFIG,
           setup=lambda w: root_ok(FWD, builtin(w), CP, "update", "a{sv}", settings(services=["http"]))),
    ]


def builtin_object(kind, name):
    """the config object of firewalld's ICMP type or helper name (nftbus's built-in ones)"""
    by_name = {"icmptype": "getIcmpTypeByName", "helper": "getHelperByName"}[kind]
    return lambda w: str(root_ok(FWD, FWD_ROOT + "/config", FWD + ".config", by_name, "s", name))


def builtin_object_fixtures():
    """firewalld's ICMP types and helpers: the main interface's helpers, config's by name, each one's object read (an
    ICMP type's changes are not offered; a helper's: helper_fixtures())"""
    C, CI, CH = FWD + ".config", FWD + ".config.icmptype", FWD + ".config.helper"
    icmp, ftp = builtin_object("icmptype", "echo-request"), builtin_object("helper", "ftp")
    fx = [
        Fx(FWD + ".getHelperSettings", FWD_ROOT, "s", ("ftp",), FCONFIG_INFO),
        Fx(FWD + ".getAutomaticHelpers", FWD_ROOT, "", (), FCONFIG_INFO),
        Fx(FWD + ".setAutomaticHelpers", FWD_ROOT, "s", ("no",), FCONFIG),
        Fx(C + ".getIcmpTypeByName", FWD_ROOT + "/config", "s", ("echo-request",), FCONFIG),
        Fx(C + ".getHelperByName", FWD_ROOT + "/config", "s", ("ftp",), FCONFIG),
        Fx(CI + ".queryDestination", icmp, "s", ("ipv4",), FCONFIG),
        Fx(CH + ".queryFamily", ftp, "s", ("ipv4",), FCONFIG),
        Fx(CH + ".queryModule", ftp, "s", ("nf_conntrack_ftp",), FCONFIG),
        Fx(CH + ".queryPort", ftp, "ss", ("21", "tcp"), FCONFIG),
    ]
    fx += [Fx(C + "." + m, FWD_ROOT + "/config", "", (), FCONFIG)
           for m in ("listIcmpTypes", "getIcmpTypeNames", "listHelpers", "getHelperNames")]
    fx += [Fx(CI + "." + m, icmp, "", (), FCONFIG)
           for m in ("getSettings", "getVersion", "getShort", "getDescription", "getDestinations")]
    fx += [Fx(CH + "." + m, ftp, "", (), FCONFIG)
           for m in ("getSettings", "getVersion", "getShort", "getDescription", "getFamily", "getModule", "getPorts")]
    return fx


WALK_HELPER = ("", "Walk", "", "", "nf_conntrack_ftp",
               dbus.Array([dbus.Struct(("2121", "tcp"), signature="ss")], signature="(ss)"))


def walk_helper(w):
    """the admin's helper "walkh" (ftp on 2121/tcp) of the permanent configuration, made when it is not there"""
    C = FWD + ".config"
    if "walkh" not in [str(n) for n in root_ok(FWD, FWD_ROOT + "/config", C, "getHelperNames")]:
        root_ok(FWD, FWD_ROOT + "/config", C, "addHelper", "s(sssssa(ss))", "walkh", WALK_HELPER)


def helper_object(w, name="walkh"):
    """the object of a helper of the permanent configuration ("walkh": made first when it is not there)"""
    if name == "walkh":
        walk_helper(w)
    return builtin_object("helper", name)(w)


def helper_call(method, sig="", *args, name="walkh"):
    return lambda w: root_ok(FWD, helper_object(w, name), FWD + ".config.helper", method, sig, *args)


def helper_fixtures():
    """an admin's helpers: config's addHelper, each one's changes (a built-in one's defaults loaded again)"""
    C, CH = FWD + ".config", FWD + ".config.helper"
    obj, ports = helper_object, lambda *p: dbus.Array([dbus.Struct(x, signature="ss") for x in p], signature="(ss)")
    fx = [
        Fx(C + ".addHelper", FWD_ROOT + "/config", "s(sssssa(ss))", ("walkh2", WALK_HELPER), FCONFIG,
           cleanup=helper_call("remove", name="walkh2")),
        Fx(CH + ".update", obj, "(sssssa(ss))", (("", "", "walked", "", "nf_conntrack_ftp", ports(("2121", "tcp"))),),
           FCONFIG, cleanup=helper_call("setDescription", "s", "")),
        Fx(CH + ".remove", obj, "", (), FCONFIG, cleanup=walk_helper),
        Fx(CH + ".rename", obj, "s", ("walkedh",), FCONFIG, cleanup=helper_call("rename", "s", "walkh", name="walkedh")),
        Fx(CH + ".loadDefaults", lambda w: helper_object(w, "ftp"), "", (), FCONFIG,
           setup=helper_call("setDescription", "s", "changed", name="ftp")),
        Fx(CH + ".setFamily", obj, "s", ("ipv4",), FCONFIG, cleanup=helper_call("setFamily", "s", "")),
        Fx(CH + ".setModule", obj, "s", ("nf_conntrack_sip",), FCONFIG,
           cleanup=helper_call("setModule", "s", "nf_conntrack_ftp")),
        Fx(CH + ".addPort", obj, "ss", ("2122", "tcp"), FCONFIG, cleanup=helper_call("removePort", "ss", "2122", "tcp")),
        Fx(CH + ".removePort", obj, "ss", ("2123", "tcp"), FCONFIG,
           setup=helper_call("addPort", "ss", "2123", "tcp")),
        Fx(CH + ".setPorts", obj, "a(ss)", (ports(("2124", "tcp")),), FCONFIG,
           cleanup=helper_call("setPorts", "a(ss)", ports(("2121", "tcp")))),
    ]
    fx += [Fx(f"{CH}.set{field}", obj, "s", (value,), FCONFIG, cleanup=helper_call("set" + field, "s", ""))
           for field, value in (("Version", "1"), ("Short", "Walked"), ("Description", "walked"))]
    return fx


LOCKDOWN_NOT_SUPPORTED = (FWD + ".Exception", "NOT_SUPPORTED: lockdown: nftbus authorises every call with polkit "
                          "alone; write a polkit rule to restrict who may change the firewall (org.nftbus.Firewall1(5))")


def lockdown_fixtures():
    """firewalld's lockdown, which nftbus has not (polkit decides): its queries under firewalld's actions, answered
    off and empty; turning it on and adding to its whitelist NOT_SUPPORTED, removing firewalld's NOT_ENABLED"""
    P, CP = FWD + ".policies", FWD + ".config.policies"
    not_enabled = lambda text: (FWD + ".Exception", "NOT_ENABLED: " + text)
    fx = [
        Fx(P + ".queryLockdown", FWD_ROOT, "", (), FPOLICIES_INFO),
        Fx(P + ".enableLockdown", FWD_ROOT, "", (), FPOLICIES, answers=LOCKDOWN_NOT_SUPPORTED),
        Fx(P + ".disableLockdown", FWD_ROOT, "", (), FPOLICIES, answers=not_enabled("disable_lockdown()")),
        Fx(CP + ".getLockdownWhitelist", FWD_ROOT + "/config", "", (), FCONFIG),
        Fx(CP + ".setLockdownWhitelist", FWD_ROOT + "/config", "(asasasai)",
           (dbus.Struct((dbus.Array([], "s"), dbus.Array([], "s"), dbus.Array([], "s"), dbus.Array([], "i")),
                        signature="asasasai"),), FCONFIG, answers=LOCKDOWN_NOT_SUPPORTED),
    ]
    for noun, sig, value in (("Command", "s", "/usr/bin/firewall-cmd"), ("Context", "s", "system_u:system_r:x"),
                             ("User", "s", "root"), ("Uid", "i", 0)):
        for iface, path, change, read in ((P, FWD_ROOT, FPOLICIES, FPOLICIES_INFO),
                                          (CP, FWD_ROOT + "/config", FCONFIG, FCONFIG)):
            fx += [
                Fx(f"{iface}.addLockdownWhitelist{noun}", path, sig, (value,), change, answers=LOCKDOWN_NOT_SUPPORTED),
                Fx(f"{iface}.removeLockdownWhitelist{noun}", path, sig, (value,), change,
                   answers=not_enabled(f'{noun} "{value}" not in whitelist.')),
                Fx(f"{iface}.queryLockdownWhitelist{noun}", path, sig, (value,), read),
                Fx(f"{iface}.getLockdownWhitelist{noun}s", path, "", (), read),
            ]
    return fx


DIRECT_NOT_SUPPORTED = (FWD + ".Exception", "NOT_SUPPORTED: direct rules: nftbus has no iptables to pass them to; "
                        "write a rich rule, or a rule of nftbus's own tables (nftbusctl)")


def direct_fixtures():
    """firewalld's direct rules, which nftbus has not: its readings under firewalld's actions, answered empty;
    adding NOT_SUPPORTED, removing one NOT_ENABLED, removing all done"""
    D, CD = FWD + ".direct", FWD + ".config.direct"
    rule = ("ipv4", "filter", "INPUT", 0, dbus.Array(["-j", "ACCEPT"], signature="s"))
    chain = ("ipv4", "filter", "walk")
    through = ("ipv4", dbus.Array(["-L"], signature="s"))
    gone = lambda what: (FWD + ".Exception", f"NOT_ENABLED: the {what} is not there: nftbus has no direct rules, "
                         "chains or passthroughs")
    fx = [Fx(D + ".passthrough", FWD_ROOT, "sas", through, FDIRECT, answers=DIRECT_NOT_SUPPORTED),
          Fx(D + ".removeAllPassthroughs", FWD_ROOT, "", (), FDIRECT),
          Fx(CD + ".getSettings", FWD_ROOT + "/config", "", (), FCONFIG),
          Fx(CD + ".update", FWD_ROOT + "/config", "(a(sss)a(sssias)a(sas))",
             (dbus.Struct((dbus.Array([], "(sss)"), dbus.Array([], "(sssias)"), dbus.Array([], "(sas)")),
                          signature="a(sss)a(sssias)a(sas)"),), FCONFIG)]
    for iface, path, change, read in ((D, FWD_ROOT, FDIRECT, FDIRECT_INFO),
                                      (CD, FWD_ROOT + "/config", FCONFIG, FCONFIG)):
        fx += [
            Fx(iface + ".addChain", path, "sss", chain, change, answers=DIRECT_NOT_SUPPORTED),
            Fx(iface + ".removeChain", path, "sss", chain, change, answers=gone("chain")),
            Fx(iface + ".queryChain", path, "sss", chain, read),
            Fx(iface + ".getChains", path, "ss", chain[:2], read),
            Fx(iface + ".getAllChains", path, "", (), read),
            Fx(iface + ".addRule", path, "sssias", rule, change, answers=DIRECT_NOT_SUPPORTED),
            Fx(iface + ".removeRule", path, "sssias", rule, change, answers=gone("rule")),
            Fx(iface + ".removeRules", path, "sss", rule[:3], change),
            Fx(iface + ".queryRule", path, "sssias", rule, read),
            Fx(iface + ".getRules", path, "sss", rule[:3], read),
            Fx(iface + ".getAllRules", path, "", (), read),
            Fx(iface + ".addPassthrough", path, "sas", through, change, answers=DIRECT_NOT_SUPPORTED),
            Fx(iface + ".removePassthrough", path, "sas", through, change, answers=gone("passthrough")),
            Fx(iface + ".queryPassthrough", path, "sas", through, read),
            Fx(iface + ".getPassthroughs", path, "s", ("ipv4",), read),
            Fx(iface + ".getAllPassthroughs", path, "", (), read),
        ]
    return fx


# --- the contract ---


def contract_methods():
    """(interface, method) of every method in introspection/, nftbus's and firewalld's, and its in signature"""
    out = {}
    for xml in sorted((SOURCE / "introspection").glob("*.xml")):
        for iface in ET.parse(xml).getroot().iter("interface"):
            for m in iface.iter("method"):
                out[(iface.get("name"), m.get("name"))] = "".join(
                    a.get("type") for a in m.iter("arg") if a.get("direction", "in") == "in")
    return out


def zero_args(signature):
    """a value of each complete type of SIGNATURE: "", 0, false, empty containers, structs of such"""
    def one(sig, i):
        c = sig[i]
        if c == "a":
            if sig[i + 1] == "{":
                end = element_end(sig, i + 1)
                return dbus.Dictionary({}, signature=sig[i + 2:end - 1]), end
            end = element_end(sig, i + 1)
            return dbus.Array([], signature=sig[i + 1:end]), end
        if c == "(":
            values, k = [], i + 1
            while sig[k] != ")":
                v, k = one(sig, k)
                values.append(v)
            return dbus.Struct(values), k + 1
        if c == "v":
            return dbus.String(""), i + 1
        return {"s": "", "o": "/", "g": "", "b": False}.get(c, 0), i + 1

    def element_end(sig, i):
        if sig[i] == "a":
            return element_end(sig, i + 1)
        if sig[i] in "({":
            depth, k = 0, i
            while True:
                depth += sig[k] in "({"
                depth -= sig[k] in ")}"
                k += 1
                if depth == 0:
                    return k
        return i + 1

    values, i = [], 0
    while i < len(signature):
        v, i = one(signature, i)
        values.append(v)
    return values


def walk_not_offered(methods, callers):
    """firewalld's methods that nftbus does not offer: each answers NOT_SUPPORTED to every caller, root too,
    before polkit and changing nothing (a method implemented without a fixture here fails this)"""
    if any(i == FWD + ".config.ipset" for i, _ in methods):
        walk_ipset(None)  # an ipset object to call
    for (iface, method), sig in sorted(methods.items()):
        name = f"{iface.replace(FWD, 'FirewallD1')}.{method}"
        # a zone's and a service's interfaces on the first of their objects, config's on /config
        path = FWD_ROOT + {FWD + ".config.zone": "/config/zone/0", FWD + ".config.service": "/config/service/0",
                           FWD + ".config.ipset": "/config/ipset/0", FWD + ".config.icmptype": "/config/icmptype/0",
                           FWD + ".config.helper": "/config/helper/0"}.get(
            iface, "/config" if iface.startswith(FWD + ".config") else "")
        expected = (FWD + ".Exception", f"NOT_SUPPORTED: {iface}.{method} is not offered by nftbus")
        before = snapshot()
        got = [(who, as_caller(caller, FWD, path, iface, method, sig, zero_args(sig))) for who, caller in callers]
        got.append(("root", as_root(FWD, path, iface, method, sig, *zero_args(sig))))
        wrong = [f"{who}: {g}" for who, g in got if g != expected]
        ok(not wrong, f"{name}: not offered: NOT_SUPPORTED to {', '.join(w for w, _ in got)}", *wrong)
        after = snapshot()
        ok(before == after, f"{name}: and nothing changed", *([diff(before, after)] if before != after else []))


def read_methods():
    """the methods whose action is reading, as the walk knows them: they are left out"""
    reads = {("Manager", m) for m in ("ListTables", "GetTable", "GetChain", "GetSet", "GetMap", "GetCounter",
                                      "GetQuota", "GetLimit", "GetFlowtable", "GetObject", "Export", "ExportToFd",
                                      "ListZones", "GetZoneOfInterface", "GetZoneOfSource", "ListServices",
                                      "GetService")}
    reads |= {("Chain", "ListRules"), ("Chain", "ListRulesJSON"), ("Object", "Describe"), ("Sysctl", "Get"),
              ("Zone", "GetPermanent"), ("Manager", "ListIPSets"), ("IPSet", "GetPermanent"), ("IPSet", "GetEntries"),
              ("Manager", "ListPolicies"), ("Policy", "GetPermanent"),
              ("IPSet", "HasEntry"),
              ("Sysctl", "List"), ("NAT", "List"), ("Preset", "Preview")}
    for kind in ("Set", "Map"):
        reads |= {(kind, m) for m in ("ListElements", "ListElementsToFd", "ListElementsRange", "ListElementsDetailed",
                                      "ListElementsDetailedToFd", "HasElement")}
    out = {(N + i, m) for i, m in reads}
    out |= {(FWD, m) for m in ("getDefaultZone", "queryPanicMode", "listServices", "listIcmpTypes", "getHelpers")}
    out |= {(FWD + ".zone", m) for m in ("getZones", "getActiveZones", "getZoneOfInterface", "getZoneOfSource")}
    out |= {(FWD + ".ipset", m) for m in ("getIPSets", "queryIPSet", "queryEntry", "getEntries")}
    out |= {(FWD + ".policy", m) for m in ("getPolicies", "getActivePolicies")}
    return out


# --- TAP ---

_n = 0
_failed = 0


def ok(good, description, *diag):
    global _n, _failed
    _n += 1
    if not good:
        _failed += 1
    print(f"{'ok' if good else 'not ok'} {_n} - {description}")
    for d in diag:
        for line in str(d).splitlines():
            print(f"# {line}")
    sys.stdout.flush()


def skip(description, why):
    global _n
    _n += 1
    print(f"ok {_n} - {description} # SKIP {why}")


def diff(a, b):
    return "\n".join(list(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", lineterm=""))[:40])


def kernel_has_flowtables():
    return os.environ.get("NFTBUS_KERNEL_FLOWTABLES") == "yes"


def bus_denied(conf):
    """the members the bus policy CONF denies to callers outside its group"""
    return {m.get("send_member") for m in ET.parse(conf).getroot().iter("deny") if m.get("send_member")}


def run_fixture(w, f, callers, allowed, refusal):
    """one fixture: each caller's call allowed when allowed(f, details, who) says so, else refused as
    refusal(f, who) says and nothing changed; then root's same call succeeds (so that a refusal was not a bad
    argument's)"""
    name = f"{f.iface.replace(N, '').replace(FWD, 'FirewallD1')}.{f.method}"
    no_flowtables = f.needs == "flowtables" and not kernel_has_flowtables()
    kernel_refusal = ("org.nftbus.Firewall1.Error.NotFound", "Error: Could not process rule: No such file or directory")
    if no_flowtables and f.method == "Delete":
        skip(f"{name}: refused to {', '.join(c[0] for c in callers)}",
             "this kernel has no flowtables (CONFIG_NF_FLOW_TABLE): no flowtable object to call")
        return
    w.zones_on(f.zones)
    w.reset_table()
    if f.setup:
        f.setup(w)
    before = None  # what a refused call leaves is what the next caller starts from
    for who, caller in callers:
        path, args = f.resolve(w)
        before = before or snapshot()
        got = as_caller(caller, f.dest, path, f.iface, f.method, f.sig, args)
        after = snapshot()
        details = f.details(w, path, args)
        if allowed(f, details, who):
            expected = kernel_refusal if no_flowtables else ("ok", None)
            ok(got == expected, f"{name} {details}: {who} may, as the rule says" +
               (" (and the kernel, without flowtables, refuses)" if no_flowtables else ""),
               *([f"expected: {expected}", f"actual:   {got}"] if got != expected else []))
            if f.cleanup and got[0] == "ok":
                f.cleanup(w)
            w.reset_table()
            if f.setup:
                f.setup(w)
            before = None
            continue
        expected = refusal(f, who)
        good = got == expected if expected[1] is not None else got[0] == expected[0]
        ok(good, f"{name}: refused to {who} with {expected[0].rsplit('.', 1)[1]}" +
           (f" naming {f.action}" if expected[1] else " (the bus's policy)"),
           *([f"expected: {expected}", f"actual:   {got}"] if not good else []))
        ok(before == after, f"{name}: {who}'s refused call changed nothing", *([diff(before, after)]
                                                                               if before != after else []))
        before = after
    path, args = f.resolve(w)
    got = as_root(f.dest, path, f.iface, f.method, f.sig, *args)
    if no_flowtables:
        ok(got == kernel_refusal, f"{name}: root's call reaches the kernel, which has no flowtables: {kernel_refusal[0]}",
           *([f"actual: {got}"] if got != kernel_refusal else []))
    elif f.answers[0] != "ok":
        ok(got == f.answers, f"{name}: root's same call passes polkit and answers {f.answers[1]}",
           *([f"actual: {got}"] if got != f.answers else []))
    else:
        ok(got[0] == "ok", f"{name}: root's same call succeeds (the refusal was polkit's)",
           *([got] if got[0] != "ok" else []))
    if f.cleanup and got[0] == "ok":
        f.cleanup(w)


def walk(mode):
    nobody = ("nobody", NOBODY)
    user = ("the test user", (TEST_UID, TEST_UID, list(os.getgrouplist("nftbus-test", TEST_UID))))
    fixtures = nftbus_fixtures() + firewalld_fixtures()

    covered = {(f.iface, f.method) for f in fixtures}
    reads = read_methods()
    contract = contract_methods()
    unwalked = {k: sig for k, sig in contract.items() if k not in covered and k not in reads}
    # firewalld's methods without a fixture are those nftbus does not offer: the refused walk proves it
    not_offered = {k: sig for k, sig in unwalked.items() if k[0] == FWD or k[0].startswith(FWD + ".")}
    missing = [f"{i}.{m}" for i, m in unwalked if (i, m) not in not_offered]
    ok(not missing, "every method of introspection/ has a fixture here, or is a read, or is firewalld's and not "
       "offered", *(f"no fixture: {m}" for m in missing))
    stale = sorted(f"{i}.{m}" for i, m in (covered | reads) - set(contract))
    ok(not stale, "and every fixture is of a method the contract has", *stale)

    def polkit_refusal(f, who):
        if f.dest == FWD:
            return (FWD + ".NotAuthorizedException", f"Not Authorized(polkit): {f.action}")
        return ("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
                f"Interactive authentication required for {f.action}")

    # polkit/examples/50-nftbus-delegate-table.rules, 50-nftbus-fail2ban.rules and 50-nftbus-zone-home.rules,
    # as they read (a call that asks polkit twice, a Change*, needs both yes)
    def delegated(f, d, who):
        if who != "the test user":  # the one in the groups the rules name
            return False
        if f.action == TABLES and d.get("family") == "inet" and d.get("table") == "delegated":
            return True
        if f.action == ZONES and d.get("zone") == "home" and d.get("from", "home") == "home":
            return True
        return (f.action == ELEMENTS and d.get("family") == "inet" and d.get("table") == "filter" and
                d.get("set") == "blocklist")

    if mode == "refused":
        worlds, callers, allowed, refusal = [World()], [nobody, user], lambda f, d, who: False, polkit_refusal
    elif mode == "delegates":
        worlds, callers, allowed, refusal = [World("delegated", zone="home"), World("filter", "blocklist")], [user], \
            delegated, polkit_refusal
        fixtures = [f for f in fixtures if f.dest == BUS]
    else:
        # units/examples' read policy: what it denies at the bus, nobody (outside its group netops) meets there
        denied = bus_denied(SOURCE / "units/examples/org.nftbus.Firewall1.restrict-reading.conf")

        def refusal(f, who):
            if who == "nobody" and f.dest == BUS and f.method in denied:
                return ("org.freedesktop.DBus.Error.AccessDenied", None)
            return polkit_refusal(f, who)
        worlds, callers, allowed = [World("delegated", zone="home"), World("filter", "blocklist")], [nobody, user], \
            delegated
    if mode == "refused":
        walk_not_offered(not_offered, callers)
    for w in worlds:
        for f in fixtures:
            try:
                run_fixture(w, f, callers, allowed, refusal)
            except Exception as e:  # a fixture that could not be set up is a failure of the walk
                ok(False, f"{f.iface}.{f.method}: the fixture could be set up and run", repr(e))
    print(f"1..{_n}")
    return _failed == 0


if __name__ == "__main__":
    sys.exit(0 if walk(sys.argv[1]) else 1)
