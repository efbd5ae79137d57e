"""Intent classification: scored cue lexicons + the kinds of linked entities + the session profile.

Each intent has cue words (Chinese substrings, English regular expressions on the normalised
text) with weights; linked entity kinds add evidence (a misconception → stigma, a credential →
certificate, a foreign system → international…); the profile breaks ties (a stage already known
makes "还能读本科吗" a pathway question). No example questions are stored here: only words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["INTENTS", "classify", "Classification", "is_question", "looks_like_profile"]

INTENTS = (
    "pathway",
    "transfer",
    "career",
    "definition",
    "comparison",
    "stigma",
    "regional",
    "international",
    "fact",
    "certificate",
    "recommendation",
    "profile",
    "greeting",
    "out_of_scope",
    "unknown",
)

# (intent, weight, zh substrings, en regexes)
_CUES: list[tuple[str, float, tuple[str, ...], tuple[str, ...]]] = [
    (
        "pathway",
        1.0,
        (
            "怎么读", "怎么考", "怎么上", "怎样读", "如何读", "如何考", "如何上", "能读", "能考", "能上",
            "可以读", "可以考", "可以上", "读哪些", "上哪些", "读什么", "哪些学校", "什么学校", "出路",
            "升学", "路径", "路线", "途径", "渠道", "毕业后", "毕业以后", "毕业了", "还能", "继续读",
            "继续深造", "深造", "读本科", "考本科", "升本", "考大学", "上大学", "读研", "考研", "升到",
            "去向", "没考上", "考不上", "落榜", "选择", "有哪些路", "怎么升", "往上读", "提升学历",
            "学历提升", "报考", "怎么进", "进入",
        ),
        (
            r"\bhow (?:can|do|does|could|would|to)\b.*\b(?:get|go|become|reach|enter|study|continue|apply|move up|earn|obtain)\b",
            r"\bcan (?:i|he|she|my|a|an|they|we|you|students?)\b.*\b(?:get|go|study|enter|continue|apply|attend|earn|obtain|reach|still)\b",
            r"\boptions?\b", r"\broutes?\b", r"\bpath(?:way)?s?\b",
            r"\bafter (?:finishing|graduating|graduation|junior|senior|high|secondary|college|the|studying|completing|grade)\b",
            r"\bcontinue\b", r"\bprogress(?:ion)?\b", r"\bmove up\b", r"\bget into\b", r"\bnext step",
            r"\bgo on to\b", r"\bfurther stud", r"\bupgrade\b", r"\bgo to (?:university|college)\b",
            r"\bfail(?:s|ed)? (?:the |his |her |to get into |to pass )?(?:zhongkao|gaokao|exam|entrance)", r"\bwhere can\b",
        ),
    ),
    (
        "transfer",
        1.4,
        (
            "转到", "转入", "转学", "转回", "互转", "转换", "转轨", "转普高", "转中职", "转去", "换到",
            "转成", "学籍", "学分银行", "学分互认", "学分", "普职融通", "职普融通", "一校双籍", "转读",
            "转专业", "能不能转", "可以转", "转过去",
        ),
        (
            r"\btransfer", r"\bswitch", r"\bchange (?:track|school|to|from|over)", r"\bmove (?:from|to|between|back)",
            r"\bcredit bank", r"\bcredits?\b", r"\bcredit recogni[sz]", r"\bboth tracks\b", r"\bchange tracks?\b",
        ),
    ),
    (
        "career",
        1.2,
        (
            "工作", "就业方向", "做什么", "干什么", "能干", "职业", "岗位", "前景", "找工作", "从事",
            "出来做", "对口", "就业去向", "当什么", "干啥", "做啥", "行业", "职位", "上班", "挣钱", "工资",
            "收入", "能当", "可以当", "当上", "去当", "能做", "可以做",
        ),
        (
            r"\bjobs?\b", r"\bwork(?:ing)? as\b", r"\bcareers?\b", r"\boccupations?\b", r"\blead(?:s)? to\b",
            r"\bbecome an?\b", r"\bwhat can (?:i|he|she|you|they) do with\b", r"\bprofessions?\b",
            r"\bwhat work\b", r"\bkind of work\b", r"\bgraduates? do\b", r"\bwork in\b", r"\bemployers?\b", r"\bsalar", r"\bearn\b",
            r"\bbecome (?:a|an|the)?\s*\w+", r"\bwork as\b", r"\busually become\b",
        ),
    ),
    (
        "definition",
        1.0,
        (
            "是什么", "什么是", "什么意思", "啥意思", "含义", "指什么", "介绍一下", "介绍", "解释", "是啥",
            "怎么回事", "定义", "了解一下", "是指", "讲讲", "说说", "概念",
        ),
        (
            r"\bwhat (?:is|are|'s)\b", r"\bwhat does\b.*\bmean", r"\bmeaning\b", r"\bexplain\b",
            r"\btell me about\b", r"\bdefin", r"\bwhat do you mean\b", r"\bwhat kind of\b",
        ),
    ),
    (
        "comparison",
        1.3,
        (
            "还是", "哪个好", "哪个更", "区别", "不同", "比较", "对比", "相比", "差别", "优缺点", "选哪个",
            "vs", "哪一个", "孰优", "好还是", "比起", "差距", "一样吗", "等同", "同等吗",
        ),
        (
            r"\bvs\b", r"\bversus\b", r"\bbetter\b", r"\bcompare", r"\bdifferen", r"\bpros and cons\b",
            r"\brather than\b", r"\binstead of\b", r"\bwhich (?:one|is)\b", r"\bsame as\b", r"\bequivalent\b",
            r"\b(?:pick|choose|choosing|picking|decide between|go for)\b.{0,40}\bor\b",
        ),
    ),
    (
        "stigma",
        2.0,
        (
            "低人一等", "没出息", "没前途", "没有前途", "死路", "死胡同", "差生", "成绩差", "成绩不好",
            "学习不好", "学习差", "丢人", "丢脸", "看不起", "瞧不起", "歧视", "低端", "混日子", "学不到",
            "没用", "被人笑", "面子", "后悔", "二流", "低等", "不值钱", "没地位", "失败者", "认可度",
            "被认可", "承认吗", "认可吗", "坏孩子", "学渣", "不好的学生", "没希望", "上不了台面", "丢份",
            "低一等", "矮人一截", "不如普高", "不如读", "偏见", "出路窄", "没有出路", "是不是很差",
            "好不好", "值不值得", "值得读吗", "名声", "有前途", "有没有前途", "前途", "有出路吗", "没面子",
            "成绩一般", "考得不好", "丢面子", "好就业吗", "抬不起头", "工资低", "挣得少", "收入低",
            "缺点", "弊端", "坏处", "劣势", "短板", "一辈子", "翻不了身", "当一辈子",
        ),
        (
            r"\bdead[- ]?ends?\b", r"\bbad grades\b", r"\bpoor grades\b", r"\blow grades\b", r"\bfail(?:ure|ures|ing)?\b",
            r"\binferior\b", r"\bsecond[- ](?:class|rate|best|choice)\b", r"\blook(?:ed|s)? down\b",
            r"\bstigma", r"\bworth less\b", r"\bworthless\b", r"\bonly for\b", r"\blesser\b", r"\blow status\b",
            r"\bwaste\b", r"\bashamed\b", r"\bembarrass", r"\blosers?\b", r"\bless respected\b",
            r"\bprejudice", r"\bno future\b", r"\bbad students?\b", r"\bweak students?\b", r"\bworth it\b",
            r"\bvalued?\b", r"\brespect", r"\bearn less\b", r"\bstuck\b", r"\bforever\b",
            r"\bdownsides?\b", r"\bdrawbacks?\b", r"\bdisadvantages?\b", r"\bpaid less\b", r"\blower (?:pay|salar)", r"\bnot as good\b", r"\bless valuable\b", r"\bjust for\b",
        ),
    ),
    (
        "regional",
        0.8,
        (
            "政策", "规定", "本地", "当地", "我们这里", "我们这边", "省里", "市里", "各地", "地方", "地区",
            "试点", "细则", "省内",
        ),
        (
            r"\bpolic(?:y|ies)\b", r"\brules?\b", r"\blocal\b", r"\bprovinces?\b", r"\bcity\b", r"\bregions?\b",
            r"\bpilots?\b",
        ),
    ),
    (
        "international",
        2.0,
        (
            "德国", "芬兰", "国外", "外国", "国际", "双元制", "其他国家", "欧洲", "瑞士", "日本", "美国",
            "英国", "别的国家",
        ),
        (
            r"\bgerman", r"\bfinland\b", r"\bfinnish\b", r"\babroad\b", r"\bother countr", r"\binternational",
            r"\bdual (?:system|training|vocational)", r"\beurop", r"\bapprenticeships?\b",
        ),
    ),
    (
        "fact",
        1.3,
        (
            "多少", "几所", "几个", "比例", "占比", "百分之", "就业率", "人数", "数量", "规模", "统计", "数据",
            "代码", "编码", "几项", "哪一年", "哪年", "什么时候", "何时", "几年", "多少年", "多久", "学制",
            "多长时间", "有多少",
        ),
        (
            r"\bhow many\b", r"\bhow much\b", r"\brates?\b", r"\bpercent", r"\bshare of\b", r"\bnumber of\b",
            r"\bstatistic", r"\bfigures?\b", r"\bdata\b", r"\bcodes?\b", r"\bwhen did\b", r"\bsince when\b",
            r"\bhow long\b", r"\bwhat year\b", r"\bproportion\b", r"\bhow big\b",
        ),
    ),
    (
        "certificate",
        1.3,
        (
            "证书", "学位", "学历", "文凭", "执照", "资格", "技能等级", "1+x", "毕业证", "学士学位", "硕士学位",
            "职称", "八级工", "执业", "考证", "拿证", "发证", "资格证", "等级证", "re:[考拿办领][^，。？?]{0,8}证",
        ),
        (
            r"\bcertificat", r"\bdegrees?\b", r"\bdiplomas?\b", r"\blicen[cs]", r"\bqualification",
            r"\bskill levels?\b", r"\btitles?\b", r"\b1\+x\b",
        ),
    ),
    (
        "recommendation",
        1.2,
        (
            "适合", "推荐", "建议", "选什么", "学什么", "读什么专业", "什么专业", "哪个专业", "选专业",
            "应该读", "应该选", "该读", "该选", "考虑", "报什么", "哪类学校", "哪种学校", "能学什么",
            "可以学什么",
        ),
        (
            r"\bshould (?:he|she|i|we|they) (?:consider|choose|study|pick|go|apply|take|do)\b", r"\brecommend",
            r"\bsuit(?:able|s)?\b", r"\bwhich (?:school|programme|major|field|course)", r"\bwhat (?:should|to) study\b",
            r"\bgood fit\b", r"\badvice\b", r"\bsuggest", r"\bwhat (?:school|major|programme)",
            r"\bwhat (?:could|can|would|might) (?:he|she|i|we|they|my \w+) (?:study|learn|major in)\b",
        ),
    ),
    (
        "greeting",
        1.0,
        ("你好", "您好", "谢谢", "再见", "你是谁", "你能做什么", "能帮我什么", "帮助", "在吗", "嗨"),
        (
            r"^(?:hi|hello|hey|thanks|thank you|good (?:morning|afternoon|evening))\b", r"\bwho are you\b",
            r"\bwhat can you do\b", r"^help\b",
        ),
    ),
    (
        "out_of_scope",
        3.0,
        (
            "股票", "股市", "基金", "天气", "气温", "下雨", "写诗", "作诗", "写首诗", "诗歌", "笑话", "菜谱",
            "做饭", "彩票", "比特币", "电影", "游戏", "数学题", "作业", "算命", "星座", "球赛", "明星", "减肥",
            "旅游攻略", "房价", "涨", "跌", "写一首", "唱歌", "歌词", "汇率", "外卖", "故事", "首都", "八卦", "餐厅", "饭店", "酒店", "美食", "电视剧",
            "作文", "写一篇", "写篇", "写一段", "帮我写", "替我写", "写封", "写个", "读后感", "演讲稿", "翻译成", "翻译一下",
            "帮我翻译", "译成", "怎么炒", "怎么煮", "怎么烧", "红烧", "炒菜", "做菜", "食谱", "饺子", "蛋糕",
            "世界杯", "奥运", "比分", "冠军是谁", "谁赢了", "nba", "乘以", "除以", "等于几", "等于多少",
            "re:\\d{2,}\\s*[×*÷+]\\s*\\d{2,}",
        ),
        (
            r"\bstocks?\b", r"\bshares? price", r"\bweather\b", r"\bpoems?\b", r"\bjokes?\b", r"\brecipes?\b",
            r"\blottery\b", r"\bbitcoin\b", r"\bcrypto", r"\bmovies?\b", r"\bsongs?\b", r"\bhomework\b",
            r"\bmath problem", r"\btranslate\b", r"\bhoroscope", r"\bfootball\b", r"\bsoccer\b", r"\bgames?\b",
            r"\bwrite me\b", r"\bcelebrit", r"\bcapital of\b", r"\bstory\b", r"\brecipe", r"\brestaurants?\b", r"\bhotels?\b",
            r"\bcooking tips\b", r"\bnews\b", r"\bforecast\b", r"\bexchange rate\b", r"\bpizza\b", r"\bcats?\b",
            r"\bessays?\b", r"\bwrite (?:me|an?|my|this|some)\b", r"\bcompose (?:a|an|me)\b", r"\btranslat(?:e|ion)\b",
            r"\bdumplings?\b", r"\bcook (?:a|an|some|me)\b", r"\bstock market\b",
            r"\bworld cup\b", r"\bolympics?\b", r"\bwho won\b", r"\bnba\b", r"\bsuper bowl\b",
            r"\bmultipl(?:y|ied)\b", r"\bdivided by\b", r"\d{2,}\s*[×*÷+]\s*\d{2,}",
        ),
    ),
]  # fmt: skip

_COMPILED = [
    (
        intent,
        weight,
        tuple(w for w in zh if not w.startswith("re:")),
        tuple(re.compile(rx) for rx in en)
        + tuple(re.compile(w[3:]) for w in zh if w.startswith("re:")),
    )
    for intent, weight, zh, en in _CUES
]

# Kind of linked entity -> (intent, bonus)
_KIND_BONUS: dict[str, tuple[tuple[str, float], ...]] = {
    "Misconception": (("stigma", 2.5),),
    "EducationSystem": (("international", 2.5), ("definition", 0.5)),
    "Mechanism": (("definition", 0.4), ("pathway", 0.6)),
    "EducationStage": (("pathway", 0.5),),
    "InstitutionType": (("definition", 0.4), ("pathway", 0.3)),
    "Programme": (("career", 0.8),),
    "ProgrammeClass": (("career", 0.5),),
    "Field": (("career", 0.4),),
    "Occupation": (("career", 0.8), ("fact", 0.2)),
    "OccupationGroup": (("career", 0.5),),
    "Credential": (("certificate", 1.2),),
    "Degree": (("certificate", 1.2),),
    "Certificate": (("certificate", 1.2),),
    "Licence": (("certificate", 1.2),),
    "SkillLevel": (("certificate", 1.2),),
    "ProfessionalTitle": (("certificate", 0.8),),
    "Interest": (("recommendation", 1.0),),
    "Region": (("regional", 1.2),),
    "ForeignRegion": (("international", 2.0),),
}

_QUESTION = re.compile(
    r"[?？吗呢]|怎么|怎样|什么|哪|如何|能否|能不能|可不可以|是否|多少|几[个所年项种]|为啥|为什么|有没有|"
    r"(?:^|[,;.!]\s*)(?:what|which|how|why|when|where|who|whom|can|could|should|shall|is|are|am|do|does|did|"
    r"will|would|may|might|isn't|aren't|don't|doesn't|tell me|explain)\b"
)
_PROFILE_ZH = re.compile(
    r"^(?:我|本人|俺)(?:是|在|现在|今年|目前|正在|读|学|家|儿子|女儿|孩子|的孩子|们家)|"
    r"^(?:我家|我们家)?(?:孩子|儿子|女儿|闺女|小孩)(?:在|是|今年|现在|读|学|上|正在|目前|喜欢|爱|对)|"
    r"^(?:我(?:家|的))?(?:孩子|儿子|女儿)"
)
_PROFILE_EN = re.compile(
    r"^(?:i am|i'm|im|i study|i live|i like|i love|we live|we are|my (?:son|daughter|child|kid|boy|girl)|"
    r"(?:he|she) is|(?:he|she)'s|our (?:son|daughter|child|kid))\b"
)


# "能…吗" / "can I…": asking whether a route is open to the asker
_ABILITY = re.compile(
    r"能不能|可不可以|能否|可以|还能|能|行不行|有机会|有没有机会|"
    r"\bcan (?:i|he|she|we|my|a|an)\b|\bcould (?:i|he|she|we)\b|\bam i able\b|\bis it possible\b|"
    r"\bam i eligible\b|\bcan (?:i|he|she) still\b"
)


# requests to produce something (an essay, a poem, a translation, homework answers)
_TASK = re.compile(
    r"(?:帮我|给我|替我|请你|请)(?:写|翻译|改)|写一篇|写篇|写一首|写首|写一段|写一封|写封|翻译成|翻译一下|"
    r"(?:帮我|给我|替我)做(?:一下)?(?:\w{0,4})(?:作业|题)|"
    r"\bwrite (?:me |an? |my )?(?:essay|poem|story|letter|song|speech)|\btranslate (?:this|these|the|my|it)\b|"
    r"\b(?:do|solve|finish) my (?:\w+ )?homework\b"
)


# fact cues that ask for a count or a share (not a duration: "多少年" / "how long" are about routes)
_COUNTING = frozenset(
    {"多少", "几所", "几个", "比例", "占比", "百分之", "就业率", "人数", "数量", "有多少", "几项"}
    | {r"\bhow many\b", r"\bpercent", r"\bshare of\b", r"\bnumber of\b", r"\bproportion\b"}
)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


def looks_like_profile(text: str) -> bool:
    return bool(_PROFILE_ZH.search(text) or _PROFILE_EN.search(text))


@dataclass
class Classification:
    intent: str
    scores: dict[str, float] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)

    def score(self, intent: str) -> float:
        return self.scores.get(intent, 0.0)


def cue_scores(text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    cues: dict[str, list[str]] = {}
    for intent, weight, zh, en in _COMPILED:
        hits = [w for w in zh if w in text] + [rx.pattern for rx in en if rx.search(text)]
        if hits:
            # diminishing returns for several cues of the same intent
            scores[intent] = weight * (1.0 + 0.25 * (len(hits) - 1))
            cues[intent] = hits
    return scores, cues


def classify(
    text: str,
    kinds: list[str],
    profile: dict,
    *,
    domain_terms: int = 0,
    cue_text: str | None = None,
    has_route: bool = False,
    same_level: bool = False,
    missed: bool = False,
    stage_mentions: int = 0,
    distinct_stages: int | None = None,
) -> Classification:
    """Pick an intent for a normalised message with the kinds of its linked entities.

    ``cue_text``: the message with the linked entities' words masked, so that a cue word inside a
    name ("职业" in "职业本科") does not count. ``domain_terms``: number of linked entities; a
    message with none and an off-topic cue is out of scope. ``has_route``: both a start and a
    destination stage were found (a pathway question, whatever other words it has).
    """
    scores, cues = cue_scores(cue_text if cue_text is not None else text)
    # "2022年中职招生占高中阶段多少" / "how many vocational bachelor's schools…": a count or a
    # share asked about stages, not a route between them — unless route words are there too
    counting = bool(set(cues.get("fact", ())) & _COUNTING) and not (
        cues.get("pathway") or cues.get("transfer")
    )
    if counting:
        has_route = same_level = False
        distinct_stages = 0
        scores["fact"] = scores.get("fact", 0.0) + 1.0
    # a foreign country named: its system answers, even when asked as a route ("芬兰读职高能上大学吗")
    if "ForeignRegion" in kinds:
        scores["international"] = scores.get("international", 0.0) + 1.0
    for kind in kinds:
        for intent, bonus in _KIND_BONUS.get(kind, ()):
            scores[intent] = scores.get(intent, 0.0) + bonus
    n_stages = distinct_stages if distinct_stages is not None else kinds.count("EducationStage")
    if "Interest" in kinds and n_stages == 0 and "recommendation" in scores:
        # "他喜欢做饭，读什么好": what to study for a liking, not a list of routes
        scores["recommendation"] += 0.5
    if n_stages >= 2:
        scores["pathway"] = scores.get("pathway", 0.0) + 0.5
    if has_route:
        scores["pathway"] = scores.get("pathway", 0.0) + 1.0
    if missed:
        scores["pathway"] = scores.get("pathway", 0.0) + 1.0
    if "definition" in scores and stage_mentions == 0 and "pathway" in scores:
        scores["definition"] += 0.5  # "what is the X route": a thing to define, not a route to list
    if same_level:
        # two stages at one level (普高 / 中职): comparing them, or moving between them
        if "comparison" in scores:
            scores["comparison"] += 1.0
        else:
            scores["transfer"] = scores.get("transfer", 0.0) + 0.8
    question = is_question(text)

    # a task to do for the user (write an essay, translate a text): out of scope whatever it names
    if _TASK.search(text):
        return Classification("out_of_scope", scores, cues)
    # out of scope: an off-topic cue and nothing of ours
    if "out_of_scope" in scores:
        if domain_terms == 0 or scores["out_of_scope"] > 2 * max(
            (v for k, v in scores.items() if k != "out_of_scope"), default=0.0
        ):
            return Classification("out_of_scope", scores, cues)
        scores.pop("out_of_scope")

    # a statement about oneself, not a question (unless it carries a strong concern)
    strong = max((v for k, v in scores.items() if k in ("stigma", "international")), default=0.0)
    if looks_like_profile(text) and not question and strong < 2.0:
        return Classification("profile", scores, cues)

    # profile breaks ties: someone whose stage we know asking "还能读本科吗"
    if profile.get("stage") and "pathway" in scores:
        scores["pathway"] += 0.3
    if profile.get("interest") and "recommendation" in scores:
        scores["recommendation"] += 0.5
    if profile.get("programme") and "career" in scores:
        scores["career"] += 0.2
    # "能专升本吗" from someone whose stage we know: whether that route is open to them, not what it is
    if (
        profile.get("stage")
        and "Mechanism" in kinds
        and "definition" not in cues
        and _ABILITY.search(cue_text if cue_text is not None else text)
    ):
        scores["pathway"] = scores.get("pathway", 0.0) + 0.5

    # "能考什么证": the verb belongs to the certificate, not to a route
    if (
        "certificate" in cues
        and any(c.startswith("[考拿") for c in cues["certificate"])
        and set(cues.get("pathway", ())) <= {"能考", "可以考", "怎么考", "如何考", "报考"}
    ):
        scores.pop("pathway", None)
    # "X的职业代码" / "occupation code of X": a figure (a code), whatever "职业" suggests
    if any(w in cues.get("fact", ()) for w in ("代码", "编码", r"\bcodes?\b")):
        scores["fact"] = scores.get("fact", 0.0) + 1.0

    # comparisons need two things to compare (or a known profile + one)
    if "comparison" in scores and len(kinds) < 2 and not profile.get("stage"):
        scores["comparison"] *= 0.5
    # "学历" alone in a pathway question ("提升学历") is not a certificate question
    if (
        "certificate" in scores
        and "pathway" in scores
        and set(cues.get("certificate", [])) <= {"学历", "文凭", r"\bdegrees?\b"}
        and not any(
            k in kinds for k in ("Credential", "Degree", "Certificate", "Licence", "SkillLevel")
        )
    ):
        scores["certificate"] *= 0.6
    # definition words + a mechanism/credential/system: what is X
    if "greeting" in scores and (len(kinds) > 0 or len(scores) > 1):
        scores.pop("greeting")

    # a foreign country named: its system is what is asked about, whatever route or comparison
    # words come with it ("In Finland, can a kid from vocational school go to university?")
    if "ForeignRegion" in kinds and scores:
        top = max(v for k, v in scores.items() if k != "international") if len(scores) > 1 else 0.0
        scores["international"] = max(scores.get("international", 0.0), top + 0.1)
    if not scores:
        return Classification("unknown", scores, cues)
    best = max(scores.items(), key=lambda kv: (kv[1], -INTENTS.index(kv[0])))
    return Classification(best[0], scores, cues)
