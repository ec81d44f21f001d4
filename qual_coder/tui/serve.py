"""The workbench in a browser for a team: `qual-coder serve`.

textual-serve (aiohttp) serves the same Textual workbench to a browser; this adds who may
use it. Each coder has a personal link carrying a token (services.links). Every route,
static file and websocket needs a valid token, from the link's query or from the cookie
the first page sets (HttpOnly, SameSite=Strict); without one the answer is 401 and no
workbench process starts. Failures are logged and, past ten a minute from one address,
answered 429. Each websocket starts that coder's own workbench process on the project
file on the server's disk, with the coder fixed by the token (QUAL_CODER_CODER and
QUAL_CODER_SERVED, which disables switching coder and importing from the server's disk);
the project's own locking and commit-per-action keep several coders' work whole.

A valid link is never locked out: only refused requests count towards the limit, per
address (the client's, from X-Forwarded-For when a proxy on this machine passes it on).
A revoked link's open sessions close within seconds. Sessions are capped per coder and
in all; the oldest idle one closes first, saying why. No token reaches a log line.
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

from ..core.text import plural
from ..services.links import coder_for
from ..storage import open_project
from . import SERVED_ENV

log = logging.getLogger("qual-coder.serve")
COOKIE = "qual_coder_link"
MAX_FAILURES_PER_MINUTE = 10
REVOKE_CHECK_SECONDS = 2.0
MAX_SESSIONS_PER_CODER = 3
MAX_SESSIONS = 20
_TOKEN = re.compile(r"(token=)[^&\s\"']+")


class RedactTokens(logging.Filter):
    """Every log line (aiohttp's access log prints each request's query) with tokens
    replaced by `***`: a log file must not be a set of working links."""

    def filter(self, record: logging.LogRecord) -> bool:
        def clean(value: object) -> object:
            return _TOKEN.sub(r"\1***", value) if isinstance(value, str) else value

        record.msg = clean(str(record.msg))
        if isinstance(record.args, dict):  # logging's one-mapping form: "%(path)s"
            record.args = {k: clean(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(clean(a) for a in record.args)
        return True


class Session:
    """One open workbench in a browser: whose, and when it last heard from the browser."""

    def __init__(self, coder: str, websocket: web.WebSocketResponse) -> None:
        self.coder = coder
        self.websocket = websocket
        self.started = self.active = time.monotonic()

    async def close(self, why: str) -> None:
        # Written into the browser's terminal before the connection goes.
        try:
            await self.websocket.send_bytes(f"\r\n\x1b[0m\x1b[2J\x1b[H{why}\r\n".encode())
        except Exception:  # already gone
            pass
        await self.websocket.close()


# textual-serve's page asks Google for a web font; the terminal brings its own fonts, and a
# coder's browser should not tell a third party that they opened the project.
_REMOTE_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", re.S)


def _offline(page: str) -> str:
    return _REMOTE_FONT.sub("", page)


class TeamServer(Server):
    def __init__(self, project: Path, host: str = "127.0.0.1", port: int = 8000,
                 public_url: str | None = None, max_sessions: int = MAX_SESSIONS,
                 max_per_coder: int = MAX_SESSIONS_PER_CODER) -> None:
        super().__init__(command="qual-coder", host=host, port=port,
                         title=f"qual-coder · {project.name}", public_url=public_url)
        self.project = project.resolve()
        self.failures: dict[str, list[float]] = {}
        self.started: list[str] = []  # coders whose workbench process was started
        self.sessions: list[Session] = []
        self.max_sessions = max(1, max_sessions)
        self.max_per_coder = max(1, max_per_coder)

    def initialize_logging(self) -> None:
        super().initialize_logging()
        redact = RedactTokens()
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
        for name in ("aiohttp.access", "aiohttp.server", "aiohttp.web", log.name):
            logging.getLogger(name).addFilter(redact)

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, its static folder without a listing, and the check
        of every request's link."""
        import aiohttp_jinja2
        import jinja2

        app = web.Application(middlewares=[self.authorise])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def client(self, request: web.Request) -> str:
        """Who is asking: behind a reverse proxy on this machine every request comes from
        127.0.0.1, so the proxy's X-Forwarded-For (its last entry) names the client."""
        remote = request.remote or "unknown"
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded and remote in ("127.0.0.1", "::1"):
            return forwarded.split(",")[-1].strip() or remote
        return remote

    def command_for(self, coder: str) -> str:
        return (f"env QUAL_CODER_CODER={shlex.quote(coder)} {SERVED_ENV}=1 "
                f"{shlex.quote(sys.executable)} -m qual_coder tui {shlex.quote(str(self.project))}")

    def coder(self, token: str | None) -> str | None:
        # Read each time: a link revoked from another terminal stops working at once.
        with open_project(self.project) as project:
            return coder_for(project, token)

    @web.middleware
    async def authorise(self, request: web.Request, handler):
        remote = self.client(request)
        now = time.monotonic()
        token = request.query.get("token") or request.cookies.get(COOKIE)
        coder = self.coder(token)
        recent = [t for t in self.failures.get(remote, []) if now - t < 60]
        if coder is None and len(recent) >= MAX_FAILURES_PER_MINUTE:
            log.warning("too many refused requests from %s; refusing for a minute", remote)
            return web.Response(status=429, text="Too many attempts; wait a minute.\n")
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

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """As textual-serve's, but the process is this coder's own workbench."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        coder = request["coder"]
        token = request.query.get("token") or request.cookies.get(COOKIE)
        app_service: AppService | None = None
        session = Session(coder, websocket)
        watch: asyncio.Task | None = None
        try:
            await websocket.prepare(request)
            await self._make_room(coder)
            self.sessions.append(session)
            watch = asyncio.ensure_future(self._watch(session, token))

            async def close() -> None:
                await websocket.close()

            app_service = AppService(self.command_for(coder), write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=close,
                                     download_manager=self.download_manager, debug=self.debug)
            self.started.append(coder)
            log.info("%s opened the workbench", coder)
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service, session)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken connection must not take the server down
            log.exception(error)
        finally:
            if watch is not None:
                watch.cancel()
            if session in self.sessions:
                self.sessions.remove(session)
            if app_service is not None:
                await app_service.stop()
            log.info("%s closed the workbench", coder)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService, session: Session | None = None) -> None:
        """textual-serve's message loop, noting when the browser was last heard from."""
        if session is None:
            await super()._process_messages(websocket, app_service)
            return
        original = websocket.receive

        async def receive(*args, **kwargs):
            message = await original(*args, **kwargs)
            session.active = time.monotonic()
            return message

        websocket.receive = receive  # type: ignore[method-assign]
        await super()._process_messages(websocket, app_service)

    async def _make_room(self, coder: str) -> None:
        """Close the oldest idle sessions until one more fits under both caps."""
        while True:
            mine = [s for s in self.sessions if s.coder == coder]
            if len(mine) >= self.max_per_coder:
                pool, why = mine, f"{plural(self.max_per_coder, 'workbench')} per coder"
            elif len(self.sessions) >= self.max_sessions:
                pool, why = self.sessions, f"{plural(self.max_sessions, 'workbench')} in all"
            else:
                return
            oldest = min(pool, key=lambda s: s.active)
            self.sessions.remove(oldest)
            log.info("closed %s's oldest idle workbench (at most %s)", oldest.coder, why)
            await oldest.close(f"This workbench was closed: {oldest.coder} opened another, and "
                               f"the server keeps at most {why}. Your work is saved; reload "
                               "the page to come back.")

    async def _watch(self, session: Session, token: str | None) -> None:
        """End the session within seconds of its link being revoked or replaced."""
        while not session.websocket.closed:
            await asyncio.sleep(REVOKE_CHECK_SECONDS)
            if self.coder(token) != session.coder:
                log.info("%s's link was revoked; closing their workbench", session.coder)
                await session.close("This link no longer works (it was revoked or replaced); "
                                    "the workbench has closed. Your work up to now is saved.")
                return
