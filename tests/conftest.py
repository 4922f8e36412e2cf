"""Fixtures shared by every test folder.

This file is loaded by both environments (the assistant's Python 3.10 one and the handoff
service's), so it imports only the standard library and scripts/stack.py, which needs nothing
else. The slow part, the whole product, is started at most once per test run.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real action server, Rasa server and handoff service, on free loopback ports."""
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained assistant in models/: run `make train` first")
    product = Stack(
        workdir=tmp_path_factory.mktemp("stack"),
        secrets={
            "HANDOFF_INTAKE_TOKEN": secrets.token_urlsafe(24),
            "CUSTOMER_TOKEN_SECRET": secrets.token_urlsafe(24),
        },
    )
    product.start()
    yield product
    product.stop()
