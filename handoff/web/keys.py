"""The typed keys under which the app holds its shared objects."""

from __future__ import annotations

import asyncio

from aiohttp import web

from handoff.service.hub import Hub
from handoff.settings import Settings
from handoff.web.login_limits import LoginLimits

HUB = web.AppKey("hub", Hub)
# Set when this instance lost the lock that makes it the active one; `python -m handoff` exits.
LOST_LEAD = web.AppKey("lost_lead", asyncio.Event)
SETTINGS = web.AppKey("settings", Settings)
LOGIN_LIMITS = web.AppKey("login_limits", LoginLimits)
