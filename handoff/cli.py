"""Operator commands for the handoff service: agents, stored contacts and satisfaction scores.

Commands: create-agent, list-agents, disable-agent, enable-agent, list-contacts, csat-report.

They use the same database as the service (HANDOFF_DATABASE_URL, default sqlite:///var/handoff.db).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
import time

from handoff.service.auth import AGENT, ROLES, hash_password
from handoff.store import Store, open_store

MIN_PASSWORD = 8


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m handoff.cli", description=__doc__)
    parser.add_argument("--database-url", default=None, help="overrides HANDOFF_DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-agent", help="create an agent account")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--teams", default="*", help="comma list of teams, '*' for every team")
    create.add_argument("--capacity", type=int, default=3, help="conversations at once")
    create.add_argument(
        "--languages", default="en", help="comma list of ISO 639-1 codes the agent speaks"
    )
    create.add_argument(
        "--role",
        default=AGENT,
        choices=ROLES,
        help="supervisors also see the insights page (default: agent)",
    )
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    sub.add_parser("list-agents", help="list agent accounts")
    for name in ("disable-agent", "enable-agent"):
        cmd = sub.add_parser(name, help=f"{name.split('-')[0]} an agent account")
        cmd.add_argument("username")
    sub.add_parser("list-contacts", help="list contacts customers left for follow-up (JSON lines)")
    sub.add_parser(
        "csat-report", help="satisfaction scores, with bot and agent turns apart (JSON lines)"
    )
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        sys.exit("passwords do not match")
    return first


async def _run(args: argparse.Namespace, store: Store) -> int:
    if args.command == "create-agent":
        password = _password(args.password_stdin)
        if len(password) < MIN_PASSWORD:
            print(f"password must be at least {MIN_PASSWORD} characters", file=sys.stderr)
            return 2
        if args.capacity < 1:
            print("--capacity must be at least 1", file=sys.stderr)
            return 2
        teams = [t.strip() for t in args.teams.split(",") if t.strip()]
        languages = [code.strip().lower() for code in args.languages.split(",") if code.strip()]
        if not languages or not all(
            len(code) == 2 and code.isascii() and code.isalpha() for code in languages
        ):
            print("--languages must be ISO 639-1 codes such as en,es", file=sys.stderr)
            return 2
        created = await store.create_agent(
            args.username,
            args.name,
            teams,
            args.capacity,
            hash_password(password),
            time.time(),
            languages,
            args.role,
        )
        if not created:
            print(f"agent {args.username!r} already exists", file=sys.stderr)
            return 1
        print(
            f"created agent {args.username} ({args.name}), teams {','.join(teams)}, capacity"
            f" {args.capacity}, languages {','.join(languages)}, role {args.role}"
        )
    elif args.command == "list-agents":
        for agent in await store.list_agents():
            state = "disabled" if agent["disabled"] else "active"
            print(
                f"{agent['id']}\t{agent['name']}\t{','.join(agent['teams'])}\t{agent['capacity']}"
                f"\t{','.join(agent['languages'])}\t{agent['role']}\t{state}"
            )
    elif args.command in ("disable-agent", "enable-agent"):
        if not await store.set_agent_disabled(args.username, args.command == "disable-agent"):
            print(f"no agent {args.username!r}", file=sys.stderr)
            return 1
        print(f"{args.command.split('-')[0]}d {args.username}")
    elif args.command == "list-contacts":
        for contact in await store.list_contacts():
            print(json.dumps(contact))
    elif args.command == "csat-report":
        for row in await store.csat_scores():
            print(json.dumps(row))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.database_url or os.environ.get("HANDOFF_DATABASE_URL") or "sqlite:///var/handoff.db"

    async def run() -> int:
        store = open_store(url)
        await store.open()
        try:
            return await _run(args, store)
        finally:
            await store.close()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
