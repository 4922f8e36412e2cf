"""Run `python -m handoff` as a real process, and talk to it with the websockets library."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServiceProcess:
    def __init__(self, workdir: Path, rasa_url: str, intake_token: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log = workdir / "service.log"
        self.env = {
            **os.environ,
            "HANDOFF_PORT": str(self.port),
            "HANDOFF_DATABASE_URL": f"sqlite:///{workdir / 'handoff.db'}",
            "HANDOFF_RASA_URL": rasa_url,
            "HANDOFF_RASA_TIMEOUT": "2",
            "HANDOFF_INTAKE_TOKEN": intake_token,
            "HANDOFF_STATIC_DIR": str(workdir),
            "HANDOFF_RATE_LIMIT_PER_SECOND": "200",
            "HANDOFF_RATE_LIMIT_BURST": "200",
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        # A blocking spawn is fine here: it takes milliseconds and only tests use it.
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: ASYNC220
                [sys.executable, "-m", "handoff"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"service exited: {self.log.read_text()[-2000:]}")
                try:
                    async with session.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise RuntimeError("service did not become healthy")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, exactly like a crash."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Client:
    """One websocket client (customer or agent) that remembers every frame it received."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.frames: list[dict] = []

    @classmethod
    async def open(cls, url: str, first: dict) -> Client:
        client = cls(await connect(url, open_timeout=5))
        await client.send(first)
        return client

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def until(self, predicate, timeout: float = 5.0) -> dict:
        async def read() -> dict:
            while True:
                frame = json.loads(await self.ws.recv())
                self.frames.append(frame)
                if predicate(frame):
                    return frame

        try:
            return await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"no matching frame in {timeout}s; last frames {self.frames[-8:]}"
            ) from None

    async def close(self) -> None:
        await self.ws.close()


async def login(base_url: str, username: str, password: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            base_url + "/api/agent/login", json={"username": username, "password": password}
        ) as response,
    ):
        assert response.status == 200, await response.text()
        return (await response.json())["token"]


async def create_agent(
    db_url: str, username: str, teams: list[str], capacity: int, password: str
) -> None:
    from handoff.service.auth import hash_password
    from handoff.store import open_store

    store = open_store(db_url)
    await store.open()
    try:
        await store.create_agent(
            username, username.title(), teams, capacity, hash_password(password), 0.0
        )
    finally:
        await store.close()
