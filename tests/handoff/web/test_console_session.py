"""The agent console's handling of an ended session (widget/agent/session.js), run in node."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[3] / "widget" / "agent" / "session.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

STORAGE = """
const store = new Map();
const storage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
"""


def run(body: str):
    script = f"import * as s from {json.dumps(MODULE.as_uri())};\n{STORAGE}\n{body}"
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=20
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    ("code", "keeps", "words"),
    [(4401, True, "sign in again"), (4440, True, "sign in again"), (4403, False, "disabled")],
)
def test_a_session_ending_close_code_is_explained(code, keeps, words):
    ending = run(f"console.log(JSON.stringify(s.sessionEnding({code})))")
    assert ending["keepDrafts"] is keeps and words in ending["text"]


@pytest.mark.parametrize("code", [1001, 1006, 4029, 4409])
def test_other_close_codes_just_reconnect(code):
    assert run(f"console.log(JSON.stringify(s.sessionEnding({code})))") is None


def test_drafts_survive_signing_in_again_once():
    got = run(
        """
        s.keepDrafts(storage, [["c1", "Let me check that refund"], ["c2", "  "]]);
        const first = s.takeDraft(storage, "c1");
        const again = s.takeDraft(storage, "c1");
        const blank = s.takeDraft(storage, "c2");
        const left = storage.getItem("northwind-agent.drafts");
        console.log(JSON.stringify([first, again, blank, left]));
        """
    )
    assert got == ["Let me check that refund", "", "", None]
