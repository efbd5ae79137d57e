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
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from advisor.normalize import normalize

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


def _short(pred: str) -> str:
    """Compact predicate keys: rt:years → 'rt:years', skos:prefLabel → 'skos:prefLabel'."""
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
            return prefix + pred[len(ns) :]
    if pred == RDF_TYPE:
        return "a"
    return pred


def _node(value) -> Any:
    """rdflib or pyoxigraph node → str (IRI), ``Lit`` or "_:id" (blank node)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, Literal):
        dt = str(value.datatype) if value.datatype is not None else None
        return Lit(str(value), value.language or None, dt)
    if isinstance(value, BNode):
        return "_:" + str(value)
    if isinstance(value, str):
        return value
    cls = type(value).__name__
    if cls == "NamedNode":
        return value.value
    if cls == "Literal":
        dt = value.datatype.value if getattr(value, "datatype", None) is not None else None
        return Lit(value.value, getattr(value, "language", None) or None, dt)
    if cls == "BlankNode":
        return "_:" + value.value
    return Lit(str(value))


class Knowledge:
    """The advisor's view of one graph version."""

    def __init__(self, rows, version: dict | None = None):
        self.version = dict(version or {})
        self.entities: dict[str, Entity] = {}
        ents = self.entities
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
        self._index()

    # ------------------------------------------------------------------ loading

    @classmethod
    def from_graph(cls, graph) -> Knowledge:
        rows = graph.query("advisor-triples")
        version = getattr(graph, "version", None) or {}
        return cls(rows, version)

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
        return [iri for iri, e in self.entities.items() if e.types.intersection(kinds)]

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
        self.routes_from: dict[str, list[str]] = defaultdict(list)
        self.routes_to: dict[str, list[str]] = defaultdict(list)
        self.routes_by_mech: dict[str, list[str]] = defaultdict(list)
        self.routes_by_region: dict[str, list[str]] = defaultdict(list)
        self.facts_about: dict[str, list[str]] = defaultdict(list)
        self.occlinks_by_prog: dict[str, list[str]] = defaultdict(list)
        self.occlinks_by_occ: dict[str, list[str]] = defaultdict(list)
        self.credlinks_by_subject: dict[str, list[str]] = defaultdict(list)
        self.credlinks_by_cred: dict[str, list[str]] = defaultdict(list)
        self.fits_by_interest: dict[str, list[str]] = defaultdict(list)
        self.fits_by_target: dict[str, list[str]] = defaultdict(list)
        self.progs_by_class: dict[str, list[str]] = defaultdict(list)
        self.classes_by_cat: dict[str, list[str]] = defaultdict(list)
        self.cats_by_field: dict[str, list[str]] = defaultdict(list)
        self.classprog_from: dict[str, list[str]] = defaultdict(list)
        self.children: dict[str, list[str]] = defaultdict(
            list
        )  # skos:broader / rt:group / rt:partOf inverse
        self.about_by_misc: dict[str, list[str]] = defaultdict(list)
        self.inst_by_stage: dict[str, list[str]] = defaultdict(list)
        self.by_notation: dict[str, str] = {}
        self.generic_links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # o -> (s, p)
        self.required_by: dict[str, list[str]] = defaultdict(list)  # occupation/group -> licences
        self.progs_by_field: dict[str, list[str]] = defaultdict(list)

        for iri, ent in self.entities.items():
            t = ent.types
            if t & {"Route", "Transfer", "TitleRoute"}:
                for f in self.iris(iri, "rt:from"):
                    self.routes_from[f].append(iri)
                for to in self.iris(iri, "rt:to"):
                    self.routes_to[to].append(iri)
                for m in self.iris(iri, "rt:mechanism"):
                    self.routes_by_mech[m].append(iri)
                for r in self.iris(iri, "rt:region"):
                    self.routes_by_region[r].append(iri)
            if "Fact" in t:
                for a in self.iris(iri, "rt:about"):
                    self.facts_about[a].append(iri)
            if "OccupationLink" in t:
                for p in self.iris(iri, "rt:programme"):
                    self.occlinks_by_prog[p].append(iri)
                for o in self.iris(iri, "rt:occupation"):
                    self.occlinks_by_occ[o].append(iri)
            if "CredentialLink" in t:
                for p in self.iris(iri, "rt:programme") + self.iris(iri, "rt:occupation"):
                    self.credlinks_by_subject[p].append(iri)
                for c in self.iris(iri, "rt:credential"):
                    self.credlinks_by_cred[c].append(iri)
            if "InterestFit" in t:
                for i in self.iris(iri, "rt:interest"):
                    self.fits_by_interest[i].append(iri)
                for f in self.iris(iri, "rt:fits"):
                    self.fits_by_target[f].append(iri)
            if "Programme" in t:
                for c in self.iris(iri, "rt:programmeClass"):
                    self.progs_by_class[c].append(iri)
            if "Programme" in t:
                for f in self.iris(iri, "rt:field"):
                    self.progs_by_field[f].append(iri)
            for r in self.iris(iri, "rt:requiredFor"):
                self.required_by[r].append(iri)
            if "ProgrammeClass" in t:
                for c in self.iris(iri, "rt:category"):
                    self.classes_by_cat[c].append(iri)
            if "ProgrammeCategory" in t:
                for f in self.iris(iri, "rt:field"):
                    self.cats_by_field[f].append(iri)
            if "ClassProgression" in t:
                for c in self.iris(iri, "rt:fromClass"):
                    self.classprog_from[c].append(iri)
            if "Misconception" in t:
                for p in ("rt:about",):
                    for a in self.iris(iri, p):
                        self.about_by_misc[a].append(iri)
            if "InstitutionType" in t:
                for s in self.iris(iri, "rt:providesStage"):
                    self.inst_by_stage[s].append(iri)
            for p in ("skos:broader", "rt:group", "rt:partOf"):
                for b in self.iris(iri, p):
                    self.children[b].append(iri)
            for n in self.values(iri, "skos:notation"):
                if isinstance(n, Lit):
                    self.by_notation.setdefault(normalize(n.text), iri)
            for p, vals in ent.props.items():
                if (
                    p.startswith("rt:")
                    or p.startswith("skos:related")
                    or p.startswith("rdfs:seeAlso")
                ):
                    for v in vals:
                        if isinstance(v, str):
                            self.generic_links[v].append((iri, p))

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
