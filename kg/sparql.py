"""User SPARQL for the public endpoint: read-only, time-limited, row-capped.

Refused before running: updates (INSERT, DELETE, LOAD, CLEAR, ...), SERVICE (no outgoing requests),
FROM / FROM NAMED (rdflib would fetch them from the web), and anything that is not SELECT, ASK,
CONSTRUCT or DESCRIBE. Syntax errors come back as :class:`SparqlSyntaxError` with the parser's
message (line and column).

The deadline is real. A thread that stops waiting leaves the query running (pyoxigraph has no
timeout, and rdflib cannot be interrupted), so each query runs in a forked child process that
inherits the loaded store copy-on-write and is killed (SIGKILL) at the deadline. The child sends
the capped result back through a pipe. Cost measured here: see ``bench/kg_bench.py`` (a few ms per
query with pyoxigraph). Where ``os.fork`` is missing, queries run in-process and the deadline is
only checked between rows (documented as best effort).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import SparqlError, SparqlForbidden, SparqlSyntaxError, SparqlTimeout
from kg.sparqltext import QUERY_FORMS, UPDATE_FORMS, bare_keywords, query_form
from kg.terms import to_sparql_json

__all__ = [
    "SparqlResult",
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "check_query",
    "run_user_query",
    "run_in_child",
    "MAX_QUERY_LENGTH",
]

MAX_QUERY_LENGTH = 100_000

# format name -> media type
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
_RDFLIB_GRAPH_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}

Triple = tuple[Node, Node, Node]
_EMPTY = ox.Store()  # syntax checks parse against an empty store: nothing to evaluate


@dataclass
class SparqlResult:
    """The result of a user query, capped at ``row_cap`` rows or triples.

    kind "select": ``variables`` and ``rows`` (tuples aligned with variables, None where unbound);
    kind "ask": ``boolean``; kind "graph" (CONSTRUCT/DESCRIBE): ``triples``.
    ``truncated`` is True when more rows existed than the cap.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    row_cap: int = 0
    elapsed: float = 0.0

    # -- views
    @property
    def formats(self) -> dict[str, str]:
        """The serialisations this result supports: name -> media type."""
        return GRAPH_FORMATS if self.kind == "graph" else RESULT_FORMATS

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def bindings(self) -> list[dict[str, Node]]:
        """SELECT rows as dicts; unbound variables are absent."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=False) if t is not None}
            for row in self.rows
        ]

    def graph(self) -> rdflib.Graph:
        graph = rdflib.Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph

    def media_type(self, fmt: str) -> str:
        try:
            return self.formats[fmt]
        except KeyError:
            raise ValueError(
                f"a {self.kind} result cannot be written as {fmt!r}; use one of {', '.join(self.formats)}"
            ) from None

    # -- serialisations
    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON (SELECT/ASK)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        if self.kind != "select":
            raise ValueError("only SELECT and ASK results have a SPARQL JSON form")
        return {
            "head": {"vars": list(self.variables)},
            "results": {
                "bindings": [
                    {
                        v: to_sparql_json(t)
                        for v, t in zip(self.variables, row, strict=False)
                        if t is not None
                    }
                    for row in self.rows
                ]
            },
        }

    def serialize(self, fmt: str = "json") -> bytes:
        """Bytes in one of ``self.formats``: json xml csv tsv (SELECT/ASK) or ttl nt jsonld (graphs)."""
        self.media_type(fmt)
        if self.kind == "graph":
            graph = self.graph()
            graph.bind("rt", "https://w3id.org/rongtong/ns#")
            graph.bind("rtd", "https://w3id.org/rongtong/id/")
            graph.bind("skos", "http://www.w3.org/2004/02/skos/core#")
            graph.bind("dcterms", "http://purl.org/dc/terms/")
            return graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8")
        if fmt == "json":
            return json.dumps(self.to_json(), ensure_ascii=False).encode("utf-8")
        if fmt == "xml":
            return self._xml().encode("utf-8")
        if fmt == "csv":
            return self._csv()
        return self._tsv()

    def _xml(self) -> str:
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if self.kind == "ask":
            out += [
                "<head/>",
                f"<boolean>{'true' if self.boolean else 'false'}</boolean>",
                "</sparql>",
            ]
            return "\n".join(out)
        out.append(
            "<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables)
            + "</head>"
        )
        out.append("<results>")
        for row in self.rows:
            cells = []
            for name, term in zip(self.variables, row, strict=False):
                if term is None:
                    continue
                if isinstance(term, URIRef):
                    body = f"<uri>{escape(str(term))}</uri>"
                elif isinstance(term, BNode):
                    body = f"<bnode>{escape(str(term))}</bnode>"
                else:
                    lit: Literal = term  # type: ignore[assignment]
                    attr = ""
                    if lit.language:
                        attr = f" xml:lang={quoteattr(lit.language)}"
                    elif lit.datatype is not None:
                        attr = f" datatype={quoteattr(str(lit.datatype))}"
                    body = f"<literal{attr}>{escape(str(lit))}</literal>"
                cells.append(f"<binding name={quoteattr(name)}>{body}</binding>")
            out.append("<result>" + "".join(cells) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out)

    def _csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.kind == "ask":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
        else:
            writer.writerow(self.variables)
            for row in self.rows:
                writer.writerow(["" if t is None else _csv_value(t) for t in row])
        return buffer.getvalue().encode("utf-8")

    def _tsv(self) -> bytes:
        if self.kind == "ask":
            return b"?boolean\n" + (b"true\n" if self.boolean else b"false\n")
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if t is None else t.n3() for t in row))
        return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_value(term: Node) -> str:
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


# ----------------------------------------------------------------------------- checks


def check_query(text: str) -> str:
    """Refuse what the public endpoint must not run; return the query form.

    Raises SparqlForbidden (updates, SERVICE, FROM) or SparqlSyntaxError (not a query, bad syntax).
    """
    if not text or not text.strip():
        raise SparqlSyntaxError("the query is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise SparqlForbidden(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    form = query_form(text)
    if form in UPDATE_FORMS:
        raise SparqlForbidden("updates are not allowed: this endpoint is read-only")
    if form not in QUERY_FORMS:
        raise SparqlSyntaxError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    keywords = bare_keywords(text)
    if "SERVICE" in keywords:
        raise SparqlForbidden("SERVICE (federated query) is not allowed here")
    if "FROM" in keywords:
        raise SparqlForbidden("FROM and FROM NAMED are not supported: query the default graph")
    forbidden = keywords & {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE"}
    if forbidden:
        raise SparqlForbidden("updates are not allowed: this endpoint is read-only")
    if form != "ASK":  # parsing SELECT/CONSTRUCT/DESCRIBE on an empty store evaluates nothing
        _syntax_check(text)
    return form


def _syntax_check(text: str) -> None:
    try:
        _EMPTY.query(text)
    except SyntaxError as exc:
        raise SparqlSyntaxError(f"SPARQL syntax error: {exc}") from None


# ----------------------------------------------------------------------------- running


def _collect(execute: Callable[[str], Any], text: str, row_cap: int) -> SparqlResult:
    """Run and materialise at most row_cap rows/triples (+1 to detect truncation)."""
    _syntax_check(text)
    started = time.perf_counter()
    raw = execute(text)
    result = SparqlResult(kind=raw.kind, row_cap=row_cap)
    if raw.kind == "ask":
        result.boolean = bool(raw.boolean)
    elif raw.kind == "select":
        result.variables = list(raw.variables)
        for row in raw.rows:
            if len(result.rows) >= row_cap:
                result.truncated = True
                break
            result.rows.append(row)
    else:
        seen = set()
        for triple in raw.triples:
            if triple in seen:
                continue
            if len(result.triples) >= row_cap:
                result.truncated = True
                break
            seen.add(triple)
            result.triples.append(triple)
    result.elapsed = time.perf_counter() - started
    return result


def run_in_child(fn: Callable[[], Any], timeout: float) -> Any:
    """Run ``fn`` in a forked child; return its (picklable) result or raise what it raised.

    The child is killed at the deadline and :class:`SparqlTimeout` raised: the work really stops.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller's stack
        status = 0
        try:
            os.close(read_fd)
            try:
                payload: tuple[str, Any] = ("ok", fn())
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                payload = ("error", _portable_error(exc))
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                written = os.write(write_fd, view)
                view = view[written:]
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SparqlTimeout(f"the query took longer than {timeout:g} s and was stopped")
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    _reap(pid)
    if not chunks:
        raise SparqlError("the query process ended without a result")
    status, value = pickle.loads(b"".join(chunks))
    if status == "error":
        raise value
    return value


