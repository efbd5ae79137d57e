"""Hypothesis strategies for the fuzz tests: hostile text, bytes, JSON, headers and queries.

Text mixes scripts (CJK simplified and traditional, full-width forms, Latin, Cyrillic, Arabic,
Hebrew, Devanagari, emoji), combining marks, zero-width and bidi controls, C0/C1 control
characters, NUL, private-use and non-characters, and lone surrogates (which only JSON ``\\u``
escapes can carry). Also: arbitrary JSON values, deeply nested JSON, bodies larger than the limit,
invalid UTF-8 and odd content types.
"""

from __future__ import annotations

import functools
import json
import urllib.parse
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = 1000
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_RANGES = [
    (0x20, 0x7E),  # ASCII printable
    (0x00, 0x1F),  # C0 controls, NUL
    (0x7F, 0x9F),  # DEL, C1 controls
    (0x4E00, 0x9FFF),  # CJK unified (simplified and traditional)
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0x0400, 0x04FF),  # Cyrillic
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x0900, 0x097F),  # Devanagari
    (0x0300, 0x036F),  # combining marks
    (0x200B, 0x200F),  # zero-width, LRM/RLM
    (0x202A, 0x202E),  # bidi embedding and override
    (0x2028, 0x2029),  # line/paragraph separators
    (0xE000, 0xE0FF),  # private use
    (0xFFF0, 0xFFFF),  # specials, non-characters
    (0x1F300, 0x1F64F),  # emoji
    (0x10FFF0, 0x10FFFF),  # last plane
]
_WORDS = [
    "中职", "职高", "中专", "技校", "高职", "大专", "本科", "职业本科", "专升本", "研究生",
    "職業教育", "孩子中考没考上普高怎么办", "can I still get a bachelor's degree?", "nurse",
    "数控", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/x}",
    "../../etc/passwd", "%00", "{{7*7}}", "\\u0000", "SELECT * WHERE {?s ?p ?o}",
    "https://w3id.org/rongtong/id/stage-bachelor", "stage-secondary-vocational", "prog-460305",
]  # fmt: skip


@functools.cache
def mixed_chars() -> st.SearchStrategy[str]:
    return st.one_of(*[st.integers(lo, hi).map(chr) for lo, hi in _RANGES])


def surrogates() -> st.SearchStrategy[str]:
    return st.integers(0xD800, 0xDFFF).map(chr)


@functools.cache
def hostile_text(max_size: int = 60, with_surrogates: bool = False) -> st.SearchStrategy[str]:
    """Mixed scripts and controls, plus known words, plus plain hypothesis text."""
    chars = st.one_of(mixed_chars(), surrogates()) if with_surrogates else mixed_chars()
    pieces = st.one_of(
        st.text(chars, max_size=max_size),
        st.sampled_from(_WORDS),
        st.text(max_size=max_size),
    )
    return st.lists(pieces, max_size=4).map("".join)


@functools.cache
def json_values(with_surrogates: bool = True) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text(20, with_surrogates),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=5),
            st.dictionaries(hostile_text(10, with_surrogates), inner, max_size=5),
        ),
        max_leaves=20,
    )


def dump(value: Any, ascii_only: bool = True) -> bytes:
    """JSON bytes; lone surrogates become \\u escapes (ascii) or invalid UTF-8 (surrogatepass)."""
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


_LANGS = st.sampled_from(["zh", "en", "ZH", " en ", "fr", ""])
_LONG_MESSAGE = st.tuples(
    st.integers(1900, 2100), st.sampled_from(["中", "a", " ", "1", "職"])
).map(lambda t: t[1] * t[0])


@st.composite
def _chat_shaped(draw) -> bytes:
    body: dict[str, Any] = {}
    roll = draw(st.integers(0, 39))
    if roll == 0:
        pass  # no message at all
    elif roll == 1:
        body["message"] = draw(_LONG_MESSAGE)  # around max_message_length (costly to answer)
    else:
        body["message"] = draw(st.one_of(hostile_text(80, True), hostile_text(80), json_values()))
    if draw(st.booleans()):
        body["session_id"] = draw(
            st.one_of(
                hostile_text(30, True), json_values(), st.text("A-z_-09", min_size=16, max_size=30)
            )
        )
    if draw(st.booleans()):
        body["lang"] = draw(st.one_of(_LANGS, json_values()))
    extra = draw(st.dictionaries(hostile_text(8), json_values(), max_size=3))
    for key, value in extra.items():
        body.setdefault(key, value)
    return dump(body, ascii_only=draw(st.booleans()))


@functools.cache
def chat_shaped() -> st.SearchStrategy[bytes]:
    """A body shaped like a chat request, each field either right or wrong."""
    return _chat_shaped()


