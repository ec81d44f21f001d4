"""The workbench in a browser for a team: `qual-coder serve`.

textual-serve (aiohttp) serves the same Textual workbench to a browser; this adds who may
use it. Each coder has a personal link carrying a token (services.links). Every route,
static file and websocket needs a valid token, from the link's query or from the cookie
the first page sets (HttpOnly, SameSite=Strict); without one the answer is 401 and no
workbench process starts. Failures are logged and, past ten a minute from one address,
answered 429. Each websocket starts that coder's own workbench process on the project
file on the server's disk, with the coder fixed by the token (QUAL_CODER_CODER and
QUAL_CODER_SERVED, which disables switching coder); the project's own locking and
commit-per-action keep several coders' work whole.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import sys
import time
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ..services.links import coder_for
from ..storage import open_project
from . import SERVED_ENV

log = logging.getLogger("qual-coder.serve")
COOKIE = "qual_coder_link"
MAX_FAILURES_PER_MINUTE = 10


# textual-serve's page asks Google for a web font; the terminal brings its own fonts, and a
# coder's browser should not tell a third party that they opened the project.
_REMOTE_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", re.S)


def _offline(page: str) -> str:
    return _REMOTE_FONT.sub("", page)


class TeamServer(Server):
    def __init__(self, project: Path, host: str = "127.0.0.1", port: int = 8000,
                 public_url: str | None = None) -> None:
        super().__init__(command="qual-coder", host=host, port=port,
                         title=f"qual-coder · {project.name}", public_url=public_url)
        self.project = project.resolve()
        self.failures: dict[str, list[float]] = {}
        self.started: list[str] = []  # coders whose workbench process was started

    def command_for(self, coder: str) -> str:
        return (f"env QUAL_CODER_CODER={shlex.quote(coder)} {SERVED_ENV}=1 "
                f"{shlex.quote(sys.executable)} -m qual_coder tui {shlex.quote(str(self.project))}")

    def coder(self, token: str | None) -> str | None:
        # Read each time: a link revoked from another terminal stops working at once.
        with open_project(self.project) as project:
            return coder_for(project, token)

    @web.middleware
    async def authorise(self, request: web.Request, handler):
        remote = request.remote or "unknown"
        now = time.monotonic()
        recent = [t for t in self.failures.get(remote, []) if now - t < 60]
        if len(recent) >= MAX_FAILURES_PER_MINUTE:
            log.warning("too many refused requests from %s; refusing for a minute", remote)
            return web.Response(status=429, text="Too many attempts; wait a minute.\n")
        token = request.query.get("token") or request.cookies.get(COOKIE)
        coder = self.coder(token)
        if coder is None:
            recent.append(now)
            self.failures[remote] = recent
            log.warning("refused %s %s from %s (%s)", request.method, request.path, remote,
                        "no token" if not token else "unknown or revoked token")
            return web.Response(status=401, text="This workbench needs your personal link "
                                                 "(ask whoever runs `qual-coder serve`).\n")
        request["coder"] = coder
        response = await handler(request)
        if request.path == "/" and isinstance(response, web.Response) and response.text:
            response.text = _offline(response.text)
        if "token" in request.query and request.path == "/":
            response.set_cookie(COOKIE, request.query["token"], httponly=True,
                                samesite="Strict")
        return response

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.authorise)
        return app

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """As textual-serve's, but the process is this coder's own workbench."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        coder = request["coder"]
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            async def close() -> None:
                await websocket.close()

            app_service = AppService(self.command_for(coder), write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=close,
                                     download_manager=self.download_manager, debug=self.debug)
            self.started.append(coder)
            log.info("%s opened the workbench", coder)
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken connection must not take the server down
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
            log.info("%s closed the workbench", coder)
        return websocket
