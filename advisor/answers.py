"""Answers composed from graph facts, one template family per intent, in the user's language.

Every factual sentence is built from a graph resource (a definition, a route, a link, a fact's
claim) and the resource's ``dcterms:source`` goes into ``citations``. Nothing the user typed is
echoed. Templates only add connective words, the honest caveats (regional rules differ; derived
links are candidates) and follow-up suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from advisor.knowledge import RTD, Knowledge
from advisor.occupations import LooseOccupation, loose_occupations
from advisor.understand import (
    CRED_KINDS,
    STAGE_KINDS,
    Understanding,
    asks_equivalence,
    asks_where,
    programme_level,
)

__all__ = ["Composer", "Draft"]


# asking for the downsides of a track ("缺点", "drawbacks")
_DOWNSIDE = re.compile(
    r"缺点|弊端|坏处|劣势|短板|局限|\b(?:downsides?|drawbacks?|disadvantages?|limitations?|cons)\b"
)

# words that point back to something said before ("这个专业", "these programmes")
# a job the learner wants ("想当厨师", "wants to be a car mechanic"): what to study for it
_WANT_JOB = re.compile(
    r"(?:想|要|愿意|打算|希望|梦想|立志)(?:当|做|成为|干)|(?:将来|以后|长大)(?:当|做|成为)|当上|"
    r"成为一名|当一名|\b(?:wants?|wanna|hopes?|plans?|dreams?|would like|'d like|aims?)\s+"
    r"(?:to\s+|of\s+)?(?:be|become|work as|being|becoming)\b|\bto become an?\b"
)
# the civil-service exam asked about ("能考公务员吗", "考公", "civil service exam"): a use of a
# qualification, answered by what the graph says a degree counts for (rt:countsAsFor)
_CIVIL_SERVICE = re.compile(
    r"公务员|考公|考编|国考|省考|事业编|civil[- ]serv|public servant|government jobs?"
)
_CIVIL_KEYS = ("考公", "公务员", "civil-service", "civil service")
_ANAPHOR = re.compile(r"这个|这些|那个|那些|上面|刚才|它们?|\b(?:this|that|these|those|them|it)\b")


def T(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def fmt_years(y: float | None) -> str:
    if y is None:
        return ""
    return str(int(y)) if float(y).is_integer() else f"{y:g}"


def _num(v) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def fmt_span(years, years_range=None) -> str:
    """Typical years ("3") or, when only a range is known, the range ("2–3"); "" when unknown."""
    y = _num(years)
    if y:
        return fmt_years(y)
    if isinstance(years_range, (list, tuple)) and len(years_range) == 2:
        lo, hi = (_num(x) for x in years_range)
        if lo is not None and hi is not None and hi > 0:
            return fmt_years(lo) if lo == hi else f"{fmt_years(lo)}–{fmt_years(hi)}"
    return ""


def step_years(step: dict) -> str:
    """A pathway step's length as shown: "3" or "2–3" (from ``years`` / ``years_range``)."""
    return fmt_span(step.get("years"), step.get("years_range"))


