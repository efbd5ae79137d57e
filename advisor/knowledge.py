"""An in-memory snapshot of the graph for the advisor, loaded once per graph version.

The advisor answers a chat turn from this snapshot (plus ``kg.find_paths``), so a turn costs
dictionary look-ups instead of SPARQL round trips. It is filled by one named query,
``ontology/queries/advisor-triples.rq`` (every triple about an ``rtd:`` resource), and indexed
by the relations the answers follow: routes by start and end, facts by what they are about,
programme → occupation and credential links, interest fits, catalogue hierarchy, sources.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from advisor.normalize import en_tokens, normalize

__all__ = ["Knowledge", "Entity", "Lit", "RT", "RTD", "SKOS", "DCT"]

log = logging.getLogger("rongtong.advisor.knowledge")

RT = "https://w3id.org/rongtong/ns#"
RTD = "https://w3id.org/rongtong/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
CETERMS = "https://purl.org/ctdl/terms/"

# Main type of a resource when it has several, most specific first.
KIND_ORDER = (
    "Fact",
    "Misconception",
    "Mechanism",
    "EducationStage",
    "InstitutionType",
    "Transfer",
    "TitleRoute",
    "Route",
    "Programme",
    "ProgrammeClass",
    "ProgrammeCategory",
    "Field",
    "Occupation",
    "OccupationGroup",
    "Degree",
    "Licence",
    "SkillLevel",
    "Certificate",
    "Credential",
    "ProfessionalTitle",
    "InterestFit",
    "Interest",
    "EducationSystem",
    "Region",
    "OccupationLink",
    "CredentialLink",
    "ClassProgression",
    "Source",
    "LinkBasis",
)


class Lit(NamedTuple):
    """A literal: its text, language tag and datatype IRI (a tuple: cheap to build and unpickle)."""

    text: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class Entity:
    iri: str
    types: set[str] = field(default_factory=set)  # local names of rt: types, full IRIs otherwise
    props: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    kind: str = ""

    @property
    def local(self) -> str:
        return self.iri[len(RTD) :] if self.iri.startswith(RTD) else self.iri.rsplit("#", 1)[-1]


_SHORT: dict[str, str] = {}


def _short(pred: str) -> str:
    """Compact predicate keys: rt:years → 'rt:years', skos:prefLabel → 'skos:prefLabel'."""
    short = _SHORT.get(pred)
    if short is not None:
        return short
    short = pred
    for prefix, ns in (
        ("rt:", RT),
        ("skos:", SKOS),
        ("dct:", DCT),
        ("rdfs:", RDFS),
        ("schema:", SCHEMA),
        ("schema:", SCHEMA_HTTP),
        ("foaf:", FOAF),
        ("ceterms:", CETERMS),
    ):
        if pred.startswith(ns):
            short = prefix + pred[len(ns) :]
            break
    else:
        if pred == RDF_TYPE:
            short = "a"
    if len(_SHORT) < 10000:
        _SHORT[pred] = short
    return short


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDFLIB: tuple | None = None


def _rdflib_terms() -> tuple:
    global _RDFLIB
    if _RDFLIB is None:
        from rdflib import BNode, Literal, URIRef

        _RDFLIB = (URIRef, Literal, BNode)
    return _RDFLIB


def _node(value) -> Any:
    """rdflib or pyoxigraph node → str (IRI), ``Lit`` or "_:id" (blank node).

    A pyoxigraph term gives what the equal rdflib term would (``kg.terms.to_rdflib``): a language-
    tagged or xsd:string literal has no datatype, and a typed literal takes rdflib's lexical form.
    """
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _converter(type(value))
    return convert(value)


def _rdflib_literal(value) -> Lit:
    dt = str(value.datatype) if value.datatype is not None else None
    return Lit(str(value), value.language or None, dt)


def _ox_literal(value) -> Lit:
    lang = value.language
    if lang:
        return Lit(value.value, lang, None)
    dt = value.datatype.value if value.datatype is not None else None
    if dt is None or dt == _XSD_STRING:
        return Lit(value.value)
    return _typed(value.value, dt)


def _converter(cls: type):
    """How to convert a term of this class (found once per class: isinstance on rdflib's
    classes is slow, and a snapshot converts a quarter of a million terms)."""
    URIRef, Literal, BNode = _rdflib_terms()
    if issubclass(cls, URIRef):
        convert = str
    elif issubclass(cls, Literal):
        convert = _rdflib_literal
    elif issubclass(cls, BNode):
        convert = lambda v: "_:" + str(v)  # noqa: E731
    elif issubclass(cls, str):
        convert = str
    elif cls.__name__ == "NamedNode":
        convert = lambda v: v.value  # noqa: E731
    elif cls.__name__ == "Literal":
        convert = _ox_literal
    elif cls.__name__ == "BlankNode":
        convert = lambda v: "_:" + v.value  # noqa: E731
    else:
        convert = lambda v: Lit(str(v))  # noqa: E731
    _CONVERTERS[cls] = convert
    return convert


_CONVERTERS: dict[type, Any] = {}


_TYPED: dict[tuple[str, str], Lit] = {}


def _typed(text: str, datatype: str) -> Lit:
    """A typed literal in rdflib's lexical form (rdflib normalises some, e.g. "01"^^xsd:integer)."""
    key = (text, datatype)
    lit = _TYPED.get(key)
    if lit is None:
        URIRef, Literal, _ = _rdflib_terms()
        value = Literal(text, datatype=URIRef(datatype))
        lit = Lit(str(value), None, str(value.datatype))
        if len(_TYPED) < 50000:
            _TYPED[key] = lit
    return lit


