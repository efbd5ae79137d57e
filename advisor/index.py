"""The hybrid search index: exact aliases + BM25 (jieba/words) + dense vectors (faiss), fused by RRF.

Building is separate from searching. :func:`load_or_build` looks under ``index_dir`` for a
directory named by the encoder and the graph's content hash (plus this module's format version);
it verifies the files' SHA-256 checksums recorded in ``manifest.json`` and rebuilds when anything
is missing, different or corrupt. A build encodes every document text with a progress bar on
stderr (tqdm), writes into a temporary directory and renames it into place, under a file lock so
that several worker processes starting together build once.

Given the index of the previous graph version (``base``, a live reload), a build reuses what
did not change: the vectors of every dense text it already encoded and the term counts of every
document whose text is the same (tokenised again only when a word added to or removed from the
tokenizer's dictionary occurs in it). Such a build is saved later, in the background
(:func:`save_later`), not on the reload's path.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from advisor.normalize import normalize
from advisor.textindex import BM25, TermCounts, Tokenizer

__all__ = [
    "SearchDoc",
    "HybridIndex",
    "load_or_build",
    "index_key",
    "save_index",
    "later",
    "save_later",
    "busy",
    "flush_saves",
]

log = logging.getLogger("rongtong.advisor.index")

FORMAT_VERSION = 5
_KEEP_BUILDS = 3
# More dictionary words added or removed than this and every document is tokenised again.
_MAX_WORD_CHANGES = 64


@dataclass
class SearchDoc:
    iri: str
    kind: str  # the entity's main type, local name (Programme, Occupation, Fact…)
    label_zh: str
    label_en: str
    dense_texts: list[str] = field(default_factory=list)  # one vector each; a doc scores its best
    lexical: str = ""  # everything searchable: labels, aliases, definitions, claims
    boost: float = 1.0


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:80] or "enc"


def index_key(encoder_name: str, graph_hash: str, docs_digest: str) -> str:
    return f"{_slug(encoder_name)}__{graph_hash}__{docs_digest[:10]}__v{FORMAT_VERSION}"


def docs_digest(docs: list[SearchDoc]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(d.iri.encode())
        for t in d.dense_texts:
            h.update(b"\x1f" + t.encode())
        h.update(b"\x1e")
    return h.hexdigest()


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class HybridIndex:
    """Searchable state: docs, BM25, faiss index over dense vectors, vector → doc map."""

    def __init__(
        self, docs, tokenizer: Tokenizer, lexical, faiss_index, vec_doc, encoder, texts=None
    ):
        self.docs: list[SearchDoc] = docs
        self.tokenizer = tokenizer
        self.bm25 = lexical if isinstance(lexical, BM25) else BM25(lexical)
        # each document's normalised lexical text (what was tokenised), when known
        self.texts: list[str] | None = texts
        tokenizer.set_vocabulary(self.bm25.vocab)
        self.faiss = faiss_index
        self.vec_doc = np.asarray(vec_doc, dtype=np.int32)
        self.encoder = encoder
        self.by_iri = {d.iri: i for i, d in enumerate(docs)}
        self.kinds = np.array([d.kind for d in docs])
        self.boost = np.array([d.boost for d in docs], dtype=np.float32)
        self.build_seconds: float | None = None
        self.loaded_from_cache = False
        self.path: str | None = None
        self.key: str | None = None
        self.reused = {"documents": 0, "vectors": 0}  # from the base index (a live reload)

    # ------------------------------------------------------------------ pieces

    def lexical(self, tokens: list[str], mask: np.ndarray | None = None, k: int = 50):
        scores = self.bm25.scores(tokens)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        scores = scores * self.boost
        top = _topk(scores, k)
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def dense(self, vector: np.ndarray, mask: np.ndarray | None = None, k: int = 50):
        if self.faiss is None or self.faiss.ntotal == 0:
            return []
        want = min(self.faiss.ntotal, max(k * 4, 64) if mask is None else max(k * 20, 400))
        sims, ids = self.faiss.search(vector.reshape(1, -1).astype(np.float32), want)
        best: dict[int, float] = {}
        for sim, vid in zip(sims[0], ids[0], strict=False):
            if vid < 0:
                continue
            d = int(self.vec_doc[vid])
            if mask is not None and not mask[d]:
                continue
            if sim > best.get(d, -1.0):
                best[d] = float(sim)
        ranked = sorted(best.items(), key=lambda x: -x[1])
        return ranked[:k]

    def mask_for(self, kinds) -> np.ndarray | None:
        if not kinds:
            return None
        return np.isin(self.kinds, list(kinds))

    def fuse(self, lists: list[tuple[list[tuple[int, float]], float]], k: int = 10, c: int = 60):
        """Reciprocal rank fusion of ranked lists, each with a weight."""
        fused: dict[int, float] = {}
        for ranked, weight in lists:
            for rank, (doc, _score) in enumerate(ranked):
                fused[doc] = fused.get(doc, 0.0) + weight / (c + rank + 1)
        return sorted(fused.items(), key=lambda x: -x[1])[:k]


def _topk(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.argsort(-scores)
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part])]


# ---------------------------------------------------------------------- build / load


@contextlib.contextmanager
def _file_lock(path: str):
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on this platform
        yield
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fh = open(path, "a+")  # noqa: SIM115 - closed below; a read-only cache must not be fatal
    except OSError as err:
        log.warning("cache directory unusable (%s); building the index in memory", err)
        yield
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _encode_all(encoder, texts: list[str], progress: bool | None) -> np.ndarray:
    from tqdm import tqdm

    batch = 128
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32) if texts else None
    bar = tqdm(
        total=len(texts),
        desc=f"Building search index ({encoder.name})",
        unit="text",
        file=sys.stderr,
        disable=(not progress) if progress is not None else None,
        mininterval=0.5,
    )
    try:
        for start in range(0, len(texts), batch):
            chunk = texts[start : start + batch]
            out[start : start + len(chunk)] = encoder.encode(chunk)
            bar.update(len(chunk))
    finally:
        bar.close()
    if out is None:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return out


def _verify(path: str) -> dict | None:
    manifest_path = os.path.join(path, "manifest.json")
    try:
        with open(manifest_path, encoding="utf-8") as fh:
            manifest = json.load(fh)
        for name, digest in manifest["files"].items():
            if _sha256(os.path.join(path, name)) != digest:
                log.warning("index file %s/%s fails its checksum; rebuilding", path, name)
                return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _lexical(
    docs: list[SearchDoc], tokenizer: Tokenizer, base: HybridIndex | None
) -> tuple[BM25, list[str], int]:
    """BM25 over the docs, the normalised texts, and how many documents' counts were reused."""
    reuse: dict[str, int] = {}
    changed_words: frozenset[str] = frozenset()
    if base is not None and base.texts is not None and len(base.texts) == base.bm25.n:
        changed_words = tokenizer.extra_words ^ base.tokenizer.extra_words
        if len(changed_words) <= _MAX_WORD_CHANGES:
            for j, d in enumerate(base.docs):
                reuse.setdefault(d.lexical, j)
    counts = TermCounts(base.bm25 if reuse else None)
    texts: list[str] = []
    reused = 0
    for d in docs:
        j = reuse.get(d.lexical)
        if j is not None:
            text = base.texts[j]  # type: ignore[union-attr]
            # jieba cuts a text by the dictionary words it contains, so a word added or removed
            # that it does not contain leaves its tokens as they were. (Its total frequency does
            # move, by 2000 a word: that could only tip a near-tie between two cuts of a text.)
            if not changed_words or not any(w in text for w in changed_words):
                counts.add_from_base(j)
                texts.append(text)
                reused += 1
                continue
        text = normalize(d.lexical)
        counts.add_tokens(tokenizer.tokens(text, normalized=True))
        texts.append(text)
    return BM25.from_counts(counts), texts, reused


