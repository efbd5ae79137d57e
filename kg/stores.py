"""The three stores behind a KnowledgeGraph, with one small interface.

- ``OxigraphBackend``: an embedded in-memory pyoxigraph Store (the default; loads Turtle natively).
- ``MemoryBackend``: an rdflib Graph (pure Python; slower, but rdflib all the way).
- ``RemoteBackend``: any SPARQL 1.1 query endpoint over HTTP; a response that is not well-formed
  SPARQL results is an error.

Oxigraph and a remote endpoint get bound parameters written into the query as constants
(:func:`bound_query`: serialised, validated RDF terms, never text); rdflib gets ``initBindings``.

Every method returns rdflib terms, so callers get the same values whichever store is used.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from kg.errors import RemoteStoreError, StoreError
from kg.load import OntologyFiles, load_into_oxigraph, parse_rdflib
from kg.sparqltext import inject_values, query_form, tokenize
from kg.terms import from_sparql_json, to_oxigraph, to_rdflib

__all__ = [
    "Backend",
    "RawResult",
    "OxigraphBackend",
    "MemoryBackend",
    "RemoteBackend",
    "open_backend",
    "syntax_check",
    "bound_query",
    "sparql_term",
    "EXPORT_FORMATS",
]

Row = dict[str, Node]
Triple = tuple[Node, Node, Node]

# name -> (rdflib format, pyoxigraph format, media type)
EXPORT_FORMATS: dict[str, tuple[str, ox.RdfFormat, str]] = {
    "ttl": ("turtle", ox.RdfFormat.TURTLE, "text/turtle"),
    "nt": ("nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD, "application/ld+json"),
}


class RawResult:
    """A query's result as a lazy stream of rdflib terms.

    kind "select": ``variables`` and ``rows`` (tuples, None where unbound);
    kind "ask": ``boolean``; kind "graph": ``triples``.
    """

    def __init__(
        self,
        kind: str,
        variables: list[str] | None = None,
        rows: Iterator[tuple[Node | None, ...]] | None = None,
        boolean: bool | None = None,
        triples: Iterator[Triple] | None = None,
    ) -> None:
        self.kind = kind
        self.variables = variables or []
        self.rows = rows if rows is not None else iter(())
        self.boolean = boolean
        self.triples = triples if triples is not None else iter(())


class Backend(ABC):
    """What a KnowledgeGraph needs from a store."""

    kind: str = "?"

    def prepare(self, text: str) -> Any:
        """Parse a query once (at start-up); raise StoreError with the parser's message."""
        return text

    @abstractmethod
    def select(
        self, text: str, bindings: Mapping[str, Node] | None = None, prepared: Any = None
    ) -> list[Row]:
        """Rows of a SELECT query with the given variables bound; unbound variables are absent."""

    def select_values(
        self, text: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, str]]:
        """Rows of a SELECT query as plain strings (an IRI, a literal's lexical form): for the
        big start-up tables (labels), where making rdflib terms cost more than the query."""
        return [{k: str(v) for k, v in row.items()} for row in self.select(text, bindings)]

    @abstractmethod
    def execute(self, text: str) -> RawResult:
        """Run any read query (user SPARQL), streaming. Called inside the deadline-guarded child."""

    @abstractmethod
    def triple_count(self) -> int: ...

    @abstractmethod
    def triples(self) -> Iterator[Triple]:
        """Every triple of the default graph, as rdflib terms."""

    def rdflib_graph(self) -> rdflib.Graph:
        graph = rdflib.Graph()
        for triple in self.triples():
            graph.add(triple)
        return graph

    def serialize(self, fmt: str) -> bytes:
        rdflib_format = EXPORT_FORMATS[fmt][0]
        graph = self.rdflib_graph()
        _bind_prefixes(graph)
        return graph.serialize(format=rdflib_format, encoding="utf-8")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (remote connections, files)."""


def _bind_prefixes(graph: rdflib.Graph) -> None:
    graph.bind("rt", "https://w3id.org/rongtong/ns#")
    graph.bind("rtd", "https://w3id.org/rongtong/id/")
    graph.bind("skos", "http://www.w3.org/2004/02/skos/core#")
    graph.bind("dcterms", "http://purl.org/dc/terms/")
    graph.bind("schema", "https://schema.org/")
    graph.bind("ceterms", "https://purl.org/ctdl/terms/")
    graph.bind("prov", "http://www.w3.org/ns/prov#")


# ----------------------------------------------------------------------------- bound parameters
#
# pyoxigraph's ``substitutions=`` plans a query without looking at the bound values: at ~1M
# triples next-level-programmes took 12.8 ms that way against 0.3 ms with the value written into
# the query, facts-about 7.8 against 0.9 ms. So Oxigraph gets the parameters as constants,
# through a template made once per (query, parameter names): every occurrence of a bound variable
# in the WHERE group is a slot, and the variable in the projection becomes ``(<slot> AS ?var)``,
# so rows still carry it. A slot only ever receives one RDF term serialised by Oxigraph itself
# (an IRI it has validated, a literal it has escaped), checked again to be exactly one term; a
# value can therefore never add syntax to the query. This is the SEP-0007 meaning of
# ``substitutions`` (the variable is replaced by the value everywhere). A query the template
# cannot express with that meaning (a subquery, SELECT *, the variable assigned by BIND/AS or
# VALUES, tested by BOUND, used in GROUP BY or HAVING) gets a trailing VALUES clause instead: the
# query's own answers, joined with the bindings (correct always, but planned without the value).

_IRI_TERM = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_ONE_TERM = re.compile(
    _IRI_TERM + r'|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^' + _IRI_TERM + ")?"
)
_PROBE = "<urn:x-rongtong:probe>"


def sparql_term(term: Node) -> str:
    """One IRI or literal as SPARQL text (Oxigraph's serialisation). Raises ValueError for an
    invalid IRI or language tag, a blank node, or anything that is not one well-formed term."""
    if not isinstance(term, (rdflib.URIRef, rdflib.Literal)):
        raise ValueError(f"only IRIs and literals can be bound, not {term!r}")
    text = str(to_oxigraph(term))  # ox.NamedNode / ox.Literal validate and escape
    if not _ONE_TERM.fullmatch(text):
        raise ValueError(f"cannot write {term!r} as one SPARQL term")
    return text


@dataclass(frozen=True)
class _Template:
    parts: tuple[str, ...]  # the text around the slots: len(parts) == len(slots) + 1
    slots: tuple[str, ...]  # the variable name of each slot

    def fill(self, terms: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for name, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(terms[name])
            out.append(part)
        return "".join(out)


@functools.lru_cache(maxsize=1024)
def _template(text: str, names: frozenset[str]) -> _Template | None:
    """The query with the variables ``names`` as slots, or None when that would change its
    meaning (see above) or the result does not parse."""
    if query_form(text) != "SELECT":
        return None
    tokens = tokenize(text)
    if sum(1 for t in tokens if t.kind == "word" and t.text.upper() == "SELECT") != 1:
        return None  # a subquery: its variables have their own scope
    parts: list[str] = []
    slots: list[str] = []
    buf: list[str] = []
    phase = "prologue"  # -> projection -> where -> modifiers
    braces = parens = 0
    after_values = False  # between VALUES and the '{' of its data block
    clause = ""  # the solution modifier a token after the WHERE group belongs to
    prev: list[str] = ["", ""]  # the last two significant tokens, upper case

    def slot(name: str) -> None:
        parts.append("".join(buf))
        buf.clear()
        slots.append(name)

    for tok in tokens:
        kind, word = tok.kind, tok.text
        if kind in ("ws", "comment"):
            buf.append(word)
            continue
        upper = word.upper()
        if phase == "prologue" and kind == "word" and upper == "SELECT":
            phase = "projection"
        elif phase == "projection" and (
            (kind == "punct" and word == "{") or (kind == "word" and upper in ("WHERE", "FROM"))
        ):
            phase = "where"
        if kind == "var" and word[1:] in names:
            assigned = prev[-1] == "AS" or prev[-2:] == ["BOUND", "("]
            if phase == "projection" and parens == 0:
                buf.append("(")
                slot(word[1:])
                buf.append(f" AS {word})")
            elif phase in ("projection", "where") and not assigned and not after_values:
                slot(word[1:])
            elif phase == "modifiers" and clause == "ORDER":
                buf.append(word)  # constant over the rows: the order is the same
            else:
                return None
        else:
            buf.append(word)
        if kind == "punct":
            if word == "(":
                parens += 1
            elif word == ")":
                parens -= 1
            elif word == "*" and phase == "projection" and parens == 0:
                return None  # SELECT *: the variable would drop out of the rows
            elif word == "{":
                braces += 1
                after_values = False
            elif word == "}":
                braces -= 1
                if braces == 0 and phase == "where":
                    phase = "modifiers"
        elif kind == "word":
            if upper == "VALUES":
                after_values = True
            if phase == "modifiers" and upper in (
                "ORDER",
                "GROUP",
                "HAVING",
                "LIMIT",
                "OFFSET",
                "VALUES",
            ):
                clause = upper
        prev = [prev[-1], upper]
    parts.append("".join(buf))
    template = _Template(tuple(parts), tuple(slots))
    try:
        _EMPTY.query(template.fill(dict.fromkeys(names, _PROBE)))
    except (SyntaxError, ValueError, RuntimeError):
        return None
    return template


_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=1024)
def _has_trailing_values(text: str) -> bool:
    """True when the query ends with a VALUES clause of its own (after the WHERE group)."""
    depth, opened = 0, False
    for tok in tokenize(text):
        if tok.kind == "punct" and tok.text == "{":
            depth, opened = depth + 1, True
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
        elif tok.kind == "word" and opened and depth == 0 and tok.text.upper() == "VALUES":
            return True
    return False


def bound_query(text: str, bindings: Mapping[str, Node], constants: bool = True) -> str:
    """The query with ``bindings`` written in as constants or, where that would change its
    meaning (or ``constants`` is false), joined as a trailing VALUES clause. Raises ValueError
    for a value that is not a valid IRI or literal (nothing is written into the query then)."""
    terms: dict[str, str] = {}
    for name, term in bindings.items():
        if not _VAR_NAME.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        terms[name] = sparql_term(term)
    if not terms:
        return text
    template = _template(text, frozenset(terms)) if constants else None
    if template is not None:
        return template.fill(terms)
    if _has_trailing_values(text):  # only one VALUES clause may follow: bind at the top instead
        return inject_values(text, bindings)
    variables = " ".join("?" + name for name in terms)
    return f"{text.rstrip()}\nVALUES ({variables}) {{ ({' '.join(terms.values())}) }}\n"


# ----------------------------------------------------------------------------- oxigraph


# rdflib terms of the Oxigraph terms that named queries return, shared (terms are immutable): the
# same IRIs and literals come back again and again, and making an rdflib Literal parses its value
# (~40 % of a route query's time). Bounded: emptied when full.
_TERMS: dict[Any, Node] = {}
_TERMS_MAX = 65536


def _cached_term(term: Any) -> Node:
    try:
        return _TERMS[term]
    except KeyError:
        pass
    value = to_rdflib(term)
    if len(_TERMS) >= _TERMS_MAX:
        _TERMS.clear()
    _TERMS[term] = value
    return value


class OxigraphBackend(Backend):
    kind = "oxigraph"

    def __init__(self, store: ox.Store | None = None) -> None:
        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_files(cls, files: OntologyFiles) -> OxigraphBackend:
        backend = cls()
        for path in files.files:
            load_into_oxigraph(backend.store, path, files.root)
        return backend

    def prepare(self, text: str) -> Any:
        return syntax_check(text)

    def _query(self, text: str, bindings: Mapping[str, Node] | None) -> Any:
        if not bindings:
            return self.store.query(text)
        try:
            return self.store.query(bound_query(text, bindings))
        except SyntaxError:
            # a literal where only an IRI may stand (a predicate): joined, it just matches nothing
            return self.store.query(bound_query(text, bindings, constants=False))

    def select(
        self, text: str, bindings: Mapping[str, Node] | None = None, prepared: Any = None
    ) -> list[Row]:
        try:
            solutions = self._query(text, bindings)
            names = [v.value for v in solutions.variables]
            term = _cached_term
            return [
                {n: term(t) for n, t in zip(names, solution, strict=True) if t is not None}
                for solution in solutions
            ]
        except (SyntaxError, OSError) as exc:
            raise StoreError(str(exc)) from None

    def select_values(
        self, text: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, str]]:
        try:
            solutions = self._query(text, bindings)
            names = [v.value for v in solutions.variables]
            return [
                {n: t.value for n, t in zip(names, solution, strict=True) if t is not None}
                for solution in solutions
            ]
        except (SyntaxError, OSError) as exc:
            raise StoreError(str(exc)) from None

    def execute(self, text: str) -> RawResult:
        result = self.store.query(text)
        if isinstance(result, ox.QueryBoolean):
            return RawResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            width = len(names)

            def rows() -> Iterator[tuple[Node | None, ...]]:
                for solution in result:
                    yield tuple(
                        None if (t := solution[i]) is None else to_rdflib(t) for i in range(width)
                    )

            return RawResult("select", variables=names, rows=rows())
        return RawResult(
            "graph",
            triples=(
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result
            ),
        )

    def triple_count(self) -> int:
        return len(self.store)

    def triples(self) -> Iterator[Triple]:
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)

    def serialize(self, fmt: str) -> bytes:
        prefixes = {
            "rt": "https://w3id.org/rongtong/ns#",
            "rtd": "https://w3id.org/rongtong/id/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "dcterms": "http://purl.org/dc/terms/",
            "schema": "https://schema.org/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        }
        ox_format = EXPORT_FORMATS[fmt][1]
        kwargs: dict[str, Any] = {"format": ox_format, "from_graph": ox.DefaultGraph()}
        if fmt == "ttl":
            kwargs["prefixes"] = prefixes
        return self.store.dump(**kwargs)


# ----------------------------------------------------------------------------- rdflib memory

_PARSE_LOCK = threading.Lock()  # rdflib's SPARQL parser is not safe under concurrent first use


def _fresh_parse_lock() -> None:
    """After fork the child has one thread; a lock another thread held at fork time would never
    be released there, so the child (a user query's worker) gets a new one."""
    global _PARSE_LOCK
    _PARSE_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_parse_lock)


def _prepare_query() -> Any:
    """rdflib's SPARQL parser, imported on first use: building its grammar costs ~0.2 s of every
    start-up, and only the rdflib store needs it."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery


class MemoryBackend(Backend):
    kind = "memory"

    def __init__(self, graph: rdflib.Graph | None = None) -> None:
        self.graph = graph if graph is not None else rdflib.Graph()

    @classmethod
    def from_files(cls, files: OntologyFiles) -> MemoryBackend:
        backend = cls()
        for path in files.files:
            parse_rdflib(backend.graph, path, files.root)
        return backend

    def prepare(self, text: str) -> Any:
        prepare_query = _prepare_query()
        with _PARSE_LOCK:
            try:
                return prepare_query(text)
            except Exception as exc:  # pyparsing raises its own exception types
                raise StoreError(f"SPARQL syntax error: {exc}") from None

    def select(
        self, text: str, bindings: Mapping[str, Node] | None = None, prepared: Any = None
    ) -> list[Row]:
        query = prepared if prepared is not None else self.prepare(text)
        result = self.graph.query(query, initBindings=dict(bindings or {}))
        names = [str(v) for v in (result.vars or [])]
        rows = []
        for solution in result:
            row = {}
            for name, term in zip(names, solution, strict=False):
                if term is not None:
                    row[name] = _plain(term)
            rows.append(row)
        return rows

    def execute(self, text: str) -> RawResult:
        prepare_query = _prepare_query()
        with _PARSE_LOCK:
            query = prepare_query(text)
        result = self.graph.query(query)
        if result.type == "ASK":
            return RawResult("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            names = [str(v) for v in (result.vars or [])]
            return RawResult(
                "select",
                variables=names,
                rows=(tuple(None if t is None else _plain(t) for t in row) for row in result),
            )
        graph = result.graph if result.graph is not None else rdflib.Graph()
        return RawResult("graph", triples=iter(graph))

    def triple_count(self) -> int:
        return len(self.graph)

    def triples(self) -> Iterator[Triple]:
        return iter(self.graph)

    def rdflib_graph(self) -> rdflib.Graph:
        return self.graph


def _plain(term: Node) -> Node:
    """rdflib keeps ``"x"^^xsd:string`` apart from ``"x"``; results use the plain form everywhere."""
    if isinstance(term, rdflib.Literal) and term.datatype == rdflib.XSD.string:
        return rdflib.Literal(str(term))
    return term


# ----------------------------------------------------------------------------- remote endpoint

_RESULTS_JSON = "application/sparql-results+json"


class RemoteBackend(Backend):
    """A SPARQL 1.1 query endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune...)."""

    kind = "remote"

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def _post(self, text: str, accept: str, timeout: float | None = None) -> tuple[str, bytes]:
        body = urllib.parse.urlencode({"query": text}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "rongtong-kg",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace").strip()
            raise RemoteStoreError(f"{self.url} answered HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise RemoteStoreError(f"{self.url} failed: {exc}") from None

    def _results(self, text: str) -> dict[str, Any]:
        _, body = self._post(text, _RESULTS_JSON)
        return parse_results_json(body, self.url)

    def select(
        self, text: str, bindings: Mapping[str, Node] | None = None, prepared: Any = None
    ) -> list[Row]:
        data = self._results(bound_query(text, bindings) if bindings else text)
        if "results" not in data:
            raise RemoteStoreError(f"{self.url}: expected SELECT results, got {sorted(data)}")
        return [_terms(b, self.url) for b in data["results"]["bindings"]]

    def execute(self, text: str) -> RawResult:
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return RawResult("graph", triples=iter(self._graph(text)))
        data = self._results(text)
        if "boolean" in data:
            return RawResult("ask", boolean=data["boolean"])
        names = data["head"]["vars"]
        url = self.url
        rows = (
            tuple(terms.get(n) for n in names)
            for terms in (_terms(b, url) for b in data["results"]["bindings"])
        )
        return RawResult("select", variables=names, rows=rows)

    def _graph(self, text: str) -> list[Triple]:
        _, body = self._post(text, "application/n-triples")
        try:
            parsed = ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)
            return [
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in parsed
            ]
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(
                f"{self.url}: malformed N-Triples in the response: {exc}"
            ) from None

    def triple_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"].toPython())
        except (IndexError, KeyError, ValueError, TypeError) as exc:
            raise RemoteStoreError(f"{self.url}: no triple count in the response") from exc

    def triples(self) -> Iterator[Triple]:
        return iter(self._graph("CONSTRUCT WHERE { ?s ?p ?o }"))

    def prepare(self, text: str) -> Any:
        return syntax_check(text)  # the endpoint parses again


def syntax_check(text: str) -> str:
    """Parse a query with Oxigraph against an empty store: a syntax error raises StoreError.

    An empty store matters: pyoxigraph evaluates eagerly when a query sorts or groups, so
    "preparing" against the real store could run an unbound query over the whole graph."""
    try:
        _EMPTY.query(text)
    except SyntaxError as exc:
        raise StoreError(f"SPARQL syntax error: {exc}") from None
    return text


_EMPTY = ox.Store()


def parse_results_json(body: bytes, where: str = "endpoint") -> dict[str, Any]:
    """Parse and check a SPARQL 1.1 JSON results document; anything malformed is an error."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RemoteStoreError(f"{where}: malformed SPARQL JSON results ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("head"), dict):
        raise RemoteStoreError(f"{where}: malformed SPARQL JSON results (no head)")
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise RemoteStoreError(f"{where}: malformed SPARQL JSON results (boolean)")
        return data
    names = data["head"].get("vars")
    results = data.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(names, list) or not isinstance(bindings, list):
        raise RemoteStoreError(f"{where}: malformed SPARQL JSON results (no vars or bindings)")
    if not all(isinstance(b, dict) for b in bindings):
        raise RemoteStoreError(f"{where}: malformed SPARQL JSON results (binding)")
    return data  # the terms are checked as they are converted (_terms)


def _terms(binding: dict[str, Any], where: str) -> dict[str, Node]:
    try:
        return {k: from_sparql_json(v) for k, v in binding.items()}
    except ValueError as exc:
        raise RemoteStoreError(f"{where}: {exc}") from None


def open_backend(store: str, files: OntologyFiles | None, timeout: float = 30.0) -> Backend:
    """The backend for a store setting: "oxigraph", "memory" or an http(s) endpoint URL."""
    if store.startswith(("http://", "https://")):
        return RemoteBackend(store, timeout=timeout)
    if files is None:
        raise StoreError(f"store {store!r} needs an ontology directory to load")
    if store == "oxigraph":
        return OxigraphBackend.from_files(files)
    if store == "memory":
        return MemoryBackend.from_files(files)
    raise StoreError(
        f"unknown store {store!r}: use 'oxigraph', 'memory' or an http(s):// endpoint URL"
    )
