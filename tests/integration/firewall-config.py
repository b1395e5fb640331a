#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Drives firewall-config (firewalld's GTK tool) through its accessibility tree (AT-SPI), as a screen reader
would, and prints what it shows after each step: the windows (an error dialog is one), the zones listed and
the one selected, the services checked in it, the status bar. Run the same against firewalld and against
nftbusd, the two outputs must be equal (test-firewall-config.sh).

    firewall-config.py STEP...

STEP: show; permanent | runtime (the Configuration switch); zone=NAME (select it in the zone list);
toggle=SERVICE (its box in the zone's service list); view=NAME (the View menu's item NAME, a tab shown or
hidden: "ICMP Types", "Helpers"); tab=NAME (the main tab NAME: its list is shown). Every step waits for what it changes to show (polled,
up to a minute on a loaded machine), then prints the window as it then is."""

import sys
import time
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)  # Atspi's action names, all this version has

PATIENCE = 60.0


def wait_for(what, probe):
    """probe() until it returns something true; fails with what after PATIENCE seconds"""
    end = time.monotonic() + PATIENCE
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > end:
            raise SystemExit(f"firewall-config: timed out waiting for {what}")
        time.sleep(0.2)


def walk(node):
    yield node
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child)


def states(node):
    return {Atspi.StateType(s).value_nick for s in node.get_state_set().get_states()}


def application():
    desktop = Atspi.get_desktop(0)
    desktop.clear_cache()  # AT-SPI's copy of the tree, read afresh: no main loop here keeps it current
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_name() == "firewall-config":
            return app
    return None


def do_action(node, name):
    for i in range(node.get_n_actions()):
        if node.get_action_name(i) == name:
            node.do_action(i)
            return
    raise SystemExit(f"firewall-config: {node.get_role_name()} {node.get_name()!r} has no action {name}")


def middle(node):
    e = node.get_extents(Atspi.CoordType.SCREEN)
    return e.x + e.width // 2, e.y + e.height // 2


def click(node, view):
    """a click of the mouse's first button in the middle of node, as a person's (GTK's tree view takes no toggle
    from its accessible actions), the mouse's wheel turned over view until node is in its sight: down, and up
    once down shows nothing new (a row out of sight has no place)"""
    turns = {"b5c": 0, "b4c": 0}

    def in_sight():
        area, cell = view.get_extents(Atspi.CoordType.SCREEN), node.get_extents(Atspi.CoordType.SCREEN)
        if cell.y >= area.y + cell.height and cell.y + cell.height <= area.y + area.height:
            return True
        wheel = "b5c" if turns["b5c"] < 200 else "b4c"
        turns[wheel] += 1
        Atspi.generate_mouse_event(*middle(view), wheel)
        return False
    wait_for("the cell in sight", in_sight)
    Atspi.generate_mouse_event(*middle(node), "b1c")


class Window:
    """firewall-config's main window, read afresh at each look"""

    def __init__(self, app):
        self.app = app
        self.frame = next(n for n in walk(app) if n.get_role_name() == "frame")
        tabs = next(n for n in walk(self.frame) if n.get_role_name() == "page tab" and n.get_name() == "Zones")
        tables = [n for n in walk(tabs) if n.get_role_name() == "table"]
        self.zones, self.services = tables[0], tables[1]
        self.combo = next(n for n in walk(self.frame) if n.get_role_name() == "combo box")
        self.tabs = tabs.get_parent()

    def tab(self, name=None):
        """the main tab named, or the one selected, of those shown (a hidden one is there, not visible)"""
        for i in range(self.tabs.get_child_count()):
            t = self.tabs.get_child_at_index(i)
            if "visible" not in states(t):
                continue
            if (name is None and "selected" in states(t)) or t.get_name() == name:
                return t
        return None

    def tab_list(self):
        """the names in the selected tab's list, when it is another than Zones"""
        t = self.tab()
        if t is None or t.get_name() == "Zones":
            return []
        table = next((n for n in walk(t) if n.get_role_name() == "table"), None)
        return [c.get_name() for c in self.cells(table)] if table else []

    @staticmethod
    def cells(table):
        return [table.get_child_at_index(i) for i in range(table.get_child_count())
                if table.get_child_at_index(i).get_role_name() == "table cell"]

    def zone_names(self):
        return [c.get_name() for c in self.cells(self.zones)]

    def selected_zone(self):
        return next((c.get_name() for c in self.cells(self.zones) if "selected" in states(c)), "")

    def service_rows(self):
        """(name, its box cell) of each row of the zone's service list"""
        cells = self.cells(self.services)
        return [(cells[i + 1].get_name(), cells[i]) for i in range(0, len(cells) - 1, 2)]

    def checked(self):
        return [name for name, box in self.service_rows() if "checked" in states(box)]

    def status(self):
        """the status bar, "Default Zone: public Log Denied: off ...": its labels in their order on screen"""
        labels = [n for n in walk(self.frame) if n.get_role_name() == "label"]
        key = next((n for n in labels if n.get_name() == "Default Zone:"), None)
        if key is None:
            return "?"
        y = key.get_extents(Atspi.CoordType.WINDOW).y
        row = [n for n in labels if n.get_extents(Atspi.CoordType.WINDOW).y == y]
        return " ".join(n.get_name() for n in sorted(row, key=lambda n: n.get_extents(Atspi.CoordType.WINDOW).x))

    def windows(self):
        """the application's windows but the main one: an error dialog, and what it says"""
        out = []
        for i in range(self.app.get_child_count()):
            w = self.app.get_child_at_index(i)
            if w is None or w.get_role_name() == "frame":
                continue
            texts = [n.get_name() for n in walk(w) if n.get_role_name() == "label" and n.get_name()]
            out.append(f"{w.get_role_name()} {w.get_name()!r}: " + " | ".join(texts))
        return out

    def show(self):
        tab = self.tab()
        lines = [f"configuration: {self.combo.get_name()}", f"tab: {tab.get_name() if tab else '?'}"]
        if tab is not None and tab.get_name() != "Zones":
            lines.append("list: " + " ".join(self.tab_list()))
        lines += ["zones: " + " ".join(self.zone_names()), f"selected: {self.selected_zone()}",
                  "services checked: " + " ".join(self.checked()), "status: " + self.status()]
        return "\n".join(lines + ["window: " + w for w in self.windows()])


