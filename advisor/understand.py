"""What a message is about: linked entities by kind, the roles of stages (from / to), and what it
says about the asker (the profile: stage, programme, interest, goal, region)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from advisor.knowledge import RTD, Knowledge
from advisor.linking import Mention

__all__ = ["Understanding", "understand", "programme_level", "LEVEL_BY_CODE"]

STAGE_KINDS = {"EducationStage"}
CRED_KINDS = {"Credential", "Degree", "Certificate", "Licence", "SkillLevel"}
ABROAD = {"region-germany", "region-finland"}

# Programme code ranges of the 2021 catalogue (中职 61–79, 专科 41–59, 职业本科 21–39).
LEVEL_BY_CODE = (
    (61, 79, "stage-secondary-vocational"),
    (41, 59, "stage-higher-vocational"),
    (21, 39, "stage-vocational-bachelor"),
)

_FROM_BEFORE_ZH = (
    "从",
    "在",
    "我是",
    "读完",
    "念完",
    "上完",
    "由",
    "作为",
    "身为",
    "现在是",
    "目前是",
    "正在读",
    "正在上",
)
_FROM_AFTER_ZH = (
    "毕业",
    "学生",
    "生",
    "出来",
    "阶段",
    "二年级",
    "一年级",
    "三年级",
    "在读",
    "读完",
    "的学生",
)
_TO_BEFORE_ZH = (
    "读",
    "考",
    "上",
    "升",
    "进",
    "到",
    "转",
    "去",
    "念",
    "拿",
    "获得",
    "取得",
    "攻读",
    "报考",
    "升入",
    "进入",
    "考上",
)
_FROM_BEFORE_EN = re.compile(
    r"(?:\bfrom|\bafter|\bin|\bat|\bas an?|\bfinish(?:ing|ed)?|\bcomplet(?:ing|ed)?|\bleav(?:ing|e)|\bgraduat(?:ing|ed|e) from|\bstudying at|\bstudy at|\bi'm an?|\bi am an?|\bis an?|\bfor an?|\bfinished)\s+(?:the\s+|a\s+|an\s+|my\s+)?$"
)
_FROM_AFTER_EN = re.compile(r"^\s*(?:students?|graduates?|pupils?|diploma holders?|leavers?)\b")
_TO_BEFORE_EN = re.compile(
    r"(?:\bto|\binto|\bget|\bearn|\bobtain|\bpursue|\bstudy for|\breach|\bdo|\bapply (?:to|for)|\benter|\bgo to|\bget into|\bbecome|\bstill get|\bget an?|\bearn an?)\s+(?:a\s+|an\s+|the\s+)?$"
)
_FAIL_ZH = re.compile(
    r"没考上|没有考上|考不上|没考进|考不进|没能考上|上不了|进不了|落榜|失利|没考好|考砸|分数不够|没被录取|没录取|"
    r"不读|不上|不想读|不想上|不去读|不去上"
)
_FAIL_EN = re.compile(
    r"\b(?:fail(?:s|ed)?|didn't get into|did not get into|not admitted|couldn't get into|can't get into|"
    r"did not pass|didn't pass|missed|doesn't go to|does not go to|don't go to|won't go to|not going to|"
    r"doesn't want to go to|without going to|instead of)\b"
)
_SELF_ZH = re.compile(r"我|孩子|儿子|女儿|闺女|小孩|本人|俺")
_SELF_EN = re.compile(r"\b(?:i|i'm|im|my|me|he|she|son|daughter|child|kid)\b")
_LIKE_ZH = (
    "喜欢",
    "爱好",
    "热爱",
    "感兴趣",
    "兴趣",
    "擅长",
    "爱画",
    "爱动手",
    "爱玩",
    "爱摆弄",
    "爱捣鼓",
    "爱修",
    "爱做",
    "爱拆",
)
_LIKE_EN = re.compile(
    r"\b(?:loves?|loving|likes?|liking|enjoys?|enjoying|into|interested in|passionate about|good at|fond of|keen on|hobby|hobbies)\b"
)


def programme_level(kn: Knowledge, prog: str) -> str | None:
    lvl = kn.programme_level(prog)
    if lvl:
        return lvl
    code = kn.code(prog)
    if len(code) >= 2 and code[:2].isdigit():
        head = int(code[:2])
        for lo, hi, local in LEVEL_BY_CODE:
            if lo <= head <= hi and RTD + local in kn.entities:
                return RTD + local
    return None


@dataclass
class Understanding:
    text: str
    lang: str
    mentions: list[Mention]
    by_kind: dict[str, list[str]] = field(default_factory=dict)
    programme_groups: list[list[str]] = field(default_factory=list)  # one list per mention
    stages: list[tuple[str, str | None, int]] = field(default_factory=list)  # (iri, role, position)
    from_stage: str | None = None
    to_stage: str | None = None
    self_statement: bool = False
    likes: bool = False
    goes_up: bool = False  # from and to at different levels: a question about going up
    same_level: bool = False  # two stages at one level (普高 / 中职): a transfer or a comparison
    missed: str | None = None  # a stage the learner did not get into ("中考没考上普高")

    def first(self, *kinds: str) -> str | None:
        for m in self.mentions:
            for iri, kind in zip(m.iris, m.kinds, strict=False):
                if kind in kinds:
                    return iri
        return None

    def all(self, *kinds: str) -> list[str]:
        out: list[str] = []
        for m in self.mentions:
            for iri, kind in zip(m.iris, m.kinds, strict=False):
                if kind in kinds and iri not in out:
                    out.append(iri)
        return out

    @property
    def kinds(self) -> list[str]:
        """Main kind of each mention (the first, highest-ranked candidate)."""
        return [m.kinds[0] for m in self.mentions if m.kinds]


def _stage_of(kn: Knowledge, iri: str, kind: str) -> str | None:
    if kind in STAGE_KINDS:
        return iri
    if kind == "InstitutionType":
        # a university stands for its bachelor's stage; otherwise the entry stage it provides
        provided = kn.iris(iri, "rt:providesStage")
        if not provided:
            return None
        bachelor = [s for s in provided if kn.number(s, "rt:iscedLevel") == 6]
        return bachelor[0] if bachelor else min(provided, key=lambda s: _level(kn, s))
    if kind in CRED_KINDS and kn.is_a(iri, "Degree"):
        stages = kn.iris(iri, "rt:awardedAt")
        if len(stages) > 1:
            # awarded at several concrete stages (general and vocational bachelor's): their common
            # broader stage (本科)
            common = set.intersection(*(set(kn.iris(s, "skos:broader")) for s in stages))
            if common:
                return sorted(common)[0]
        return stages[0] if stages else None
    return None


def _role(text: str, m: Mention) -> str | None:
    before = text[max(0, m.start - 12) : m.start]
    after = text[m.end : m.end + 8]
    if re.search(r"[\u4e00-\u9fff]", m.surface) or re.search(
        r"[\u4e00-\u9fff]", before[-2:] + after[:2]
    ):
        b = before.rstrip()
        if any(after.startswith(w) for w in _FROM_AFTER_ZH):
            return "from"
        if any(b.endswith(w) for w in _FROM_BEFORE_ZH):
            return "from"
        if any(b.endswith(w) for w in _TO_BEFORE_ZH):
            return "to"
        return None
    before_en = text[max(0, m.start - 40) : m.start]
    if _FROM_AFTER_EN.search(after + text[m.end + 8 : m.end + 20]):
        return "from"
    if _TO_BEFORE_EN.search(before_en):
        return "to"
    if _FROM_BEFORE_EN.search(before_en):
        return "from"
    return None


def understand(
    kn: Knowledge, text: str, lang: str, mentions: list[Mention], profile: dict
) -> Understanding:
    u = Understanding(text=text, lang=lang, mentions=mentions)
    for m in mentions:
        for iri, kind in zip(m.iris, m.kinds, strict=False):
            u.by_kind.setdefault(kind, [])
            if iri not in u.by_kind[kind]:
                u.by_kind[kind].append(iri)
        progs = [i for i, k in zip(m.iris, m.kinds, strict=False) if k == "Programme"]
        if progs:
            u.programme_groups.append(progs)
    # stages with roles
    for m in mentions:
        if not m.kinds:
            continue
        stage = _stage_of(kn, m.iris[0], m.kinds[0])
        if stage is None:
            continue
        u.stages.append((stage, _role(text, m), m.start))
    _assign_roles(kn, u, profile)
    u.self_statement = bool(
        (_SELF_ZH.search(text) if lang == "zh" else _SELF_EN.search(text))
        and not re.search(r"[?？]", text)
    ) or bool(
        re.match(r"^(?:我是|我在|我现在|我今年|i am|i'm|my (?:son|daughter|child|kid))", text)
    )
    u.likes = any(w in text for w in _LIKE_ZH) or bool(_LIKE_EN.search(text))
    fail = _FAIL_ZH.search(text) if lang == "zh" else _FAIL_EN.search(text)
    if fail:
        _missed(kn, u, fail.start())
    return u


def _missed(kn: Knowledge, u: Understanding, at: int) -> None:
    """ "没考上普高" / "failed the zhongkao": the stage missed, and where the learner stands."""
    target = None
    stage_mentions = [(s, p) for s, _r, p in u.stages]
    after = [s for s, p in stage_mentions if p >= at]
    exam = None
    for m in u.mentions:
        if m.kinds and m.kinds[0] == "Mechanism":
            exam = m.iris[0]
    if after:
        target = after[0]
    elif exam:
        tos = [kn.first_iri(r, "rt:to") for r in kn.routes_by_mech.get(exam, [])]
        tos = [t for t in tos if t]
        if tos:
            general = [t for t in tos if kn.literal(t, "rt:track") == "general"]
            target = (general or tos)[0]
    if not target:
        return
    sources = []
    for t in [target] + kn.children.get(target, []):
        for r in kn.routes_to.get(t, []):
            if kn.is_a(r, "Transfer", "TitleRoute"):
                continue
            if exam and exam not in kn.iris(r, "rt:mechanism"):
                continue
            f = kn.first_iri(r, "rt:from")
            if f and f not in sources:
                sources.append(f)
    if not sources:
        return
    sources.sort(key=lambda s: (_level(kn, s), kn.literal(s, "rt:track") != "general"))
    u.missed = target
    u.from_stage = sources[0]
    u.to_stage = None
    u.goes_up = u.same_level = False


def _level(kn: Knowledge, stage: str) -> float:
    lvl = kn.number(stage, "rt:iscedLevel")
    if lvl is not None:
        return lvl
    broader = kn.first_iri(stage, "rt:countsAs") or kn.first_iri(stage, "skos:broader")
    if broader and broader != stage:
        lvl = kn.number(broader, "rt:iscedLevel")
        if lvl is not None:
            return lvl
    return 3.5


def _assign_roles(kn: Knowledge, u: Understanding, profile: dict) -> None:
    seen: list[tuple[str, str | None, int]] = []
    for stage, role, pos in u.stages:
        if all(stage != s for s, _, _ in seen):
            seen.append((stage, role, pos))
    u.stages = seen
    if not seen:
        return
    froms = [s for s, r, _ in seen if r == "from"]
    tos = [s for s, r, _ in seen if r == "to"]
    if len(seen) >= 2:
        levels = {s: _level(kn, s) for s, _, _ in seen}
        ordered = sorted(seen, key=lambda x: (levels[x[0]], x[2]))
        lo, hi = ordered[0][0], ordered[-1][0]
        if levels[lo] != levels[hi]:
            # different levels: a question goes up (中职 → 本科), whatever the word order
            u.from_stage, u.to_stage = lo, hi
            u.goes_up = True
        else:
            by_pos = sorted(seen, key=lambda x: x[2])
            if froms:
                u.from_stage = froms[0]
                u.to_stage = next((s for s, _, _ in by_pos if s != froms[0]), None)
            elif tos:
                u.to_stage = tos[-1]
                u.from_stage = next((s for s, _, _ in by_pos if s != tos[-1]), None)
            else:
                u.from_stage, u.to_stage = by_pos[0][0], by_pos[-1][0]
        if u.from_stage == u.to_stage:
            u.to_stage = None
        u.same_level = bool(u.to_stage) and not u.goes_up
        return
    stage, role, _ = seen[0]
    if role == "from":
        u.from_stage = stage
    elif role == "to" or _level(kn, stage) >= 6:
        u.to_stage = stage
    else:
        u.from_stage = stage
    if u.to_stage and not u.from_stage and profile.get("stage") and profile["stage"] != u.to_stage:
        u.from_stage = profile["stage"]
    if u.from_stage and u.to_stage:
        u.goes_up = _level(kn, u.to_stage) > _level(kn, u.from_stage)
