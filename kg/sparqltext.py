"""A small SPARQL tokenizer: enough to tell a query's form, find forbidden keywords outside strings,
IRIs and comments, and place a VALUES block at the start of the WHERE group.

It never builds SPARQL from user text: bound values are serialised as RDF terms (``term.n3()``),
which escape quotes and refuse malformed IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["Token", "tokenize", "query_form", "bare_keywords", "values_block", "inject_values"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:(?:[\w\-.:%\u00b7\u00c0-\uffff]|\\[_~.\-!$&'()*+,;=/?#@%])*)
  | (?P<word>[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*)
  | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>.)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str  # ws comment iri string var pname word number punct
    text: str
    start: int


def tokenize(text: str) -> list[Token]:
    """Tokens of a SPARQL text, whitespace and comments included (so offsets stay exact)."""
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string: the rest is one token
            out.append(Token("string", text[pos:], pos))
            break
        kind = m.lastgroup or "punct"
        out.append(Token(kind, m.group(), pos))
        pos = m.end()
    return out


def _significant(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind not in ("ws", "comment")]


def query_form(text: str) -> str | None:
    """The first keyword after the prologue (BASE/PREFIX): SELECT, ASK, INSERT, ... or None."""
    tokens = _significant(tokenize(text))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        upper = tok.text.upper()
        if tok.kind == "word" and upper == "PREFIX":
            i += 3  # PREFIX pname: <iri>
            continue
        if tok.kind == "word" and upper == "BASE":
            i += 2
            continue
        if tok.kind == "word":
            return upper
        return None
    return None


def bare_keywords(text: str) -> set[str]:
    """Every bare word (keyword) outside strings, IRIs, comments and prefixed names, upper-cased."""
    return {t.text.upper() for t in tokenize(text) if t.kind == "word"}


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<iri> "text"@en) }`` for the given bindings (one row)."""
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    terms = []
    for name in names:
        term = bindings[name]
        if isinstance(term, BNode) or not isinstance(term, (URIRef, Literal)):
            raise ValueError(f"?{name}: only IRIs and literals can be bound, not {term!r}")
        terms.append(term.n3())  # URIRef.n3() refuses IRIs with spaces, quotes or brackets
    return "VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(terms) + ") }"


def inject_values(text: str, bindings: Mapping[str, Node]) -> str:
    """The query with a VALUES block as the first element of its WHERE group."""
    if not bindings:
        return text
    tokens = _significant(tokenize(text))
    depth = 0
    after_where = False
    form = query_form(text)
    template_pending = form == "CONSTRUCT"
    for tok in tokens:
        if tok.kind == "word" and depth == 0 and tok.text.upper() == "WHERE":
            after_where = True
            template_pending = False
        elif tok.kind == "punct" and tok.text == "{":
            if depth == 0 and (after_where or not template_pending):
                pos = tok.start + 1
                return text[:pos] + " " + values_block(bindings) + " " + text[pos:]
            depth += 1
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
    raise ValueError("cannot bind parameters: the query has no WHERE group")
