#!/usr/bin/env python3
"""Opens the coordinator's report in a real browser (headless Chromium) and
checks what a reader gets.

Generates a network (`maillage generate`), writes its plan (`maillage
allocate`) and two reports of it (`maillage report`: the default one, which
allocates again and masks small counts, and one of the written plan with
--plan and --exact-small-counts), then drives Chromium through the DevTools
protocol (a WebSocket client of the standard library below) and checks, for
each page:
  * no console message, exception or log entry of level error;
  * no request but the page's own file:// URL (and data: URLs);
  * the screenshot is not blank, and printing gives A4 pages, at least one
    per territory plus the summary;
  * the figures the page carries (data-field / data-value attributes) are
    those of the plan's summary.json: equal, or, where the page shows
    "< 5", from 1 to 4;
and, as a control that the request and console monitors work, that an image
the page is made to load from elsewhere is refused (CSP) and seen.
Prints the file sizes and the open times (navigation to the load event).

Usage: check_report.py --maillage BUILD/maillage [--generate "ARGS"]
         [--report-args "ARGS"] [--work DIR] [--json FILE] [--keep]
Exit 0 when every check passes, 1 otherwise, 77 when no Chromium is found
(ctest SKIP_RETURN_CODE). Standard library only.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77


# --- A minimal WebSocket client (RFC 6455), text frames only -------------

class WebSocket:
    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, host, port, path, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
             ).encode())
        self.buf = bytearray()
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("WebSocket handshake: connection closed")
            self.buf += chunk
        end = self.buf.index(b"\r\n\r\n")
        head = bytes(self.buf[:end]).decode("latin-1")
        del self.buf[:end + 4]
        if not head.startswith("HTTP/1.1 101"):
            raise ConnectionError("WebSocket handshake refused: " +
                                  head.splitlines()[0])
        accept = base64.b64encode(
            hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if accept not in head:
            raise ConnectionError("WebSocket handshake: bad accept key")

    def send(self, text, opcode=0x1):
        payload = text.encode() if isinstance(text, str) else text
        n = len(payload)
        header = bytearray([0x80 | opcode])
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + masked)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("WebSocket closed")
            self.buf += chunk
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def recv(self, timeout):
        """The next text message, or socket.timeout."""
        self.sock.settimeout(max(timeout, 0.01))
        message = bytearray()
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise ConnectionError("WebSocket closed by the browser")
            if opcode == 0x9:  # ping
                self.send(payload, opcode=0xA)
                continue
            if opcode == 0xA:  # pong
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self):
        try:
            self.send(b"", opcode=0x8)
        except OSError:
            pass
        self.sock.close()


# --- The DevTools protocol --------------------------------------------------

class CdpError(Exception):
    pass


class Cdp:
    def __init__(self, ws):
        self.ws = ws
        self.last_id = 0
        self.events = []  # every event received, in order

    def _pump(self, deadline):
        message = json.loads(self.ws.recv(deadline - time.monotonic()))
        if "method" in message:
            self.events.append(message)
        return message

    def call(self, method, params=None, session=None, timeout=60):
        self.last_id += 1
        request = {"id": self.last_id, "method": method,
                   "params": params or {}}
        if session:
            request["sessionId"] = session
        self.ws.send(json.dumps(request))
        deadline = time.monotonic() + timeout
        while True:
            message = self._pump(deadline)
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, method, session, since, timeout=60):
        """The first event `method` of `session` from index `since`."""
        deadline = time.monotonic() + timeout
        i = since
        while True:
            while i < len(self.events):
                e = self.events[i]
                i += 1
                if e["method"] == method and e.get("sessionId") == session:
                    return e
            self._pump(deadline)

    def drain(self, seconds):
        """Collects the events that come within `seconds`."""
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                self._pump(deadline)
        except socket.timeout:
            pass


# --- PNG, enough to tell a blank screenshot --------------------------------

def png_pixels(data):
    """(width, height, bytes per pixel, rows of raw pixel bytes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, bytearray(), None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or interlace or color not in (2, 6):
        raise ValueError(f"unexpected PNG format {header}")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if kind == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif kind == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else
                                      b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def screenshot_stats(png):
    """(distinct colours, share of pixels that are not white)."""
    width, height, bpp, rows = png_pixels(png)
    colours, dark = set(), 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            pixel = row[x:x + 3]
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                dark += 1
    return len(colours), dark / (width * height)


# --- The checks ------------------------------------------------------------

FIGURES_JS = """JSON.stringify({
  figures: Array.from(document.querySelectorAll('[data-field][data-value]'))
    .map(e => [e.hasAttribute('data-total') ? '*' :
               e.getAttribute('data-territory'),
               e.getAttribute('data-field'), e.getAttribute('data-value')]),
  territories: Array.from(document.querySelectorAll('section.territory'))
    .map(e => e.getAttribute('data-territory')),
  links: Array.from(document.querySelectorAll('[src],[href],[action]'))
    .map(e => e.getAttribute('src') || e.getAttribute('href') ||
              e.getAttribute('action')),
  maps: Array.from(document.querySelectorAll('section.territory svg.map'))
    .filter(s => s.getBoundingClientRect().width > 300).length,
  needCircles: document.querySelectorAll('svg circle.need').length,
  lang: document.documentElement.lang,
  timing: (() => { const n = performance.getEntriesByType('navigation')[0];
    return n ? {domContentLoaded: n.domContentLoadedEventEnd,
                load: n.loadEventEnd} : null; })()
})"""


def expected_figures(summary):
    """(territory or '*', field) -> value, from summary.json."""
    out = {}

    def add(key, c, reasons):
        out[(key, "people")] = c["people"]
        out[(key, "needs")] = c["needs"]
        out[(key, "needs_covered")] = c["needs_covered"]
        out[(key, "unmatched")] = sum(c["unmatched"].values())
        out[(key, "people_without_covered_need")] = (
            c["people"] - c["people_covered"])
        if reasons:
            for reason, n in c["unmatched"].items():
                out[(key, "unmatched." + reason)] = n

    for territory, counts in summary["territories"].items():
        add(territory, counts, True)
    add("*", summary, False)  # the page's total row
    return out


def compare_figures(dom, summary, exact, failures, what):
    """Checks the page's figures against summary.json; returns how many were
    checked and the territories of the page that summary.json leaves out
    (it lists only territories with needs: theirs must all be 0)."""
    want = expected_figures(summary)
    got = {}
    for territory, field, value in dom:
        if field.startswith("category."):
            continue  # not in summary.json
        key = (territory, field)
        if key in got:
            failures.append(f"{what}: {key} twice in the page")
        got[key] = value
    without_needs = set()
    for key, value in sorted(got.items()):
        if key not in want:
            if key[0] in summary["territories"] or value != "0":
                failures.append(f"{what}: {key} = {value} is not in "
                                "summary.json")
            without_needs.add(key[0])
        elif value == "<5":
            if exact or not 1 <= want[key] <= 4:
                failures.append(f"{what}: {key} shown '< 5', summary.json "
                                f"has {want[key]}")
        elif not re.fullmatch(r"[0-9]+", value) or int(value) != want[key]:
            failures.append(f"{what}: {key} = {value}, summary.json has "
                            f"{want[key]}")
    # A page of one territory has no total row.
    one = len({t for t, _ in got if t != "*"}) == 1
    for key in sorted(set(want) - set(got)):
        if not (key[0] == "*" and one):
            failures.append(f"{what}: {key} of summary.json is not in the "
                            "page")
    return len(got), without_needs


def open_page(cdp, path, territories, exact, summary, work, name, failures):
    """Opens one report in a new tab and checks it; returns measurements."""
    what = os.path.basename(path)
    url = "file://" + os.path.abspath(path)
    target = cdp.call("Target.createTarget", {"url": "about:blank"})
    session = cdp.call("Target.attachToTarget",
                       {"targetId": target["targetId"],
                        "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        cdp.call(domain + ".enable", session=session)
    cdp.call("Emulation.setDeviceMetricsOverride",
             {"width": 1200, "height": 1600, "deviceScaleFactor": 1,
              "mobile": False}, session=session)
    since = len(cdp.events)
    start = time.monotonic()
    nav = cdp.call("Page.navigate", {"url": url}, session=session)
    if nav.get("errorText"):
        failures.append(f"{what}: navigation failed: {nav['errorText']}")
        return {}
    cdp.wait_for("Page.loadEventFired", session, since, timeout=120)
    open_ms = (time.monotonic() - start) * 1000
    cdp.drain(1.0)  # late messages, if any

    result = cdp.call("Runtime.evaluate",
                      {"expression": FIGURES_JS, "returnByValue": True},
                      session=session)
    page = json.loads(result["result"]["value"])

    shot = base64.b64decode(cdp.call(
        "Page.captureScreenshot",
        {"format": "png",
         "clip": {"x": 0, "y": 0, "width": 1200, "height": 1600,
                  "scale": 0.5}}, session=session)["data"])
    with open(os.path.join(work, name + ".png"), "wb") as f:
        f.write(shot)
    colours, ink = screenshot_stats(shot)
    if colours < 16 or ink < 0.02:
        failures.append(f"{what}: the screenshot looks blank ({colours} "
                        f"colours, {ink:.1%} not white)")

    pdf = base64.b64decode(cdp.call(
        "Page.printToPDF", {"preferCSSPageSize": True,
                            "printBackground": True},
        session=session, timeout=180)["data"])
    with open(os.path.join(work, name + ".pdf"), "wb") as f:
        f.write(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]",
                       pdf)
    if pages < territories + 1:
        failures.append(f"{what}: printed on {pages} pages, fewer than the "
                        f"{territories} territories and the summary")
    if not boxes or any(abs(float(w) - 595.3) > 1.5 or
                        abs(float(h) - 841.9) > 1.5 for w, h in boxes):
        failures.append(f"{what}: printed pages are not A4: "
                        f"{sorted(set(boxes))[:3]}")

    # What happened while the page was open.
    requests, problems = [], []
    for e in cdp.events[since:]:
        if e.get("sessionId") != session:
            continue
        m, p = e["method"], e.get("params", {})
        if m == "Network.requestWillBeSent":
            u = p["request"]["url"]
            if u != url and not u.startswith("data:"):
                requests.append(u)
        elif m == "Runtime.exceptionThrown":
            problems.append("exception: " +
                            p["exceptionDetails"].get("text", ""))
        elif m == "Runtime.consoleAPICalled":
            problems.append(f"console.{p['type']}: " + " ".join(
                str(a.get("value", a.get("description", "")))
                for a in p.get("args", [])))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            problems.append("log: " + p["entry"]["text"])
    for u in requests:
        failures.append(f"{what}: request to {u}")
    for p in problems:
        failures.append(f"{what}: {p}")

    if page["lang"] != "fr":
        failures.append(f"{what}: lang {page['lang']!r}, expected 'fr'")
    figures, without_needs = compare_figures(page["figures"], summary, exact,
                                             failures, what)
    sections = territories + len(without_needs)
    if len(page["territories"]) != sections:
        failures.append(f"{what}: {len(page['territories'])} territory "
                        f"sections, expected {sections}")
    if page["maps"] != sections:
        failures.append(f"{what}: {page['maps']} maps drawn, expected "
                        f"{sections}")
    if page["needCircles"] == 0:
        failures.append(f"{what}: no unmatched need on any map")
    for link in page["links"]:
        if not (link.startswith("#") or link == "data:,"):
            failures.append(f"{what}: link to {link}")

    # Control: the monitors see a request the page is made to try, and the
    # page's policy refuses it.
    since = len(cdp.events)
    cdp.call("Runtime.evaluate",
             {"expression": "new Image().src = "
                            "'https://example.invalid/probe.png'; 1"},
             session=session)
    cdp.drain(1.0)
    seen = [e for e in cdp.events[since:] if e.get("sessionId") == session
            and "example.invalid" in json.dumps(e)]
    blocked = any(e["method"] == "Network.loadingFailed" and
                  e["params"].get("blockedReason") == "csp" for e in seen) or \
        any(e["method"] == "Log.entryAdded" and
            "Content Security Policy" in e["params"]["entry"]["text"]
            for e in seen)
    if not seen:
        failures.append(f"{what}: control: the probe request was not seen")
    elif not blocked:
        failures.append(f"{what}: control: the probe request was not "
                        "refused by the page's policy")

    cdp.call("Target.closeTarget", {"targetId": target["targetId"]})
    return {"bytes": os.path.getsize(path), "open_ms": round(open_ms, 1),
            "browser_timing_ms": page["timing"], "pdf_pages": pages,
            "figures_checked": figures,
            "territories_without_needs": sorted(without_needs),
            "screenshot_colours": colours}


def run(cmd, failures, what):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if p.returncode != 0:
        failures.append(f"{what}: exit {p.returncode}: {p.stderr.strip()}")
    return seconds


def find_chromium(given):
    for c in ([given] if given else []) + [
            os.environ.get("MAILLAGE_CHROMIUM"), "chromium",
            "chromium-browser", "google-chrome", "/usr/bin/chromium"]:
        if c and shutil.which(c):
            return shutil.which(c)
    return None


def start_browser(chromium, work):
    profile = os.path.join(work, "chromium-profile")
    shutil.rmtree(profile, ignore_errors=True)
    os.makedirs(profile)
    log = open(os.path.join(work, "chromium.log"), "w")
    proc = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
         "--remote-debugging-port=0", "--user-data-dir=" + profile,
         "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "about:blank"],
        stdout=log, stderr=log)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with {proc.returncode} "
                               f"(see {log.name})")
        try:
            with open(port_file) as f:
                lines = f.read().split()
            if len(lines) >= 2:
                return proc, int(lines[0]), lines[1]
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("chromium wrote no DevToolsActivePort in 60 s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--maillage", required=True, help="the maillage tool")
    ap.add_argument("--chromium", help="browser (default: chromium on PATH)")
    ap.add_argument("--generate", default="--territory lyon --seed 1",
                    help="arguments of `maillage generate`")
    ap.add_argument("--report-args", default="",
                    help="more arguments of `maillage report`")
    ap.add_argument("--work", help="working folder (default: a temporary one)")
    ap.add_argument("--json", help="write the measurements to this file")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary folder")
    args = ap.parse_args()

    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("SKIP: no Chromium found (Debian package chromium)")
        return SKIP
    work = args.work or tempfile.mkdtemp(prefix="maillage-report-")
    os.makedirs(work, exist_ok=True)
    net, plan = os.path.join(work, "network"), os.path.join(work, "plan")
    pages = {"report": os.path.join(work, "report.html"),
             "report_exact": os.path.join(work, "report_exact.html")}
    failures = []
    timings = {}
    timings["generate_s"] = run(
        [args.maillage, "generate", *shlex.split(args.generate), "--out", net],
        failures, "generate")
    timings["allocate_s"] = run(
        [args.maillage, "allocate", net, "--out", plan], failures, "allocate")
    extra = shlex.split(args.report_args)
    timings["report_s"] = run(
        [args.maillage, "report", net, "--out", pages["report"], *extra],
        failures, "report")
    timings["report_exact_s"] = run(
        [args.maillage, "report", net, "--plan", plan, "--exact-small-counts",
         "--out", pages["report_exact"], *extra], failures, "report --plan")
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    with open(os.path.join(plan, "summary.json")) as f:
        summary = json.load(f)
    territories = len(summary["territories"])

    proc, port, path = start_browser(chromium, work)
    measures = {}
    try:
        ws = WebSocket("127.0.0.1", port, path)
        cdp = Cdp(ws)
        version = cdp.call("Browser.getVersion")["product"]
        for name, page in pages.items():
            measures[name] = open_page(cdp, page, territories,
                                       name == "report_exact", summary, work,
                                       name, failures)
        try:
            cdp.call("Browser.close", timeout=10)
        except (CdpError, ConnectionError, socket.timeout):
            pass
        ws.close()
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    out = {"browser": version, "generate": args.generate,
           "territories": territories, "people": summary["people"],
           "needs": summary["needs"], "pages": measures,
           "seconds": {k: round(v, 2) for k, v in timings.items()}}
    print(json.dumps(out, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    for f in failures:
        print("FAIL: " + f)
    if not failures and not args.work and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("OK" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
