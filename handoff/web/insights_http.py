"""`GET /api/insights` and `GET /api/insights.csv`: supervisors' figures, and the outcomes
behind them as a spreadsheet.

Both take ``from`` and ``to`` (UTC days, YYYY-MM-DD, both included; by default the 30 days
to today) and ``team`` (by default every team), and a supervisor's session token as
``Authorization: Bearer <token>``: 401 without a valid one, 403 for an agent's, 400 naming
the bad parameter.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from aiohttp import web

from handoff.core.export import to_csv
from handoff.service import insights
from handoff.service.insights import InsightsError, NotSupervisor, Query
from handoff.store import StoreError
from handoff.web.errors import http_error
from handoff.web.keys import HUB

DEFAULT_DAYS = 30
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadQuery(ValueError):
    pass


def _day(request: web.Request, name: str, default: date) -> date:
    raw = request.query.get(name, "")
    if not raw:
        return default
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(f"'{name}' must be a date as YYYY-MM-DD, got {raw[:40]!r}") from None


def _query(request: web.Request) -> Query:
    today = datetime.fromtimestamp(request.app[HUB].clock(), timezone.utc).date()
    last = _day(request, "to", today)
    first = _day(request, "from", last - timedelta(days=DEFAULT_DAYS - 1))
    return Query(first, last, request.query.get("team") or None)


async def _guarded(request: web.Request) -> Query | web.Response:
    """The parsed query of a supervisor's request, or the error answer."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if not token:
        return http_error("unauthorized", "send a supervisor's session token as a bearer token")
    try:
        if await insights.reader(request.app[HUB], token) is None:
            return http_error("unauthorized", "wrong or expired token; sign in again")
        return _query(request)
    except NotSupervisor as exc:
        return http_error("forbidden", str(exc))
    except (BadQuery, InsightsError) as exc:
        return http_error("bad_request", str(exc))


async def figures(request: web.Request) -> web.Response:
    query = await _guarded(request)
    if isinstance(query, web.Response):
        return query
    try:
        return web.json_response(await insights.report(request.app[HUB], query))
    except InsightsError as exc:
        return http_error("bad_request", str(exc))
    except StoreError:
        return http_error("unavailable", "the database did not answer; try again")


async def export(request: web.Request) -> web.Response:
    query = await _guarded(request)
    if isinstance(query, web.Response):
        return query
    try:
        rows = await insights.outcomes(request.app[HUB], query)
    except InsightsError as exc:
        return http_error("bad_request", str(exc))
    except StoreError:
        return http_error("unavailable", "the database did not answer; try again")
    name = f"insights-{query.first_day}-{query.last_day}"
    if query.team:
        name += "-" + re.sub(r"[^A-Za-z0-9_-]", "_", query.team)
    return web.Response(
        text=to_csv(rows),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
