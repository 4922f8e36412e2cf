"""The file lock store keeps one message per conversation at a time across Rasa's workers."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import time

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import EndpointConfig

from assistant.lock_store import FileLockStore


def _hold_in_another_process(path: str, conversation_id: str, held, release) -> None:
    async def hold() -> None:
        async with FileLockStore(path=path).lock(conversation_id):
            held.set()
            await asyncio.to_thread(release.recv_bytes)

    asyncio.run(hold())


@pytest.fixture
def other_worker(tmp_path):
    """Starts a forked process (as Sanic forks its workers) that holds a conversation.

    It is told to let go over a pipe, not a shared ``Event``: a process killed while it held
    an event's internal lock would leave that lock taken, and setting the event then blocks
    the test forever."""
    ctx = multiprocessing.get_context("fork")
    started = []

    def start(conversation_id: str):
        held = ctx.Event()
        waiting, telling = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_hold_in_another_process,
            args=(str(tmp_path / "rasa.locks"), conversation_id, held, waiting),
        )
        proc.start()

        def release() -> None:
            with contextlib.suppress(BrokenPipeError):  # it has been killed already
                telling.send_bytes(b"go")

        started.append((proc, release))
        assert held.wait(10), "the other worker never got the lock"
        return proc, release

    yield start
    for proc, release in started:
        release()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)


def test_endpoints_yml_loads_it_and_rasa_then_runs_several_workers(tmp_path, monkeypatch):
    """With this store configured, SANIC_WORKERS=2 is honoured (the in-memory store is not)."""
    config = EndpointConfig(type="assistant.lock_store.FileLockStore", path=str(tmp_path / "l"))
    assert isinstance(LockStore.create(config), FileLockStore)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(config) == 2
    assert number_of_sanic_workers(EndpointConfig(type="in_memory")) == 1


def test_a_missing_path_is_a_clear_error():
    with pytest.raises(ValueError, match="needs `path`"):
        LockStore.create(EndpointConfig(type="assistant.lock_store.FileLockStore"))


async def test_a_conversation_another_worker_holds_waits_until_it_is_released(
    tmp_path, other_worker
):
    """The second message of a conversation starts only after the other worker finished."""
    _proc, release = other_worker("conv-1")
    store = FileLockStore(path=str(tmp_path / "rasa.locks"))
    asyncio.get_running_loop().call_later(0.3, release)
    started = time.monotonic()
    async with store.lock("conv-1"):
        waited = time.monotonic() - started
    assert waited >= 0.25


async def test_other_conversations_do_not_wait_for_a_held_one(tmp_path, other_worker):
    store = FileLockStore(path=str(tmp_path / "rasa.locks"))
    other = next(
        f"conv-{i}" for i in range(2, 100) if store.slot(f"conv-{i}") != store.slot("conv-1")
    )
    other_worker("conv-1")
    started = time.monotonic()
    async with store.lock(other):
        pass
    assert time.monotonic() - started < 0.2


async def test_a_killed_worker_releases_its_conversations_at_once(tmp_path, other_worker):
    """No expiry to wait out: the kernel drops a dead process's locks."""
    proc, _release = other_worker("conv-1")
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(5)
    store = FileLockStore(path=str(tmp_path / "rasa.locks"))
    started = time.monotonic()
    async with store.lock("conv-1"):
        pass
    assert time.monotonic() - started < 0.2


async def test_a_conversation_busy_past_the_lifetime_raises_rasa_s_lock_error(
    tmp_path, other_worker
):
    other_worker("conv-1")
    store = FileLockStore(path=str(tmp_path / "rasa.locks"))
    with pytest.raises(LockError, match="conv-1"):
        async with store.lock("conv-1", lock_lifetime=0.2):
            pytest.fail("entered a conversation another worker holds")


async def test_two_messages_of_one_conversation_in_one_worker_run_one_after_the_other(tmp_path):
    store = FileLockStore(path=str(tmp_path / "rasa.locks"))
    spans: dict[str, tuple[float, float]] = {}

    async def handle(name: str, seconds: float) -> None:
        async with store.lock("conv-1"):
            start = time.monotonic()
            await asyncio.sleep(seconds)
            spans[name] = (start, time.monotonic())

    await asyncio.gather(handle("first", 0.2), handle("second", 0.0))
    first, second = sorted(spans.values())
    assert second[0] >= first[1]
    assert store._local == {}  # nothing is kept for idle conversations
