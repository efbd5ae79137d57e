"""The hybrid search index: exact aliases + BM25 (jieba/words) + dense vectors (faiss), fused by RRF.

Building is separate from searching. :func:`load_or_build` looks under ``index_dir`` for a
directory named by the encoder and the graph's content hash (plus this module's format version);
it verifies the files' SHA-256 checksums recorded in ``manifest.json`` and rebuilds when anything
is missing, different or corrupt. A build encodes every document text with a progress bar on
stderr (tqdm), writes into a temporary directory and renames it into place, under a file lock so
that several worker processes starting together build once.
"""

from __future__ import annotations

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
import time
from dataclasses import dataclass, field

import numpy as np

from advisor.textindex import BM25, Tokenizer

__all__ = ["SearchDoc", "HybridIndex", "load_or_build", "index_key"]

log = logging.getLogger("rongtong.advisor.index")

FORMAT_VERSION = 4
_KEEP_BUILDS = 3


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

    def __init__(self, docs, tokenizer: Tokenizer, lexical, faiss_index, vec_doc, encoder):
        self.docs: list[SearchDoc] = docs
        self.tokenizer = tokenizer
        self.bm25 = lexical if isinstance(lexical, BM25) else BM25(lexical)
        tokenizer.set_vocabulary(self.bm25.terms)
        self.faiss = faiss_index
        self.vec_doc = np.asarray(vec_doc, dtype=np.int32)
        self.encoder = encoder
        self.by_iri = {d.iri: i for i, d in enumerate(docs)}
        self.kinds = np.array([d.kind for d in docs])
        self.boost = np.array([d.boost for d in docs], dtype=np.float32)
        self.build_seconds: float | None = None
        self.loaded_from_cache = False
        self.path: str | None = None

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


def load_or_build(
    docs: list[SearchDoc],
    encoder,
    tokenizer: Tokenizer,
    graph_hash: str,
    index_dir: str | None,
    progress: bool | None = None,
) -> HybridIndex:
    """The index for these docs and this encoder: from ``index_dir`` if valid, else built (and saved)."""
    import faiss

    digest = docs_digest(docs)
    key = index_key(encoder.name, graph_hash, digest)
    iris = [d.iri for d in docs]

    def _load(path: str, manifest: dict) -> HybridIndex | None:
        if manifest.get("iris") != iris or manifest.get("encoder") != encoder.name:
            return None
        with open(os.path.join(path, "bm25.pickle"), "rb") as fh:
            bm25 = pickle.load(fh)  # our own file, verified by its checksum above
        fidx = faiss.read_index(os.path.join(path, "dense.faiss"))
        vec_doc = np.load(os.path.join(path, "vec_doc.npy"))
        idx = HybridIndex(docs, tokenizer, bm25, fidx, vec_doc, encoder)
        idx.loaded_from_cache = True
        idx.path = path
        return idx

    if index_dir:
        path = os.path.join(index_dir, key)
        manifest = _verify(path)
        if manifest is not None:
            try:
                found = _load(path, manifest)
                if found is not None:
                    return found
            except (OSError, ValueError, RuntimeError) as err:
                log.warning("index at %s unreadable (%s); rebuilding", path, err)

    started = time.perf_counter()
    lock = os.path.join(index_dir, ".build.lock") if index_dir else None
    with _file_lock(lock) if lock else contextlib.nullcontext():
        if index_dir:  # another process may have built it while we waited
            manifest = _verify(os.path.join(index_dir, key))
            if manifest is not None:
                try:
                    found = _load(os.path.join(index_dir, key), manifest)
                    if found is not None:
                        return found
                except (OSError, ValueError, RuntimeError):
                    pass
        lexical_tokens = [tokenizer.tokens(d.lexical) for d in docs]
        texts: list[str] = []
        vec_doc: list[int] = []
        for i, d in enumerate(docs):
            for t in d.dense_texts:
                texts.append(t)
                vec_doc.append(i)
        vectors = _encode_all(encoder, texts, progress)
        fidx = faiss.IndexFlatIP(encoder.dim)
        if len(vectors):
            fidx.add(vectors)
        idx = HybridIndex(docs, tokenizer, lexical_tokens, fidx, vec_doc, encoder)
        idx.build_seconds = time.perf_counter() - started
        if index_dir:
            try:
                idx.path = _save(index_dir, key, idx, iris, graph_hash)
            except (
                OSError,
                RuntimeError,
            ) as err:  # read-only or full cache: not fatal (faiss raises RuntimeError)
                log.warning("could not save the search index under %s: %s", index_dir, err)
    return idx


def _save(index_dir, key, idx: HybridIndex, iris, graph_hash) -> str:
    import faiss

    os.makedirs(index_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-", dir=index_dir)
    try:
        faiss.write_index(idx.faiss, os.path.join(tmp, "dense.faiss"))
        np.save(os.path.join(tmp, "vec_doc.npy"), idx.vec_doc)
        with open(os.path.join(tmp, "bm25.pickle"), "wb") as fh:
            pickle.dump(idx.bm25, fh, protocol=pickle.HIGHEST_PROTOCOL)
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
