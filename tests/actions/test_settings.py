"""The action server reads every variable in one place and names the one it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.settings import Settings, SettingsError


def test_without_variables_the_documented_defaults_apply():
    """An empty environment gives the defaults of .env.example."""
    assert Settings.from_env({}) == Settings(
        config_path=Path("config.yml"),
        customer_token_secret=None,
        shop_db=Path("var/shop.db"),
        handoff_url="http://127.0.0.1:8000",
        intake_token="",
        outbox_path=Path("var/handoff_outbox.db"),
    )


@pytest.mark.parametrize(
    "name, value, field, expected",
    [
        ("NW_RASA_CONFIG", "/etc/nw/config.yml", "config_path", Path("/etc/nw/config.yml")),
        ("CUSTOMER_TOKEN_SECRET", "s3cret", "customer_token_secret", "s3cret"),
        ("CUSTOMER_TOKEN_SECRET", "", "customer_token_secret", None),
        ("NW_SHOP_DB", "/tmp/shop.db", "shop_db", Path("/tmp/shop.db")),
        ("NW_SHOP_DB", "", "shop_db", Path("var/shop.db")),
        ("HANDOFF_URL", "https://support.example", "handoff_url", "https://support.example"),
        ("HANDOFF_URL", " http://h:8000 ", "handoff_url", "http://h:8000"),
        ("HANDOFF_INTAKE_TOKEN", "t0ken", "intake_token", "t0ken"),
        ("NW_HANDOFF_OUTBOX", "/tmp/outbox.db", "outbox_path", Path("/tmp/outbox.db")),
    ],
)
def test_each_variable_sets_its_field(name, value, field, expected):
    """Every variable lands in its field; an empty value means the default."""
    assert getattr(Settings.from_env({name: value}), field) == expected


@pytest.mark.parametrize("url", ["ftp://x", "127.0.0.1:8000", "localhost"])
def test_a_handoff_url_that_is_not_http_is_refused_naming_the_variable(url):
    """HANDOFF_URL must be an http(s) URL; the error says which variable."""
    with pytest.raises(SettingsError, match="HANDOFF_URL"):
        Settings.from_env({"HANDOFF_URL": url})


def test_settings_are_read_from_the_process_environment_when_asked(monkeypatch):
    """Without a mapping the current os.environ is read, at call time."""
    monkeypatch.setenv("NW_SHOP_DB", "/tmp/elsewhere.db")
    assert Settings.from_env().shop_db == Path("/tmp/elsewhere.db")
    monkeypatch.delenv("NW_SHOP_DB")
    assert Settings.from_env().shop_db == Path("var/shop.db")


def test_settings_cannot_be_changed_once_read():
    """The settings object is frozen."""
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.intake_token = "x"  # type: ignore[misc]
