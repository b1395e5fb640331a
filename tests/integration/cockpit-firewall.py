#!/usr/bin/python3
# Cockpit's firewall page (cockpit-networkmanager's firewall.html, served by cockpit-ws) in headless Chromium, driven
# through ChromeDriver as a person would drive it: real clicks and keystrokes (WebDriver's element click and send
# keys), the dialogs' own buttons. Takes the steps given and prints, after each, what the page shows: the switch,
# every zone's card (interfaces, addresses, services with their ports) and any alert, in a form that two runs
# (firewalld, nftbusd) compare line by line. Each step waits for what it expects to see, or for an alert, then for
# the page to stay the same for two seconds (Cockpit fills a card in as its answers come), each up to a minute (a
# loaded machine).
#
#   cockpit-firewall.py PAGE_URL STEP...
# STEP: show | add-service=ZONE:SERVICE | remove-service=ZONE:SERVICE | ports=ZONE:TCP:UDP |
#       add-zone=ZONE:ADDRESS | remove-zone=ZONE | switch=off | switch=on
# $CHROMEDRIVER_URL: the ChromeDriver to ask (http://127.0.0.1:9515); $CHROME_PROFILE: Chromium's profile folder.
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver's key of an element reference
WAIT = 60.0


class WebDriverError(Exception):
    pass


class Browser:
    """A W3C WebDriver session (the few commands these steps need)."""

    def __init__(self, driver_url, profile):
        self.url = driver_url
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                            "--user-data-dir=" + profile]}
        self.session = self._send("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})["sessionId"]

    def _send(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:
                return json.load(reply)["value"]
        except urllib.error.HTTPError as e:
            raise WebDriverError(json.load(e)["value"].get("message", "").splitlines()[0]) from None

    def command(self, method, path, body=None):
        return self._send(method, f"/session/{self.session}{path}", body)

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        self.wait(f"return document.querySelector({json.dumps(css)}) !== null", css)
        return self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def act(self, css, action, body):
        """ACTION (click, value) on the element CSS finds; found again where React replaced it meanwhile."""
        for attempt in range(10):
            try:
                return self.command("POST", f"/element/{self.find(css)}/{action}", body)
            except WebDriverError as e:
                if "stale element" not in str(e) or attempt == 9:
                    raise
                time.sleep(0.1)

    def click(self, css):
        self.act(css, "click", {})

    def type(self, css, text):
        self.act(css, "value", {"text": text})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.command("GET", "/screenshot")))

    def wait(self, condition, what):
        """Until the script CONDITION returns true, up to a minute; False (and a line saying so) after that."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.js(condition):
                return True
            time.sleep(0.1)
        print(f"timeout: {what}")
        return False

    def quit(self):
        self.command("DELETE", "")


# what the page shows, a line each: the switch, each zone's card, alerts (the page's own and a dialog's)
SHOWN = r"""
const lines = [];
const toggle = document.querySelector('#networking-firewall-switch');
if (toggle) lines.push('switch: ' + (toggle.checked ? 'on' : 'off'));
for (const card of document.querySelectorAll('#zones-listing article')) {
    const text = e => (e ? e.innerText : '').replace(/\s+/g, ' ').trim();
    lines.push('zone: ' + card.dataset.id + ': ' + text(card.querySelector('h2')));
    for (const item of card.querySelectorAll('.zone-section-heading span'))
        lines.push('  ' + text(item));
    for (const row of card.querySelectorAll('table > tbody > tr:not(.pf-c-table__expandable-row)')) {
        const cells = [...row.querySelectorAll('td')].map(text).filter(c => c !== '');
        lines.push('  service: ' + cells.join(' | '));
    }
}
for (const alert of document.querySelectorAll('.pf-c-alert'))
    lines.push('alert: ' + alert.innerText.replace(/\s+/g, ' ').trim());
return lines;
"""


# the page as loaded: its switch there and usable (not while Cockpit still asks polkit whether the user may change
# the firewall: "Not authorized ...", disabled), and the zones listed where the firewall is on
LOADED = """
const toggle = document.querySelector('#networking-firewall-switch');
return toggle !== null && !toggle.disabled && !toggle.getAttribute('aria-label').startsWith('Not authorized')
    && (!toggle.checked || document.querySelector('#zones-listing article') !== null);
"""


def card(zone):
    return f"#zones-listing article[data-id={json.dumps(zone)}]"


def has_row(zone, service):
    return (f"return [...document.querySelectorAll('{card(zone)} tbody > tr td')]"
            f".some(td => td.innerText.trim() === {json.dumps(service)})")


def dialog_closed_or_alert(condition):
    return (f"return (({condition.removeprefix('return ')}) && !document.querySelector('.pf-c-modal-box'))"
            " || document.querySelector('.pf-c-alert.pf-m-danger') !== null")


def close_dialog(browser):
    """A dialog left open by an error: its alert printed, then Cancel."""
    for alert in browser.js("return [...document.querySelectorAll('.pf-c-modal-box .pf-c-alert')]"
                            ".map(a => a.innerText.replace(/\\s+/g, ' ').trim())"):
        print(f"dialog alert: {alert}")
    if browser.js("return document.querySelector('.pf-c-modal-box .btn-cancel') !== null"):
        browser.click(".pf-c-modal-box .btn-cancel")
        browser.wait("return !document.querySelector('.pf-c-modal-box')", "the dialog closed")


def confirm_if_asked(browser, done):
    """A removal's confirmation, where the page asks one: its first button (the removal), and a line saying so."""
    browser.wait(f"return ({done.removeprefix('return ')}) || document.querySelector('.pf-c-modal-box') !== null",
                 "the removal done or a question")
    if browser.js("return document.querySelector('.pf-c-modal-box') !== null"):
        print("asked: " + browser.js("return document.querySelector('.pf-c-modal-box h1').innerText"))
        browser.click(".pf-c-modal-box__footer button:first-child")


