"""The tables, written once for SQLite and PostgreSQL (only the column types differ).

Times are unix seconds (floats); JSON documents are stored as text.
"""

TABLES = """
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
    relayed_seq INTEGER NOT NULL DEFAULT 0,
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
-- The latest agent replies across conversations (suggested replies, handoff/service/assist.py).
CREATE INDEX IF NOT EXISTS messages_sender ON messages (sender, ts);
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
    created_at {REAL} NOT NULL,
    customer_id TEXT
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
    languages TEXT NOT NULL DEFAULT '["en"]',
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
-- What the customer actually wanted, said by the agent at close, and the customer messages
-- (seqs, a JSON list) the assistant misunderstood; conversation designers review them.
CREATE TABLE IF NOT EXISTS nlu_labels (
    conversation_id TEXT NOT NULL,
    intent TEXT NOT NULL,
    misunderstood TEXT NOT NULL DEFAULT '[]',
    agent_id TEXT NOT NULL,
    created_at {REAL} NOT NULL,
    PRIMARY KEY (conversation_id, created_at)
);
-- A designer's decision on one review item (accept, relabel, reject; `make review`).
CREATE TABLE IF NOT EXISTS review_decisions (
    item_id TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    intent TEXT,
    text TEXT NOT NULL,
    decided_at {REAL} NOT NULL
);
"""

TYPES = {
    "sqlite": {"REAL": "REAL", "SERIAL": "INTEGER PRIMARY KEY"},
    "postgresql": {"REAL": "DOUBLE PRECISION", "SERIAL": "BIGSERIAL PRIMARY KEY"},
}


# Columns added after a table was first released: (table, column, definition). A database
# created before gets them on open, with their default for the existing rows.
ADDED_COLUMNS = (
    ("agents", "languages", "TEXT NOT NULL DEFAULT '[\"en\"]'"),
    # The verified customer a handoff is about, so an agent sees their earlier conversations.
    ("handoffs", "customer_id", "TEXT"),
)


def ddl(dialect: str) -> str:
    return TABLES.format(**TYPES[dialect])
