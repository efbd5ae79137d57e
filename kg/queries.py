"""Named queries: ``ontology/queries/<name>.rq`` files with a comment header::

    # name: programme-occupations
    # description: The occupations a programme leads to, with the basis of each link.
    # param: ?programme — the programme (IRI), e.g. rtd:prog-460305

They are read once per graph and prepared at start-up (rdflib's parser must not see concurrent
first use). Parameters are bound as RDF terms by the store: rdflib ``initBindings``; Oxigraph and
a remote endpoint get each value written into the query as a constant by a cached template
(``kg.stores.bound_query``: the value is serialised and validated as one RDF term, so it can never
add syntax; a query the template cannot express gets a VALUES block). pyoxigraph's
``substitutions=`` is not used: it plans without the value (next-level-programmes 12.8 ms
against 0.3 ms written in, at ~1M triples).

Writing one (measured on the shipped graph and the ~1M synthetic one, see bench/):

- Project the parameters (``SELECT ?programme …``) so that rows carry them.
- Start from the bound parameter, never from a type triple: rdflib does not use the bound value
  when it orders patterns, so ``?link a rt:OccupationLink ; rt:programme ?programme`` scans every
  link (40 s in a join on rdflib; 9 ms on Oxigraph with ``substitutions=``) where ``?link
  rt:programme ?programme . FILTER EXISTS { ?link a rt:OccupationLink }`` takes 0.5 ms. (With the
  value written in as a constant, Oxigraph orders both forms well: 0.04 ms.)
- Put the patterns that follow a UNION inside each branch, and join instead of filtering a cross
  product: a pattern joined after the UNION, or a VALUES block at the top (the /sparql examples),
  is matched without the value (programme-credentials took 22 s at ~1M that way, 5 ms now).
- Required patterns before OPTIONALs; OPTIONALs inside the UNION branch whose variables they
  use (an OPTIONAL on a variable a branch leaves unbound matches anything).
- Anchored, fixed-length chains instead of open-ended property paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryNotFound, QueryParamError, StoreError
from kg.sparqltext import query_form
from kg.terms import expand_iri

__all__ = ["Param", "NamedQuery", "QueryLibrary", "parse_header", "to_term"]

_HEADER = re.compile(r"^#\s*(name|description|param|example)\s*:\s*(.*)$", re.I)
_PARAM = re.compile(r"^\?([A-Za-z_][A-Za-z0-9_]*)\s*(?:[—–:-]+\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    meaning: str = ""


@dataclass
class NamedQuery:
    name: str
    text: str
    description: str = ""
    params: list[Param] = field(default_factory=list)
    path: Path | None = None
    form: str = "SELECT"

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "params": [{"name": p.name, "meaning": p.meaning} for p in self.params],
            "text": self.text,
        }


def parse_header(text: str, fallback_name: str) -> tuple[str, str, list[Param]]:
    """(name, description, params) from the leading ``#`` comment lines of a query."""
    name, description, params = fallback_name, [], []
    last = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            last = key
            if key == "name" and value:
                name = value
            elif key == "description":
                description.append(value)
            elif key == "param":
                pm = _PARAM.match(value)
                if not pm:
                    raise ValueError(f"bad '# param:' line (want '?name — meaning'): {stripped}")
                params.append(Param(pm.group(1), (pm.group(2) or "").strip()))
        elif last == "description":  # continuation lines of the description
            description.append(stripped.lstrip("#").strip())
    return name, " ".join(d for d in description if d), params


def to_term(value: Any) -> Node:
    """A parameter value as an RDF term: rdflib terms pass through; a string that is an IRI
    (absolute, <…> or a known prefix such as rtd:) becomes one; anything else a plain literal."""
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, bool | int | float):
        return Literal(value)
    if isinstance(value, str):
        iri = expand_iri(value)
        return iri if iri is not None else Literal(value)
    raise QueryParamError(f"cannot use {type(value).__name__} as a query parameter")


class QueryLibrary:
    """The named queries of one ontology directory, prepared for one backend."""

    def __init__(self, queries: Mapping[str, NamedQuery]) -> None:
        self._queries = dict(queries)
        self._prepared: dict[str, Any] = {}

    @classmethod
    def from_dir(cls, directory: Path) -> QueryLibrary:
        queries: dict[str, NamedQuery] = {}
        for path in sorted(directory.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            try:
                name, description, params = parse_header(text, path.stem)
            except ValueError as exc:
                raise StoreError(f"{path.name}: {exc}") from None
            if name in queries:
                raise StoreError(f"{path.name}: query name {name!r} is used twice")
            queries[name] = NamedQuery(
                name, text, description, params, path, query_form(text) or "SELECT"
            )
        return cls(queries)

    def prepare(self, backend: Any) -> None:
        """Parse every query once, now; a syntax error names the file."""
        for name, query in self._queries.items():
            try:
                self._prepared[name] = backend.prepare(query.text)
            except StoreError as exc:
                where = query.path.name if query.path else name
                raise StoreError(f"{where}: {exc}") from None

    def names(self) -> list[str]:
        return sorted(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._queries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryNotFound(
                f"no named query {name!r}; known: {', '.join(self.names())}"
            ) from None

    def prepared(self, name: str) -> Any:
        return self._prepared.get(name)

    def bindings(self, name: str, params: Mapping[str, Any]) -> dict[str, Node]:
        """Check the parameters against the query's declared ones and turn them into terms."""
        query = self.get(name)
        declared = set(query.param_names)
        unknown = sorted(set(params) - declared)
        if unknown:
            known = ", ".join("?" + p for p in query.param_names) or "none"
            raise QueryParamError(
                f"query {name!r} has no parameter {', '.join('?' + u for u in unknown)} (it takes {known})"
            )
        return {k: to_term(v) for k, v in params.items() if v is not None}
