"""Conversions between RDF term representations: rdflib, pyoxigraph and SPARQL JSON results.

Every store hands back rdflib terms, so that callers see the same values whichever store is used.
Plain literals are normalised: ``"x"^^xsd:string`` becomes ``Literal("x")`` (as rdflib parses it).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node

__all__ = [
    "to_rdflib",
    "to_oxigraph",
    "from_sparql_json",
    "to_sparql_json",
    "expand_iri",
    "local_name",
    "RTD_NS",
    "RT_NS",
]

RTD_NS = "https://w3id.org/rongtong/id/"
RT_NS = "https://w3id.org/rongtong/ns#"
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_PREFIXES = {
    "rtd": RTD_NS,
    "rt": RT_NS,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": str(XSD),
    "schema": "https://schema.org/",
    "ceterms": "https://purl.org/ctdl/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return URIRef("urn:x-rdflib:default")
    raise TypeError(f"cannot convert {type(term).__name__} to rdflib")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {type(term).__name__} to pyoxigraph")


def from_sparql_json(value: dict[str, Any]) -> Node:
    """One term of a SPARQL 1.1 JSON results binding. Raises ValueError when malformed."""
    if not isinstance(value, dict) or "type" not in value or "value" not in value:
        raise ValueError(f"malformed term in SPARQL JSON results: {value!r}")
    kind, text = value["type"], value["value"]
    if not isinstance(text, str):
        raise ValueError(f"malformed term value in SPARQL JSON results: {value!r}")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _LANG_STRING):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise ValueError(f"unknown term type in SPARQL JSON results: {kind!r}")


def to_sparql_json(term: Node) -> dict[str, str]:
    """One rdflib term as a SPARQL 1.1 JSON results term."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def expand_iri(text: str) -> URIRef | None:
    """``<iri>``, an absolute http(s)/urn IRI, or a known prefixed name (``rtd:prog-460305``) as a
    URIRef; None when the text is none of those."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(("http://", "https://", "urn:")) and not any(
        c in text for c in ' <>"{}|\\^`'
    ):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in _PREFIXES and local and not any(c.isspace() for c in local):
        return URIRef(_PREFIXES[prefix] + local)
    return None


def local_name(iri: Identifier | str) -> str:
    """The part after the last '/' or '#': ``prog-460305`` for an rtd: IRI."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            tail = text.rsplit(sep, 1)[1]
            if tail:
                return tail
    return text
