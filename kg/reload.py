"""Live reload: watch the ontology directory, validate a change, build the new graph aside, swap.

The service holds one immutable :class:`Snapshot` (graph + what is built on it, e.g. the advisor +
version). A request takes the snapshot once, at its start, and uses it to the end, so in-flight
requests finish on the graph they started with. A reload:

1. notices a change: a daemon thread polls the files' names, sizes and mtimes every ``interval``
   seconds (no extra dependency; waits until the files are stable for a moment, so a half-saved
   file is not taken), or :meth:`Reloader.request` is called (``POST /admin/reload``, SIGHUP);
2. validates the new files — parse errors (file, line, column), SHACL and the violation queries
   (``checks/*.rq``); errors only, warnings never block. To stay fast on a 90k-triple graph, SHACL
   runs on the resources the edit touched (and the resources that point at any whose type changed
   or that was removed) unless a shapes file changed, when it runs on everything; the checks run
   on the whole new graph. An error that the last good files already had does not block (it is
   not the edit's fault); ``rongtong validate`` remains the full gate. What the edit touched is
   found by comparing each changed file's old and new triples (as N-Triples lines), so only the
   changed files are parsed twice;
3. builds the new graph — serving the store validation just loaded, not loading the files again —
   and, through ``build_extra``, what the service needs on it (the advisor and its search index),
   off to the side, while the old snapshot keeps serving. ``build_extra`` is told which resources'
   triples changed (:class:`Changes`), so the advisor redoes only their part;
4. swaps: one assignment of the new snapshot. If validation or building fails, the old snapshot
   stays, the failure is logged, and :meth:`Reloader.health` says ``"degraded"`` with the error
   (``file:line: message``) until a good edit recovers.

kg knows nothing of the advisor or Flask: ``build_extra(graph, previous_snapshot, changes=...)``
is supplied by the service (see ``web/reload.py``).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import inspect
import logging
import os
import re
import signal
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from kg.load import data_files, fingerprint, resolve_ontology_dir, shape_files

__all__ = [
    "Snapshot",
    "Reloader",
    "ChangeCheck",
    "Changes",
    "Baseline",
    "graph_from_store",
    "check_change",
    "install_sighup",
    "live_reloaders",
]

log = logging.getLogger("rongtong.reload")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
RTD = "https://w3id.org/rongtong/id/"
SH = "http://www.w3.org/ns/shacl#"
MAX_ERRORS = 20


# ----------------------------------------------------------------------------- snapshot


@dataclass(frozen=True)
class Snapshot:
    """What one version of the service answers from. Never changed after it is made."""

    graph: Any
    extra: Any = None
    version: dict[str, Any] = field(default_factory=dict)
    fingerprint: tuple = ()
    serial: int = 0
    loaded_at: str = ""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ----------------------------------------------------------------------------- validating a change


class Tree(NamedTuple):
    """The ontology's files by relative name -> bytes."""

    data: dict[str, bytes]
    shapes: dict[str, bytes]
    checks: dict[str, bytes]
    queries: dict[str, bytes]


def _read_tree(root: Path) -> Tree:
    """(data files, shapes files, check files, named queries) by relative name -> bytes."""
    data = {p.relative_to(root).as_posix(): p.read_bytes() for p in data_files(root)}
    shapes = {p.relative_to(root).as_posix(): p.read_bytes() for p in shape_files(root)}
    checks = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "checks").glob("*.rq"))
    }
    queries = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "queries").glob("*.rq"))
    }
    return Tree(data, shapes, checks, queries)


