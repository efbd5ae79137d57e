"""Server-side conversation state: a small profile per session, with a time-to-live and a bound.

Two stores with one interface (``get(session_id) -> dict | None``, ``put(session_id, data)``,
``new_id()``, ``delete(session_id)``, ``__len__``):

- :class:`MemorySessionStore` — one process; least-recently-used eviction beyond ``max_sessions``.
- :class:`SQLiteSessionStore` — one file shared by every worker process on a host (WAL mode), so a
  conversation survives its next turn landing on another gunicorn worker.

A session id is 22 URL-safe random characters. Anything else (unknown, expired, malformed) reads
as ``None``: the advisor then starts a new session with a fresh id, never an error.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from typing import Any

__all__ = ["MemorySessionStore", "SQLiteSessionStore", "valid_session_id", "new_session_id"]

_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_session_id() -> str:
    return secrets.token_urlsafe(16)


def valid_session_id(session_id: Any) -> bool:
    return isinstance(session_id, str) and bool(_ID.match(session_id))


class MemorySessionStore:
    """Sessions in this process's memory: TTL in seconds, LRU eviction beyond ``max_sessions``."""

    def __init__(self, ttl: float = 24 * 3600.0, max_sessions: int = 10000, clock=time.monotonic):
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        self.ttl = float(ttl)
        self.max_sessions = int(max_sessions)
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    new_id = staticmethod(new_session_id)

    def get(self, session_id: str | None) -> dict | None:
        if not valid_session_id(session_id):
            return None
        now = self._clock()
        with self._lock:
            item = self._data.get(session_id)
            if item is None:
                return None
            stamp, payload = item
            if now - stamp > self.ttl:
                del self._data[session_id]
                return None
            self._data.move_to_end(session_id)
        return json.loads(payload)

    def put(self, session_id: str, data: dict) -> None:
        if not valid_session_id(session_id):
            raise ValueError("malformed session id")
        payload = json.dumps(data, ensure_ascii=False)
        now = self._clock()
        with self._lock:
            self._data[session_id] = (now, payload)
            self._data.move_to_end(session_id)
            # expired first, then least recently used
            while self._data:
                oldest_id, (stamp, _) = next(iter(self._data.items()))
                if now - stamp > self.ttl or len(self._data) > self.max_sessions:
                    del self._data[oldest_id]
                else:
                    break

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._data.pop(session_id, None)

    def __len__(self) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for stamp, _ in self._data.values() if now - stamp <= self.ttl)


class SQLiteSessionStore:
    """Sessions in one SQLite file shared by the worker processes of one host.

    Each process opens its own connection (per thread); WAL mode lets readers and one writer
    proceed together, and a busy timeout rides over short write locks. Time is wall-clock
    (``time.time``) because it is compared across processes.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        ttl: float = 24 * 3600.0,
        max_sessions: int = 10000,
        clock=time.time,
    ):
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        self.path = os.fspath(path)
        self.ttl = float(ttl)
        self.max_sessions = int(max_sessions)
        self._clock = clock
        self._local = threading.local()
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        con = self._con()
        with con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS sessions ("
                " id TEXT PRIMARY KEY, data TEXT NOT NULL, updated REAL NOT NULL)"
            )
            con.execute("CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated)")
        self._writes = 0

    new_id = staticmethod(new_session_id)

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        pid = os.getpid()
        if con is None or getattr(self._local, "pid", None) != pid:
            con = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA busy_timeout=10000")
            self._local.con = con
            self._local.pid = pid
        return con

    def get(self, session_id: str | None) -> dict | None:
        if not valid_session_id(session_id):
            return None
        row = (
            self._con()
            .execute("SELECT data, updated FROM sessions WHERE id = ?", (session_id,))
            .fetchone()
        )
        if row is None:
            return None
        payload, updated = row
        if self._clock() - updated > self.ttl:
            self.delete(session_id)
            return None
        try:
            return json.loads(payload)
        except json.JSONDecodeError:
            return None

    def put(self, session_id: str, data: dict) -> None:
        if not valid_session_id(session_id):
            raise ValueError("malformed session id")
        now = self._clock()
        payload = json.dumps(data, ensure_ascii=False)
        con = self._con()
        con.execute(
            "INSERT INTO sessions(id, data, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
            (session_id, payload, now),
        )
        self._writes += 1
        # Bound and expiry: cheap enough to run on every write (indexed), which keeps the
        # table within max_sessions even when many processes write.
        con.execute("DELETE FROM sessions WHERE updated < ?", (now - self.ttl,))
        (count,) = con.execute("SELECT COUNT(*) FROM sessions").fetchone()
        if count > self.max_sessions:
            con.execute(
                "DELETE FROM sessions WHERE id IN ("
                " SELECT id FROM sessions ORDER BY updated ASC LIMIT ?)",
                (count - self.max_sessions,),
            )

    def delete(self, session_id: str) -> None:
        self._con().execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def __len__(self) -> int:
        (count,) = (
            self._con()
            .execute(
                "SELECT COUNT(*) FROM sessions WHERE updated >= ?", (self._clock() - self.ttl,)
            )
            .fetchone()
        )
        return int(count)

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
