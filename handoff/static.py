"""The demo store page, the agent console and the widget files, with a strict CSP.

Scripts may only come from this origin (no inline script); styles may be inline because
the widget sets element styles from script. Pages may be framed only by this origin, except the
chat frame itself, which the sites in HANDOFF_ALLOWED_ORIGINS embed with one script tag.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
    " data:; "
    "connect-src 'self' ws: wss:; frame-ancestors {ancestors}; base-uri 'none';"
    " object-src 'none'; form-action 'self'"
)
# The page embed.js puts in an iframe on the host site.
CHAT_FRAME = "/widget/frame.html"


def security_headers(allowed_origins: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Headers for every HTTP answer; the chat frame may be framed by the allowed origins."""
    own = CSP.format(ancestors="'self'")
    chat = CSP.format(ancestors=" ".join(("'self'", *allowed_origins)))

    @web.middleware
    async def middleware(request: web.Request, handler):  # type: ignore[no-untyped-def]
        response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            policy = chat if request.path == CHAT_FRAME else own
            response.headers.setdefault("Content-Security-Policy", policy)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return middleware


def add_routes(app: web.Application, static_dir: Path) -> None:
    def page(relative: str):  # type: ignore[no-untyped-def]
        async def serve(_request: web.Request) -> web.StreamResponse:
            path = static_dir / relative
            if not path.is_file():
                raise web.HTTPNotFound(text=f"{relative} is not installed")
            return web.FileResponse(path, headers={"Content-Type": "text/html; charset=utf-8"})

        return serve

    app.router.add_get("/", page("demo/index.html"))
    app.router.add_get("/agent", page("agent/index.html"))
    if static_dir.is_dir():
        app.router.add_static("/widget/", static_dir, follow_symlinks=False, append_version=False)
