"""What a message is about: linked entities by kind, the roles of stages (from / to), and what it
says about the asker (the profile: stage, programme, interest, goal, region)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from advisor.knowledge import RTD, Knowledge
from advisor.linking import Mention

__all__ = [
    "Understanding",
    "understand",
    "programme_level",
    "LEVEL_BY_CODE",
    "PLACES",
    "UNCOVERED",
    "STAGE_KINDS",
    "asks_equivalence",
    "asks_where",
]

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
    "在读",
    "在上",
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
_STUDY_VERBS_ZH = ("读", "上", "念", "学")
# words before a verb that make it a wish or a possibility: "还能读本科", "想读中专", "以后上大学"
_MODAL_ZH = (
    "能",
    "可以",
    "想",
    "要",
    "打算",
    "准备",
    "希望",
    "再",
    "继续",
    "去",
    "以后",
    "将来",
    "之后",
    "后",
    "怎么",
    "如何",
    "怎样",
    "能否",
    "会",
    "还",
)
_FROM_BEFORE_EN = re.compile(
    r"(?:\bfrom|\bafter|\bin|\bat|\bas an?|\bfinish(?:ing|ed)?|\bcomplet(?:ing|ed)?|\bleav(?:ing|e)|\bgraduat(?:ing|ed|e) from|\bstudying at|\bstudy at|\bi'm an?|\bi am an?|\bis an?|\bfor an?|\bfinished)\s+(?:the\s+|a\s+|an\s+|my\s+)?$"
)
_FROM_AFTER_EN = re.compile(r"^\s*(?:students?|graduates?|pupils?|diploma holders?|leavers?)\b")
_TO_BEFORE_EN = re.compile(
    r"(?:\bto|\binto|\bget|\bearn|\bobtain|\bpursue|\bstudy for|\breach|\bdo|\bapply (?:to|for)|\benter|\bgo to|\bget into|\bbecome|\bstill get|\bget an?|\bearn an?)\s+(?:a\s+|an\s+|the\s+)?$"
)
# "没考上X" / "didn't get into X" (failed) and "不想读X" / "instead of X" (declined): X is a stage the
# learner will not be in, never where they start
_FAIL_ZH = re.compile(
    r"没考上|没有考上|考不上|没考进|考不进|没能考上|没能进|上不了|进不了|落榜|失利|没考好|考砸|分数不够|"
    r"没被录取|没录取|未被录取|未考上|没进"
)
_DECLINE_ZH = re.compile(
    r"不想读|不想上|不想去|不愿意读|不愿意上|不愿读|不愿上|不打算读|不打算上|不去读|不去上|不读|不上|"
    r"不选|没选|放弃"
)
_FAIL_EN = re.compile(
    r"\b(?:fail(?:s|ed)?|didn't get into|did not get into|not admitted|wasn't admitted|was not admitted|"
    r"couldn't get into|could not get into|can't get into|cannot get into|didn't make it into|"
    r"did not pass|didn't pass|missed|rejected by)\b"
)
_DECLINE_EN = re.compile(
    r"\b(?:doesn't go to|does not go to|don't go to|won't go to|not going to|doesn't want to go to|"
    r"does not want to go to|don't want to go to|do not want to go to|didn't want to go to|"
    r"without going to|instead of|rather than|chose not to go to|decided against)\b"
)
# what may stand between the cue and the stage it negates ("没考上理想的普高", "didn't get into a")
_GAP_MAX = {"zh": 6, "en": 24}
_CLAUSE_END = re.compile(r"[,，。.;；!！?？、:：]")
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


# Province-level divisions and large cities, to notice a place the graph has no rules for (and say
# so, instead of answering with another region's rules). Plain geography, not policy: a city names
# the province it is in, so that province's sourced rules (when the graph has them) can be offered.
# (zh, en, slug, slug of the province a city is in)
PLACES: tuple[tuple[str, str, str, str | None], ...] = (
    ("北京", "beijing", "beijing", None),
    ("天津", "tianjin", "tianjin", None),
    ("河北", "hebei", "hebei", None),
    ("山西", "shanxi", "shanxi", None),
    ("内蒙古", "inner mongolia", "inner-mongolia", None),
    ("辽宁", "liaoning", "liaoning", None),
    ("吉林", "jilin", "jilin", None),
    ("黑龙江", "heilongjiang", "heilongjiang", None),
    ("上海", "shanghai", "shanghai", None),
    ("江苏", "jiangsu", "jiangsu", None),
    ("浙江", "zhejiang", "zhejiang", None),
    ("安徽", "anhui", "anhui", None),
    ("福建", "fujian", "fujian", None),
    ("江西", "jiangxi", "jiangxi", None),
    ("山东", "shandong", "shandong", None),
    ("河南", "henan", "henan", None),
    ("湖北", "hubei", "hubei", None),
    ("湖南", "hunan", "hunan", None),
    ("广东", "guangdong", "guangdong", None),
    ("广西", "guangxi", "guangxi", None),
    ("海南", "hainan", "hainan", None),
    ("重庆", "chongqing", "chongqing", None),
    ("四川", "sichuan", "sichuan", None),
    ("贵州", "guizhou", "guizhou", None),
    ("云南", "yunnan", "yunnan", None),
    ("西藏", "tibet", "tibet", None),
    ("陕西", "shaanxi", "shaanxi", None),
    ("甘肃", "gansu", "gansu", None),
    ("青海", "qinghai", "qinghai", None),
    ("宁夏", "ningxia", "ningxia", None),
    ("新疆", "xinjiang", "xinjiang", None),
    ("香港", "hong kong", "hong-kong", None),
    ("澳门", "macao", "macao", None),
    ("台湾", "taiwan", "taiwan", None),
    ("深圳", "shenzhen", "shenzhen", "guangdong"),
    ("广州", "guangzhou", "guangzhou", "guangdong"),
    ("东莞", "dongguan", "dongguan", "guangdong"),
    ("佛山", "foshan", "foshan", "guangdong"),
    ("杭州", "hangzhou", "hangzhou", "zhejiang"),
    ("宁波", "ningbo", "ningbo", "zhejiang"),
    ("温州", "wenzhou", "wenzhou", "zhejiang"),
    ("南京", "nanjing", "nanjing", "jiangsu"),
    ("苏州", "suzhou", "suzhou", "jiangsu"),
    ("无锡", "wuxi", "wuxi", "jiangsu"),
    ("常州", "changzhou", "changzhou", "jiangsu"),
    ("武汉", "wuhan", "wuhan", "hubei"),
    ("济南", "jinan", "jinan", "shandong"),
    ("青岛", "qingdao", "qingdao", "shandong"),
    ("潍坊", "weifang", "weifang", "shandong"),
    ("烟台", "yantai", "yantai", "shandong"),
    ("德州", "dezhou", "dezhou", "shandong"),
    ("成都", "chengdu", "chengdu", "sichuan"),
    ("绵阳", "mianyang", "mianyang", "sichuan"),
    ("西安", "xi'an", "xian", "shaanxi"),
    ("郑州", "zhengzhou", "zhengzhou", "henan"),
    ("长沙", "changsha", "changsha", "hunan"),
    ("合肥", "hefei", "hefei", "anhui"),
    ("福州", "fuzhou", "fuzhou", "fujian"),
    ("厦门", "xiamen", "xiamen", "fujian"),
    ("南昌", "nanchang", "nanchang", "jiangxi"),
    ("沈阳", "shenyang", "shenyang", "liaoning"),
    ("大连", "dalian", "dalian", "liaoning"),
    ("哈尔滨", "harbin", "harbin", "heilongjiang"),
    ("长春", "changchun", "changchun", "jilin"),
    ("石家庄", "shijiazhuang", "shijiazhuang", "hebei"),
    ("太原", "taiyuan", "taiyuan", "shanxi"),
    ("南宁", "nanning", "nanning", "guangxi"),
    ("昆明", "kunming", "kunming", "yunnan"),
    ("贵阳", "guiyang", "guiyang", "guizhou"),
    ("兰州", "lanzhou", "lanzhou", "gansu"),
    ("西宁", "xining", "xining", "qinghai"),
    ("银川", "yinchuan", "yinchuan", "ningxia"),
    ("乌鲁木齐", "urumqi", "urumqi", "xinjiang"),
    ("拉萨", "lhasa", "lhasa", "tibet"),
    ("海口", "haikou", "haikou", "hainan"),
    ("呼和浩特", "hohhot", "hohhot", "inner-mongolia"),
)
_PLACE_BY_NAME = {p[0]: p for p in PLACES} | {p[1]: p for p in PLACES}
_PLACE_RX = re.compile(
    "|".join(
        sorted((re.escape(p[0]) for p in PLACES), key=len, reverse=True)
        + [r"\b" + re.escape(p[1]) + r"\b" for p in sorted(PLACES, key=lambda p: -len(p[1]))]
    )
)
# a place name that begins a school's name ("深圳职业技术大学", "北京大学", "Shenzhen Polytechnic")
_SCHOOL_AFTER_PLACE = re.compile(
    r"^(?:(?:(?![的和与或在是有能想读考上去哪什怎])[\u4e00-\u9fff]){0,6}?"
    r"(?:大学|学院|职业技术|职业学校|中学|高级中学|技师学院|技工学校|职校|一中|二中)|"
    r"\s*(?:[a-z]+\s+){0,3}(?:university|polytechnic|college|institute|academy|high school))"
)

# Things the graph does not hold at all: said plainly, never answered with something near.
UNCOVERED: dict[str, tuple[re.Pattern, re.Pattern]] = {
    # admission scores, cut-off lines and ranks of schools, programmes or exams
    "admission_score": (
        re.compile(
            r"分数线|录取分|录取线|投档线|提档线|控制线|批次线|最低分|最低录取|分数要求|多少分|几分|考多少分|"
            r"位次|要多少分"
        ),
        re.compile(
            r"\bcut-?offs?\b|\badmission scores?\b|\bentry scores?\b|\bminimum scores?\b|"
            r"\bpassing scores?\b|\bwhat scores?\b|\bhow many points\b|\bscore (?:do|does|would|will) \w+ need"
        ),
    ),
    # rankings of schools or programmes
    "ranking": (
        re.compile(
            r"排名|排行|哪所.{0,8}(?:最好|好一些|好点|更好)|最好的(?:学校|大学|中职|高职|职校|技校|专业|院校)|"
            r"名校"
        ),
        re.compile(
            r"\brank(?:ing|ings|ed)?\b|"
            r"\b(?:best|top(?: \d+)?) (?:[a-z'-]+ ){0,2}(?:schools?|colleges?|universit(?:y|ies)|"
            r"polytechnics?)\b"
        ),
    ),
    # topics the graph holds nothing on: military service, police recruitment
    "military": (
        re.compile(r"当兵|参军|入伍|征兵|服兵役|兵役|军校|去部队"),
        re.compile(r"\barmy\b|\bmilitary\b|\benlist|\bsoldiers?\b|\bconscript"),
    ),
    "police": (
        re.compile(r"警察|辅警|警校|招警|公安"),
        re.compile(r"\bpolice|\bpolicem[ae]n\b"),
    ),
    # tuition and fees of schools
    "tuition": (
        re.compile(r"学费|收费|住宿费|多少钱|花多少钱|费用"),
        re.compile(r"\btuition\b|\bfees?\b|\bhow much does (?:it|this|that) cost\b|\bcosts? of\b"),
    ),
}


# "X相当于什么学历" / "what does X count as": whether one stage or credential counts as another
EQUIVALENCE = (
    re.compile(
        r"相当于|等同|等于|视同|同等于|算什么学历|什么学历|是什么学历|什么文凭|按什么学历|算不算|算是|"
        r"算(?:本科|大专|专科|中专|高中|学历)|当(?:作|成)(?:本科|大专|专科|中专)|效力一样|一样有效"
    ),
    re.compile(
        r"\bequivalent\b|\bequal to\b|\bcounts? as\b|\bcounted as\b|\btreated as\b|"
        r"\bregarded as\b|\bconsidered (?:as|an?|the same)\b|\bcount the same\b|\bsame (?:as|value)\b|"
        r"\bwhat (?:level|qualification)\b|\bthe same as\b"
    ),
)


def asks_equivalence(text: str) -> bool:
    return bool(EQUIVALENCE[0].search(text) or EQUIVALENCE[1].search(text))


# "综合高中在哪些地方有" / "where are X available": the places the graph attaches to X
WHERE = (
    re.compile(
        r"哪些(?:地方|地区|城市|省份?|省市|区县)|哪(?:个|几个)(?:地方|地区|城市|省份?|省市)|哪里有|哪儿有|"
        r"在哪(?:里|儿)?(?:有|试点|开设|实行|推行|办)|什么地方有|哪些地方"
    ),
    re.compile(
        r"\bwhere (?:is|are|do|does|can)\b[^?.]*\b(?:available|offered|exists?|piloted|tried|found|"
        r"run|used|have|has|introduced|started)\b|\b(?:which|what) (?:provinces?|cities|city|regions?|places?)\b|"
        r"\bin which (?:provinces?|cities|city|regions?|places?)\b"
    ),
)


# "哪里有好的中职学校": asking for a good school, not where something exists
_WHERE_NOT = re.compile(r"好的|最好|好一点|好点|排名|\bbest\b|\bgood\b")


def asks_where(text: str) -> bool:
    return bool(WHERE[0].search(text) or WHERE[1].search(text)) and not _WHERE_NOT.search(text)


def uncovered_topics(text: str) -> list[str]:
    """The kinds of data a question asks for that the graph does not hold (in a fixed order)."""
    out = []
    for name, (zh, en) in UNCOVERED.items():
        t = text.replace("学分", "") if name == "admission_score" else text
        if zh.search(t) or en.search(t):
            out.append(name)
    return out


def _places(kn: Knowledge, u: Understanding) -> None:
    """Places named that the graph has no region for (and whether one begins a school's name)."""
    region_spans = [
        (m.start, m.end) for m in u.mentions if m.kinds and m.kinds[0] == "Region" and m.start >= 0
    ]
    for m in _PLACE_RX.finditer(u.text):
        if any(s < m.end() and m.start() < e for s, e in region_spans):
            continue
        zh, en, slug, within = _PLACE_BY_NAME[m.group(0)]
        if _SCHOOL_AFTER_PLACE.match(u.text[m.end() :]):
            u.school_named = True
            continue
        if RTD + "region-" + slug in kn.entities:
            continue  # the graph knows it (and linking found it, or will through an alias)
        parent = RTD + "region-" + within if within else None
        place = {"zh": zh, "en": en.title() if en != "xi'an" else "Xi'an", "slug": slug}
        place["within"] = parent if parent and parent in kn.entities else None
        if all(p["slug"] != slug for p in u.unknown_places):
            u.unknown_places.append(place)


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
    # (iri, role, position); role: "from", "to", None, or "missed" (没考上 / didn't get into)
    stages: list[tuple[str, str | None, int]] = field(default_factory=list)
    from_stage: str | None = None
    to_stage: str | None = None
    self_statement: bool = False
    likes: bool = False
    goes_up: bool = False  # from and to at different levels: a question about going up
    same_level: bool = False  # two stages at one level (普高 / 中职): a transfer or a comparison
    missed: str | None = None  # a stage the learner did not get into ("中考没考上普高")
    # "failed" (没考上 / didn't get into) or "declined" (不想读 / instead of)
    missed_kind: str = "failed"
    # leave the missed stage out of the routes (the learner starts before it, not beside it)
    missed_avoid: bool = True
    # places named that the graph has no region for: [{"zh", "en", "slug", "within": region IRI|None}]
    unknown_places: list[dict] = field(default_factory=list)
    school_named: bool = False  # a specific school is named ("深圳职业技术大学")
    uncovered: list[str] = field(default_factory=list)  # data asked that the graph does not hold

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
            # "我在山东读中职", "我读中职": where the learner studies now, unless it is a wish
            clause = re.split(r"[,，。.;；!！?？]", b)[-1]
            now = re.search(r"在|正|目前|现在|已经", clause) or re.fullmatch(
                r"(?:我|本人)(?:读|上|念|学)", clause
            )
            if now and b.endswith(_STUDY_VERBS_ZH) and not any(w in clause[:-1] for w in _MODAL_ZH):
                return "from"
            return "to"
        # a name that carries its verb ("读本科", "上大学") after a modal ("我还能读本科吗",
        # "想读中专"): where the learner wants to go, not where they are
        if m.surface.startswith(_TO_BEFORE_ZH) and b.endswith(_MODAL_ZH):
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
    cue = _negation_cue(text)
    if cue:
        _missed(kn, u, *cue)
    _places(kn, u)
    u.uncovered = uncovered_topics(text)
    return u


def _negation_cue(text: str) -> tuple[int, int, str] | None:
    """The first "没考上" / "不想读" / "didn't get into" / "instead of" in a text: (start, end, kind)."""
    found = []
    for rx, kind in (
        (_FAIL_ZH, "failed"),
        (_FAIL_EN, "failed"),
        (_DECLINE_ZH, "declined"),
        (_DECLINE_EN, "declined"),
    ):
        m = rx.search(text)
        if m:
            found.append((m.start(), m.end(), kind))
    return min(found) if found else None


def _missed(kn: Knowledge, u: Understanding, at: int, end: int, kind: str) -> None:
    """ "没考上普高" / "failed the zhongkao" / "不想读普高": the stage missed (never the start), and
    where the learner stands: a stage named as the alternative ("…，读中职以后还能上本科吗" → 中职),
    else a lower stage named before it ("中职毕业没考上本科" → 中职), else the stage its entry routes
    start from (普高 ← 初中); a higher stage named is the goal."""
    spans = {m.start: m.end for m in u.mentions}
    gap_max = _GAP_MAX.get(u.lang, 6)
    target = None
    for stage, _r, pos in sorted(u.stages, key=lambda x: x[2]):
        if pos < at:
            continue  # named before the cue
        gap = u.text[end:pos]
        if len(gap) <= gap_max and not _CLAUSE_END.search(gap):
            target = stage
        break
    if target is None:
        # "普高没考上": the stage right before the cue
        for stage, _r, pos in u.stages:
            gap = u.text[spans.get(pos, pos) : at]
            if pos < at and len(gap) <= 2 and not _CLAUSE_END.search(gap):
                target = stage
    exam = None
    for m in u.mentions:
        if m.kinds and m.kinds[0] == "Mechanism":
            exam = m.iris[0]
    if target is None and exam and kind == "failed":
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
    sources.sort(key=lambda s: (_level(kn, s), kn.literal(s, "rt:track") != "general"))
    missed_family = {target} | set(kn.children.get(target, []))
    rest = [(s, r, p) for s, r, p in u.stages if s not in missed_family]
    lvl = _level(kn, target)
    goals = [x for x in rest if _level(kn, x[0]) > lvl]
    # the alternative: a stage at the missed one's level, or a lower one named after the cue
    alts = [x for x in rest if _level(kn, x[0]) == lvl or (_level(kn, x[0]) < lvl and x[2] > at)]
    came_from = [x for x in rest if _level(kn, x[0]) < lvl and x[2] < at]
    frm = None
    avoid = True
    if alts and (goals or alts[0][1] != "to"):
        # "读中职以后还能上本科吗" / "现在在读中职": the learner starts from the alternative
        frm, avoid = alts[0][0], False
    elif came_from:
        frm = max(came_from, key=lambda x: _level(kn, x[0]))[0]
    elif sources:
        frm = sources[0]
    if frm is None:
        return
    to = max(goals, key=lambda x: (_level(kn, x[0]), x[2]))[0] if goals else None
    if to and _level(kn, to) <= _level(kn, frm):
        to = None
    # the missed stage is nobody's stage: not a start, not something to remember as the learner's
    u.stages = [(s, "missed" if s in missed_family else r, p) for s, r, p in u.stages]
    u.missed = target
    u.missed_kind = kind
    u.missed_avoid = avoid
    u.from_stage = frm
    u.to_stage = to
    u.goes_up = bool(to)
    u.same_level = False


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
