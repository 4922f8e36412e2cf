"""The processes the stack starts run their numeric libraries on one thread each."""

from __future__ import annotations

import json
import subprocess

import pytest
from stack import BOT_BIN, ROOT, Stack

# What the assistant's process would see of its BLAS and TensorFlow thread settings.
PROBE = """
import json, os
import numpy, threadpoolctl
blas = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
print(json.dumps({"blas": blas, "tf": os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS")}))
"""


@pytest.mark.skipif(not (BOT_BIN / "python").exists(), reason="needs the assistant's environment")
def test_the_assistant_runs_openblas_and_tensorflow_on_one_thread_per_worker(tmp_path, monkeypatch):
    # The defaults, not what the shell running the tests happens to set.
    for name in ("OPENBLAS_NUM_THREADS", "TF_INTRA_OP_PARALLELISM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    env = Stack(workdir=tmp_path, secrets={}).env()
    out = subprocess.run(
        [str(BOT_BIN / "python"), "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["blas"], "numpy loaded no BLAS library"
    assert set(seen["blas"]) == {1}
    assert seen["tf"] == "1"
