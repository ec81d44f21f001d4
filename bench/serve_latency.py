"""`qual-coder serve` through a real browser (issue 19): Debian's Chromium, headless,
driven by Playwright, on a private copy of the demo project.

Prints, with 1 and with 4 coders connected (the others idle in their own workbenches):
- time from opening a personal link to the first frame of the workbench, and to the
  workbench being ready (it has announced itself in the project's presence table);
- keystroke-to-screen latency through the browser: for each of 100 keys (down/up in the
  reading view), the time from the browser's keydown event to the next websocket message
  from the server, both stamped in the page (performance.now), p50/p95/max.

    python bench/serve_latency.py [--screenshot docs/serve-workbench.png]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUAL_CODER = Path(sys.executable).with_name("qual-coder")

# Stamp every websocket message and every keydown in the page itself.
PROBE = """
window.__frames = []; window.__keys = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  ws.addEventListener('message', () => window.__frames.push(performance.now()));
  return ws;
};
window.WebSocket.prototype = Native.prototype;
document.addEventListener('keydown', () => window.__keys.push(performance.now()), true);
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def present(project: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(project) as conn:
        return {r[0] for r in conn.execute("SELECT coder FROM presence")}


def open_workbench(browser, link: str, project: Path, coder: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(PROBE)
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(link)
    page.wait_for_selector(".intro", state="visible")
    page.mouse.click(640, 400)
    while page.evaluate("window.__frames.length") == 0:
        time.sleep(0.01)
    first = time.perf_counter() - t0
    while coder not in present(project):
        time.sleep(0.05)
    ready = time.perf_counter() - t0
    page.focus(".xterm-helper-textarea")  # keys go to the terminal, as after a user's click
    return page, first, ready


def keystroke_latency(page, n: int = 100) -> list[float]:
    time.sleep(1.0)
    out = []
    for i in range(n):
        before = page.evaluate("window.__frames.length")
        page.keyboard.press("ArrowDown" if i % 20 < 10 else "ArrowUp")
        deadline = time.monotonic() + 2
        while page.evaluate("window.__frames.length") == before and time.monotonic() < deadline:
            time.sleep(0.002)
        key, frames = page.evaluate("[window.__keys[window.__keys.length - 1], window.__frames]")
        after = [f for f in frames[before:] if f >= key]
        if after:
            out.append(after[0] - key)
        time.sleep(0.05)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Debian's chromium (apt-get install chromium)")
    coders = ["ana", "ben", "cat", "dev"]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "demo.db"
        subprocess.run([str(QUAL_CODER), "demo", str(project)], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [str(QUAL_CODER), "serve", str(project), "--port", str(port)]
            + [a for c in coders for a in ("--coder", c)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        links: dict[str, str] = {}
        while len(links) < len(coders):
            m = re.match(r"(\w+): (http://\S+)", server.stdout.readline())
            if m:
                links[m.group(1)] = m.group(2)
        time.sleep(1.5)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                pages = {}
                print("coders  first frame  ready   keystroke p50   p95    max   (100 keys)")
                for count in (1, 4):
                    while len(pages) < count:
                        coder = coders[len(pages)]
                        page, first, ready = open_workbench(browser, links[coder], project, coder)
                        pages[coder] = page
                        opened = (first, ready)
                    lat = sorted(keystroke_latency(pages["ana"]))
                    p95 = lat[int(0.95 * (len(lat) - 1))]
                    print(f"{count:>6}  {opened[0]:>9.2f} s {opened[1]:>5.2f} s  "
                          f"{statistics.median(lat):>9.1f} ms {p95:>6.1f} ms {lat[-1]:>6.1f} ms"
                          f"  ({len(lat)} measured)")
                if args.screenshot:
                    pages["ana"].screenshot(path=str(args.screenshot))
                    print(f"screenshot: {args.screenshot}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
