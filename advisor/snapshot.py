"""A disk cache of what the advisor derives from one graph version (the in-memory snapshot, the
alias table and the search documents), so a restart with an unchanged graph skips the
85,000-row query and the table building.

Keyed by the graph's content hash and a digest of the advisor's own source files that build it
(so a code change invalidates it too); verified by SHA-256 before it is unpickled; written
atomically. Only files this process family wrote under ``index_dir`` are ever read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["load", "save", "code_digest"]

log = logging.getLogger("rongtong.advisor.snapshot")

_SOURCES = ("knowledge.py", "linking.py", "lexicon.py", "normalize.py", "core.py", "snapshot.py")


def code_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:10]


def _path(index_dir: str, graph_hash: str) -> Path:
    return Path(index_dir) / f"snapshot-{graph_hash}-{code_digest()}.pickle"


def load(index_dir: str | None, graph_hash: str):
    if not index_dir or not graph_hash or graph_hash in ("remote", "nohash"):
        return None
    path = _path(index_dir, graph_hash)
    digest_path = path.with_suffix(".sha256")
    try:
        data = path.read_bytes()
        expected = digest_path.read_text().strip()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != expected:
        log.warning("snapshot %s fails its checksum; rebuilding", path)
        return None
    try:
        return pickle.loads(data)
    except Exception as err:  # noqa: BLE001 - any unpickling problem means: rebuild
        log.warning("snapshot %s unreadable (%s); rebuilding", path, err)
        return None


def save(index_dir: str | None, graph_hash: str, value) -> None:
    if not index_dir or not graph_hash or graph_hash in ("remote", "nohash"):
        return
    path = _path(index_dir, graph_hash)
    try:
        os.makedirs(index_dir, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        for target, payload in (
            (path, data),
            (path.with_suffix(".sha256"), hashlib.sha256(data).hexdigest().encode()),
        ):
            fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".tmp-snap-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, target)
        # older snapshots of other graph versions or code go
        for old in Path(index_dir).glob("snapshot-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
                old.with_suffix(".sha256").unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as err:
        log.warning("could not save the advisor snapshot under %s: %s", index_dir, err)