def _portable_error(exc: BaseException) -> Exception:
    if isinstance(exc, SparqlError):
        return exc
    if isinstance(exc, SyntaxError):
        return SparqlSyntaxError(f"SPARQL syntax error: {exc}")
    message = str(exc) or type(exc).__name__
    error = SparqlError(f"the query failed: {message}")
    try:
        pickle.dumps(error)
    except Exception:  # noqa: BLE001
        error = SparqlError("the query failed")
    return error


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def run_user_query(
    execute: Callable[[str], Any],
    text: str,
    timeout: float,
    row_cap: int,
    isolate: bool | None = None,
) -> SparqlResult:
    """Check, then run a user query with a real deadline and a row cap.

    ``execute`` is a backend's ``execute`` (text -> RawResult). ``isolate`` (default: when
    ``os.fork`` exists) runs it in a child process killed at the deadline.
    """
    check_query(text)
    if row_cap < 1:
        raise ValueError("row_cap must be at least 1")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if isolate is None:
        isolate = hasattr(os, "fork")
    started = time.perf_counter()
    if isolate:
        result = run_in_child(lambda: _collect(execute, text, row_cap), timeout)
    else:
        result = _collect_with_deadline(execute, text, row_cap, time.monotonic() + timeout, timeout)
    result.elapsed = time.perf_counter() - started
    return result


def _collect_with_deadline(
    execute: Callable[[str], Any], text: str, row_cap: int, deadline: float, timeout: float
) -> SparqlResult:
    """Best effort without fork: the deadline is checked between rows only."""
    try:
        raw = execute(text)
    except SyntaxError as exc:
        raise SparqlSyntaxError(f"SPARQL syntax error: {exc}") from None
    result = SparqlResult(kind=raw.kind, row_cap=row_cap)
    items = raw.rows if raw.kind == "select" else raw.triples
    if raw.kind == "ask":
        result.boolean = bool(raw.boolean)
        return result
    result.variables = list(raw.variables)
    target = result.rows if raw.kind == "select" else result.triples
    for item in items:
        if time.monotonic() > deadline:
            raise SparqlTimeout(f"the query took longer than {timeout:g} s and was stopped")
        if len(target) >= row_cap:
            result.truncated = True
            break
        target.append(item)
    return result
