"""Pathways: every simple chain of routes between two places, not only the shortest.

The route table (the ``routes`` named query) is small, so it is loaded once per graph and searched
in Python (depth-first, up to ``max_steps`` routes, never visiting a place twice). A place is a
stage or a programme; reaching a concrete stage whose ``skos:broader`` is the target counts
(本科 = vocational or general bachelor's), and a programme stands for its stage (``rt:level``).

A path is something one learner can follow, so it stays in one place: a step that holds only in a
region (Shanghai's 贯通 routes, Shandong's transfer rules) combines with national steps and with
steps of that same region, a region inside it or a region it is inside (成都 with 四川), never with
another region's step (a Shanghai-only step then a Shandong-only step is not a path).

From a programme, each step into the next level also names the programmes of the same field there
(``programmes``: derived from the aligned class codes of the 2021 catalogue, e.g. 6603 → 4603 →
2603; a field at the next level, not an official list of 接续专业). The chain of fields stops at a
stage the vocational catalogue does not cover (普通本科, master's).

Years: a step has typical ``years`` (rt:years) or, where the sources give only a range, a
``years_range`` [min, max] (rt:yearsMin / rt:yearsMax) with ``years`` None, or neither (unknown).
``total_years`` is the sum when every step has typical years; when some step has only a range and
none is unknown, ``total_years`` is None and ``total_years_range`` holds the summed [min, max];
when a step is unknown, ``years_unknown_steps`` counts those steps and ``known_years`` is the
sum over the others (ranges at their minimum: a lower bound, never a total). A step that may only
start some years after the previous stage (rt:waitYears: 同等学力 two years after the 专科
diploma) reports ``wait_years``, and the totals count that time too: it passes all the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import UnknownPlace
from kg.graph import KnowledgeGraph
from kg.terms import RT_NS

__all__ = ["Edge", "RouteTable", "find_paths", "resolve_place", "pathways", "MAX_PATHS"]

MAX_PATHS = 500  # enumeration stops here (after sorting, the shortest are kept)
PROGRAMMES_SHOWN = 12  # same-field programmes listed per step (the total is given too)
_NATIONAL = "https://w3id.org/rongtong/id/region-national"
_ROUTE_KIND = {
    RT_NS + "Route": "route",
    RT_NS + "Transfer": "transfer",
    RT_NS + "TitleRoute": "title-route",
}


@dataclass
class Edge:
    """One route, with its multi-valued properties gathered from the query rows."""

    route: str
    source_place: str
    target: str
    types: list[str] = field(default_factory=list)
    mechanism: str | None = None
    years: Decimal | None = None
    years_min: Decimal | None = None
    years_max: Decimal | None = None
    wait_years: Decimal | None = None
    regions: list[str] = field(default_factory=list)
    valid_from: str | None = None
    valid_until: str | None = None
    timing: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    exam: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conditions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sources: list[str] = field(default_factory=list)
    as_of: str | None = None
    confidence: str | None = None


def _add_text(bucket: dict[str, list[str]], term: Node | None) -> None:
    if isinstance(term, Literal):
        values = bucket[term.language or ""]
        if str(term) not in values:
            values.append(str(term))


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value.toPython() if isinstance(value, Literal) else value))
    except (ArithmeticError, ValueError, TypeError):
        return None


def _bounds(edge: Edge) -> tuple[Decimal, Decimal] | None:
    """A step's (min, max) years from the end of the previous stage: the wait before it, plus
    typical years twice or the range; None when the years of study are unknown."""
    wait = edge.wait_years or Decimal(0)
    if edge.years is not None:
        return wait + edge.years, wait + edge.years
    if edge.years_min is not None and edge.years_max is not None:
        return wait + edge.years_min, wait + edge.years_max
    return None


class RouteTable:
    """The route edges and the stage hierarchy of one graph."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        edges: dict[str, Edge] = {}
        for row in graph.query("routes"):
            key = str(row["route"])
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = Edge(key, str(row["from"]), str(row["to"]))
            t = str(row["type"])
            if t not in edge.types:
                edge.types.append(t)
            if "mechanism" in row and edge.mechanism is None:
                edge.mechanism = str(row["mechanism"])
            for key_, attr in (
                ("years", "years"),
                ("yearsMin", "years_min"),
                ("yearsMax", "years_max"),
                ("waitYears", "wait_years"),
            ):
                if key_ in row and getattr(edge, attr) is None:
                    setattr(edge, attr, _decimal(row[key_]))
            if "region" in row and str(row["region"]) not in edge.regions:
                edge.regions.append(str(row["region"]))
            for key_, attr in (
                ("validFrom", "valid_from"),
                ("validUntil", "valid_until"),
                ("asOf", "as_of"),
                ("confidence", "confidence"),
            ):
                if key_ in row and getattr(edge, attr) is None:
                    setattr(edge, attr, str(row[key_]))
            _add_text(edge.conditions, row.get("condition"))
            _add_text(edge.timing, row.get("timing"))
            _add_text(edge.exam, row.get("exam"))
            if "source" in row and str(row["source"]) not in edge.sources:
                edge.sources.append(str(row["source"]))
        self.edges = sorted(edges.values(), key=lambda e: e.route)
        self.outgoing: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            self.outgoing[edge.source_place].append(edge)

        self.broader: dict[str, set[str]] = defaultdict(set)
        self.providers: dict[str, set[str]] = defaultdict(set)  # institution type -> stages
        self.stages: set[str] = set()
        for row in graph.query("stages"):
            stage = str(row["stage"])
            self.stages.add(stage)
            if "broader" in row:
                self.broader[stage].add(str(row["broader"]))
            if "institution" in row:
                self.providers[str(row["institution"])].add(stage)
        self.places = (
            {e.source_place for e in self.edges} | {e.target for e in self.edges} | self.stages
        )

        self.sources: dict[str, dict[str, Any]] = {}
        for row in graph.query("sources"):
            iri = str(row["source"])
            entry = self.sources.setdefault(iri, {"iri": iri, "title": None, "url": None})
            if "title" in row and entry["title"] is None:
                entry["title"] = str(row["title"])
            if "url" in row and entry["url"] is None:
                entry["url"] = str(row["url"])

        # region containment (rt:partOf), for keeping a path within one region
        self.region_up: dict[str, set[str]] = {}
        part_of: dict[str, set[str]] = {}
        todo = sorted({r for e in self.edges for r in e.regions})
        while todo:
            region = todo.pop()
            if region in part_of:
                continue
            part_of[region] = {
                str(row["o"])
                for row in graph.query("entity-properties", entity=URIRef(region))
                if str(row["p"]) == RT_NS + "partOf"
            }
            todo.extend(part_of[region])
        for region in part_of:
            seen: set[str] = set()
            stack = [region]
            while stack:
                for up in part_of.get(stack.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        stack.append(up)
            self.region_up[region] = seen

        # narrower closure: stage -> itself and every stage below it
        self.narrower: dict[str, set[str]] = defaultdict(set)
        for stage in self.stages | set(self.broader):
            for up in self._ancestors(stage):
                self.narrower[up].add(stage)

    def _ancestors(self, stage: str) -> set[str]:
        seen, todo = {stage}, [stage]
        while todo:
            for up in self.broader.get(todo.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return seen


def _table(graph: KnowledgeGraph) -> RouteTable:
    return graph.cached("paths.route-table", lambda: RouteTable(graph))


def _programme_level(graph: KnowledgeGraph, iri: str) -> str | None:
    rows = graph.query("programme-info", programme=URIRef(iri))
    for row in rows:
        if "level" in row:
            return str(row["level"])
    return None


def _expand(graph: KnowledgeGraph, table: RouteTable, iri: str) -> set[str]:
    """A place and what it stands for: its narrower stages, a programme's level, the stages an
    institution type provides."""
    out = {iri} | table.narrower.get(iri, set())
    for stage in table.providers.get(iri, ()):
        out |= {stage} | table.narrower.get(stage, set())
    if iri not in table.stages and iri not in table.providers:
        level = _programme_level(graph, iri)
        if level:
            out |= {level} | table.narrower.get(level, set())
    return out


def _region_ok(edge: Edge, allowed: set[str] | None) -> bool:
    """A route applies in the allowed scope when it is national, unregioned, or in the scope."""
    if allowed is None or not edge.regions:
        return True
    return any(r in allowed for r in edge.regions)


def _local_regions(edge: Edge) -> frozenset[str]:
    """The non-national regions a step is limited to (empty: national or unregioned)."""
    return frozenset(r for r in edge.regions if r != _NATIONAL)


def _narrow(
    table: RouteTable, place: frozenset[str] | None, edge: Edge
) -> frozenset[str] | None | bool:
    """Where a chain can still be followed after adding edge: None (anywhere), a set of regions,
    or False when the step holds only in regions that do not meet the chain's (another region)."""
    local = _local_regions(edge)
    if not local:
        return place
    if place is None:
        return local
    out = set()
    for a in place:
        for b in local:
            if a == b or b in table.region_up.get(a, ()):
                out.add(a)  # b contains a: the chain stays in a
            elif a in table.region_up.get(b, ()):
                out.add(b)  # a contains b: the chain narrows to b
    return frozenset(out) if out else False


def _region_scope(graph: KnowledgeGraph, region: str | None) -> set[str] | None:
    """The region and every region it is part of (rt:partOf), plus national."""
    if region is None:
        return None
    scope = {region, _NATIONAL}
    todo = [region]
    while todo:
        current = todo.pop()
        for row in graph.query("entity-properties", entity=URIRef(current)):
            if str(row["p"]) == RT_NS + "partOf" and str(row["o"]) not in scope:
                scope.add(str(row["o"]))
                todo.append(str(row["o"]))
    return scope


def _next_programmes(graph: KnowledgeGraph, programme: str) -> dict[str, str]:
    """The same-field programmes one level up (derived class progressions): IRI → level stage."""

    def build() -> dict[str, str]:
        out: dict[str, str] = {}
        for row in graph.query("next-level-programmes", programme=URIRef(programme)):
            if "level" in row:
                out.setdefault(str(row["next"]), str(row["level"]))
        return out

    return graph.cached(f"paths.next-programmes:{programme}", build)


def _annotate_programmes(
    graph: KnowledgeGraph,
    table: RouteTable,
    programme: str,
    steps: list[dict[str, Any]],
    lang: str,
    memo: dict[tuple[frozenset[str], str], tuple[frozenset[str], dict[str, Any] | None]],
) -> None:
    """Follow the programme's field up the path: each step that arrives at the level of a
    same-field programme gets those programmes; the chain stops where no field continues.
    Paths share their steps, so each (field, destination) is worked out once per call (memo)."""
    current = frozenset({programme})
    for step in steps:
        key = (current, step["to"]["iri"])
        if key not in memo:
            memo[key] = _field_at(graph, table, current, step["to"]["iri"], lang)
        current, payload = memo[key]
        if payload is None:
            return
        step["programmes"] = dict(payload)


def _field_at(
    graph: KnowledgeGraph, table: RouteTable, current: frozenset[str], target: str, lang: str
) -> tuple[frozenset[str], dict[str, Any] | None]:
    """The same-field programmes at target's level, one or more levels above current."""
    reach = {target} | table.narrower.get(target, set())
    following: set[str] = set()
    frontier = current
    for _ in range(3):  # one step may skip a level (中职 → 职业本科 by 职教高考)
        up: dict[str, str] = {}
        for iri in frontier:
            up.update(_next_programmes(graph, iri))
        following = {n for n, level in up.items() if level in reach}
        if following or not up:
            break
        frontier = set(up)
    if not following:
        return frozenset(), None
    ordered = sorted(following, key=lambda iri: (graph.label(iri, lang), iri))
    return frozenset(following), {
        "basis": "derived",
        "total": len(ordered),
        "items": [_ref(graph, iri, lang) for iri in ordered[:PROGRAMMES_SHOWN]],
    }


def _texts(bucket: dict[str, list[str]], lang: str) -> list[str]:
    for candidate in (lang, "en" if lang == "zh" else "zh", ""):
        if bucket.get(candidate):
            return list(bucket[candidate])
    return []


def _ref(graph: KnowledgeGraph, iri: str | None, lang: str) -> dict[str, str] | None:
    if iri is None:
        return None
    return {"iri": iri, "label": graph.label(iri, lang)}


def _source(graph: KnowledgeGraph, table: RouteTable, iri: str, lang: str) -> dict[str, Any]:
    entry = dict(table.sources.get(iri, {"iri": iri, "title": None, "url": None}))
    if not entry.get("title"):
        entry["title"] = graph.label(iri, lang)
    return entry


def _step(graph: KnowledgeGraph, table: RouteTable, edge: Edge, lang: str) -> dict[str, Any]:
    kind = next(
        (_ROUTE_KIND[t] for t in edge.types if t in _ROUTE_KIND and t != RT_NS + "Route"), "route"
    )
    return {
        "from": _ref(graph, edge.source_place, lang),
        "to": _ref(graph, edge.target, lang),
        "via": _ref(graph, edge.route, lang),
        "kind": kind,
        "mechanism": _ref(graph, edge.mechanism, lang),
        "years": _number(edge.years),
        **({"wait_years": _number(edge.wait_years)} if edge.wait_years else {}),
        **(
            {"years_range": [_number(edge.years_min), _number(edge.years_max)]}
            if edge.years is None and _bounds(edge) is not None
            else {}
        ),
        "conditions": _texts(edge.conditions, lang),
        "exam": _texts(edge.exam, lang),
        "timing": _texts(edge.timing, lang),
        "region": _ref(graph, edge.regions[0] if edge.regions else None, lang),
        "regions": [_ref(graph, r, lang) for r in edge.regions],
        "valid_from": edge.valid_from,
        "valid_until": edge.valid_until,
        "as_of": edge.as_of,
        "confidence": edge.confidence,
        "source": [_source(graph, table, s, lang) for s in edge.sources],
    }


def find_paths(
    graph: KnowledgeGraph,
    from_iri: str,
    to_iri: str,
    max_steps: int = 4,
    lang: str = "zh",
    region: str | None = None,
    max_paths: int = MAX_PATHS,
) -> list[dict[str, Any]]:
    """Every simple chain of at most max_steps routes from a place to another, sorted by total
    years then number of steps (paths with a step of unknown length last, their ``total_years``
    None). A chain never mixes steps of two different regions. ``region`` keeps only national
    routes and those of that region or a region it is part of (rt:partOf)."""
    table = _table(graph)
    starts = sorted(_expand(graph, table, str(from_iri)))
    goals = _expand(graph, table, str(to_iri))
    allowed = _region_scope(graph, region)
    found: list[list[Edge]] = []

    def walk(
        place: str, chain: list[Edge], visited: set[str], where: frozenset[str] | None
    ) -> None:
        if len(found) >= max_paths:
            return
        for edge in table.outgoing.get(place, ()):
            if edge.target in visited or not _region_ok(edge, allowed):
                continue
            narrowed = _narrow(table, where, edge)
            if narrowed is False:
                continue  # a step of another region: no one learner follows both
            if edge.target in goals:
                found.append([*chain, edge])
            elif len(chain) + 1 < max_steps:
                walk(edge.target, [*chain, edge], visited | {edge.target}, narrowed)

    for start in starts:
        if start in goals:
            continue
        walk(start, [], {start} | set(starts), None)

    programme = (
        str(from_iri)
        if str(from_iri) not in table.stages
        and str(from_iri) not in table.providers
        and _programme_level(graph, str(from_iri))
        else None
    )
    memo: dict[tuple[frozenset[str], str], tuple[frozenset[str], dict[str, Any] | None]] = {}
    paths = []
    seen: set[tuple[str, ...]] = set()
    for chain in found:
        key = tuple(e.route for e in chain)
        if key in seen:
            continue
        seen.add(key)
        bounds = [b for b in (_bounds(e) for e in chain) if b is not None]
        unknown = len(chain) - len(bounds)
        low = sum((b[0] for b in bounds), Decimal(0))
        high = sum((b[1] for b in bounds), Decimal(0))
        path: dict[str, Any] = {
            "steps": [_step(graph, table, e, lang) for e in chain],
            # a total only when every step's length is known: a partial sum is not a total
            "total_years": _number(low) if not unknown and low == high else None,
        }
        if not unknown and low != high:
            path["total_years_range"] = [_number(low), _number(high)]
        if programme:
            _annotate_programmes(graph, table, programme, path["steps"], lang, memo)
        if unknown:
            path["years_unknown_steps"] = unknown
            path["known_years"] = _number(low)
        paths.append(path)
    # complete paths first (a path with a step of unknown length cannot be compared on years)
    paths.sort(
        key=lambda p: (
            p.get("years_unknown_steps", 0) > 0,
            p["total_years"]
            if p["total_years"] is not None
            else p["total_years_range"][0]
            if "total_years_range" in p
            else p["known_years"],
            "total_years_range" in p,  # at the same shortest length, a sure total first
            len(p["steps"]),
            [s["via"]["iri"] for s in p["steps"]],
        )
    )
    return paths


def resolve_place(graph: KnowledgeGraph, text: str, role: str = "place") -> str:
    """The IRI of the stage, programme or institution type that text names (label, alias, code,
    IRI or local name). Raises UnknownPlace with close labels when nothing matches."""
    table = _table(graph)
    candidates = graph.resolve(text)
    programme_type = RT_NS + "Programme"
    labels = graph.labels()
    for iri in candidates:
        if iri in table.places or iri in table.providers or programme_type in labels.types(iri):
            return iri
    allowed = [
        iri
        for iri, entry in labels.entities.items()
        if iri in table.places or programme_type in entry.types
    ]
    raise UnknownPlace(text, graph.suggest(text, n=5, allowed=allowed), role=role)


def pathways(
    graph: KnowledgeGraph,
    from_text: str,
    to_text: str,
    max_steps: int = 4,
    lang: str = "zh",
    region: str | None = None,
) -> dict[str, Any]:
    """The ``GET /api/pathways`` body: both ends resolved from text, and every path."""
    source = resolve_place(graph, from_text, "from")
    target = resolve_place(graph, to_text, "to")
    return {
        "from": {
            "iri": source,
            "label": graph.label(source, lang),
            "types": graph.labels().types(source),
        },
        "to": {
            "iri": target,
            "label": graph.label(target, lang),
            "types": graph.labels().types(target),
        },
        "paths": find_paths(graph, source, target, max_steps=max_steps, lang=lang, region=region),
    }