@dataclass
class Baseline:
    """The files of the last good graph (bytes only) and what was learnt about them."""

    data: dict[str, bytes]
    shapes: dict[str, bytes]
    checks: dict[str, bytes]
    check_rows: dict[str, set[tuple]] = field(
        default_factory=dict
    )  # check text hash -> error row keys
    queries: dict[str, bytes] = field(default_factory=dict)
    # data file -> its triples as N-Triples lines (kept for the files an edit touched)
    lines: dict[str, frozenset[bytes]] = field(default_factory=dict)
    # the Oxigraph store holding exactly these data files, when one was kept (never written to)
    loaded: ox.Store | None = None

    @classmethod
    def capture(cls, root: Path) -> Baseline:
        tree = _read_tree(root)
        return cls(tree.data, tree.shapes, tree.checks, queries=tree.queries)

    def store(self) -> ox.Store:
        if self.loaded is not None:
            return self.loaded
        store = ox.Store()
        for body in self.data.values():
            with contextlib.suppress(SyntaxError):  # a baseline is known to parse; be safe anyway
                store.load(body, format=ox.RdfFormat.TURTLE)
        self.loaded = store
        return store

    def nt_lines(self, name: str) -> frozenset[bytes]:
        found = self.lines.get(name)
        if found is None:
            try:
                found = _nt_lines(self.data[name])
            except SyntaxError:
                found = frozenset()
            self.lines[name] = found
        return found


@dataclass(frozen=True)
class Changes:
    """What differs between the last good files and the ones validated.

    ``subjects``: the resources (IRIs) whose triples differ — what a cache built on the old graph
    must read again; None when that is not known (no baseline, or a named query changed, which
    may change what the caches read), so they rebuild from scratch."""

    files: tuple[str, ...] = ()
    subjects: frozenset[str] | None = None


@dataclass
class ChangeCheck:
    """The outcome of validating the files now on disk against the last good ones."""

    ok: bool
    errors: list[str] = field(default_factory=list)  # "file:line: message", new errors only
    changed_files: list[str] = field(default_factory=list)
    focus: int | None = None  # resources SHACL looked at (None = all)
    seconds: dict[str, float] = field(default_factory=dict)
    baseline: Baseline | None = (
        None  # the files just validated: the next baseline if they are served
    )
    store: ox.Store | None = None  # the validated data, loaded (the new graph can serve it)
    changes: Changes | None = None


def _nt_lines(body: bytes) -> frozenset[bytes]:
    """The triples of one Turtle file as N-Triples lines: Oxigraph writes every term in one
    canonical form, so two versions of a file compare line by line (blank nodes aside, whose
    labels are new in every parse)."""
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return frozenset(line for line in dumped.splitlines() if line)


def _parse_lines(lines: set[bytes] | frozenset[bytes]) -> list[ox.Triple]:
    if not lines:
        return []
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(b"\n".join(sorted(lines)), format=ox.RdfFormat.N_TRIPLES)
    ]


_PARSER_PREFIX = re.compile(
    r"^Parser error (?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?:\s*"
)


def _parse_error(name: str, exc: SyntaxError) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    where = name + (f":{line}" if line else "") + (f":{col}" if line and col else "")
    text = str(exc.msg if getattr(exc, "msg", None) else exc).strip()
    return f"{where}: {_PARSER_PREFIX.sub('', text)}"


class _Lines:
    """Where resources are described (file and line) in a set of files held as bytes."""

    _SUBJECT = re.compile(r"^(?:rtd:([^\s;,]+?)|<([^>]+)>)\s")

    def __init__(self, files: dict[str, bytes], triples: dict[str, set[ox.Triple]] | None = None):
        self.files = files
        self._lines: dict[str, dict[str, int]] = {}
        self._file_of: dict[str, str] | None = None
        self._triples = triples

    def file_of(self, iri: str, store: ox.Store | None = None) -> str | None:
        if self._file_of is None:
            self._file_of = {}
            for name in sorted(self.files):
                for iri_, _ in self._subjects(name).items():
                    self._file_of.setdefault(iri_, name)
        return self._file_of.get(iri)

    def _subjects(self, name: str) -> dict[str, int]:
        if name not in self._lines:
            out: dict[str, int] = {}
            text = self.files[name].decode("utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                m = self._SUBJECT.match(line)
                if m:
                    iri = RTD + m.group(1).rstrip(".") if m.group(1) else m.group(2)
                    out.setdefault(iri, number)
            self._lines[name] = out
        return self._lines[name]

    def where(self, iri: str | None) -> str:
        if not iri:
            return "(no file)"
        name = self.file_of(iri)
        if name is None:
            return "(no file)"
        line = self._subjects(name).get(iri)
        return f"{name}:{line}" if line else name


def _short(iri: str) -> str:
    return "rtd:" + iri[len(RTD) :] if iri.startswith(RTD) else iri


def _label(store: ox.Store, iri: str) -> str | None:
    labels = {}
    for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(PREF), None):
        if isinstance(q.object, ox.Literal):
            labels[q.object.language or ""] = q.object.value
    return labels.get("zh") or labels.get("en") or next(iter(labels.values()), None)


