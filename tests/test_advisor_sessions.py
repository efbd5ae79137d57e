"""Session stores: TTL, bound with LRU eviction, malformed ids, SQLite shared by processes."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from advisor.sessions import (
    MemorySessionStore,
    SQLiteSessionStore,
    new_session_id,
    valid_session_id,
)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request, tmp_path):
    def make(ttl=60.0, max_sessions=3, clock=None):
        clock = clock or Clock()
        if request.param == "memory":
            return MemorySessionStore(ttl=ttl, max_sessions=max_sessions, clock=clock)
        return SQLiteSessionStore(
            tmp_path / "s.sqlite", ttl=ttl, max_sessions=max_sessions, clock=clock
        )

    return make


def test_roundtrip(make_store):
    store = make_store()
    sid = new_session_id()
    assert valid_session_id(sid)
    store.put(sid, {"profile": {"stage": "x"}, "n": 1})
    assert store.get(sid) == {"profile": {"stage": "x"}, "n": 1}


def test_ttl_expires(make_store):
    clock = Clock()
    store = make_store(ttl=10, clock=clock)
    sid = new_session_id()
    store.put(sid, {"a": 1})
    clock.now += 9
    assert store.get(sid) == {"a": 1}
    clock.now += 11
    assert store.get(sid) is None


def test_bound_evicts_least_recently_used(make_store):
    clock = Clock()
    store = make_store(max_sessions=3, clock=clock)
    ids = [new_session_id() for _ in range(4)]
    for i, sid in enumerate(ids[:3]):
        clock.now += 1
        store.put(sid, {"i": i})
    clock.now += 1
    store.put(ids[0], {"i": 0, "again": True})  # ids[0] is now the most recent
    clock.now += 1
    store.put(ids[3], {"i": 3})
    assert len(store) == 3
    assert store.get(ids[1]) is None  # the least recently used went
    assert store.get(ids[0])["again"] is True
    assert store.get(ids[3]) == {"i": 3}


@pytest.mark.parametrize(
    "bad", [None, "", "x", "../../etc/passwd", "a" * 300, 42, "<script>", "é" * 20]
)
def test_malformed_ids_read_as_none(make_store, bad):
    store = make_store()
    assert store.get(bad) is None
    assert not valid_session_id(bad)


def _worker(path, sid, n):
    store = SQLiteSessionStore(path, ttl=600, max_sessions=100)
    for i in range(n):
        data = store.get(sid) or {"count": 0}
        data["count"] = data["count"] + 1
        data[f"w{i}"] = i
        store.put(sid, data)


def test_sqlite_shared_between_processes(tmp_path):
    path = tmp_path / "shared.sqlite"
    store = SQLiteSessionStore(path, ttl=600, max_sessions=100)
    sid = new_session_id()
    store.put(sid, {"count": 0, "profile": {"stage": "s"}})
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=_worker, args=(str(path), sid, 5))
    p.start()
    p.join(60)
    assert p.exitcode == 0
    data = store.get(sid)
    assert data["count"] == 5 and data["profile"] == {"stage": "s"}


def test_sqlite_store_uses_wal_and_synchronous_normal(tmp_path):
    """WAL lets the workers read while one writes; synchronous=NORMAL skips the fsync per turn.
    Measured with /api/chat under gunicorn (2 workers): 2-4x the requests/s of the rollback
    journal with synchronous=FULL (bench/RESULTS.md)."""
    store = SQLiteSessionStore(tmp_path / "s.sqlite", ttl=60, max_sessions=10)
    con = store._con()
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
