"""Fixtures shared by every test folder.

This file is loaded by both environments (the assistant's Python 3.10 one and the handoff
service's), so it imports only the standard library and scripts/stack.py, which needs nothing
else. The slow part, the whole product, is started at most once per test run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack, new_secrets  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real action server, Rasa server and handoff service, on free loopback ports."""
    if not any((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained assistant in models/: run `make train` first")
    product = Stack(
        workdir=tmp_path_factory.mktemp("stack"),
        secrets=new_secrets(),
    )
    product.start()
    yield product
    product.stop()


@pytest.fixture(scope="session")
def rasa_domain():
    """A small Rasa domain for tracker-store tests (assistant environment only)."""
    from rasa.shared.core.domain import Domain

    return Domain.from_dict(
        {
            "intents": ["track_order"],
            "entities": ["order_id"],
            "slots": {
                "order_id": {
                    "type": "text",
                    "mappings": [{"type": "from_entity", "entity": "order_id"}],
                }
            },
            "responses": {"utter_ok": [{"text": "ok"}]},
        }
    )


@pytest.fixture
def rasa_conversation(rasa_domain):
    """Builds a tracker of one short exchange: a question with its sentiment, a slot, a reply."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    def build(sender_id: str) -> DialogueStateTracker:
        tracker = DialogueStateTracker(sender_id, rasa_domain.slots)
        for event in (
            ActionExecuted("action_listen"),
            UserUttered(
                "where is NW-10007?",
                {"name": "track_order", "confidence": 0.98},
                [{"entity": "order_id", "value": "NW-10007", "start": 9, "end": 17}],
                parse_data={"sentiment": {"compound": -0.2}},
            ),
            SlotSet("order_id", "NW-10007"),
            BotUttered("It is on its way."),
            ActionExecuted("action_listen"),
        ):
            tracker.update(event)
        return tracker

    return build
