"""Faults: a remote store that goes away and comes back, a corrupt index cache, a read-only or
full cache directory.

- Remote store: the ``oxigraph`` server (from PyPI) is started by the test on a free port of
  127.0.0.1 with the ontology loaded; the app runs with ``store=<that URL>``. With the server
  stopped, ``/api/pathways``, ``/api/entity`` and ``/sparql`` answer **503** in the JSON error
  shape with a clear message (never 500); with it restarted on the same port, the same app
  answers 200 again by itself.
- Search index cache: a corrupt file (bytes flipped, truncated, a bad manifest) fails its
  checksum and is rebuilt, not trusted; the rebuilt cache loads next time.
- Cache directory read-only (a read-only tmpfs), full (a tiny tmpfs), or not a directory: the
  advisor is built in memory and answers; nothing crashes. tmpfs needs root and mount rights;
  without them a full disk is simulated with RLIMIT_FSIZE in a child process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from reliability_support import REPO, free_port, http, install_mine

pytestmark = pytest.mark.slow

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
PATHWAY_BY_ID = "/api/pathways?from=stage-secondary-vocational&to=stage-bachelor"
PATHWAY_BY_LABEL = "/api/pathways?from=%E4%B8%AD%E8%81%8C&to=%E6%9C%AC%E7%A7%91"
ENTITY = "/api/entity/stage-bachelor"
SPARQL = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


# ----------------------------------------------------------------------------- remote store


class OxigraphServer:
    """``oxigraph serve-read-only`` on 127.0.0.1:<port> over a database the test loaded."""

    def __init__(self, location: Path, port: int) -> None:
        self.location = location
        self.port = port
        self.proc: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self) -> None:
        cmd = [str(OXIGRAPH), "serve-read-only", "--location", str(self.location)]
        cmd += ["--bind", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "oxigraph server exited"
            with contextlib.suppress(OSError):
                if http("GET", self.query_url + "?query=ASK%7B%7D", timeout=2)[0] == 200:
                    return
            time.sleep(0.1)
        raise TimeoutError("oxigraph server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    from web_support import shared_graph

    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (PyPI 'oxigraph') is not installed")
    root = tmp_path_factory.mktemp("remote")
    dump = root / "graph.nt"
    dump.write_bytes(shared_graph().export("nt"))
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(root / "db"), "--file", str(dump)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    server = OxigraphServer(root / "db", free_port())
    server.start()
    from web.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "STORE": server.query_url,
            "ENCODER": "hash",
            "INDEX_DIR": str(root / "index"),
            "RELOAD_WATCH": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    install_mine(app)
    yield server, app.test_client()
    server.stop()


def test_remote_store_down_gives_503_and_recovers_by_itself(remote):
    server, client = remote
    for url in (PATHWAY_BY_ID, PATHWAY_BY_LABEL, ENTITY, SPARQL):
        assert client.get(url).status_code == 200, url

    server.stop()
    for url in (PATHWAY_BY_ID, ENTITY, SPARQL):
        resp = client.get(url)
        assert resp.status_code == 503, (url, resp.status_code, resp.get_data()[:300])
        err = json.loads(resp.get_data())["error"]
        assert err["code"] == "store_unavailable" and "unavailable" in err["message"], err
        assert "127.0.0.1" not in err["message"]  # no internals in the message
        assert int(resp.headers["Retry-After"]) > 0
    # what the app holds in memory may still answer; nothing is a 500
    for url in (PATHWAY_BY_LABEL, "/api/search?q=nurse", "/healthz"):
        resp = client.get(url)
        assert resp.status_code in (200, 503), (url, resp.status_code)
    resp = client.post("/api/chat", json={"message": "中职能上本科吗"})
    assert resp.status_code in (200, 503), resp.status_code

    server.start()  # same port: the app was not touched
    for url in (PATHWAY_BY_ID, PATHWAY_BY_LABEL, ENTITY, SPARQL):
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code, resp.get_data()[:300])
    assert json.loads(client.get(SPARQL).get_data())["boolean"] is True


# ----------------------------------------------------------------------------- index cache


def _advisor(index_dir):
    from web_support import shared_graph

    from advisor import Advisor

    return Advisor(shared_graph(), encoder="hash", index_dir=str(index_dir), progress=False)


def _index_files(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.glob("*/*") if p.is_file())


def _answers(adv) -> None:
    reply = adv.ask("中职毕业能读本科吗")
    assert reply.answer and reply.citations
    assert adv.search("nurse", k=3)


@pytest.mark.parametrize("damage", ["flip", "truncate", "manifest", "delete"])
def test_corrupt_index_cache_is_rebuilt_not_trusted(tmp_path, damage, caplog):
    first = _advisor(tmp_path)
    assert not first.index.loaded_from_cache
    files = _index_files(tmp_path)
    assert files, "no index was written"
    assert _advisor(tmp_path).index.loaded_from_cache  # a sound cache is used
    by_name = {p.name: p for p in files}
    if damage == "flip":
        target = by_name["dense.faiss"]
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target = by_name["lexical.json"] if "lexical.json" in by_name else files[0]
        target.write_bytes(target.read_bytes()[: max(1, target.stat().st_size // 3)])
    elif damage == "manifest":
        by_name["manifest.json"].write_text("{not json", encoding="utf-8")
    else:
        by_name["vec_doc.npy"].unlink()
    with caplog.at_level(logging.WARNING):
        rebuilt = _advisor(tmp_path)
    assert not rebuilt.index.loaded_from_cache, f"a damaged cache ({damage}) was trusted"
    _answers(rebuilt)
    again = _advisor(tmp_path)
    assert again.index.loaded_from_cache, "the rebuilt cache was not saved"
    _answers(again)


# ----------------------------------------------------------------------------- cache dir faults


@contextlib.contextmanager
def _tmpfs(options: str):
    """A tmpfs mounted with ``options``; skips when this process may not mount."""
    point = Path(tempfile.mkdtemp(prefix="rongtong-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True
    )
    if done.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)
        with contextlib.suppress(OSError):
            point.rmdir()


def _degrades_to_memory(index_dir: Path) -> None:
    adv = _advisor(index_dir)
    assert not adv.index.loaded_from_cache
    _answers(adv)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="needs root mount")
def test_read_only_cache_dir_degrades_to_memory():
    with _tmpfs("ro,size=1m") as point:
        _degrades_to_memory(point)
        _degrades_to_memory(point / "index")  # a missing directory under a read-only one


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None, reason="needs root mount")
def test_full_cache_dir_degrades_to_memory():
    with _tmpfs("size=64k") as point:
        _degrades_to_memory(point / "index")
        leftovers = [p for p in point.rglob("*") if p.is_file() and p.stat().st_size]
        assert sum(p.stat().st_size for p in leftovers) <= 64 * 1024


def test_cache_dir_that_is_a_file_degrades_to_memory(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    _degrades_to_memory(blocker / "index")


_FULL_DISK_CHILD = r"""
import resource, signal, sys
sys.path.insert(0, sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # writes past the limit fail with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # like a disk with 4 KiB free
from advisor import Advisor
from kg import open_graph
adv = Advisor(open_graph(), encoder="hash", index_dir=sys.argv[1], progress=False)
reply = adv.ask("中职毕业能读本科吗")
assert reply.answer and not adv.index.loaded_from_cache
print("ANSWERED")
"""


def test_full_disk_simulated_with_a_file_size_limit(tmp_path):
    """Works without mount rights: the advisor in a child whose writes fail past 4 KiB."""
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK_CHILD, str(tmp_path / "index"), str(REPO)],
        cwd=REPO,
        capture_output=True,
        timeout=900,
    )
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode == 0 and "ANSWERED" in out, out[-3000:]
