"""Login attempts are limited per account and per client address, with a growing delay."""

import pytest
from promutil import sample

from handoff.web.login_limits import LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_failures_are_free_then_the_delay_doubles():
    clock = Clock()
    limiter = LoginLimiter(free=3, base=1.0, cap=60.0, clock=clock)
    delays = []
    for _ in range(7):
        assert limiter.retry_after("ana") == 0.0
        limiter.failed("ana")
        delays.append(limiter.retry_after("ana"))
        clock.now += delays[-1]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0]


def test_the_delay_is_capped():
    clock = Clock()
    limiter = LoginLimiter(free=0, base=1.0, cap=5.0, clock=clock)
    for _ in range(10):
        limiter.failed("ana")
        clock.now += limiter.retry_after("ana")
    limiter.failed("ana")
    assert limiter.retry_after("ana") == 5.0


def test_a_success_clears_the_count():
    clock = Clock()
    limiter = LoginLimiter(free=1, base=1.0, cap=60.0, clock=clock)
    limiter.failed("ana")
    limiter.succeeded("ana")
    limiter.failed("ana")
    assert limiter.retry_after("ana") == 0.0


def test_keys_are_independent_and_the_longest_wait_wins():
    clock = Clock()
    limiter = LoginLimiter(free=0, base=2.0, cap=60.0, clock=clock)
    limiter.failed("ana")
    assert limiter.retry_after("bo") == 0.0
    assert limiter.retry_after("bo", "ana") == 2.0


def test_stale_keys_are_forgotten_so_memory_stays_bounded():
    clock = Clock()
    limiter = LoginLimiter(free=5, base=1.0, cap=10.0, clock=clock, max_keys=100)
    for n in range(100):
        limiter.failed(f"user{n}")
    clock.now += 1000
    limiter.failed("fresh")
    assert len(limiter) <= 2


@pytest.mark.parametrize("free", [-1])
def test_a_negative_allowance_is_refused(free):
    with pytest.raises(ValueError):
        LoginLimiter(free=free, base=1.0, cap=1.0)


async def test_repeated_wrong_passwords_get_429_with_retry_after(service, make_agent, hub):
    await make_agent()
    statuses = []
    for _ in range(12):
        response = await service.post(
            "/api/agent/login", json={"username": "ana", "password": "wrong"}
        )
        statuses.append(response.status)
    assert statuses[:5] == [401] * 5 and 429 in statuses
    limited = await service.post(
        "/api/agent/login", json={"username": "ana", "password": "correct horse"}
    )
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert (await limited.json())["error"] == "too_many_attempts"
    metrics = await (await service.get("/metrics")).text()
    assert sample(metrics, "handoff_login_limited_total", scope="account") >= 1
    assert sample(metrics, "handoff_login_limited_total", scope="address") is None


async def test_many_accounts_from_one_address_are_limited(service):
    statuses = []
    for n in range(30):
        response = await service.post(
            "/api/agent/login", json={"username": f"user{n}", "password": "wrong"}
        )
        statuses.append(response.status)
    assert statuses[0] == 401 and statuses[-1] == 429