def _rows_fast(graph, name: str, subject: str | None = None):
    """The named query's rows as pyoxigraph terms straight from an Oxigraph store (no rdflib
    terms on the way), or None when the graph is not held in one."""
    store = getattr(getattr(graph, "backend", None), "store", None)
    queries = getattr(graph, "queries", None)
    if store is None or queries is None or type(store).__name__ != "Store":
        return None
    try:
        import pyoxigraph as ox

        text = queries.get(name).text
        if subject is None:
            solutions = store.query(text)
        else:
            solutions = store.query(text, substitutions={ox.Variable("s"): ox.NamedNode(subject)})
        names = [v.value for v in solutions.variables]
        if names[:3] != ["s", "p", "o"]:
            return None
        return [{"s": sol[0], "p": sol[1], "o": sol[2]} for sol in solutions]
    except Exception as err:  # noqa: BLE001 - the general path below is always right
        log.debug("fast snapshot query unavailable (%s)", err)
        return None


QUERY = "advisor-triples"


def _entities(rows) -> dict[str, Entity]:
    ents: dict[str, Entity] = {}
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        s = _node(s)
        if not isinstance(s, str):
            continue
        ent = ents.get(s)
        if ent is None:
            ent = ents[s] = Entity(s)
        p = _short(_node(p))
        o = _node(o)
        if p == "a":
            if isinstance(o, str):
                ent.types.add(o[len(RT) :] if o.startswith(RT) else o)
            continue
        ent.props[p].append(o)
    for ent in ents.values():
        ent.kind = next((k for k in KIND_ORDER if k in ent.types), "")
        if not ent.kind and ent.types:
            t = sorted(ent.types)[0]
            ent.kind = re.split(r"[#/]", t)[-1]
    return ents


# The relations the answers follow: index name -> {key: [resource or (resource, predicate)]};
# "_notations" (normalised code -> resources) gives ``by_notation``.
_INDEXES = (
    "routes_from",
    "routes_to",
    "routes_by_mech",
    "routes_by_region",
    "facts_about",
    "occlinks_by_prog",
    "occlinks_by_occ",
    "credlinks_by_subject",
    "credlinks_by_cred",
    "fits_by_interest",
    "fits_by_target",
    "progs_by_class",
    "classes_by_cat",
    "cats_by_field",
    "classprog_from",
    "children",  # skos:broader / rt:group / rt:partOf inverse
    "about_by_misc",
    "inst_by_stage",
    "generic_links",  # o -> (s, p)
    "required_by",  # occupation/group -> licences
    "progs_by_field",
    "_notations",
)
_ROUTES = {"Route", "Transfer", "TitleRoute"}


