"""Generated frames at both sockets and the HTTP endpoints: always a documented answer, and a
healthy customer is still served afterwards."""

import json

import pytest
from aiohttp import WSMsgType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wsutil import customer, of, until

from handoff.frames import AGENT, CUSTOMER

ERROR_CODES = {"bad_json", "unknown_type", "bad_field", "not_allowed", "not_found", "unavailable"}
CLOSE_CODES = {1001, 1003, 1009, 4001, 4003, 4008, 4029, 4401, 4409}
HTTP_STATUSES = {200, 201, 400, 401, 404, 405, 413, 429, 503}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["\ud800", "\udfff x", "/restart", "", " "]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def frames(specs):
    """Objects shaped like the protocol's frames, with wrong, missing and extra fields."""
    kinds = st.sampled_from([*specs, "teleport"]) | st.text(max_size=10)
    fields = st.sampled_from(sorted({f for spec in specs.values() for f in spec}))
    return st.builds(
        lambda kind, body: {"type": kind, **body},
        kinds,
        st.dictionaries(fields, values, max_size=4),
    )


def raw(specs):
    """The text of a frame: JSON (deeply nested now and then), or not JSON at all."""
    return st.one_of(
        frames(specs).map(lambda f: json.dumps(f, ensure_ascii=True)),
        st.integers(min_value=1, max_value=5000).map(lambda n: "[" * n + "]" * n),
        st.text(max_size=50),
        st.just('{"type": "ping", "n": ' + "9" * 40 + "}"),
    )


async def answer_of(ws) -> tuple[str, object]:
    """('error', code), ('close', code) or ('frame', type) of the next thing the server does."""
    msg = await ws.receive(timeout=3)
    if msg.type == WSMsgType.TEXT:
        frame = json.loads(msg.data)
        if frame.get("type") == "error":
            return "error", frame.get("code")
        return "frame", frame.get("type")
    if msg.type == WSMsgType.CLOSE:
        return "close", int(msg.data)
    return "close", ws.close_code


fuzz = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@pytest.fixture
def settings(settings):
    """No flood limit while fuzzing: every generated frame must reach the parser."""
    return settings.with_changes(rate_limit_burst=10_000, rate_limit_per_second=10_000.0)


@pytest.fixture
def fast_service(service):
    return service


async def _healthy_customer(service) -> None:
    ws, _ = await customer(service)
    await ws.send_json({"type": "ping"})
    await until(ws, of("pong"))
    await ws.close()


@fuzz
@given(texts=st.lists(raw(CUSTOMER), min_size=1, max_size=5))
async def test_generated_customer_frames_get_documented_answers(fast_service, texts):
    ws, _ = await customer(fast_service)
    for text in texts:
        await ws.send_str(text)
        await ws.send_json({"type": "ping"})
        while (seen := await answer_of(ws)) != ("frame", "pong"):
            kind, code = seen
            assert kind != "close" or code in CLOSE_CODES, seen
            if kind == "close":
                break
            assert kind != "error" or code in ERROR_CODES, seen
        if ws.closed:
            break
    await ws.close()
    await _healthy_customer(fast_service)


@fuzz
@given(text=raw(CUSTOMER))
async def test_a_generated_first_frame_is_a_welcome_or_a_documented_close(fast_service, text):
    ws = await fast_service.ws_connect("/ws/customer")
    await ws.send_str(text)
    kind, code = await answer_of(ws)
    if kind == "error":
        assert code in ERROR_CODES
        kind, code = await answer_of(ws)
    assert (kind, code) == ("frame", "welcome") or (kind == "close" and code in CLOSE_CODES)
    await ws.close()
    await _healthy_customer(fast_service)


@fuzz
@given(texts=st.lists(raw(AGENT), min_size=1, max_size=5))
async def test_generated_agent_frames_get_documented_answers(fast_service, make_agent, texts):
    from wsutil import agent

    token = await _token(fast_service, make_agent)
    ws, _ = await agent(fast_service, token)
    for text in texts:
        await ws.send_str(text)
        await ws.send_json({"type": "ping"})
        while (seen := await answer_of(ws)) != ("frame", "pong"):
            kind, code = seen
            if kind == "close":
                assert code in CLOSE_CODES, seen
                break
            assert kind != "error" or code in ERROR_CODES, seen
        if ws.closed:
            break
    await ws.close()
    await _healthy_customer(fast_service)


_tokens: dict[int, str] = {}


async def _token(service, make_agent) -> str:
    """One agent account per app (Hypothesis reuses the fixtures across examples)."""
    key = id(service.app)
    if key not in _tokens:
        _tokens[key] = await make_agent()
    return _tokens[key]


@fuzz
@given(
    path=st.sampled_from(["/api/agent/login", "/api/handoffs"]),
    body=raw(CUSTOMER) | values.map(lambda v: json.dumps(v, ensure_ascii=True)),
)
async def test_generated_http_bodies_get_documented_statuses(fast_service, settings, path, body):
    headers = {"Authorization": f"Bearer {settings.intake_token}"}
    response = await fast_service.post(path, data=body, headers=headers)
    assert response.status in HTTP_STATUSES, (response.status, await response.text())
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    await _healthy_customer(fast_service)
