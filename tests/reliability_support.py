"""Helpers for the reliability and security tests (fuzz, schemathesis, abuse, concurrency, faults).

``real_app`` is the real application (``create_app`` on the real graph, the advisor with the
"hash" encoder) with the limits and private logging installed; ``assert_error_shape`` checks the
project's one JSON error shape; ``ServeProcess`` runs ``rongtong serve`` (gunicorn) on 127.0.0.1
in its own process group so that a test can stop exactly what it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_support import make_app  # noqa: E402


def real_app(**config: Any):
    """The real app on the shared graph and advisor (create_app installs the limits, the private
    logging and the 503 handler itself; ``install_mine`` checks that they are there)."""
    return install_mine(make_app(**config))


def install_mine(app):
    """Limits, private logging and the 503 handler on an app: each a no-op when already there,
    which it is for every app that create_app built."""
    from web.faults import install_fault_handlers
    from web.limits import install_limits
    from web.logging_setup import install_logging

    install_limits(app)
    install_logging(app)
    install_fault_handlers(app)
    return app


def assert_error_shape(resp, where: str = "") -> dict:
    """A 4xx answer in the one JSON error shape: {"error": {"code": str, "message": str}}."""
    assert 400 <= resp.status_code < 500, f"{where}: status {resp.status_code}"
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"{where}: {resp.status_code} as {ctype!r}"
    body = json.loads(resp.get_data())
    assert isinstance(body, dict) and set(body) == {"error"}, f"{where}: {body!r}"[:300]
    err = body["error"]
    assert isinstance(err, dict), f"{where}: {body!r}"[:300]
    assert isinstance(err.get("code"), str) and err["code"], f"{where}: {body!r}"[:300]
    assert isinstance(err.get("message"), str) and err["message"], f"{where}: {body!r}"[:300]
    return err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[int, bytes, dict[str, str], float]:
    """(status, body, headers, seconds) for one request; HTTP errors are answers, not raised."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), dict(resp.headers), time.perf_counter() - started
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers), time.perf_counter() - started


def post_json(url: str, data: Any, timeout: float = 30.0):
    return http(
        "POST",
        url,
        json.dumps(data, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": "application/json"},
        timeout,
    )


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc), children first."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    out, frontier = [], [pid]
    while frontier:
        nxt = [child for child, parent in parents.items() if parent in frontier]
        out += nxt
        frontier = nxt
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process (from /proc/<pid>/stat), None when gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] == "Z":
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


class ServeProcess:
    """``rongtong serve`` (gunicorn, production) on 127.0.0.1:<free port>, its own process group."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, timeout: float = 900.0):
        self.port = free_port()
        self.args = args
        self.env = env or {}
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="rongtong-test-serve-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        cmd = [sys.executable, "-m", "web.cli", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), *self.args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"rongtong serve exited {self.proc.returncode}: {self.tail()}")
            with contextlib.suppress(OSError):
                status, _, _, _ = http("GET", self.url + "/healthz", timeout=2)
                if status == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"rongtong serve not healthy in {self.timeout:.0f} s: {self.tail()}")

    def workers(self) -> list[int]:
        assert self.proc is not None
        return descendants(self.proc.pid)

    def tail(self, n: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)


def check_answer(resp, where: str, json_200: bool = True) -> None:
    """No 5xx; every 4xx in the error shape; a JSON 200 never carries a raw '<' (no markup)."""
    assert resp.status_code < 500, f"{where}: {resp.status_code} {resp.get_data()[:300]!r}"
    if resp.status_code >= 400:
        assert_error_shape(resp, where)
    elif json_200 and resp.status_code == 200:
        assert resp.headers.get("Content-Type", "").startswith("application/json"), where
        assert b"<" not in resp.get_data(), f"{where}: raw '<' in a JSON answer"
