"""Derive candidate programme → occupation links by an explainable lexical method.

For every programme of the catalogue that has no curated or official occupation link yet, find the
occupations whose names share the most distinctive wording with the programme's name, and write up
to ``TOP_K`` of them as ``rt:OccupationLink`` with ``rt:basis rt:derived``, ``rt:derivedBy`` the
method (``METHOD``, an ``rt:DerivationMethod`` described once in ``ontology/data/methods.ttl``) and
the score. They are candidates for an editor to confirm (by writing a curated link), not
statements; their confidence is "low".

The method (``METHOD_EN`` / ``METHOD_ZH`` say the same in one paragraph; they are the
``skos:definition`` of ``METHOD`` in ``data/methods.ttl``, and the summary says when the two differ):

1. Words: each name is cut into words with jieba (stock dictionary only, HMM off, so the result
   is stable); runs of one-character words (words jieba does not know: 增|材, 运|维) are joined;
   generic words (``GENERIC``: 技术, 人员, 工程 …; in programme names also ``PROGRAMME_GENERIC``:
   管理, 服务, 应用, 智能 …) and the occupational suffix of a longer word (员, 工, 师 …) are dropped;
   the rest become character bigrams *within* words (飞机|设备 gives 飞机, 设备 but not 机设).
2. Weights: a bigram weighs its inverse document frequency over the occupations (bigrams of the
   occupation's name and its 小类 name): rare wording counts more than common wording.
3. Programme side: the programme name, plus its class name (without 类) at ``CLASS_WEIGHT``.
4. Similarity s(P, O) of two weighted bigram sets: shared weight (the smaller of the two weights of
   each shared bigram) as a share of P's total (coverage of the programme) and of O's total
   (coverage of the occupation), combined as coverage_P^``P_EXP`` × coverage_O^(1−``P_EXP``).
5. Score = max(s(programme, occupation name), ``GROUP_WEIGHT`` × s(programme, 小类 name)): a
   programme named like a whole 小类 (护理 ~ 护理人员) reaches every occupation in it; ties go to
   the better name match, then to the lower code.
6. Keep candidates with score ≥ ``MIN_SCORE``, at most ``TOP_K`` per programme.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.importers.common import (
    EN_LABEL_ORIGIN,
    decimal_literal,
    default_ontology_dir,
    load_en_labels,
    local_name,
    method_description_problems,
    parse_turtle,
    read_csv,
    turtle_document,
    write_text,
)
from kg.importers.occupations import HIER_COLUMNS, OCC_COLUMNS
from kg.vocab import DCTERMS, RDF, RT, RTD, SKOS

__all__ = ["DeriveResult", "Scorer", "derive_links", "curated_programmes"]

GENERIC = ("技术", "人员", "工程", "专业", "其他", "有关", "相关")
PROGRAMME_GENERIC = ("管理", "服务", "应用", "操作", "智能", "智慧", "现代")
SUFFIXES = ("员", "工", "师", "者", "家")
CLASS_WEIGHT = 0.3
GROUP_WEIGHT = 0.8
P_EXP = 0.6
MIN_SCORE = Decimal("0.45")
TOP_K = 3
AS_OF = "2026-11"
DERIVED_FILE = "occupation-links-derived.ttl"
CONFIDENCE = "low"
SOURCES = ("src-moe-catalogue-2021", "src-occupation-2022-draft")
METHOD = RTD["method-lexical-occupation-candidates"]
"""The rt:DerivationMethod every derived link names (rt:derivedBy); defined in data/methods.ttl."""

METHOD_EN = (
    "lexical candidate: names cut into words with jieba (dictionary only; runs of one-character words "
    f"joined); generic words dropped ({'、'.join(GENERIC)}; in programme names also "
    f"{'、'.join(PROGRAMME_GENERIC)}) and a longer word's last character if it is {'/'.join(SUFFIXES)}; "
    "character bigrams within words, weighted by inverse document frequency over the occupations. "
    f"Programme name (+ its class name at weight {CLASS_WEIGHT}) against the occupation name, and at "
    f"weight {GROUP_WEIGHT} against its 小类 name, the higher counting; similarity = (shared weight / "
    f"programme weight)^{P_EXP} × (shared weight / occupation weight)^{1 - P_EXP:.1f}; "
    f"top {TOP_K} with score ≥ {MIN_SCORE}. A candidate to confirm, not a statement."
)
METHOD_ZH = (
    "词面推导候选：用 jieba（仅词典）分词（连续单字合并）；去掉通用词（"
    + "、".join(GENERIC)
    + "；专业名称另去掉"
    + "、".join(PROGRAMME_GENERIC)
    + "）及较长词末尾的"
    + "/".join(SUFFIXES)
    + f"；取词内字二元组，按其在职业中的逆文档频率加权。专业名称（另加权重 {CLASS_WEIGHT} 的专业类名称）"
    f"对职业名称、并以权重 {GROUP_WEIGHT} 对其小类名称，取较高者；相似度 = (共有权重/专业权重)^{P_EXP} × "
    f"(共有权重/职业权重)^{1 - P_EXP:.1f}；每个专业取得分 ≥ {MIN_SCORE} 的前 {TOP_K} 个。仅为候选，须人工确认。"
)

_GENERIC_RE = re.compile("|".join(GENERIC))
_PROGRAMME_GENERIC_RE = re.compile("|".join(GENERIC + PROGRAMME_GENERIC))
_SEPARATORS = set("与和及、()（）·/ ")


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba tokenizer with the stock dictionary, so that words other code adds to the
    global one (e.g. the advisor's aliases) cannot change the derived links."""
    import jieba

    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=20000)
