"""``rongtong validate``: is the ontology directory fit to ship?

Three passes, each reported in plain words with the file (and line) to fix:

1. parse every data and shapes file (a syntax error names file, line and column);
2. SHACL (``ontology/shapes/*.ttl``) with pyshacl on the data graph, no inference — each result
   becomes "<file>:<line>: rtd:x (its label) <the shape's sh:message>";
3. violation queries (``ontology/checks/*.rq``): each row is a failure.

Severity is policy: sh:Violation and checks marked ``error`` fail validation (exit 1);
sh:Warning/sh:Info and ``warning`` checks are printed only.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

from kg.checks import format_message, load_checks, short
from kg.errors import OntologyParseError
from kg.load import (
    data_files,
    display_path,
    parse_oxigraph,
    parse_rdflib,
    resolve_ontology_dir,
    shape_files,
)
from kg.terms import RTD_NS, to_rdflib

__all__ = ["Problem", "Report", "validate", "describe_constraint"]

_SHAPES_NS = "https://w3id.org/rongtong/shapes#"
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "warning"}


@dataclass
class Problem:
    """One thing to fix (error) or look at (warning)."""

    severity: str  # "error" | "warning"
    kind: str  # "parse" | "shacl" | "check"
    text: str  # the plain-words message without the location
    file: str | None = None
    line: int | None = None
    focus: str | None = None
    rule: str | None = None  # the shape or check that found it

    @property
    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "(no file)"

    def __str__(self) -> str:
        return f"{self.location}: {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "focus": self.focus,
            "rule": self.rule,
            "message": str(self),
        }


@dataclass
class Report:
    root: Path
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    triples: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "ontology": str(self.root),
            "files": self.files,
            "triples": self.triples,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.problems],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "skipped": self.skipped,
        }


# ----------------------------------------------------------------------------- where things are


class Locator:
    """Which file (and line) defines a resource; and its label for messages."""

    def __init__(self, root: Path, graph: rdflib.Graph) -> None:
        self.root = root
        self.graph = graph
        self.typed_in: dict[str, str] = {}  # subject -> first file that gives it an rdf:type
        self.subject_in: dict[str, str] = {}  # subject -> first file where it is a subject
        self._lines: dict[str, dict[str, int]] = {}

    def add(self, path_name: str, subject: str, is_type: bool) -> None:
        self.subject_in.setdefault(subject, path_name)
        if is_type:
            self.typed_in.setdefault(subject, path_name)

    def file_of(self, node: Node | str | None) -> str | None:
        if node is None:
            return None
        key = str(node)
        return self.typed_in.get(key) or self.subject_in.get(key)

    def line_of(self, node: Node | str | None, file: str | None) -> int | None:
        if node is None or file is None:
            return None
        if file not in self._lines:
            self._lines[file] = _subject_lines(self.root / file)
        return self._lines[file].get(str(node))

    def label(self, node: Node | str | None) -> str | None:
        if not isinstance(node, URIRef):
            return None
        labels = {
            o.language: str(o)
            for o in self.graph.objects(node, SKOS.prefLabel)
            if isinstance(o, Literal)
        }
        return labels.get("zh") or labels.get("en") or next(iter(labels.values()), None)

    def name(self, node: Node | str | None) -> str:
        """``rtd:x (its label)``."""
        if node is None:
            return "(unknown)"
        label = self.label(node)
        return f"{short(node)} ({label})" if label else short(node)


_SUBJECT_LINE = re.compile(r"^(?:rtd:([^\s;,.]+(?:\.[^\s;,.]+)*)|<(https?://[^>]+)>)\s")


def _subject_lines(path: Path) -> dict[str, int]:
    """Lines where a resource's description starts (its IRI at the start of a line)."""
    out: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return out
    for number, line in enumerate(text.splitlines(), 1):
        m = _SUBJECT_LINE.match(line)
        if m:
            iri = RTD_NS + m.group(1) if m.group(1) else m.group(2)
            out.setdefault(iri, number)
    return out


# ----------------------------------------------------------------------------- passes


