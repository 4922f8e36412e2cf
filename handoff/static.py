"""The demo store page, the agent console and the widget files, with a strict CSP.

Scripts may only come from this origin (no inline script); styles may be inline because
the widget sets element styles from script.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
    " data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'self'; base-uri 'none'; object-src 'none';"
    " form-action 'self'"
)


@web.middleware
async def security_headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
    response = await handler(request)
    if not isinstance(response, web.WebSocketResponse):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


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