# (the types a resource must have, None for any; its predicate; the index it feeds), in the order
# a resource's entries are made: that order is part of each index's list order
_INDEX_RULES: tuple[tuple[frozenset[str] | None, str, str], ...] = (
    (frozenset(_ROUTES), "rt:from", "routes_from"),
    (frozenset(_ROUTES), "rt:to", "routes_to"),
    (frozenset(_ROUTES), "rt:mechanism", "routes_by_mech"),
    (frozenset(_ROUTES), "rt:region", "routes_by_region"),
    (frozenset({"Fact"}), "rt:about", "facts_about"),
    (frozenset({"OccupationLink"}), "rt:programme", "occlinks_by_prog"),
    (frozenset({"OccupationLink"}), "rt:occupation", "occlinks_by_occ"),
    (frozenset({"CredentialLink"}), "rt:programme", "credlinks_by_subject"),
    (frozenset({"CredentialLink"}), "rt:occupation", "credlinks_by_subject"),
    (frozenset({"CredentialLink"}), "rt:credential", "credlinks_by_cred"),
    (frozenset({"InterestFit"}), "rt:interest", "fits_by_interest"),
    (frozenset({"InterestFit"}), "rt:fits", "fits_by_target"),
    (frozenset({"Programme"}), "rt:programmeClass", "progs_by_class"),
    (frozenset({"Programme"}), "rt:field", "progs_by_field"),
    (None, "rt:requiredFor", "required_by"),
    (frozenset({"ProgrammeClass"}), "rt:category", "classes_by_cat"),
    (frozenset({"ProgrammeCategory"}), "rt:field", "cats_by_field"),
    (frozenset({"ClassProgression"}), "rt:fromClass", "classprog_from"),
    (frozenset({"Misconception"}), "rt:about", "about_by_misc"),
    (frozenset({"InstitutionType"}), "rt:providesStage", "inst_by_stage"),
    (None, "skos:broader", "children"),
    (None, "rt:group", "children"),
    (None, "rt:partOf", "children"),
)


def _entries(iri: str, ent: Entity):
    """The index entries one resource makes: (index name, key, value), in index order."""
    props, types = ent.props, ent.types
    for needs, pred, name in _INDEX_RULES:
        if needs is None or types & needs:
            for value in props.get(pred, ()):
                if isinstance(value, str):  # an IRI, not a literal
                    yield name, value, iri
    for n in props.get("skos:notation", ()):
        if isinstance(n, Lit):
            yield "_notations", normalize(n.text), iri
    for p, vals in props.items():
        if p.startswith("rt:") or p.startswith("skos:related") or p.startswith("rdfs:seeAlso"):
            for v in vals:
                if isinstance(v, str):
                    yield "generic_links", v, (iri, p)


def _owner(value) -> str:
    return value[0] if isinstance(value, tuple) else value


def _holds_bnode(ent: Entity) -> bool:
    return any(type(v) is str and v.startswith("_:") for vals in ent.props.values() for v in vals)


