"""Tokenisation and BM25 lexical search over entity texts (jieba for Chinese, words for English)."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from advisor.normalize import en_tokens, normalize

__all__ = ["Tokenizer", "BM25"]

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

    def __init__(self, extra_words: Iterable[str] = ()):
        self._extra = [w for w in extra_words if 2 <= len(w) <= 12 and _CJK_RUN.fullmatch(w)]
        self._jieba = None
        self._lock = threading.Lock()
        self.vocab: frozenset[str] = frozenset()
        self.max_term = 1

    def _jb(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import logging

                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tk = jieba.Tokenizer()
                    tk.initialize()
                    for word in self._extra:
                        tk.add_word(word, freq=2000)
                    self._jieba = tk
        return self._jieba

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

    def tokens(self, text: str, *, bigrams: bool = True, query: bool = False) -> list[str]:
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


class BM25:
    """Okapi BM25 over a fixed set of documents; per-term weight vectors precomputed."""

    def __init__(self, docs_tokens: list[list[str]], k1: float = 1.2, b: float = 0.6):
        self.n = len(docs_tokens)
        lengths = np.array([max(1, len(t)) for t in docs_tokens], dtype=np.float32)
        avg = float(lengths.mean()) if self.n else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, toks in enumerate(docs_tokens):
            for term, tf in Counter(toks).items():
                postings[term].append((i, tf))
        self.idf: dict[str, float] = {}
        self.terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, plist in postings.items():
            df = len(plist)
            idf = math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))
            ids = np.fromiter((p[0] for p in plist), dtype=np.int32, count=df)
            tf = np.fromiter((p[1] for p in plist), dtype=np.float32, count=df)
            w = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[ids] / avg))
            self.idf[term] = idf
            self.terms[term] = (ids, w.astype(np.float32))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.n, dtype=np.float32)
        for term in set(query_tokens):
            hit = self.terms.get(term)
            if hit is not None:
                ids, w = hit
                scores[ids] += w
        return scores

    def max_possible(self, query_tokens: list[str]) -> float:
        """Sum of the idf of the query's known terms: a scale for a confidence in [0, 1]."""
        return float(sum(self.idf.get(t, 0.0) for t in set(query_tokens)))
