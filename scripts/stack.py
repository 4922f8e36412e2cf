"""The whole product on loopback: the action server, the Rasa server and the handoff service.

`Stack` starts the three processes, waits for their health endpoints and stops them.
scripts/launch.py (`make run`) runs it on the default ports with its data in var/; the
end-to-end tests and the benchmarks start the same processes once, on free ports, with their
data in a scratch folder.

It only starts processes and waits for their health endpoints, so it runs on any Python 3.10+
with the standard library alone (it never imports rasa or the service).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venvs" / "bot" / "bin"
SERVICE_BIN = ROOT / ".venvs" / "handoff" / "bin"
HOST = "127.0.0.1"
NAMES = ("actions", "handoff", "rasa")


class StackError(RuntimeError):
    """A process of the stack did not start or stopped on its own."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def spawn(
    argv: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    """Starts a process in its own session, so it stops with its children; output goes to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab")  # noqa: SIM115 - kept open for the child's life
    return subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


# The secrets the processes share (.env.example): the action server's token for the handoff
# intake, the customer-token key, and the service's token for the assistant's assist endpoint.
SECRET_NAMES = ("HANDOFF_INTAKE_TOKEN", "CUSTOMER_TOKEN_SECRET", "HANDOFF_ASSIST_TOKEN")


def new_secrets(nbytes: int = 24) -> dict[str, str]:
    """Fresh random values of every shared secret."""
    return {name: secrets.token_urlsafe(nbytes) for name in SECRET_NAMES}


@dataclass
class Stack:
    """The three processes of the product, with their data and logs under `workdir`."""

    workdir: Path
    secrets: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    handoff_port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.handoff_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{HOST}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{HOST}:{self.actions_port}"

    @property
    def intake_token(self) -> str:
        return self.secrets["HANDOFF_INTAKE_TOKEN"]

    @property
    def assist_token(self) -> str:
        return self.secrets["HANDOFF_ASSIST_TOKEN"]

    @property
    def customer_token_secret(self) -> str:
        return self.secrets["CUSTOMER_TOKEN_SECRET"]

    @property
    def database_url(self) -> str:
        return self.extra_env.get(
            "HANDOFF_DATABASE_URL", f"sqlite:///{self.workdir / 'handoff.db'}"
        )

    def env(self) -> dict[str, str]:
        """The settings every process of the stack shares (see .env.example)."""
        env = dict(os.environ)
        env.update(self.secrets)
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "RASA_TELEMETRY_ENABLED": "false",
                # Rasa's tracker store, the demo shop and the handoff outbox.
                "NW_TRACKER_DB": str(self.workdir / "tracker.db"),
                "NW_LOCK_FILE": str(self.workdir / "rasa.locks"),
                "NW_SHOP_DB": str(self.workdir / "shop.db"),
                "NW_HANDOFF_OUTBOX": str(self.workdir / "handoff_outbox.db"),
                "ACTION_SERVER_URL": f"{self.actions_url}/webhook",
                "HANDOFF_URL": self.base_url,
                "SANIC_HOST": HOST,
                "HANDOFF_HOST": HOST,
                "HANDOFF_PORT": str(self.handoff_port),
                "HANDOFF_RASA_URL": self.rasa_url,
                "HANDOFF_DATABASE_URL": self.database_url,
                "HANDOFF_DEMO": "1",
            }
        )
        # Rasa's worker processes (the action server reads ACTION_SERVER_SANIC_WORKERS instead),
        # each running TensorFlow and numpy's OpenBLAS on one thread: the workers are the
        # parallelism, and more threads than cores only make them take turns; OpenBLAS's
        # threads woke for every small product (the language identifier's, the intent
        # classifier's) and made each take several times its work (docs/benchmarks.md).
        env.setdefault("SANIC_WORKERS", "2")
        env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, argv: list[str]) -> None:
        self.processes[name] = spawn(argv, self.env(), self.workdir / "logs" / f"{name}.log")

    def _argv(self, name: str) -> list[str]:
        if name == "actions":
            return [
                str(BOT_BIN / "rasa"),
                *f"run actions --actions actions -p {self.actions_port}".split(),
            ]
        if name == "handoff":
            return [str(SERVICE_BIN / "python"), "-m", "handoff"]
        # No --enable-api: Rasa's HTTP API stays off; only the REST channel listens, on loopback.
        # assistant.server is `rasa run` with fixes for Rasa's per-message overheads.
        args = (
            f"-m assistant.server run -i {HOST} -p {self.rasa_port}"
            " --credentials credentials.yml --endpoints endpoints.yml --model models"
        )
        return [str(BOT_BIN / "python"), *args.split()]

    def _health_url(self, name: str) -> str:
        return {
            "actions": f"{self.actions_url}/health",
            "handoff": f"{self.base_url}/healthz",
            "rasa": f"{self.rasa_url}/webhooks/rest/",
        }[name]

    def spawn_all(self) -> None:
        """Starts the three processes without waiting for them."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        for name in NAMES:
            self._spawn(name, self._argv(name))

    def start(self, timeout: float = 420.0) -> None:
        """Starts the three processes and returns once each answers its health check."""
        self.spawn_all()
        self.wait_ready(list(NAMES), timeout)

    def restart(self, name: str, sig: int = signal.SIGKILL, timeout: float = 420.0) -> None:
        """Kills one process (SIGKILL by default: no chance to clean up) and starts it again."""
        proc = self.processes[name]
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
        proc.wait()
        self._spawn(name, self._argv(name))
        self.wait_ready([name], timeout)

    def wait_ready(self, names: list[str], timeout: float = 420.0) -> None:
        """Returns once each named process answers its health check; stops the stack and
        raises StackError (with the log's last lines) if one exits or is not ready in time."""
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            for name in list(pending):
                self._check_alive(name)
                if _answers(self._health_url(name)):
                    pending.remove(name)
            if pending and time.monotonic() > deadline:
                self.stop()
                raise StackError(
                    f"not ready after {timeout:.0f}s: {', '.join(pending)}\n"
                    + self.log_tail(*pending)
                )
            time.sleep(0.3)

    def _check_alive(self, name: str) -> None:
        code = self.processes[name].poll()
        if code is not None:
            self.stop()
            raise StackError(f"{name} exited with code {code}\n{self.log_tail(name)}")

    def log_tail(self, *names: str, lines: int = 40) -> str:
        out = []
        for name in names:
            path = self.workdir / "logs" / f"{name}.log"
            text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            out.append(f"--- {name} ({path})\n" + "\n".join(text))
        return "\n".join(out)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def create_agent(
        self,
        username: str,
        name: str,
        password: str,
        teams: tuple[str, ...] = ("general",),
        capacity: int = 3,
        languages: tuple[str, ...] = ("en",),
        role: str = "agent",
    ) -> None:
        """Creates an agent account (role agent or supervisor) with the service's own CLI."""
        subprocess.run(
            [
                str(SERVICE_BIN / "python"),
                "-m",
                "handoff.cli",
                "create-agent",
                "--username",
                username,
                "--name",
                name,
                "--teams",
                ",".join(teams),
                "--capacity",
                str(capacity),
                "--languages",
                ",".join(languages),
                "--role",
                role,
                "--password-stdin",
            ],
            input=password.encode(),
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
        )

    def has_agents(self) -> bool:
        listing = subprocess.run(
            [str(SERVICE_BIN / "python"), "-m", "handoff.cli", "list-agents"],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return bool(listing.stdout.strip())

    def wait(self) -> str:
        """Blocks until one process exits; returns its name."""
        while True:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    return name
            time.sleep(0.5)


def scratch_stack(workdir: Path) -> Stack:
    """A stack for a benchmark run: its data under `workdir`, fresh random secrets."""
    return Stack(workdir=workdir, secrets=new_secrets())


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(200 <= response.status < 300)
    except (urllib.error.URLError, OSError):
        return False
