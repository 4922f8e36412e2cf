"""The action server's settings, read from the environment in this one place (.env.example).

Read when an action runs, never at import time, so a test or an operator can change a
variable without restarting the interpreter. A malformed value fails loudly naming its
variable; a missing intake token is refused only where a handoff needs it
(``HandoffClient.from_env``), so the other actions keep working without one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = "config.yml"
DEFAULT_SHOP_DB = "var/shop.db"
DEFAULT_HANDOFF_URL = "http://127.0.0.1:8000"
DEFAULT_OUTBOX = "var/handoff_outbox.db"


class SettingsError(ValueError):
    """An environment variable has a value the action server cannot use; names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every variable the action server reads."""

    config_path: Path = Path(DEFAULT_CONFIG)  # NW_RASA_CONFIG: thresholds shared with Rasa
    customer_token_secret: str | None = None  # CUSTOMER_TOKEN_SECRET: verifies signed ids
    shop_db: Path = Path(DEFAULT_SHOP_DB)  # NW_SHOP_DB: the demo shop
    handoff_url: str = DEFAULT_HANDOFF_URL  # HANDOFF_URL: the handoff service
    intake_token: str = ""  # HANDOFF_INTAKE_TOKEN: bearer token for its intake
    outbox_path: Path = Path(DEFAULT_OUTBOX)  # NW_HANDOFF_OUTBOX: handoffs waiting to be sent

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        handoff_url = (env.get("HANDOFF_URL") or DEFAULT_HANDOFF_URL).strip()
        if not handoff_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"HANDOFF_URL must start with http:// or https://, got {handoff_url!r}"
            )
        return cls(
            config_path=Path(env.get("NW_RASA_CONFIG") or DEFAULT_CONFIG),
            customer_token_secret=env.get("CUSTOMER_TOKEN_SECRET") or None,
            shop_db=Path(env.get("NW_SHOP_DB") or DEFAULT_SHOP_DB),
            handoff_url=handoff_url,
            intake_token=env.get("HANDOFF_INTAKE_TOKEN", ""),
            outbox_path=Path(env.get("NW_HANDOFF_OUTBOX") or DEFAULT_OUTBOX),
        )
