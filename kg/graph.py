"""KnowledgeGraph: the loaded ontology behind one small API (see docs/CONVENTIONS.md)."""

from __future__ import annotations

import os
import re
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.labels import LabelIndex
from kg.load import OntologyFiles, fingerprint, resolve_ontology_dir
from kg.queries import NamedQuery, QueryLibrary
from kg.settings import Settings
from kg.sparql import SparqlResult, run_user_query
from kg.stores import EXPORT_FORMATS, Backend, open_backend
from kg.terms import RTD_NS, local_name

__all__ = ["KnowledgeGraph", "open_graph", "PROPERTY_LABELS"]

T = TypeVar("T")

# Labels for standard properties that the vocabulary file does not define.
PROPERTY_LABELS: dict[str, dict[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": {"zh": "类型", "en": "type"},
    "http://www.w3.org/2004/02/skos/core#prefLabel": {"zh": "名称", "en": "name"},
    "http://www.w3.org/2004/02/skos/core#altLabel": {"zh": "别名", "en": "also called"},
    "http://www.w3.org/2004/02/skos/core#definition": {"zh": "定义", "en": "definition"},
    "http://www.w3.org/2004/02/skos/core#note": {"zh": "备注", "en": "note"},
    "http://www.w3.org/2004/02/skos/core#notation": {"zh": "代码", "en": "code"},
    "http://www.w3.org/2004/02/skos/core#broader": {"zh": "上位", "en": "broader"},
    "http://www.w3.org/2004/02/skos/core#narrower": {"zh": "下位", "en": "narrower"},
    "http://www.w3.org/2004/02/skos/core#inScheme": {"zh": "所属体系", "en": "in scheme"},
    "http://www.w3.org/2004/02/skos/core#exactMatch": {"zh": "等同", "en": "exact match"},
    "http://www.w3.org/2004/02/skos/core#closeMatch": {"zh": "近似", "en": "close match"},
    "http://purl.org/dc/terms/source": {"zh": "来源", "en": "source"},
    "http://purl.org/dc/terms/title": {"zh": "标题", "en": "title"},
    "http://purl.org/dc/terms/date": {"zh": "日期", "en": "date"},
    "http://purl.org/dc/terms/publisher": {"zh": "发布者", "en": "publisher"},
    "http://purl.org/dc/terms/identifier": {"zh": "标识", "en": "identifier"},
    "http://purl.org/dc/terms/license": {"zh": "许可", "en": "licence"},
    "http://www.w3.org/2000/01/rdf-schema#label": {"zh": "标签", "en": "label"},
    "http://www.w3.org/2000/01/rdf-schema#comment": {"zh": "说明", "en": "comment"},
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": {"zh": "参见", "en": "see also"},
    "https://schema.org/url": {"zh": "网址", "en": "URL"},
    "http://www.w3.org/ns/prov#wasDerivedFrom": {"zh": "派生自", "en": "derived from"},
}

_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SOURCE = "http://purl.org/dc/terms/source"
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
INCOMING_CAP = 200


_GRAPHS: weakref.WeakSet[KnowledgeGraph] = weakref.WeakSet()


def _renew_locks_after_fork() -> None:
    """In a forked child (a gunicorn worker after --preload) only the forking thread exists: a
    cache lock another thread held at the fork would never be released there, and the worker's
    first ``cached`` call would wait for ever. Each live graph gets a fresh lock."""
    for graph in list(_GRAPHS):
        graph._lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_locks_after_fork)


