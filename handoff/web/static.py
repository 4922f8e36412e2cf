"""The demo store page, the agent console and the widget files, with a strict CSP.

Scripts may only come from this origin (no inline script); styles may be inline because
the widget sets element styles from script. Pages may be framed only by this origin, except the
chat frame itself, which the sites in HANDOFF_ALLOWED_ORIGINS embed with one script tag.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
    " data:; "
    "connect-src 'self' ws: wss:; frame-ancestors {ancestors}; base-uri 'none';"
    " object-src 'none'; form-action 'self'"
)
# The page embed.js puts in an iframe on the host site.
CHAT_FRAME = "/widget/frame.html"
# Answers that carry a credential: never kept by a browser or a proxy.
NO_STORE = frozenset(
    {"/api/agent/login", "/demo/customer-token", "/api/insights", "/api/insights.csv"}
)
# The files of npm packages (package.json) the console loads, under /vendor/: only these.
VENDOR_FILES = {
    "uplot/uPlot.esm.js": ("uplot/dist/uPlot.esm.js", "text/javascript"),
    "uplot/uPlot.min.css": ("uplot/dist/uPlot.min.css", "text/css"),
}

log = structlog.get_logger("handoff.http")


def security_headers(allowed_origins: tuple[str, ...]) -> Middleware:
    """Headers for every HTTP answer; the chat frame may be framed by the allowed origins."""
    own = CSP.format(ancestors="'self'")
    chat = CSP.format(ancestors=" ".join(("'self'", *allowed_origins)))

    def secure(request: web.Request, headers: MutableMapping[str, str]) -> None:
        framed = request.path == CHAT_FRAME
        headers.setdefault("Content-Security-Policy", chat if framed else own)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not framed:
            # For browsers that predate frame-ancestors; the chat frame relies on the CSP.
            headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.path in NO_STORE:
            headers["Cache-Control"] = "no-store"

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        # Errors are answers too: a 404 or a 500 gets the same headers as a page.
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            secure(request, exc.headers)
            raise
        except Exception:
            log.exception("http.failed", path=request.path)
            response = web.json_response(
                {"error": "internal", "message": "the service failed on this request"}, status=500
            )
        if not isinstance(response, web.WebSocketResponse):
            secure(request, response.headers)
        return response

    return middleware


def add_routes(app: web.Application, static_dir: Path, vendor_dir: Path) -> None:
    def page(relative: str) -> Handler:
        async def serve(_request: web.Request) -> web.StreamResponse:
            path = static_dir / relative
            if not path.is_file():
                raise web.HTTPNotFound(text=f"{relative} is not installed")
            return web.FileResponse(path, headers={"Content-Type": "text/html; charset=utf-8"})

        return serve

    app.router.add_get("/", page("demo/index.html"))
    app.router.add_get("/agent", page("agent/index.html"))
    app.router.add_get("/agent/insights", page("agent/insights.html"))

    async def vendor(request: web.Request) -> web.StreamResponse:
        known = VENDOR_FILES.get(request.match_info["path"])
        if known is None:
            raise web.HTTPNotFound()
        path = vendor_dir / known[0]
        if not path.is_file():
            raise web.HTTPNotFound(text=f"{known[0]} is not installed: run `make install`")
        return web.FileResponse(path, headers={"Content-Type": f"{known[1]}; charset=utf-8"})

    app.router.add_get("/vendor/{path:.+}", vendor)
    if static_dir.is_dir():
        app.router.add_static("/widget/", static_dir, follow_symlinks=False, append_version=False)
