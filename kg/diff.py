"""``rongtong diff OLD [NEW]``: what changed between two versions of the ontology, in plain words.

OLD and NEW are ontology directories or git revisions (``HEAD``, ``HEAD~3``, a tag, a commit);
NEW defaults to the working ontology directory, so ``rongtong diff HEAD`` shows the edits not yet
committed. A git revision is read with ``git archive`` into a temporary directory (nothing in
the checkout changes).

The data graphs (every data ``*.ttl``, as ``rongtong validate`` loads them) are compared resource
by resource and reported with their labels::

    Added route route-x (中等职业教育 → 职业本科 via 3+4 中本贯通, 4 years)
    Programme 460305 工业机器人技术: English label changed from 'Industrial Robotics' to 'Industrial Robot Technology'
    Removed fact F40 …

``--json`` gives the same as data: ``added``, ``removed``, ``changed`` (each change with property,
language, old and new values) and ``files`` (added, removed and changed files of any kind).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.fmt import _term

__all__ = ["Side", "load_side", "compare", "render_text", "register", "run", "DiffError"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RT = "https://w3id.org/rongtong/ns#"
RTD = "https://w3id.org/rongtong/id/"
PREF = SKOS + "prefLabel"
NOTATION = SKOS + "notation"

LANG_NAMES = {"zh": "Chinese", "en": "English"}

# Plain words for properties (else the vocabulary's rdfs:label, else the local name).
PROPERTY_WORDS: dict[str, str] = {
    RDF_TYPE: "type",
    PREF: "label",
    SKOS + "altLabel": "alias",
    SKOS + "definition": "definition",
    SKOS + "note": "note",
    SKOS + "historyNote": "history note",
    SKOS + "notation": "code",
    SKOS + "broader": "broader",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    DCT + "source": "source",
    DCT + "title": "title",
    DCT + "publisher": "publisher",
    DCT + "date": "date",
    "https://schema.org/url": "URL",
    RT + "asOf": "date (as of)",
    RT + "confidence": "confidence",
    RT + "from": "start",
    RT + "to": "end",
    RT + "mechanism": "mechanism",
    RT + "years": "years",
    RT + "exam": "exam",
    RT + "condition": "condition",
    RT + "timing": "timing",
    RT + "region": "region",
    RT + "validFrom": "valid from",
    RT + "validUntil": "valid until",
    RT + "since": "in place since",
    RT + "basis": "basis",
    RT + "rationale": "rationale",
    RT + "derivedBy": "method",
    RT + "method": "method (in words)",
    RT + "score": "score",
    RT + "scoreMeaning": "score meaning",
    RT + "programme": "programme",
    RT + "occupation": "occupation",
    RT + "credential": "credential",
    RT + "claim": "claim",
    RT + "value": "value",
    RT + "unit": "unit",
    RT + "answeredBy": "answered by",
    RT + "honestLimit": "honest limit",
    RT + "dataIssue": "data issue",
    RT + "enLabelOrigin": "English label origin",
    RT + "programmeClass": "programme class",
    RT + "level": "level",
    RT + "field": "field",
    RT + "category": "category",
    RT + "group": "occupation group",
    RT + "edition": "edition",
}
LABEL_WORDS = {
    PREF: "label",
    SKOS + "altLabel": "alias",
    SKOS + "definition": "definition",
    RDFS + "label": "label",
}

KIND_WORDS: dict[str, str] = {
    RT + "EducationStage": "Stage",
    RT + "InstitutionType": "Institution type",
    RT + "Mechanism": "Mechanism",
    RT + "Route": "Route",
    RT + "Transfer": "Transfer",
    RT + "TitleRoute": "Skill-to-title route",
    RT + "Region": "Region",
    RT + "Field": "Field",
    RT + "ProgrammeCategory": "Programme category",
    RT + "ProgrammeClass": "Programme class",
    RT + "Programme": "Programme",
    RT + "ClassProgression": "Class progression",
    RT + "DerivationMethod": "Derivation method",
    RT + "OccupationGroup": "Occupation group",
    RT + "Occupation": "Occupation",
    RT + "OccupationLink": "Occupation link",
    RT + "CredentialLink": "Credential link",
    RT + "Interest": "Interest",
    RT + "InterestFit": "Interest fit",
    RT + "Fact": "Fact",
    RT + "Source": "Source",
    RT + "Misconception": "Misconception",
    RT + "EducationSystem": "Education system",
    RT + "ProfessionalTitle": "Professional title",
}
_ROUTE_KINDS = {RT + "Route", RT + "Transfer", RT + "TitleRoute"}
# the more specific type wins when a resource has several
_KIND_RANK = {RT + "Transfer": 0, RT + "TitleRoute": 0}
TEXT_CAP = 120


class DiffError(Exception):
    """A side cannot be read: not a directory or revision, or a file does not parse."""


@dataclass
class Side:
    """One version of the ontology: its data triples, which file says what, and all its files."""

    label: str
    root: Path
    triples: set[tuple] = field(default_factory=set)
    file_of: dict[tuple, str] = field(
        default_factory=dict
    )  # subject -> first data file defining it
    files: dict[str, bytes] = field(default_factory=dict)  # every file under root -> bytes
    tmp: str | None = None

    def close(self) -> None:
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


# ----------------------------------------------------------------------------- reading a side


def _read_dir(root: Path, label: str, tmp: str | None = None) -> Side:
    from kg.load import data_files, display_path

    side = Side(label, root, tmp=tmp)
    if not root.is_dir():
        return side  # an ontology that did not exist at that revision: everything is added
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            side.files[rel.as_posix()] = path.read_bytes()
    rdf_type = ("I", RDF_TYPE)
    for path in data_files(root):
        name = display_path(path, root)
        try:
            parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            triples = [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in parsed]
        except SyntaxError as exc:
            line = getattr(exc, "lineno", None)
            raise DiffError(
                f"{label}: {name}{':' + str(line) if line else ''}: does not parse: {exc.msg or exc}"
            ) from None
        for s, p, o in triples:
            side.triples.add((s, p, o))
            if p == rdf_type:
                side.file_of.setdefault(s, name)
        for s, _, _ in triples:
            side.file_of.setdefault(s, name)
    return side


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=not binary, check=False
    )


def _git_side(rev: str, ontology_root: Path) -> Side:
    probe = ontology_root if ontology_root.is_dir() else Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], probe)
    if top.returncode != 0:
        raise DiffError(f"{rev!r} is not a directory, and {probe} is not in a git checkout")
    toplevel = Path(top.stdout.strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], toplevel).returncode != 0:
        raise DiffError(f"{rev!r} is neither an ontology directory nor a git revision")
    try:
        rel = ontology_root.resolve().relative_to(toplevel.resolve()).as_posix()
    except ValueError:
        raise DiffError(
            f"the ontology directory {ontology_root} is not inside the git checkout {toplevel}"
        ) from None
    tmp = tempfile.mkdtemp(prefix="rongtong-diff-")
    listed = _git(["ls-tree", "-d", "--name-only", rev, "--", rel], toplevel)
    if listed.returncode == 0 and listed.stdout.strip():
        proc = _git(["archive", "--format=tar", rev, "--", rel], toplevel, binary=True)
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise DiffError(
                f"git archive {rev} failed: {proc.stderr.decode(errors='replace').strip()}"
            )
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            tar.extractall(tmp, filter="data")
    return _read_dir(Path(tmp) / rel, f"{rev} ({rel}/)", tmp=tmp)


def load_side(spec: str | Path | None, ontology_dir: str | Path | None = None) -> Side:
    """A directory, or a git revision of the ontology directory; None = the working ontology."""
    from kg.settings import Settings

    root = Path(ontology_dir) if ontology_dir is not None else Path(Settings().ontology_dir)
    if spec is None:
        return _read_dir(root.resolve(), str(root))
    path = Path(spec)
    if path.is_dir():
        return _read_dir(path.resolve(), str(spec))
    return _git_side(str(spec), root)


# ----------------------------------------------------------------------------- describing


class _Names:
    """Labels, kinds and one-line descriptions of resources, from both sides (new preferred)."""

    _LABEL_RANK = {PREF: 0, RDFS + "label": 1, DCT + "title": 2}
    _KEEP = (
        NOTATION,
        RT + "factId",
        RT + "from",
        RT + "to",
        RT + "mechanism",
        RT + "years",
        RT + "region",
    )

    def __init__(self, old: Side, new: Side):
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.types: dict[str, list[str]] = {}
        self.props: dict[str, dict[str, list[tuple]]] = {}
        for side in (old, new):  # new last: what it says wins
            labels: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
            types: dict[str, list[str]] = defaultdict(list)
            props: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
            for s, p, o in side.triples:
                if s[0] != "I":
                    continue
                iri, pred = s[1], p[1]
                if pred in self._LABEL_RANK and o[0] == "L":
                    key, rank = o[2] or "_", self._LABEL_RANK[pred]
                    have = labels[iri].get(key)
                    if have is None or (rank, o[1]) < have:
                        labels[iri][key] = (rank, o[1])
                elif pred == RDF_TYPE and o[0] == "I":
                    types[iri].append(o[1])
                if pred in self._KEEP:
                    props[iri][pred].append(o)
            for iri, by_lang in labels.items():
                self.labels[iri].update({k: v[1] for k, v in by_lang.items()})
            self.types.update({k: sorted(v) for k, v in types.items()})
            self.props.update({k: {p: sorted(v) for p, v in d.items()} for k, d in props.items()})

    def label(self, iri: str, lang: str = "zh") -> str | None:
        labels = self.labels.get(iri, {})
        return labels.get(lang) or labels.get("zh") or labels.get("en") or labels.get("_")

    def kind(self, iri: str) -> tuple[str | None, str]:
        types = sorted(
            self.types.get(iri, []), key=lambda t: (_KIND_RANK.get(t, 1), t not in KIND_WORDS, t)
        )
        if not types:
            return None, "Resource"
        t = types[0]
        if t in KIND_WORDS:
            return t, KIND_WORDS[t]
        label = self.labels.get(t, {}).get("en")
        if label:
            return t, label.split(" (")[0].split(":")[0]
        return t, _local(t)

    def value(self, iri: str) -> str:
        """An IRI as its label and id: 工业机器人技术 (prog-460305)."""
        label = self.label(iri)
        short = _short(iri)
        return f"{label} ({short})" if label and label != short else short

    def prop_word(self, p: str) -> str:
        if p in PROPERTY_WORDS:
            return PROPERTY_WORDS[p]
        label = self.labels.get(p, {}).get("en")
        if label:
            return label.split(" (")[0].split(":")[0]
        return _short(p)

    def route_summary(self, iri: str) -> str | None:
        props = self.props.get(iri, {})
        frm, to = props.get(RT + "from"), props.get(RT + "to")
        if not frm or not to:
            return None
        text = f"{self._short_label(frm[0])} → {self._short_label(to[0])}"
        mech = props.get(RT + "mechanism")
        if mech:
            text += f" via {self._short_label(mech[0])}"
        years = props.get(RT + "years")
        if years and years[0][0] == "L":
            n = years[0][1]
            n = n[:-2] if n.endswith(".0") else n
            text += f", {n} year{'' if n == '1' else 's'}"
        region = props.get(RT + "region")
        if region and region[0][0] == "I" and not region[0][1].endswith("region-national"):
            text += f", {self._short_label(region[0])}"
        return text

    def _short_label(self, term: tuple) -> str:
        if term[0] == "I":
            return self.label(term[1]) or _short(term[1])
        return term[1] if term[0] == "L" else "[]"

    def describe(self, iri: str) -> dict[str, Any]:
        cls, kind = self.kind(iri)
        props = self.props.get(iri, {})
        code = next(
            (o[1] for key in (NOTATION, RT + "factId") for o in props.get(key, []) if o[0] == "L"),
            None,
        )
        zh, en = self.labels.get(iri, {}).get("zh"), self.labels.get(iri, {}).get("en")
        short = _short(iri)
        route = self.route_summary(iri) if cls in _ROUTE_KINDS or RT + "from" in props else None
        if route:
            name = f"{kind} {short} ({route})"
        else:
            parts = [kind, code or short]
            label = zh or en or self.labels.get(iri, {}).get("_")
            if label:
                parts.append(label)
            name = " ".join(parts)
        return {
            "iri": iri,
            "id": short,
            "kind": kind,
            "type": cls,
            "code": code,
            "label": {"zh": zh, "en": en},
            "summary": route,
            "name": name,
        }

    def show(self, term: tuple, cap: int | None = TEXT_CAP) -> str:
        if term[0] == "I":
            return self.value(term[1])
        if term[0] == "L":
            text = term[1]
            if cap and len(text) > cap:
                text = text[: cap - 1] + "…"
            return "'" + text + "'"
        return "[blank node]"


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def _short(iri: str) -> str:
    if iri.startswith(RTD):
        return iri[len(RTD) :]
    if iri.startswith(RT):
        return "rt:" + iri[len(RT) :]
    return iri


def _json_term(term: tuple) -> Any:
    if term[0] == "I":
        return {"iri": term[1]}
    if term[0] == "L":
        out: dict[str, Any] = {"value": term[1]}
        if term[2]:
            out["lang"] = term[2]
        elif term[3] and not term[3].endswith("#string"):
            out["datatype"] = term[3]
        return out
    return {"blank": True}


# ----------------------------------------------------------------------------- comparing


def _by_subject(triples: set[tuple]) -> dict[tuple, dict[str, set[tuple]]]:
    out: dict[tuple, dict[str, set[tuple]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        out[s][p[1]].add(o)
    return out


def _slot(o: tuple) -> str | None:
    return o[2] if o[0] == "L" and o[2] else None


def _property_changes(
    names: _Names, p: str, old: set[tuple], new: set[tuple]
) -> list[dict[str, Any]]:
    out = []
    slots: dict[str | None, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for o in old:
        slots[_slot(o)][0].add(o)
    for o in new:
        slots[_slot(o)][1].add(o)
    word = names.prop_word(p)
    for lang in sorted(
        slots, key=lambda x: (x is not None, {"zh": 0, "en": 1}.get(x or "", 2), x or "")
    ):
        before, after = slots[lang]
        if before == after:
            continue
        if lang and p in LABEL_WORDS:
            what = f"{LANG_NAMES.get(lang, lang)} {LABEL_WORDS[p]}"
        elif lang:
            what = f"{word} ({LANG_NAMES.get(lang, lang)})"
        else:
            what = word
        base = {"property": p, "property_label": word, "lang": lang}
        if len(before) == 1 and len(after) == 1:
            (a,), (b,) = before, after
            text = f"{what} changed from {names.show(a)} to {names.show(b)}"
            out.append(
                {
                    **base,
                    "change": "changed",
                    "old": [_json_term(a)],
                    "new": [_json_term(b)],
                    "text": text,
                }
            )
            continue
        removed, added = sorted(before - after), sorted(after - before)
        if removed and not after:
            text = f"{what} removed: " + ", ".join(names.show(o) for o in removed)
            out.append(
                {
                    **base,
                    "change": "removed",
                    "old": [_json_term(o) for o in removed],
                    "new": [],
                    "text": text,
                }
            )
        elif added and not before:
            text = f"{what} added: " + ", ".join(names.show(o) for o in added)
            out.append(
                {
                    **base,
                    "change": "added",
                    "old": [],
                    "new": [_json_term(o) for o in added],
                    "text": text,
                }
            )
        else:
            bits = []
            if added:
                bits.append("added " + ", ".join(names.show(o) for o in added))
            if removed:
                bits.append("removed " + ", ".join(names.show(o) for o in removed))
            out.append(
                {
                    **base,
                    "change": "modified",
                    "old": [_json_term(o) for o in removed],
                    "new": [_json_term(o) for o in added],
                    "text": f"{what}: " + "; ".join(bits),
                }
            )
    return out


def _properties(names: _Names, props: dict[str, set[tuple]]) -> list[dict[str, Any]]:
    return [
        {
            "property": p,
            "property_label": names.prop_word(p),
            "values": [_json_term(o) for o in sorted(objs)],
        }
        for p, objs in sorted(
            props.items(), key=lambda kv: (kv[0] != RDF_TYPE, kv[0] != PREF, kv[0])
        )
    ]


def compare(old: Side, new: Side) -> dict[str, Any]:
    """The differences between two sides, as JSON-ready data (see the module docstring)."""
    names = _Names(old, new)
    old_s, new_s = _by_subject(old.triples), _by_subject(new.triples)
    added, removed, changed = [], [], []
    blank_old = sum(len(v) for s, props in old_s.items() if s[0] == "B" for v in props.values())
    blank_new = sum(len(v) for s, props in new_s.items() if s[0] == "B" for v in props.values())

    def order(s: tuple) -> tuple:
        return (names.kind(s[1])[1], s[1])

    for s in sorted((s for s in new_s if s[0] == "I" and s not in old_s), key=order):
        item = names.describe(s[1])
        item["file"] = new.file_of.get(s)
        item["properties"] = _properties(names, new_s[s])
        added.append(item)
    for s in sorted((s for s in old_s if s[0] == "I" and s not in new_s), key=order):
        item = names.describe(s[1])
        item["file"] = old.file_of.get(s)
        item["properties"] = _properties(names, old_s[s])
        removed.append(item)
    for s in sorted((s for s in new_s if s[0] == "I" and s in old_s), key=order):
        before, after = old_s[s], new_s[s]
        if before == after:
            continue
        changes = []
        for p in sorted(set(before) | set(after), key=lambda p: (p != RDF_TYPE, p != PREF, p)):
            changes.extend(_property_changes(names, p, before.get(p, set()), after.get(p, set())))
        if changes:
            item = names.describe(s[1])
            item["file"] = new.file_of.get(s) or old.file_of.get(s)
            if old.file_of.get(s) and new.file_of.get(s) and old.file_of[s] != new.file_of[s]:
                item["moved_from"] = old.file_of[s]
            item["changes"] = changes
            changed.append(item)
    # a removed and an added resource of the same kind with the same Chinese label: probably renamed
    by_label = {(r["kind"], r["label"]["zh"]): r for r in removed if r["label"]["zh"]}
    for a in added:
        twin = by_label.get((a["kind"], a["label"]["zh"]))
        if twin:
            a["renamed_from"] = twin["id"]
    file_changes = {
        "added": sorted(set(new.files) - set(old.files)),
        "removed": sorted(set(old.files) - set(new.files)),
        "changed": sorted(
            f for f in set(old.files) & set(new.files) if old.files[f] != new.files[f]
        ),
    }
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
    for key, items in (("added", added), ("removed", removed), ("changed", changed)):
        for item in items:
            kinds[item["kind"]][key] += 1
    return {
        "old": old.label,
        "new": new.label,
        "files": file_changes,
        "summary": {
            "added": len(added),
            "removed": len(removed),
            "changed": len(changed),
            "triples_added": len(new.triples - old.triples),
            "triples_removed": len(old.triples - new.triples),
            "by_kind": dict(sorted(kinds.items())),
            "blank_node_triples": {"old": blank_old, "new": blank_new},
        },
        "added": added,
        "removed": removed,
        "changed": changed,
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def render_text(result: dict[str, Any], verbose: bool = False) -> str:
    """The result in plain words, one line per change."""
    lines = [f"Comparing {result['old']} → {result['new']}"]
    files = result["files"]
    for key, word in (("added", "added"), ("removed", "removed"), ("changed", "changed")):
        if files[key]:
            lines.append(f"Files {word}: " + ", ".join(files[key]))
    summary = result["summary"]
    if not (result["added"] or result["removed"] or result["changed"]):
        lines.append(
            "The graphs are the same." + ("" if any(files.values()) else " No file differs.")
        )
        return "\n".join(lines) + "\n"
    lines.append(
        f"{summary['added']} added, {summary['removed']} removed, {summary['changed']} changed "
        f"(+{summary['triples_added']} −{summary['triples_removed']} triples)"
    )
    for kind, counts in summary["by_kind"].items():
        bits = [f"{n} {k}" for k, n in counts.items() if n]
        lines.append(f"  {kind}: " + ", ".join(bits))
    if summary["blank_node_triples"]["old"] or summary["blank_node_triples"]["new"]:
        lines.append("  (blank-node structures are not compared resource by resource)")
    lines.append("")
    for item in result["added"]:
        extra = (
            f" — probably renamed from {item['renamed_from']}" if item.get("renamed_from") else ""
        )
        lines.append(f"+ Added {_lower_first(item['name'])}{extra} [{item['file']}]")
        if verbose:
            for prop in item["properties"]:
                lines.append(
                    f"    {prop['property_label']}: " + ", ".join(_plain(o) for o in prop["values"])
                )
    for item in result["removed"]:
        lines.append(f"- Removed {_lower_first(item['name'])} [{item['file']}]")
    for item in result["changed"]:
        moved = f" (moved from {item['moved_from']})" if item.get("moved_from") else ""
        for change in item["changes"]:
            lines.append(f"~ {item['name']}: {change['text']}{moved}")
    return "\n".join(lines) + "\n"


def _plain(term: dict[str, Any]) -> str:
    if "iri" in term:
        return _short(term["iri"])
    if "value" in term:
        return f"'{term['value']}'" + (f"@{term['lang']}" if term.get("lang") else "")
    return "[]"


# ----------------------------------------------------------------------------- CLI


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "diff",
        help="what changed between two versions of the ontology (directories or git revisions), in plain words",
        description="Compare two versions of the ontology: OLD and NEW are ontology directories or git "
        "revisions (read with git archive; nothing in the checkout changes). NEW defaults to the working "
        "ontology directory, so `rongtong diff HEAD` shows uncommitted edits. Resources added, removed and "
        "changed are named with their labels; --json for data.",
    )
    p.add_argument(
        "old", metavar="OLD", help="directory or git revision (e.g. HEAD, HEAD~1, a tag)"
    )
    p.add_argument(
        "new",
        metavar="NEW",
        nargs="?",
        default=None,
        help="directory or git revision (default: the working ontology)",
    )
    p.add_argument(
        "--ontology",
        metavar="DIR",
        default=None,
        help="ontology directory (default: the setting); its path inside the checkout is what a revision is read from",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="list every property of added resources"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    old = new = None
    try:
        old = load_side(args.old, args.ontology)
        new = load_side(args.new, args.ontology)
        result = compare(old, new)
    except (DiffError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        for side in (old, new):
            if side is not None:
                side.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(result, verbose=args.verbose))
    return 0