class KnowledgeGraph:
    """One loaded ontology in one store, with named queries prepared.

    Thread-safe for reading: caches are built once under a lock (renewed in a forked child).
    """

    def __init__(
        self,
        backend: Backend,
        queries: QueryLibrary,
        files: OntologyFiles | None,
        settings: Settings,
        load_seconds: float = 0.0,
    ) -> None:
        self.backend = backend
        self.queries = queries
        self.files = files
        self.settings = settings
        self.load_seconds = load_seconds
        self.root: Path | None = files.root if files else None
        self._fingerprint = fingerprint(self.root) if self.root else None
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self._rdflib: rdflib.Graph | None = None
        _GRAPHS.add(self)
        self.version = self._version()

    # ------------------------------------------------------------------ basics
    @property
    def store(self) -> str:
        return self.backend.kind

    def __len__(self) -> int:
        return self.backend.triple_count()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.store} {self.version['hash']} {self.version['triples']} triples>"

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """A value computed once per graph (route tables, label indexes...)."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def _version(self) -> dict[str, Any]:
        newest = None
        best: tuple[int, int, int] | None = None
        for row in self.query("sources"):
            for key in ("asOf", "date"):
                value = row.get(key)
                if value is None:
                    continue
                m = _DATE.match(str(value))
                if not m:
                    continue
                rank = (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
                if best is None or rank > best:
                    best, newest = rank, str(value)
        return {
            "hash": self.files.hash if self.files else "remote",
            "newest_source": newest,
            "triples": self.backend.triple_count(),
            "store": self.store,
            "files": len(self.files.files) if self.files else None,
        }

    def is_stale(self) -> bool:
        """True when a file under the ontology directory changed since loading."""
        return self.root is not None and fingerprint(self.root) != self._fingerprint

    # ------------------------------------------------------------------ queries
    def named_queries(self) -> list[NamedQuery]:
        return list(self.queries)

    def query(self, name: str, **params: Any) -> list[dict[str, Node]]:
        """Run the named query ``ontology/queries/<name>.rq`` with parameters bound as RDF terms."""
        bindings = self.queries.bindings(name, params)
        query = self.queries.get(name)
        return self.backend.select(query.text, bindings, self.queries.prepared(name))

    def sparql(
        self, text: str, timeout: float | None = None, row_cap: int | None = None
    ) -> SparqlResult:
        """User SPARQL: read-only, stopped for real at the timeout, capped at row_cap rows."""
        return run_user_query(
            self.backend.execute,
            text,
            timeout=timeout if timeout is not None else self.settings.query_timeout,
            row_cap=row_cap if row_cap is not None else self.settings.row_cap,
        )

    # ------------------------------------------------------------------ labels
    def labels(self) -> LabelIndex:
        return self.cached("labels", self._build_labels)

    def _build_labels(self) -> LabelIndex:
        # plain strings, not rdflib terms: the index only reads them as text (0.3 s against 1 s)
        return LabelIndex(self.backend.select_values(self.queries.get("entity-labels").text))

    def label(self, iri: str | Node, lang: str = "zh") -> str:
        key = str(iri)
        if key in PROPERTY_LABELS and key not in self.labels():
            return PROPERTY_LABELS[key].get(lang, PROPERTY_LABELS[key]["en"])
        return self.labels().label(key, lang)

    def resolve(self, text: str) -> list[str]:
        """IRIs whose label or alias (zh or en, case-insensitive, NFKC) or IRI/local name is text."""
        return self.labels().resolve(text)

    def suggest(self, text: str, n: int = 5, allowed: list[str] | None = None) -> list[str]:
        return self.labels().suggest(text, n=n, allowed=allowed)

    # ------------------------------------------------------------------ entities
    def entity(self, iri: str | Node, lang: str = "zh") -> dict[str, Any] | None:
        """One resource: labels, aliases, definition, properties (with labels) and sources."""
        node = URIRef(str(iri))
        try:
            rows = self.query("entity-properties", entity=node)
        except ValueError:  # not a valid IRI (spaces, control characters): nothing is called that
            return None
        if not rows:
            return None
        index = self.labels()
        types: list[str] = []
        alt: list[str] = []
        definition: dict[str, str] = {}
        props = []
        for row in rows:
            p, o = str(row["p"]), row["o"]
            if p == _TYPE and isinstance(o, URIRef) and str(o) not in types:
                types.append(str(o))
            elif p == _ALT and str(o) not in alt:
                alt.append(str(o))
            elif p == _DEFINITION and isinstance(o, Literal):
                definition.setdefault(o.language or "", str(o))
            props.append(self._describe(p, o, lang))
        sources = [
            {
                "iri": str(r["source"]),
                "title": str(r["title"]) if "title" in r else self.label(r["source"], lang),
                "url": str(r["url"]) if "url" in r else None,
            }
            for r in self.query("entity-sources", entity=node)
        ]
        incoming = self.query("entity-incoming", entity=node)
        key = str(node)
        return {
            "iri": key,
            "id": local_name(key) if key.startswith(RTD_NS) else key,
            "types": types,
            "type_labels": [self.label(t, lang) for t in types],
            "labels": index.labels(key),
            "label": self.label(key, lang),
            "alt_labels": alt,
            "definition": definition,
            "properties": props,
            "incoming": [
                {
                    "s": str(r["s"]),
                    "s_label": self.label(r["s"], lang),
                    "p": str(r["p"]),
                    "p_label": self.label(r["p"], lang),
                }
                for r in incoming[:INCOMING_CAP]
            ],
            "incoming_total": len(incoming),
            "sources": sources,
        }

    def _describe(self, p: str, o: Node, lang: str) -> dict[str, Any]:
        is_iri = isinstance(o, URIRef)
        out: dict[str, Any] = {
            "p": p,
            "p_label": self.label(p, lang),
            "o": str(o),
            "o_label": self.label(o, lang) if is_iri else str(o),
            "is_iri": is_iri,
        }
        if isinstance(o, Literal):
            if o.language:
                out["lang"] = o.language
            elif o.datatype is not None:
                out["datatype"] = str(o.datatype)
        return out

    # ------------------------------------------------------------------ whole graph
    def rdflib_graph(self) -> rdflib.Graph:
        """The data as an rdflib Graph (for SHACL, export and serialisation); built once."""
        if self._rdflib is None:
            with self._lock:
                if self._rdflib is None:
                    self._rdflib = self.backend.rdflib_graph()
        return self._rdflib

    def export(self, fmt: str = "ttl") -> bytes:
        if fmt not in EXPORT_FORMATS:
            raise ValueError(
                f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
            )
        return self.backend.serialize(fmt)

    def stats(self) -> dict[str, int]:
        """Counts by kind, the triple count, and 'unsourced' (must be 0)."""
        from kg.checks import load_checks  # local import: checks import nothing from graph

        rows = self.query("stats") if "stats" in self.queries else []
        row = rows[0] if rows else {}
        out: dict[str, int] = {"triples": self.backend.triple_count()}
        for key, value in sorted(row.items()):
            out[key] = int(value.toPython())
        unsourced = 0
        if self.root is not None:
            for check in load_checks(self.root):
                if check.name == "missing-source":
                    unsourced = len(self.backend.select(check.text))
        out["unsourced"] = unsourced
        return out

    def close(self) -> None:
        self.backend.close()


def open_graph(
    ontology_dir: str | Path | None = None,
    store: str | None = None,
    settings: Settings | None = None,
) -> KnowledgeGraph:
    """Load the ontology into a store and prepare its named queries.

    ``store``: "oxigraph" (default), "memory" (rdflib) or the http(s) URL of a SPARQL endpoint
    (which must already hold the data; the local directory still supplies the named queries).
    """
    settings = settings or Settings()
    store = store or settings.store
    root = resolve_ontology_dir(ontology_dir if ontology_dir is not None else settings.ontology_dir)
    started = time.perf_counter()
    files = OntologyFiles.scan(root)
    backend = open_backend(store, files, timeout=settings.remote_timeout)
    queries = QueryLibrary.from_dir(root / "queries")
    if not len(queries):
        raise StoreError(f"no named queries in {root / 'queries'}")
    queries.prepare(backend)
    return KnowledgeGraph(backend, queries, files, settings, time.perf_counter() - started)