def _name(store: ox.Store, iri: str | None) -> str:
    if not iri:
        return "(unknown)"
    label = _label(store, iri)
    return f"{_short(iri)} ({label})" if label else _short(iri)


def _changed_subjects(delta: list[ox.Triple]) -> tuple[set[str], set[str]]:
    """(resources with a triple added or removed, those of them whose rdf:type changed)."""
    changed: set[str] = set()
    retyped: set[str] = set()
    for t in delta:
        if isinstance(t.subject, ox.NamedNode):
            changed.add(t.subject.value)
            if t.predicate.value == RDF_TYPE:
                retyped.add(t.subject.value)
    return changed, retyped


def _focus(delta: list[ox.Triple], store: ox.Store) -> set[str]:
    """Resources whose description changed, plus the resources pointing at any whose type changed
    or that disappeared (their sh:class constraints may now fail)."""
    changed, retyped = _changed_subjects(delta)
    for iri in changed:
        node = ox.NamedNode(iri)
        if next(iter(store.quads_for_pattern(node, None, None)), None) is None:
            retyped.add(iri)  # removed entirely
    focus = {
        iri
        for iri in changed
        if next(iter(store.quads_for_pattern(ox.NamedNode(iri), None, None)), None)
    }
    for iri in retyped:
        for q in store.quads_for_pattern(None, None, ox.NamedNode(iri)):
            if isinstance(q.subject, ox.NamedNode):
                focus.add(q.subject.value)
    return focus


def _subgraph(store: ox.Store, focus: set[str] | None):
    """An rdflib graph holding what SHACL needs to judge the focus resources."""
    import rdflib

    from kg.terms import to_rdflib

    graph = rdflib.Graph()
    add = graph.add
    if focus is None:
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return graph
    todo = [ox.NamedNode(iri) for iri in focus]
    seen: set = set()
    depth = {node: 0 for node in todo}
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
            obj = q.object
            # the focus resources' neighbours (their types, for sh:class), and blank nodes fully
            wanted = isinstance(obj, ox.BlankNode) or (
                isinstance(obj, ox.NamedNode) and depth[node] == 0
            )
            if wanted and obj not in depth:
                depth[obj] = depth[node] + (0 if isinstance(obj, ox.BlankNode) else 1)
                todo.append(obj)
    for q in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS), None, ox.DefaultGraph()):
        add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def _shapes_graph(shapes: dict[str, bytes]):
    import rdflib

    from kg.terms import to_rdflib

    graph = rdflib.Graph()
    for body in shapes.values():
        for q in ox.parse(body, format=ox.RdfFormat.TURTLE):
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def _show(value: Any) -> str:
    from rdflib import Literal

    if value is None:
        return "(none)"
    if isinstance(value, Literal):
        return f'"{value}"' + (f"@{value.language}" if value.language else "")
    return _short(str(value))


def _shacl_errors(data, shapes, focus: set[str] | None) -> dict[tuple, tuple[str, str]]:
    """SHACL violations as {key: (focus IRI, plain words)}."""
    from pyshacl import validate as shacl_validate
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, SKOS
    from rdflib.namespace import SH as SHNS

    from kg.validate import describe_constraint

    if focus is not None and not focus:
        return {}
    _, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
        inplace=True,
        focus_nodes=None if focus is None else [URIRef(i) for i in sorted(focus)],
    )
    out: dict[tuple, tuple[str, str]] = {}
    for result in results.subjects(RDF.type, SHNS.ValidationResult):
        if results.value(result, SHNS.resultSeverity) != SHNS.Violation:
            continue  # errors only: warnings never block a reload
        node = results.value(result, SHNS.focusNode)
        path = results.value(result, SHNS.resultPath)
        value = results.value(result, SHNS.value)
        shape = results.value(result, SHNS.sourceShape)
        component = results.value(result, SHNS.sourceConstraintComponent)
        messages = (
            [m for m in shapes.objects(shape, SHNS.message) if isinstance(m, Literal)]
            if shape is not None
            else []
        )
        message = next(
            (str(m) for m in messages if m.language in (None, "en")),
            str(messages[0]) if messages else None,
        )
        if message is None:
            text = describe_constraint(component, path, value, shapes, shape)
        else:
            text = message.replace("{value}", _show(value))
            if "{missing" in text:
                have = {
                    o.language for o in data.objects(node, SKOS.prefLabel) if isinstance(o, Literal)
                }
                missing = [lang for lang in ("zh", "en") if lang not in have] or ["zh", "en"]
                names = {"zh": "Chinese", "en": "English"}
                text = text.replace("{missing}", " and ".join(names[m] for m in missing))
                text = text.replace("{missing_tag}", "/@".join(missing))
        key = (str(node), str(path), str(component), str(value), message or "")
        out[key] = (str(node), text)
    return out