def _parse_data(
    root: Path, files: list[Path], report: Report
) -> tuple[ox.Store, rdflib.Graph, Locator] | None:
    store = ox.Store()
    graph = rdflib.Graph()
    locator = Locator(root, graph)
    rdf_type = ox.NamedNode(str(RDF.type))
    failed = False
    for path in files:
        name = display_path(path, root)
        try:
            triples = list(parse_oxigraph(path, root))
        except OntologyParseError as exc:
            failed = True
            report.problems.append(
                Problem("error", "parse", exc.detail, exc.file, exc.line, rule="syntax")
            )
            continue
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        add = graph.add
        for t in triples:
            s = to_rdflib(t.subject)
            add((s, to_rdflib(t.predicate), to_rdflib(t.object)))
            locator.add(name, str(s), t.predicate == rdf_type)
    if failed:
        return None
    return store, graph, locator


def _parse_shapes(root: Path, report: Report) -> rdflib.Graph | None:
    shapes = rdflib.Graph()
    ok = True
    for path in shape_files(root):
        try:
            parse_rdflib(shapes, path, root)
        except OntologyParseError as exc:
            ok = False
            report.problems.append(
                Problem("error", "parse", exc.detail, exc.file, exc.line, rule="syntax")
            )
    return shapes if ok else None


def describe_constraint(
    component: Node | None,
    path: Node | None,
    value: Node | None,
    shapes: rdflib.Graph,
    shape: Node | None,
) -> str:
    """Plain words for a SHACL result whose shape has no sh:message."""
    prop = short(path) if path is not None else "it"
    shown = _show_value(value)
    name = short(component).rsplit("#", 1)[-1] if component is not None else ""
    name = name.replace("ConstraintComponent", "")
    if name == "MinCount":
        return f"has no {prop}; add one"
    if name == "MaxCount":
        return f"has too many values of {prop}"
    if name == "Datatype" and shape is not None:
        datatype = shapes.value(shape, SH.datatype)
        return f"has {prop} {shown}, which is not of type {short(datatype) if datatype else '?'}"
    if name == "Class" and shape is not None:
        cls = shapes.value(shape, SH["class"])
        return f"has {prop} {shown}, which is not a {short(cls) if cls else '?'}"
    if name == "In":
        return f"has {prop} {shown}, which is not one of the allowed values"
    if name == "Pattern":
        return f"has {prop} {shown} in the wrong form"
    return f"breaks the rule {name or 'of its shape'} on {prop} (value {shown})"


def _show_value(value: Node | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Literal):
        return f'"{value}"' + (f"@{value.language}" if value.language else "")
    return short(value)


def _message(shapes: rdflib.Graph, shape: Node | None) -> str | None:
    """The shape's sh:message, English preferred."""
    if shape is None:
        return None
    messages = list(shapes.objects(shape, SH.message))
    for message in messages:
        if isinstance(message, Literal) and message.language in (None, "en"):
            return str(message)
    return str(messages[0]) if messages else None


_LANG_NAMES = {"zh": "Chinese", "en": "English"}


def _fill_missing_languages(text: str, graph: rdflib.Graph, focus: Node | None) -> str:
    """Fill {missing} and {missing_tag}: which of the zh/en preferred labels the focus lacks."""
    have = {o.language for o in graph.objects(focus, SKOS.prefLabel) if isinstance(o, Literal)}
    missing = [lang for lang in ("zh", "en") if lang not in have] or ["zh", "en"]
    return text.replace("{missing}", " and ".join(_LANG_NAMES[m] for m in missing)).replace(
        "{missing_tag}", "/@".join(missing)
    )


def _node_shape(shapes: rdflib.Graph, shape: Node | None) -> str | None:
    """The named node shape a result comes from (a property shape's parent), as rts:Name."""
    seen = set()
    while shape is not None and not isinstance(shape, URIRef) and shape not in seen:
        seen.add(shape)
        shape = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
    if isinstance(shape, URIRef):
        text = str(shape)
        return "rts:" + text.split("#", 1)[1] if text.startswith(_SHAPES_NS) else text
    return None


def _shacl_results(graph: rdflib.Graph, shapes: rdflib.Graph, locator: Locator) -> list[Problem]:
    """Run pyshacl (no inference, data graph used in place) and turn its results into Problems."""
    from pyshacl import validate as shacl_validate  # slow import: only when validating

    _, results, _ = shacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,  # for SPARQL-based targets (sh:SPARQLTarget)
        inplace=True,
        debug=False,
    )
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "error")
        template = _message(shapes, shape)
        if template is None:
            text = describe_constraint(component, path, value, shapes, shape)
        else:
            text = template.replace("{value}", _show_value(value))
            if "{missing" in text:
                text = _fill_missing_languages(text, locator.graph, focus)
        file = locator.file_of(focus)
        rule = _node_shape(shapes, shape)
        key = (str(focus), text, severity)
        if key in seen:
            continue
        seen.add(key)
        problems.append(
            Problem(
                severity,
                "shacl",
                f"{locator.name(focus)} {text}",
                file,
                locator.line_of(focus, file),
                str(focus),
                rule or (short(component) if component is not None else None),
            )
        )
    return problems


