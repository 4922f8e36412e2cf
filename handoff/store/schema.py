"""The schema as numbered migrations, written once for SQLite and PostgreSQL.

Migration 1 is the tables as first released; each later one is a change since, never edited
once released. A database records the migrations it has had in ``schema_migrations``, and the
store applies the missing ones on start (handoff/store/migrations.py). Only the column types
differ between the two databases. Times are unix seconds (floats); JSON documents are text.

To change the schema, append a migration with the next number; a fresh database and an
upgraded one then end up with the same tables.
"""

from __future__ import annotations

from typing import NamedTuple

FIRST_TABLES = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    resume_token TEXT NOT NULL,
    customer_token TEXT,
    owner TEXT NOT NULL,
    agent_id TEXT,
    priority INTEGER NOT NULL DEFAULT 4,
    team TEXT,
    queue_rank {REAL},
    queued_at {REAL},
    last_seq INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    context TEXT,
    last_buttons TEXT NOT NULL DEFAULT '[]',
    csat_pending INTEGER NOT NULL DEFAULT 0,
    created_at {REAL} NOT NULL,
    updated_at {REAL} NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, priority, queue_rank);
CREATE TABLE IF NOT EXISTS messages (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sender TEXT NOT NULL,
    client_id TEXT,
    body TEXT NOT NULL,
    ts {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_client ON messages (conversation_id, client_id);
CREATE TABLE IF NOT EXISTS transitions (
    id {SERIAL},
    conversation_id TEXT NOT NULL,
    from_owner TEXT NOT NULL,
    to_owner TEXT NOT NULL,
    from_agent TEXT,
    to_agent TEXT,
    reason TEXT NOT NULL,
    changed_at {REAL} NOT NULL
);
CREATE INDEX IF NOT EXISTS transitions_conversation ON transitions (conversation_id);
CREATE TABLE IF NOT EXISTS handoffs (
    handoff_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    body TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS redactions (
    conversation_id TEXT NOT NULL,
    placeholder TEXT NOT NULL,
    kind TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (conversation_id, placeholder)
);
CREATE TABLE IF NOT EXISTS reveals (
    id {SERIAL},
    conversation_id TEXT NOT NULL,
    placeholder TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    revealed_at {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    conversation_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    text TEXT NOT NULL,
    ts {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, client_id)
);
CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    teams TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_tokens (
    token_hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    expires_at {REAL} NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    conversation_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    note TEXT,
    created_at {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, client_id)
);
CREATE TABLE IF NOT EXISTS csat (
    conversation_id TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT,
    agent_id TEXT,
    resolution TEXT,
    bot_turns INTEGER NOT NULL,
    agent_turns INTEGER NOT NULL,
    created_at {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, created_at)
);
"""

TYPES = {
    "sqlite": {"REAL": "REAL", "SERIAL": "INTEGER PRIMARY KEY"},
    "postgresql": {"REAL": "DOUBLE PRECISION", "SERIAL": "BIGSERIAL PRIMARY KEY"},
}


# A NamedTuple, not a dataclass: this file is also loaded on its own, outside the package
# (tests/assistant builds a handoff database from ddl() in Rasa's environment).
class Migration(NamedTuple):
    """One numbered change: DDL statements, or one column added (if not already there)."""

    version: int
    name: str
    ddl: str = ""
    add_column: tuple[str, str, str] | None = None  # (table, column, definition)
    backfill: str = ""  # run once when the column is added, to give old rows a true value

    def statements(self, dialect: str) -> list[str]:
        """The DDL for this dialect, one statement each (no statement quotes a ';')."""
        text = self.ddl.format(**TYPES[dialect])
        return [part.strip() for part in text.split(";") if part.strip()]


MIGRATIONS = (
    Migration(1, "tables", ddl=FIRST_TABLES),
    # A database from before migrations were recorded has migration 1's tables and, depending
    # on the build that created it, these columns or not: each is added only where missing.
    Migration(
        2,
        "conversations.relayed_seq",
        add_column=("conversations", "relayed_seq", "INTEGER NOT NULL DEFAULT 0"),
        # Messages stored before this column existed were relayed then (or are long stale):
        # none of them is relayed again on resume.
        backfill="UPDATE conversations SET relayed_seq = last_seq",
    ),
    Migration(
        3,
        "agents.languages",
        add_column=("agents", "languages", "TEXT NOT NULL DEFAULT '[\"en\"]'"),
    ),
    # The verified customer a handoff is about, so an agent sees their earlier conversations.
    Migration(4, "handoffs.customer_id", add_column=("handoffs", "customer_id", "TEXT")),
    # The latest agent replies across conversations (suggested replies, handoff/service/assist.py).
    Migration(
        5,
        "messages_sender index",
        ddl="CREATE INDEX IF NOT EXISTS messages_sender ON messages (sender, ts)",
    ),
    # What the customer actually wanted, said by the agent at close, and the customer messages
    # (seqs, a JSON list) the assistant misunderstood: conversation designers review them. And
    # a designer's decision on one review item (accept, relabel, reject: `make review`).
    Migration(
        6,
        "nlu_labels and review_decisions tables",
        ddl="""
CREATE TABLE IF NOT EXISTS nlu_labels (
    conversation_id TEXT NOT NULL,
    intent TEXT NOT NULL,
    misunderstood TEXT NOT NULL DEFAULT '[]',
    agent_id TEXT NOT NULL,
    created_at {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, created_at)
);
CREATE TABLE IF NOT EXISTS review_decisions (
    item_id TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    intent TEXT,
    text TEXT NOT NULL,
    decided_at {REAL} NOT NULL
);
""",
    ),
    # How each conversation ended and what it cost the customer (handoff/core/outcomes.py,
    # one row per conversation, rewritten as the conversation goes on). Supervisors' insights
    # and /metrics both read this table.
    Migration(
        7,
        "outcomes table",
        ddl="""
CREATE TABLE IF NOT EXISTS outcomes (
    conversation_id TEXT PRIMARY KEY,
    ending TEXT NOT NULL,
    final INTEGER NOT NULL DEFAULT 0,
    resolution TEXT,
    team TEXT,
    agent_id TEXT,
    trigger TEXT,
    risk_reason TEXT,
    topic TEXT,
    customer_id TEXT,
    email_hash TEXT,
    order_ref TEXT,
    started_at {REAL} NOT NULL,
    ended_at {REAL},
    first_answer_seconds {REAL},
    wait_seconds {REAL},
    handle_seconds {REAL},
    customer_turns INTEGER NOT NULL DEFAULT 0,
    repeats INTEGER NOT NULL DEFAULT 0,
    handoffs INTEGER NOT NULL DEFAULT 0,
    transfers INTEGER NOT NULL DEFAULT 0,
    recontact_of TEXT,
    recontact_days {REAL},
    recontacted INTEGER NOT NULL DEFAULT 0,
    bot_rating INTEGER,
    agent_rating INTEGER,
    updated_at {REAL} NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_started ON outcomes (started_at);
CREATE INDEX IF NOT EXISTS outcomes_customer ON outcomes (customer_id);
CREATE INDEX IF NOT EXISTS outcomes_email ON outcomes (email_hash);
CREATE INDEX IF NOT EXISTS outcomes_order ON outcomes (order_ref)
""",
    ),
    # Which part of the conversation a rating is about: the assistant's or the person's.
    Migration(
        8,
        "csat.part",
        add_column=("csat", "part", "TEXT NOT NULL DEFAULT 'person'"),
    ),
    # Supervisors see the insights page; agents do not.
    Migration(
        9,
        "agents.role",
        add_column=("agents", "role", "TEXT NOT NULL DEFAULT 'agent'"),
    ),
    # What the assistant made of each customer message it answered, as its REST reply said:
    # the intent, and whether the turn met the customer's goal, left a request open (a form
    # asking) or failed (a fallback). Outcomes and insights read it; it is never shown.
    Migration(
        10,
        "turns table",
        ddl="""
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    intent TEXT,
    confidence {REAL},
    goal TEXT NOT NULL,
    topic TEXT,
    order_ref TEXT,
    email_hash TEXT,
    ts {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX IF NOT EXISTS turns_ts ON turns (ts)
""",
    ),
)


def ddl(dialect: str) -> str:
    """Every statement that builds the current schema in an empty database, as one script."""
    statements: list[str] = []
    for migration in MIGRATIONS:
        statements += migration.statements(dialect)
        if migration.add_column is not None:
            table, column, definition = migration.add_column
            statements.append(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    return ";\n".join(statements) + ";\n"
