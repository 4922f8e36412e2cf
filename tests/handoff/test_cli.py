"""The operator CLI, run as a real process against a temporary database."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(db, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "handoff.cli", "--database-url", f"sqlite:///{db}", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )


def test_create_agent_stores_a_hashed_password_and_lists_the_agent(tmp_path):
    db = tmp_path / "h.db"
    made = cli(
        db,
        "create-agent",
        "--username",
        "ana",
        "--name",
        "Ana",
        "--teams",
        "orders,billing",
        "--capacity",
        "3",
        "--password-stdin",
        stdin="correct horse\n",
    )
    assert made.returncode == 0, made.stderr
    listed = cli(db, "list-agents")
    assert listed.stdout.strip() == "ana\tAna\torders,billing\t3\ten\tagent\tactive"
    assert b"correct horse" not in db.read_bytes()


def test_a_supervisor_account_is_created_with_its_role(tmp_path):
    db = tmp_path / "h.db"
    args = ("create-agent", "--username", "sam", "--name", "Sam", "--password-stdin")
    made = cli(db, *args, "--role", "supervisor", stdin="correct horse\n")
    assert made.returncode == 0, made.stderr
    assert "role supervisor" in made.stdout
    assert cli(db, "list-agents").stdout.split("\t")[5] == "supervisor"


def test_an_unknown_role_is_refused_with_the_roles_there_are(tmp_path):
    args = ("create-agent", "--username", "sam", "--name", "Sam", "--password-stdin")
    made = cli(tmp_path / "h.db", *args, "--role", "admin", stdin="correct horse\n")
    assert made.returncode == 2
    assert "'agent', 'supervisor'" in made.stderr


def test_a_short_password_is_refused(tmp_path):
    made = cli(
        tmp_path / "h.db",
        "create-agent",
        "--username",
        "ana",
        "--name",
        "Ana",
        "--password-stdin",
        stdin="short\n",
    )
    assert made.returncode == 2 and "at least" in made.stderr


def test_the_same_username_twice_is_refused(tmp_path):
    db = tmp_path / "h.db"
    args = ("create-agent", "--username", "ana", "--name", "Ana", "--password-stdin")
    cli(db, *args, stdin="correct horse\n")
    again = cli(db, *args, stdin="correct horse\n")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_disabled_agent_is_listed_as_disabled(tmp_path):
    db = tmp_path / "h.db"
    cli(
        db,
        "create-agent",
        "--username",
        "ana",
        "--name",
        "Ana",
        "--password-stdin",
        stdin="correct horse\n",
    )
    assert cli(db, "disable-agent", "ana").returncode == 0
    assert cli(db, "list-agents").stdout.strip().endswith("disabled")


def test_create_agent_records_the_languages_the_agent_speaks(tmp_path):
    db = tmp_path / "h.db"
    made = cli(
        db,
        "create-agent",
        "--username",
        "ana",
        "--name",
        "Ana",
        "--languages",
        "en, ES",
        "--password-stdin",
        stdin="correct horse\n",
    )
    assert made.returncode == 0, made.stderr
    assert cli(db, "list-agents").stdout.strip() == "ana\tAna\t*\t3\ten,es\tagent\tactive"


def test_create_agent_refuses_a_language_that_is_not_an_iso_code(tmp_path):
    made = cli(
        tmp_path / "h.db",
        "create-agent",
        "--username",
        "ana",
        "--name",
        "Ana",
        "--languages",
        "english",
        "--password-stdin",
        stdin="correct horse\n",
    )
    assert made.returncode == 2 and "--languages" in made.stderr
