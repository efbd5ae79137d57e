"""融通 Rongtong knowledge graph: load the ontology, validate it, query it, find pathways.

The public surface (docs/CONVENTIONS.md)::

    from kg import open_graph, KnowledgeGraph, find_paths, Settings
    g = open_graph()                       # oxigraph (default) | "memory" | "http(s)://…/sparql"
    g.query("programme-occupations", programme=RTD["prog-460305"])
    find_paths(g, RTD["stage-secondary-vocational"], RTD["stage-bachelor"])
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import (
    KGError,
    OntologyParseError,
    QueryNotFound,
    QueryParamError,
    RemoteStoreError,
    SparqlError,
    SparqlForbidden,
    SparqlSyntaxError,
    SparqlTimeout,
    StoreError,
    UnknownPlace,
)
from kg.graph import KnowledgeGraph, open_graph
from kg.paths import find_paths, pathways, resolve_place
from kg.settings import Setting, Settings
from kg.sparql import SparqlResult

if TYPE_CHECKING:  # pyshacl is slow to import: kg.validate loads only when validating
    from kg.validate import Report

__all__ = [
    "open_graph",
    "KnowledgeGraph",
    "find_paths",
    "Settings",
    "Setting",
    "SparqlResult",
    "pathways",
    "resolve_place",
    "validate",
    "KGError",
    "OntologyParseError",
    "StoreError",
    "RemoteStoreError",
    "QueryNotFound",
    "QueryParamError",
    "SparqlError",
    "SparqlSyntaxError",
    "SparqlForbidden",
    "SparqlTimeout",
    "UnknownPlace",
]


def validate(ontology_dir: str | Path | None = None, **kwargs: Any) -> Report:
    """Validate an ontology directory (see :func:`kg.validate.validate`)."""
    from kg.validate import validate as _validate

    return _validate(ontology_dir, **kwargs)