def bigrams(text: str, programme: bool = False) -> frozenset[str]:
    """The method's bigrams of a name (steps 1 of the module docstring)."""
    words: list[str] = []
    run = ""  # consecutive one-character words (words jieba does not know: 增|材, 运|维) join up
    for word in _jieba().cut(text, HMM=False):
        if len(word) == 1 and word not in _SEPARATORS:
            run += word
            continue
        words += [run, word] if run else [word]
        run = ""
    if run:
        words.append(run)
    out: set[str] = set()
    for word in words:
        for piece in (_PROGRAMME_GENERIC_RE if programme else _GENERIC_RE).split(word):
            if len(piece) >= 3 and piece.endswith(SUFFIXES):
                piece = piece[:-1]
            if len(piece) >= 2:
                out.update(piece[i : i + 2] for i in range(len(piece) - 1))
    return frozenset(out)


class Scorer:
    """IDF weights over the occupations, and the score of (programme, occupation)."""

    def __init__(self, occupations: list[tuple[str, str, str]]):
        """``occupations``: (code, name, 小类 name)."""
        self.occupations = occupations
        docs = [bigrams(name) | bigrams(group) for _code, name, group in occupations]
        self.df = Counter(b for d in docs for b in d)
        self.n = len(docs)
        self._vecs = [
            (code, name, self.vector(name), self.vector(group)) for code, name, group in occupations
        ]
        self._index: dict[str, set[int]] = {}  # bigram -> occupations whose name or 小类 has it
        for i, (_c, _n, nv, gv) in enumerate(self._vecs):
            for b in nv.keys() | gv.keys():
                self._index.setdefault(b, set()).add(i)

    def idf(self, b: str) -> float:
        return math.log((self.n + 1) / (self.df.get(b, 0) + 1)) + 1.0

    def vector(
        self, text: str, context: str = "", context_weight: float = 0.0, programme: bool = False
    ) -> dict[str, float]:
        v = (
            {b: context_weight * self.idf(b) for b in bigrams(context, programme)}
            if context
            else {}
        )
        v.update({b: self.idf(b) for b in bigrams(text, programme)})
        return v

    @staticmethod
    def similarity(p: dict[str, float], o: dict[str, float]) -> float:
        shared = sum(min(p[b], o[b]) for b in p.keys() & o.keys())
        if not shared:
            return 0.0
        cov_p = shared / sum(p.values())
        cov_o = shared / sum(o.values())
        return cov_p**P_EXP * cov_o ** (1 - P_EXP)

    def candidates(
        self, name: str, class_name: str, k: int | None = None, min_score: Decimal | None = None
    ) -> list[tuple[Decimal, str, str]]:
        """Top-k (score, occupation code, occupation name) for a programme (defaults: the
        module's TOP_K and MIN_SCORE)."""
        k = TOP_K if k is None else k
        min_score = MIN_SCORE if min_score is None else min_score
        context = class_name[:-1] if class_name.endswith("类") else class_name
        p = self.vector(name, context, CLASS_WEIGHT, programme=True)
        if not p:
            return []
        scored = []
        hits = set().union(*(self._index.get(b, set()) for b in p))
        for i in sorted(hits):
            code, oname, nv, gv = self._vecs[i]
            by_name = self.similarity(p, nv)
            score = max(by_name, GROUP_WEIGHT * self.similarity(p, gv))
            rounded = Decimal(score).quantize(Decimal("0.001"))
            if rounded >= min_score:
                scored.append((rounded, round(by_name, 6), code, oname))
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
        return [(s, code, oname) for s, _n, code, oname in scored[:k]]