def _vectors(
    texts: list[str], encoder, base: HybridIndex | None, progress: bool | None
) -> tuple[np.ndarray, int]:
    """The vectors of the texts, taken from the base index where it encoded the same text."""
    known: dict[str, int] = {}
    matrix = None
    if (
        base is not None
        and base.faiss is not None
        and getattr(base.encoder, "name", None) == encoder.name
        and base.faiss.d == encoder.dim
    ):
        base_texts = [t for d in base.docs for t in d.dense_texts]
        if base_texts and len(base_texts) == base.faiss.ntotal:
            for i, t in enumerate(base_texts):
                known.setdefault(t, i)
    have = [i for i, t in enumerate(texts) if t in known]
    if have:
        matrix = base.faiss.reconstruct_n(0, base.faiss.ntotal)  # type: ignore[union-attr]
    missing = [i for i, t in enumerate(texts) if t not in known]
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    if have:
        out[have] = matrix[[known[texts[i]] for i in have]]
    if missing:
        out[missing] = _encode_all(encoder, [texts[i] for i in missing], progress)
    return out, len(have)


def _build(
    docs: list[SearchDoc],
    encoder,
    tokenizer: Tokenizer,
    base: HybridIndex | None,
    progress: bool | None,
) -> HybridIndex:
    import faiss

    started = time.perf_counter()
    bm25, texts, reused_docs = _lexical(docs, tokenizer, base)
    dense: list[str] = []
    vec_doc: list[int] = []
    for i, d in enumerate(docs):
        for t in d.dense_texts:
            dense.append(t)
            vec_doc.append(i)
    vectors, reused_vectors = _vectors(dense, encoder, base, progress)
    fidx = faiss.IndexFlatIP(encoder.dim)
    if len(vectors):
        fidx.add(vectors)
    idx = HybridIndex(docs, tokenizer, bm25, fidx, vec_doc, encoder, texts=texts)
    idx.build_seconds = time.perf_counter() - started
    idx.reused = {"documents": reused_docs, "vectors": reused_vectors}
    return idx


