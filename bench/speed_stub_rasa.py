"""A stand-in for Rasa's REST channel that answers at once, for measuring the gateway alone.

The socket-memory and relay-throughput benchmarks point a handoff service at this, so what they
measure is the service's own cost per socket and per message, not the assistant's thinking time.
It echoes each message back as one bot reply, the shape Rasa's REST channel returns.
"""

from __future__ import annotations

import argparse

from aiohttp import web


async def webhook(request: web.Request) -> web.Response:
    body = await request.json()
    sender = body.get("sender", "")
    message = str(body.get("message", ""))
    return web.json_response([{"recipient_id": sender, "text": f"echo: {message}"}])


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/webhooks/rest/", health)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(create_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