def path_years_phrase(path: dict, lang: str) -> str:
    """How long a pathway takes *after* its start stage, e.g. "，此后约4年" / ", about 4 more years".

    Years in a path count from the end of the start stage (the years at each destination), so the
    total is said as more years from here, never as the whole time. A total known only as a range
    (``total_years_range``) is said as a range; a path with a step of unknown length says that the
    total is unknown rather than a partial sum.
    """
    steps = path.get("steps") or []
    span = fmt_span(path.get("total_years"), path.get("total_years_range"))
    if span:
        return T(lang, f"，此后约{span}年", f", about {span} more years")
    known = any(s.get("years") or s.get("years_range") for s in steps)
    if path.get("years_unknown_steps") or (len(steps) > 1 and known):
        return T(lang, "，总年限不详", ", total length unknown")
    return ""


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of a definition (graph text), cut at a sentence end."""
    m = re.search(r"^(.+?[。！？!?]|.+?\.(?=\s|$))", text)
    s = m.group(1) if m else text
    if len(s) > limit:
        cut = max(s.rfind("，", 0, limit), s.rfind(", ", 0, limit), s.rfind("；", 0, limit))
        s = s[: cut if cut > 40 else limit] + "…"
    return s


def sentences(text: str, n: int) -> str:
    parts = re.findall(r".+?(?:[。！？!?]|\.(?=\s|$)|$)", text.strip())
    parts = [p.strip() for p in parts if p.strip()]
    return (
        " ".join(parts[:n])
        if parts and not re.search(r"[\u4e00-\u9fff]", text)
        else "".join(parts[:n])
    )


@dataclass
class Draft:
    intent: str
    lines: list[str] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    pathways: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def answer(self) -> str:
        return "\n".join(line for line in self.lines if line is not None).strip()


_CONF_RANK = {"high": 0, "medium-high": 1, "medium": 2, "low": 3}
_STIGMA_ORDER = (
    ("职业教育法", "第五十三条", "vocational education law", "article 53", "同等重要地位"),
    ("学士学位", "价值等同", "same value", "bachelor's degree"),
    ("就业率", "employment rate"),
    ("八级工", "技师", "工程师", "technician", "engineer", "skill level"),
    ("同等待遇", "equal treatment", "same batch", "同批次"),
)
_FOREIGN = ("芬兰", "德国", "finland", "german", "dqr", "bbig")

# intents whose answers are not about a figure the graph might lack
_NOT_A_DATA_QUESTION = ("out_of_scope", "greeting", "profile", "stigma", "international")

_CAVEAT_REGION = {
    "zh": "各地政策和细则不同，请以当地教育部门（或招生考试机构）最新公布为准。",
    "en": "Rules differ by province and city and change from year to year: check with the local education bureau (or the provincial examination authority) for the current rules.",
}


class Composer:
    """Builds a :class:`Draft` for one understood message."""

    def __init__(self, kn: Knowledge, lang: str, u: Understanding, profile: dict, services):
        self.kn = kn
        self.lang = lang
        self.u = u
        self.profile = profile
        self.sv = services  # the Advisor: search, paths, settings
        self.d: Draft | None = None
        self._cited: set[str] = set()
        self._ents: set[str] = set()
        self._where_said = False  # an answer already said where to check the local rules

    # ------------------------------------------------------------------ helpers

    def t(self, zh: str, en: str) -> str:
        return T(self.lang, zh, en)

    def L(self, iri: str | None) -> str:
        return self.kn.label(iri, self.lang) if iri else ""

    def Q(self, iri: str | None) -> str:
        """A label in quotes: 「中职」 / 'secondary vocational'."""
        label = self.L(iri)
        return f"「{label}」" if self.lang == "zh" else label

    def cite(self, iri: str | None) -> None:
        if not iri:
            return
        for src in self.kn.sources_of(iri):
            if src in self._cited:
                continue
            self._cited.add(src)
            info = self.kn.source_info(src, self.lang)
            self.d.citations.append(
                {"title": info["title"], "source": info["source"], "url": info["url"], "iri": src}
            )

    def ent(self, iri: str | None) -> None:
        if not iri or iri in self._ents or iri not in self.kn.entities:
            return
        self._ents.add(iri)
        self.d.entities.append({"iri": iri, "label": self.L(iri), "type": self.kn.kind(iri)})

    def add(self, line: str) -> None:
        self.d.lines.append(line)

    def definition(self, iri: str, full: bool = True, n: int = 3) -> str:
        text = self.kn.definition(iri, self.lang)
        if not text:
            return ""
        self.cite(iri)
        return sentences(text, n) if full else first_sentence(text)

    def aliases(self, iri: str, n: int = 3) -> list[str]:
        out = []
        label = self.L(iri)
        for lit in self.kn.alt_labels(iri):
            if lit.lang == self.lang and lit.text != label and lit.text not in out:
                if self.lang == "en" and lit.text.lower() == label.lower():
                    continue
                out.append(lit.text)
        return out[:n]

    def fact_line(self, fact: str) -> str:
        claim = self.kn.text(fact, "rt:claim", self.lang)
        if not claim:
            claim = self.definition(fact) or self.L(fact)
        as_of = self.kn.literal(fact, "rt:asOf")
        value = self.kn.literal(fact, "rt:value")
        unit = self.kn.text(fact, "rt:unit", self.lang)
        self.cite(fact)
        self.ent(fact)
        claim = claim.rstrip("。. ")
        parts = [p.replace(",", "") for p in re.findall(r"\d[\d.,]*", value)] or [value]
        bare = claim.replace(",", "")
        if value and value not in claim and not all(p.replace(",", "") in bare for p in parts):
            if self.lang == "zh":
                claim += f"：{value}" + (f"（{unit}）" if unit and unit not in value else "")
            else:
                show_unit = (
                    unit and unit not in value and not ("%" in value and unit.startswith("percent"))
                )
                claim += f": {value}" + (f" {unit}" if show_unit else "")
        if as_of and as_of not in claim and as_of != "n.d.":
            claim += self.t(f"（{as_of}）", f" ({as_of})")
        return claim + self.t("。", ".") + self.conf_note(fact)

    def conf_note(self, iri: str) -> str:
        conf = self.kn.literal(iri, "rt:confidence")
        if conf == "low":
            return self.t("（可信度低，未经核实）", " (low confidence, not verified)")
        return ""

    def region_note(self, iri: str) -> str:
        regions = [r for r in self.kn.iris(iri, "rt:region") if not r.endswith("region-national")]
        if not regions:
            return ""
        names = (
            "、".join(self.L(r) for r in regions)
            if self.lang == "zh"
            else ", ".join(self.L(r) for r in regions)
        )
        vf = self.kn.literal(iri, "rt:validFrom")
        since = self.kn.literal(iri, "rt:since")
        extra = ""
        if vf:
            extra = self.t(f"，{vf}起施行", f", in force from {vf}")
        elif since:
            extra = self.t(f"，{since}年起", f", since {since}")
        return self.t(f"（{names}{extra}）", f" ({names}{extra})")

    # ------------------------------------------------------------------ routes

    def route_line(self, route: str, with_from: bool = True) -> str:
        kn = self.kn
        frm = kn.first_iri(route, "rt:from")
        to = kn.first_iri(route, "rt:to")
        mech = kn.first_iri(route, "rt:mechanism")
        years = fmt_span(
            kn.number(route, "rt:years"),
            [kn.number(route, "rt:yearsMin"), kn.number(route, "rt:yearsMax")],
        )
        exam = re.sub(
            r"^(考核|assessment)\s*[:：]\s*", "", kn.text(route, "rt:exam", self.lang), flags=re.I
        )
        cond = kn.text(route, "rt:condition", self.lang)
        timing = kn.text(route, "rt:timing", self.lang)
        self.cite(route)
        for x in (frm, to, mech):
            self.ent(x)
        head = f"{self.L(frm)} → {self.L(to)}" if with_from else self.L(to)
        parts = []
        if mech:
            parts.append(self.t(f"经{self.Q(mech)}", f"via {self.L(mech)}"))
        if years:
            parts.append(self.t(f"约{years}年", f"about {years} years"))
        if exam:
            parts.append(self.t(f"考核：{exam}", f"assessment: {exam}"))
        line = head + (self.t("：", ": ") + self.t("，", ", ").join(parts) if parts else "")
        line += self.region_note(route) + self.conf_note(route)
        if cond:
            line += self.t(f"。条件：{cond.rstrip('。')}", f". Conditions: {cond.rstrip('.')}")
        if timing:
            line += self.t(f"。时间：{timing.rstrip('。')}", f". When: {timing.rstrip('.')}")
        return "• " + line

    def path_line(self, path: dict, i: int) -> str:
        steps = path.get("steps") or []
        mechs = []
        for s in steps:
            via = (s.get("mechanism") or s.get("via") or {}).get("iri")
            if via and via.startswith(RTD + "mech-"):
                mechs.append(via)
            for key in ("from", "to"):
                self.ent((s.get(key) or {}).get("iri"))
            self.ent(via)
            route = (s.get("via") or {}).get("iri") or s.get("route")
            if route:
                self.cite(route)
            for src in s.get("source") or []:
                self._cite_src_dict(src)
        chain = " → ".join(
            [self.L((steps[0].get("from") or {}).get("iri"))]
            + [self.L((s.get("to") or {}).get("iri")) for s in steps]
        )
        mech_names = self.t("+", " + ").join(self.L(m) for m in mechs) if mechs else ""
        yrs = path_years_phrase(path, self.lang)
        regions = {(s.get("region") or {}).get("iri") for s in steps} - {
            None,
            RTD + "region-national",
        }
        reg = ""
        if regions:
            names = self.t("、", ", ").join(self.L(r) for r in regions if r)
            reg = self.t(f"（地区：{names}）", f" (region: {names})")
        lead = f"{i}. " + (mech_names + self.t("：", ": ") if mech_names else "")
        return lead + chain + yrs + reg

    def _cite_src_dict(self, src: dict) -> None:
        iri = src.get("iri") if isinstance(src, dict) else None
        if not iri or iri in self._cited:
            return
        self._cited.add(iri)
        info = (
            self.kn.source_info(iri, self.lang)
            if iri in self.kn.entities
            else {
                "title": src.get("title") or iri,
                "source": src.get("url") or iri,
                "url": src.get("url") or "",
            }
        )
        self.d.citations.append(
            {"title": info["title"], "source": info["source"], "url": info["url"], "iri": iri}
        )

    def conditions_of(self, route: str) -> str:
        return self.kn.text(route, "rt:condition", self.lang)

    # ------------------------------------------------------------------ run

    def compose(self, intent: str, regional_cue: bool = False) -> Draft:
        self.d = Draft(intent)
        u = self.u
        handler = getattr(self, "do_" + intent, None) or self.do_unknown
        if u.uncovered and intent not in _NOT_A_DATA_QUESTION:
            # scores, rankings, fees: the graph has none; say so instead of answering nearby
            handler = self.do_uncovered
        elif (
            intent not in _NOT_A_DATA_QUESTION
            and asks_equivalence(u.text)
            and (self.equivalence_subjects()[0])
        ):
            # "高级工班相当于什么学历": what the graph says it counts as, and for what
            self.d.intent = "certificate"
            handler = self.do_equivalence
        elif (
            intent not in _NOT_A_DATA_QUESTION
            and _CIVIL_SERVICE.search(u.text)
            and self.civil_service_degrees()
        ):
            # "职业本科能考公务员吗": the degree's stated effect for the civil-service exam
            self.d.intent = "certificate"
            handler = self.do_civil_service
        elif (
            intent not in _NOT_A_DATA_QUESTION
            and asks_where(u.text)
            and not (u.unknown_places or self.message_regions())
            and self.where_subjects()
        ):
            # "综合高中在哪些地方有": the regions the graph attaches to it
            self.d.intent = "regional"
            handler = self.do_where
        elif (
            intent in ("pathway", "certificate", "definition", "fact", "career")
            and u.first("ProfessionalTitle")
            and not u.stages
            and not u.programme_groups
        ):
            # "（高级工班）毕业后能评工程师吗": how the title is reached, and what counts for it
            self.d.intent = "certificate"
            handler = self.do_title
        elif (
            regional_cue
            and intent in ("definition", "fact", "unknown", "certificate")
            and (u.unknown_places or self.message_regions())
        ):
            # "河南的职教高考政策是什么": a question about one place's rules
            self.d.intent = "regional"
            handler = self.do_regional
        handler()
        caveat = _CAVEAT_REGION[self.lang]
        if (
            regional_cue
            and self.d.intent not in ("out_of_scope", "greeting", "unknown")
            and caveat not in self.d.lines
            and not self._where_said
        ):
            self.add(caveat)
        if not self.d.suggestions:
            self.d.suggestions = self.default_suggestions()
        self.d.suggestions = list(dict.fromkeys(self.d.suggestions))[:4]
        return self.d

    # ------------------------------------------------------------------ intents

    def do_out_of_scope(self) -> None:
        self.d.intent = "out_of_scope"
        self.add(
            self.t(
                "抱歉，这个问题不在我能回答的范围内。我是融通升学顾问，只能回答职业教育和普通教育的升学路径、"
                "专业与职业、证书学位、普职转换、相关政策和数据等问题。",
                "Sorry, I can't help with that. I'm Rongtong, an advisor on education pathways in China: "
                "I can only answer questions about vocational and general education — routes to further study, "
                "programmes and the jobs they lead to, certificates and degrees, moving between tracks, policies and figures.",
            )
        )
        self.d.suggestions = self.default_suggestions()

    def do_greeting(self) -> None:
        if re.search(r"谢|thank", self.u.text):
            self.add(
                self.t(
                    "不客气！还有什么升学、专业或证书方面的问题，随时问我。",
                    "You're welcome! Ask me any time about routes, programmes or certificates.",
                )
            )
            return
        self.add(
            self.t(
                "你好！我是融通升学顾问。我可以帮你了解：初中、中职、高职、本科到研究生的各条升学路线；"
                "普高和中职之间怎么转；某个专业将来能做什么工作、要考哪些证书；还有职业教育的政策和数据。"
                "你可以先告诉我孩子（或你自己）现在在哪个阶段、学什么或喜欢什么。",
                "Hello! I'm Rongtong, an education-pathway advisor. I can explain the routes from junior secondary "
                "school through secondary vocational, higher vocational, bachelor's and master's study; how to move "
                "between the general and vocational tracks; what a programme leads to and which certificates matter; "
                "and the policies and figures behind vocational education. Tell me which stage you (or your child) are "
                "in and what you study or enjoy.",
            )
        )

    def do_unknown(self) -> None:
        self.d.intent = "unknown"
        hits = self.sv.search_iris(self.u, kinds=None, k=5)
        good = [iri for iri, conf in hits if conf >= 0.5]
        if good:
            top = good[0]
            kind = self.kn.kind(top)
            if kind == "Fact":
                self.d.intent = "fact"
                self.add(
                    self.t(
                        "图谱里与你的问题最相关的事实：",
                        "The fact in the graph closest to your question:",
                    )
                )
                self.add(self.fact_line(top))
                return
            self.add(
                self.t(
                    f"我理解你可能在问{self.Q(top)}。",
                    f"I understand you may be asking about {self.L(top)}.",
                )
            )
            self.describe(top)
            return
        self.add(
            self.t(
                "抱歉，我在知识图谱里没有找到能回答这个问题的内容，不想猜测。你可以换个说法，"
                "或者问我升学路线、专业与职业、证书学位、普职转换等问题。",
                "Sorry, I found nothing in the knowledge graph that answers this, and I'd rather not guess. "
                "Try rephrasing, or ask me about routes to further study, programmes and jobs, certificates and degrees, "
                "or moving between tracks.",
            )
        )

    def message_regions(self) -> list[str]:
        """Regions of the graph named in this message (not national, not abroad)."""
        abroad = {RTD + "region-germany", RTD + "region-finland"}
        return [
            r
            for r in self.u.all("Region")
            if not r.endswith("region-national")
            and r not in abroad
            and self.kn.first_iri(r, "rt:partOf") not in abroad
        ]

    def do_uncovered(self) -> None:
        """A question about data the graph does not hold (admission scores, rankings, fees): say
        so plainly, say where such data is published, then what the graph does know nearby."""
        kn, u = self.kn, self.u
        topics = u.uncovered
        if self.d.intent in ("definition", "unknown", "pathway", "regional", "certificate"):
            self.d.intent = "recommendation" if topics == ["ranking"] else "fact"
        junior = RTD + "stage-junior-secondary"
        zhongkao = RTD + "mech-zhongkao"
        # upper secondary places are decided by the zhongkao, city by city
        senior_entry = (
            zhongkao in u.all("Mechanism")
            or u.from_stage == junior
            or (u.to_stage is not None and self.level(u.to_stage) <= 3)
        )
        if "admission_score" in topics:
            if senior_entry:
                self.add(
                    self.t(
                        "图谱里没有中考录取分数线：分数线由各市（县）每年按当年考生成绩和招生计划划定，各地不同，图谱不收录，我也不猜。"
                        "请查当地教育局或中招办每年公布的录取分数线通知。",
                        "The graph holds no zhongkao admission scores: each city (or county) sets its cut-off "
                        "lines every year from that year's scores and places, so the graph does not record them "
                        "and I won't guess. Check the notices of your local education bureau or its high-school "
                        "admissions office.",
                    )
                )
            else:
                self.add(
                    self.t(
                        "图谱里没有具体院校或专业的录取分数线（投档线、位次）：这类数据每年、每省都不同，图谱不收录，我也不猜。"
                        "请查本省教育考试院每年公布的投档线，以及学校招生网上的招生章程和往年录取数据。",
                        "The graph holds no admission scores (cut-off lines or ranks) for particular schools or "
                        "programmes: they differ by province and by year, so the graph does not record them and "
                        "I won't guess. Check the cut-off lines your provincial examination authority publishes "
                        "each year, and the school's own admission pages and brochure.",
                    )
                )
        if "ranking" in topics:
            self.add(
                self.t(
                    "图谱里没有学校或专业的排名，我也不评哪所学校更好。能比较的是图谱里有来源的内容：升学路线、专业对应的职业和证书。"
                    "选校可以看学校的招生章程和当地教育部门公布的信息。",
                    "The graph holds no rankings of schools or programmes, and I don't rate schools. What it "
                    "can compare, with sources, are the routes, the jobs programmes lead to and the "
                    "certificates. For choosing a school, look at its admission rules and what the local "
                    "education authority publishes.",
                )
            )
        if "tuition" in topics:
            self.add(
                self.t(
                    "图谱里没有具体学校、专业或考试的收费标准（学费等）：收费由各地按规定核定，请查学校招生简章或当地教育、价格主管部门公布的收费标准。",
                    "The graph holds no tuition or fee amounts for particular schools, programmes or exams: "
                    "fees are set locally, so check the school's admission brochure or the fee schedule the "
                    "local education and price authorities publish.",
                )
            )
            fee_words = ("学费", "tuition")
            fee_facts = [
                f
                for f in kn.of_kind("Fact")
                if any(
                    w in (kn.text(f, "rt:claim", "zh") + kn.text(f, "rt:claim", "en")).lower()
                    for w in fee_words
                )
            ]
            if fee_facts:
                self.add(
                    self.t(
                        "图谱里与学费有关的、有来源的事实：",
                        "What the graph does hold about fees, with its source:",
                    )
                )
                for f in fee_facts[:2]:
                    self.add("• " + self.fact_line(f))
        off_graph = [x for x in topics if x in ("military", "police")]
        if "military" in topics:
            self.add(
                self.t(
                    "图谱里没有关于参军入伍（征兵条件、入伍后的学历政策等）的有来源信息，我不猜。请向当地征兵办公室（人民武装部）咨询当年的征兵条件。",
                    "The graph has no sourced information on joining the military (enlistment conditions, "
                    "education rules for soldiers), and I won't guess. Ask the local recruitment office for "
                    "this year's conditions.",
                )
            )
        if "police" in topics:
            self.add(
                self.t(
                    "图谱里没有关于当警察（公安招警、警校招生条件等）的有来源信息，我不猜。请查当地公安机关或公务员考试机构公布的招录公告。",
                    "The graph has no sourced information on becoming a police officer (police recruitment "
                    "or police-school admission), and I won't guess. Check the recruitment notices of the "
                    "local public-security bureau or civil-service examination authority.",
                )
            )
        self._where_said = True
        if off_graph and len(off_graph) == len(topics):
            self.add(
                self.t(
                    "我能回答的是图谱里有来源的内容：各阶段的升学路线（比如中职毕业后怎么读大专、本科）、专业对应的职业和证书、普职转换和相关政策数据。",
                    "What I can answer, with sources, is what the graph holds: the routes to further study "
                    "(for example from secondary vocational school to a junior college or a bachelor's "
                    "degree), the jobs and certificates programmes lead to, moving between tracks, and the "
                    "policies and figures behind them.",
                )
            )
            stage = self.u.from_stage or self.profile.get("stage")
            self.d.suggestions = (
                self.entity_suggestions(stage) if stage else self.default_suggestions()[:3]
            )
            return
        self.known_nearby()
        self.d.suggestions = self.default_suggestions()[:3]

    def known_nearby(self) -> None:
        """After an honest "not in the graph": what it does know about the thing named."""
        kn, u = self.kn, self.u
        mech = u.first("Mechanism")
        stage = u.to_stage or u.from_stage or (u.stages[0][0] if u.stages else None)
        prog = self.pick_programme(u.programme_groups[0]) if u.programme_groups else None
        if mech:
            text = self.definition(mech, full=False)
            if text:
                self.ent(mech)
                self.add(
                    self.t("图谱里知道的是：", "What the graph does know: ")
                    + self.Q(mech)
                    + self.t("：", ": ")
                    + text
                )
            for r in kn.routes_by_mech.get(mech, [])[:2]:
                if self.region_allows(r):
                    self.add(self.route_line(r))
            return
        if stage:
            routes = [
                r
                for r in kn.routes_to.get(stage, [])
                + [x for c in kn.children.get(stage, []) for x in kn.routes_to.get(c, [])]
                if not kn.is_a(r, "TitleRoute", "Transfer") and self.region_allows(r)
            ]
            routes.sort(
                key=lambda r: any(
                    not x.endswith("region-national") for x in kn.iris(r, "rt:region")
                )
            )
            if routes:
                self.ent(stage)
                self.add(
                    self.t(
                        f"图谱里知道的是进入{self.Q(stage)}的路线和条件：",
                        f"What the graph does know: the routes into {self.L(stage)} and their conditions:",
                    )
                )
                for r in routes[:3]:
                    self.add(self.route_line(r))
                    self.d.pathways.append(self.single_step(r))
                return
        if prog:
            self.add(self.t("图谱里知道的是：", "What the graph does know:"))
            self.describe_programme(prog, with_careers=False)

    # .................................................................. definition

    def main_subject(self, prefer: tuple[str, ...] = ()) -> str | None:
        order = prefer + (
            "Mechanism",
            "Degree",
            "Licence",
            "Certificate",
            "SkillLevel",
            "Credential",
            "ProfessionalTitle",
            "EducationSystem",
            "InstitutionType",
            "EducationStage",
            "Misconception",
            "Programme",
            "Occupation",
            "Field",
            "ProgrammeClass",
            "ProgrammeCategory",
            "OccupationGroup",
            "Interest",
            "Region",
        )
        for kind in order:
            iri = self.u.first(kind)
            if iri:
                return iri
        return None

    def do_definition(self) -> None:
        subject = self.main_subject()
        if subject is None:
            hits = self.sv.search_iris(self.u, kinds=None, k=3)
            subject = hits[0][0] if hits and hits[0][1] >= 0.45 else None
        if subject is None:
            return self.do_unknown()
        self.describe(subject)

    def describe(self, iri: str) -> None:
        kn = self.kn
        kind = kn.kind(iri)
        self.ent(iri)
        if kind == "Fact":
            self.add(self.fact_line(iri))
            return
        if kind in ("Programme",):
            return self.describe_programme(iri)
        if kind == "Occupation":
            return self.describe_occupation(iri)
        aka = self.aliases(iri)
        head = self.Q(iri) if self.lang == "zh" else self.L(iri)
        if aka:
            head += self.t(f"（也叫{'、'.join(aka)}）", f" (also called {', '.join(aka)})")
        text = self.definition(iri, n=4)
        if text:
            self.add(head + self.t("：", ": ") + text)
        else:
            self.add(
                head
                + self.t("：图谱里还没有它的定义。", ": the graph has no definition for it yet.")
            )
        # routes that use a mechanism
        routes = kn.routes_by_mech.get(iri, []) if kind == "Mechanism" else []
        if kind == "EducationStage":
            routes = kn.routes_from.get(iri, [])[:5]
        if routes:
            self.add(self.t("图谱中的相关路线：", "Routes in the graph:"))
            for r in routes[:5]:
                self.add(self.route_line(r))
        if kind in CRED_KINDS or kind == "ProfessionalTitle":
            self.credential_details(iri)
        if kind == "EducationSystem":
            for c in kn.iris(iri, "rt:comparableTo"):
                self.ent(c)
                self.add(self.t(f"可类比中国的{self.Q(c)}。", f"Comparable in China: {self.L(c)}."))
        facts = self.facts_for([iri], limit=2)
        for f in facts:
            self.add("• " + self.fact_line(f))
        regional = [r for r in kn.iris(iri, "rt:region") if not r.endswith("region-national")]
        if regional or any(
            not x.endswith("region-national") for r in routes for x in kn.iris(r, "rt:region")
        ):
            self.add(_CAVEAT_REGION[self.lang])
        self.d.suggestions = self.entity_suggestions(iri)

    def credential_details(self, iri: str) -> None:
        kn = self.kn
        stage = kn.first_iri(iri, "rt:awardedAt")
        if stage:
            self.ent(stage)
            self.add(self.t(f"取得阶段：{self.L(stage)}。", f"Awarded at: {self.L(stage)}."))
        issuer = kn.text(iri, "rt:issuer", self.lang)
        if issuer:
            self.add(self.t(f"颁发：{issuer}。", f"Issued by: {issuer}."))
        nxt = kn.first_iri(iri, "rt:nextLevel")
        if nxt:
            self.ent(nxt)
            self.add(self.t(f"上一级：{self.L(nxt)}。", f"Next level up: {self.L(nxt)}."))
        req = kn.iris(iri, "rt:requiredFor")
        if req:
            for r in req[:3]:
                self.ent(r)
            names = self.t("、", ", ").join(self.L(r) for r in req[:3])
            self.add(self.t(f"从事{names}须持有此证。", f"Required to practise: {names}."))
        for route in kn.routes_from.get(iri, [])[:3]:
            self.add(self.route_line(route))

    # .................................................................. equivalence ("相当于什么学历")

    def equivalence_subjects(self) -> tuple[list[str], list[str]]:
        """(the resources named — or the asker's stage — that the graph says count as another
        (rt:countsAs), including the stages an institution type provides; the resources named)."""
        kn, u = self.kn, self.u
        named: list[str] = []
        for m in u.mentions:
            for iri, kind in zip(m.iris, m.kinds, strict=False):
                if (kind in STAGE_KINDS or kind in CRED_KINDS or kind == "InstitutionType") and (
                    iri not in named
                ):
                    named.append(iri)
        if not named and self.profile.get("stage") in kn.entities:
            named = [self.profile["stage"]]
        out: list[str] = []
        for x in named:
            cands = [x] + (kn.iris(x, "rt:providesStage") if kn.is_a(x, "InstitutionType") else [])
            for c in cands:
                if kn.iris(c, "rt:countsAs") and c not in out:
                    out.append(c)
        return out, named

    def purpose_key(self, iri: str) -> str:
        """What an equivalence is for, without its detail: 申报职称（按大专学历） → 申报职称."""
        text = self.kn.text(iri, "rt:countsAsFor", "zh")
        return re.split(r"[（(]", text)[0].strip()

    def equiv_line(self, iri: str) -> str:
        kn = self.kn
        target = kn.first_iri(iri, "rt:countsAs")
        purpose = kn.text(iri, "rt:countsAsFor", self.lang).rstrip("。.")
        self.cite(iri)
        self.ent(iri)
        self.ent(target)
        if purpose:
            return self.t(
                f"• {self.L(iri)}：{purpose}时，视同{self.Q(target)}。",
                f"• {self.L(iri)} counts as {self.L(target)} for {purpose}.",
            ) + self.conf_note(iri)
        return self.t(
            f"• {self.L(iri)}：视同{self.Q(target)}（图谱没有写明适用范围）。",
            f"• {self.L(iri)} counts as {self.L(target)} (the graph does not say for what).",
        ) + self.conf_note(iri)

    def do_equivalence(self) -> None:
        kn = self.kn
        subjects, named = self.equivalence_subjects()
        for inst in [x for x in named if kn.is_a(x, "InstitutionType")][:1]:
            # a school type: what it is, and the stages (classes) it provides
            self.ent(inst)
            text = self.definition(inst, n=2)
            if text:
                self.add(self.Q(inst) + self.t("：", ": ") + text)
            provided = kn.iris(inst, "rt:providesStage")
            if provided:
                for p_ in provided:
                    self.ent(p_)
                names = self.t("、", ", ").join(self.L(p_) for p_ in provided)
                self.add(
                    self.t(f"它提供的教育阶段：{names}。", f"The stages it provides: {names}.")
                )
        self.add(
            self.t(
                "图谱里记录的“视同”（哪种学历按哪种对待、用于什么）：",
                "What the graph records as counting as another qualification, and for what:",
            )
        )
        for x in subjects:
            if kn.is_a(x, *CRED_KINDS) and x in named:
                text = self.definition(x, n=2)
                if text:
                    self.add(self.Q(x) + self.t("：", ": ") + text)
        for x in subjects:
            self.add(self.equiv_line(x))
        purposes = {self.purpose_key(x) for x in subjects} - {""}
        siblings = [
            x
            for x in kn.of_kind("EducationStage", *CRED_KINDS)
            if x not in subjects and kn.iris(x, "rt:countsAs") and self.purpose_key(x) in purposes
        ]
        if siblings:
            self.add(self.t("同一规定下的其他情况：", "Under the same rule:"))
            for x in siblings:
                self.add(self.equiv_line(x))
        for f in self.facts_for(subjects, limit=1):
            self.add("• " + self.fact_line(f))
        self.add(
            self.t(
                "这种视同只适用于上面写明的用途；用于其他用途（比如升学报考）时怎么认定，图谱里没有有来源的说法，请向当地人社或教育部门确认。",
                "Such an equivalence holds for the purpose stated above; for other purposes (applying "
                "for further study, for example) the graph has no sourced rule, so check with the local "
                "human-resources or education authority.",
            )
        )
        self.d.suggestions = self.entity_suggestions(subjects[0])

    def civil_service_degrees(self) -> list[str]:
        """Degrees of the stages or credentials named (else the asker's stage) that the graph says
        count for the civil-service exam (rt:countsAsFor)."""
        kn, u = self.kn, self.u
        named = [
            iri
            for m in u.mentions
            for iri, kind in zip(m.iris, m.kinds, strict=False)
            if kind in STAGE_KINDS or kind in CRED_KINDS
        ]
        if not named and self.profile.get("stage") in kn.entities:
            named = [self.profile["stage"]]
        out: list[str] = []
        for x in named:
            stages = [x] + list(kn.children.get(x, []))
            cands = [x] + [
                d for d in kn.of_kind("Degree") if set(kn.iris(d, "rt:awardedAt")) & set(stages)
            ]
            for c in cands:
                purpose = (
                    kn.text(c, "rt:countsAsFor", "zh", fallback=False)
                    + " "
                    + kn.text(c, "rt:countsAsFor", "en", fallback=False)
                )
                if any(k in purpose for k in _CIVIL_KEYS) and c not in out:
                    out.append(c)
        return out

    def do_civil_service(self) -> None:
        kn = self.kn
        degrees = self.civil_service_degrees()
        self.add(
            self.t(
                "可以报考。图谱里有来源的说法：",
                "Yes. What the graph's sources say:",
            )
        )
        for d in degrees:
            self.add(self.equiv_line(d))
        shown = 0
        for f in self.facts_for(degrees, limit=6):
            claim = kn.text(f, "rt:claim", "zh") + " " + kn.text(f, "rt:claim", "en")
            if any(k in claim for k in _CIVIL_KEYS):
                self.add("• " + self.fact_line(f))
                shown += 1
            if shown >= 2:
                break
        self.add(
            self.t(
                "具体岗位对学历、学位和专业的要求以当年公务员招录公告为准。",
                "Each post sets its own requirements (qualification, degree, field of study): "
                "check that year's civil-service recruitment notice.",
            )
        )
        self.d.suggestions = self.entity_suggestions(degrees[0])

    def do_title(self) -> None:
        """A professional title (工程师…): what it is, the routes to it, and what the asker's stage
        counts as for title applications."""
        kn = self.kn
        title = self.u.first("ProfessionalTitle")
        self.describe(title)
        routes = [r for r in kn.routes_to.get(title, []) if r not in kn.routes_from.get(title, [])]
        if routes:
            self.add(self.t("评上它的途径：", "Ways to reach it:"))
            for r in routes[:4]:
                self.add(self.route_line(r))
        stage = self.profile.get("stage")
        if stage in kn.entities and kn.iris(stage, "rt:countsAs"):
            self.add(self.t(f"你所在的{self.Q(stage)}：", f"Your stage, {self.L(stage)}:"))
            self.add(self.equiv_line(stage))

    # .................................................................. where is X ("哪些地方有")

    def where_subjects(self) -> list[str]:
        """The things a "where is X" question is about: mechanisms, stages, school types."""
        kn, u = self.kn, self.u
        out: list[str] = []
        for m in u.mentions:
            if not m.kinds or m.kinds[0] not in ("Mechanism", "EducationStage", "InstitutionType"):
                continue
            iri = m.iris[0]
            cands = [iri] + (
                kn.iris(iri, "rt:providesStage") if kn.is_a(iri, "InstitutionType") else []
            )
            for c in cands:
                if c not in out:
                    out.append(c)
        return out

    def do_where(self) -> None:
        kn = self.kn
        subjects = self.where_subjects()
        abroad = {RTD + "region-germany", RTD + "region-finland"}

        def local(r: str) -> bool:
            return (
                kn.is_a(r, "Region")
                and not r.endswith("region-national")
                and r not in abroad
                and kn.first_iri(r, "rt:partOf") not in abroad
            )

        evidence: dict[str, list[str]] = {}
        facts: list[str] = []

        def note(region: str, what: str) -> None:
            lst = evidence.setdefault(region, [])
            if what not in lst:
                lst.append(what)

        for x in subjects:
            routes = list(kn.routes_by_mech.get(x, []))
            routes += kn.routes_from.get(x, []) + kn.routes_to.get(x, [])
            for r in routes:
                for reg in kn.iris(r, "rt:region"):
                    if local(reg):
                        note(reg, r)
            for reg in kn.iris(x, "rt:region"):
                if local(reg):
                    note(reg, x)
            for f in kn.facts_about.get(x, []):
                regs = [reg for reg in kn.iris(f, "rt:about") if local(reg)]
                for reg in regs:
                    note(reg, f)
                if regs and f not in facts:
                    facts.append(f)
        names = self.t("、", ", ").join(self.L(x) for x in subjects[:2])
        if not evidence:
            self.add(
                self.t(
                    f"图谱里没有把{names}和具体地区联系起来的有来源规则；图谱里它是全国层面的做法。",
                    f"The graph ties {names} to no particular region with a source; what it holds is national.",
                )
            )
            for x in subjects[:1]:
                self.describe(x)
            self.add(_CAVEAT_REGION[self.lang])
            return
        for x in subjects:
            self.ent(x)
        self.add(
            self.t(
                f"图谱里有来源地记录了{names}的地方：",
                f"Places where the graph records {names}, with sources:",
            )
        )
        regions = sorted(evidence, key=lambda r: (-len(evidence[r]), self.L(r)))
        for reg in regions[:8]:
            self.ent(reg)
            items = [e for e in evidence[reg] if not kn.is_a(e, "Fact")][:2]
            for e in evidence[reg]:
                self.cite(e)
            parent = kn.first_iri(reg, "rt:partOf")
            where = self.L(reg) + (
                self.t(f"（{self.L(parent)}）", f" ({self.L(parent)})")
                if parent and local(parent)
                else ""
            )
            if items:
                what = self.t("；", "; ").join(self.L(e) + self.region_note_short(e) for e in items)
                self.add(f"• {where}{self.t('：', ': ')}{what}")
            else:
                self.add(f"• {where}")
        for f in facts[:2]:
            self.add("• " + self.fact_line(f))
        self.add(
            self.t(
                "图谱只收录了有来源的这些地方；其他地方可能也有，做法也可能不同，请向当地教育部门确认。",
                "The graph holds only these sourced places: other places may have it too, and rules "
                "differ, so check with the local education authority.",
            )
        )
        self._where_said = True
        self.d.suggestions = self.regional_suggestions()

    def region_note_short(self, iri: str) -> str:
        vf = self.kn.literal(iri, "rt:validFrom")
        since = self.kn.literal(iri, "rt:since")
        if vf:
            return self.t(f"（{vf}起施行）", f" (in force from {vf})")
        if since:
            return self.t(f"（{since}年起）", f" (since {since})")
        return ""

    # .................................................................. occupations by group / loose name

    @property
    def loose(self) -> LooseOccupation | None:
        """A loose occupation name in the message ("护士", "teacher") and the occupations it ends."""
        if not hasattr(self, "_loose"):
            self._loose = loose_occupations(self.kn, self.u.text, self.u.mentions)
        return self._loose

    def describe_group(self, grp: str, limit: int = 12) -> None:
        """An occupation group: its code and level, the groups above it, and what it contains."""
        kn = self.kn
        self.ent(grp)
        self.cite(grp)
        code = kn.code(grp)
        level = kn.literal(grp, "rt:groupLevel")
        level_en = {"大类": "major group", "中类": "medium group", "小类": "minor group"}.get(
            level, "group"
        )
        line = self.Q(grp) if self.lang == "zh" else self.L(grp)
        line += self.t(
            f"是《中华人民共和国职业分类大典》（2022年版）中的{level or '类别'}，代码 {code}",
            f" is a {level_en} of the 2022 Occupational Classification of China, code {code}",
        )
        line += self.in_groups(grp, 3)
        self.add(line + self.t("。", "."))
        members = sorted(kn.children.get(grp, []), key=kn.code)
        occs = [x for x in members if kn.is_a(x, "Occupation")]
        subs = [x for x in members if kn.is_a(x, "OccupationGroup")]
        if occs:
            head = self.t(f"它包括{len(occs)}个职业：", f"It contains {len(occs)} occupation(s):")
            self._member_list(head, occs, limit)
        elif subs:
            head = self.t(f"它下分{len(subs)}个类别：", f"It is divided into {len(subs)} groups:")
            self._member_list(head, subs, limit)
        self.d.suggestions = self.entity_suggestions(occs[0] if occs else grp)

    def in_groups(self, node: str, limit: int) -> str:
        """ ", in 护理人员／卫生专业技术人员…": the occupation groups above node, nearest first."""
        kn = self.kn
        up: list[str] = []
        g = kn.first_iri(node, "rt:group") or kn.first_iri(node, "skos:broader")
        while g and len(up) < limit:
            up.append(g)
            g = kn.first_iri(g, "rt:group") or kn.first_iri(g, "skos:broader")
        if not up:
            return ""
        return self.t(
            f"，属于{'／'.join(self.L(x) for x in up)}",
            f", in {' / '.join(self.L(x) for x in up)}",
        )

    def _member_list(self, head: str, members: list[str], limit: int) -> None:
        """A heading, then up to limit occupations or groups with their codes, then the count."""
        self.add(head)
        for x in members[:limit]:
            self.ent(x)
            self.add("• " + self.occ_phrase(x))
        if len(members) > limit:
            self.add(self.t(f"……等共{len(members)}个。", f"… {len(members)} in all."))

    def describe_loose(self, loose: LooseOccupation, limit: int = 12) -> None:
        """The occupations a loose name ends ("护士" → 内科护士…), with codes and their groups."""
        kn = self.kn
        occs = loose.occupations
        self.add(
            self.t(
                f"《中华人民共和国职业分类大典》（2022年版）里没有单独叫“{loose.term}”的职业，"
                f"名称以它结尾的职业有{len(occs)}个：",
                f"The 2022 Occupational Classification of China has no occupation called just "
                f"'{loose.term}'; {len(occs)} occupation(s) end with it:",
            )
        )
        for o in occs[:limit]:
            self.ent(o)
            self.cite(o)
            self.add("• " + self.occ_phrase(o))
        if len(occs) > limit:
            self.add(self.t(f"……等共{len(occs)}个。", f"… {len(occs)} in all."))
        groups: list[str] = []
        for o in occs:
            g = kn.first_iri(o, "rt:group")
            if g and g not in groups:
                groups.append(g)
        if groups:
            for g in groups[:4]:
                self.ent(g)
            names = self.t("、", ", ").join(self.occ_phrase(g) for g in groups[:4])
            self.add(self.t(f"所属类别：{names}。", f"Their groups: {names}."))
        creds = self.credentials_for(occs[:limit], limit=4)
        if creds:
            for c in creds:
                self.ent(c)
            names = self.t("、", ", ").join(self.L(c) for c in creds)
            self.add(self.t(f"相关证书：{names}。", f"Related certificates and licences: {names}."))
        self.d.suggestions = self.entity_suggestions(occs[0])

    def asked_occupations(self) -> tuple[list[str], str | None]:
        """The occupations a message asks about (named, in a group named, or a loose name's), and
        the word the user used for them when it is not an occupation's name."""
        kn, u = self.kn, self.u
        asked = u.all("Occupation")
        term = None
        if not asked and self.loose:
            asked, term = list(self.loose.occupations), self.loose.term
        for grp in u.all("OccupationGroup"):
            asked += [x for x in kn.children.get(grp, []) if kn.is_a(x, "Occupation")]
            term = term or self.L(grp)
        return asked, term

    def asked_job_line(self, prog: str) -> None:
        """ "学护理能当护士吗": which of the programme's occupations are the job asked about."""
        kn = self.kn
        asked, term = self.asked_occupations()
        if not asked:
            return
        linked = [o for o, _b, _l in self.occupations_of(prog, limit=50)]
        hits = [o for o in linked if o in asked]
        name = term or self.t("、", ", ").join(self.L(o) for o in asked[:3])
        if hits:
            for o in hits:
                self.ent(o)
            names = self.t("、", ", ").join(self.occ_phrase(o) for o in hits)
            self.add(
                self.t(
                    f"可以。图谱里{self.Q(prog)}对应的职业中，与“{name}”相符的有：{names}。",
                    f"Yes: among the occupations the graph links to {self.L(prog)}, these match "
                    f"'{name}': {names}.",
                )
            )
            gate = self.credentials_for(hits, limit=4)
            gate = [c for c in gate if kn.iris(c, "rt:requiredFor")]
            if gate:
                for c in gate:
                    self.ent(c)
                names = self.t("、", ", ").join(self.L(c) for c in gate)
                self.add(
                    self.t(f"从事这些职业须持有：{names}。", f"To practise, you need: {names}.")
                )
        else:
            self.add(
                self.t(
                    f"图谱里{self.Q(prog)}对应的职业中没有“{name}”；图谱只记录了下面这些对应关系。",
                    f"None of the occupations the graph links to {self.L(prog)} is '{name}'; the graph "
                    "records only the links below.",
                )
            )

    # .................................................................. programmes / careers

    def pick_programme(self, group: list[str]) -> str:
        """Among same-named programmes at several levels, the one at the asker's level (or 专科)."""
        kn = self.kn
        want = self.profile.get("stage")
        stage_pref = [want] if want else []
        for s in self.u.stages:
            stage_pref.append(s[0])
        for s in stage_pref:
            for p in group:
                if programme_level(kn, p) == s:
                    return p
        return max(
            group,
            key=lambda p: (
                len(kn.occlinks_by_prog.get(p, [])),
                programme_level(kn, p) == RTD + "stage-higher-vocational",
            ),
        )

    def occupations_of(self, prog: str, limit: int = 8) -> list[tuple[str, str, str]]:
        """(occupation, basis local name, link) for a programme, official/curated first."""
        kn = self.kn
        rank = {"official": 0, "curated": 1, "derived": 2}
        out = []
        for link in kn.occlinks_by_prog.get(prog, []):
            occ = kn.first_iri(link, "rt:occupation")
            basis = (kn.first_iri(link, "rt:basis") or "").rsplit("#", 1)[-1] or "derived"
            score = kn.number(link, "rt:score") or 0.0
            out.append((rank.get(basis, 3), -score, occ, basis, link))
        out.sort(key=lambda x: (x[0], x[1], x[2] or ""))
        return [(o, b, link) for _, _, o, b, link in out[:limit] if o]

    def basis_word(self, basis: str) -> str:
        return {
            "official": self.t("官方", "official"),
            "curated": self.t("人工整理", "curated"),
            "derived": self.t("推导候选", "derived candidate"),
        }.get(basis, basis)

    def occ_phrase(self, occ: str, basis: str | None = None) -> str:
        code = self.kn.code(occ)
        bits = [code] if code else []
        if basis:
            bits.append(self.basis_word(basis))
        inner = self.t("，", ", ").join(bits)
        return self.L(occ) + (self.t(f"（{inner}）", f" ({inner})") if inner else "")

    def credentials_for(self, subjects: list[str], limit: int = 6) -> list[str]:
        kn = self.kn
        found: list[str] = []
        for s in subjects:
            for link in kn.credlinks_by_subject.get(s, []):
                for c in kn.iris(link, "rt:credential"):
                    if c not in found:
                        found.append(c)
                        self.cite(link)
        # licences required for these occupations or their groups
        for s in subjects:
            chain = [s]
            seen = set()
            while chain:
                x = chain.pop()
                if x in seen:
                    continue
                seen.add(x)
                for c in kn.required_by.get(x, []):
                    if c not in found:
                        found.append(c)
                        self.cite(c)
                chain += kn.iris(x, "rt:group") + kn.iris(x, "skos:broader")
        return found[:limit]

    def describe_programme(self, prog: str, with_careers: bool = True) -> None:
        kn = self.kn
        self.ent(prog)
        code = kn.code(prog)
        level = programme_level(kn, prog)
        field_ = kn.programme_field(prog)
        cls = kn.first_iri(prog, "rt:programmeClass")
        self.cite(prog)
        desc = self.Q(prog) if self.lang == "zh" else self.L(prog)
        bits = []
        if code:
            bits.append(self.t(f"专业代码{code}", f"code {code}"))
        if level:
            bits.append(self.L(level))
            self.ent(level)
        if cls:
            bits.append(self.L(cls))
        if field_:
            bits.append(self.L(field_))
            self.ent(field_)
        self.add(
            desc
            + self.t(
                f"是《职业教育专业目录（2021年）》中的专业（{'，'.join(bits)}）。",
                f" is a programme in the 2021 vocational programme catalogue ({', '.join(bits)}).",
            )
        )
        text = kn.definition(prog, self.lang)
        if text:
            self.add(sentences(text, 2))
        if with_careers:
            self.careers_of_programme(prog)

    def careers_of_programme(self, prog: str) -> None:
        occs = self.occupations_of(prog)
        if occs:
            self.add(
                self.t(
                    "可以从事的职业（《职业分类大典》代码）：",
                    "Occupations it leads to (codes from the 2022 occupation classification):",
                )
            )
            for occ, basis, link in occs:
                self.cite(link)
                self.ent(occ)
                rationale = self.kn.text(link, "rt:rationale", self.lang)
                extra = (
                    self.t(f" — {rationale}", f" — {rationale}")
                    if rationale and basis == "curated"
                    else ""
                )
                self.add("• " + self.occ_phrase(occ, basis) + extra)
            if any(b == "derived" for _, b, _ in occs):
                self.add(
                    self.t(
                        "标为“推导候选”的是按名称和类别自动匹配的候选，仅供参考。",
                        "Links marked 'derived candidate' were matched automatically by names and categories: treat them as suggestions.",
                    )
                )
        else:
            self.add(
                self.t(
                    "图谱里还没有这个专业对应职业的记录。",
                    "The graph has no occupations recorded for this programme yet.",
                )
            )
        creds = self.credentials_for(
            [prog, self.kn.first_iri(prog, "rt:programmeClass") or ""] + [o for o, _, _ in occs]
        )
        if creds:
            for c in creds:
                self.ent(c)
            names = self.t("、", ", ").join(self.L(c) for c in creds)
            self.add(self.t(f"相关证书：{names}。", f"Related certificates and licences: {names}."))

    def describe_occupation(self, occ: str) -> None:
        kn = self.kn
        self.ent(occ)
        self.cite(occ)
        code = kn.code(occ)
        line = self.Q(occ) if self.lang == "zh" else self.L(occ)
        if code:
            line += self.t(
                f"的职业代码是 {code}（《中华人民共和国职业分类大典》2022年版）",
                f" has the occupation code {code} (2022 Occupational Classification of China)",
            )
        line += self.in_groups(occ, 4)
        marks = []
        if kn.literal(occ, "rt:digital").lower() == "true":
            marks.append(self.t("数字职业（S）", "digital occupation (S)"))
        if kn.literal(occ, "rt:green").lower() == "true":
            marks.append(self.t("绿色职业（L）", "green occupation (L)"))
        if marks:
            line += self.t(f"，标注为{'、'.join(marks)}", f"; marked {', '.join(marks)}")
        self.add(line + self.t("。", "."))
        issue = kn.text(occ, "rt:dataIssue", self.lang)
        if issue:
            self.add(self.t(f"数据说明：{issue}", f"Data note: {issue}"))
        progs = []
        for link in kn.occlinks_by_occ.get(occ, []):
            p = kn.first_iri(link, "rt:programme")
            basis = (kn.first_iri(link, "rt:basis") or "").rsplit("#", 1)[-1]
            if p:
                progs.append((0 if basis in ("official", "curated") else 1, p, basis, link))
        progs.sort(key=lambda x: x[0])
        if progs:
            self.add(self.t("可以通过这些专业走向这个职业：", "Programmes that lead to it:"))
            for _, p, basis, link in progs[:6]:
                self.cite(link)
                self.ent(p)
                lvl = programme_level(kn, p)
                self.add(
                    "• "
                    + self.L(p)
                    + self.t(
                        f"（{self.L(lvl)}，{self.basis_word(basis)}）",
                        f" ({self.L(lvl)}, {self.basis_word(basis)})",
                    )
                )
        creds = self.credentials_for([occ])
        if creds:
            for c in creds:
                self.ent(c)
            self.add(
                self.t(
                    f"相关证书：{'、'.join(self.L(c) for c in creds)}。",
                    f"Related certificates and licences: {', '.join(self.L(c) for c in creds)}.",
                )
            )

    def wanted_jobs(self) -> tuple[list[str], str | None]:
        """The occupations a learner says they want ("想当厨师学什么" → 中式/西式烹调师), found by
        name or by a loose name (an interest read from the same words does not hide the job)."""
        u = self.u
        if not _WANT_JOB.search(u.text) or u.programme_groups:
            return [], None
        occs = u.all("Occupation")
        if occs:
            return occs, None
        others = [m for m in u.mentions if not (m.kinds and m.kinds[0] == "Interest")]
        loose = loose_occupations(self.kn, u.text, others)
        if loose is None:
            return [], None
        return list(loose.occupations), loose.term

    def programmes_for_jobs(self, occs: list[str], term: str | None, limit: int = 8) -> bool:
        """Programmes linked to the occupations wanted, official/curated links first, then the
        ones that lead to more of them; False when none is linked."""
        kn = self.kn
        rank = {"official": 0, "curated": 1, "derived": 2}
        found: dict[str, list] = {}
        for occ in occs:
            for link in kn.occlinks_by_occ.get(occ, []):
                p = kn.first_iri(link, "rt:programme")
                if not p:
                    continue
                basis = (kn.first_iri(link, "rt:basis") or "").rsplit("#", 1)[-1] or "derived"
                entry = found.setdefault(p, [3, 0, basis, link, occ])
                entry[1] += 1
                if rank.get(basis, 3) < entry[0]:
                    entry[0], entry[2], entry[3], entry[4] = rank.get(basis, 3), basis, link, occ
        if not found:
            return False
        linked = [o for o in occs if kn.occlinks_by_occ.get(o)]
        names = self.t("、", ", ").join(self.occ_phrase(o) for o in linked[:6])
        if term:
            self.add(
                self.t(
                    f"“{term}”在《职业分类大典》（2022年版）里对应的职业有：{names}。",
                    f"'{term}' in the 2022 Occupational Classification of China: {names}.",
                )
            )
        else:
            self.add(self.t(f"想从事的职业：{names}。", f"The occupation: {names}."))
        for o in linked[:6]:
            self.ent(o)
            self.cite(o)
        self.add(self.t("可以读这些专业走向它：", "Programmes that lead to it:"))
        ordered = sorted(found.items(), key=lambda kv: (kv[1][0], -kv[1][1], kn.code(kv[0])))
        for p, (_r, _n, basis, link, occ) in ordered[:limit]:
            self.cite(link)
            self.ent(p)
            lvl = programme_level(kn, p)
            where = self.t(f"{self.L(lvl)}，", f"{self.L(lvl)}, ") if lvl else ""
            self.add(
                "• "
                + self.L(p)
                + self.t(
                    f"（{where}{self.basis_word(basis)}，→ {self.L(occ)}）",
                    f" ({where}{self.basis_word(basis)}, → {self.L(occ)})",
                )
            )
        creds = self.credentials_for(linked[:6], limit=4)
        if creds:
            for c in creds:
                self.ent(c)
            names = self.t("、", ", ").join(self.L(c) for c in creds)
            self.add(self.t(f"相关证书：{names}。", f"Related certificates and licences: {names}."))
        self.add(
            self.t(
                "具体学校和专业的招生计划，请查看当地当年的招生简章。",
                "For specific schools and their admission plans, check this year's local admission brochures.",
            )
        )
        self.d.suggestions = self.programme_suggestions(ordered[0][0])
        return True

    def do_career(self) -> None:
        u = self.u
        occs, term = self.wanted_jobs()
        if occs and not u.all("Occupation") and self.programmes_for_jobs(occs, term):
            return
        if u.programme_groups:
            group = u.programme_groups[0]
            asked = set(self.asked_occupations()[0])
            # "学数控能当车工吗": of same-named programmes, one that leads to the job asked about
            leads = [
                p for p in group if asked & {o for o, _b, _l in self.occupations_of(p, limit=50)}
            ]
            prog = self.pick_programme(leads or group)
            others = [p for p in group if p != prog]
            self.asked_job_line(prog)
            self.describe_programme(prog)
            if others:
                lv = self.t("、", ", ").join(self.L(programme_level(self.kn, p)) for p in others)
                self.add(
                    self.t(
                        f"同名专业在{lv}层次也有开设。",
                        f"A programme of the same name also exists at: {lv}.",
                    )
                )
            self.d.suggestions = self.programme_suggestions(prog)
            return
        occ = u.first("Occupation")
        if occ:
            self.describe_occupation(occ)
            self.d.suggestions = self.entity_suggestions(occ)
            return
        grp = u.first("OccupationGroup")
        if grp and not u.first("ProgrammeClass", "Field", "ProgrammeCategory"):
            return self.describe_group(grp)
        if self.loose and not u.first("ProgrammeClass", "Field", "ProgrammeCategory", "Interest"):
            return self.describe_loose(self.loose)
        # a field, class, category or interest: programmes in it
        target = u.first("ProgrammeClass", "Field", "ProgrammeCategory", "Interest")
        if target is None and self.profile.get("programme"):
            prog = self.profile["programme"]
            if prog in self.kn.entities:
                self.describe_programme(prog)
                self.d.suggestions = self.programme_suggestions(prog)
                return
        if (
            target is None
            and self.profile.get("interest") in self.kn.entities
            and _ANAPHOR.search(u.text)
        ):
            # "这个专业以后做什么工作" after fields were suggested for an interest: those fields
            target = self.profile["interest"]
        if target is None:
            wants_programme = bool(
                re.search(r"专业|major|programme|program|course|学什么|读什么", u.text)
            )
            hits = []
            if wants_programme:
                hits = [h for h in self.sv.search_iris(u, kinds=("Programme",), k=5) if h[1] >= 0.4]
            if not hits:
                hits = self.sv.search_iris(u, kinds=("Programme", "Occupation"), k=5)
            if hits and hits[0][1] >= 0.4:
                top = hits[0][0]
                if self.kn.kind(top) == "Programme":
                    self.describe_programme(top)
                    self.d.suggestions = self.programme_suggestions(top)
                else:
                    self.describe_occupation(top)
                return
            if self.profile.get("interest"):
                target = self.profile["interest"]
        if target is None:
            return self.do_unknown()
        self.fields_and_programmes(target)

    def fields_of(self, target: str) -> list[tuple[str, str]]:
        """(field/class, fit) for an interest; (target, "") for a field or class."""
        kn = self.kn
        if kn.is_a(target, "Interest"):
            out = []
            for fit in kn.fits_by_interest.get(target, []):
                for f in kn.iris(fit, "rt:fits"):
                    out.append((f, fit))
            return out
        return [(target, "")]

    def programmes_in(self, target: str, level: str | None, limit: int = 5) -> list[str]:
        kn = self.kn
        progs: list[str] = []
        if kn.is_a(target, "Programme"):
            progs = [target]
        elif kn.is_a(target, "ProgrammeClass"):
            progs = list(kn.progs_by_class.get(target, []))
        elif kn.is_a(target, "ProgrammeCategory"):
            for c in kn.classes_by_cat.get(target, []):
                progs += kn.progs_by_class.get(c, [])
        elif kn.is_a(target, "Field"):
            for cat in kn.cats_by_field.get(target, []):
                for c in kn.classes_by_cat.get(cat, []):
                    progs += kn.progs_by_class.get(c, [])
            if not progs:
                progs = [p for p in kn.progs_by_field.get(target, [])]
        if level:
            at_level = [p for p in progs if programme_level(kn, p) == level]
            progs = at_level or progs
        progs.sort(
            key=lambda p: (
                -len(
                    [
                        1
                        for link in kn.occlinks_by_prog.get(p, [])
                        if (kn.first_iri(link, "rt:basis") or "").endswith("curated")
                    ]
                ),
                kn.code(p),
            )
        )
        return progs[:limit]

    def class_level(self, cls: str) -> str | None:
        lvl = self.kn.first_iri(cls, "rt:level")
        if lvl:
            return lvl
        progs = self.kn.progs_by_class.get(cls, [])
        return programme_level(self.kn, progs[0]) if progs else None

    def fields_and_programmes(self, target: str, level: str | None = None) -> list[str]:
        """Lines on the fields an interest fits and programmes in them; returns the fields used."""
        kn = self.kn
        pairs = self.fields_of(target)
        if kn.is_a(target, "Interest"):
            self.ent(target)
            if not pairs:
                self.add(
                    self.t(
                        f"图谱里还没有与{self.Q(target)}匹配的专业领域。",
                        f"The graph has no fields matched to {self.L(target)} yet.",
                    )
                )
                return []
            self.add(
                self.t(
                    f"与{self.Q(target)}相匹配的专业方向：",
                    f"Fields that fit {self.L(target).lower()}:",
                )
            )
        fields = [(f, fit) for f, fit in pairs if not kn.is_a(f, "ProgrammeClass")]
        classes: dict[str, list[tuple[str, str]]] = {}
        for f, fit in pairs:
            if kn.is_a(f, "ProgrammeClass"):
                classes.setdefault(self.L(f), []).append((f, fit))
        chosen = fields[:2]
        for group in classes.values():
            pick = next((x for x in group if level and self.class_level(x[0]) == level), None)
            pick = pick or next(
                (x for x in group if self.class_level(x[0]) == RTD + "stage-higher-vocational"),
                group[0],
            )
            chosen.append(pick)
        used = []
        for f, fit in chosen[:5]:
            self.ent(f)
            used.append(f)
            name = self.L(f)
            if kn.is_a(f, "ProgrammeClass"):
                fld = kn.programme_field(f)
                if fld and self.L(fld) not in name:
                    self.ent(fld)
                    name += self.t(f"（{self.L(fld)}）", f" ({self.L(fld)})")
            line = "• " + name
            if fit:
                self.cite(fit)
                rationale = kn.text(fit, "rt:rationale", self.lang) or kn.definition(fit, self.lang)
                if rationale:
                    line += self.t(f"：{rationale.rstrip('。')}", f": {rationale.rstrip('.')}")
            lvl = level if not kn.is_a(f, "ProgrammeClass") else self.class_level(f)
            progs = self.programmes_in(f, lvl, limit=4)
            if progs:
                for p in progs:
                    self.ent(p)
                    self.cite(p)
                names = self.t("、", ", ").join(self.L(p) for p in progs)
                where = self.t(f"（{self.L(lvl)}）", f" ({self.L(lvl)})") if lvl else ""
                line += self.t(
                    f"。专业举例{where}：{names}", f". Example programmes{where}: {names}"
                )
            self.add(line + self.t("。", "."))
        return used

    # .................................................................. pathways

    def do_pathway(self) -> None:
        u, kn = self.u, self.kn
        frm = u.from_stage
        to = u.to_stage
        prog = (
            self.profile.get("programme") if self.profile.get("programme") in kn.entities else None
        )
        if (
            frm is None
            and to is not None
            and self.profile.get("stage")
            and self.profile["stage"] != to
        ):
            frm = self.profile["stage"]
        if frm is None and to is None:
            frm = self.profile.get("stage")
            if frm is None:
                mech = u.first("Mechanism")
                if mech:
                    # "河北的职教高考怎么考": a place without rules in the graph is said first
                    note = self.place_note()
                    if note:
                        self.add(note)
                    return self.describe(mech)
                hits = self.sv.search_iris(
                    u, kinds=("Mechanism", "TitleRoute", "Transfer", "Route"), k=3
                )
                if hits and hits[0][1] >= 0.5:
                    return self.describe(hits[0][0])
                return self.do_overview()
        if (
            to is None
            and self.profile.get("goal")
            and frm
            and self.profile["goal"] != frm
            and not u.stages
            and not u.first(
                "Mechanism"
            )  # "以后能考研吗": the mechanism says where, not the old goal
        ):
            to = self.profile["goal"]
        if u.missed and frm:
            return self.after_missed(frm, to)
        if frm and to and not self.u.goes_up and self.level(frm) == self.level(to):
            self.d.intent = "transfer"
            return self.do_transfer()
        note = self.place_note()
        if note:
            self.add(note)
        mech = u.first("Mechanism")
        if frm and to is None and mech and self.routes_via(frm, mech, prog):
            self.d.suggestions = self.pathway_suggestions(frm, None)
            return
        if frm and to:
            self.paths_between(frm, to)
        elif frm:
            self.routes_out_of(frm)
        else:
            self.routes_into(to)
        if prog and frm and self.profile.get("stage") == frm:
            self.programme_next_levels(prog)
        if mech and mech not in {
            (p.get("mechanism") or {}).get("iri")
            for path in self.d.pathways
            for p in path.get("steps", [])
        }:
            text = self.definition(mech, full=False)
            if text:
                self.ent(mech)
                self.add(self.Q(mech) + self.t("：", ": ") + text)
        self.d.suggestions = self.pathway_suggestions(frm, to)

    def after_missed(self, frm: str, to: str | None) -> None:
        """ "没考上普高" / "不想读普高": the missed stage is not the start; routes from where the
        learner stands (or goes instead), to the goal when one is named."""
        u = self.u
        missed = u.missed
        self.ent(missed)
        if u.missed_kind == "declined":
            head = self.t(
                f"不读{self.Q(missed)}也有路可走。",
                f"Without {self.L(missed)} there are still routes.",
            )
        else:
            head = self.t(
                f"没考上{self.Q(missed)}也不是没有路。",
                f"Not getting into {self.L(missed)} is not the end of the road.",
            )
        note = self.place_note()
        if note:
            self.add(note)
        if to:
            self.add(head)
            self.paths_between(frm, to, avoid=missed if u.missed_avoid else None)
        else:
            self.add(
                head
                + self.t(
                    f"从{self.Q(frm)}出发，还有这些选择：",
                    f" From {self.L(frm)} there are these options:",
                )
            )
            self.routes_out_of(
                frm, limit=8, intro=False, skip_to=missed if u.missed_avoid else None
            )
            if u.missed_avoid and self.level(frm) < self.level(missed):
                self.later_routes_into(frm, missed)
        self.d.suggestions = self.pathway_suggestions(frm, to)

    def routes_via(self, frm: str, mech: str, prog: str | None) -> bool:
        """ "能专升本吗" from a learner whose stage is known: the routes of that mechanism from their
        stage, or plainly that there are none from there. False when the mechanism has no routes."""
        kn = self.kn
        mech_routes = [r for r in kn.routes_by_mech.get(mech, []) if not kn.is_a(r, "TitleRoute")]
        if not mech_routes:
            return False
        starts = {frm} | set(kn.children.get(frm, []))
        mine = [r for r in mech_routes if kn.first_iri(r, "rt:from") in starts]
        mine = [r for r in mine if self.region_allows(r)] or mine
        self.ent(frm)
        self.ent(mech)
        if mine:
            yes = self.t("可以。", "Yes. ") if self.yes_no_question() else ""
            self.add(
                yes
                + self.t(
                    f"从{self.Q(frm)}出发，经{self.Q(mech)}可以升入：",
                    f"From {self.L(frm)}, {self.L(mech)} leads to:",
                )
            )
            for r in mine[:5]:
                self.add(self.route_line(r, with_from=False))
                self.d.pathways.append(self.single_step(r))
        else:
            # "中职…以后能考研吗": the mechanism starts higher up — say which stage comes first
            above = sorted(
                {
                    kn.first_iri(r, "rt:from")
                    for r in mech_routes
                    if kn.first_iri(r, "rt:from")
                    and self.level(kn.first_iri(r, "rt:from")) > self.level(frm)
                },
                key=lambda st: (self.level(st), st),
            )
            if above:
                names = self.t("或", " or ").join(self.Q(st) for st in above[:3])
                self.add(
                    self.t(
                        f"从{self.Q(frm)}不能直接经{self.Q(mech)}升学：要先升到{names}，再经{self.Q(mech)}继续。",
                        f"{self.L(mech)} does not start from {self.L(frm)}: first reach {names}, "
                        f"then continue via {self.L(mech)}.",
                    )
                )
                for st in above[:3]:
                    self.ent(st)
            else:
                self.add(
                    self.t(
                        f"图谱里没有从{self.Q(frm)}出发经{self.Q(mech)}的路线。",
                        f"The graph has no route via {self.L(mech)} starting from {self.L(frm)}.",
                    )
                )
            self.add(self.t(f"{self.Q(mech)}的路线是：", f"The routes of {self.L(mech)} are:"))
            for r in mech_routes[:4]:
                self.add(self.route_line(r))
            if above:
                self.paths_between(frm, above[0])
            else:
                self.routes_out_of(frm, limit=4)
        text = self.definition(mech, full=False)
        if text:
            self.add(self.Q(mech) + self.t("：", ": ") + text)
        self.add(_CAVEAT_REGION[self.lang])
        if prog and self.profile.get("stage") == frm:
            self.programme_next_levels(prog)
        return True

    def level(self, stage: str) -> float:
        from advisor.understand import _level

        return _level(self.kn, stage)

    def do_overview(self) -> None:
        """No stage known: the main routes from junior secondary school up."""
        junior = RTD + "stage-junior-secondary"
        self.add(
            self.t(
                "先说整体：在中国，初中毕业后既可以读普通高中，也可以读中职（含技工学校），两条路都能继续升学。",
                "The big picture: after junior secondary school in China a student can go to a general high school or "
                "to a secondary vocational school (including technical schools), and both tracks lead on to further study.",
            )
        )
        if junior in self.kn.entities:
            self.routes_out_of(junior, limit=6)
        self.add(
            self.t(
                "告诉我你（或孩子）现在在哪个阶段、想读到哪一层，我可以列出具体路线。",
                "Tell me which stage you (or your child) are in and where you want to get to, and I'll list the specific routes.",
            )
        )

    def paths_between(self, frm: str, to: str, avoid: str | None = None) -> None:
        """The paths from one stage to another; ``avoid``: a stage the paths must not pass through
        (the one the learner did not get into)."""
        paths = self.sv.paths(frm, to, self.lang)
        if avoid:
            banned = {avoid} | set(self.kn.children.get(avoid, []))
            paths = [
                p
                for p in paths
                if not any((s.get("to") or {}).get("iri") in banned for s in p.get("steps", []))
            ]
        paths = self.region_filter(paths) or paths
        self.ent(frm)
        self.ent(to)
        alt = self.kn.first_iri(frm, "rt:countsAs")
        if not paths and alt and alt != to and not self.kn.routes_from.get(frm):
            alt_paths = self.sv.paths(alt, to, self.lang)
            if alt_paths:
                self.ent(alt)
                self.add(
                    self.t(
                        f"图谱里没有从{self.Q(frm)}出发的路线记录；它与{self.Q(alt)}同一层次，可参考{self.Q(alt)}的路线：",
                        f"The graph records no routes starting at {self.L(frm)}; it is at the level of {self.L(alt)}, so here are the routes from there:",
                    )
                )
                frm, paths = alt, self.region_filter(alt_paths) or alt_paths
        if not paths:
            self.add(
                self.t(
                    f"图谱里没有从{self.Q(frm)}到{self.Q(to)}的已知路线。",
                    f"The graph has no known route from {self.L(frm)} to {self.L(to)}.",
                )
            )
            self.routes_out_of(frm, limit=4)
            return
        shown = paths[:6]
        self.d.pathways = shown[:8]
        yes = self.t("可以。", "Yes. ") if self.yes_no_question() else ""
        self.add(
            yes
            + self.t(
                f"从{self.Q(frm)}到{self.Q(to)}，图谱里有{len(paths)}条路线，主要有：",
                f"From {self.L(frm)} to {self.L(to)} the graph has {len(paths)} route(s); the main ones:",
            )
        )
        for i, p in enumerate(shown, 1):
            self.add(self.path_line(p, i))
        # exams and conditions of the first steps, once per mechanism
        seen = set()
        for p in shown:
            for s in p.get("steps", [])[:2]:
                route = (s.get("via") or {}).get("iri") or s.get("route")
                mech = (s.get("mechanism") or {}).get("iri")
                if not route or mech in seen:
                    continue
                seen.add(mech)
                exam = self.kn.text(route, "rt:exam", self.lang)
                cond = self.conditions_of(route)
                if exam or cond:
                    name = self.L(mech) if mech else self.L(route)
                    extra = []
                    if exam:
                        extra.append(
                            self.t(f"考核：{exam.rstrip('。')}", f"assessment: {exam.rstrip('.')}")
                        )
                    if cond:
                        extra.append(
                            self.t(f"条件：{cond.rstrip('。')}", f"conditions: {cond.rstrip('.')}")
                        )
                    self.add("  - " + name + self.t("：", ": ") + self.t("；", "; ").join(extra))
                    self.cite(route)
                if len(seen) >= 4:
                    break
        if any(
            (s.get("region") or {}).get("iri") not in (None, RTD + "region-national")
            for p in shown
            for s in p.get("steps", [])
        ):
            self.add(_CAVEAT_REGION[self.lang])

    def later_routes_into(self, frm: str, target: str) -> None:
        """After a missed stage: the routes that still reach it one stage later (专科 → 专升本 → 本科)."""
        kn = self.kn
        targets = {target} | set(kn.children.get(target, []))
        seen: set[tuple[str, str]] = set()
        for r in kn.routes_from.get(frm, []):
            mid = kn.first_iri(r, "rt:to")
            if not mid or mid in targets or kn.is_a(r, "Transfer", "TitleRoute"):
                continue
            for r2 in kn.routes_from.get(mid, []):
                if kn.first_iri(r2, "rt:to") not in targets or kn.is_a(r2, "TitleRoute"):
                    continue
                if any(not x.endswith("region-national") for x in kn.iris(r2, "rt:region")):
                    continue
                mech = kn.first_iri(r2, "rt:mechanism")
                if not mech or (mid, mech) in seen:
                    continue
                seen.add((mid, mech))
                self.cite(r2)
                self.ent(mech)
                self.add(
                    self.t(
                        f"读完{self.Q(mid)}后，还可以经{self.Q(mech)}升入{self.Q(target)}。",
                        f"After {self.L(mid)}, {self.L(mech)} still leads on to {self.L(target)}.",
                    )
                )

    def yes_no_question(self) -> bool:
        text = self.u.text
        if self.lang == "zh":
            return bool(
                re.search(
                    r"(能|可以|可不可以|能不能|能否|有没有|是否|还能).*(吗|\?|？)|能不能|可不可以|能否",
                    text,
                )
            )
        return bool(
            re.match(
                r"\s*(can|could|is it possible|is there|are there|do|does|will|would|may)\b", text
            )
        )

    def routes_out_of(
        self, frm: str, limit: int = 8, intro: bool = True, skip_to: str | None = None
    ) -> None:
        kn = self.kn
        skip = ({skip_to} | set(kn.children.get(skip_to, []))) if skip_to else set()
        routes = [
            r
            for r in kn.routes_from.get(frm, [])
            if not kn.is_a(r, "TitleRoute") and kn.first_iri(r, "rt:to") not in skip
        ]
        # the asker's region's routes (and national ones); all of them if that leaves none
        routes = [r for r in routes if self.region_allows(r)] or routes
        self.ent(frm)
        if not routes:
            self.add(
                self.t(
                    f"图谱里还没有从{self.Q(frm)}出发的路线。",
                    f"The graph has no routes from {self.L(frm)} yet.",
                )
            )
            return

        # national first, then regional
        def level(r):
            return kn.number(kn.first_iri(r, "rt:to") or "", "rt:iscedLevel") or 9

        routes.sort(
            key=lambda r: (
                any(not x.endswith("region-national") for x in kn.iris(r, "rt:region")),
                kn.is_a(r, "Transfer"),
                kn.literal(r, "rt:confidence") == "low",
                level(r),
            )
        )
        if intro:
            self.add(
                self.t(
                    f"从{self.Q(frm)}出发可以走这些路线：",
                    f"From {self.L(frm)} these routes are open:",
                )
            )
        for r in routes[:limit]:
            self.add(self.route_line(r, with_from=False))
            self.d.pathways.append(self.single_step(r))
        if any(
            not x.endswith("region-national")
            for r in routes[:limit]
            for x in kn.iris(r, "rt:region")
        ):
            self.add(_CAVEAT_REGION[self.lang])

    def routes_into(self, to: str, limit: int = 8) -> None:
        kn = self.kn
        targets = [to] + kn.children.get(to, [])
        routes = []
        for t in targets:
            routes += [r for r in kn.routes_to.get(t, []) if not kn.is_a(r, "TitleRoute")]
        self.ent(to)
        if not routes:
            self.add(
                self.t(
                    f"图谱里还没有通往{self.Q(to)}的路线。",
                    f"The graph has no routes into {self.L(to)} yet.",
                )
            )
            return
        self.add(self.t(f"通往{self.Q(to)}的主要路线：", f"The main routes into {self.L(to)}:"))
        for r in routes[:limit]:
            self.add(self.route_line(r))
            self.d.pathways.append(self.single_step(r))
        self.add(
            self.t(
                "告诉我你现在在哪个阶段，我可以只列适合你的路线。",
                "Tell me which stage you are in and I'll list only the routes that start there.",
            )
        )

    def single_step(self, route: str) -> dict:
        kn = self.kn
        frm = kn.first_iri(route, "rt:from")
        to = kn.first_iri(route, "rt:to")
        mech = kn.first_iri(route, "rt:mechanism")
        years = kn.number(route, "rt:years")
        lo, hi = kn.number(route, "rt:yearsMin"), kn.number(route, "rt:yearsMax")
        region = kn.first_iri(route, "rt:region")
        step = {
            "from": {"iri": frm, "label": self.L(frm)},
            "to": {"iri": to, "label": self.L(to)},
            "via": {"iri": route, "label": self.L(mech) if mech else self.L(route)},
            "mechanism": {"iri": mech, "label": self.L(mech)} if mech else None,
            "years": years,
            "conditions": kn.texts(route, "rt:condition", self.lang),
            "region": {"iri": region, "label": self.L(region)} if region else None,
            "source": [
                {
                    "iri": s,
                    "title": self.kn.source_info(s, self.lang)["title"],
                    "url": self.kn.source_info(s, self.lang)["url"],
                }
                for s in kn.sources_of(route)
            ],
        }
        path: dict = {"steps": [step], "total_years": years}
        if years is None and lo is not None and hi is not None:
            step["years_range"] = [lo, hi]
            path["total_years_range"] = [lo, hi]
        return path

    def programme_next_levels(self, prog: str) -> None:
        """Same field at the next levels (derived class progressions)."""
        kn = self.kn
        cls = kn.first_iri(prog, "rt:programmeClass")
        self.ent(prog)
        chain = []
        cur = cls
        seen = set()
        while cur and cur not in seen and len(chain) < 2:
            seen.add(cur)
            nxt = None
            for cp in kn.classprog_from.get(cur, []):
                nxt = kn.first_iri(cp, "rt:toClass")
                if nxt:
                    self.cite(cp)
                    break
            if not nxt:
                break
            chain.append(nxt)
            cur = nxt
        if not chain:
            return
        label = self.L(prog)
        bits = []
        for c in chain:
            progs = kn.progs_by_class.get(c, [])
            lvl = programme_level(kn, progs[0]) if progs else None
            examples = self.t("、", ", ").join(self.L(p) for p in progs[:3])
            for p in progs[:3]:
                self.ent(p)
            bits.append(
                self.t(
                    f"{self.L(lvl) if lvl else ''}{self.L(c)}（如{examples}）",
                    f"{self.L(c)} at {self.L(lvl) if lvl else 'the next level'} (e.g. {examples})",
                )
            )
        self.add(
            self.t(
                f"你学的{label}在上一层次的同类专业：{'；'.join(bits)}。这是按专业代码对应推导的“同领域”衔接，具体以院校招生专业为准。",
                f"Your programme {label} continues in the same field at the next levels: {'; '.join(bits)}. "
                "This is derived from aligned catalogue codes (same field), not an official list: check each college's admission programmes.",
            )
        )

    # .................................................................. transfer

    def do_transfer(self) -> None:
        kn, u = self.kn, self.u
        mech = u.first("Mechanism")
        stage_only = [s for s, _, _ in u.stages]
        if mech and mech.endswith(("credit-bank", "comprehensive-choice")) and len(stage_only) < 2:
            return self.describe(mech)
        if not stage_only and mech is None and self.profile.get("stage"):
            stage_only = [self.profile["stage"]]
        frm = u.from_stage or (stage_only[0] if stage_only else self.profile.get("stage"))
        to = u.to_stage
        if (
            frm == RTD + "stage-comprehensive-high"
            and to is None
            and len(stage_only) == 1
            and "综合" in u.text + "comprehensive"
        ):
            return self.describe(frm)
        transfers = [r for r in kn.of_kind("Transfer")]
        chosen = []
        for r in transfers:
            rf, rt = kn.first_iri(r, "rt:from"), kn.first_iri(r, "rt:to")
            if frm and to:
                if rf == frm and rt == to:
                    chosen.append(r)
            elif frm:
                if rf == frm or rt == frm:
                    chosen.append(r)
            else:
                chosen.append(r)
        region = self.profile.get("region")
        reg_now = [r for r in u.all("Region") if not r.endswith("region-national")]
        if reg_now:
            region = reg_now[0]
        chosen.sort(
            key=lambda r: (
                0 if region and region in self.region_chain(r) else 1,
                0 if (kn.first_iri(r, "rt:region") or "").endswith("national") else 1,
            )
        )
        if frm and to:
            self.ent(frm)
            self.ent(to)
        if not chosen:
            self.add(
                self.t(
                    "图谱里没有找到这类转换的规则。",
                    "The graph has no rule for this kind of transfer.",
                )
            )
        else:
            if frm and to:
                self.add(
                    self.t(
                        f"可以转，但要看地区规定：从{self.Q(frm)}转到{self.Q(to)}，图谱里有这些规则：",
                        f"Yes, transfers are possible, depending on local rules. From {self.L(frm)} to {self.L(to)} the graph holds these rules:",
                    )
                )
            else:
                self.add(
                    self.t(
                        "普职之间可以相互转换，图谱里的规则有：",
                        "Moving between the general and vocational tracks is possible; the rules in the graph:",
                    )
                )
            for r in chosen[:6]:
                self.add(self.route_line(r))
                self.d.pathways.append(self.single_step(r))
        for m in ("mech-comprehensive-choice", "mech-credit-bank"):
            iri = RTD + m
            if iri in kn.entities and len(self.d.lines) < 10:
                text = self.definition(iri, full=False)
                if text:
                    self.ent(iri)
                    self.add(self.t(f"另外，{self.Q(iri)}：{text}", f"Also, {self.L(iri)}: {text}"))
        self.add(_CAVEAT_REGION[self.lang])
        self.d.suggestions = [
            self.t("综合高中是什么？", "What is a comprehensive high school?"),
            self.t("学分银行是什么？", "What is the credit bank?"),
            self.t("中职能考大学吗？", "Can a secondary vocational student go to university?"),
        ]

    def region_chain(self, route: str) -> list[str]:
        out = []
        for r in self.kn.iris(route, "rt:region"):
            cur = r
            while cur and cur not in out:
                out.append(cur)
                cur = self.kn.first_iri(cur, "rt:partOf")
        return out

    # .................................................................. the asker's region

    def user_region(self) -> tuple[str | None, dict | None]:
        """(a region of the graph the asker is in or asks about, a place named that the graph has
        no region for). A place in the message outranks the profile's region."""
        kn = self.kn
        named = self.message_regions()
        if named:
            return named[0], None
        if self.u.unknown_places:
            place = self.u.unknown_places[0]
            return place.get("within"), place
        region = self.profile.get("region")
        if region in kn.entities:
            return region, None
        # a place the session remembers that the graph has no region for (when the session keeps
        # one: {"zh", "en", "slug", "within"}, as in Understanding.unknown_places)
        place = self.profile.get("place")
        if isinstance(place, dict) and place.get("zh") and place.get("en"):
            within = place.get("within")
            return (within if within in kn.entities else None), place
        return None, None

    def region_scope(self) -> set[str] | None:
        """Regions whose routes apply to the asker: national, their region, the regions it is part
        of and the regions inside it; None when no region is known (everything applies)."""
        region, place = self.user_region()
        if region is None and place is None:
            return None
        scope = {RTD + "region-national"}
        if region:
            cur = region
            while cur and cur not in scope:
                scope.add(cur)
                cur = self.kn.first_iri(cur, "rt:partOf")
            todo = [region]
            while todo:
                for child in self.kn.children.get(todo.pop(), []):
                    if child not in scope:
                        scope.add(child)
                        todo.append(child)
        return scope

    def region_allows(self, route: str) -> bool:
        scope = self.region_scope()
        regions = self.kn.iris(route, "rt:region")
        return scope is None or not regions or any(r in scope for r in regions)

    def region_filter(self, paths: list[dict]) -> list[dict]:
        """Paths whose every step applies in the asker's region (all of them when none is known)."""
        scope = self.region_scope()
        if scope is None:
            return paths

        def applies(step: dict) -> bool:
            regions = step.get("regions") or ([step["region"]] if step.get("region") else [])
            return not regions or any((r or {}).get("iri") in scope for r in regions)

        return [p for p in paths if all(applies(s) for s in p.get("steps", []))]

    def place_name(self, place: dict | None) -> str:
        if not place:
            return ""
        return place["zh"] if self.lang == "zh" else place["en"]

    def place_note(self) -> str:
        """A place the graph has no rules for: said plainly, with where to check."""
        region, place = self.user_region()
        if not place:
            return ""
        self._where_said = True
        name = self.place_name(place)
        if region:
            return self.t(
                f"图谱里没有{name}的专门规定；{name}在{self.L(region)}，下面按全国通行的做法和图谱里{self.L(region)}的规定回答。"
                f"{name}的具体做法请以当地教育部门和招生考试机构当年公布的为准。",
                f"The graph has no rules specific to {name}; {name} is in {self.L(region)}, so this answer "
                f"uses the national rules and the graph's rules for {self.L(region)}. Check {name}'s "
                "education bureau and examination authority for the current local rules.",
            )
        return self.t(
            f"图谱里没有{name}的专门规定，下面是全国通行的做法；{name}的具体政策请以当地教育厅（局）和省级招生考试机构当年公布的为准。",
            f"The graph has no rules specific to {name}; what follows are the national rules. For "
            f"{name}'s own rules, check its education department and its provincial examination "
            "authority for the current year.",
        )

    # .................................................................. stigma

    def do_stigma(self) -> None:
        kn, u = self.kn, self.u
        misc = u.first("Misconception")
        if misc is None:
            hits = self.sv.search_iris(u, kinds=("Misconception",), k=3)
            misc = hits[0][0] if hits and hits[0][1] >= 0.2 else None
        if misc is None:
            miscs = kn.of_kind("Misconception")
            dead = RTD + "misc-dead-end"
            misc = dead if dead in kn.entities else (miscs[0] if miscs else None)
        stage = self.profile.get("stage")
        if u.self_statement and stage in kn.entities and any(s == stage for s, _r, _p in u.stages):
            # "我家孩子初三，成绩一般": a statement about the learner, with the worry in it
            self.ent(stage)
            self.add(
                self.t(
                    f"好的，我记下了（阶段：{self.L(stage)}）。",
                    f"Got it — I'll remember that (stage: {self.L(stage)}).",
                )
            )
        self.add(
            self.t(
                "理解你的顾虑。先看事实：",
                "I understand the worry. Here are the facts:",
            )
        )
        # "读五年制大专好不好，读完是什么学历": the route or school asked about, in a line
        subject = u.first("Mechanism", "InstitutionType")
        if subject:
            text = self.definition(subject, full=False)
            if text:
                self.ent(subject)
                self.cite(subject)
                self.add("• " + self.Q(subject) + self.t("：", ": ") + text)
        limits = kn.iris(misc, "rt:honestLimit") if misc else []
        # "缺点是什么" / "what are the drawbacks": the honest limits first, then the facts
        downside_first = bool(limits) and bool(_DOWNSIDE.search(u.text))
        if downside_first:
            self.add(self.t("先实事求是地说局限：", "First, honestly, the limits:"))
            for f in limits[:3]:
                self.add("• " + self.fact_line(f))
            self.add(self.t("同时也要看到这些事实：", "And the facts on the other side:"))
        used: list[str] = []
        if misc:
            self.ent(misc)
            self.cite(misc)
            answered = sorted(
                kn.iris(misc, "rt:answeredBy"),
                key=lambda f: (
                    any(
                        w in (kn.text(f, "rt:claim", "en") + kn.text(f, "rt:claim", "zh")).lower()
                        for w in _FOREIGN
                    ),
                    self.stigma_rank(f),
                    _CONF_RANK.get(kn.literal(f, "rt:confidence"), 2),
                ),
            )
            for f in answered[:5]:
                self.add("• " + self.fact_line(f))
                used.append(f)
        # law, routes upward, employment, ladder — as facts from the graph when not yet shown
        for topic_q in self.stigma_topics():
            for f in topic_q:
                if f not in used and len(used) < 7:
                    self.add("• " + self.fact_line(f))
                    used.append(f)
                    break
        up = self.upward_summary()
        if up:
            self.add(up)
        if downside_first:
            pass
        elif limits:
            self.add(self.t("也要实事求是地说局限：", "And, honestly, the limits:"))
            for f in limits[:3]:
                self.add("• " + self.fact_line(f))
        else:
            self.add(
                self.t(
                    "客观地说，各地升学名额和政策差别较大，向上的通道仍比普通教育窄一些。",
                    "Honestly, places and rules differ a lot between regions, and the routes upward are still narrower than on the general track.",
                )
            )
        self.add(
            self.t(
                "选哪条路，最好看孩子的兴趣和特长，而不是只看分数。",
                "The best choice depends on the child's interests and strengths, not only on exam scores.",
            )
        )
        self.d.suggestions = [
            self.t(
                "中职能考大学吗？", "Can a secondary vocational student get a bachelor's degree?"
            ),
            self.t(
                "职业本科的学位和普通本科一样吗？",
                "Is a vocational bachelor's degree worth the same as a general one?",
            ),
            self.t(
                "高职毕业生就业率是多少？", "What is the employment rate of vocational graduates?"
            ),
            self.t("技能等级怎么晋升？", "How does the skill-level ladder work?"),
        ]

    def stigma_topics(self) -> list[list[str]]:
        """Facts on the law (equal status), degrees, employment and the skill ladder, by search."""
        queries = (
            (
                "职业教育法 平等机会 同等重要地位",
                "Vocational Education Law equal status equal opportunities",
            ),
            ("职业本科 学士学位 价值等同", "vocational bachelor degree same value"),
            ("就业率 中职 高职", "employment rate secondary higher vocational graduates"),
            ("八级工 技能等级 技师 职称", "skill levels ladder technician title engineer"),
        )
        out = []
        for zh, en in queries:
            hits = self.sv.search_text(
                zh if self.lang == "zh" else en, kinds=("Fact",), k=2, dense=False
            )
            out.append([iri for iri, _ in hits])
        return out

    def upward_summary(self) -> str:
        """The national routes upward from secondary vocational school, from the route table."""
        kn = self.kn
        sv = RTD + "stage-secondary-vocational"
        hv = RTD + "stage-higher-vocational"
        b = RTD + "stage-bachelor"
        m = RTD + "stage-master"
        if sv not in kn.entities or b not in kn.entities:
            return ""
        bachelor = {b} | set(kn.children.get(b, []))
        master = {m} | set(kn.children.get(m, []))

        def national(r: str) -> bool:
            return all(x.endswith("region-national") for x in kn.iris(r, "rt:region")) and (
                kn.literal(r, "rt:confidence") != "low"
            )

        mechs: list[str] = []
        used: list[str] = []
        for start in (sv, hv):
            for r in kn.routes_from.get(start, []):
                if kn.first_iri(r, "rt:to") in bachelor and national(r):
                    mech = kn.first_iri(r, "rt:mechanism")
                    if mech and mech not in mechs:
                        mechs.append(mech)
                        used.append(r)
        if not mechs:
            return ""
        to_master = any(
            kn.first_iri(r, "rt:to") in master for x in bachelor for r in kn.routes_from.get(x, [])
        )
        for r in used:
            self.cite(r)
        for x in mechs[:5]:
            self.ent(x)
        self.ent(b)
        names = self.t("、", ", ").join(self.L(x) for x in mechs[:5])
        more = ""
        if to_master and m in kn.entities:
            self.ent(m)
            more = self.t(f"，本科之后还可以读{self.L(m)}", f", and on to a {self.L(m)}")
        return self.t(
            f"• 路不是死的：从中职可以升到本科，全国性的路线有{names}等{more}。",
            f"• It is not a dead end: from secondary vocational school there are national routes to a bachelor's degree such as {names}{more}.",
        )

    # .................................................................. facts

    def facts_for(self, iris: list[str], limit: int = 3) -> list[str]:
        """Facts about these resources: those about several of them first, then by confidence;
        low-confidence facts only when nothing better is known."""
        count: dict[str, int] = {}
        order: list[str] = []
        for iri in iris:
            for f in self.kn.facts_about.get(iri, []):
                if f not in count:
                    order.append(f)
                count[f] = count.get(f, 0) + 1
        ranked = sorted(
            order, key=lambda f: (-count[f], _CONF_RANK.get(self.kn.literal(f, "rt:confidence"), 2))
        )
        good = [f for f in ranked if self.kn.literal(f, "rt:confidence") != "low"]
        return (good or ranked)[:limit]

    def stigma_rank(self, fact: str) -> int:
        """Evidence order against stigma: the law, degrees and routes, jobs, the skill ladder."""
        text = (
            self.kn.text(fact, "rt:claim", "zh") + " " + self.kn.text(fact, "rt:claim", "en")
        ).lower()
        for rank, words in enumerate(_STIGMA_ORDER):
            if any(w in text for w in words):
                return rank
        return len(_STIGMA_ORDER)

    def do_fact(self) -> None:
        kn, u = self.kn, self.u
        text = u.text
        code_q = any(w in text for w in ("代码", "编码", "code"))
        occ = u.first("Occupation")
        grp = u.first("OccupationGroup")
        prog_group = u.programme_groups[0] if u.programme_groups else None
        wants_prog = bool(re.search(r"专业|programme|program|major", text))
        occ_code = bool(
            re.search(
                r"职业代码|职业编码|occupation(?:al)? codes?|codes? of (?:an? )?occupation", text
            )
        )
        if code_q and occ_code and not wants_prog and not (occ or grp):
            # "occupation code for a nurse": "nurse" read as the Nursing programme is still a job
            others = [m for m in u.mentions if "Programme" not in (m.kinds or [])]
            self._loose = loose_occupations(self.kn, text, others)
            if self.loose:
                prog_group = None
        if code_q and (occ or grp or prog_group or self.loose):
            if occ:
                self.describe_occupation(occ)
            elif prog_group and (wants_prog or not (grp or self.loose)):
                prog = self.pick_programme(prog_group)
                self.describe_programme(prog, with_careers=False)
            elif grp:
                self.describe_group(grp)
            else:
                self.describe_loose(self.loose)
            return
        hits = self.sv.search_iris(u, kinds=("Fact",), k=10)
        linked = [iri for iri in u.all(*kn_kinds_for_facts()) if kn.facts_about.get(iri)]
        facts: list[tuple[str, float]] = []
        for iri, conf in hits:
            facts.append((iri, conf))
        # facts about the linked entities that also match lexically go first
        about = set()
        for iri in linked:
            about.update(kn.facts_about.get(iri, []))
        years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text))

        def year_bonus(f: str) -> float:
            if not years:
                return 0.0
            blob = kn.literal(f, "rt:asOf") + kn.text(f, "rt:claim", "zh")
            return 0.4 if any(y in blob for y in years) else -0.2

        asked_unit = counted_unit(text)

        def unit_bonus(f: str) -> float:
            # "有多少个专业大类": a count in the asked unit answers it, a count in another does not
            if not asked_unit:
                return 0.0
            unit = kn.text(f, "rt:unit", "zh", fallback=False)
            if not unit:
                return 0.0
            return 0.35 if unit == asked_unit else -0.15

        facts = [(f, c + unit_bonus(f)) for f, c in facts]
        facts.sort(key=lambda x: -(x[1] + (0.3 if x[0] in about else 0.0) + year_bonus(x[0])))
        good = [f for f, c in facts if c + year_bonus(f) >= 0.25]
        conf = dict(facts)
        # a place named: only that place's figures answer it; else say the graph has none for it
        regions = self.message_regions()
        place = u.unknown_places[0] if u.unknown_places else None
        if regions or place:
            area: set[str] = set()
            for r in regions:
                area |= {r} | set(kn.children.get(r, []))
            # how well a fact about that place matches the question without the place's name
            spans = [(m.start, m.end) for m in u.mentions if m.kinds and m.kinds[0] == "Region"]
            rest = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
            for p_ in u.unknown_places:
                rest = rest.replace(p_["zh"], " ").replace(p_["en"].lower(), " ")
            topical = dict(self.sv.search_text(rest, kinds=("Fact",), k=30, dense=False))
            local = [
                f
                for f in good
                if set(kn.iris(f, "rt:about")) & area and topical.get(f, 0) + year_bonus(f) >= 0.5
            ]
            if not local:
                near = [f for f in good if topical.get(f, 0) + year_bonus(f) >= 0.5]
                return self.no_local_figure(regions, place, near, area)
            good = local
        weak = False
        if not good and about:
            good = list(about)[:2]
            weak = True
        if not good:
            subject = self.main_subject()
            if subject:
                return self.describe(subject)
            return self.do_unknown()
        top = good[0]
        top_score = conf.get(top, 0)
        if not weak and top_score + year_bonus(top) < 0.45 and top not in about:
            weak = True
        if weak:
            self.add(
                self.t(
                    "图谱里没有能直接回答这个问题的数据。最接近的、有来源的事实（供参考，不一定是你问的）：",
                    "The graph has no figure that answers this directly. The closest sourced fact "
                    "(for reference; it may not be what you asked):",
                )
            )
            shown = [top]
        else:
            self.add(self.t("根据图谱里有来源的数据：", "From the sourced figures in the graph:"))
            topic = kn.text(top, "rt:topic", "zh")
            shown = [top]
            # more facts: as strong as the best, or of the same topic (专业目录, 职业分类…)
            for f, c in facts:
                if len(shown) >= 3 or f in shown:
                    continue
                if (regions or place) and f not in good:
                    continue  # only that place's figures
                same_topic = topic and kn.text(f, "rt:topic", "zh") == topic and c >= 0.2
                if c >= max(0.25, top_score * 0.45) or same_topic:
                    shown.append(f)
        for f in shown:
            self.add("• " + self.fact_line(f))
        self.d.suggestions = [
            self.t("职业教育是不是低人一等？", "Is vocational education a dead end?"),
            self.t(
                "中职毕业能读本科吗？",
                "Can a secondary vocational student get a bachelor's degree?",
            ),
            self.t("职业本科毕业有学位吗？", "Do vocational bachelor's graduates get a degree?"),
        ]

    def no_local_figure(
        self, regions: list[str], place: dict | None, good: list[str], area: set[str]
    ) -> None:
        """A figure asked for a place the graph has no figure for: said plainly; national figures
        on the same question, marked as national; where the local figure is published."""
        kn = self.kn
        name = self.L(regions[0]) if regions else self.place_name(place)
        self.add(
            self.t(
                f"图谱里没有{name}的这项数据。",
                f"The graph has no figure on this for {name}.",
            )
        )

        def regional(f: str) -> bool:
            return any(
                kn.is_a(r, "Region") and not r.endswith("region-national")
                for r in kn.iris(f, "rt:about")
            )

        national = [f for f in good if not regional(f)][:2]
        if national:
            self.add(
                self.t(
                    "图谱里全国层面的、有来源的相关数据（不是该地的数据）：",
                    "Related national figures in the graph, with sources (not figures for that place):",
                )
            )
            for f in national:
                self.add("• " + self.fact_line(f))
        local = [f for r in sorted(area) for f in kn.facts_about.get(r, [])][:1]
        if local:
            self.add(
                self.t(
                    f"图谱里关于{name}的、有来源的内容：",
                    f"What the graph does hold about {name}, with its source:",
                )
            )
            self.add("• " + self.fact_line(local[0]))
        self.add(
            self.t(
                f"{name}的统计数据，请查当地教育部门或统计部门公布的统计公报。",
                f"For {name}'s own figures, check the statistical bulletins of its education or "
                "statistics authorities.",
            )
        )
        self._where_said = True

    # .................................................................. certificates / degrees

    def do_certificate(self) -> None:
        kn, u = self.kn, self.u
        cred = u.first(*CRED_KINDS) or u.first("ProfessionalTitle")
        if cred:
            self.describe(cred)
            # two certificates named ("X证书和1+X是一回事吗"): the other one too, briefly
            for other in [c for c in u.all(*CRED_KINDS) if c != cred][:1]:
                self.ent(other)
                self.cite(other)
                text = self.definition(other, full=False)
                self.add(self.Q(other) + (self.t("：", ": ") + text if text else ""))
            return
        if u.programme_groups:
            prog = self.pick_programme(u.programme_groups[0])
            self.describe_programme(prog)
            return
        occ = u.first("Occupation")
        if occ:
            self.describe_occupation(occ)
            return
        prog = self.profile.get("programme")
        if not u.mentions and prog in kn.entities:
            # "他以后能考什么证" after "我儿子在中职学汽修": the programme's certificates
            self.describe_programme(prog)
            self.d.suggestions = self.programme_suggestions(prog)
            return
        # degree for a stage: credentials awarded at it
        stage = u.to_stage or u.from_stage or (self.u.stages[0][0] if self.u.stages else None)
        if stage:
            creds = [c for c in kn.of_kind(*CRED_KINDS) if stage in kn.iris(c, "rt:awardedAt")]
            if not creds:
                for child in kn.children.get(stage, []):
                    creds += [
                        c for c in kn.of_kind(*CRED_KINDS) if child in kn.iris(c, "rt:awardedAt")
                    ]
            if creds:
                self.add(
                    self.t(
                        f"{self.Q(stage)}的学历学位与证书：",
                        f"Degrees and certificates at {self.L(stage)}:",
                    )
                )
                for c in creds[:4]:
                    self.ent(c)
                    text = self.definition(c, full=False)
                    self.add("• " + self.L(c) + (self.t("：", ": ") + text if text else ""))
                for f in self.facts_for([stage] + creds, limit=2):
                    self.add("• " + self.fact_line(f))
                self.d.suggestions = self.entity_suggestions(stage)
                return
        hits = self.sv.search_iris(u, kinds=tuple(CRED_KINDS) + ("ProfessionalTitle", "Fact"), k=3)
        if hits and hits[0][1] >= 0.3:
            return self.describe(hits[0][0])
        return self.do_unknown()

    # .................................................................. comparison

    def do_comparison(self) -> None:
        kn, u = self.kn, self.u
        items = [s for s, _, _ in u.stages]
        if len(items) < 2:
            # "技校和职高": two names of one stage; compare what each names (the school types)
            named: list[str] = []
            for m in u.mentions:
                order = sorted(m.iris, key=lambda i: self.kn.kind(i) != "InstitutionType")
                pick = next((i for i in order if i not in named), None)
                if pick and self.kn.kind(pick) in ("EducationStage", "InstitutionType"):
                    named.append(pick)
            if len(named) >= 2:
                items = named
        for kind in ("Mechanism", "EducationSystem", "Degree", "Credential", "Programme"):
            for iri in u.all(kind):
                if iri not in items:
                    items.append(iri)
        if len(items) == 1 and self.profile.get("stage") and self.profile["stage"] not in items:
            items.insert(0, self.profile["stage"])
        if len(items) < 2:
            # e.g. "普高还是中职好" where one side was not linked: the two upper-secondary tracks
            gs, sv = RTD + "stage-general-senior", RTD + "stage-secondary-vocational"
            items = [gs, sv] if gs in kn.entities and sv in kn.entities else items
        if len(items) < 2:
            return self.do_definition()
        a, b = items[0], items[1]
        comp = self.comparison_resource(a, b)
        self.add(
            self.t(f"{self.Q(a)}和{self.Q(b)}的比较：", f"{self.L(a)} compared with {self.L(b)}:")
        )
        if comp:
            self.ent(comp)
            text = self.definition(comp, n=6)
            if text:
                self.add(text)
        for x in (a, b):
            self.ent(x)
            text = self.definition(x, full=True, n=2)
            self.add(
                "• "
                + self.L(x)
                + self.t("：", ": ")
                + (text or self.t("图谱里暂无说明。", "no description in the graph yet."))
            )
            outs = [
                r for r in kn.routes_from.get(x, []) if not kn.is_a(r, "TitleRoute", "Transfer")
            ]
            if outs:
                names = []
                for r in outs[:5]:
                    self.cite(r)
                    to = kn.first_iri(r, "rt:to")
                    mech = kn.first_iri(r, "rt:mechanism")
                    nm = self.L(to) + (
                        self.t(f"（{self.L(mech)}）", f" ({self.L(mech)})") if mech else ""
                    )
                    if nm not in names:
                        names.append(nm)
                self.add(
                    self.t(
                        f"  之后可以升入：{'；'.join(names)}", f"  Leads on to: {'; '.join(names)}"
                    )
                )
        interest = u.first("Interest") or self.profile.get("interest")
        if interest and interest in kn.entities:
            self.fields_and_programmes(interest)
        creds = [c for c in kn.of_kind(*CRED_KINDS) if {a, b} & set(kn.iris(c, "rt:awardedAt"))]
        for f in self.facts_for([a, b] + creds, limit=2):
            self.add("• " + self.fact_line(f))
        self.add(
            self.t(
                "两条路都能通向本科；哪条更合适，取决于孩子的兴趣、学习方式和当地的升学政策。",
                "Both tracks can lead to a bachelor's degree; which suits better depends on the child's interests, how they like to learn, and the local admission rules.",
            )
        )
        self.d.suggestions = [
            self.t(
                "中职能考大学吗？", "Can a secondary vocational student get a bachelor's degree?"
            ),
            self.t("综合高中是什么？", "What is a comprehensive high school?"),
            self.t(
                "中职学生可以转到普通高中吗？",
                "Can a vocational student transfer to a general high school?",
            ),
        ]

    def comparison_resource(self, a: str, b: str) -> str | None:
        kn = self.kn
        for iri, ent in kn.entities.items():
            if "Comparison" in ent.types or ent.kind == "Comparison":
                linked = set(kn.iris(iri, "rt:about")) | set(kn.iris(iri, "rt:comparableTo"))
                if a in linked and b in linked:
                    return iri
        return None

    # .................................................................. regional / international

    def covered_regions(self, limit: int = 6) -> list[str]:
        """The regions the graph holds sourced rules for, most rules first."""
        kn = self.kn
        count: dict[str, int] = {}
        for region, routes in kn.routes_by_region.items():
            if region.endswith("region-national") or region not in kn.entities:
                continue
            if kn.first_iri(region, "rt:partOf") in (
                RTD + "region-germany",
                RTD + "region-finland",
            ):
                continue
            top = region
            parent = kn.first_iri(region, "rt:partOf")
            if parent and not parent.endswith("region-national"):
                top = parent
            count[top] = count.get(top, 0) + len(routes)
        return sorted(count, key=lambda r: (-count[r], r))[:limit]

    def regional_topic(self) -> tuple[set[str], set[str]]:
        """What a regional question is about: (mechanisms and their related ones, stages)."""
        kn, u = self.kn, self.u
        mechs = set(u.all("Mechanism"))
        for m in list(mechs):
            mechs |= set(kn.iris(m, "skos:related"))
        for m in kn.of_kind("Mechanism"):
            if set(kn.iris(m, "skos:related")) & mechs:
                mechs.add(m)
        stages = {s for s, _r, _p in u.stages}
        for s in list(stages):
            stages |= set(kn.children.get(s, []))
        return mechs, stages

    def on_topic(self, iri: str, mechs: set[str], stages: set[str]) -> bool:
        kn = self.kn
        if kn.is_a(iri, "Mechanism"):
            return iri in mechs
        if set(kn.iris(iri, "rt:mechanism")) & mechs:
            return True
        if stages and not mechs:
            return bool({kn.first_iri(iri, "rt:from"), kn.first_iri(iri, "rt:to")} & stages)
        return False

    def national_on_topic(self, mechs: set[str], stages: set[str]) -> bool:
        """The national routes on a topic (a mechanism, or routes from the stages named)."""
        kn = self.kn

        def national(r: str) -> bool:
            regions = kn.iris(r, "rt:region")
            return not regions or all(x.endswith("region-national") for x in regions)

        named = [m for m in self.u.all("Mechanism") if m in mechs]
        routes: list[str] = []
        for m in named:
            routes += [r for r in kn.routes_by_mech.get(m, []) if national(r) and r not in routes]
        if not named and stages:
            for s in sorted(stages):
                routes += [
                    r
                    for r in kn.routes_from.get(s, [])
                    if national(r) and not kn.is_a(r, "TitleRoute") and r not in routes
                ]
        for m in named[:1]:
            text = self.definition(m, full=False)
            if text:
                self.ent(m)
                self.add(self.Q(m) + self.t("：", ": ") + text)
        for r in routes[:4]:
            self.add(self.route_line(r))
            self.d.pathways.append(self.single_step(r))
        return bool(routes or named)

    def where_to_check(self, name: str | None = None) -> str:
        self._where_said = True
        if name:
            return self.t(
                f"{name}的具体规定，请查当地教育厅（局）和省级招生考试机构（教育考试院）当年公布的文件和招生简章。",
                f"For {name}'s own rules, check the local education department and the provincial "
                "examination authority: their current documents and admission brochures.",
            )
        return _CAVEAT_REGION[self.lang]

    def do_regional(self) -> None:
        kn = self.kn
        region, place = self.user_region()
        mechs, stages = self.regional_topic()
        covered = self.t("、", ", ").join(self.L(r) for r in self.covered_regions())
        if place and not region:
            # a place the graph has no rules for: say so, then what is national, then where to look
            name = place["zh"] if self.lang == "zh" else place["en"]
            self.add(
                self.t(
                    f"图谱里没有{name}的专门规定（图谱只收录了部分地区有来源的规则：{covered}等）。",
                    f"The graph has no rules specific to {name} (it holds sourced rules only for some "
                    f"regions: {covered} and others).",
                )
            )
            if self.national_on_topic(mechs, stages):
                self.add(
                    self.t(
                        "上面是全国层面的做法，各省细则可能不同。",
                        "Those are the national rules; provinces set their own details.",
                    )
                )
            self.add(self.where_to_check(name))
            self.d.suggestions = self.regional_suggestions()
            return
        if place and region:
            self.add(self.place_note())
        if not region or region not in kn.entities:
            self.add(
                self.t(
                    f"你想了解哪个省市的规定？图谱里有这些地区有来源的具体规则：{covered}。",
                    f"Which province or city do you mean? The graph has sourced rules for: {covered}.",
                )
            )
            self.add(_CAVEAT_REGION[self.lang])
            return
        self.ent(region)
        area = [region] + kn.children.get(region, [])
        routes = []
        for r in area:
            routes += [x for x in kn.routes_by_region.get(r, []) if x not in routes]
        mech_rules = [
            m for m in kn.of_kind("Mechanism") if set(kn.iris(m, "rt:region")) & set(area)
        ]
        facts = []
        for r in area:
            facts += [f for f in kn.facts_about.get(r, []) if f not in facts]
        parent = kn.first_iri(region, "rt:partOf")
        if mechs or stages:
            # a question about one thing in one region: only the rules about that thing
            topic_iris = mechs | stages
            on_routes = [r for r in routes if self.on_topic(r, mechs, stages)]
            on_mechs = [m for m in mech_rules if self.on_topic(m, mechs, stages)]
            on_facts = [f for f in facts if set(kn.iris(f, "rt:about")) & topic_iris]
            if not (on_routes or on_mechs or on_facts) and (routes or mech_rules or facts):
                names = self.t("、", ", ").join(
                    self.L(x) for x in (self.u.all("Mechanism") or sorted(stages))[:2]
                )
                self.add(
                    self.t(
                        f"图谱里没有{self.Q(region)}关于{names}的专门规定。全国层面的做法是：",
                        f"The graph has no rule of {self.L(region)} on {names}. The national rules:",
                    )
                )
                if not self.national_on_topic(mechs, stages):
                    self.add(
                        self.t(
                            "（图谱里也没有这方面的全国性路线。）",
                            "(The graph holds no national route on it either.)",
                        )
                    )
                other = [self.L(m) for m in mech_rules[:3]] + [
                    self.L(kn.first_iri(r, "rt:mechanism")) for r in routes[:6]
                ]
                other = list(dict.fromkeys(x for x in other if x))[:4]
                if other:
                    self.add(
                        self.t(
                            f"图谱里{self.L(region)}有来源的规定涉及：{'、'.join(other)}。",
                            f"The graph's sourced rules for {self.L(region)} are about: {', '.join(other)}.",
                        )
                    )
                self.add(self.where_to_check(self.L(region)))
                self.d.suggestions = self.regional_suggestions()
                return
            if on_routes or on_mechs or on_facts:
                routes, mech_rules, facts = on_routes, on_mechs, on_facts
        if not routes and not mech_rules and not facts:
            self.add(
                self.t(
                    f"图谱里暂时没有{self.Q(region)}的专门规则，下面是全国通行的做法。",
                    f"The graph has no rules specific to {self.L(region)} yet; the national rules apply as below.",
                )
            )
            if parent and parent != RTD + "region-national":
                routes = kn.routes_by_region.get(parent, [])
            elif not self.national_on_topic(mechs, stages):
                self.add(self.where_to_check(self.L(region)))
        else:
            self.add(
                self.t(
                    f"{self.Q(region)}的相关规定（图谱中有来源的部分）：",
                    f"Rules for {self.L(region)} (the sourced ones in the graph):",
                )
            )
        for m in mech_rules[:3]:
            self.ent(m)
            text = self.definition(m, n=2)
            self.add("• " + self.L(m) + self.t("：", ": ") + text)
        for r in routes[:5]:
            self.add(self.route_line(r))
            self.d.pathways.append(self.single_step(r))
        for f in facts[:3]:
            self.add("• " + self.fact_line(f))
        self.add(_CAVEAT_REGION[self.lang])
        self.d.suggestions = self.regional_suggestions()

    def regional_suggestions(self) -> list[str]:
        return [
            self.t(
                "中职学生可以转到普通高中吗？",
                "Can a vocational student transfer to a general high school?",
            ),
            self.t("综合高中是什么？", "What is a comprehensive high school?"),
            self.t("职教高考考哪些内容？", "What does the vocational gaokao test?"),
        ]

    def do_international(self) -> None:
        kn, u = self.kn, self.u
        systems = u.all("EducationSystem")
        if not systems:
            for r in u.all("Region"):
                systems += [
                    s for s in kn.of_kind("EducationSystem") if r in kn.iris(s, "rt:country")
                ]
        if not systems:
            hits = self.sv.search_iris(u, kinds=("EducationSystem",), k=2)
            systems = [h for h, c in hits if c >= 0.3]
        if not systems:
            systems = kn.of_kind("EducationSystem")
            if not systems:
                return self.do_unknown()
            self.add(
                self.t(
                    "图谱里有这些国外体系可供比较：",
                    "The graph holds these systems for comparison:",
                )
            )
            for s in systems[:3]:
                self.ent(s)
                self.add("• " + self.L(s) + self.t("：", ": ") + self.definition(s, full=False))
            return
        systems.sort(key=lambda s: -len(kn.facts_about.get(s, [])))
        for s in systems[:2]:
            self.describe(s)
            country = kn.first_iri(s, "rt:country")
            for f in self.facts_for([country] if country else [], limit=3):
                if f not in [e["iri"] for e in self.d.entities]:
                    self.add("• " + self.fact_line(f))
        self.add(
            self.t(
                "国外经验只能参考：各国劳动力市场和招生制度不同，不能直接照搬。",
                "Other countries' systems are a reference, not a template: their labour markets and admission systems differ.",
            )
        )
        self.d.suggestions = [
            self.t(
                "芬兰的应用科技大学是什么？", "What are Finland's universities of applied sciences?"
            ),
            self.t("中国的职业本科是什么？", "What is a vocational bachelor's programme in China?"),
            self.t("职业教育是不是低人一等？", "Is vocational education a dead end?"),
        ]

    # .................................................................. profile / recommendation

    def do_profile(self) -> None:
        p = self.profile
        said = []
        if p.get("stage"):
            said.append(self.t(f"阶段：{self.L(p['stage'])}", f"stage: {self.L(p['stage'])}"))
            self.ent(p["stage"])
        if p.get("programme"):
            said.append(
                self.t(f"专业：{self.L(p['programme'])}", f"programme: {self.L(p['programme'])}")
            )
            self.ent(p["programme"])
        if p.get("interest"):
            said.append(
                self.t(f"兴趣：{self.L(p['interest'])}", f"interest: {self.L(p['interest'])}")
            )
            self.ent(p["interest"])
        if p.get("region"):
            said.append(self.t(f"地区：{self.L(p['region'])}", f"region: {self.L(p['region'])}"))
            self.ent(p["region"])
        if said:
            self.add(
                self.t(
                    f"好的，我记下了（{'；'.join(said)}）。",
                    f"Got it — I'll remember that ({'; '.join(said)}).",
                )
            )
        else:
            self.add(self.t("好的，谢谢你告诉我。", "Thanks for telling me."))
        stage = p.get("stage")
        if stage and stage in self.kn.entities:
            self.routes_out_of(stage, limit=5)
        if p.get("programme") and p["programme"] in self.kn.entities:
            self.programme_next_levels(p["programme"])
        if p.get("interest") and not p.get("programme"):
            self.fields_and_programmes(p["interest"], level=self.next_level(stage))
        self.d.suggestions = self.profile_suggestions()

    def next_level(self, stage: str | None) -> str | None:
        kn = self.kn
        if stage == RTD + "stage-junior-secondary":
            return RTD + "stage-secondary-vocational"
        if stage in (RTD + "stage-secondary-vocational", RTD + "stage-general-senior"):
            return RTD + "stage-higher-vocational"
        if stage == RTD + "stage-higher-vocational":
            return RTD + "stage-vocational-bachelor"
        return None if stage is None else (kn.first_iri(stage, "rt:nextLevel"))

    def do_recommendation(self) -> None:
        kn, u = self.kn, self.u
        occs, term = self.wanted_jobs()
        if occs and not u.all("Occupation") and self.programmes_for_jobs(occs, term):
            self.d.intent = "career"
            return
        if not u.first("Interest") and (u.first("Occupation") or u.programme_groups):
            self.d.intent = "career"
            return self.do_career()
        interest = u.first("Interest") or self.profile.get("interest")
        stage = u.from_stage or self.profile.get("stage")
        level = self.next_level(stage)
        if stage:
            self.ent(stage)
        if interest and interest in kn.entities:
            if stage == RTD + "stage-junior-secondary":
                self.add(
                    self.t(
                        f"初中毕业后，喜欢{self.L(interest)}的孩子可以认真考虑职业教育方向：中职（含技工学校）、五年一贯制高职，或综合高中；也可以读普通高中以后再选专业。",
                        f"After junior secondary school, a child who enjoys {self.L(interest).lower()} could seriously consider the vocational track: "
                        "a secondary vocational school (including technical schools), a five-year integrated higher vocational programme, "
                        "or a comprehensive high school — or a general high school, choosing a field later.",
                    )
                )
                for inst in self.kn.of_kind("InstitutionType"):
                    if RTD + "stage-secondary-vocational" in kn.iris(
                        inst, "rt:providesStage"
                    ) or RTD + "stage-skilled-intermediate" in kn.iris(inst, "rt:providesStage"):
                        self.ent(inst)
            fields = self.fields_and_programmes(interest, level=level)
            if stage:
                self.routes_out_of(stage, limit=5)
            if not fields:
                self.add(
                    self.t(
                        "可以多告诉我一些孩子的兴趣。", "Tell me more about what the child enjoys."
                    )
                )
        elif stage:
            self.routes_out_of(stage)
            self.add(
                self.t(
                    "如果告诉我孩子喜欢做什么（比如动手修东西、画画、照顾人、电脑），我可以推荐对应的专业领域。",
                    "If you tell me what the child enjoys (fixing things, drawing, caring for people, computers…), I can suggest fields that fit.",
                )
            )
        else:
            return self.do_overview()
        self.add(
            self.t(
                "具体学校和专业的招生计划，请查看当地当年的招生简章。",
                "For specific schools and their admission plans, check this year's local admission brochures.",
            )
        )
        self.d.suggestions = self.profile_suggestions()

    # ------------------------------------------------------------------ suggestions

    def default_suggestions(self) -> list[str]:
        return [
            self.t(
                "初中毕业后可以读哪些学校？",
                "What options are there after junior secondary school?",
            ),
            self.t(
                "中职能考大学吗？", "Can a secondary vocational student get a bachelor's degree?"
            ),
            self.t("专升本是什么意思？", "What is 专升本 (upgrading to a bachelor's)?"),
            self.t("职业教育是不是低人一等？", "Is vocational education a dead end?"),
        ]

    def entity_suggestions(self, iri: str) -> list[str]:
        kind = self.kn.kind(iri)
        label = self.L(iri)
        if kind == "Mechanism":
            return [
                self.t(f"{label}需要什么条件？", f"Who can apply for {label}?"),
                self.t(
                    "中职能考大学吗？",
                    "Can a secondary vocational student get a bachelor's degree?",
                ),
                self.t(
                    "高职毕业还能读研究生吗？",
                    "Can I get a master's degree after a higher vocational college?",
                ),
            ]
        if kind == "EducationStage":
            return [
                self.t(f"{label}毕业后能读什么？", f"What can I study after {label}?"),
                self.t(
                    "普高和中职之间能互转吗？",
                    "Can students switch between the general and vocational tracks?",
                ),
                self.t("职业教育是不是低人一等？", "Is vocational education a dead end?"),
            ]
        if kind in ("Programme", "Occupation"):
            return [
                self.t(f"{label}要考哪些证书？", f"Which certificates matter for {label}?"),
                self.t(f"学{label}能读本科吗？", f"Can I get a bachelor's degree in {label}?"),
                self.t("1+X证书是什么？", "What is the 1+X certificate system?"),
            ]
        return self.default_suggestions()[:3]

    def programme_suggestions(self, prog: str) -> list[str]:
        label = self.L(prog)
        return [
            self.t(f"学{label}以后能读本科吗？", f"Can I continue {label} to a bachelor's degree?"),
            self.t(f"{label}要考哪些证书？", f"Which certificates matter for {label}?"),
            self.t("1+X证书是什么？", "What is the 1+X certificate system?"),
        ]

    def pathway_suggestions(self, frm: str | None, to: str | None) -> list[str]:
        out = []
        if frm and frm.endswith(("stage-secondary-vocational", "stage-general-senior")):
            out.append(
                self.t(
                    "普高和中职之间能互转吗？",
                    "Can students switch between the general and vocational tracks?",
                )
            )
        if (
            to
            and to.endswith("stage-bachelor")
            or (frm and frm.endswith("stage-higher-vocational"))
        ):
            out.append(self.t("专升本是什么意思？", "What is 专升本 (upgrading to a bachelor's)?"))
        out += [
            self.t("职教高考考哪些内容？", "What does the vocational gaokao test?"),
            self.t("专升本是什么意思？", "What is 专升本 (upgrading to a bachelor's)?"),
            self.t("职业本科毕业有学位吗？", "Do vocational bachelor's graduates get a degree?"),
        ]
        return out

    def profile_suggestions(self) -> list[str]:
        p = self.profile
        out = []
        if p.get("stage"):
            out.append(self.t("我以后怎么读本科？", "How can I get a bachelor's degree later?"))
        if p.get("programme"):
            out.append(self.t("我的专业将来能做什么工作？", "What jobs does my programme lead to?"))
        if p.get("interest"):
            out.append(self.t("应该选什么学校？", "Which school should he consider?"))
        out += [
            self.t(
                "中职学生可以转到普通高中吗？",
                "Can a vocational student transfer to a general high school?",
            ),
            self.t("职业教育是不是低人一等？", "Is vocational education a dead end?"),
        ]
        return out


_COUNT_Q = re.compile(r"多少|几个|几类|how many|number of|count of")
# the unit a count question asks about, most specific first: (pattern, rt:unit as in the graph)
_COUNT_UNITS = (
    (re.compile(r"大类|categor"), "大类"),
    (
        re.compile(r"专业类|programme class|program class|classes of (?:programme|program|major)"),
        "专业类",
    ),
    (re.compile(r"专业|programme|program|major|speciali[sz]ation"), "专业"),
    (re.compile(r"职业|occupation"), "职业"),
)


def counted_unit(text: str) -> str | None:
    """The unit a count question asks for ("有多少个专业大类" → 大类, "how many programme classes"
    → 专业类), as the graph's ``rt:unit`` spells it in Chinese; None when it is no count question."""
    if not _COUNT_Q.search(text):
        return None
    for rx, unit in _COUNT_UNITS:
        if rx.search(text):
            return unit
    return None


def kn_kinds_for_facts() -> tuple[str, ...]:
    return (
        "EducationStage",
        "Mechanism",
        "Programme",
        "Occupation",
        "Credential",
        "Degree",
        "Certificate",
        "Licence",
        "SkillLevel",
        "Region",
        "EducationSystem",
        "InstitutionType",
        "Field",
    )