class Knowledge:
    """The advisor's view of one graph version."""

    def __init__(self, rows, version: dict | None = None):
        self.version = dict(version or {})
        self.entities: dict[str, Entity] = _entities(rows)
        self._index()

    # ------------------------------------------------------------------ loading

    @classmethod
    def from_graph(cls, graph) -> Knowledge:
        rows = _rows_fast(graph, QUERY)
        if rows is None:
            rows = graph.query(QUERY)
        version = getattr(graph, "version", None) or {}
        return cls(rows, version)

    def updated(self, graph, changed: Iterable[str]) -> Knowledge:
        """The snapshot of ``graph``, which differs from this one's graph only in the triples
        about the ``changed`` resources: those are read again (one small query each), every
        other entity is shared with this snapshot (entities are never modified once built)."""
        new = Knowledge.__new__(Knowledge)
        new.version = dict(getattr(graph, "version", None) or {})
        entities = dict(self.entities)
        refreshed = set(changed) | getattr(self, "bnode_holders", set())
        for iri in sorted(refreshed):
            rows = _rows_fast(graph, QUERY, iri)
            if rows is None:
                from rdflib import URIRef

                query = graph.queries.get(QUERY)
                rows = graph.backend.select(query.text, {"s": URIRef(iri)})
            ent = _entities(rows).get(iri)
            if ent is None:
                entities.pop(iri, None)
            else:
                entities[iri] = ent  # in its place when it was there, else at the end
        new.entities = entities
        if isinstance(getattr(self, "_indexes", None), dict):
            new._reindex(self, refreshed)
        else:
            new._index()
        return new

    # ------------------------------------------------------------------ access

    def get(self, iri: str) -> Entity | None:
        return self.entities.get(iri)

    def values(self, iri: str, pred: str) -> list[Any]:
        ent = self.entities.get(iri)
        return list(ent.props.get(pred, ())) if ent else []

    def iris(self, iri: str, pred: str) -> list[str]:
        return [v for v in self.values(iri, pred) if isinstance(v, str)]

    def first_iri(self, iri: str, pred: str) -> str | None:
        vals = self.iris(iri, pred)
        return vals[0] if vals else None

    def text(self, iri: str, pred: str, lang: str = "zh", fallback: bool = True) -> str:
        """The literal of ``pred`` in ``lang`` (else the other language / untagged when fallback)."""
        vals = [v for v in self.values(iri, pred) if isinstance(v, Lit)]
        for v in vals:
            if v.lang == lang:
                return v.text
        if not fallback:
            return ""
        for v in vals:
            if v.lang is None:
                return v.text
        other = "en" if lang == "zh" else "zh"
        for v in vals:
            if v.lang == other:
                return v.text
        return vals[0].text if vals else ""

    def texts(self, iri: str, pred: str, lang: str | None = None) -> list[str]:
        return [
            v.text
            for v in self.values(iri, pred)
            if isinstance(v, Lit) and (lang is None or v.lang in (lang, None))
        ]

    def literal(self, iri: str, pred: str) -> str:
        vals = [v for v in self.values(iri, pred) if isinstance(v, Lit)]
        return vals[0].text if vals else ""

    def number(self, iri: str, pred: str) -> float | None:
        for v in self.values(iri, pred):
            if isinstance(v, Lit):
                try:
                    return float(v.text)
                except ValueError:
                    continue
        return None

    def label(self, iri: str, lang: str = "zh") -> str:
        if not iri:
            return ""
        text = self.text(iri, "skos:prefLabel", lang)
        if not text:
            text = self.text(iri, "rdfs:label", lang)
        if not text:
            ent = self.entities.get(iri)
            text = ent.local if ent else iri.rsplit("/", 1)[-1]
        return text

    def definition(self, iri: str, lang: str = "zh") -> str:
        return self.text(iri, "skos:definition", lang)

    def alt_labels(self, iri: str) -> list[Lit]:
        return [
            v
            for p in ("skos:altLabel", "skos:hiddenLabel")
            for v in self.values(iri, p)
            if isinstance(v, Lit)
        ]

    def is_a(self, iri: str, *kinds: str) -> bool:
        ent = self.entities.get(iri)
        return bool(ent and ent.types.intersection(kinds))

    def kind(self, iri: str) -> str:
        ent = self.entities.get(iri)
        return ent.kind if ent else ""

    def of_kind(self, *kinds: str) -> list[str]:
        # a snapshot never changes once built (updated() makes a new one), so the scan over every
        # entity is done once per set of kinds, not once per chat turn
        cache = self.__dict__.setdefault("_of_kind", {})
        key = frozenset(kinds)
        found = cache.get(key)
        if found is None:
            found = cache[key] = tuple(
                iri for iri, e in self.entities.items() if e.types.intersection(kinds)
            )
        return list(found)

    def occupation_heads(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """Occupations by the endings of their names, for loose names ("护士" → 内科护士, 儿科护士…;
        "nurse" → Internal Medicine Nurse…): (Chinese name endings of 2+ characters, including
        the whole name -> occupations; last English word, stemmed -> occupations). Built once per
        snapshot."""
        cache = self.__dict__.get("_occupation_heads")
        if cache is None:
            zh: dict[str, list[str]] = defaultdict(list)
            en: dict[str, list[str]] = defaultdict(list)
            for iri in self.of_kind("Occupation"):
                name = normalize(self.label(iri, "zh")).replace(" ", "")
                for i in range(len(name) - 1):
                    zh[name[i:]].append(iri)
                toks = en_tokens(normalize(self.label(iri, "en")))
                if toks:
                    en[toks[-1]].append(iri)
            cache = (
                {k: tuple(v) for k, v in zh.items()},
                {k: tuple(v) for k, v in en.items()},
            )
            self.__dict__["_occupation_heads"] = cache
        return cache

    # ------------------------------------------------------------------ sources

    def source_info(self, src: str, lang: str = "zh") -> dict:
        """{"title", "source" (its URL, else identifier, else IRI), "url", "iri"} for an rt:Source."""
        title = self.text(src, "skos:prefLabel", lang, fallback=False) or self.text(
            src, "dct:title", lang, fallback=False
        )
        if not title:
            title = self.text(src, "dct:title", lang) or self.label(src, lang)
        url = ""
        ident = ""
        for p in ("schema:url", "foaf:page", "dct:identifier", "rdfs:seeAlso", "schema:sameAs"):
            for v in self.values(src, p):
                s = v.text if isinstance(v, Lit) else v
                if not isinstance(s, str):
                    continue
                if s.startswith(("http://", "https://")):
                    url = url or s
                elif p == "dct:identifier":
                    ident = ident or s
        return {"title": title, "source": url or ident or src, "url": url, "iri": src}

    def sources_of(self, iri: str) -> list[str]:
        return self.iris(iri, "dct:source")

    # ------------------------------------------------------------------ indexes

    def _index(self) -> None:
        indexes: dict[str, dict] = {name: defaultdict(list) for name in _INDEXES}
        holders: set[str] = set()
        for iri, ent in self.entities.items():
            for name, key, value in _entries(iri, ent):
                indexes[name][key].append(value)
            if _holds_bnode(ent):
                holders.add(iri)
        self._set_indexes(indexes, holders)

    def _set_indexes(self, indexes: dict[str, dict], holders: set[str]) -> None:
        self._indexes = indexes
        for name in _INDEXES:
            setattr(self, name, indexes[name])
        # first resource (in snapshot order) with a code
        self.by_notation: dict[str, str] = {k: v[0] for k, v in indexes["_notations"].items() if v}
        # resources whose description holds a blank node: its id is new in every load of the
        # graph, so an updated snapshot reads them again
        self.bnode_holders: set[str] = holders

    def _reindex(self, old: Knowledge, refreshed: set[str]) -> None:
        """The indexes, from ``old``'s: only the entries of the ``refreshed`` resources (read
        again; the other entities are the same objects) are taken out and put back, each list
        keeping the order a full :meth:`_index` gives (snapshot order)."""
        pos = {iri: i for i, iri in enumerate(self.entities)}
        touched: dict[tuple[str, str], list] = {}
        for iri in refreshed:
            ent = old.entities.get(iri)
            if ent is not None:
                for name, key, _value in _entries(iri, ent):
                    touched.setdefault((name, key), [])
        for iri in sorted(refreshed, key=lambda i: pos.get(i, -1)):
            ent = self.entities.get(iri)
            if ent is not None:
                for name, key, value in _entries(iri, ent):
                    touched.setdefault((name, key), []).append(value)
        indexes = {name: defaultdict(list, old._indexes[name]) for name in _INDEXES}
        for (name, key), added in touched.items():
            kept = [v for v in old._indexes[name].get(key, ()) if _owner(v) not in refreshed]
            merged = kept + added
            if kept and added:
                merged.sort(key=lambda v: pos[_owner(v)])  # stable: an entity's own order stays
            if merged:
                indexes[name][key] = merged
            else:
                indexes[name].pop(key, None)
        holders = (old.bnode_holders - refreshed) | {
            iri for iri in refreshed if iri in self.entities and _holds_bnode(self.entities[iri])
        }
        self._set_indexes(indexes, holders)

    # ------------------------------------------------------------------ catalogue helpers

    def code(self, iri: str) -> str:
        """A programme's or occupation's code: skos:notation, else from the local name."""
        for p in ("skos:notation", "rt:code", "schema:occupationalCategory", "schema:programCode"):
            v = self.literal(iri, p)
            if v:
                return v
        ent = self.entities.get(iri)
        local = ent.local if ent else iri.rsplit("/", 1)[-1]
        m = re.match(r"^(?:prog|occ|occgrp|class|cat)-(.+)$", local)
        return m.group(1) if m else ""

    def programme_level(self, prog: str) -> str | None:
        """The stage (rt:level) of a programme or class, else from its code's first two digits."""
        lvl = self.first_iri(prog, "rt:level")
        if lvl:
            return lvl
        cls = self.first_iri(prog, "rt:programmeClass")
        if cls:
            lvl = self.first_iri(cls, "rt:level")
            if lvl:
                return lvl
        return None

    def programme_field(self, iri: str) -> str | None:
        """Field (19 大类 names) of a programme, class or category."""
        if self.is_a(iri, "Field"):
            return iri
        f = self.first_iri(iri, "rt:field")
        if f:
            return f
        if self.is_a(iri, "Programme"):
            cls = self.first_iri(iri, "rt:programmeClass")
            return self.programme_field(cls) if cls else None
        if self.is_a(iri, "ProgrammeClass"):
            cat = self.first_iri(iri, "rt:category")
            return self.programme_field(cat) if cat else None
        return None
