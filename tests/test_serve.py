"""`qual-coder serve` (issue 19): the real server on a free port. A personal link opens
the workbench; no token, a wrong one or a revoked one is refused and starts nothing."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

QUAL_CODER = Path(sys.executable).with_name("qual-coder")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except urllib.error.URLError:  # not listening yet
        return 0


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


@pytest.mark.slow
def test_links_open_the_workbench_and_nothing_else_does(demo_path):
    port = free_port()
    server = subprocess.Popen([str(QUAL_CODER), "serve", str(demo_path), "--coder", "ana",
                               "--coder", "ben", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        links = {}
        deadline = time.monotonic() + 20
        while len(links) < 2 and time.monotonic() < deadline:
            line = server.stdout.readline()
            m = re.match(r"(\w+): (http://\S+)", line)
            if m:
                links[m.group(1)] = m.group(2)
        base = f"http://127.0.0.1:{port}"
        while status(base + "/") == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        assert status(links["ana"]) == 200
        assert status(base + "/") == 401
        assert status(base + "/?token=not-a-token") == 401
        assert status(base + "/static/css/xterm.css") == 401
        assert children(server.pid) == []  # nothing started for the refused requests
        # a revoked link stops working at once, from another process
        subprocess.run([str(QUAL_CODER), "serve", str(demo_path), "--revoke", "ben"],
                       check=True, capture_output=True)
        assert status(links["ben"]) == 401
        # ana's link opens her own workbench through the websocket
        token = links["ana"].split("token=")[1]
        got = asyncio.run(_first_frame(f"ws://127.0.0.1:{port}/ws?width=100&height=30",
                                       token))
        assert got > 0
        refused = asyncio.run(_refused(f"ws://127.0.0.1:{port}/ws"))
        assert refused == 401
        # guessing is slowed down: past ten failures a minute, an address gets 429
        codes = [status(f"{base}/?token=guess{n}") for n in range(12)]
        assert codes[-1] == 429 and 401 in codes
    finally:
        server.terminate()
        server.wait(timeout=10)


async def _first_frame(url: str, token: str) -> int:
    import aiohttp

    async with aiohttp.ClientSession(cookies={"qual_coder_link": token}) as session:
        async with session.ws_connect(url) as ws:
            received = 0
            deadline = time.monotonic() + 30
            while received < 2000 and time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=5)
                except asyncio.TimeoutError:
                    continue
                if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    received += len(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            return received


async def _refused(url: str) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url):
                return 101
        except aiohttp.WSServerHandshakeError as err:
            return err.status


def _start(demo_path, *extra):
    port = free_port()
    server = subprocess.Popen([str(QUAL_CODER), "serve", str(demo_path), "--coder", "ana",
                               "--coder", "ben", "--port", str(port), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    links = {}
    deadline = time.monotonic() + 20
    while len(links) < 2 and time.monotonic() < deadline:
        m = re.match(r"(\w+): (http://\S+)", server.stdout.readline())
        if m:
            links[m.group(1)] = m.group(2)
    base = f"http://127.0.0.1:{port}"
    while status(base + "/") == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    return server, port, base, {k: v.split("token=")[1] for k, v in links.items()}


@pytest.mark.slow
def test_guessing_never_locks_out_a_valid_link_and_no_token_reaches_the_log(demo_path):
    server, port, base, tokens = _start(demo_path)
    try:
        codes = [status(f"{base}/?token=guess{n}") for n in range(12)]
        assert codes[-1] == 429  # the guesser is slowed down...
        assert status(f"{base}/?token={tokens['ana']}") == 200  # ...ana, same address, is not
        assert status(f"{base}/static/", f"qual_coder_link={tokens['ana']}") in (403, 404)
        assert status(f"{base}/static/css/xterm.css", f"qual_coder_link={tokens['ana']}") == 200
    finally:
        server.terminate()
        out = server.communicate(timeout=10)[0]
    assert "GET /" in out or "refused" in out  # the log was written...
    assert tokens["ana"] not in out and "guess3" not in out  # ...with no token in it


@pytest.mark.slow
def test_a_revoked_link_closes_its_open_workbench_and_sessions_are_capped(demo_path):
    server, port, base, tokens = _start(demo_path, "--max-per-coder", "1")
    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
    try:
        async def scenario() -> tuple[bool, str, float]:
            import aiohttp

            async with aiohttp.ClientSession(cookies={"qual_coder_link": tokens["ben"]}) as s:
                first = await s.ws_connect(url)
                await first.receive(timeout=30)
                second = await s.ws_connect(url)  # a second tab: the first (idle) closes
                said = b""
                while not first.closed:
                    m = await first.receive(timeout=10)
                    if m.type == aiohttp.WSMsgType.BINARY:
                        said += m.data
                await second.receive(timeout=30)
                subprocess.run([str(QUAL_CODER), "serve", str(demo_path), "--revoke", "ben"],
                               check=True, capture_output=True)
                revoked = time.monotonic()
                while not second.closed:
                    await second.receive(timeout=10)
                return first.closed, said.decode("utf-8", "replace"), time.monotonic() - revoked

        closed, said, after = asyncio.run(scenario())
        assert closed and "at most 1 workbench per coder" in said
        assert after < 8
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("args, says", [
    (["--port", "99999"], "99999 is not in the range"),
    (["--host", "bad host"], "is not an address this machine has"),
])
def test_a_bad_address_is_a_message_before_any_link_is_made(demo_path, args, says):
    done = subprocess.run([str(QUAL_CODER), "serve", str(demo_path), "--coder", "cai", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and says in done.stderr and "Traceback" not in done.stderr
    assert "token=" not in done.stdout