def curated_programmes(ontology_dir: Path) -> set[str]:
    """Programme local names that already have a curated or official occupation link
    (in ``links/occupation-links*.ttl``, the derived file excepted)."""
    out: set[str] = set()
    links = ontology_dir / "links"
    if not links.is_dir():
        return out
    files = [p for p in sorted(links.glob("occupation-links*.ttl")) if p.name != DERIVED_FILE]
    g = parse_turtle(files)
    for link in g.subjects(RDF.type, RT.OccupationLink):
        if set(g.objects(link, RT.basis)) & {RT.curated, RT.official}:
            for prog in g.objects(link, RT.programme):
                out.add(local_name(prog))
    return out


@dataclass
class DeriveResult:
    out: Path
    text: str
    written: bool
    programmes: int
    skipped_curated: int
    with_candidates: int
    links: int
    by_level: dict[str, tuple[int, int]] = field(default_factory=dict)  # level -> (with, of)
    en_missing: int = 0
    method_problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        considered = self.programmes - self.skipped_curated
        pct = 100.0 * self.with_candidates / considered if considered else 0.0
        lines = [
            f"derived links: {self.links} candidate links for {self.with_candidates} of {considered} "
            f"programmes without a curated link ({pct:.1f}%); {self.skipped_curated} programmes skipped "
            f"(they have curated/official links); {self.programmes} programmes in all",
        ]
        for level, (w, n) in self.by_level.items():
            lines.append(f"  {level}: {w} of {n} with ≥1 candidate")
        if self.en_missing:
            lines.append(
                f"  {self.en_missing} links lack an English label (a programme or occupation "
                "has no English name yet)"
            )
        for problem in self.method_problems:
            lines.append(f"NOTE: {problem}")
        lines.append(f"wrote {self.out}" if self.written else f"{self.out} unchanged")
        return "\n".join(lines)


HEADER = """GENERATED by `rongtong derive-links` (kg/importers/derive_links.py) from the programme
catalogue and the occupation classification CSVs in ontology/imports/. Candidate programme →
occupation links by a lexical method (rt:derivedBy names it; its skos:definition in
ontology/data/methods.ttl says exactly how), for programmes that have no curated or official link
in ontology/links/. Do not hand-edit: to confirm or reject a candidate, write a curated link in
links/occupation-links-curated.ttl and re-run `rongtong derive-links`."""