def _check_rows(store: ox.Store, checks: list, only_errors: bool = True) -> dict[str, list[dict]]:
    from kg.terms import to_rdflib

    out: dict[str, list[dict]] = {}
    for check in checks:
        if only_errors and check.severity != "error":
            continue
        try:
            solutions = store.query(check.text)
        except (SyntaxError, OSError, RuntimeError) as exc:
            out[check.name] = [{"__error__": f"the check itself fails: {exc}"}]
            continue
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for i, name in enumerate(names):
                term = solution[i]
                if term is not None:
                    row[name] = to_rdflib(term)
            rows.append(row)
        out[check.name] = rows
    return out


def _row_key(check: Any, row: dict) -> tuple:
    return (
        check.name,
        hashlib.sha1(check.text.encode()).hexdigest()[:8],
        tuple(sorted((k, str(v)) for k, v in row.items())),
    )


def check_change(
    root: str | Path, baseline: Baseline | None, tree: Tree | None = None
) -> ChangeCheck:
    """Validate the ontology files now under ``root`` (or ``tree``, their bytes as read); with a
    baseline, only new errors count. On success the result holds the loaded store and what
    changed (the triples' subjects), for building the new graph and its caches from them."""
    from rdflib import URIRef

    from kg.checks import Check, format_message, load_checks

    root = resolve_ontology_dir(root)
    t0 = time.perf_counter()
    data, shapes, checks_files, queries = tree if tree is not None else _read_tree(root)
    seconds: dict[str, float] = {}
    changed = sorted(
        name
        for name in set(data) | set(baseline.data if baseline else {})
        if baseline is None or data.get(name) != baseline.data.get(name)
    )
    shapes_changed = baseline is None or shapes != baseline.shapes
    result = ChangeCheck(ok=False, changed_files=list(changed))
    if baseline is not None:
        result.changed_files += sorted(
            n for n in set(shapes) | set(baseline.shapes) if shapes.get(n) != baseline.shapes.get(n)
        )
        result.changed_files += sorted(
            n
            for n in set(checks_files) | set(baseline.checks)
            if checks_files.get(n) != baseline.checks.get(n)
        )

    # 1. parse: every data file into one store (the new graph's, if all goes well)
    store = ox.Store()
    errors: list[str] = []
    for name in sorted(data):
        try:
            store.load(data[name], format=ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            errors.append(_parse_error(name, exc))
    for name in sorted(shapes):
        try:
            for _ in ox.parse(shapes[name], format=ox.RdfFormat.TURTLE):
                pass
        except SyntaxError as exc:
            errors.append(_parse_error(name, exc))
    seconds["parse"] = time.perf_counter() - t0
    if errors:
        result.errors, result.seconds = errors, seconds
        return result

    # what changed, triple by triple: the changed files' old and new versions compared
    t1 = time.perf_counter()
    nt_new: dict[str, frozenset[bytes]] = {}
    delta: list[ox.Triple] = []
    if baseline is not None:
        for name in changed:
            after = _nt_lines(data[name]) if name in data else frozenset()
            if name in data:
                nt_new[name] = after
            before = baseline.nt_lines(name) if name in baseline.data else frozenset()
            delta += _parse_lines(before - after) + _parse_lines(after - before)
        subjects: frozenset[str] | None = frozenset(_changed_subjects(delta)[0])
        if queries != baseline.queries:
            subjects = None  # what the caches read may be different
        result.changes = Changes(tuple(changed), subjects)
    else:
        result.changes = Changes(tuple(changed), None)
    seconds["diff"] = time.perf_counter() - t1

    # 2. SHACL on the resources the edit touched
    t1 = time.perf_counter()
    focus: set[str] | None = None
    if baseline is not None and not shapes_changed:
        focus = _focus(delta, store)
    result.focus = None if focus is None else len(focus)
    shapes_graph = _shapes_graph(shapes)
    shacl_new = _shacl_errors(_subgraph(store, focus), shapes_graph, focus)
    old_store: ox.Store | None = None
    if shacl_new and baseline is not None:
        old_store = baseline.store()
        old_focus = None if focus is None else {k[0] for k in shacl_new}
        old_shapes = _shapes_graph(baseline.shapes) if not shapes_changed else shapes_graph
        shacl_old = _shacl_errors(_subgraph(old_store, old_focus), old_shapes, old_focus)
        shacl_new = {k: v for k, v in shacl_new.items() if k not in shacl_old}
    seconds["shacl"] = time.perf_counter() - t1

    # 3. the violation queries (errors only) on the whole new graph
    t2 = time.perf_counter()
    checks: list[Check] = [c for c in load_checks(root) if c.severity == "error"]
    rows_new = _check_rows(store, checks)
    new_keys: dict[tuple, tuple[Check, dict]] = {}
    for check in checks:
        for row in rows_new.get(check.name, []):
            new_keys[_row_key(check, row)] = (check, row)
    next_rows: dict[str, set[tuple]] = {}
    for check in checks:
        next_rows[check.name + _row_key(check, {})[1]] = {
            k for k, v in new_keys.items() if v[0] is check
        }
    if new_keys and baseline is not None:
        old_keys: set[tuple] = set()
        missing = []
        with_rows = {v[0].name for v in new_keys.values()}
        for check in checks:
            if check.name not in with_rows:
                continue  # no rows now: none can be new
            cached = baseline.check_rows.get(check.name + _row_key(check, {})[1])
            if cached is None:
                missing.append(check)
            else:
                old_keys |= cached
        if missing:
            old_store = old_store or baseline.store()
            rows_old = _check_rows(old_store, missing)
            for check in missing:
                keys = {_row_key(check, row) for row in rows_old.get(check.name, [])}
                baseline.check_rows[check.name + _row_key(check, {})[1]] = keys
                old_keys |= keys
        new_keys = {k: v for k, v in new_keys.items() if k not in old_keys}
    seconds["checks"] = time.perf_counter() - t2

    # 4. messages a maintainer can act on: file:line: resource (label) what to change
    lines = _Lines(data)
    for iri, text in sorted(shacl_new.values()):
        errors.append(f"{lines.where(iri)}: {_name(store, iri)} {text}")
    shacl_focus = {iri for iri, _ in shacl_new.values()}
    for check, row in sorted(new_keys.values(), key=lambda v: (v[0].name, str(v[1]))):
        if check.twin and str(row.get("resource")) in shacl_focus:
            continue  # SHACL already said it
        if "__error__" in row:
            errors.append(f"checks/{check.name}.rq: {row['__error__']}")
            continue
        focus_node = row.get("resource") or next(
            (v for v in row.values() if isinstance(v, URIRef)), None
        )
        iri = str(focus_node) if focus_node is not None else None
        extra = {
            "label": (_label(store, iri) if iri else None) or "no label",
            "name": _name(store, iri),
        }
        errors.append(f"{lines.where(iri)}: {format_message(check.message, row, extra)}")
    seconds["total"] = time.perf_counter() - t0
    result.errors = list(dict.fromkeys(errors))
    result.ok = not result.errors
    result.seconds = seconds
    if baseline is not None:  # keep the lines of the files that did not change
        nt_new = {**{k: v for k, v in baseline.lines.items() if k not in changed}, **nt_new}
    result.baseline = Baseline(
        data, shapes, checks_files, next_rows, queries=queries, lines=nt_new, loaded=store
    )
    result.store = store if result.ok else None
    return result


# ----------------------------------------------------------------------------- the reloader

_LIVE: weakref.WeakSet[Reloader] = weakref.WeakSet()


def live_reloaders() -> list[Reloader]:
    return list(_LIVE)


class Reloader:
    """Holds the served snapshot and replaces it when the ontology files change (see module doc).

    ``build_graph(root)`` makes a graph (default: ``kg.open_graph(root)``); if it takes a
    ``prepared`` keyword it is handed the Oxigraph store validation loaded (the same files), to
    serve instead of loading them again. ``build_extra(graph, previous_snapshot)`` makes what is
    served with it (may be None); if it takes a ``changes`` keyword it gets the :class:`Changes`
    since the previous snapshot (None when unknown), to build from the previous one.
    Pass ``graph``/``extra`` to adopt what the service already loaded. ``around_reload``: a
    context manager factory wrapped around each reload (the service pauses its background work).
    """

    def __init__(
        self,
        ontology_dir: str | Path | None = None,
        *,
        build_graph: Callable[[Path], Any] | None = None,
        build_extra: Callable[[Any, Snapshot | None], Any] | None = None,
        graph: Any = None,
        extra: Any = None,
        interval: float = 1.0,
        validate: bool = True,
        settle: float = 0.3,
        around_reload: Callable[[], contextlib.AbstractContextManager] | None = None,
    ) -> None:
        self.root = resolve_ontology_dir(ontology_dir)
        self._around = around_reload or contextlib.nullcontext
        self.interval = interval
        self.settle = settle
        self.validate = validate
        self._build_graph = build_graph or _default_build_graph
        self._build_extra = build_extra
        self._init_locks()
        fp = fingerprint(self.root)
        self._baseline: Baseline | None = Baseline.capture(self.root)
        if graph is None:
            graph = self._build_graph(self.root)
            extra = self._build_extra(graph, None) if self._build_extra else None
        version = self._version(graph)
        loaded = version.get("hash")
        if loaded not in (None, "remote") and loaded != _hash_of(self.root):
            # the files changed since that graph was loaded: judge the next edit as a whole
            self._baseline = None
            fp = ()
        self.current = Snapshot(graph, extra, version, fp, 0, _now())
        if self._baseline is not None and loaded not in (None, "remote"):
            self._baseline.loaded = _oxigraph_store(graph)  # the same files: no second load
        self._status: dict[str, Any] = {
            "ok": True, "error": None, "errors": [], "at": self.current.loaded_at, "reason": "start",
            "seconds": None, "attempted": None, "reloads": 0, "failures": 0,
        }  # fmt: skip
        self._failed_fp: tuple | None = None
        _LIVE.add(self)
        ref = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (r := ref()) is not None and r._after_fork())

    # -- threads and processes
    def _init_locks(self) -> None:
        self._lock = threading.Lock()  # one reload at a time
        self._event = threading.Event()  # a reload was requested (signal, admin route)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def _after_fork(self) -> None:
        """In a forked worker: fresh locks, and no watcher until ensure_watching() starts one here."""
        self._init_locks()

    @property
    def watching(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def start(self) -> Reloader:
        """Start the watcher thread in this process (idempotent; call again after a fork)."""
        if self.watching:
            return self
        self._pid = os.getpid()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._watch, name=f"rongtong-reload-{self._pid}", daemon=True
        )
        self._thread.start()
        return self

    ensure_watching = start

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._event.set()
        if (
            self._thread is not None
            and self._thread.is_alive()
            and self._thread is not threading.current_thread()
        ):
            self._thread.join(timeout)
        self._thread = None

    def request(self) -> None:
        """Ask for a reload soon (safe from a signal handler): the watcher does it, or a new thread."""
        if self.watching:
            self._event.set()
        else:
            threading.Thread(
                target=self.reload, kwargs={"reason": "requested", "force": True}, daemon=True
            ).start()

    def _watch(self) -> None:
        log.info("watching %s for changes (every %.1f s)", self.root, self.interval)
        while not self._stop.is_set():
            requested = self._event.wait(self.interval)
            if self._stop.is_set():
                break
            try:
                if requested:
                    self._event.clear()
                    self.reload(reason="requested", force=True)
                else:
                    self.poll()
            except Exception:  # noqa: BLE001 - the watcher must survive anything
                log.exception("reload watcher: unexpected error")

    def poll(self) -> bool:
        """Reload when the files changed (and have settled); True if a new graph is served."""
        try:
            fp = fingerprint(self.root)
        except OSError as exc:
            log.warning("cannot read %s: %s", self.root, exc)
            return False
        if fp == self.current.fingerprint or fp == self._failed_fp:
            return False
        deadline = time.monotonic() + max(self.settle * 10, 3.0)
        while time.monotonic() < deadline:  # wait until the editor has finished writing
            time.sleep(self.settle)
            again = fingerprint(self.root)
            if again == fp:
                break
            fp = again
        return self.reload(reason="files changed")

    # -- reloading
    def reload(self, reason: str = "requested", force: bool = False) -> bool:
        """Validate and load the files now on disk; swap them in if good. True if swapped."""
        with self._lock, self._around(), _gc_paused():
            return self._reload(reason, force)

    def _build(self, check: ChangeCheck | None) -> tuple[Any, Any]:
        prepared = check.store if check is not None else None
        if prepared is not None and _accepts(self._build_graph, "prepared"):
            graph = self._build_graph(self.root, prepared=prepared)
        else:
            graph = self._build_graph(self.root)
        if not self._build_extra:
            return graph, None
        if _accepts(self._build_extra, "changes"):
            changes = check.changes if check is not None else None
            return graph, self._build_extra(graph, self.current, changes=changes)
        return graph, self._build_extra(graph, self.current)

    def _reload(self, reason: str, force: bool) -> bool:
        started = time.perf_counter()
        for _attempt in range(3):
            fp = fingerprint(self.root)
            if not force and fp == self.current.fingerprint:
                return False
            # Validate, then build the new graph from the store validation loaded and the new
            # advisor from the previous one (only what changed is redone). One after the other:
            # both hold the GIL nearly all the time, so a second thread would gain nothing.
            tree = _read_tree(self.root)
            check: ChangeCheck | None = None
            if self.validate:
                try:
                    check = check_change(self.root, self._baseline, tree=tree)
                except Exception as exc:  # noqa: BLE001 - reported, old graph kept
                    log.exception("reload: validation crashed")
                    self._failed(fp, reason, [f"validation failed: {exc}"], started, None)
                    return False
                if not check.ok:
                    self._failed(fp, reason, check.errors, started, check)
                    return False
            try:
                graph, extra = self._build(check)
            except Exception as exc:  # noqa: BLE001 - reported, old graph kept
                log.exception("reload: building the new graph failed")
                self._failed(fp, reason, [f"{type(exc).__name__}: {exc}"], started, check)
                return False
            if check is not None and _read_tree(self.root).data != tree.data:
                log.info("files changed while loading; validating again")
                continue
            previous = self.current
            self.current = Snapshot(
                graph, extra, self._version(graph), fp, previous.serial + 1, _now()
            )
            self._baseline = check.baseline if check is not None else Baseline.capture(self.root)
            self._failed_fp = None
            seconds = time.perf_counter() - started
            self._status = {
                **self._status, "ok": True, "error": None, "errors": [], "at": _now(), "reason": reason,
                "seconds": round(seconds, 2), "attempted": self.current.version.get("hash"),
                "reloads": self._status["reloads"] + 1,
                "changed_files": check.changed_files if check else None,
                "validation_seconds": {k: round(v, 2) for k, v in check.seconds.items()} if check else None,
            }  # fmt: skip
            log.info(
                "reloaded (%s) in %.1f s: now serving graph %s (was %s)",
                reason,
                seconds,
                self.current.version.get("hash"),
                previous.version.get("hash"),
            )
            return True
        self._failed(
            fingerprint(self.root),
            reason,
            ["the files kept changing while loading; try again"],
            started,
            None,
        )
        return False

    def _failed(
        self, fp: tuple, reason: str, errors: list[str], started: float, check: ChangeCheck | None
    ) -> None:
        self._failed_fp = fp
        errors = errors or ["unknown error"]
        attempted = None
        try:
            from kg.load import OntologyFiles

            attempted = OntologyFiles.scan(self.root).hash
        except Exception:  # noqa: BLE001 - only informative
            pass
        self._status = {
            **self._status, "ok": False, "error": errors[0], "errors": errors[:MAX_ERRORS],
            "error_count": len(errors), "at": _now(), "reason": reason,
            "seconds": round(time.perf_counter() - started, 2), "attempted": attempted,
            "failures": self._status["failures"] + 1,
            "changed_files": check.changed_files if check else None,
        }  # fmt: skip
        log.warning(
            "reload rejected (%s): %d error(s); still serving graph %s. First: %s",
            reason,
            len(errors),
            self.current.version.get("hash"),
            errors[0],
        )

    # -- reporting
    @staticmethod
    def _version(graph: Any) -> dict[str, Any]:
        return dict(getattr(graph, "version", None) or {})

    def status(self) -> dict[str, Any]:
        out = dict(self._status)
        out["watching"] = self.watching
        out["serving_since"] = self.current.loaded_at
        return out

    def health(self) -> dict[str, Any]:
        """``{"status": "ok"|"degraded", "graph": version, "reload": status}`` for /healthz."""
        status = self.status()
        return {
            "status": "ok" if status["ok"] else "degraded",
            "graph": dict(self.current.version),
            "reload": status,
        }


