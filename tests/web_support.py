"""Shared helpers for the web tests (tests/test_web_*.py, tests/test_browser_*.py).

One real graph and one real advisor (the "hash" encoder: these tests are about HTTP, not search
quality) are shared by every app the tests create; ``live_server`` runs an app on a free port of
127.0.0.1 with werkzeug's ``make_server`` in a thread, for real HTTP clients and the browser.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL_DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shared_graph():
    from advisor.testing import shared_graph as graph

    return graph()


def shared_advisor():
    from advisor.testing import shared_advisor as advisor

    return advisor("hash")


def make_app(**config):
    """A Flask app on the shared graph and advisor, with config overrides."""
    from web.app import create_app

    base = {"TESTING": True, "GRAPH": shared_graph(), "ADVISOR": shared_advisor()}
    base.update(config)
    return create_app(base)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port> in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def wait_healthy(base: str, seconds: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{base} never answered /healthz")


@contextlib.contextmanager
def rongtong_serve(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``rongtong serve --port <free> ARGS`` (gunicorn) as a child; yields the base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "web.cli", "serve", "--port", str(port), *args]
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(base, 180, proc)
        except (RuntimeError, TimeoutError) as err:
            proc.kill()
            _, stderr = proc.communicate(timeout=10)
            raise RuntimeError(f"{err}\n{stderr.decode(errors='replace')[-3000:]}") from None
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