def derive_links(
    *,
    ontology_dir: Path | None = None,
    catalogue_csv: Path | None = None,
    occupation_csv: Path | None = None,
    hierarchy_csv: Path | None = None,
    out: Path | None = None,
    en_dir: Path | None = None,
    write: bool = True,
    skip_curated: bool = True,
) -> DeriveResult:
    from kg.importers.catalogue import LEVELS, read_catalogue

    ontology_dir = Path(ontology_dir) if ontology_dir else default_ontology_dir()
    imports = ontology_dir / "imports"
    catalogue_csv = Path(catalogue_csv or imports / "moe_vocational_major_catalog_2021.csv")
    occupation_csv = Path(occupation_csv or imports / "occupation_classification_2022_draft.csv")
    hierarchy_csv = Path(hierarchy_csv or imports / "occupation_classification_2022_hierarchy.csv")
    out = Path(out) if out else ontology_dir / "links" / "occupation-links-derived.ttl"
    en_dir = Path(en_dir) if en_dir else imports / "en-labels"

    cat = read_catalogue(catalogue_csv)
    occ_rows = read_csv(occupation_csv, OCC_COLUMNS)
    groups = {r["code"]: r["name"] for r in read_csv(hierarchy_csv, HIER_COLUMNS)}
    occupations = [
        (r["occupation_code"], r["occupation_name"], groups.get(r["small_code"], r["small_name"]))
        for r in occ_rows
    ]
    scorer = Scorer(occupations)
    en_occ = load_en_labels(
        en_dir,
        ["occupations"] + sorted(p.stem for p in en_dir.glob("occupations-*.csv"))
        if en_dir.is_dir()
        else ["occupations"],
    )
    en_prog = load_en_labels(en_dir, ["programmes"])
    skip = curated_programmes(ontology_dir) if skip_curated else set()

    g = Graph()
    sources = [RTD[s] for s in SOURCES]
    with_candidates = links = en_missing = skipped = 0
    by_level: dict[str, list[int]] = {LEVELS[k].zh: [0, 0] for k in LEVELS}
    for code, prog in sorted(cat.programmes.items()):
        if f"prog-{code}" in skip:
            skipped += 1
            continue
        level = LEVELS[prog.level].zh
        by_level[level][1] += 1
        class_name = cat.classes[prog.class_code].name if prog.class_code in cat.classes else ""
        found = scorer.candidates(prog.name, class_name)
        if found:
            with_candidates += 1
            by_level[level][0] += 1
        for score, occ_code, occ_name in found:
            s = RTD[f"occlink-{code}-{occ_code}"]
            links += 1
            g.add((s, RDF.type, RT.OccupationLink))
            g.add((s, SKOS.prefLabel, Literal(f"{prog.name} → {occ_name} (推导候选)", lang="zh")))
            pe, oe = en_prog.get(code, prog.name), en_occ.get(occ_code, occ_name)
            if pe and oe:
                g.add((s, SKOS.prefLabel, Literal(f"{pe} → {oe} (derived candidate)", lang="en")))
                g.add((s, RT.enLabelOrigin, EN_LABEL_ORIGIN))
            else:
                en_missing += 1
            g.add((s, RT.programme, RTD[f"prog-{code}"]))
            g.add((s, RT.occupation, RTD[f"occ-{occ_code}"]))
            g.add((s, RT.basis, RT.derived))
            g.add((s, RT.derivedBy, METHOD))
            g.add((s, RT.score, decimal_literal(score, 3)))
            for src in sources:
                g.add((s, DCTERMS.source, src))
            g.add((s, RT.asOf, Literal(AS_OF)))
            g.add((s, RT.confidence, Literal(CONFIDENCE)))

    text = turtle_document(
        g,
        HEADER,
        [("derived programme → occupation candidates", lambda s: True)],
        sort_key=_link_key,
    )
    written = write_text(out, text) if write else False
    problems = method_description_problems(ontology_dir, METHOD, METHOD_ZH, METHOD_EN)
    return DeriveResult(
        out,
        text,
        written,
        len(cat.programmes),
        skipped,
        with_candidates,
        links,
        {k: (v[0], v[1]) for k, v in by_level.items()},
        en_missing,
        problems,
    )


def _link_key(s: URIRef) -> tuple:
    local = local_name(s)
    return (local,)
