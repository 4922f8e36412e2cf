"""The service without a server: a hub over SQLite with a fake assistant and fake sockets."""

import pytest
from hubutil import make_hub


@pytest.fixture
async def hub(tmp_path):
    """In place of the app's hub (tests/handoff/conftest.py): no server, no port."""
    hub = await make_hub(tmp_path)
    yield hub
    await hub.relay.stop()
    await hub.store.close()