def load_or_build(
    docs: list[SearchDoc],
    encoder,
    tokenizer: Tokenizer,
    graph_hash: str,
    index_dir: str | None,
    progress: bool | None = None,
    *,
    base: HybridIndex | None = None,
) -> HybridIndex:
    """The index for these docs and this encoder: from ``index_dir`` if valid, else built (and
    saved). With ``base`` (the previous graph version's index) it is built from that one, and not
    saved here: see :func:`save_index` and :func:`save_later`."""
    import faiss

    digest = docs_digest(docs)
    key = index_key(encoder.name, graph_hash, digest)
    iris = [d.iri for d in docs]

    if base is not None:
        idx = _build(docs, encoder, tokenizer, base, progress)
        idx.key = key
        return idx

    def _load(path: str, manifest: dict) -> HybridIndex | None:
        if manifest.get("iris") != iris or manifest.get("encoder") != encoder.name:
            return None
        with open(os.path.join(path, "bm25.pickle"), "rb") as fh:
            lexical = pickle.load(fh)  # our own file, verified by its checksum above
        if not isinstance(lexical, dict) or not isinstance(lexical.get("bm25"), BM25):
            return None
        fidx = faiss.read_index(os.path.join(path, "dense.faiss"))
        vec_doc = np.load(os.path.join(path, "vec_doc.npy"))
        idx = HybridIndex(
            docs, tokenizer, lexical["bm25"], fidx, vec_doc, encoder, texts=lexical.get("texts")
        )
        idx.loaded_from_cache = True
        idx.path = path
        idx.key = key
        return idx

    if index_dir:
        path = os.path.join(index_dir, key)
        manifest = _verify(path)
        if manifest is not None:
            try:
                found = _load(path, manifest)
                if found is not None:
                    return found
            except (OSError, ValueError, RuntimeError, pickle.UnpicklingError, EOFError) as err:
                log.warning("index at %s unreadable (%s); rebuilding", path, err)

    lock = os.path.join(index_dir, ".build.lock") if index_dir else None
    with _file_lock(lock) if lock else contextlib.nullcontext():
        if index_dir:  # another process may have built it while we waited
            manifest = _verify(os.path.join(index_dir, key))
            if manifest is not None:
                try:
                    found = _load(os.path.join(index_dir, key), manifest)
                    if found is not None:
                        return found
                except (OSError, ValueError, RuntimeError, pickle.UnpicklingError, EOFError):
                    pass
        idx = _build(docs, encoder, tokenizer, None, progress)
        idx.key = key
        if index_dir:
            save_index(idx, index_dir, graph_hash)
    return idx


def save_index(idx: HybridIndex, index_dir: str, graph_hash: str) -> None:
    """Write the index under ``index_dir`` (unless a sound copy is there); never raises on a
    read-only or full cache."""
    key = idx.key or index_key(idx.encoder.name, graph_hash, docs_digest(idx.docs))
    try:
        if _verify(os.path.join(index_dir, key)) is not None:
            idx.path = os.path.join(index_dir, key)
            return
        idx.path = _save(index_dir, key, idx, [d.iri for d in idx.docs], graph_hash)
    except (OSError, RuntimeError) as err:  # faiss raises RuntimeError
        log.warning("could not save the search index under %s: %s", index_dir, err)