def add_service(browser, zone, service):
    browser.click(f"button[aria-label={json.dumps('Add services to zone ' + zone)}]")
    browser.type("#filter-services-input", service)
    browser.click(f"#firewall-service-{service}")
    browser.click("#add-services-dialog .pf-c-modal-box__footer .pf-m-primary")
    browser.wait(dialog_closed_or_alert(has_row(zone, service)), f"{service} listed in {zone}")
    close_dialog(browser)


def remove_service(browser, zone, service):
    row = f"{card(zone)} tbody > tr:has(#expand-toggle{service})"
    browser.click(f"{row} .pf-c-dropdown__toggle")
    browser.click(f"a[aria-label={json.dumps('Remove service ' + service)}]")
    gone = has_row(zone, service).replace("return ", "return !", 1)
    confirm_if_asked(browser, gone)
    browser.wait(dialog_closed_or_alert(gone), f"{service} gone from {zone}")
    close_dialog(browser)


def add_ports(browser, zone, tcp, udp):
    browser.click(f"button[aria-label={json.dumps('Add services to zone ' + zone)}]")
    browser.click("#add-services-dialog--ports")
    if tcp:
        browser.type("#tcp-ports", tcp)
    if udp:
        browser.type("#udp-ports", udp)
    # (the ID left as Cockpit makes it from the ports: custom--TCP-UDP, a port of a known service by its name)
    browser.click("#add-services-dialog .pf-c-modal-box__footer .pf-m-primary")
    browser.wait(dialog_closed_or_alert(has_row(zone, tcp or udp)), f"the ports {tcp or udp} listed in {zone}")
    close_dialog(browser)


def add_zone(browser, zone, address):
    browser.click("#add-zone-button")
    browser.click(f"#add-zone-dialog input#{zone}")
    browser.click("#add-zone-dialog #ip-range")
    browser.type("#add-zone-ip", address)
    browser.click("#add-zone-dialog .pf-c-modal-box__footer .pf-m-primary")
    shown = f"return document.querySelector({json.dumps(card(zone))}) !== null"
    browser.wait(dialog_closed_or_alert(shown), f"the zone {zone} listed")
    close_dialog(browser)


def remove_zone(browser, zone):
    browser.click(f"#dropdown-{zone}")
    browser.click(f"a[aria-label={json.dumps('Remove zone ' + zone)}]")
    gone = f"return document.querySelector({json.dumps(card(zone))}) === null"
    confirm_if_asked(browser, gone)
    browser.wait(dialog_closed_or_alert(gone), f"the zone {zone} gone")
    close_dialog(browser)


def switch(browser, state):
    """Cockpit's switch: off disables and stops firewalld.service, and the page lists no zone once firewalld's name
    is gone from the bus; on enables and starts it, and the zones come back."""
    on = state == "on"
    browser.click("label[for=networking-firewall-switch] .pf-c-switch__toggle")
    browser.wait(f"return document.querySelector('#networking-firewall-switch').checked === {json.dumps(on)}"
                 f" && (document.querySelector('#zones-listing article') !== null) === {json.dumps(on)}",
                 f"the switch {state}")


def settled(browser):
    """What the page shows once it stays the same for two seconds: Cockpit draws a zone's card first and fills in its
    interfaces and services as their answers come (on a loaded machine, a while later); up to a minute"""
    deadline, shown, since = time.monotonic() + WAIT, None, time.monotonic()
    while time.monotonic() < deadline:
        now = browser.js(SHOWN)
        if now != shown:
            shown, since = now, time.monotonic()
        elif time.monotonic() - since >= 2.0:
            return shown
        time.sleep(0.1)
    print("timeout: the page settled")
    return shown


# each step's name, and what it does (its arguments: the step's value, ':' between them)
STEPS = {"show": lambda browser: None, "add-service": add_service, "remove-service": remove_service, "ports": add_ports,
         "add-zone": add_zone, "remove-zone": remove_zone, "switch": switch}


def main():
    url, steps = sys.argv[1], sys.argv[2:]
    browser = Browser(os.environ.get("CHROMEDRIVER_URL", "http://127.0.0.1:9515"),
                      os.environ["CHROME_PROFILE"])
    status = 0
    try:
        browser.open(url)
        browser.wait(LOADED, "the page loaded")
        for step in steps:
            name, _, value = step.partition("=")
            args = value.split(":") if value else []
            print(f"== {step}")
            if name not in STEPS:
                raise SystemExit(f"cockpit-firewall.py: no step {name}")
            STEPS[name](browser, *args)
            for line in settled(browser):
                print(line)
    except WebDriverError as e:
        print(f"webdriver: {e}")
        status = 1
    finally:
        if os.environ.get("COCKPIT_SCREENSHOT"):
            browser.screenshot(os.environ["COCKPIT_SCREENSHOT"])
        browser.quit()
    return status


if __name__ == "__main__":
    sys.exit(main())