def _default_build_graph(root: Path, prepared: ox.Store | None = None) -> Any:
    if prepared is not None:
        return graph_from_store(root, prepared)
    from kg import open_graph

    return open_graph(ontology_dir=root)


def graph_from_store(root: Path, store: ox.Store, settings: Any = None) -> Any:
    """A ``KnowledgeGraph`` serving an Oxigraph store that already holds the ontology's data files
    (as validation loaded them), as ``kg.open_graph(root)`` would make it, without the second load."""
    from kg.errors import StoreError
    from kg.graph import KnowledgeGraph
    from kg.load import OntologyFiles
    from kg.queries import QueryLibrary
    from kg.settings import Settings
    from kg.stores import OxigraphBackend

    started = time.perf_counter()
    settings = settings or Settings()
    files = OntologyFiles.scan(root)
    backend = OxigraphBackend(store)
    folder = root / "queries"
    key = tuple((p.name, p.read_bytes()) for p in sorted(folder.glob("*.rq")))
    with _QUERIES_LOCK:
        known = _QUERIES.get(str(folder))
    if known is not None and known[0] == key:  # the same files: their parsed headers again
        queries = QueryLibrary({q.name: q for q in known[1]})
    else:
        queries = QueryLibrary.from_dir(folder)
        with _QUERIES_LOCK:
            _QUERIES.clear()
            _QUERIES[str(folder)] = (key, list(queries))
    if not len(queries):
        raise StoreError(f"no named queries in {folder}")
    queries.prepare(backend)
    return KnowledgeGraph(backend, queries, files, settings, time.perf_counter() - started)


