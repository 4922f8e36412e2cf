"""Shared fixtures: stores on both databases, settings, a fake Rasa and a running app."""

from __future__ import annotations

import pytest
from pgutil import POSTGRES_URL, SKIP_POSTGRES, drop_postgres, fresh_postgres_url, needs_postgres

from handoff.store import Store, open_store


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[needs_postgres, pytest.mark.postgres])]
)
async def store(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path}/store.db")
        await s.open()
        yield s
        await s.close()
        return
    url, name = await fresh_postgres_url()
    s = open_store(url)
    await s.open()
    yield s
    await s.close()
    await drop_postgres(name)


@pytest.fixture
async def pg_url():
    """The URL of an empty PostgreSQL database, dropped after the test."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES)
    url, name = await fresh_postgres_url()
    yield url
    await drop_postgres(name)


@pytest.fixture
async def sqlite_store(tmp_path) -> Store:
    s = open_store(f"sqlite:///{tmp_path}/store.db")
    await s.open()
    yield s
    await s.close()


# -- the service in process ----------------------------------------------------------------

from fakerasa import INTAKE_TOKEN  # noqa: E402


@pytest.fixture
def rasa():
    from fakerasa import FakeRasa

    return FakeRasa()


@pytest.fixture
async def rasa_server(rasa, aiohttp_server):
    return await aiohttp_server(rasa.app)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[needs_postgres, pytest.mark.postgres])]
)
async def database_url(request, tmp_path):
    """Every in-process service test runs on SQLite and, when a server is given, on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/handoff.db"
        return
    url, name = await fresh_postgres_url()
    yield url
    await drop_postgres(name)


@pytest.fixture
def settings(tmp_path, rasa_server, database_url):
    from handoff.settings import Settings

    static = tmp_path / "static"
    (static / "demo").mkdir(parents=True)
    (static / "agent").mkdir()
    (static / "demo" / "index.html").write_text("<!doctype html><title>Store</title>")
    (static / "agent" / "index.html").write_text("<!doctype html><title>Agents</title>")
    (static / "widget.js").write_text("console.log('widget');")
    return Settings(
        intake_token=INTAKE_TOKEN,
        database_url=database_url,
        rasa_url=str(rasa_server.make_url("")).rstrip("/"),
        rasa_timeout=0.5,
        static_dir=static,
        agent_grace_seconds=0.3,
        hello_timeout_seconds=0.3,
        allowed_origins=("https://shop.example",),
        customer_token_secret="s3cret",
        demo=True,
    )


@pytest.fixture
async def service(settings, rasa, aiohttp_client):
    """A test client of the real app; the fake Rasa posts handoffs back to it."""
    from handoff.app import create_app

    client = await aiohttp_client(create_app(settings))
    rasa.handoff_url = str(client.make_url("/api/handoffs"))
    rasa.intake_token = settings.intake_token
    return client


@pytest.fixture
def hub(service):
    from handoff.app import HUB

    return service.app[HUB]


@pytest.fixture
def make_agent(service, hub):
    """Create an agent account and log in; returns the session token."""
    from handoff.service.auth import hash_password

    async def make(
        username="ana",
        name=None,
        teams=("*",),
        capacity=2,
        password="correct horse",
        role="agent",
    ):
        await hub.store.create_agent(
            username,
            name or username.title(),
            list(teams),
            capacity,
            hash_password(password),
            0.0,
            role=role,
        )
        response = await service.post(
            "/api/agent/login", json={"username": username, "password": password}
        )
        assert response.status == 200, await response.text()
        return (await response.json())["token"]

    return make