def settled(look):
    """look() until two looks a moment apart are the same (firewall-config has answered what it asked)"""
    last = None

    def probe():
        nonlocal last
        now = look()
        same, last = now == last, now
        return same and now
    return wait_for("firewall-config to settle", probe)


def main():
    app = wait_for("firewall-config on the accessibility bus", application)
    window = wait_for("firewall-config's zones", lambda: (lambda w: w if "public" in w.zone_names() and
                                                          w.service_rows() else None)(Window(app)))
    for step in sys.argv[1:]:
        key, _, value = step.partition("=")
        if key in ("permanent", "runtime"):
            item = next(n for n in walk(window.combo)
                        if n.get_role_name() == "menu item" and n.get_name().lower() == key)
            do_action(item, "click")
            wait_for(f"the {key} configuration", lambda: window.combo.get_name().lower() == key)
        elif key == "zone":
            cell = wait_for(f"zone {value}", lambda: next((c for c in window.cells(window.zones)
                                                          if c.get_name() == value), None))
            index = next(i for i in range(window.zones.get_child_count())
                         if window.zones.get_child_at_index(i).get_name() == value)
            window.zones.select_child(index)
            wait_for(f"zone {value} selected", lambda: window.selected_zone() == value)
        elif key == "toggle":
            box = next(b for name, b in window.service_rows() if name == value)
            was = "checked" in states(box)
            click(box, window.services)
            wait_for(f"service {value} {'unchecked' if was else 'checked'}",
                     lambda: ("checked" in states(next(b for n, b in window.service_rows() if n == value))) != was)
        elif key == "view":
            menu = next(n for n in walk(window.frame) if n.get_role_name() == "menu" and n.get_name() == "View")
            item = next(n for n in walk(menu) if n.get_name() == value)
            shown = window.tab(value) is not None
            do_action(item, "click")
            wait_for(f"tab {value} {'hidden' if shown else 'shown'}", lambda: (window.tab(value) is None) == shown)
        elif key == "tab":
            index = next(i for i in range(window.tabs.get_child_count())
                         if window.tabs.get_child_at_index(i).get_name() == value)
            window.tabs.select_child(index)
            wait_for(f"tab {value} selected", lambda: window.tab() is not None and window.tab().get_name() == value)
        elif key != "show":
            raise SystemExit(f"firewall-config.py: unknown step {step}")
        print(f"== {step}")
        print(settled(window.show))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