_QUERIES: dict[str, tuple[tuple, list]] = {}  # folder -> (its files, the NamedQuery objects)
_QUERIES_LOCK = threading.Lock()


@contextlib.contextmanager
def _gc_paused():
    """No cyclic garbage collection while a reload builds: it makes a few hundred thousand objects
    (the advisor's tables), which set off collections that walk every object of the process —
    about a fifth of a one-label reload. What became garbage is collected afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _oxigraph_store(graph: Any) -> ox.Store | None:
    store = getattr(getattr(graph, "backend", None), "store", None)
    return store if isinstance(store, ox.Store) else None


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    """Whether ``fn`` can be called with the keyword argument ``name``."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        (p.name == name and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
        or p.kind == p.VAR_KEYWORD
        for p in params
    )


def _hash_of(root: Path) -> str | None:
    try:
        from kg.load import OntologyFiles

        return OntologyFiles.scan(root).hash
    except Exception:  # noqa: BLE001
        return None


# ----------------------------------------------------------------------------- signals


def install_sighup() -> bool:
    """Make SIGHUP reload every live reloader of this process. Only from the main thread, and
    only when SIGHUP is not already handled by someone else (e.g. a gunicorn master)."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return False
    current = signal.getsignal(signal.SIGHUP)
    if current not in (signal.SIG_DFL, None) and current is not _on_sighup:
        return False
    signal.signal(signal.SIGHUP, _on_sighup)
    return True


def _on_sighup(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
    for reloader in live_reloaders():
        reloader.request()
