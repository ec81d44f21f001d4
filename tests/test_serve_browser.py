"""`qual-coder serve` in a real browser (issue 19): Debian's Chromium driven headless by
Playwright. Two coders open their personal links in two browser contexts, each presses
the keys that code a sentence, and `qual-coder codings --json` shows both codings under
the right names. The served page asks nothing of any other host."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qual_coder.storage import open_project

from .test_serve import children, free_port

QUAL_CODER = Path(sys.executable).with_name("qual-coder")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (apt-get install chromium; "
                                                "browsers cannot be downloaded here)"),
]


def start_server(project: Path, coders: list[str]) -> tuple[subprocess.Popen, dict[str, str]]:
    port = free_port()
    args = [str(QUAL_CODER), "serve", str(project), "--port", str(port)]
    for coder in coders:
        args += ["--coder", coder]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    links: dict[str, str] = {}
    deadline = time.monotonic() + 30
    assert server.stdout is not None
    while len(links) < len(coders) and time.monotonic() < deadline:
        m = re.match(r"(\w+): (http://\S+)", server.stdout.readline())
        if m:
            links[m.group(1)] = m.group(2)
    return server, links


def present(project: Path) -> set[str]:
    with open_project(project) as proj:
        return {r[0] for r in proj.conn.execute("SELECT coder FROM presence")}


def wait_for(predicate, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_coders_code_through_their_browsers(demo_path, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    server, links = start_server(demo_path, ["ana", "ben"])
    requested: list[str] = []
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            pages = {}
            for coder in ("ana", "ben"):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.grant_permissions(["clipboard-read", "clipboard-write"])
                page = context.new_page()
                page.on("request", lambda r: requested.append(r.url))
                page.goto(links[coder])
                page.wait_for_selector(".intro", state="visible")
                time.sleep(0.5)
                page.mouse.click(640, 400)  # the landing page starts the app on a click
                pages[coder] = page
            # each workbench announces itself once it has opened its transcript
            wait_for(lambda: present(demo_path) >= {"ana", "ben"}, what="both workbenches")
            time.sleep(1.5)
            for page in pages.values():
                page.focus(".xterm-helper-textarea")  # where a user's click puts the keys
                for key in ("}", "}", "v", "c"):
                    page.keyboard.press(key)
                    time.sleep(0.2)
                time.sleep(1)
                page.keyboard.type("referral", delay=60)
                time.sleep(0.5)
                page.keyboard.press("Enter")
            wait_for(lambda: _coders_of_codings(demo_path) >= {"ana", "ben"}, timeout=30,
                     what="a coding by each coder")
            pages["ana"].screenshot(path=str(tmp_path / "served.png"))
            # an export is downloaded by the browser, not written on the server
            ana = pages["ana"]
            ana.keyboard.press("F7")
            time.sleep(2)
            # a quote copied in the workbench reaches the browser's clipboard (OSC 52)
            ana.keyboard.press("Control+y")
            time.sleep(1)
            copied = ana.evaluate("navigator.clipboard.readText()")
            ana.keyboard.press("Control+s")
            time.sleep(1)
            with ana.expect_download(timeout=30_000) as download:
                ana.keyboard.press("Enter")
            saved = tmp_path / "downloads" / download.value.suggested_filename
            download.value.save_as(saved)
            status = subprocess.run([str(QUAL_CODER), "serve", str(demo_path), "--status"],
                                    capture_output=True, text=True, check=True).stdout
            assert "ana" in status and "ben" in status and "browser" in status
            assert len(children(server.pid)) == 2  # one workbench process per coder
            browser.close()
        # closing the tabs ends their workbench processes, which leave the presence list
        wait_for(lambda: children(server.pid) == [], timeout=30, what="the workbenches to end")
        assert present(demo_path) == set()  # each said goodbye: no one is listed as here
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = subprocess.run([str(QUAL_CODER), "codings", str(demo_path), "--json"],
                         capture_output=True, text=True, check=True).stdout
    by_coder = {}
    for c in json.loads(out):
        if (c["coder"] in ("ana", "ben") and c["code"] == "referral_routes"
                and c["status"] == "final"):
            by_coder.setdefault(c["coder"], []).append(c)
    assert set(by_coder) == {"ana", "ben"}
    assert (tmp_path / "served.png").stat().st_size > 10_000
    assert saved.name.startswith("quotes-") and saved.suffix == ".md"
    text = saved.read_text(encoding="utf-8")
    # the first quote, as copied ('‘words’ (role, site)'), is the first in the export too
    words = re.match(r"\W*(.+?)[’'\"”]? \(", copied)
    assert words and words.group(1) in text, copied
    assert text.count("\n> ") >= 5 or text.count('"') >= 10, text[:500]  # the quotes
    assert not list(demo_path.parent.glob("quotes-*"))  # nothing left beside the project
    # nothing but the server itself was asked for anything
    assert requested and all(u.startswith(links["ana"].split("/?")[0]) or
                             u.startswith("ws://127.0.0.1") for u in requested), requested


def _coders_of_codings(project: Path) -> set[str]:
    with open_project(project) as proj:
        return {r[0] for r in proj.conn.execute(
            "SELECT g.coder FROM codings g JOIN codes c ON c.id = g.code_id "
            "WHERE c.key = 'referral_routes' AND g.coder IN ('ana', 'ben')")}
