"""Synthetic graphs shaped like Rongtong's real one, for the scale benchmark (never committed data).

One *replica* is a graph the size and shape of the shipped one: 15 stages and the routes between
them (``rt:from``/``rt:to``/``rt:mechanism``/``rt:years`` with conditions, exams, regions, validity
and sources), transfers and skill-to-title routes, the 2021 programme catalogue's fields,
categories, classes and programmes with derived class progressions, the 2022 occupation groups and
occupations, programme-to-occupation links (curated and derived), credentials and their links,
interests and fits, sourced facts, misconceptions and comparison systems. The codes and Chinese
names come from ``ontology/imports/*.csv`` when present (else they are made up), so literal sizes
and fan-outs are the real ones.

``N×`` is N replicas with distinct IRIs (replica 0 keeps the canonical local names, e.g.
``rtd:stage-junior-secondary``; replica r appends ``-r<r>``) sharing the vocabulary, the
mechanisms, the derivation methods, ``region-national`` and the national sources; about 10 % of occupation links and
interest fits point into another replica, so the graph is one connected whole and unanchored
queries see all of it. Named queries bound to replica 0's IRIs return the same rows at every
size, so what grows is only what the store has to search through.

Deterministic: the same ``(replicas, seed)`` always writes the same bytes.

    python -m bench.synth --replicas 10 --out /tmp/synth.nt
    python -m bench.synth --triples 1000000 --format ttl --out /tmp/synth.ttl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "RT",
    "RTD",
    "Lit",
    "SynthGraph",
    "generate",
    "replicas_for_triples",
    "triples_per_replica",
    "iter_blocks",
    "write_graph",
    "write_synth",
]

RT = "https://w3id.org/rongtong/ns#"
RTD = "https://w3id.org/rongtong/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {
    "rt": RT,
    "rtd": RTD,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "ceterms": "https://purl.org/ctdl/terms/",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
IMPORTS = REPO_ROOT / "ontology" / "imports"
VOCAB = REPO_ROOT / "ontology" / "vocab" / "rongtong.ttl"


class Lit(tuple):
    """A literal: (text, lang, datatype IRI); at most one of lang and datatype."""

    __slots__ = ()

    def __new__(cls, text: object, lang: str | None = None, dt: str | None = None) -> Lit:
        return tuple.__new__(cls, (str(text), lang, dt))


def _zh(text: str) -> Lit:
    return Lit(text, "zh")


def _en(text: str) -> Lit:
    return Lit(text, "en")


def _dec(value: float) -> Lit:
    return Lit(f"{value:g}" if "." in f"{value:g}" else f"{value:g}.0", None, XSD + "decimal")


def _int(value: int) -> Lit:
    return Lit(str(value), None, XSD + "integer")


def _bool(value: bool) -> Lit:
    return Lit("true" if value else "false", None, XSD + "boolean")


def _date(value: str) -> Lit:
    return Lit(value, None, XSD + "date")


# One subject's triples: (subject IRI, [(predicate CURIE, object), ...]); an object is an IRI
# string or a Lit.
Block = tuple[str, list[tuple[str, object]]]


# ------------------------------------------------------------------ source tables (real counts)


@dataclass
class _Tables:
    programmes: list[dict[str, str]]
    groups: list[dict[str, str]]
    occupations: list[dict[str, str]]
    facts: list[dict[str, str]]
    en: dict[str, str] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _made_up_tables(rng: random.Random) -> _Tables:
    """Tables with the real catalogue's counts when the CSVs are absent (358/744/247 programmes,
    8/79/449 groups, 1,636 occupations, 39 facts)."""
    programmes = []
    for level, base, count in (
        ("secondary", 61, 358),
        ("associate", 41, 744),
        ("bachelor", 21, 247),
    ):
        for i in range(count):
            cat = base + i % 19
            cls = cat * 100 + 1 + (i // 19) % 5
            programmes.append(
                {"education_level": level, "category_code": str(cat), "category_name": f"大类{cat}",
                 "class_code": str(cls), "class_name": f"专业类{cls}",
                 "major_code": f"{cls}{i % 97 + 1:02d}", "major_name": f"专业{cls}-{i}",
                 "state_controlled_K": "Y" if rng.random() < 0.04 else "N"}
            )  # fmt: skip
    groups, occupations = [], []
    for a in range(1, 9):
        groups.append({"level": "大类", "code": str(a), "name": f"大类{a}"})
        for b in range(10):
            groups.append({"level": "中类", "code": f"{a}-{b:02d}", "name": f"中类{a}-{b}"})
            for c in range(6):
                groups.append({"level": "小类", "code": f"{a}-{b:02d}-{c:02d}", "name": f"小类{c}"})
                for d in range(4):
                    occupations.append(
                        {"occupation_code": f"{a}-{b:02d}-{c:02d}-{d:02d}", "occupation_name": f"职业{a}{b}{c}{d}",
                         "small_code": f"{a}-{b:02d}-{c:02d}", "digital_S_in_draft": "0", "green_L_in_draft": "0"}
                    )  # fmt: skip
    facts = [
        {"fact_id": f"F{i:02d}", "topic": "统计", "claim_zh": f"事实{i}：某项统计数字为{i * 37}",
         "value": str(i * 37), "unit": "所", "as_of": "2022"}
        for i in range(1, 40)
    ]  # fmt: skip
    return _Tables(programmes, groups, occupations[:1636], facts)


def _tables(rng: random.Random, imports: Path = IMPORTS) -> _Tables:
    try:
        programmes = _read_csv(imports / "moe_vocational_major_catalog_2021.csv")
        groups = _read_csv(imports / "occupation_classification_2022_hierarchy.csv")
        occupations = _read_csv(imports / "occupation_classification_2022_draft.csv")
        facts = _read_csv(imports / "key_facts.csv")
    except (FileNotFoundError, csv.Error, UnicodeDecodeError):
        return _made_up_tables(rng)
    en: dict[str, str] = {}
    for path in sorted((imports / "en-labels").glob("*.csv")):
        try:
            for row in _read_csv(path):
                if row.get("code") and row.get("en"):
                    en[row["code"]] = row["en"]
        except (csv.Error, UnicodeDecodeError):
            continue
    return _Tables(programmes, groups, occupations, facts, en)


# ------------------------------------------------------------------ the fixed core

LEVEL_STAGE = {
    "secondary": "stage-secondary-vocational",
    "associate": "stage-higher-vocational",
    "bachelor": "stage-vocational-bachelor",
}

# slug, zh, en, ISCED level, track, broader (abstract) stage
STAGES = [
    ("junior-secondary", "初中", "Junior secondary school", 2, "general", None),
    ("general-senior", "普通高中", "General senior secondary school", 3, "general", None),
    ("secondary-vocational", "中等职业教育", "Secondary vocational education", 3, "vocational", None),
    ("comprehensive-high", "综合高中", "Comprehensive high school", 3, "comprehensive", None),
    ("skilled-intermediate", "技工院校中级工班", "Skilled-worker school, intermediate class", 3, "vocational", None),
    ("skilled-advanced", "技工院校高级工班", "Skilled-worker school, advanced class", 4, "vocational", None),
    ("preparatory-technician", "预备技师班", "Preparatory technician class", 5, "vocational", None),
    ("higher-vocational", "高职专科", "Higher vocational college (associate)", 5, "vocational", None),
    ("bachelor", "本科", "Bachelor's level", 6, "general", None),
    ("vocational-bachelor", "职业本科", "Vocational bachelor's degree", 6, "vocational", "bachelor"),
    ("general-bachelor", "普通本科", "General bachelor's degree", 6, "general", "bachelor"),
    ("master", "硕士研究生", "Master's level", 7, "general", None),
    ("academic-master", "学术学位硕士", "Academic master's degree", 7, "general", "master"),
    ("professional-master", "专业学位硕士", "Professional master's degree", 7, "vocational", "master"),
    ("doctorate", "博士研究生", "Doctorate", 8, "general", None),
]  # fmt: skip

MECHANISMS = [
    ("zhongkao", "中考", "Senior secondary entrance exam (zhongkao)"),
    ("gaokao", "普通高考", "National college entrance exam (gaokao)"),
    ("vocational-gaokao", "职教高考", "Vocational college entrance exam"),
    ("3plus2", "中高职贯通(3+2)", "Integrated secondary-higher vocational (3+2)"),
    ("five-year", "五年一贯制", "Five-year integrated programme"),
    ("3plus4", "中本贯通(3+4)", "Integrated secondary-bachelor (3+4)"),
    ("zhuanshengben", "专升本", "Associate-to-bachelor upgrade (zhuanshengben)"),
    ("postgraduate-exam", "研究生考试", "Postgraduate entrance exam"),
    ("equivalent-qualification", "同等学力", "Equivalent qualification"),
    ("transfer", "普职互转", "Transfer between tracks"),
    ("comprehensive-choice", "综合高中分流选择", "Track choice in a comprehensive high school"),
    ("credit-bank", "学分银行", "Credit bank"),
    ("skill-title", "技能等级与职称贯通", "Skill level to professional title"),
    ("separate-admission", "单独招生", "Separate admission"),
    ("comprehensive-evaluation", "综合评价招生", "Comprehensive evaluation admission"),
    ("technical-skills-exemption", "技能拔尖人才免试", "Exam exemption for top skills"),
    ("adult-education", "成人高考", "Adult higher education exam"),
    ("self-study-exam", "自学考试", "Higher education self-study exam"),
    ("dual-registration", "一校双籍", "Dual registration"),
]

# the derivation methods the derived links name (rt:derivedBy), described once like data/methods.ttl
DERIVATION_METHODS = [
    ("lexical-occupation-candidates", "专业→职业词面推导候选（推导方法）",
     "Lexical programme → occupation candidates (derivation method)"),
    ("aligned-class-codes", "专业类代码对齐（推导方法）",
     "Aligned programme-class codes (derivation method)"),
]  # fmt: skip

# from stage, to stage, mechanism, years, region (None: national), class (Route/Transfer/TitleRoute)
ROUTES = [
    ("junior-secondary", "general-senior", "zhongkao", 3, None, "Route"),
    ("junior-secondary", "secondary-vocational", "zhongkao", 3, None, "Route"),
    ("junior-secondary", "skilled-intermediate", "zhongkao", 3, None, "Route"),
    ("junior-secondary", "comprehensive-high", "zhongkao", 3, "chengdu", "Route"),
    ("junior-secondary", "higher-vocational", "five-year", 5, None, "Route"),
    ("junior-secondary", "general-bachelor", "3plus4", 7, "shanghai", "Route"),
    ("junior-secondary", "vocational-bachelor", "3plus4", 7, "jiangsu", "Route"),
    ("general-senior", "general-bachelor", "gaokao", 4, None, "Route"),
    ("general-senior", "vocational-bachelor", "gaokao", 4, None, "Route"),
    ("general-senior", "higher-vocational", "gaokao", 3, None, "Route"),
    ("secondary-vocational", "higher-vocational", "vocational-gaokao", 3, None, "Route"),
    ("secondary-vocational", "higher-vocational", "3plus2", 2, None, "Route"),
    ("secondary-vocational", "vocational-bachelor", "vocational-gaokao", 4, None, "Route"),
    ("secondary-vocational", "general-bachelor", "vocational-gaokao", 4, None, "Route"),
    ("comprehensive-high", "general-bachelor", "gaokao", 4, "chengdu", "Route"),
    ("comprehensive-high", "higher-vocational", "vocational-gaokao", 3, "chengdu", "Route"),
    ("comprehensive-high", "secondary-vocational", "comprehensive-choice", 2, "chengdu", "Transfer"),
    ("skilled-intermediate", "skilled-advanced", "skill-title", 2, None, "Route"),
    ("skilled-intermediate", "higher-vocational", "vocational-gaokao", 3, None, "Route"),
    ("skilled-advanced", "preparatory-technician", "skill-title", 1, None, "Route"),
    ("higher-vocational", "general-bachelor", "zhuanshengben", 2, None, "Route"),
    ("higher-vocational", "vocational-bachelor", "zhuanshengben", 2, None, "Route"),
    ("higher-vocational", "professional-master", "equivalent-qualification", 3, None, "Route"),
    ("general-bachelor", "academic-master", "postgraduate-exam", 3, None, "Route"),
    ("general-bachelor", "professional-master", "postgraduate-exam", 2, None, "Route"),
    ("vocational-bachelor", "professional-master", "postgraduate-exam", 2, None, "Route"),
    ("vocational-bachelor", "academic-master", "postgraduate-exam", 3, None, "Route"),
    ("academic-master", "doctorate", "postgraduate-exam", 4, None, "Route"),
    ("professional-master", "doctorate", "postgraduate-exam", 4, None, "Route"),
    ("secondary-vocational", "general-senior", "transfer", 2, "shandong", "Transfer"),
    ("general-senior", "secondary-vocational", "transfer", 2, "shandong", "Transfer"),
    ("secondary-vocational", "general-senior", "transfer", 2, "weifang", "Transfer"),
    ("higher-vocational", "general-bachelor", "credit-bank", 2, "shanghai", "Route"),
    ("secondary-vocational", "higher-vocational", "five-year", 2, "jiangsu", "Route"),
    ("general-senior", "higher-vocational", "vocational-gaokao", 3, "shandong", "Route"),
    ("skilled-advanced", "higher-vocational", "vocational-gaokao", 3, "shandong", "Route"),
]  # fmt: skip

# slug, zh, en, part of (None: national)
REGIONS = [
    ("shanghai", "上海", "Shanghai", None),
    ("sichuan", "四川", "Sichuan", None),
    ("chengdu", "成都", "Chengdu", "sichuan"),
    ("shandong", "山东", "Shandong", None),
    ("weifang", "潍坊", "Weifang", "shandong"),
    ("jiangsu", "江苏", "Jiangsu", None),
    ("germany", "德国", "Germany", None),
    ("finland", "芬兰", "Finland", None),
    ("guangdong", "广东", "Guangdong", None),
    ("guangzhou", "广州", "Guangzhou", "guangdong"),
    ("zhejiang", "浙江", "Zhejiang", None),
    ("ningbo", "宁波", "Ningbo", "zhejiang"),
    ("tianjin", "天津", "Tianjin", None),
    ("beijing", "北京", "Beijing", None),
    ("chongqing", "重庆", "Chongqing", None),
    ("hubei", "湖北", "Hubei", None),
    ("wuhan", "武汉", "Wuhan", "hubei"),
]

INSTITUTIONS = [
    ("zhongzhuan", "普通中专", "Secondary specialised school", "secondary-vocational"),
    ("zhigao", "职业高中", "Vocational high school", "secondary-vocational"),
    ("jigong", "技工学校", "Skilled-worker school", "skilled-intermediate"),
    ("jishi", "技师学院", "Technician college", "preparatory-technician"),
    ("gaozhi", "高职专科院校", "Higher vocational college", "higher-vocational"),
    ("vocational-university", "职业大学", "Vocational university", "vocational-bachelor"),
    ("university", "普通高等学校", "University", "general-bachelor"),
    ("comprehensive-high", "综合高中", "Comprehensive high school", "comprehensive-high"),
]

SHARED_SOURCES = [
    ("moe-catalogue-2021", "职业教育专业目录(2021年)", "Vocational education programme catalogue (2021)", "official"),
    ("occupation-2022-draft", "职业分类大典(2022年版)公示稿", "Occupation classification (2022), draft", "official"),
    ("rongtong-curation", "融通整理", "Rongtong curation", "curation"),
    ("rongtong-translation", "融通翻译", "Rongtong translation", "curation"),
    ("isced-2011", "国际教育标准分类 2011", "ISCED 2011", "standard"),
    ("vocational-education-law-2022", "中华人民共和国职业教育法(2022修订)", "Vocational Education Law (2022)", "law"),
    ("paper-000", "论文 0", "Paper 0", "academic"),
    ("paper-001", "论文 1", "Paper 1", "academic"),
    ("paper-002", "论文 2", "Paper 2", "academic"),
    ("paper-003", "论文 3", "Paper 3", "academic"),
    ("paper-004", "论文 4", "Paper 4", "academic"),
]  # fmt: skip

INTERESTS = [
    ("machines", "机械", "Machines", "46"), ("computers", "电脑", "Computers", "51"),
    ("caring", "照护", "Caring for people", "52"), ("drawing", "绘画", "Drawing", "55"),
    ("cooking", "烹饪", "Cooking", "54"), ("plants", "植物", "Plants", "41"),
    ("cars", "汽车", "Cars", "50"), ("building", "建筑", "Building", "44"),
    ("business", "经商", "Business", "53"), ("electronics", "电子", "Electronics", "51"),
    ("travel", "旅游", "Travel", "54"), ("sports", "体育", "Sports", "57"),
]  # fmt: skip

MISCONCEPTIONS = [
    ("dead-end", "读职校就是死路一条", "Vocational school is a dead end"),
    ("no-degree", "职校生拿不到本科学历", "Vocational students cannot get a bachelor's degree"),
    ("bad-jobs", "职校毕业只能干体力活", "Vocational graduates only get manual jobs"),
    ("no-master", "职业本科不能考研", "Vocational bachelors cannot sit the postgraduate exam"),
    ("unequal-law", "法律上职校低人一等", "Vocational students have lower legal standing"),
    ("no-transfer", "进了中职就转不回普高", "No way back from secondary vocational to general"),
    ("low-pay", "技术工人收入低", "Skilled workers are poorly paid"),
    ("no-exam", "职业本科是不用考试的", "Vocational bachelor's needs no exam"),
    (
        "foreign-better",
        "国外职业教育和我们没法比",
        "Foreign vocational education is not comparable",
    ),
]

CREDENTIALS = [
    # slug, class, zh, en, rank, ladder
    ("skill-level-5", "SkillLevel", "初级工", "Junior worker", 1, "skill"),
    ("skill-level-4", "SkillLevel", "中级工", "Intermediate worker", 2, "skill"),
    ("skill-level-3", "SkillLevel", "高级工", "Senior worker", 3, "skill"),
    ("skill-level-2", "SkillLevel", "技师", "Technician", 4, "skill"),
    ("skill-level-1", "SkillLevel", "高级技师", "Senior technician", 5, "skill"),
    ("special-technician", "SkillLevel", "特级技师", "Special-grade technician", 6, "skill"),
    ("chief-technician", "SkillLevel", "首席技师", "Chief technician", 7, "skill"),
    ("1plusx", "Certificate", "1+X职业技能等级证书", "1+X vocational skill certificate", None, None),
    ("secondary-diploma", "Degree", "中专毕业证书", "Secondary vocational diploma", 1, "degree"),
    ("associate-diploma", "Degree", "专科毕业证书", "Associate diploma", 2, "degree"),
    ("vocational-bachelor-degree", "Degree", "职业本科学士学位", "Vocational bachelor's degree", 3, "degree"),
    ("bachelor-degree", "Degree", "学士学位", "Bachelor's degree", 3, "degree"),
    ("professional-master-degree", "Degree", "专业硕士学位", "Professional master's degree", 4, "degree"),
    ("nurse-licence", "Licence", "护士执业资格", "Nurse licence", None, None),
    ("teacher-licence", "Licence", "教师资格证", "Teacher certificate", None, None),
    ("electrician-licence", "Licence", "特种作业操作证(电工)", "Electrician permit", None, None),
]  # fmt: skip

TITLES = [
    ("assistant-engineer", "助理工程师", "Assistant engineer", "skill-level-3", 2),
    ("engineer", "工程师", "Engineer", "skill-level-2", 3),
    ("senior-engineer", "高级工程师", "Senior engineer", "skill-level-1", 4),
]

SYSTEMS = [
    ("germany-dual", "德国双元制", "German dual system", "germany"),
    ("finland-uas", "芬兰应用科技大学", "Finnish universities of applied sciences", "finland"),
]

CONFIDENCE = ("high", "high", "high", "medium-high", "medium", "low")
AS_OF = ("2021-03", "2022", "2022-05-01", "2023", "2024", "2025-12", "n.d.")


# ------------------------------------------------------------------ generation


@dataclass
class SynthGraph:
    """What :func:`generate` made: the triples (as subject blocks) and IRIs to bind queries to."""

    replicas: int
    seed: int
    blocks: list[Block]
    anchors: dict[str, list[str]]  # kind -> IRIs of replica 0 (canonical local names)

    @property
    def triples(self) -> int:
        return sum(len(props) for _, props in self.blocks)


def _rtd(local: str) -> str:
    return RTD + local


def _sourced(rng: random.Random, *sources: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("dcterms:source", s) for s in sources]
    out.append(("rt:asOf", Lit(rng.choice(AS_OF))))
    out.append(("rt:confidence", Lit(rng.choice(CONFIDENCE))))
    return out


def _labels(zh: str, en: str) -> list[tuple[str, object]]:
    return [("skos:prefLabel", _zh(zh)), ("skos:prefLabel", _en(en))]


def _shared(rng: random.Random) -> tuple[list[Block], dict[str, str]]:
    """Blocks shared by all replicas: sources, mechanisms, derivation methods, region-national."""
    blocks: list[Block] = []
    src = {}
    for slug, zh, en, kind in SHARED_SOURCES:
        iri = _rtd(f"src-{slug}")
        src[slug] = iri
        blocks.append(
            (iri, [("rdf:type", RT + "Source"), ("dcterms:title", _zh(zh)), ("dcterms:title", _en(en)),
                   *_labels(zh, en), ("schema:url", Lit(f"https://example.org/sources/{slug}")),
                   ("rt:sourceType", Lit(kind)), ("rt:asOf", Lit(rng.choice(AS_OF)))]
             + ([("dcterms:identifier", Lit(f"doc-{slug}")), ("dcterms:creator", Lit("教育部")),
                 ("dcterms:rights", _en("public document")), ("dcterms:license", Lit("n.d."))]
                if kind in ("official", "law") else []))
        )  # fmt: skip
    for slug, zh, en in MECHANISMS:
        blocks.append(
            (_rtd(f"mech-{slug}"),
             [("rdf:type", RT + "Mechanism"), *_labels(zh, en),
              ("skos:definition", _zh(f"{zh}：从一个教育阶段进入下一阶段的方式。")),
              ("skos:definition", _en(f"{en}: a way from one education stage to the next.")),
              *_sourced(rng, src["rongtong-curation"])])
        )  # fmt: skip
    for slug, zh, en in DERIVATION_METHODS:
        blocks.append(
            (_rtd(f"method-{slug}"),
             [("rdf:type", RT + "DerivationMethod"), *_labels(zh, en),
              ("skos:definition", _zh(f"{zh}：如何计算推导关联及其得分。")),
              ("skos:definition", _en(f"{en}: how the derived links and their scores are computed.")),
              ("rt:scoreMeaning", _zh("0 到 1 之间；仅用于排序候选。")),
              ("rt:scoreMeaning", _en("Between 0 and 1; it only ranks candidates.")),
              *_sourced(rng, src["rongtong-curation"])])
        )  # fmt: skip
    blocks.append(
        (_rtd("region-national"), [("rdf:type", RT + "Region"), *_labels("全国", "National")])
    )
    return blocks, src


def _replica(
    r: int, replicas: int, rng: random.Random, tables: _Tables, src: dict[str, str]
) -> tuple[list[Block], dict[str, list[str]]]:
    """One replica's blocks and its IRIs by kind."""
    sfx = "" if r == 0 else f"-r{r}"
    tag = "" if r == 0 else f" {r}"

    def iri(local: str) -> str:
        return RTD + local + sfx

    def other(local: str) -> str:
        """The same local name in a random replica (cross-replica links)."""
        k = rng.randrange(replicas)
        return RTD + local + ("" if k == 0 else f"-r{k}")

    blocks: list[Block] = []
    kinds: dict[str, list[str]] = {}

    def add(kind: str, subject: str, props: list[tuple[str, object]]) -> None:
        blocks.append((subject, props))
        kinds.setdefault(kind, []).append(subject)

    curation, law = src["rongtong-curation"], src["vocational-education-law-2022"]
    # replica-specific sources (regional policy documents)
    for i in range(76):
        props = [("rdf:type", RT + "Source"), *_labels(f"政策文件与报道{i}{tag}", f"Policy document or report {i}{tag}"),
                 ("schema:url", Lit(f"https://example.org/policy/{r}/{i}")),
                 ("rt:sourceType", Lit(rng.choice(("official", "news", "academic", "explainer")))),
                 ("rt:asOf", Lit(rng.choice(AS_OF)))]  # fmt: skip
        if i % 2 == 0:
            props.append(
                ("dcterms:date", Lit(f"20{rng.randrange(10, 26)}-0{rng.randrange(1, 10)}"))
            )
        if i % 5 == 0:
            props.append(
                ("skos:note", _en(f"Read through a news page; original not verified.{tag}"))
            )
        add("source", iri(f"src-policy-{i:02d}"), props)
    policy = kinds["source"]

    # regions
    for slug, zh, en, parent in REGIONS:
        props = [("rdf:type", RT + "Region"), *_labels(zh + tag, en + tag)]
        props.append(("rt:partOf", iri(f"region-{parent}") if parent else _rtd("region-national")))
        add("region", iri(f"region-{slug}"), props)

    # stages
    for slug, zh, en, isced, track, broader in STAGES:
        props = [("rdf:type", RT + "EducationStage"), *_labels(zh + tag, en + tag),
                 ("skos:altLabel", _zh(zh[:2] + tag)),
                 ("skos:definition", _zh(f"{zh}阶段。")), ("skos:definition", _en(f"The {en} stage.")),
                 ("rt:iscedLevel", _int(isced)), ("rt:track", Lit(track)),
                 *_sourced(rng, src["isced-2011"])]  # fmt: skip
        if broader:
            props.append(("skos:broader", iri(f"stage-{broader}")))
        if slug.startswith("skilled") or slug == "preparatory-technician":
            props += [("rt:countsAs", iri("stage-secondary-vocational" if slug == "skilled-intermediate"
                                          else "stage-higher-vocational")),
                      ("rt:countsAsFor", _en("professional-title applications")),
                      ("rt:countsAsFor", _zh("职称评审"))]  # fmt: skip
        if slug in ("general-senior", "secondary-vocational", "comprehensive-high"):
            props.append(("skos:related", iri("stage-comprehensive-high" if slug != "comprehensive-high"
                                              else "stage-general-senior")))  # fmt: skip
        props += [
            ("skos:altLabel", _en(f"{en.lower()}{tag}")),
            ("skos:altLabel", _zh(f"读{zh}{tag}")),
        ]
        add("stage", iri(f"stage-{slug}"), props)

    for slug, zh, en, stage in INSTITUTIONS:
        add("institution", iri(f"inst-{slug}"),
            [("rdf:type", RT + "InstitutionType"), *_labels(zh + tag, en + tag),
             ("skos:altLabel", _zh(zh[-2:] + tag)), ("rt:providesStage", iri(f"stage-{stage}")),
             *_sourced(rng, curation)])  # fmt: skip

    # routes
    for i, (a, b, mech, years, region, cls) in enumerate(ROUTES):
        props = [("rdf:type", RT + cls), *_labels(f"{a}→{b}{tag}", f"{a} to {b}{tag}"),
                 ("rt:from", iri(f"stage-{a}")), ("rt:to", iri(f"stage-{b}")),
                 ("rt:mechanism", _rtd(f"mech-{mech}")), ("rt:years", _dec(years)),
                 ("rt:condition", _zh(f"须满足{mech}的报名条件{tag}")),
                 ("rt:condition", _en(f"Meet the {mech} entry requirements{tag}")),
                 ("rt:region", iri(f"region-{region}") if region else _rtd("region-national")),
                 *_sourced(rng, law if region is None else rng.choice(policy))]  # fmt: skip
        if mech in (
            "zhongkao",
            "gaokao",
            "vocational-gaokao",
            "postgraduate-exam",
            "zhuanshengben",
        ):
            props += [("rt:exam", _zh(f"{mech}考试")), ("rt:exam", _en(f"the {mech} exam"))]
        if region and cls == "Transfer":  # the years of a transfer are often unknown
            props = [pv for pv in props if pv[0] != "rt:years"]
        if mech == "postgraduate-exam" and i % 2:  # some sources give only a range of years
            props = [pv for pv in props if pv[0] != "rt:years"]
            props += [("rt:yearsMin", _dec(years)), ("rt:yearsMax", _dec(years + 1))]
        if mech == "postgraduate-exam" and i % 3 == 0:  # e.g. 同等学力: two years after the diploma
            props.append(("rt:waitYears", _dec(2)))
        if region:
            props.append(("rt:validFrom", _date(f"20{rng.randrange(15, 27)}-01-01")))
        if cls == "Transfer":
            props.append(("rt:timing", _zh("高一或高二上学期")))
            props.append(("rt:validUntil", _date("2030-12-31")))
        props.append(("rt:since", Lit(str(1985 + (i * 7) % 40))))
        add("route", iri(f"route-{i:02d}-{a}-{b}"), props)

    # catalogue: fields, categories, classes, programmes
    cat_seen: dict[str, str] = {}
    class_seen: dict[str, str] = {}
    field_seen: set[str] = set()
    for row in tables.programmes:
        cat_code, cls_code, code = row["category_code"], row["class_code"], row["major_code"]
        level = LEVEL_STAGE.get(row["education_level"], "stage-higher-vocational")
        field_code = f"{(int(cat_code) - 1) % 20 + 41:02d}" if cat_code.isdigit() else "41"
        name = row["category_name"].removesuffix("大类")
        if field_code not in field_seen:
            field_seen.add(field_code)
            add(
                "field",
                iri(f"field-{field_code}"),
                [
                    ("rdf:type", RT + "Field"),
                    *_labels(name + tag, tables.en.get(cat_code, name) + tag),
                ],
            )
        if cat_code not in cat_seen:
            cat_seen[cat_code] = iri(f"cat-{cat_code}")
            add("category", cat_seen[cat_code],
                [("rdf:type", RT + "ProgrammeCategory"),
                 *_labels(row["category_name"] + tag, tables.en.get(cat_code, row["category_name"]) + tag),
                 ("skos:notation", Lit(cat_code)), ("rt:level", iri(level)), ("rt:edition", Lit("2021")),
                 ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                 ("rt:field", iri(f"field-{field_code}")), *_sourced(rng, src["moe-catalogue-2021"])])  # fmt: skip
        if cls_code not in class_seen:
            class_seen[cls_code] = iri(f"class-{cls_code}")
            add("class", class_seen[cls_code],
                [("rdf:type", RT + "ProgrammeClass"),
                 *_labels(row["class_name"] + tag, tables.en.get(cls_code, row["class_name"]) + tag),
                 ("skos:notation", Lit(cls_code)), ("rt:category", cat_seen[cat_code]),
                 ("rt:level", iri(level)), ("rt:field", iri(f"field-{field_code}")), ("rt:edition", Lit("2021")),
                 ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                 *_sourced(rng, src["moe-catalogue-2021"])])  # fmt: skip
        name = row["major_name"]
        en = tables.en.get(code.rstrip("K"), f"Programme {code}")
        props = [("rdf:type", RT + "Programme"), *_labels(name + tag, en + tag),
                 ("skos:notation", Lit(code)), ("rt:programmeClass", class_seen[cls_code]),
                 ("rt:level", iri(level)),
                 ("rt:edition", Lit("2021")), ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                 *_sourced(rng, src["moe-catalogue-2021"])]  # fmt: skip
        if row.get("state_controlled_K", "N") == "Y":
            props.append(("rt:stateControlled", _bool(True)))
        if len(name) > 3 and rng.random() < 0.5:
            props.append(("skos:altLabel", _zh(name[:4] + tag)))
        if rng.random() < 0.04:
            props.append(("skos:note", _zh(f"目录原文如此，代码{code}。{tag}")))
        add("programme", iri(f"prog-{code}"), props)

    # derived class progressions: 6603 -> 4603 -> 2603 (aligned codes, same field next level)
    for code, cls_iri in class_seen.items():
        if not code.isdigit():
            continue
        nxt = f"{int(code[:2]) - 20:02d}{code[2:]}"
        if nxt in class_seen:
            add("classprog", iri(f"classprog-{code}-{nxt}"),
                [("rdf:type", RT + "ClassProgression"), ("rt:fromClass", cls_iri),
                 ("rt:toClass", class_seen[nxt]), ("rt:basis", RT + "derived"),
                 ("rt:derivedBy", _rtd("method-aligned-class-codes")), ("rt:score", _dec(1.0)),
                 *_sourced(rng, src["moe-catalogue-2021"])])  # fmt: skip

    # programme-level routes (3+2 and 3+4 between aligned programmes), a handful per replica
    progs = kinds["programme"]
    by_level: dict[str, list[str]] = {}
    for p, row in zip(progs, tables.programmes, strict=False):
        by_level.setdefault(row["education_level"], []).append(p)
    for i in range(12):
        a = rng.choice(by_level.get("secondary") or progs)
        b = rng.choice(by_level.get("associate") or progs)
        add("route", iri(f"route-prog-{i:02d}"),
            [("rdf:type", RT + "Route"), *_labels(f"中高职贯通{i}{tag}", f"Integrated 3+2 no. {i}{tag}"),
             ("rt:from", a), ("rt:to", b), ("rt:mechanism", _rtd("mech-3plus2")), ("rt:years", _dec(2)),
             ("rt:condition", _zh("转段考核合格")), ("rt:condition", _en("Pass the transition assessment")),
             ("rt:region", iri("region-jiangsu")), *_sourced(rng, rng.choice(policy))])  # fmt: skip

    # occupation groups and occupations
    for row in tables.groups:
        code = row["code"]
        level = row["level"]
        props = [("rdf:type", RT + "OccupationGroup"),
                 *_labels(row["name"] + tag, tables.en.get(code, row["name"]) + tag),
                 ("skos:notation", Lit(code)), ("rt:groupLevel", Lit(level)),
                 ("rt:edition", Lit("2022 public-comment draft")),
                 ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                 *_sourced(rng, src["occupation-2022-draft"])]  # fmt: skip
        if "-" in code:
            props.append(("skos:broader", iri(f"occgrp-{code.rsplit('-', 1)[0]}")))
        add("occgroup", iri(f"occgrp-{code}"), props)
    for row in tables.occupations:
        code = row["occupation_code"]
        name = row["occupation_name"]
        props = [("rdf:type", RT + "Occupation"), *_labels(name + tag, tables.en.get(code, name) + tag),
                 ("skos:notation", Lit(code)), ("rt:group", iri(f"occgrp-{row['small_code']}")),
                 ("rt:edition", Lit("2022 public-comment draft")),
                 ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                 *_sourced(rng, src["occupation-2022-draft"])]  # fmt: skip
        if rng.random() < 0.03:
            props.append(("rt:dataIssue", _en(f"name differs from the official edition{tag}")))
        if rng.random() < 0.05:
            props.append(("skos:note", _zh(f"公示稿新增职业。{tag}")))
        if row.get("digital_S_in_draft") == "1":
            props.append(("rt:digital", _bool(True)))
        if row.get("green_L_in_draft") == "1":
            props.append(("rt:green", _bool(True)))
        add("occupation", iri(f"occ-{code}"), props)

    # programme -> occupation links: 1-2 per programme; 10 % cross into another replica
    method = _rtd("method-lexical-occupation-candidates")  # described once (shared block)
    occ_codes = [row["occupation_code"] for row in tables.occupations]
    for p, row in zip(progs, tables.programmes, strict=False):
        for occ in {rng.choice(occ_codes) for _ in range(rng.choice((1, 1, 2, 2)))}:
            cross = replicas > 1 and rng.random() < 0.1
            target = other(f"occ-{occ}") if cross else iri(f"occ-{occ}")
            props = [
                ("rdf:type", RT + "OccupationLink"),
                *_labels(
                    f"{row['major_name']} → 职业{occ}{tag}",
                    f"Programme {row['major_code']} → {occ}{tag}",
                ),
                ("rt:programme", p),
                ("rt:occupation", target),
            ]
            if rng.random() < 0.22:
                props += [("rt:basis", RT + "curated"),
                          ("rt:rationale", _zh(f"本专业学习{row['major_name']}相关技能，毕业生可从事该职业。{tag}")),
                          ("rt:rationale", _en(f"The programme teaches the skills this occupation needs.{tag}")),
                          *_sourced(rng, curation, src["moe-catalogue-2021"])]  # fmt: skip
            else:
                props += [("rt:basis", RT + "derived"), ("rt:derivedBy", method),
                          ("rt:score", _dec(round(rng.uniform(0.45, 0.95), 3))),
                          ("rt:enLabelOrigin", _en("project translation, unreviewed")),
                          *_sourced(rng, src["moe-catalogue-2021"], src["occupation-2022-draft"])]  # fmt: skip
            local = f"occlink-{row['major_code']}-{occ}" + ("-x" if cross else "")
            add("occlink", iri(local), props)

    # credentials, titles and their links
    for slug, cls, zh, en, rank, ladder in CREDENTIALS:
        props = [("rdf:type", RT + cls), *_labels(zh + tag, en + tag), ("rt:issuer", Lit("人社部门")),
                 *_sourced(rng, curation)]  # fmt: skip
        if rank is not None:
            props += [("rt:rank", _int(rank)), ("rt:ladder", Lit(ladder))]
        if cls == "Degree":
            props.append(("rt:awardedAt", iri(f"stage-{rng.choice(STAGES)[0]}")))
        if cls == "Licence":
            group = rng.choice([g["code"] for g in tables.groups if g["code"].count("-") == 2])
            props.append(("rt:requiredFor", iri(f"occgrp-{group}")))
            props.append(("rt:requiredFor", iri(f"occ-{rng.choice(occ_codes)}")))
        add("credential", iri(f"cred-{slug}"), props)
    skills = [c for c in CREDENTIALS if c[1] == "SkillLevel"]
    for (a, *_), (b, *_) in zip(skills, skills[1:], strict=False):
        blocks.append((iri(f"cred-{a}"), [("rt:nextLevel", iri(f"cred-{b}"))]))
    for slug, zh, en, _cred, rank in TITLES:
        add("title", iri(f"title-{slug}"),
            [("rdf:type", RT + "ProfessionalTitle"), *_labels(zh + tag, en + tag), ("rt:rank", _int(rank)),
             ("rt:ladder", Lit("engineering")), *_sourced(rng, curation)])  # fmt: skip
    for i, (slug, _, _, cred, rank) in enumerate(TITLES):
        add("route", iri(f"route-title-{i}"),
            [("rdf:type", RT + "TitleRoute"), *_labels(f"技能贯通{i}{tag}", f"Skill to title {i}{tag}"),
             ("rt:from", iri(f"cred-{cred}")), ("rt:to", iri(f"title-{slug}")),
             ("rt:mechanism", _rtd("mech-skill-title")), ("rt:years", _dec(rank)),
             ("rt:condition", _zh(f"取得后满{rank}年")), ("rt:region", _rtd("region-national")),
             *_sourced(rng, law)])  # fmt: skip
    creds = kinds["credential"]
    occs = kinds["occupation"]
    for i in range(640):
        # a third each: to a programme, to a programme class, to an occupation
        target = (
            ("rt:programme", rng.choice(progs))
            if i % 3 == 0
            else (
                ("rt:programme", rng.choice(kinds["class"]))
                if i % 3 == 1
                else ("rt:occupation", rng.choice(occs))
            )
        )
        add("credlink", iri(f"credlink-{i:03d}"),
            [("rdf:type", RT + "CredentialLink"), target,
             *_labels(f"相关证书{i}{tag}", f"Relevant credential {i}{tag}"),
             ("rt:credential", rng.choice(creds)), ("rt:basis", RT + "curated"),
             ("rt:rationale", _zh(f"从事该工作通常需要或有助于取得此证书。{tag}")),
             ("rt:rationale", _en(f"Usually required for, or helpful in, this work.{tag}")),
             *_sourced(rng, curation, rng.choice(policy))])  # fmt: skip

    # interests and fits
    fields = kinds["field"]
    classes = kinds["class"]
    interests = INTERESTS + [(f"{slug}-{k}", f"{zh}{k}", f"{en} {k}", fcode)
                             for k in (2, 3) for slug, zh, en, fcode in INTERESTS][:17]  # fmt: skip
    for slug, zh, en, fcode in interests:
        interest = iri(f"interest-{slug}")
        add("interest", interest, [("rdf:type", RT + "Interest"), *_labels(zh + tag, en + tag),
                                   ("skos:altLabel", _zh(f"喜欢{zh}{tag}")),
                                   ("skos:definition", _zh(f"对{zh}感兴趣或擅长。{tag}"))])  # fmt: skip
        targets = [iri(f"field-{fcode}") if iri(f"field-{fcode}") in fields else fields[0]]
        targets += rng.sample(classes, 7)
        for t in targets:
            t = other(t[len(RTD) :].split("-r")[0]) if rng.random() < 0.1 else t
            add("fit", iri(f"fit-{slug}-{t[len(RTD):]}"),
                [("rdf:type", RT + "InterestFit"), ("rt:interest", interest), ("rt:fits", t),
                 *_labels(f"{zh} → 专业领域{tag}", f"{en} → field{tag}"),
                 ("rt:basis", RT + "curated"), ("rt:rationale", _zh(f"喜欢{zh}的人适合这一领域。{tag}")),
                 ("rt:rationale", _en(f"People who like {en.lower()} tend to enjoy this field.{tag}")),
                 *_sourced(rng, curation)])  # fmt: skip

    # facts: the key facts and about twice as many from the papers
    stages = kinds["stage"]
    about_pool = stages + kinds["route"][:10] + [_rtd(f"mech-{m[0]}") for m in MECHANISMS]
    facts = []
    for row in tables.facts:
        fid = row["fact_id"]
        f_iri = iri(f"fact-{fid}")
        props = [("rdf:type", RT + "Fact"), ("rt:factId", Lit(fid)),
                 ("rt:claim", _zh(row["claim_zh"] + tag)), ("rt:claim", _en(f"Key fact {fid}{tag}")),
                 ("rt:topic", Lit(row["topic"])),
                 *[("rt:about", a) for a in set(rng.choices(about_pool, k=4))],
                 *_sourced(rng, law if rng.random() < 0.3 else rng.choice(policy))]  # fmt: skip
        if row.get("value"):
            props.append(("rt:value", Lit(row["value"])))
        if row.get("unit"):
            props.append(("rt:unit", Lit(row["unit"])))
        add("fact", f_iri, props)
        facts.append(f_iri)
    for i in range(54):
        paper = i % 5
        f_iri = iri(f"fact-P{paper:03d}-{i:03d}")
        add("fact", f_iri,
            [("rdf:type", RT + "Fact"), ("rt:factId", Lit(f"P{paper:03d}-{i:03d}")),
             ("rt:claim", _zh(f"论文{paper}的第{i}条发现：职业教育毕业生的就业与升学情况{tag}")),
             ("rt:claim", _en(f"Finding {i} of paper {paper} on vocational graduates' outcomes{tag}")),
             ("rt:topic", Lit("研究")), *[("rt:about", a) for a in set(rng.choices(about_pool, k=4))],
             *_sourced(rng, src[f"paper-{paper:03d}"])])  # fmt: skip
        facts.append(f_iri)

    for slug, zh, en in MISCONCEPTIONS:
        props = [("rdf:type", RT + "Misconception"), *_labels(zh + tag, en + tag),
                 ("skos:altLabel", _zh(zh[:6] + tag)),
                 ("skos:definition", _zh(f"常见看法：{zh}")), ("skos:definition", _en(f"A common belief: {en}"))]  # fmt: skip
        props += [("rt:answeredBy", f) for f in rng.sample(facts, 8)]
        props += [("rt:honestLimit", f) for f in rng.sample(facts, 2)]
        props += _sourced(rng, curation)
        add("misconception", iri(f"misc-{slug}"), props)

    for slug, zh, en, country in SYSTEMS:
        add("system", iri(f"system-{slug}"),
            [("rdf:type", RT + "EducationSystem"), *_labels(zh + tag, en + tag),
             ("rt:country", iri(f"region-{country}")), ("rt:comparableTo", iri("stage-higher-vocational")),
             *_sourced(rng, curation)])  # fmt: skip
    return blocks, kinds


