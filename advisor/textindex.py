"""Tokenisation and BM25 lexical search over entity texts (jieba for Chinese, words for English).

Both are built so that an index for a changed graph can be assembled from the previous one: the
jieba dictionary is loaded once per process and copied per tokenizer (adding the graph's words),
and BM25 keeps each document's term counts, so an unchanged document is not tokenised again
(see :class:`TermCounts`).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable

import numpy as np

from advisor.normalize import en_tokens, normalize

__all__ = ["Tokenizer", "BM25", "TermCounts"]

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ZH_STOP = set(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "是",
        "在",
        "有",
        "和",
        "与",
        "及",
        "或",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "我们",
        "你们",
        "他们",
        "这",
        "那",
        "这个",
        "那个",
        "哪",
        "哪些",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "可以",
        "能",
        "能否",
        "会",
        "要",
        "想",
        "请问",
        "请",
        "一下",
        "一个",
        "还",
        "也",
        "都",
        "就",
        "又",
        "被",
        "把",
        "对",
        "从",
        "到",
        "为",
        "为什么",
        "吗？",
        "孩子",
        "儿子",
        "女儿",
        "家长",
        "学生",
        "多少",
        "几",
        "自己",
        "之后",
        "以后",
        "将来",
        "现在",
        "已经",
        "还是",
        "没有",
        "不",
        "很",
        "太",
        "更",
        "最",
        "该",
        "应该",
    ]
)
_EN_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "doe",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "with",
        "about",
        "after",
        "before",
        "into",
        "from",
        "by",
        "as",
        "if",
        "than",
        "then",
        "so",
        "not",
        "no",
        "yes",
        "any",
        "some",
        "all",
        "also",
        "just",
        "only",
        "very",
        "have",
        "has",
        "had",
        "get",
        "got",
        "go",
        "want",
        "like",
        "there",
        "'s",
        "s",
    ]
)


_JIEBA_BASE: tuple[dict[str, int], int] | None = None
_EXTRA_FREQ = 2000  # the frequency of an added word (the graph's names): high enough to cut it
_JIEBA_LOCK = threading.Lock()


def _jieba_base() -> tuple[dict[str, int], int]:
    """jieba's default dictionary (word -> frequency, total), loaded once per process (about a
    second); every tokenizer copies it and adds its own words, so this one is never changed."""
    global _JIEBA_BASE
    if _JIEBA_BASE is None:
        with _JIEBA_LOCK:
            if _JIEBA_BASE is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                _JIEBA_BASE = (tk.FREQ, tk.total)
    return _JIEBA_BASE


class Tokenizer:
    """Mixed Chinese/English tokens of a normalised text.

    Documents (index build): Chinese runs are cut by jieba in search mode (with the graph's
    aliases added to its dictionary), plus character bigrams, so a query and a label meet even when
    they are split differently; Latin runs give stemmed words; stop words are dropped.

    Queries: once the index's vocabulary is known (:meth:`set_vocabulary`), a Chinese run yields
    every substring that is a term of the index (plus its bigrams). A query word that is not a term
    of any document cannot change a BM25 score, so this finds the same terms as jieba would, and
    more — and jieba's 350,000-word dictionary is loaded only when an index is built.
    """

    def __init__(self, extra_words: Iterable[str] = (), *, base: Tokenizer | None = None):
        """``extra_words``: added to jieba's dictionary. ``base``: a tokenizer (of the previous
        graph version) whose dictionary this one starts from, adding and removing only the words
        that differ — the same dictionary as one made afresh, for a fraction of the time."""
        self._extra = [w for w in extra_words if 2 <= len(w) <= 12 and _CJK_RUN.fullmatch(w)]
        self.extra_words: frozenset[str] = frozenset(self._extra)
        self._counts = Counter(self._extra)
        self._jieba = None
        self._lock = threading.Lock()
        # (a base that never loaded jieba hands on its own base: the chain stays one long)
        self._base = base if base is None or base._jieba is not None else base._base
        self.vocab: frozenset[str] = frozenset()
        self.max_term = 1

    def _jb(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = self._from_base() or self._fresh()
                    self._base = None
        return self._jieba

    def _fresh(self):
        import jieba

        freq, total = _jieba_base()
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = dict(freq), total, True
        for word in self._extra:
            tk.add_word(word, freq=_EXTRA_FREQ)
        return tk

    def _from_base(self):
        """The base tokenizer's jieba dictionary, as :meth:`_fresh` would make it for this one's
        words: shared when the words are the same, else copied and patched."""
        base = self._base
        if base is None or base._jieba is None:
            return None
        import jieba

        if base._counts == self._counts:
            return base._jieba
        freq, total = _jieba_base()
        tk = jieba.Tokenizer()
        tk.FREQ, tk.initialized = dict(base._jieba.FREQ), True
        for word in base.extra_words - self.extra_words:
            # back to the default dictionary's frequency; a word it lacks stays as a 0 entry,
            # which jieba reads like a prefix of a longer word: never a match
            tk.FREQ[word] = freq.get(word, 0)
        for word in self.extra_words - base.extra_words:
            tk.FREQ[word] = _EXTRA_FREQ
            for end in range(1, len(word)):
                tk.FREQ.setdefault(word[:end], 0)
        tk.total = total + _EXTRA_FREQ * len(self._extra)  # add_word adds per call
        return tk

    def set_vocabulary(self, terms: Iterable[str]) -> None:
        vocab = frozenset(t for t in terms if t and not t.startswith("#") and _CJK_RUN.fullmatch(t))
        self.vocab = vocab
        self.max_term = max((len(t) for t in vocab), default=1)

    def zh_words(self, run: str) -> list[str]:
        tk = self._jb()
        with self._lock:
            return list(tk.cut_for_search(run, HMM=False))

    def _zh_query_words(self, run: str) -> list[str]:
        vocab, longest = self.vocab, min(self.max_term, 12)
        out = []
        for i in range(len(run)):
            # single characters are left to the bigrams: alone they match too much
            for j in range(i + 2, min(len(run), i + longest) + 1):
                w = run[i:j]
                if w in vocab:
                    out.append(w)
        return out

    def tokens(
        self, text: str, *, bigrams: bool = True, query: bool = False, normalized: bool = False
    ) -> list[str]:
        """The tokens of a text (``normalized``: it is already ``normalize(text)``)."""
        if not normalized:
            text = normalize(text)
        out: list[str] = []
        pos = 0
        use_vocab = query and bool(self.vocab)
        for m in _CJK_RUN.finditer(text):
            if m.start() > pos:
                out += [t for t in en_tokens(text[pos : m.start()]) if t not in _EN_STOP]
            run = m.group(0)
            words = self._zh_query_words(run) if use_vocab else self.zh_words(run)
            out += [w for w in words if w not in _ZH_STOP and w.strip()]
            if bigrams and len(run) >= 2:
                out += ["#" + run[i : i + 2] for i in range(len(run) - 1)]
            pos = m.end()
        if pos < len(text):
            out += [t for t in en_tokens(text[pos:]) if t not in _EN_STOP]
        return out

    def query_tokens(self, text: str) -> list[str]:
        return self.tokens(text, query=True)


class TermCounts:
    """Each document's term counts, collected in document order to make a :class:`BM25`.

    A document comes either as tokens (:meth:`add_tokens`) or as the counts the ``base`` index
    holds for one of its documents (:meth:`add_from_base`), so an index over a changed set of
    documents reuses the counts of every document whose text did not change."""

    def __init__(self, base: BM25 | None = None):
        self.base = base
        self.vocab: list[str] = list(base.vocab) if base is not None else []
        self.ids: dict[str, int] = dict(base.term_ids) if base is not None else {}
        self.terms: list[np.ndarray] = []
        self.tfs: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.terms)

    def add_tokens(self, tokens: Iterable[str]) -> None:
        counts = Counter(tokens)
        ids, vocab = self.ids, self.vocab
        terms = np.empty(len(counts), dtype=np.int64)
        tfs = np.empty(len(counts), dtype=np.int32)
        for k, (term, tf) in enumerate(counts.items()):
            i = ids.get(term)
            if i is None:
                i = ids[term] = len(vocab)
                vocab.append(term)
            terms[k] = i
            tfs[k] = tf
        self.terms.append(terms)
        self.tfs.append(tfs)

    def add_from_base(self, doc: int) -> None:
        base = self.base
        assert base is not None
        s, e = int(base.doc_indptr[doc]), int(base.doc_indptr[doc + 1])
        self.terms.append(base.doc_terms[s:e].astype(np.int64))
        self.tfs.append(base.doc_tf[s:e])


class BM25:
    """Okapi BM25 over a fixed set of documents; per-term weights precomputed.

    Postings are flat arrays: by term (``indptr`` into ``post_docs``/``post_w``) for scoring, and
    by document (``doc_indptr`` into ``doc_terms``/``doc_tf``) so that a later index can reuse a
    document's counts. Scores are the same, to the bit, as computing each term's weights alone.
    """

    def __init__(self, docs_tokens: Iterable[list[str]] = (), k1: float = 1.2, b: float = 0.6):
        counts = TermCounts()
        for toks in docs_tokens:
            counts.add_tokens(toks)
        self._build(counts, k1, b)

    @classmethod
    def from_counts(cls, counts: TermCounts, k1: float = 1.2, b: float = 0.6) -> BM25:
        bm25 = cls.__new__(cls)
        bm25._build(counts, k1, b)
        return bm25

    def _build(self, counts: TermCounts, k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        n = self.n = len(counts)
        sizes = np.fromiter((len(t) for t in counts.terms), dtype=np.int64, count=n)
        self.doc_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.doc_indptr[1:])
        all_terms = np.concatenate(counts.terms) if n else np.zeros(0, dtype=np.int64)
        all_tf = np.concatenate(counts.tfs) if n else np.zeros(0, dtype=np.int32)
        # only the terms that occur (a term of a changed document may have gone)
        used, inverse = np.unique(all_terms, return_inverse=True)
        self.vocab: list[str] = [counts.vocab[i] for i in used.tolist()]
        self.term_ids: dict[str, int] = {t: i for i, t in enumerate(self.vocab)}
        self.doc_terms = inverse.astype(np.int32).reshape(-1)
        self.doc_tf = all_tf.astype(np.int32)
        doc_of = np.repeat(np.arange(n, dtype=np.int32), sizes)
        lengths = np.bincount(doc_of, weights=self.doc_tf, minlength=n)
        lengths = np.maximum(lengths, 1).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        # postings by term, each in document order
        order = np.argsort(self.doc_terms, kind="stable")
        df = np.bincount(self.doc_terms, minlength=len(self.vocab))
        self.indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=self.indptr[1:])
        self._bounds = self.indptr.tolist()
        self.post_docs = doc_of[order]
        tf = self.doc_tf[order].astype(np.float32)
        by_df = {d: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for d in np.unique(df).tolist()}
        self._idf: list[float] = [by_df[d] for d in df.tolist()]
        idf = np.asarray(self._idf, dtype=np.float64).astype(np.float32)
        idf = np.repeat(idf, df)
        w = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[self.post_docs] / avg))
        self.post_w = w.astype(np.float32)
        self._terms: dict[str, tuple[np.ndarray, np.ndarray]] | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for key in ("_terms", "term_ids", "_bounds"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.term_ids = {t: i for i, t in enumerate(self.vocab)}
        self._bounds = self.indptr.tolist()
        self._terms = None

    @property
    def terms(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """term -> (document ids, weights)."""
        if self._terms is None:
            b, docs, w = self._bounds, self.post_docs, self.post_w
            self._terms = {
                t: (docs[b[i] : b[i + 1]], w[b[i] : b[i + 1]]) for i, t in enumerate(self.vocab)
            }
        return self._terms

    @property
    def idf(self) -> dict[str, float]:
        return dict(zip(self.vocab, self._idf, strict=True))

    def doc_counts(self, doc: int) -> dict[str, int]:
        """A document's term counts."""
        s, e = int(self.doc_indptr[doc]), int(self.doc_indptr[doc + 1])
        vocab = self.vocab
        return {
            vocab[t]: int(c) for t, c in zip(self.doc_terms[s:e], self.doc_tf[s:e], strict=True)
        }

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.n, dtype=np.float32)
        ids, bounds = self.term_ids, self._bounds
        for term in set(query_tokens):
            i = ids.get(term)
            if i is not None:
                s, e = bounds[i], bounds[i + 1]
                scores[self.post_docs[s:e]] += self.post_w[s:e]
        return scores

    def max_possible(self, query_tokens: list[str]) -> float:
        """Sum of the idf of the query's known terms: a scale for a confidence in [0, 1]."""
        ids, idf = self.term_ids, self._idf
        return float(
            sum(idf[i] if (i := ids.get(t)) is not None else 0.0 for t in set(query_tokens))
        )