class _Later:
    """Background jobs (cache writes, warm-ups) that run once no newer job of the same key came
    for ``delay`` seconds (a daemon timer), so a burst of reloads does the work once, after the
    last — and never start while a :func:`busy` block is open (a reload is being built)."""

    def __init__(self) -> None:
        self._reset()
        if hasattr(os, "register_at_fork"):  # a forked worker has none of the parent's timers
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._busy = 0
        self._pending: dict[object, tuple[threading.Timer, Callable[[], None], bool]] = {}

    def schedule(self, key: object, job: Callable[[], None], delay: float, at_exit: bool) -> None:
        timer = threading.Timer(delay, lambda: self._run(key, timer))
        timer.daemon = True
        with self._cond:
            old = self._pending.get(key)
            if old is not None:
                old[0].cancel()
            self._pending[key] = (timer, job, at_exit)
        timer.start()

    def _run(self, key: object, timer: threading.Timer) -> None:
        with self._cond:
            while self._busy:
                self._cond.wait()
            entry = self._pending.get(key)
            if entry is None or entry[0] is not timer:
                return  # superseded or flushed
            del self._pending[key]
        _guarded(entry[1])

    @contextlib.contextmanager
    def busy(self):
        with self._cond:
            self._busy += 1
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def flush(self, exiting: bool = False) -> None:
        with self._cond:
            pending = list(self._pending.values())
            self._pending.clear()
        for timer, job, at_exit in pending:
            timer.cancel()
            if at_exit or not exiting:
                _guarded(job)


def _guarded(job: Callable[[], None]) -> None:
    try:
        job()
    except Exception:  # noqa: BLE001 - background work must never break the service
        log.exception("background job of the advisor failed")


_LATER = _Later()
SAVE_DELAY = 3.0


def later(
    key: object, job: Callable[[], None], delay: float | None = None, *, at_exit: bool = True
) -> None:
    """Run ``job`` in the background once no newer job for ``key`` came for ``delay`` seconds
    (default :data:`SAVE_DELAY`) and no :func:`busy` block is open; ``at_exit``: still run it
    when the process exits first (a cache write; not a warm-up)."""
    _LATER.schedule(key, job, SAVE_DELAY if delay is None else delay, at_exit)


save_later = later


def busy():
    """A context manager: background jobs (:func:`later`) wait while it is open — a reload wraps
    its validation and build in it, so a cache write or warm-up does not slow it down."""
    return _LATER.busy()


def flush_saves() -> None:
    """Run the pending background jobs now (tests, benchmarks)."""
    _LATER.flush()


atexit.register(_LATER.flush, exiting=True)


def _save(index_dir, key, idx: HybridIndex, iris, graph_hash) -> str:
    import faiss

    os.makedirs(index_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-", dir=index_dir)
    try:
        faiss.write_index(idx.faiss, os.path.join(tmp, "dense.faiss"))
        np.save(os.path.join(tmp, "vec_doc.npy"), idx.vec_doc)
        with open(os.path.join(tmp, "bm25.pickle"), "wb") as fh:
            pickle.dump(
                {"bm25": idx.bm25, "texts": idx.texts}, fh, protocol=pickle.HIGHEST_PROTOCOL
            )
        files = {
            n: _sha256(os.path.join(tmp, n)) for n in ("dense.faiss", "vec_doc.npy", "bm25.pickle")
        }
        manifest = {
            "format": FORMAT_VERSION,
            "encoder": idx.encoder.name,
            "dim": idx.encoder.dim,
            "graph_hash": graph_hash,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "build_seconds": idx.build_seconds,
            "n_docs": len(iris),
            "n_vectors": int(idx.faiss.ntotal),
            "iris": iris,
            "files": files,
        }
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False)
        final = os.path.join(index_dir, key)
        if os.path.exists(final):
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(index_dir, key)
    return final


def _prune(index_dir: str, keep_key: str) -> None:
    """Keep the few newest builds per encoder; older graph versions go."""
    prefix = keep_key.split("__", 1)[0] + "__"
    builds = []
    for name in os.listdir(index_dir):
        full = os.path.join(index_dir, name)
        if name.startswith(prefix) and os.path.isdir(full) and name != keep_key:
            builds.append((os.path.getmtime(full), full))
    builds.sort(reverse=True)
    for _, full in builds[_KEEP_BUILDS - 1 :]:
        shutil.rmtree(full, ignore_errors=True)
