"""Helpers the importers share: reading CSVs and en-label files, and writing deterministic Turtle.

The Turtle writer is deliberately simple and stable: a fixed prefix block (the prefixes of
``ontology/vocab/rongtong.ttl``), one resource per block, subjects in a caller-given order,
predicates in a fixed order (``a`` first, labels, structure, then source / asOf / confidence),
objects sorted (``@zh`` before ``@en``). The same graph always gives the same bytes, so a
re-import shows as a small, readable diff.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.vocab import DCTERMS, PREFIXES, RDF, RT, RTD, SKOS

__all__ = [
    "EN_LABEL_ORIGIN",
    "EnLabels",
    "ImportError_",
    "PREDICATE_ORDER",
    "default_ontology_dir",
    "load_en_labels",
    "method_description_problems",
    "parse_turtle",
    "read_csv",
    "turtle_document",
    "write_text",
]

EN_LABEL_ORIGIN = Literal("project translation, unreviewed", lang="en")
"""Every English label taken from ``ontology/imports/en-labels/*.csv`` says where it came from."""

# The prefix block of every generated file: the vocabulary file's prefixes, in its order.
_PREFIX_ORDER = [
    "rt",
    "rtd",
    "rdf",
    "rdfs",
    "owl",
    "xsd",
    "skos",
    "dcterms",
    "prov",
    "schema",
    "ceterms",
]

PREDICATE_ORDER: list[URIRef] = [
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,
    RT.enLabelOrigin,
    SKOS.notation,
    SKOS.definition,
    RT.groupLevel,
    SKOS.broader,
    RT.group,
    RT.field,
    RT.category,
    RT.programmeClass,
    RT.level,
    RT.fromClass,
    RT.toClass,
    RT.programme,
    RT.occupation,
    RT.stateControlled,
    RT.digital,
    RT.green,
    RT.edition,
    RT.basis,
    RT.derivedBy,
    RT.method,
    RT.score,
    RT.dataIssue,
    SKOS.note,
    SKOS.historyNote,
    DCTERMS.source,
    RT.asOf,
    RT.confidence,
]


class ImportError_(Exception):  # noqa: N801 - avoid shadowing the builtin ImportError
    """An input file is missing or malformed; the message names the file and the row."""


def default_ontology_dir() -> Path:
    """The ontology directory from the settings (``RONGTONG_ONTOLOGY`` or the repo's ``ontology/``)."""
    from kg.settings import Settings

    return Path(Settings().ontology_dir)


def read_csv(path: Path | str, required: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV (BOM tolerated) as dicts with stripped values; checks the header."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportError_(
                f"{path}: missing column(s) {', '.join(missing)}; header is {header}"
            )
        rows = []
        for raw in reader:
            rows.append({(k or "").strip(): (v or "").strip() for k, v in raw.items()})
    return rows


# ------------------------------------------------------------------ English labels


def _norm_zh(text: str) -> str:
    """Compare Chinese names loosely: full-width brackets and spaces do not count."""
    table = str.maketrans({"（": "(", "）": ")", "　": ""})
    return re.sub(r"\s+", "", text.translate(table))


@dataclass
class EnLabels:
    """English labels by code from ``en-labels/<name>.csv`` files (columns code, zh, en).

    ``get(code, zh)`` returns the label only when the file's zh column names the same thing as
    the catalogue (so a shifted row cannot label the wrong resource); mismatches are collected.
    """

    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (zh, en)
    files: list[Path] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, code: str, zh: str) -> str | None:
        hit = self.labels.get(code)
        if hit is None:
            return None
        file_zh, en = hit
        if file_zh and _norm_zh(file_zh) != _norm_zh(zh):
            msg = f"{code}: en-label row is for {file_zh!r}, the data says {zh!r} (label not used)"
            if msg not in self.mismatches:
                self.mismatches.append(msg)
            return None
        return en or None


def load_en_labels(directory: Path, names: Iterable[str]) -> EnLabels:
    """Load ``directory/<name>.csv`` for each name; absent files are noted, not fatal."""
    out = EnLabels()
    for name in names:
        path = directory / f"{name}.csv"
        if not path.is_file():
            out.missing_files.append(path.name)
            continue
        out.files.append(path)
        try:
            rows = read_csv(path, ["code", "zh", "en"])
        except ImportError_ as exc:
            out.problems.append(str(exc))
            continue
        for i, row in enumerate(rows, start=2):
            code, en = row["code"], " ".join(row["en"].split())
            if not code:
                continue
            if code in out.labels and out.labels[code][1] != en:
                out.problems.append(
                    f"{path.name}:{i}: code {code} labelled twice; first label kept"
                )
                continue
            out.labels.setdefault(code, (row["zh"], en))
    return out


# ------------------------------------------------------------------ Turtle writer

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LOCAL_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _qname(iri: URIRef) -> str:
    text = str(iri)
    if iri == RDF.type:
        return "a"
    best = None
    for prefix in _PREFIX_ORDER:
        base = PREFIXES[prefix]
        if text.startswith(base):
            local = text[len(base) :]
            if _LOCAL_OK.match(local) and (best is None or len(base) > len(PREFIXES[best[0]])):
                best = (prefix, local)
    return f"{best[0]}:{best[1]}" if best else f"<{text}>"


def _literal(lit: Literal) -> str:
    if lit.datatype == XSD.boolean:
        return "true" if lit.toPython() is True else "false"
    if lit.datatype == XSD.decimal:
        text = str(lit)
        return text if "." in text else text + ".0"
    if lit.datatype == XSD.integer:
        return str(int(lit))
    body = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(lit)) + '"'
    if lit.language:
        return f"{body}@{lit.language}"
    if lit.datatype and lit.datatype != XSD.string:
        return f"{body}^^{_qname(lit.datatype)}"
    return body


def _term(node) -> str:
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, BNode):
        raise ValueError("the importers' writer does not write blank nodes")
    return _qname(node)


_LANG_ORDER = {"zh": 0, "en": 1}


def _object_key(node) -> tuple:
    if isinstance(node, Literal):
        return (
            1,
            _LANG_ORDER.get(node.language or "", 2),
            node.language or "",
            str(node.datatype or ""),
            str(node),
        )
    return (0, 0, "", "", str(node))


def _predicate_key(pred: URIRef) -> tuple:
    try:
        return (PREDICATE_ORDER.index(pred), "")
    except ValueError:
        return (len(PREDICATE_ORDER), str(pred))


def turtle_document(
    graph: Graph,
    header: str,
    sections: list[tuple[str, Callable[[URIRef], bool]]],
    sort_key: Callable[[URIRef], object] | None = None,
) -> str:
    """Serialise ``graph`` as a deterministic Turtle document.

    ``header`` becomes leading ``#`` comment lines; ``sections`` is a list of (title, predicate on
    subject): each subject goes into the first section that accepts it, in ``sort_key`` order
    (default: the IRI text). Subjects no section accepts are written last under "other".
    """
    key = sort_key or str
    lines = [f"# {line}".rstrip() for line in header.strip("\n").splitlines()]
    lines.append("")
    for prefix in _PREFIX_ORDER:
        lines.append(f"@prefix {prefix + ':':<8} <{PREFIXES[prefix]}> .")
    index: dict[URIRef, dict[URIRef, list]] = {}
    for s, p, o in graph:
        if isinstance(s, URIRef):
            index.setdefault(s, {}).setdefault(p, []).append(o)
    subjects = sorted(index, key=key)
    placed: dict[str, list[URIRef]] = {title: [] for title, _ in sections}
    other: list[URIRef] = []
    for s in subjects:
        for title, accepts in sections:
            if accepts(s):
                placed[title].append(s)
                break
        else:
            other.append(s)
    groups = [(title, placed[title]) for title, _ in sections] + [("other", other)]
    for title, subs in groups:
        if not subs:
            continue
        lines.append("")
        lines.append(f"# {'-' * 16} {title} ({len(subs)})")
        for s in subs:
            lines.append("")
            lines.extend(_block(index[s], s))
    return "\n".join(lines) + "\n"


def _block(props: dict[URIRef, list], subject: URIRef) -> list[str]:
    preds = sorted(props, key=_predicate_key)
    out = [_qname(subject)]
    for i, p in enumerate(preds):
        objs = sorted(props[p], key=_object_key)
        end = " ." if i == len(preds) - 1 else " ;"
        out.append(f"    {_qname(p)} {' , '.join(_term(o) for o in objs)}{end}")
    if len(out) > 1:  # put "a Class" on the subject line
        first = out[1].strip()
        if first.startswith("a "):
            out = [f"{out[0]} {first}"] + out[2:]
    return out


def parse_turtle(files: Iterable[Path]) -> Graph:
    """Parse Turtle files into one rdflib Graph, fast (pyoxigraph's parser), blank nodes kept apart
    per file. Falls back to rdflib's parser when pyoxigraph is missing."""
    g = Graph()
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        for f in files:
            g.parse(f, format="turtle")
        return g

    def term(node, prefix: str):
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(prefix + node.value)
        if node.language:
            return Literal(node.value, lang=node.language)
        return Literal(node.value, datatype=URIRef(node.datatype.value))

    for i, f in enumerate(files):
        try:
            quads = list(ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError, OSError) as exc:
            raise ImportError_(f"{f}: does not parse as Turtle: {exc}") from exc
        for q in quads:
            g.add((term(q.subject, f"f{i}"), URIRef(q.predicate.value), term(q.object, f"f{i}")))
    return g


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (creating folders); returns True when the content changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def decimal_literal(value: float | Decimal, places: int = 3) -> Literal:
    """An xsd:decimal literal rounded to ``places`` digits, written the same way every time."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-places))
    return Literal(q, datatype=XSD.decimal)


METHODS_FILE = "data/methods.ttl"
"""Where the derivation methods (rt:DerivationMethod) the generated links name are described."""


def method_description_problems(ontology_dir: Path, method: URIRef, zh: str, en: str) -> list[str]:
    """What is wrong with the description of ``method`` in ``ONTOLOGY/data/methods.ttl``: it is not
    defined there, or its ``skos:definition`` is not the code's (``zh`` / ``en``). Empty when the
    data describes the method the importer runs."""
    path = Path(ontology_dir) / METHODS_FILE
    name = f"rtd:{local_name(method)}"
    if not path.is_file():
        return [f"{path} is missing: it must define {name}, the method the generated links name"]
    try:
        g = parse_turtle([path])
    except ImportError_ as exc:
        return [str(exc)]
    if (method, RDF.type, RT.DerivationMethod) not in g:
        return [
            f"{METHODS_FILE} does not define {name} (an rt:DerivationMethod); the links name it"
        ]
    defined = {
        o.language: str(o) for o in g.objects(method, SKOS.definition) if isinstance(o, Literal)
    }
    return [
        f"{METHODS_FILE}: the @{lang} skos:definition of {name} is not what the code does; "
        f"make it: {text}"
        for lang, text in (("zh", zh), ("en", en))
        if defined.get(lang) != text
    ]


def rtd(local: str) -> URIRef:
    return RTD[local]


def local_name(iri: URIRef) -> str:
    text = str(iri)
    return text[len(str(RTD)) :] if text.startswith(str(RTD)) else text
