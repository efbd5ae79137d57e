"""Import the MOE vocational programme catalogue (职业教育专业目录) into Turtle, and update it yearly.

Input: a CSV in the format of ``moe_vocational_major_catalog_2021.csv`` (columns
``education_level, education_level_zh, category_code, category_name, class_code, class_name,
major_code, major_name, state_controlled_K``). Output: ``ontology/catalogue/programmes-<edition>.ttl``
with the 19 fields (``field-<专科 code>``), the categories (``cat-``), classes (``class-``),
programmes (``prog-``) and the derived class progressions (``classprog-<from>-<to>``: the aligned
class one level up, code minus 20 in the first two digits; "same field at the next level", not an
official 接续专业 list; each names its method, ``rt:derivedBy rtd:method-aligned-class-codes``,
described once in ``ontology/data/methods.ttl``). English labels come from
``ontology/imports/en-labels/{programmes,classes,categories}.csv`` (columns ``code,zh,en``); a
missing label is left out (validation flags it).

Yearly update (a data task, not a code task)
--------------------------------------------
1. Put the new catalogue CSV (same columns) in ``ontology/imports/``, e.g.
   ``moe_vocational_major_catalog_2025.csv``; add the new programmes' English names to
   ``ontology/imports/en-labels/programmes.csv`` (and ``classes.csv``) if you have them.
2. Preview: ``rongtong import-catalogue ontology/imports/moe_vocational_major_catalog_2025.csv
   --edition 2025 --as-of 2025-12 --report-only``. The report compares the CSV with the current
   graph (``ontology/catalogue/programmes-<edition>.ttl``) by code and lists ADDED, RENAMED (same code, new
   Chinese name) and REMOVED programmes and classes; for removed ones it names the other files that
   still refer to them (curated links, interest fits…), which you must then edit.
3. Add the new edition's source to ``ontology/data/sources.ttl`` (``rtd:src-moe-catalogue-2025``).
4. Import: the same command without ``--report-only``. It writes ``programmes-2025.ttl``, carrying
   over by code what editors added to the old file: English labels (when the en-labels CSV has none),
   hand-added aliases (``skos:altLabel``) and any other hand-added property (notes, definitions…).
   The importer's own properties (labels, codes, class, level, K flag, edition, source, date) are
   always rewritten from the CSV. Delete the superseded ``programmes-2021.ttl`` (the report says so).
5. ``rongtong derive-links`` (programme → occupation candidates), then ``rongtong validate``;
   review ``git diff``, and commit the CSV, the en-labels and the generated files together.

Never hand-edit the importer's own properties in the generated file: change the CSV and re-run
(``tests/test_importers.py`` re-generates the file and fails if it differs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.importers.common import (
    EN_LABEL_ORIGIN,
    ImportError_,
    default_ontology_dir,
    load_en_labels,
    local_name,
    method_description_problems,
    parse_turtle,
    read_csv,
    turtle_document,
    write_text,
)
from kg.vocab import DCTERMS, RDF, RT, RTD, SKOS

__all__ = [
    "CSV_COLUMNS",
    "LEVELS",
    "Catalogue",
    "CatalogueResult",
    "UpdateReport",
    "aliases_for",
    "build_graph",
    "import_catalogue",
    "read_catalogue",
]

CSV_COLUMNS = [
    "education_level",
    "education_level_zh",
    "category_code",
    "category_name",
    "class_code",
    "class_name",
    "major_code",
    "major_name",
    "state_controlled_K",
]


@dataclass(frozen=True)
class Level:
    key: str  # as in the CSV's education_level column
    stage: str  # rtd: local name of the stage
    zh: str
    en: str
    offset: int  # category code = field (专科) code + offset
    rank: int  # 0 中职, 1 专科, 2 本科


LEVELS = {
    "secondary": Level(
        "secondary", "stage-secondary-vocational", "中职", "secondary vocational", 20, 0
    ),
    "associate": Level(
        "associate", "stage-higher-vocational", "高职专科", "higher vocational", 0, 1
    ),
    "bachelor": Level(
        "bachelor", "stage-vocational-bachelor", "职业本科", "vocational bachelor", -20, 2
    ),
}
LEVEL_OF_PREFIX = {}  # category code -> level key
for _lv in LEVELS.values():
    for _f in range(41, 60):
        LEVEL_OF_PREFIX[f"{_f + _lv.offset:02d}"] = _lv.key

SOURCE_DEFAULT = "src-moe-catalogue-{edition}"
AS_OF_DEFAULT = {"2021": "2021-03"}  # the 2021 catalogue was published in March 2021
CONFIDENCE = "high"
CLASSPROG_METHOD = RTD["method-aligned-class-codes"]
"""The rt:DerivationMethod every class progression names (rt:derivedBy); defined in data/methods.ttl,
whose skos:definition must be CLASSPROG_METHOD_ZH / CLASSPROG_METHOD_EN."""
CLASSPROG_METHOD_EN = (
    "aligned class code: first two digits minus 20 (中职→专科→本科); same field at the next level, "
    "not an official 接续专业 list"
)
CLASSPROG_METHOD_ZH = (
    "专业类代码对齐：前两位减20（中职→专科→本科）；表示下一层次的同一领域，并非官方接续专业目录"
)
# A derived alias: the name without a trailing 技术 ("工业机器人技术" → "工业机器人"), when the rest
# is at least two characters and is not the name of another programme, class or field.
ALIAS_SUFFIXES = ("技术",)

# Predicates the importer writes itself; everything else found on a resource in the current
# graph is an editor's addition and is carried over by code.
GENERATED = {
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,  # generated aliases are recomputed; hand-added ones are carried over separately
    SKOS.notation,
    SKOS.note,
    RT.enLabelOrigin,
    RT.field,
    RT.category,
    RT.programmeClass,
    RT.level,
    RT.fromClass,
    RT.toClass,
    RT.stateControlled,
    RT.edition,
    RT.basis,
    RT.derivedBy,
    RT.method,  # written by older versions of the importer; not carried over
    RT.score,
    RT.dataIssue,
    DCTERMS.source,
    RT.asOf,
    RT.confidence,
}


# ------------------------------------------------------------------ reading the CSV


@dataclass
class Programme:
    code: str
    name: str
    level: str
    class_code: str
    k: bool
    issues: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)


@dataclass
class ProgClass:
    code: str
    name: str
    level: str
    category_code: str
    issues: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Category:
    code: str
    name: str
    level: str
    field_code: str


@dataclass
class Catalogue:
    fields: dict[str, str]  # 专科 code -> official name ("装备制造大类")
    categories: dict[str, Category]
    classes: dict[str, ProgClass]
    programmes: dict[str, Programme]
    warnings: list[str] = field(default_factory=list)


def read_catalogue(path: Path | str) -> Catalogue:
    """Read and check a catalogue CSV. Damaged rows are kept and carry their issues."""
    path = Path(path)
    rows = read_csv(path, CSV_COLUMNS)
    cat = Catalogue({}, {}, {}, {})
    field_names: dict[str, set[str]] = defaultdict(set)
    for lineno, row in enumerate(rows, start=2):
        where = f"{path.name}:{lineno}"
        level = row["education_level"]
        if level not in LEVELS:
            raise ImportError_(
                f"{where}: education_level {level!r} is not one of {', '.join(LEVELS)}"
            )
        lv = LEVELS[level]
        code, name = row["major_code"].upper(), row["major_name"]
        cc, cname = row["class_code"], row["class_name"]
        kc, kname = row["category_code"], row["category_name"]
        if not re.fullmatch(r"\d{6}K?", code):
            raise ImportError_(f"{where}: major_code {code!r} is not 6 digits (+ K)")
        if not re.fullmatch(r"\d{4}", cc) or not re.fullmatch(r"\d{2}", kc):
            raise ImportError_(f"{where}: class_code {cc!r} / category_code {kc!r} malformed")
        if not name:
            raise ImportError_(f"{where}: programme {code} has no name")
        if code in cat.programmes:
            raise ImportError_(f"{where}: programme code {code} appears twice")
        issues: list[tuple[str, str]] = []
        if not code.startswith(cc):
            issues.append(
                (
                    f"专业代码 {code} 与所属专业类代码 {cc} 不一致（按原样保留）",
                    f"programme code {code} does not start with its class code {cc} (kept as published)",
                )
            )
        k_flag = row["state_controlled_K"].upper()
        k = code.endswith("K")
        if k_flag not in ("Y", "N", "") or (k_flag == "Y") != k:
            issues.append(
                (
                    f"国家控制布点标记为 {k_flag!r}，而代码{'以' if k else '不以'} K 结尾；以代码为准",
                    f"state_controlled_K is {k_flag!r} but the code {'ends' if k else 'does not end'} in K; the code is used",
                )
            )
        if LEVEL_OF_PREFIX.get(kc) != level:
            issues.append(
                (
                    f"大类代码 {kc} 不在{lv.zh}的代码段内",
                    f"category code {kc} is outside the {lv.en} code range",
                )
            )
        cat.programmes[code] = Programme(code, name, level, cc, k, issues)

        if cc not in cat.classes:
            cissues = []
            if not cc.startswith(kc):
                cissues.append(
                    (
                        f"专业类代码 {cc} 与大类代码 {kc} 不一致",
                        f"class code {cc} does not start with its category code {kc}",
                    )
                )
            cat.classes[cc] = ProgClass(cc, cname, level, kc, cissues)
        else:
            known = cat.classes[cc]
            if known.name != cname or known.category_code != kc or known.level != level:
                cat.warnings.append(
                    f"{where}: class {cc} given as {cname!r}/{kc}/{level}, earlier as "
                    f"{known.name!r}/{known.category_code}/{known.level}; first kept"
                )
        if kc not in cat.categories:
            fcode = f"{int(kc) - lv.offset:02d}"
            cat.categories[kc] = Category(kc, kname, level, fcode)
            field_names[fcode].add(kname)
        elif cat.categories[kc].name != kname:
            cat.warnings.append(
                f"{where}: category {kc} named {kname!r}, earlier {cat.categories[kc].name!r}"
            )
    for fcode in sorted(field_names):
        names = sorted(field_names[fcode])
        if len(names) > 1:
            cat.warnings.append(
                f"field {fcode}: the levels name it differently: {' / '.join(names)}; the 专科 name is used"
            )
        spec = [
            c.name
            for c in cat.categories.values()
            if c.field_code == fcode and c.level == "associate"
        ]
        cat.fields[fcode] = spec[0] if spec else names[0]
    return cat


def class_progressions(cat: Catalogue) -> list[tuple[ProgClass, ProgClass]]:
    """Aligned class pairs one level up: first two digits minus 20, when the target exists."""
    pairs = []
    for code in sorted(cat.classes):
        src = cat.classes[code]
        if src.level == "bachelor":
            continue
        target = f"{int(code[:2]) - 20:02d}{code[2:]}"
        dst = cat.classes.get(target)
        if dst is not None and LEVELS[dst.level].rank == LEVELS[src.level].rank + 1:
            pairs.append((src, dst))
    return pairs


def _short_field_name(name: str) -> str:
    return name[:-2] if name.endswith("大类") else name


def aliases_for(cat: Catalogue) -> dict[str, list[str]]:
    """Safe derived aliases by programme code (see ALIAS_SUFFIXES)."""
    taken = {p.name for p in cat.programmes.values()} | {c.name for c in cat.classes.values()}
    taken |= {c.name[:-1] for c in cat.classes.values() if c.name.endswith("类")}
    taken |= set(cat.fields.values()) | {_short_field_name(n) for n in cat.fields.values()}
    out: dict[str, list[str]] = {}
    for code, p in cat.programmes.items():
        for suffix in ALIAS_SUFFIXES:
            stem = p.name[: -len(suffix)] if p.name.endswith(suffix) else ""
            if len(stem) >= 2 and stem not in taken:
                out.setdefault(code, []).append(stem)
    return out


# ------------------------------------------------------------------ the current graph


@dataclass
class Current:
    """What the current graph says about catalogue resources, by local name."""

    files: list[Path]
    graph: Graph
    names: dict[str, str]  # local name -> zh prefLabel (programmes and classes)

    def zh(self, local: str) -> str | None:
        return self.names.get(local)


def load_current(files: list[Path]) -> Current:
    g = parse_turtle(files)
    names = {}
    for kind in (RT.Programme, RT.ProgrammeClass, RT.ProgrammeCategory, RT.Field):
        for s in g.subjects(RDF.type, kind):
            for lab in g.objects(s, SKOS.prefLabel):
                if isinstance(lab, Literal) and lab.language == "zh":
                    names[local_name(s)] = str(lab)
    return Current(files, g, names)


# ------------------------------------------------------------------ building the graph


@dataclass
class BuildNotes:
    en_missing: list[str] = field(default_factory=list)
    en_carried: list[str] = field(default_factory=list)
    carried_triples: int = 0
    carried_aliases: int = 0
    dropped: list[str] = field(
        default_factory=list
    )  # resources of the current graph not re-created


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang)


def _labels(g: Graph, s: URIRef, zh: str, en: str | None, origin: Literal | None) -> None:
    g.add((s, SKOS.prefLabel, _lit(zh, "zh")))
    if en:
        g.add((s, SKOS.prefLabel, _lit(en, "en")))
        g.add((s, RT.enLabelOrigin, origin or EN_LABEL_ORIGIN))


def _provenance(
    g: Graph, s: URIRef, source: URIRef, as_of: str, confidence: str = CONFIDENCE
) -> None:
    g.add((s, DCTERMS.source, source))
    g.add((s, RT.asOf, Literal(as_of)))
    g.add((s, RT.confidence, Literal(confidence)))


def _issues(g: Graph, s: URIRef, issues: list[tuple[str, str]]) -> None:
    for zh, en in issues:
        g.add((s, RT.dataIssue, _lit(zh, "zh")))
        g.add((s, RT.dataIssue, _lit(en, "en")))


def build_graph(
    cat: Catalogue,
    *,
    edition: str,
    as_of: str,
    source: str,
    en_dir: Path | None,
    current: Current | None = None,
) -> tuple[Graph, BuildNotes, list[str]]:
    """The catalogue as an rdflib Graph (plus notes on English labels and carried-over triples,
    and the en-label loader's problems)."""
    g = Graph()
    notes = BuildNotes()
    src = RTD[source]
    en = load_en_labels(en_dir, ["programmes", "classes", "categories"]) if en_dir else None
    old = current.graph if current else Graph()
    renamed = set()
    if current:
        for code, p in cat.programmes.items():
            prev = current.zh(f"prog-{code}")
            if prev is not None and prev != p.name:
                renamed.add(f"prog-{code}")
        for code, c in cat.classes.items():
            prev = current.zh(f"class-{code}")
            if prev is not None and prev != c.name:
                renamed.add(f"class-{code}")

    def en_label(local: str, code: str, zh: str) -> tuple[str | None, Literal | None]:
        label = en.get(code, zh) if en else None
        if label:
            return label, EN_LABEL_ORIGIN
        s = RTD[local]
        for lab in old.objects(s, SKOS.prefLabel):
            if isinstance(lab, Literal) and lab.language == "en":
                origin = next(iter(old.objects(s, RT.enLabelOrigin)), None)
                tag = " (old name: check it)" if local in renamed else ""
                notes.en_carried.append(f"{local} {zh}{tag}")
                return str(lab), origin
        notes.en_missing.append(f"{local} {zh}")
        return None, None

    # fields
    for fcode, fname in sorted(cat.fields.items()):
        s = RTD[f"field-{fcode}"]
        g.add((s, RDF.type, RT.Field))
        label, origin = en_label(f"field-{fcode}", fcode, fname)
        if label is None and en:  # the same name at the other levels
            for kc, kcat in sorted(cat.categories.items()):
                if kcat.field_code == fcode and (alt := en.get(kc, fname)):
                    label, origin = alt, EN_LABEL_ORIGIN
                    notes.en_missing.remove(f"field-{fcode} {fname}")
                    break
        _labels(g, s, fname, label, origin)
        short = _short_field_name(fname)
        if short != fname:
            g.add((s, SKOS.altLabel, _lit(short, "zh")))
        codes = {c.level: c.code for c in cat.categories.values() if c.field_code == fcode}
        zh_codes = "、".join(f"{LEVELS[k].zh} {codes[k]}" for k in LEVELS if k in codes)
        en_codes = ", ".join(f"{codes[k]} ({LEVELS[k].en})" for k in LEVELS if k in codes)
        g.add((s, SKOS.note, _lit(f"专业大类代码：{zh_codes}", "zh")))
        g.add((s, SKOS.note, _lit(f"Category codes: {en_codes}", "en")))
        _provenance(g, s, src, as_of)

    # categories
    for kc, kcat in sorted(cat.categories.items()):
        s = RTD[f"cat-{kc}"]
        g.add((s, RDF.type, RT.ProgrammeCategory))
        _labels(g, s, kcat.name, *en_label(f"cat-{kc}", kc, kcat.name))
        g.add((s, SKOS.notation, Literal(kc)))
        g.add((s, RT.level, RTD[LEVELS[kcat.level].stage]))
        g.add((s, RT.field, RTD[f"field-{kcat.field_code}"]))
        g.add((s, RT.edition, Literal(edition)))
        _provenance(g, s, src, as_of)

    # classes
    for cc, pc in sorted(cat.classes.items()):
        s = RTD[f"class-{cc}"]
        g.add((s, RDF.type, RT.ProgrammeClass))
        _labels(g, s, pc.name, *en_label(f"class-{cc}", cc, pc.name))
        if f"class-{cc}" in renamed:
            _history(g, old, s, current.zh(f"class-{cc}"), pc.name)
        g.add((s, SKOS.notation, Literal(cc)))
        g.add((s, RT.category, RTD[f"cat-{pc.category_code}"]))
        g.add((s, RT.level, RTD[LEVELS[pc.level].stage]))
        if pc.category_code in cat.categories:
            g.add((s, RT.field, RTD[f"field-{cat.categories[pc.category_code].field_code}"]))
        g.add((s, RT.edition, Literal(edition)))
        _issues(g, s, pc.issues)
        _provenance(g, s, src, as_of)

    # programmes
    aliases = aliases_for(cat)
    for code, p in sorted(cat.programmes.items()):
        s = RTD[f"prog-{code}"]
        g.add((s, RDF.type, RT.Programme))
        _labels(g, s, p.name, *en_label(f"prog-{code}", code, p.name))
        if f"prog-{code}" in renamed:
            _history(g, old, s, current.zh(f"prog-{code}"), p.name)
        for alias in aliases.get(code, []):
            g.add((s, SKOS.altLabel, _lit(alias, "zh")))
        g.add((s, SKOS.notation, Literal(code)))
        g.add((s, RT.programmeClass, RTD[f"class-{p.class_code}"]))
        g.add((s, RT.level, RTD[LEVELS[p.level].stage]))
        if p.k:
            g.add((s, RT.stateControlled, Literal(True)))
        g.add((s, RT.edition, Literal(edition)))
        _issues(g, s, p.issues)
        _provenance(g, s, src, as_of)

    # derived class progressions
    for a, b in class_progressions(cat):
        s = RTD[f"classprog-{a.code}-{b.code}"]
        la, lb = LEVELS[a.level], LEVELS[b.level]
        g.add((s, RDF.type, RT.ClassProgression))
        zh = f"{a.name}（{la.zh} {a.code}）→ {b.name}（{lb.zh} {b.code}）"
        g.add((s, SKOS.prefLabel, _lit(zh, "zh")))
        ea = en.get(a.code, a.name) if en else None
        eb = en.get(b.code, b.name) if en else None
        ea = ea or _old_en(old, f"class-{a.code}")
        eb = eb or _old_en(old, f"class-{b.code}")
        if ea and eb:
            g.add(
                (
                    s,
                    SKOS.prefLabel,
                    _lit(f"{ea} ({la.en} {a.code}) → {eb} ({lb.en} {b.code})", "en"),
                )
            )
            g.add((s, RT.enLabelOrigin, EN_LABEL_ORIGIN))
        else:
            notes.en_missing.append(f"classprog-{a.code}-{b.code}")
        g.add((s, RT.fromClass, RTD[f"class-{a.code}"]))
        g.add((s, RT.toClass, RTD[f"class-{b.code}"]))
        g.add((s, RT.basis, RT.derived))
        g.add((s, RT.derivedBy, CLASSPROG_METHOD))
        g.add((s, RT.score, Literal(Decimal("1.0"), datatype=XSD.decimal)))
        confidence = CONFIDENCE
        if a.name != b.name:
            confidence = "medium"
            _issues(
                g,
                s,
                [
                    (
                        f"两个专业类名称不同：{a.name} / {b.name}；仅代码对齐",
                        f"the two classes are named differently ({a.name} / {b.name}); only the codes align",
                    )
                ],
            )
        _provenance(g, s, src, as_of, confidence)

    # carry over what editors added to the current graph, by IRI (= by code)
    if current:
        subjects = set(g.subjects())
        generated_alts = {RTD[f"prog-{c}"]: set(v) for c, v in aliases_for_names(current).items()}
        for s in sorted(subjects, key=str):
            for p, o in sorted(old.predicate_objects(s), key=lambda po: (str(po[0]), str(po[1]))):
                if p == SKOS.altLabel:
                    if (s, p, o) in g or str(o) in generated_alts.get(s, set()):
                        continue
                    if local_name(s).startswith("field-") and isinstance(o, Literal):
                        fname = cat.fields.get(local_name(s)[6:], "")
                        if str(o) == _short_field_name(fname):
                            continue
                    g.add((s, p, o))
                    notes.carried_aliases += 1
                elif p not in GENERATED and isinstance(o, Literal | URIRef) and (s, p, o) not in g:
                    g.add((s, p, o))
                    notes.carried_triples += 1
        for s in sorted(set(old.subjects()) - subjects, key=str):
            notes.dropped.append(local_name(s) if isinstance(s, URIRef) else str(s))
    return g, notes, (en.mismatches + en.problems if en else [])


def _history(g: Graph, old: Graph, s: URIRef, old_name: str | None, new_name: str) -> None:
    """On a rename, say so in skos:historyNote (kept on later re-imports like any hand-added note)."""
    edition = next((str(e) for e in old.objects(s, RT.edition)), "")
    where_zh = f"{edition} 版" if edition else "上一版"
    where_en = f"the {edition} edition" if edition else "the previous edition"
    g.add((s, SKOS.historyNote, _lit(f"{where_zh}名称：{old_name}", "zh")))
    g.add((s, SKOS.historyNote, _lit(f"named {old_name} in {where_en}", "en")))


def _old_en(old: Graph, local: str) -> str | None:
    for lab in old.objects(RTD[local], SKOS.prefLabel):
        if isinstance(lab, Literal) and lab.language == "en":
            return str(lab)
    return None


def aliases_for_names(current: Current) -> dict[str, list[str]]:
    """The aliases the importer would have generated for the current graph's programme names
    (so that on a rename the old generated alias is dropped, not carried over)."""
    progs = {k[5:]: v for k, v in current.names.items() if k.startswith("prog-")}
    classes = {k[6:]: v for k, v in current.names.items() if k.startswith("class-")}
    fields = {k[6:]: v for k, v in current.names.items() if k.startswith("field-")}
    cat = Catalogue(
        fields,
        {},
        {c: ProgClass(c, n, "", "") for c, n in classes.items()},
        {c: Programme(c, n, "", "", False) for c, n in progs.items()},
    )
    return aliases_for(cat)


# ------------------------------------------------------------------ the update report


@dataclass
class UpdateReport:
    first_import: bool
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, level zh)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old, new)
    removed: list[tuple[str, str, list[str]]] = field(
        default_factory=list
    )  # (code, old name, files)
    classes_added: list[tuple[str, str]] = field(default_factory=list)
    classes_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    classes_removed: list[tuple[str, str, list[str]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            [
                self.added,
                self.renamed,
                self.removed,
                self.classes_added,
                self.classes_renamed,
                self.classes_removed,
            ]
        )


def compare(cat: Catalogue, current: Current | None, ontology_dir: Path | None) -> UpdateReport:
    if current is None or not current.names:
        return UpdateReport(first_import=True)
    rep = UpdateReport(first_import=False)
    old_progs = {k[5:]: v for k, v in current.names.items() if k.startswith("prog-")}
    old_classes = {k[6:]: v for k, v in current.names.items() if k.startswith("class-")}
    for code in sorted(cat.programmes):
        p = cat.programmes[code]
        if code not in old_progs:
            rep.added.append((code, p.name, LEVELS[p.level].zh))
        elif old_progs[code] != p.name:
            rep.renamed.append((code, old_progs[code], p.name))
    for code in sorted(set(old_progs) - set(cat.programmes)):
        rep.removed.append(
            (code, old_progs[code], _referenced_in(f"prog-{code}", ontology_dir, current.files))
        )
    for code in sorted(cat.classes):
        c = cat.classes[code]
        if code not in old_classes:
            rep.classes_added.append((code, c.name))
        elif old_classes[code] != c.name:
            rep.classes_renamed.append((code, old_classes[code], c.name))
    for code in sorted(set(old_classes) - set(cat.classes)):
        rep.classes_removed.append(
            (code, old_classes[code], _referenced_in(f"class-{code}", ontology_dir, current.files))
        )
    return rep


def _referenced_in(local: str, ontology_dir: Path | None, skip: list[Path]) -> list[str]:
    """Files (other than the catalogue files) that mention ``rtd:<local>`` or its full IRI."""
    if ontology_dir is None or not ontology_dir.is_dir():
        return []
    skip_set = {p.resolve() for p in skip}
    pattern = re.compile(r"(?:rtd:|" + re.escape(str(RTD)) + ")" + re.escape(local) + r"(?![\w-])")
    hits = []
    for path in sorted(ontology_dir.rglob("*.ttl")):
        if path.resolve() in skip_set or "imports" in path.relative_to(ontology_dir).parts:
            continue
        if path.name == "occupation-links-derived.ttl":
            continue  # regenerated by derive-links
        try:
            if pattern.search(path.read_text(encoding="utf-8")):
                hits.append(str(path.relative_to(ontology_dir)))
        except (OSError, UnicodeDecodeError):
            continue
    return hits


# ------------------------------------------------------------------ the whole import


@dataclass
class CatalogueResult:
    catalogue: Catalogue
    report: UpdateReport
    notes: BuildNotes
    en_problems: list[str]
    out: Path
    text: str
    written: bool
    superseded: list[Path]
    counts: dict[str, int]
    report_only: bool = False
    method_problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = []
        c = self.counts
        lines.append(
            f"catalogue: {c['programmes']} programmes, {c['classes']} classes, "
            f"{c['categories']} categories, {c['fields']} fields, "
            f"{c['progressions']} derived class progressions"
        )
        by_level = ", ".join(f"{LEVELS[k].zh} {n}" for k, n in c["by_level"].items())
        lines.append(f"  programmes by level: {by_level}; state-controlled (K): {c['k']}")
        issues = c["data_issues"]
        lines.append(f"  rows marked with rt:dataIssue: {issues}")
        for w in self.catalogue.warnings:
            lines.append(f"  warning: {w}")
        lines.append(_report_text(self.report))
        n_miss = len(self.notes.en_missing)
        lines.append(
            f"English labels: {n_miss} missing" + (" (validation will flag them)" if n_miss else "")
        )
        for item in self.notes.en_missing[:20]:
            lines.append(f"  no en label: {item}")
        if n_miss > 20:
            lines.append(f"  … and {n_miss - 20} more")
        if self.notes.en_carried:
            lines.append(
                f"  {len(self.notes.en_carried)} en labels carried over from the current graph"
            )
            for item in self.notes.en_carried:
                if "check it" in item:
                    lines.append(f"  carried over: {item}")
        for p in self.en_problems:
            lines.append(f"  en-labels: {p}")
        if self.notes.carried_triples or self.notes.carried_aliases:
            lines.append(
                f"carried over by code: {self.notes.carried_aliases} hand-added aliases, "
                f"{self.notes.carried_triples} other hand-added triples"
            )
        extra = [
            d
            for d in self.notes.dropped
            if d not in {f"prog-{c}" for c, _, _ in self.report.removed}
            and d not in {f"class-{c}" for c, _, _ in self.report.classes_removed}
        ]
        for d in extra:
            lines.append(f"  not re-created (not in the CSV): {d}")
        if self.report_only:
            lines.append(f"report only: nothing written (would write {self.out})")
        elif self.written:
            lines.append(f"wrote {self.out}")
        else:
            lines.append(f"{self.out} is unchanged")
        for problem in self.method_problems:
            lines.append(f"NOTE: {problem}")
        for old in self.superseded:
            lines.append(
                f"NOTE: {old} is superseded by {self.out.name}; delete it (its hand-added "
                "content was carried over) so that the graph holds one edition"
            )
        return "\n".join(line for line in lines if line)


def _report_text(rep: UpdateReport) -> str:
    if rep.first_import:
        return "update report: no current catalogue in the graph (first import)"
    if not rep.changed:
        return "update report: no programmes or classes added, renamed or removed"
    out = [
        f"update report: {len(rep.added)} added, {len(rep.renamed)} renamed, "
        f"{len(rep.removed)} removed programmes; {len(rep.classes_added)} added, "
        f"{len(rep.classes_renamed)} renamed, {len(rep.classes_removed)} removed classes"
    ]
    for code, name, level in rep.added:
        out.append(f"  ADDED     prog-{code} {name} ({level})")
    for code, old, new in rep.renamed:
        out.append(f"  RENAMED   prog-{code} {old} → {new}")
    for code, old, files in rep.removed:
        refs = f"; still referenced in {', '.join(files)}" if files else ""
        out.append(f"  REMOVED   prog-{code} {old}{refs}")
    for code, name in rep.classes_added:
        out.append(f"  ADDED     class-{code} {name}")
    for code, old, new in rep.classes_renamed:
        out.append(f"  RENAMED   class-{code} {old} → {new}")
    for code, old, files in rep.classes_removed:
        refs = f"; still referenced in {', '.join(files)}" if files else ""
        out.append(f"  REMOVED   class-{code} {old}{refs}")
    return "\n".join(out)


HEADER = """GENERATED by `rongtong import-catalogue` (kg/importers/catalogue.py) from
ontology/imports/{csv} and ontology/imports/en-labels/{{programmes,classes,categories}}.csv.
职业教育专业目录（{edition}年）: fields, categories, classes, programmes and derived class progressions.
Do not hand-edit the importer's properties: change the CSVs and re-run (see kg/importers/README.md).
Properties you add by hand (notes, extra aliases, definitions) are carried over on re-import."""


def import_catalogue(
    csv_path: Path | str,
    *,
    ontology_dir: Path | None = None,
    edition: str = "2021",
    out: Path | None = None,
    as_of: str | None = None,
    source: str | None = None,
    en_dir: Path | None = None,
    report_only: bool = False,
) -> CatalogueResult:
    """Read the CSV, compare with the current graph, build and (unless report_only) write the Turtle."""
    ontology_dir = Path(ontology_dir) if ontology_dir else default_ontology_dir()
    csv_path = Path(csv_path)
    out = Path(out) if out else ontology_dir / "catalogue" / f"programmes-{edition}.ttl"
    en_dir = Path(en_dir) if en_dir else ontology_dir / "imports" / "en-labels"
    as_of = as_of or AS_OF_DEFAULT.get(edition, edition)
    source = source or SOURCE_DEFAULT.format(edition=edition)

    cat = read_catalogue(csv_path)
    current_files = sorted((ontology_dir / "catalogue").glob("programmes-[0-9]*.ttl"))
    if out.is_file() and out.resolve() not in {f.resolve() for f in current_files}:
        current_files.append(out)
    current = load_current(current_files) if current_files else None
    report = compare(cat, current, ontology_dir)
    g, notes, en_problems = build_graph(
        cat, edition=edition, as_of=as_of, source=source, en_dir=en_dir, current=current
    )
    text = turtle_document(
        g,
        HEADER.format(csv=csv_path.name, edition=edition),
        [
            (
                "fields (专业大类 names shared by the three levels)",
                lambda s: local_name(s).startswith("field-"),
            ),
            ("programme categories (专业大类)", lambda s: local_name(s).startswith("cat-")),
            ("programme classes (专业类)", lambda s: local_name(s).startswith("class-")),
            ("programmes (专业)", lambda s: local_name(s).startswith("prog-")),
            (
                "derived class progressions (same field at the next level)",
                lambda s: local_name(s).startswith("classprog-"),
            ),
        ],
    )
    written = False if report_only else write_text(out, text)
    superseded = (
        [f for f in current_files if f.resolve() != out.resolve()] if not report_only else []
    )
    by_level = {k: sum(1 for p in cat.programmes.values() if p.level == k) for k in LEVELS}
    counts = {
        "programmes": len(cat.programmes),
        "classes": len(cat.classes),
        "categories": len(cat.categories),
        "fields": len(cat.fields),
        "progressions": len(class_progressions(cat)),
        "by_level": by_level,
        "k": sum(1 for p in cat.programmes.values() if p.k),
        "data_issues": sum(1 for p in cat.programmes.values() if p.issues)
        + sum(1 for c in cat.classes.values() if c.issues),
    }
    problems = method_description_problems(
        ontology_dir, CLASSPROG_METHOD, CLASSPROG_METHOD_ZH, CLASSPROG_METHOD_EN
    )
    return CatalogueResult(
        cat,
        report,
        notes,
        en_problems,
        out,
        text,
        written,
        superseded,
        counts,
        report_only,
        problems,
    )
