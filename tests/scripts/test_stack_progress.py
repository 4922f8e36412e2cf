"""`make run` shows one line per step with its time; a failing step shows its log's tail."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from stack_progress import Progress, StepFailed, elapsed, failure_report, tail


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    "seconds, shown",
    [(0, "0.0s"), (4.24, "4.2s"), (59.9, "59.9s"), (60, "1m 00s"), (187.4, "3m 07s")],
)
def test_elapsed_time_is_seconds_then_minutes(seconds, shown):
    """Under a minute in tenths of seconds, above it in minutes and seconds."""
    assert elapsed(seconds) == shown


@pytest.mark.parametrize(
    "text, lines, shown",
    [
        ("a\nb\nc\n", 2, "    b\n    c"),
        ("a\n\n  \nb\n", 5, "    a\n    b"),
        ("", 3, "    (the log is empty)"),
    ],
)
def test_the_tail_keeps_the_last_non_empty_lines_indented(text, lines, shown):
    """Blank lines do not use up the tail."""
    assert tail(text, lines) == shown


def test_a_failure_report_names_the_step_the_log_and_its_last_lines(tmp_path):
    """The report is enough to start looking: which step, why, where, and the end of the log."""
    log = tmp_path / "train.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)) + "ValueError: bad domain\n")
    report = failure_report("Training the assistant", log, "exit code 1")
    assert report.startswith("Training the assistant failed: exit code 1.\nFull log: ")
    assert str(log) in report and report.endswith("    ValueError: bad domain")
    assert "line 50\n" not in report


def test_a_step_line_shows_its_number_and_elapsed_time():
    """begin and end write one line: number, title, outcome and the time it took."""
    out, clock = io.StringIO(), Clock()
    progress = Progress(3, out=out, clock=clock)
    started = progress.begin("Building the spaCy pipeline")
    clock.now += 12.34
    progress.end(started)
    assert out.getvalue() == "  [1/3] Building the spaCy pipeline ... done (12.3s)\n"


def test_a_step_that_raises_ends_its_line_with_failed():
    """The exception goes on; the line does not stay half written."""
    out = io.StringIO()
    progress = Progress(2, out=out, clock=Clock())

    def broken() -> None:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        progress.call("Loading the assistant", broken)
    assert out.getvalue() == "  [1/2] Loading the assistant ... failed (0.0s)\n"


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_command_s_output_goes_to_its_log_not_the_terminal(tmp_path):
    """Whatever the command prints, on stdout or stderr, lands in the log only."""
    out, log = io.StringIO(), tmp_path / "logs" / "step.log"
    code = "import sys; print('DeprecationWarning: old'); print('more', file=sys.stderr)"
    Progress(1, out=out).run("Installing", python(code), log)
    assert "DeprecationWarning" not in out.getvalue()
    assert out.getvalue().startswith("  [1/1] Installing ... done (")
    assert "DeprecationWarning: old" in log.read_text() and "more" in log.read_text()


def test_a_command_that_had_nothing_to_do_is_shown_up_to_date(tmp_path):
    """The step's own output decides: here it said so."""
    out = io.StringIO()
    Progress(1, out=out).run(
        "Training",
        python("print('Nothing changed.')"),
        tmp_path / "train.log",
        up_to_date=lambda printed: "Nothing changed" in printed,
    )
    assert " ... up to date (" in out.getvalue()


def test_only_this_run_s_output_decides_whether_it_was_up_to_date(tmp_path):
    """An earlier run's lines in the same log do not count."""
    log = tmp_path / "train.log"
    log.write_text("Nothing changed.\n")
    out = io.StringIO()
    Progress(1, out=out).run(
        "Training",
        python("print('trained')"),
        log,
        up_to_date=lambda printed: "Nothing changed" in printed,
    )
    assert " ... done (" in out.getvalue()


def test_a_failing_command_raises_with_its_log_tail(tmp_path):
    """A non-zero exit ends the line with failed and raises StepFailed with the report."""
    out, log = io.StringIO(), tmp_path / "spacy.log"
    code = "import sys; print('OSError: no such model'); sys.exit(3)"
    with pytest.raises(StepFailed) as error:
        Progress(1, out=out).run("Building the spaCy pipeline", python(code), log)
    assert out.getvalue().startswith("  [1/1] Building the spaCy pipeline ... failed (")
    assert "exit code 3" in str(error.value) and "OSError: no such model" in str(error.value)
    assert str(log) in str(error.value)


def test_a_command_that_cannot_start_is_a_step_failure(tmp_path):
    """A missing program is reported like any other failure, not as a traceback."""
    with pytest.raises(StepFailed, match="cannot run it"):
        Progress(1, out=io.StringIO()).run(
            "Installing", [str(tmp_path / "no-such-program")], tmp_path / "install.log"
        )


def test_the_step_log_records_the_command(tmp_path):
    """Each run is headed by its command, so a log of several runs reads in order."""
    log = tmp_path / "step.log"
    Progress(1, out=io.StringIO()).run("Step", python("print(1)"), log)
    assert f"$ {sys.executable} -c print(1)" in log.read_text()
    assert Path(log).read_text().count("====") == 1