# Shared with forked workers (copy-on-write): the data graph and where things are.
_WORK: dict[str, Any] = {}


def _shacl_file(path: str) -> list[Problem]:
    shapes = rdflib.Graph()
    shapes.parse(path, format="turtle")
    return _shacl_results(_WORK["graph"], shapes, _WORK["locator"])


def _shacl(
    graph: rdflib.Graph, shapes: rdflib.Graph, locator: Locator, report: Report, workers: int
) -> None:
    """SHACL, one shapes file per task, in ``workers`` forked processes when there are several.

    Each shapes file is self-contained (shapes never refer across files), so validating file by
    file gives the same results as validating all at once.
    """
    paths = [str(p) for p in shape_files(report.root)]
    if workers <= 1 or len(paths) <= 1 or not hasattr(os, "fork"):
        report.problems.extend(_shacl_results(graph, shapes, locator))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _WORK.update(graph=graph, locator=locator)
    try:
        # biggest first, so that the slow files start early and the pool stays balanced
        paths.sort(key=lambda p: -Path(p).stat().st_size)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for problems in pool.map(_shacl_file, paths):
                report.problems.extend(problems)
    finally:
        _WORK.clear()


def _checks(root: Path, store: ox.Store, locator: Locator, report: Report) -> None:
    from kg.stores import OxigraphBackend

    backend = OxigraphBackend(store)
    reported = {(p.focus, p.rule) for p in report.problems if p.kind == "shacl"}
    for check in load_checks(root):
        try:
            rows = backend.select(check.text)
        except Exception as exc:  # noqa: BLE001 - a broken check is itself an error to report
            report.problems.append(
                Problem(
                    "error",
                    "check",
                    f"the check itself fails: {exc}",
                    display_path(check.path, root),
                    rule=check.name,
                )
            )
            continue
        for row in rows:
            focus = row.get("resource") or next(
                (v for v in row.values() if isinstance(v, URIRef)), None
            )
            if check.twin and (str(focus), check.twin) in reported:
                continue
            extra = {"label": locator.label(focus) or "no label", "name": locator.name(focus)}
            text = format_message(check.message, row, extra)
            file = locator.file_of(focus)
            report.problems.append(
                Problem(
                    check.severity,
                    "check",
                    text,
                    file,
                    locator.line_of(focus, file),
                    str(focus) if focus else None,
                    check.name,
                )
            )


def validate(
    ontology_dir: str | Path | None = None,
    *,
    shacl: bool = True,
    checks: bool = True,
    workers: int | None = None,
) -> Report:
    """Validate an ontology directory; ``report.ok`` is True when there are no errors.

    ``workers``: processes for SHACL (default: the number of CPUs, at most 4).
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    root = resolve_ontology_dir(ontology_dir)
    files = data_files(root)
    report = Report(root, [display_path(p, root) for p in files])
    started = time.perf_counter()
    parsed = _parse_data(root, files, report)
    shapes = _parse_shapes(root, report) if shacl else None
    report.timings["parse"] = time.perf_counter() - started
    if parsed is None:
        report.skipped.append("SHACL and checks: fix the parse errors first")
        return _sorted(report)
    store, graph, locator = parsed
    report.triples = len(graph)
    if shacl and shapes is not None:
        started = time.perf_counter()
        _shacl(graph, shapes, locator, report, workers)
        report.timings["shacl"] = time.perf_counter() - started
    elif shacl:
        report.skipped.append("SHACL: fix the shapes files first")
    if checks:
        started = time.perf_counter()
        _checks(root, store, locator, report)
        report.timings["checks"] = time.perf_counter() - started
    return _sorted(report)


def _sorted(report: Report) -> Report:
    order = {"error": 0, "warning": 1}
    report.problems.sort(
        key=lambda p: (order.get(p.severity, 2), p.file or "~", p.line or 0, p.text)
    )
    counts: dict[str, int] = defaultdict(int)
    for p in report.problems:
        counts[p.severity] += 1
    return report
