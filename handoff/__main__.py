"""`python -m handoff`: run the service with settings from the environment."""

from __future__ import annotations

import sys

from aiohttp import web

from handoff.app import create_app
from handoff.logs import configure
from handoff.settings import Settings, SettingsError


def main() -> None:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.exit(f"handoff: {exc}")
    configure(settings.log_level)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                shutdown_timeout=5)


if __name__ == "__main__":
    main()
