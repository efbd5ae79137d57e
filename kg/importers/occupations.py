"""Import the 2022 occupation classification (职业分类大典 2022, public-comment draft) into Turtle.

Inputs: ``occupation_classification_2022_draft.csv`` (one row per occupation/细类 with its 大类,
中类 and 小类 and the draft's S/L marks) and ``occupation_classification_2022_hierarchy.csv``
(``level,code,name`` for the 8 大类, 79 中类 and 449 小类). English labels come from
``ontology/imports/en-labels/occupation-groups.csv`` and ``occupations-*.csv`` (``code,zh,en``).

Output: ``ontology/catalogue/occupations-2022.ttl`` with ``occgrp-<code>`` (rt:OccupationGroup,
rt:groupLevel, skos:broader up the tree) and ``occ-<code>`` (rt:Occupation, rt:group = its 小类,
rt:digital / rt:green when the draft marks them).

Rows that look damaged are kept as published and marked with ``rt:dataIssue`` (never repaired by
guess):

- a name that looks cut short where the source PDF wrapped: at least ``CUT_MIN_LENGTH`` characters
  (every cut name seen is 12–13 long) and not ending like an occupation name (人员, 员, 师, 工 …,
  see ``TYPICAL_ENDINGS``); the message quotes the ending its siblings share, when they share one;
- a code ending in ``-00`` although its 小类 has other, numbered occupations (-00 means "the 小类
  is not subdivided");
- a code whose prefix does not match its 小类 (or a 小类 missing from the hierarchy, or names that
  differ between the two files).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal

from kg.importers.common import (
    EN_LABEL_ORIGIN,
    ImportError_,
    default_ontology_dir,
    load_en_labels,
    local_name,
    read_csv,
    turtle_document,
    write_text,
)
from kg.vocab import DCTERMS, RDF, RT, RTD, SKOS

__all__ = [
    "CUT_MIN_LENGTH",
    "TYPICAL_ENDINGS",
    "OccupationResult",
    "cut_short",
    "import_occupations",
    "read_occupations",
]

OCC_COLUMNS = [
    "major_code",
    "major_name",
    "mid_code",
    "mid_name",
    "small_code",
    "small_name",
    "occupation_code",
    "occupation_name",
    "digital_S_in_draft",
    "green_L_in_draft",
]
HIER_COLUMNS = ["level", "code", "name"]
GROUP_LEVELS = {"大类": 0, "中类": 1, "小类": 2}
EDITION = "2022 public-comment draft"
SOURCE = "src-occupation-2022-draft"
AS_OF = "2022"
CONFIDENCE = "medium-high"

CUT_MIN_LENGTH = 12
TYPICAL_ENDINGS = (
    "人员",
    "员",
    "师",
    "工",
    "士",
    "家",
    "者",
    "医",
    "官",
    "兵",
    "匠",
    "手",
    "生",
    ")",
    "）",
    "负责人",
    "经纪人",
    "经理人",
    "代理人",
    "公估人",
    "主持人",
    "制片人",
    "发行人",
    "制作人",
    "艺人",
    "司机",
    "编辑",
    "记者",
    "翻译",
    "秘书",
    "导演",
    "导游",
    "模特",
    "裁缝",
    "管家",
    "董事",
    "经理",
)


@dataclass
class Group:
    code: str
    name: str
    level: str
    issues: list[tuple[str, str]] = field(default_factory=list)

    @property
    def parent(self) -> str | None:
        return self.code.rsplit("-", 1)[0] if "-" in self.code else None


@dataclass
class Occ:
    code: str
    name: str
    small: str
    digital: bool
    green: bool
    issues: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, zh, en)


@dataclass
class Classification:
    groups: dict[str, Group]
    occupations: dict[str, Occ]
    warnings: list[str] = field(default_factory=list)


def _shared_ending(names: list[str]) -> str | None:
    """The longest ending (2–6 characters) that most of ``names`` share."""
    if len(names) < 2:
        return None
    for n in range(6, 1, -1):
        counts = Counter(name[-n:] for name in names if len(name) > n)
        if counts:
            ending, k = counts.most_common(1)[0]
            if k * 2 > len(names):
                return ending
    return None


def cut_short(name: str, sibling_names: list[str] | None = None) -> tuple[str, str] | None:
    """(zh, en) explanation when ``name`` looks cut short, else None."""
    if len(name) < CUT_MIN_LENGTH or name.endswith(TYPICAL_ENDINGS):
        return None
    ending = _shared_ending(sibling_names or [])
    hint_zh = hint_en = ""
    if ending and not name.endswith(ending):
        partial = next(
            (ending[:i] for i in range(len(ending) - 1, 0, -1) if name.endswith(ending[:i])), ""
        )
        hint_zh = f"；同小类名称多以「{ending}」结尾" + (
            f"，此名止于其前半「{partial}」" if partial else ""
        )
        hint_en = f"; most names in its 小类 end in '{ending}'" + (
            f", and this one stops at '{partial}'" if partial else ""
        )
    return (
        f"名称疑似被截断（{len(name)} 字，不以人员/员/师/工等常见结尾{hint_zh}）；按原样保留，未修补",
        f"name looks cut short ({len(name)} characters, no usual ending such "
        f"as 人员/员/师/工{hint_en}); kept as published, not repaired",
    )


def read_occupations(occ_csv: Path | str, hier_csv: Path | str) -> Classification:
    occ_csv, hier_csv = Path(occ_csv), Path(hier_csv)
    hrows = read_csv(hier_csv, HIER_COLUMNS)
    rows = read_csv(occ_csv, OCC_COLUMNS)
    cl = Classification({}, {})
    for i, r in enumerate(hrows, start=2):
        level, code, name = r["level"], r["code"], r["name"]
        if level not in GROUP_LEVELS:
            raise ImportError_(f"{hier_csv.name}:{i}: level {level!r} is not 大类/中类/小类")
        if not re.fullmatch(r"\d(-\d\d){" + str(GROUP_LEVELS[level]) + "}", code):
            raise ImportError_(f"{hier_csv.name}:{i}: code {code!r} does not fit level {level}")
        if code in cl.groups:
            raise ImportError_(f"{hier_csv.name}:{i}: group code {code} appears twice")
        cl.groups[code] = Group(code, name, level)
    for g in cl.groups.values():
        if g.parent and g.parent not in cl.groups:
            g.issues.append(
                (
                    f"上级类别 {g.parent} 不在层级表中",
                    f"parent group {g.parent} is missing from the hierarchy",
                )
            )

    by_small: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_small[r["small_code"]].append(r)
    name_checks = {"major_code": "major_name", "mid_code": "mid_name", "small_code": "small_name"}
    for i, r in enumerate(rows, start=2):
        code, name, small = r["occupation_code"], r["occupation_name"], r["small_code"]
        where = f"{occ_csv.name}:{i}"
        if not re.fullmatch(r"\d-\d\d-\d\d-\d\d", code):
            raise ImportError_(f"{where}: occupation code {code!r} is not like 4-04-05-05")
        if code in cl.occupations:
            raise ImportError_(f"{where}: occupation code {code} appears twice")
        if not name:
            raise ImportError_(f"{where}: occupation {code} has no name")
        occ = Occ(code, name, small, r["digital_S_in_draft"] == "1", r["green_L_in_draft"] == "1")
        # the code's prefix must be its 小类, the 小类 in the hierarchy, the names the same
        if (
            not code.startswith(small + "-")
            or not small.startswith(r["mid_code"] + "-")
            or not r["mid_code"].startswith(r["major_code"] + "-")
        ):
            occ.issues.append(
                (
                    "prefix",
                    f"代码 {code} 与所属类别（{r['major_code']} / {r['mid_code']} / {small}）前缀不一致；按原样保留",
                    f"code {code} does not match the prefix of its groups ({r['major_code']} / "
                    f"{r['mid_code']} / {small}); kept as published",
                )
            )
        if small not in cl.groups:
            occ.issues.append(
                (
                    "group",
                    f"所属小类 {small} 不在层级表中",
                    f"its 小类 {small} is missing from the hierarchy",
                )
            )
        for ccol, ncol in name_checks.items():
            g = cl.groups.get(r[ccol])
            if g and g.name != r[ncol]:
                msg = (
                    f"{where}: {r[ccol]} is named {r[ncol]!r} here but {g.name!r} in the hierarchy"
                )
                if msg not in cl.warnings:
                    cl.warnings.append(msg)
        # -00 although the 小类 has numbered occupations
        if code.endswith("-00"):
            numbered = sorted(
                x["occupation_code"]
                for x in by_small[small]
                if not x["occupation_code"].endswith("-00")
            )
            if numbered:
                others = "、".join(
                    f"{c} {x['occupation_name']}"
                    for c in numbered
                    for x in by_small[small]
                    if x["occupation_code"] == c
                )
                occ.issues.append(
                    (
                        "code-00",
                        f"细类代码以 -00 结尾，但同一小类还有编号的职业（{others}）；-00 通常表示小类不再细分，疑为提取错误，按原样保留",
                        f"code ends in -00 although its 小类 has numbered occupations ({', '.join(numbered)}); "
                        "-00 normally means an undivided 小类, so this looks like an extraction slip; kept as published",
                    )
                )
        siblings = [x["occupation_name"] for x in by_small[small] if x["occupation_code"] != code]
        group = cl.groups.get(small)
        cut = cut_short(name, siblings + ([group.name] if group else []))
        if cut:
            occ.issues.append(("cut", *cut))
        cl.occupations[code] = occ
    for g in cl.groups.values():
        siblings = [x.name for x in cl.groups.values() if x.parent == g.parent and x.code != g.code]
        cut = cut_short(g.name, siblings)
        if cut:
            g.issues.append(cut)
    return cl


@dataclass
class OccupationResult:
    classification: Classification
    out: Path
    text: str
    written: bool
    en_missing: list[str]
    en_problems: list[str]
    counts: dict[str, object]

    def summary(self) -> str:
        c = self.counts
        lines = [
            f"occupations: {c['occupations']} occupations, {c['groups']} groups "
            f"({c['by_level']}); digital (S) {c['digital']}, green (L) {c['green']}",
            f"  rows marked with rt:dataIssue: {c['marked']} occupations, {c['groups_marked']} groups",
        ]
        for kind, n in sorted(c["issues_by_kind"].items()):
            lines.append(f"    {kind}: {n}")
        for code, occ in sorted(self.classification.occupations.items()):
            for kind, _zh, _en in occ.issues:
                lines.append(f"    {kind:<8} occ-{code} {occ.name}")
        for w in self.classification.warnings:
            lines.append(f"  warning: {w}")
        lines.append(
            f"English labels: {len(self.en_missing)} missing"
            + (" (validation will flag them)" if self.en_missing else "")
        )
        for item in self.en_missing[:20]:
            lines.append(f"  no en label: {item}")
        if len(self.en_missing) > 20:
            lines.append(f"  … and {len(self.en_missing) - 20} more")
        for p in self.en_problems:
            lines.append(f"  en-labels: {p}")
        lines.append(f"wrote {self.out}" if self.written else f"{self.out} unchanged")
        return "\n".join(lines)


ISSUE_KIND_EN = {
    "cut": "name looks cut short",
    "code-00": "code -00 beside numbered siblings",
    "prefix": "code prefix does not match its group",
    "group": "group missing from hierarchy",
}

HEADER = """GENERATED by `rongtong import-occupations` (kg/importers/occupations.py) from
ontology/imports/{occ} and {hier}, and ontology/imports/en-labels/occupation*.csv.
中华人民共和国职业分类大典（2022年版）public-comment draft: 8 大类, 79 中类, 449 小类 and the occupations (细类).
Damaged-looking rows are kept as published and marked with rt:dataIssue. Do not hand-edit: re-run the importer."""


def _en_label_names(en_dir: Path) -> list[str]:
    names = ["occupation-groups"]
    names += sorted(p.stem for p in en_dir.glob("occupations*.csv")) if en_dir.is_dir() else []
    return names or ["occupations"]


def import_occupations(
    occ_csv: Path | str,
    hier_csv: Path | str,
    *,
    ontology_dir: Path | None = None,
    out: Path | None = None,
    en_dir: Path | None = None,
    write: bool = True,
) -> OccupationResult:
    ontology_dir = Path(ontology_dir) if ontology_dir else default_ontology_dir()
    out = Path(out) if out else ontology_dir / "catalogue" / "occupations-2022.ttl"
    en_dir = Path(en_dir) if en_dir else ontology_dir / "imports" / "en-labels"
    cl = read_occupations(occ_csv, hier_csv)
    en = load_en_labels(en_dir, _en_label_names(en_dir))
    en_missing: list[str] = []
    g = Graph()
    src = RTD[SOURCE]

    def common(s, zh: str, code: str) -> None:
        g.add((s, SKOS.prefLabel, Literal(zh, lang="zh")))
        label = en.get(code, zh)
        if label:
            g.add((s, SKOS.prefLabel, Literal(label, lang="en")))
            g.add((s, RT.enLabelOrigin, EN_LABEL_ORIGIN))
        else:
            en_missing.append(f"{local_name(s)} {zh}")
        g.add((s, SKOS.notation, Literal(code)))
        g.add((s, RT.edition, Literal(EDITION)))
        g.add((s, DCTERMS.source, src))
        g.add((s, RT.asOf, Literal(AS_OF)))
        g.add((s, RT.confidence, Literal(CONFIDENCE)))

    for code, grp in sorted(cl.groups.items()):
        s = RTD[f"occgrp-{code}"]
        g.add((s, RDF.type, RT.OccupationGroup))
        common(s, grp.name, code)
        g.add((s, RT.groupLevel, Literal(grp.level)))
        if grp.parent and grp.parent in cl.groups:
            g.add((s, SKOS.broader, RTD[f"occgrp-{grp.parent}"]))
        for zh, en_text in grp.issues:
            g.add((s, RT.dataIssue, Literal(zh, lang="zh")))
            g.add((s, RT.dataIssue, Literal(en_text, lang="en")))
    for code, occ in sorted(cl.occupations.items()):
        s = RTD[f"occ-{code}"]
        g.add((s, RDF.type, RT.Occupation))
        common(s, occ.name, code)
        if occ.small in cl.groups:
            g.add((s, RT.group, RTD[f"occgrp-{occ.small}"]))
        if occ.digital:
            g.add((s, RT.digital, Literal(True)))
        if occ.green:
            g.add((s, RT.green, Literal(True)))
        for _kind, zh, en_text in occ.issues:
            g.add((s, RT.dataIssue, Literal(zh, lang="zh")))
            g.add((s, RT.dataIssue, Literal(en_text, lang="en")))

    text = turtle_document(
        g,
        HEADER.format(occ=Path(occ_csv).name, hier=Path(hier_csv).name),
        [
            (
                "occupation groups (大类 / 中类 / 小类)",
                lambda s: local_name(s).startswith("occgrp-"),
            ),
            ("occupations (细类)", lambda s: local_name(s).startswith("occ-")),
        ],
        sort_key=_code_key,
    )
    written = write_text(out, text) if write else False
    kinds: Counter[str] = Counter()
    for occ in cl.occupations.values():
        for kind, _zh, _en in occ.issues:
            kinds[ISSUE_KIND_EN.get(kind, kind)] += 1
    counts = {
        "occupations": len(cl.occupations),
        "groups": len(cl.groups),
        "by_level": ", ".join(
            f"{lv} {sum(1 for x in cl.groups.values() if x.level == lv)}" for lv in GROUP_LEVELS
        ),
        "digital": sum(o.digital for o in cl.occupations.values()),
        "green": sum(o.green for o in cl.occupations.values()),
        "marked": sum(1 for o in cl.occupations.values() if o.issues),
        "groups_marked": sum(1 for x in cl.groups.values() if x.issues),
        "issues_by_kind": dict(kinds),
    }
    return OccupationResult(cl, out, text, written, en_missing, en.mismatches + en.problems, counts)


def _code_key(s) -> tuple:
    """Sort occgrp-/occ- subjects by their code (numbers compare as numbers)."""
    local = local_name(s)
    kind, _, code = local.partition("-")
    return (kind, tuple(int(x) for x in code.split("-") if x.isdigit()), local)
