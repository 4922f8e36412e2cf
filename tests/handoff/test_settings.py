"""Settings come from the environment once, and a bad value names its variable."""

import pytest

from handoff.settings import Settings, SettingsError

BASE = {"HANDOFF_INTAKE_TOKEN": "x" * 20}


def test_defaults_match_the_documented_ones():
    s = Settings.from_env(BASE)
    assert (s.host, s.port, s.database_url, s.rasa_url) == (
        "127.0.0.1",
        8000,
        "sqlite:///var/handoff.db",
        "http://127.0.0.1:5005",
    )


def test_outcomes_settle_after_ten_minutes_and_recontacts_count_for_a_week_by_default():
    s = Settings.from_env(BASE)
    assert (s.outcome_settle_seconds, s.recontact_days) == (600.0, 7.0)
    s = Settings.from_env(
        {**BASE, "HANDOFF_OUTCOME_SETTLE_SECONDS": "30", "HANDOFF_RECONTACT_DAYS": "2.5"}
    )
    assert (s.outcome_settle_seconds, s.recontact_days) == (30.0, 2.5)


def test_a_missing_intake_token_is_named():
    with pytest.raises(SettingsError, match="HANDOFF_INTAKE_TOKEN"):
        Settings.from_env({})


@pytest.mark.parametrize(
    "name,value",
    [
        ("HANDOFF_PORT", "eighty"),
        ("HANDOFF_PORT", "70000"),
        ("HANDOFF_RASA_TIMEOUT", "soon"),
        ("HANDOFF_DEMO", "maybe"),
        ("HANDOFF_DATABASE_URL", "mysql://x"),
        ("HANDOFF_TOPIC_TEAMS", "orders"),
        ("HANDOFF_BUSINESS_HOURS", "mon-fry 09:00-17:00"),
        ("HANDOFF_OUTCOME_SETTLE_SECONDS", "ten minutes"),
        ("HANDOFF_OUTCOME_SETTLE_SECONDS", "-1"),
        ("HANDOFF_RECONTACT_DAYS", "a week"),
    ],
)
def test_a_bad_value_names_its_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({**BASE, name: value})


def test_lists_and_maps_are_parsed():
    s = Settings.from_env(
        {
            **BASE,
            "HANDOFF_ALLOWED_ORIGINS": "https://a.example, https://b.example/",
            "HANDOFF_TOPIC_TEAMS": "refunds:billing,orders:orders",
        }
    )
    assert s.allowed_origins == ("https://a.example", "https://b.example")
    assert dict(s.topic_teams) == {"refunds": "billing", "orders": "orders"}


def test_env_example_lists_every_setting_the_service_reads():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read = set(
        re.findall(
            r'"((?:HANDOFF|CUSTOMER)_[A-Z_]+)"', (root / "handoff" / "settings.py").read_text()
        )
    )
    listed = set(
        re.findall(r"^((?:HANDOFF|CUSTOMER)_[A-Z_]+)=", (root / ".env.example").read_text(), re.M)
    )
    assert read - listed == set()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "support.example.com"])
def test_demo_mode_on_a_public_address_refuses_to_start(host):
    with pytest.raises(SettingsError, match="HANDOFF_DEMO"):
        Settings.from_env({**BASE, "HANDOFF_DEMO": "1", "HANDOFF_HOST": host})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_demo_mode_on_a_loopback_address_starts(host):
    assert Settings.from_env({**BASE, "HANDOFF_DEMO": "1", "HANDOFF_HOST": host}).demo


def test_demo_mode_on_a_public_address_starts_only_when_allowed_explicitly():
    env = {**BASE, "HANDOFF_DEMO": "1", "HANDOFF_HOST": "0.0.0.0", "HANDOFF_DEMO_PUBLIC": "1"}
    assert Settings.from_env(env).demo


def test_dead_agent_sockets_are_detected_within_fifteen_seconds_by_default():
    s = Settings.from_env(BASE)
    assert s.agent_heartbeat_seconds * 1.5 <= 15


def test_public_origins_are_parsed_and_must_be_origins():
    env = {**BASE, "HANDOFF_PUBLIC_ORIGINS": "https://support.example.com/"}
    assert Settings.from_env(env).public_origins == ("https://support.example.com",)
    with pytest.raises(SettingsError, match="HANDOFF_PUBLIC_ORIGINS"):
        Settings.from_env({**BASE, "HANDOFF_PUBLIC_ORIGINS": "support.example.com"})
