"""Conversation scripts of the judgement benchmark: the file format, loaded and checked.

A script file is YAML with one key, `scripts`, a list of scripts:

```yaml
scripts:
  - id: person-form-01            # unique across every file loaded together
    category: person_request      # one of CATEGORIES
    note: asked while the order form waits for a number   # optional, free text
    turns:
      - say: "where is my parcel"           # the customer types a message
      - say: "no. a real person please"
        mark: true                          # the turn the category's rule is about
    expect:                                 # optional, checked on top of the category's rule
      trigger: customer_request             # the queue item's trigger kind
      reply_contains: "person"              # a bot reply to the marked turn contains this
```

A turn is exactly one of `say: <text>` (1-2000 characters), `button: <title or payload>` (a
quick reply the bot offered in its latest reply) or `request_agent: true` (the widget's "Talk
to a person" control). At most one turn carries `mark: true`; without one the last turn is
marked. Loading never guesses: any other key or a wrong type is a `ScriptError` naming the file,
the script and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = (
    "person_request",
    "escalation",
    "emergency",
    "frustration",
    "loop",
    "language",
    "unsupported",
    "routine",
    "identity",
)
TURN_KINDS = ("say", "button", "request_agent")
EXPECT_KEYS = ("trigger", "reply_contains")
MAX_TEXT = 2000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")

HERE = Path(__file__).resolve().parent
# One file per set; later held-out batches were each written before the changes they were first
# run against. "all" is every file, each still reported as its own set.
SETS: dict[str, tuple[Path, ...]] = {
    "dev": (HERE / "scripts_dev.yml",),
    "heldout": (HERE / "scripts_heldout.yml",),
    "heldout-b": (HERE / "scripts_heldout_b.yml",),
    "heldout-c": (HERE / "scripts_heldout_c.yml",),
    "heldout-d": (HERE / "scripts_heldout_d.yml",),
}
SETS["all"] = tuple(path for paths in SETS.values() for path in paths)


class ScriptError(ValueError):
    """A script file that is not in the format above."""


@dataclass(frozen=True)
class Turn:
    kind: str  # one of TURN_KINDS
    value: str  # the text, the button's title or payload, or "" for request_agent

    def describe(self) -> str:
        if self.kind == "say":
            return self.value
        if self.kind == "button":
            return f"[button {self.value}]"
        return "[Talk to a person]"


@dataclass(frozen=True)
class Script:
    id: str
    category: str
    turns: tuple[Turn, ...]
    marked: int  # index of the marked turn
    expect: dict[str, str] = field(default_factory=dict)
    note: str = ""
    source: str = ""  # the set it came from: dev, heldout, heldout-b, ...


def _fail(where: str, message: str) -> ScriptError:
    return ScriptError(f"{where}: {message}")


def _turn(raw: Any, where: str) -> tuple[Turn, bool]:
    if not isinstance(raw, dict):
        raise _fail(where, f"a turn must be a mapping such as {{say: ...}}, not {raw!r}")
    unknown = set(raw) - {*TURN_KINDS, "mark"}
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; a turn has one of {TURN_KINDS}")
    kinds = [k for k in TURN_KINDS if k in raw]
    if len(kinds) != 1:
        found = kinds or "none"
        raise _fail(where, f"a turn has exactly one of {TURN_KINDS}, this one has {found}")
    kind = kinds[0]
    mark = raw.get("mark", False)
    if not isinstance(mark, bool):
        raise _fail(where, f"'mark' must be true or false, not {mark!r}")
    value = raw[kind]
    if kind == "request_agent":
        if value is not True:
            raise _fail(where, "'request_agent' must be true")
        return Turn(kind, ""), mark
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{kind}' must be a non-blank string, not {value!r}")
    if len(value) > MAX_TEXT:
        raise _fail(where, f"'{kind}' is {len(value)} characters; the service takes {MAX_TEXT}")
    return Turn(kind, value), mark


def parse_script(raw: Any, where: str, source: str = "") -> Script:
    """One script from its YAML mapping; `where` names it in errors."""
    if not isinstance(raw, dict):
        raise _fail(where, f"a script must be a mapping, not {type(raw).__name__}")
    unknown = set(raw) - {"id", "category", "turns", "expect", "note"}
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}")
    sid = raw.get("id")
    if not isinstance(sid, str) or not ID_PATTERN.match(sid):
        raise _fail(where, f"'id' must match {ID_PATTERN.pattern}, not {sid!r}")
    where = f"{where} ({sid})"
    category = raw.get("category")
    if category not in CATEGORIES:
        raise _fail(where, f"'category' must be one of {', '.join(CATEGORIES)}, not {category!r}")
    turns_raw = raw.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        raise _fail(where, "'turns' must be a non-empty list")
    turns: list[Turn] = []
    marks: list[int] = []
    for i, turn_raw in enumerate(turns_raw):
        turn, mark = _turn(turn_raw, f"{where} turn {i + 1}")
        turns.append(turn)
        if mark:
            marks.append(i)
    if len(marks) > 1:
        raise _fail(where, f"at most one turn is marked; turns {[m + 1 for m in marks]} are")
    expect = raw.get("expect") or {}
    if not isinstance(expect, dict):
        raise _fail(where, "'expect' must be a mapping")
    bad = set(expect) - set(EXPECT_KEYS)
    if bad:
        raise _fail(where, f"unknown expectation(s) {sorted(bad)}; known: {EXPECT_KEYS}")
    for key, value in expect.items():
        if not isinstance(value, str) or not value.strip():
            raise _fail(where, f"expectation '{key}' must be a non-blank string")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fail(where, "'note' must be a string")
    return Script(
        id=sid,
        category=category,
        turns=tuple(turns),
        marked=marks[0] if marks else len(turns) - 1,
        expect=dict(expect),
        note=note,
        source=source,
    )


def parse_file(text: str, name: str, source: str = "") -> list[Script]:
    """Every script of one file's text; `name` is how errors refer to the file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScriptError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) != {"scripts"}:
        raise ScriptError(f"{name}: the file must be a mapping with one key, 'scripts'")
    if not isinstance(data["scripts"], list) or not data["scripts"]:
        raise ScriptError(f"{name}: 'scripts' must be a non-empty list")
    return [
        parse_script(raw, f"{name} script {i + 1}", source) for i, raw in enumerate(data["scripts"])
    ]


