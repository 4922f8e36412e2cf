"""The launcher's own decisions: when make did nothing, when Rasa did not retrain, the banner."""

from __future__ import annotations

from pathlib import Path

import pytest
from launch import banner, load_or_create_secrets, model_unchanged, nothing_made
from stack import SECRET_NAMES


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("make: '.venvs/bot/.installed' is up to date.\n", True),
        (
            "make: Warning: File '.venvs/bot/.installed' has modification time in the future\n"
            "make: 'build/spacy/northwind_en/meta.json' is up to date.\n"
            "make: warning:  Clock skew detected.  Your build may be incomplete.\n",
            True,
        ),
        ("make: Nothing to be done for 'install'.\n", True),
        ("", True),
        (
            "make: '.venvs/bot/.installed' is up to date.\n"
            ".venvs/bot/bin/python -m assistant.pii build build/spacy/northwind_en\n",
            False,
        ),
        ("scripts/install.sh bot\nCollecting rasa\n", False),
    ],
)
def test_make_did_nothing_only_when_it_said_nothing_else(printed, expected):
    """Any line besides "up to date" (and make's clock warnings) means work was done."""
    assert nothing_made(printed) is expected


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Nothing changed. You can use the old model stored at 'models/x.tar.gz'.\n", True),
        ("Your Rasa model is trained and saved at 'models/y.tar.gz'.\n", False),
    ],
)
def test_training_is_up_to_date_when_rasa_says_nothing_changed(printed, expected):
    assert model_unchanged(printed) is expected


def test_the_banner_has_the_urls_the_login_and_where_the_logs_are():
    """After the steps, the newcomer sees where to go, how to log in and where the logs are."""
    text = banner("http://127.0.0.1:8000", "username demo, password pw", Path("/x/var/logs"))
    assert "http://127.0.0.1:8000/\n" in text and "http://127.0.0.1:8000/agent\n" in text
    assert "log in with username demo, password pw" in text
    assert "Logs: /x/var/logs" in text and "Ctrl-C" in text


def test_secrets_are_created_once_private_and_then_reused(tmp_path):
    """The first run writes random secrets readable by the owner only; later runs read them."""
    path = tmp_path / "var" / "secrets.env"
    first = load_or_create_secrets(path)
    assert set(first) == set(SECRET_NAMES)
    assert all(len(value) >= 32 for value in first.values())
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_secrets(path) == first


def test_a_secrets_file_from_an_older_run_gains_the_missing_secret_and_keeps_the_rest(tmp_path):
    """Secrets added since keep the existing ones, so agents and tokens stay valid."""
    path = tmp_path / "secrets.env"
    path.write_text("HANDOFF_INTAKE_TOKEN=kept\n")
    values = load_or_create_secrets(path)
    assert values["HANDOFF_INTAKE_TOKEN"] == "kept" and set(values) == set(SECRET_NAMES)
    assert load_or_create_secrets(path) == values