def iter_blocks(
    replicas: int = 1,
    seed: int = 20261121,
    imports: Path = IMPORTS,
    anchors: dict[str, list[str]] | None = None,
) -> Iterator[Block]:
    """The synthetic graph's subject blocks, one replica at a time (constant memory per replica).
    When ``anchors`` is given it is filled with replica 0's IRIs by kind."""
    if replicas < 1:
        raise ValueError("replicas must be at least 1")
    rng = random.Random(seed)
    tables = _tables(random.Random(seed), imports)
    blocks, src = _shared(rng)
    if anchors is not None:
        anchors["mechanism"] = [_rtd(f"mech-{m[0]}") for m in MECHANISMS]
        anchors["source"] = list(src.values())
    yield from blocks
    for r in range(replicas):
        rb, kinds = _replica(r, replicas, random.Random(f"{seed}/{r}"), tables, src)
        if r == 0 and anchors is not None:
            for kind, iris in kinds.items():
                anchors.setdefault(kind, []).extend(iris)
        yield from rb


def generate(replicas: int = 1, seed: int = 20261121, imports: Path = IMPORTS) -> SynthGraph:
    """The synthetic graph of ``replicas`` replicas, in memory (see the module docstring)."""
    anchors: dict[str, list[str]] = {}
    blocks = list(iter_blocks(replicas, seed, imports, anchors))
    return SynthGraph(replicas, seed, blocks, anchors)


