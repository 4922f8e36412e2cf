"""Service settings, read once from the environment into a frozen dataclass.

`Settings.from_env()` fails with `SettingsError` naming the variable that is wrong;
nothing else in the package reads the environment.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from handoff.core.policy import BusinessHours

REPO = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    intake_token: str
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = "sqlite:///var/handoff.db"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout: float = 10.0
    # Token of the assistant's assist endpoint (suggested replies); empty turns suggestions off.
    assist_token: str = ""
    allowed_origins: tuple[str, ...] = ()
    # The origins the service itself is reached at (a Host not among them is refused).
    public_origins: tuple[str, ...] = ()
    customer_token_secret: str = ""
    demo: bool = False
    static_dir: Path = REPO / "widget"
    # The npm packages the install step put there (package.json): the console's chart library.
    vendor_dir: Path = REPO / "node_modules"
    business_hours: BusinessHours = field(default_factory=lambda: BusinessHours.parse(""))
    agent_grace_seconds: float = 60.0
    agent_token_ttl_seconds: int = 8 * 3600
    # A ping every this many seconds; an agent socket without a pong in half of it is closed.
    agent_heartbeat_seconds: float = 10.0
    max_frame_bytes: int = 16 * 1024
    rate_limit_per_second: float = 5.0
    rate_limit_burst: int = 20
    hello_timeout_seconds: float = 10.0
    handle_seconds: float = 180.0
    negative_sentiment: float = -0.6
    topic_teams: Mapping[str, str] = field(default_factory=dict)
    # A conversation's outcome is final once its customer has been gone this long.
    outcome_settle_seconds: float = 600.0
    # A customer back about the same topic within this many days is a recontact.
    recontact_days: float = 7.0
    log_level: str = "info"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        reader = _Reader(env)
        token = reader.text("HANDOFF_INTAKE_TOKEN", "")
        if len(token) < 16:
            raise SettingsError(
                "HANDOFF_INTAKE_TOKEN must be set to a secret of at least 16 characters"
            )
        zone = reader.text("HANDOFF_TIMEZONE", "UTC")
        try:
            hours = BusinessHours.parse(reader.text("HANDOFF_BUSINESS_HOURS", ""), zone)
        except (ValueError, KeyError) as exc:
            raise SettingsError(f"HANDOFF_BUSINESS_HOURS / HANDOFF_TIMEZONE: {exc}") from None
        url = reader.text("HANDOFF_DATABASE_URL", cls.database_url)
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise SettingsError("HANDOFF_DATABASE_URL must start with sqlite:/// or postgresql://")
        host = reader.text("HANDOFF_HOST", cls.host)
        demo = reader.flag("HANDOFF_DEMO")
        if demo and not _loopback(host) and not reader.flag("HANDOFF_DEMO_PUBLIC"):
            raise SettingsError(
                f"HANDOFF_DEMO=1 serves signed customer tokens to any visitor; refusing it on the"
                f" non-loopback HANDOFF_HOST {host!r} (set HANDOFF_DEMO_PUBLIC=1 to insist)"
            )
        assist_token = reader.text("HANDOFF_ASSIST_TOKEN", "")
        if assist_token and len(assist_token) < 16:
            raise SettingsError("HANDOFF_ASSIST_TOKEN must be empty or at least 16 characters")
        public = tuple(reader.items("HANDOFF_PUBLIC_ORIGINS"))
        for origin in public:
            if not origin.startswith(("http://", "https://")) or "/" in origin.split("://")[1]:
                raise SettingsError(
                    f"HANDOFF_PUBLIC_ORIGINS must list origins like https://host[:port], got"
                    f" {origin!r}"
                )
        return cls(
            intake_token=token,
            host=host,
            port=reader.integer("HANDOFF_PORT", cls.port, low=0, high=65535),
            database_url=url,
            rasa_url=reader.text("HANDOFF_RASA_URL", cls.rasa_url).rstrip("/"),
            rasa_timeout=reader.number("HANDOFF_RASA_TIMEOUT", cls.rasa_timeout),
            assist_token=assist_token,
            allowed_origins=tuple(reader.items("HANDOFF_ALLOWED_ORIGINS")),
            public_origins=public,
            customer_token_secret=reader.text("CUSTOMER_TOKEN_SECRET", ""),
            demo=demo,
            static_dir=Path(reader.text("HANDOFF_STATIC_DIR", str(REPO / "widget"))),
            vendor_dir=Path(reader.text("HANDOFF_VENDOR_DIR", str(REPO / "node_modules"))),
            business_hours=hours,
            agent_grace_seconds=reader.number(
                "HANDOFF_AGENT_GRACE_SECONDS", cls.agent_grace_seconds
            ),
            agent_token_ttl_seconds=reader.integer(
                "HANDOFF_AGENT_TOKEN_TTL_SECONDS", cls.agent_token_ttl_seconds
            ),
            agent_heartbeat_seconds=reader.number(
                "HANDOFF_AGENT_HEARTBEAT_SECONDS", cls.agent_heartbeat_seconds, low=0.1
            ),
            max_frame_bytes=reader.integer("HANDOFF_MAX_FRAME_BYTES", cls.max_frame_bytes, low=256),
            rate_limit_per_second=reader.number(
                "HANDOFF_RATE_LIMIT_PER_SECOND", cls.rate_limit_per_second
            ),
            rate_limit_burst=reader.integer("HANDOFF_RATE_LIMIT_BURST", cls.rate_limit_burst),
            hello_timeout_seconds=reader.number(
                "HANDOFF_HELLO_TIMEOUT_SECONDS", cls.hello_timeout_seconds
            ),
            handle_seconds=reader.number("HANDOFF_HANDLE_SECONDS", cls.handle_seconds),
            negative_sentiment=reader.number(
                "HANDOFF_NEGATIVE_SENTIMENT", cls.negative_sentiment, low=-1.0
            ),
            topic_teams=dict(reader.pairs("HANDOFF_TOPIC_TEAMS")),
            outcome_settle_seconds=reader.number(
                "HANDOFF_OUTCOME_SETTLE_SECONDS", cls.outcome_settle_seconds
            ),
            recontact_days=reader.number("HANDOFF_RECONTACT_DAYS", cls.recontact_days),
            log_level=reader.text("HANDOFF_LOG_LEVEL", cls.log_level).lower(),
        )

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def text(self, name: str, default: str) -> str:
        return self.env.get(name, "").strip() or default

    def number(self, name: str, default: float, low: float = 0.0) -> float:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from None
        if value < low:
            raise SettingsError(f"{name} must be at least {low}, got {raw!r}")
        return value

    def integer(self, name: str, default: int, low: int = 1, high: int | None = None) -> int:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
        if value < low or (high is not None and value > high):
            raise SettingsError(f"{name} is out of range: {raw!r}")
        return value

    def flag(self, name: str) -> bool:
        raw = self.env.get(name, "").strip().lower()
        if raw in ("", "0", "false", "no"):
            return False
        if raw in ("1", "true", "yes"):
            return True
        raise SettingsError(f"{name} must be 1 or 0, got {raw!r}")

    def items(self, name: str) -> list[str]:
        return [
            item.strip().rstrip("/") for item in self.env.get(name, "").split(",") if item.strip()
        ]

    def pairs(self, name: str) -> list[tuple[str, str]]:
        pairs = []
        for item in self.items(name):
            key, sep, value = item.partition(":")
            if not sep or not key.strip() or not value.strip():
                raise SettingsError(f"{name} must look like 'topic:team,topic:team', got {item!r}")
            pairs.append((key.strip(), value.strip()))
        return pairs