def nested(depth: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    if kind == "dict":
        return b'{"a":' * depth + b"1" + b"}" * depth
    return b'{"message":' + b"[" * depth + b"]" * depth + b"}"


@functools.cache
def raw_bodies() -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, nested JSON up to 100,000 levels, bodies above the 256 KiB limit."""
    return st.one_of(
        st.binary(max_size=300),
        st.builds(nested, st.integers(1, 100_000), st.sampled_from(["list", "dict", "msg"])),
        st.integers(200_000, 400_000).map(lambda n: b'{"message": "' + b"a" * n + b'"}'),
        hostile_text(100, True).map(lambda t: t.encode("utf-8", "surrogatepass")),
        json_values().map(dump),
    )


CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/ld+json",
    "application/vnd.api+json",
    "text/plain",
    "text/html",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/sparql-query",
    "application/sparql-update",
    "application/octet-stream",
    "*/*",
    "json",
    "",
]


@functools.cache
def content_types() -> st.SearchStrategy[str]:
    odd = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
    return st.one_of(st.sampled_from(CONTENT_TYPES), odd)


ACCEPTS = [
    "*/*",
    "application/json",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
    "text/html;q=0.1, application/json;q=0.9",
    "image/png",
    "application/json;q=0",
    "",
]


@functools.cache
def accepts() -> st.SearchStrategy[str]:
    odd = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
    return st.one_of(st.sampled_from(ACCEPTS), odd)


@functools.cache
def query_value() -> st.SearchStrategy[str]:
    """A query-string value as it goes on the wire: UTF-8 text or arbitrary percent-bytes."""
    return st.one_of(
        hostile_text(60).map(lambda t: urllib.parse.quote(t.encode("utf-8", "surrogatepass"))),
        st.binary(max_size=40).map(urllib.parse.quote_from_bytes),
        st.sampled_from(["", "%", "%zz", "%ED%A0%80", "%C0%80", "+", "&", "=", "%00"]),
        st.integers(150, 5000).map(lambda n: "a" * n),
    )


def query_string(names: list[str]) -> st.SearchStrategy[str]:
    """A raw query string over ``names`` (each absent, once or repeated) plus stray parameters."""

    @st.composite
    def build(draw) -> str:
        parts = []
        for name in names:
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
                parts.append(f"{name}={draw(query_value())}")
        for _ in range(draw(st.integers(0, 2))):
            parts.append(draw(query_value()) + "=" + draw(query_value()))
        if draw(st.integers(0, 9)) == 0:
            parts.append(draw(query_value()))
        return "&".join(draw(st.permutations(parts)))

    return build()


_SPARQL_BITS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", ".", ";", ",", "*",
    "?s", "?p", "?o", "$x", "a", "<https://w3id.org/rongtong/id/stage-bachelor>", "<>", "<x y>",
    "rt:Programme", "PREFIX rt: <https://w3id.org/rongtong/ns#>", "skos:prefLabel",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>", "FILTER", "regex(?o, \"^.*$\")",
    "LIMIT 5", "OFFSET 3", "ORDER BY", "GROUP BY", "COUNT(*)", "DISTINCT", "OPTIONAL", "UNION",
    "MINUS", "BIND", "VALUES ?s { <x:y> }", "\"中职\"@zh", "'''long\nstring'''", "\"\\u0000\"",
    "# comment\n", "SERVICE", "SERVICE <http://127.0.0.1:9/sparql>", "LOAD", "INSERT DATA",
    "DELETE WHERE", "CLEAR ALL", "DROP ALL", "FROM <file:///etc/passwd>", "FROM NAMED",
    "GRAPH ?g", "<file:///etc/passwd>", "\\u0053ERVICE", "+", "/", "|", "^", "!", "0", "1.5e3",
    "\"x\"^^<http://www.w3.org/2001/XMLSchema#integer>", "str(", "IRI(", "REPLACE(", "NOW()",
]  # fmt: skip


@functools.cache
def sparql_texts() -> st.SearchStrategy[str]:
    """Fragments of SPARQL in random order, valid small queries, and hostile text."""
    valid = st.sampled_from(
        [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "ASK { ?s ?p ?o }",
            "CONSTRUCT WHERE { ?s a ?o } LIMIT 3",
            "DESCRIBE <https://w3id.org/rongtong/id/stage-bachelor>",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }",
            'SELECT ?s WHERE { ?s ?p "中职"@zh }',
        ]
    )
    fragments = st.lists(st.sampled_from(_SPARQL_BITS), min_size=1, max_size=14).map(" ".join)
    return st.one_of(valid, fragments, hostile_text(120))


def run_examples(test: Callable[..., None], *strategies: st.SearchStrategy) -> int:
    """Run ``test(*drawn)`` under FUZZ_SETTINGS and return how many examples it saw."""
    seen = {"n": 0}

    def counted(drawn: tuple) -> None:
        seen["n"] += 1
        test(*drawn)

    FUZZ_SETTINGS(given(st.tuples(*strategies))(counted))()
    return seen["n"]
