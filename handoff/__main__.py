"""`python -m handoff`: run the service with settings from the environment until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
import sys

from aiohttp import web

from handoff.app import LOST_LEAD, close_sockets, create_app
from handoff.logs import configure
from handoff.settings import Settings, SettingsError


async def serve(settings: Settings) -> None:
    app = create_app(settings)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=5, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    lost = app[LOST_LEAD]
    await asyncio.wait(
        [asyncio.create_task(stop.wait()), asyncio.create_task(lost.wait())],
        return_when=asyncio.FIRST_COMPLETED,
    )
    # Say goodbye (1001) first: stopping the site waits for every open connection to end.
    await close_sockets(app)
    await runner.cleanup()
    if lost.is_set():
        sys.exit("handoff: lost the database lock; restart to become active or standby again")


def main() -> None:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.exit(f"handoff: {exc}")
    configure(settings.log_level)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