# ------------------------------------------------------------------ sizes

_PER_REPLICA: dict[int, int] = {}


def triples_per_replica(seed: int = 20261121) -> int:
    """Triples one replica adds (measured once by generating two graphs)."""
    if seed not in _PER_REPLICA:
        one = sum(len(props) for _, props in iter_blocks(1, seed))
        two = sum(len(props) for _, props in iter_blocks(2, seed))
        _PER_REPLICA[seed] = two - one
    return _PER_REPLICA[seed]


def replicas_for_triples(target: int, seed: int = 20261121) -> int:
    """The number of replicas whose graph comes nearest ``target`` triples."""
    return max(1, round(target / triples_per_replica(seed)))


# ------------------------------------------------------------------ serialisation


def _esc(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
    return text


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


_PRED_CACHE: dict[str, str] = {}


def _nt_obj(obj: object) -> str:
    if isinstance(obj, Lit):
        text, lang, dt = obj
        if lang:
            return f'"{_esc(text)}"@{lang}'
        if dt:
            return f'"{_esc(text)}"^^<{dt}>'
        return f'"{_esc(text)}"'
    return f"<{obj}>"


def _lines(blocks: Iterable[Block]) -> Iterator[str]:
    """N-Triples lines, one per triple (duplicates removed per subject block only)."""
    cache = _PRED_CACHE
    for subject, props in blocks:
        s = f"<{subject}> "
        for pred, obj in props:
            p = cache.get(pred)
            if p is None:
                p = cache[pred] = f"<{_expand(pred)}> "
            yield s + p + _nt_obj(obj) + " .\n"


def _ttl_term(obj: object) -> str:
    if isinstance(obj, Lit):
        return _nt_obj(obj)
    iri = str(obj)
    for prefix, ns in (("rtd", RTD), ("rt", RT)):
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if local.replace("-", "").replace("_", "").isalnum() and local[-1] not in ".-":
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _ttl(blocks: Iterable[Block]) -> Iterator[str]:
    yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"
    for subject, props in blocks:
        parts = []
        for pred, obj in props:
            parts.append(("a" if pred == "rdf:type" else pred) + " " + _ttl_term(obj))
        yield _ttl_term(subject) + " " + " ;\n    ".join(parts) + " .\n"


def write_graph(blocks: Iterable[Block], out: Path, fmt: str = "ttl", *, vocab: bool = True) -> int:
    """Write subject blocks (plus the vocabulary, as the real graph has it) to ``out``; return
    the number of triples written.

    ``fmt`` is ``ttl`` (Turtle with prefixes, like the real files) or ``nt`` (N-Triples).
    """
    if fmt not in ("nt", "ttl"):
        raise ValueError(f"format must be nt or ttl, not {fmt!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0

    def counted(blocks: Iterable[Block]) -> Iterator[Block]:
        nonlocal count
        for block in blocks:
            count += len(block[1])
            yield block

    chunks = _lines(counted(blocks)) if fmt == "nt" else _ttl(counted(blocks))
    with out.open("w", encoding="utf-8") as fh:
        buf: list[str] = []
        for chunk in chunks:
            buf.append(chunk)
            if len(buf) >= 20000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))
        if vocab and VOCAB.exists():
            count += _append_vocab(fh, fmt)
    return count


def write_synth(
    out: Path, replicas: int = 1, seed: int = 20261121, fmt: str = "ttl"
) -> tuple[int, dict[str, list[str]]]:
    """Generate and write a synthetic graph, streaming; return (triples, replica 0's anchors)."""
    anchors: dict[str, list[str]] = {}
    count = write_graph(iter_blocks(replicas, seed, anchors=anchors), out, fmt)
    return count, anchors


def _append_vocab(fh, fmt: str) -> int:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(VOCAB), format=ox.RdfFormat.TURTLE))
    text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                        format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
    fh.write("\n" + text.decode("utf-8"))
    return len(quads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--replicas", type=int, default=1, help="replicas of the real-shaped graph")
    size.add_argument("--triples", type=int, help="aim for about this many triples")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--format", choices=("nt", "ttl"), default="ttl")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    replicas = replicas_for_triples(args.triples, args.seed) if args.triples else args.replicas
    count, anchors = write_synth(args.out, replicas, args.seed, args.format)
    info = {"replicas": replicas, "triples": count, "path": str(args.out),
            "seconds": round(time.perf_counter() - start, 2),
            "anchors": {k: v[:3] for k, v in anchors.items()}}  # fmt: skip
    json.dump(info, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
