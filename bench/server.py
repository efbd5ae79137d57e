"""Start the production server (``rongtong serve``: gunicorn, process workers) for a benchmark.

Binds 127.0.0.1 on a free port, waits for ``/healthz``, reports the master's and workers' memory
(RSS and PSS, which splits pages shared copy-on-write after gunicorn's preload fork), and stops
the server by its process group, which only this process started.
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

__all__ = ["Server", "free_port", "proc_memory", "http_json"]

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _pss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def proc_memory(pid: int) -> dict[str, float | None]:
    """RSS, peak RSS (VmHWM) and PSS of one process, in MB."""

    def mb(kb: int | None) -> float | None:
        return None if kb is None else round(kb / 1024, 1)

    return {
        "rss_mb": mb(_status_kb(pid, "VmRSS")),
        "peak_rss_mb": mb(_status_kb(pid, "VmHWM")),
        "pss_mb": mb(_pss_kb(pid)),
    }


def children_of(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return sorted(out)


def http_json(
    url: str, body: dict[str, Any] | None = None, timeout: float = 30.0
) -> tuple[int, Any, float]:
    """(status, parsed JSON or text, seconds) for one GET (body None) or JSON POST."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if body else "GET")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    elapsed = time.perf_counter() - started
    try:
        return status, json.loads(raw), elapsed
    except ValueError:
        return status, raw[:500].decode("utf-8", "replace"), elapsed


class Server:
    """``rongtong serve`` on 127.0.0.1:<free port>; use as a context manager."""

    def __init__(
        self,
        workers: int | None = None,
        env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
        start_timeout: float = 180.0,
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.env = env or {}
        self.extra_args = extra_args or []
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.start_seconds: float | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="rongtong-serve-", suffix=".log")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        script = Path(sys.executable).parent / "rongtong"
        base = [str(script)] if script.exists() else [sys.executable, "-m", "web.cli"]
        cmd = [*base, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.workers:
            cmd += ["--workers", str(self.workers)]
        return cmd + self.extra_args

    def start(self) -> Server:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        log = self.log_path.open("wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command(), cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip
        deadline = started + self.start_timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"rongtong serve exited ({self.proc.returncode}): {self.log_tail()}"
                )
            try:
                status, _, _ = http_json(self.url + "/healthz", timeout=2.0)
                if status == 200:
                    self.start_seconds = time.perf_counter() - started
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"rongtong serve not healthy after {self.start_timeout:.0f} s: {self.log_tail()}"
        )

    def log_tail(self, n: int = 1500) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def memory(self) -> dict[str, Any]:
        """Memory of the master and each worker, and the total PSS (what the host really pays)."""
        assert self.proc is not None
        master = self.proc.pid
        workers = children_of(master)
        procs = {"master": proc_memory(master)}
        for i, pid in enumerate(workers):
            procs[f"worker{i + 1}"] = proc_memory(pid)
        pss = [m["pss_mb"] for m in procs.values() if m["pss_mb"] is not None]
        return {
            "processes": procs,
            "workers": len(workers),
            "total_pss_mb": round(sum(pss), 1) if pss else None,
            "max_rss_mb": max((m["rss_mb"] or 0) for m in procs.values()),
        }

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: gunicorn and its workers
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)
