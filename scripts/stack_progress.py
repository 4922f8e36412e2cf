"""Progress for `make run`: one line per step with its elapsed time, the output in a log file.

A step's own output (pip, spaCy, Rasa training and their deprecation warnings) goes to its log
in var/logs/, never to the terminal. When a step fails, the terminal gets where its log is and
its last lines, which is where the reason is.

    [3/5] Training the assistant ... done (3m 12s)

Standard library only, like scripts/stack.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")
TAIL_LINES = 25


class StepFailed(RuntimeError):
    """A step did not succeed; the message says which, where its log is and how it ended."""


def elapsed(seconds: float) -> str:
    """``4.2s`` under a minute, ``3m 07s`` above."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def tail(text: str, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` non-empty lines of ``text``, each indented, for a failure report."""
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(f"    {line}" for line in kept) if kept else "    (the log is empty)"


def failure_report(title: str, log: Path, reason: str) -> str:
    """What the terminal shows when a step fails."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return f"{title} failed: {reason}.\nFull log: {log}\nIts last lines:\n{tail(text)}"


def command_line(argv: Sequence[str]) -> str:
    return " ".join(argv)


@dataclass
class Progress:
    """Numbered steps written to ``out``; each step's time comes from ``clock``."""

    total: int
    out: TextIO = field(default_factory=lambda: sys.stdout)
    clock: Callable[[], float] = time.monotonic
    number: int = 0

    def begin(self, title: str) -> float:
        self.number += 1
        self.out.write(f"  [{self.number}/{self.total}] {title} ... ")
        self.out.flush()
        return self.clock()

    def end(self, started: float, note: str = "done") -> None:
        self.out.write(f"{note} ({elapsed(self.clock() - started)})\n")
        self.out.flush()

    def call(self, title: str, work: Callable[[], T]) -> T:
        """Run ``work`` as one step; on an exception the line ends with "failed"."""
        started = self.begin(title)
        try:
            result = work()
        except BaseException:
            self.end(started, "failed")
            raise
        self.end(started)
        return result

    def run(
        self,
        title: str,
        argv: Sequence[str],
        log: Path,
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        up_to_date: Callable[[str], bool] | None = None,
    ) -> None:
        """Run a command as one step, its output appended to ``log``.

        ``up_to_date`` looks at what the command printed and says whether it had nothing to
        do; the line then says "up to date" instead of "done". Raises StepFailed.
        """
        started = self.begin(title)
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} $ {command_line(argv)}\n")
            out.flush()
            offset = out.tell()
            try:
                code = subprocess.run(
                    list(argv),
                    cwd=cwd,
                    env=None if env is None else dict(env),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=False,
                ).returncode
            except OSError as error:
                self.end(started, "failed")
                raise StepFailed(failure_report(title, log, f"cannot run it ({error})")) from None
        if code != 0:
            self.end(started, "failed")
            raise StepFailed(failure_report(title, log, f"exit code {code}"))
        printed = _read_from(log, offset)
        self.end(started, "up to date" if up_to_date and up_to_date(printed) else "done")


def _read_from(path: Path, offset: int) -> str:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode(errors="replace")