def set_name(path: Path) -> str:
    """The set a script file belongs to, from its name: "dev" unless the name says "heldout",
    then "heldout" and what follows it ("scripts_heldout_b.yml": "heldout-b")."""
    stem = path.stem
    if "heldout" not in stem:
        return "dev"
    return stem[stem.index("heldout") :].replace("_", "-")


def load(paths: tuple[Path, ...] | list[Path]) -> list[Script]:
    """The scripts of several files, with ids unique across all of them."""
    scripts: list[Script] = []
    for path in paths:
        if not path.exists():
            raise ScriptError(f"{path}: no such script file")
        source = set_name(path)
        scripts.extend(parse_file(path.read_text(encoding="utf-8"), str(path), source))
    seen: set[str] = set()
    for script in scripts:
        if script.id in seen:
            raise ScriptError(f"script id {script.id!r} appears more than once")
        seen.add(script.id)
    return scripts


def select(scripts: list[Script], only: list[str] | None, limit: int | None) -> list[Script]:
    """The scripts named by `only` (all when None), then the first `limit` of them."""
    if only:
        known = {s.id for s in scripts}
        missing = [sid for sid in only if sid not in known]
        if missing:
            raise ScriptError(f"no script with id {', '.join(missing)} in the chosen set")
        wanted = set(only)
        scripts = [s for s in scripts if s.id in wanted]
    if limit is not None:
        if limit < 1:
            raise ScriptError(f"--limit must be at least 1, not {limit}")
        scripts = scripts[:limit]
    return scripts
