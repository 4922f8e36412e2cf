"""`make run`: the product on its default ports, with its data, secrets and logs in var/.

Starts the stack of scripts/stack.py, creates the demo agent on first use and prints the
URLs; Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from pathlib import Path

from stack import ROOT, Stack, StackError


def load_or_create_secrets(path: Path) -> dict[str, str]:
    """Reads KEY=VALUE secrets from `path`, creating random ones on first use."""
    if path.exists():
        pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
        return {key.strip(): value.strip() for key, value in pairs}
    values = {
        "HANDOFF_INTAKE_TOKEN": secrets.token_urlsafe(32),
        "CUSTOMER_TOKEN_SECRET": secrets.token_urlsafe(32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    path.chmod(0o600)
    return values


def ensure_demo_agent(stack: Stack, workdir: Path) -> str:
    """The demo agent's login, creating the account when the service has no agent yet."""
    saved = workdir / "demo-agent.txt"
    if stack.has_agents():
        if saved.exists():
            return saved.read_text().strip()
        return "an existing account (make agent creates more)"
    password = secrets.token_urlsafe(9)
    stack.create_agent("demo", "Demo Agent", password, teams=("*",), capacity=5)
    saved.write_text(f"username demo, password {password}\n")
    saved.chmod(0o600)
    return saved.read_text().strip()


def run(args: argparse.Namespace) -> int:
    """`make run`: the product on its default ports with its data in var/."""
    workdir = ROOT / "var"
    stack = Stack(
        workdir=workdir,
        secrets=load_or_create_secrets(workdir / "secrets.env"),
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        handoff_port=args.port,
        extra_env={
            "HANDOFF_DATABASE_URL": os.environ.get(
                "HANDOFF_DATABASE_URL", f"sqlite:///{workdir / 'handoff.db'}"
            )
        },
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(
        "Starting the action server, the assistant (about two minutes to load) and the "
        "handoff service...",
        flush=True,
    )
    try:
        stack.start()
        login = ensure_demo_agent(stack, workdir)
        print(
            f"""
  Demo store with the chat widget:  {stack.base_url}/
  Agent console:                    {stack.base_url}/agent
    log in with {login}
  Metrics:                          {stack.base_url}/metrics

  Create an agent account:  make agent USERNAME=ana NAME=Ana TEAMS=orders,billing
  Logs: {workdir / "logs"}     Stop with Ctrl-C.
""",
            flush=True,
        )
        name = stack.wait()
        print(f"{name} stopped:\n{stack.log_tail(name)}", file=sys.stderr)
        return 1
    except StackError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="run the product on the default ports")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("HANDOFF_PORT", 8000)))
    run_parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    run_parser.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    args = parser.parse_args()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
