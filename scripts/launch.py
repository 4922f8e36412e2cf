"""`make run`: install, build, train, then the product on its default ports, quietly.

The terminal shows one line per step with its elapsed time, then the URLs and the demo login;
everything the steps and the three processes print goes to var/logs/. When something fails,
the terminal says which step, where its log is and its last lines. Data and secrets are in
var/ too. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from pathlib import Path

from stack import ROOT, SECRET_NAMES, Stack, StackError, new_secrets
from stack_progress import Progress, StepFailed

WORKDIR = ROOT / "var"
LOGS = WORKDIR / "logs"
SPACY_MODEL = "build/spacy/northwind_en/meta.json"
MAKE = ("make", "--no-print-directory")
STEPS = 5


def nothing_made(printed: str) -> bool:
    """True when make only said its targets were up to date (its clock warnings aside)."""
    said = [line for line in printed.splitlines() if line.strip()]
    return all(
        "is up to date" in line or "Nothing to be done" in line
        for line in said
        if not line.lower().startswith(("make: warning", "make[1]: warning"))
    )


def model_unchanged(printed: str) -> bool:
    """True when Rasa found nothing changed since the model in models/ was trained."""
    return "Nothing changed" in printed


def banner(base_url: str, login: str, logs: Path) -> str:
    """The lines printed once the product is up."""
    return f"""
  Demo store with the chat widget:  {base_url}/
  Agent console:                    {base_url}/agent
    log in with {login} (a supervisor: the console links to Insights)
  Metrics:                          {base_url}/metrics

  Create an agent account:  make agent USERNAME=ana NAME=Ana TEAMS=orders,billing [ROLE=supervisor]
  Logs: {logs}     Stop with Ctrl-C.
"""


def load_or_create_secrets(path: Path) -> dict[str, str]:
    """Reads KEY=VALUE secrets from `path`, adding random ones for any not there yet."""
    values: dict[str, str] = {}
    if path.exists():
        pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
        values = {key.strip(): value.strip() for key, value in pairs}
        if all(name in values for name in SECRET_NAMES):
            return values
    values = {**new_secrets(32), **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    path.chmod(0o600)
    return values


def ensure_demo_agent(stack: Stack, workdir: Path) -> str:
    """The demo account's login, creating it when the service has no agent yet. It is a
    supervisor, so it works the queue and also sees the insights page."""
    saved = workdir / "demo-agent.txt"
    if stack.has_agents():
        if saved.exists():
            return saved.read_text().strip()
        return "an existing account (make agent creates more)"
    password = secrets.token_urlsafe(9)
    stack.create_agent(
        "demo", "Demo Supervisor", password, teams=("*",), capacity=5, role="supervisor"
    )
    saved.write_text(f"username demo, password {password}\n")
    saved.chmod(0o600)
    return saved.read_text().strip()


def prepare(progress: Progress) -> None:
    """Install, build the spaCy pipeline and train, each only when something changed."""
    env = dict(os.environ)
    progress.run(
        "Installing the environments",
        [*MAKE, ".venvs/bot/.installed", ".venvs/handoff/.installed", "node_modules/.installed"],
        LOGS / "install.log",
        cwd=ROOT,
        env=env,
        up_to_date=nothing_made,
    )
    progress.run(
        "Building the spaCy pipeline",
        [*MAKE, SPACY_MODEL],
        LOGS / "spacy.log",
        cwd=ROOT,
        env=env,
        up_to_date=nothing_made,
    )
    progress.run(
        "Training the assistant (3-5 minutes when its data changed)",
        [*MAKE, "train"],
        LOGS / "train.log",
        cwd=ROOT,
        env=env,
        up_to_date=model_unchanged,
    )


def run(args: argparse.Namespace) -> int:
    """`make run`: the product on its default ports with its data in var/."""
    stack = Stack(
        workdir=WORKDIR,
        secrets=load_or_create_secrets(WORKDIR / "secrets.env"),
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        handoff_port=args.port,
        extra_env={
            "HANDOFF_DATABASE_URL": os.environ.get(
                "HANDOFF_DATABASE_URL", f"sqlite:///{WORKDIR / 'handoff.db'}"
            )
        },
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    progress = Progress(STEPS)
    print(f"Starting Northwind Handoff (full logs in {LOGS})", flush=True)
    try:
        prepare(progress)
        stack.spawn_all()
        progress.call(
            "Starting the action server and the handoff service",
            lambda: stack.wait_ready(["actions", "handoff"]),
        )
        progress.call(
            "Loading the assistant (about two minutes)", lambda: stack.wait_ready(["rasa"])
        )
        login = ensure_demo_agent(stack, WORKDIR)
        print(banner(stack.base_url, login, LOGS), flush=True)
        name = stack.wait()
        print(f"{name} stopped on its own:\n{stack.log_tail(name)}", file=sys.stderr)
        return 1
    except (StepFailed, StackError) as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
        return 0
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="install, train and run the product")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("HANDOFF_PORT", 8000)))
    run_parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    run_parser.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    args = parser.parse_args()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
