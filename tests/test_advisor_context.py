"""Understanding in context, on the real graph with the hash encoder (nothing here may depend on
dense retrieval): what a session remembers and how a follow-up uses it, the stage a learner did
not get into (never the start), and questions the graph cannot answer (said plainly)."""

from __future__ import annotations

import pytest
from advisor_support import text_of

RTD = "https://w3id.org/rongtong/id/"
VOC = RTD + "stage-secondary-vocational"
HIGHER = RTD + "stage-higher-vocational"
GENERAL = RTD + "stage-general-senior"
JUNIOR = RTD + "stage-junior-secondary"
BACHELOR = RTD + "stage-bachelor"
BACHELORS = {BACHELOR, RTD + "stage-general-bachelor", RTD + "stage-vocational-bachelor"}


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("hash")


def han_share(text: str) -> float:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") / max(1, len(text))


# ---------------------------------------------------------------- multi-turn context


@pytest.mark.parametrize(
    "first,follow_up",
    [
        ("我在高职学护理", "还能读本科吗"),
        ("我是高职护理专业的学生", "我还能读本科吗"),  # "读本科" is where to go, not the stage
        ("我在大专读护理", "还可以考本科吗"),
    ],
)
def test_nursing_student_at_a_higher_vocational_college_asks_about_a_bachelor(
    adv, first, follow_up
):
    r1 = adv.ask(first)
    assert r1.debug["profile"]["stage"] == HIGHER
    r2 = adv.ask(follow_up, session_id=r1.session_id)
    assert r2.intent == "pathway"
    assert r2.debug["from"] == HIGHER and r2.debug["to"] == BACHELOR
    t = text_of(r2)
    assert "专升本" in t and "护理" in t
    assert r2.pathways and all(p["steps"][0]["from"]["iri"] == HIGHER for p in r2.pathways)
    # the question did not overwrite what the session knows about the learner
    assert r2.debug["profile"]["stage"] == HIGHER
    assert r2.debug["profile"]["programme"] == r1.debug["profile"]["programme"]


def test_nursing_student_in_english(adv):
    r1 = adv.ask("I study nursing at a higher vocational college")
    r2 = adv.ask("Can I still get a bachelor's degree?", session_id=r1.session_id)
    assert r2.intent == "pathway" and r2.lang == "en"
    t = text_of(r2)
    assert "upgrade" in t and "nursing" in t
    assert han_share(r2.answer) < 0.2


def test_a_follow_up_naming_only_a_mechanism_is_about_the_learner(adv):
    r1 = adv.ask("我在高职学护理")
    r2 = adv.ask("能专升本吗", session_id=r1.session_id)
    assert r2.intent == "pathway"  # not a definition of 专升本
    t = text_of(r2)
    assert "高职专科" in t and "护理" in t and "可以" in r2.answer
    assert all(p["steps"][0]["from"]["iri"] == HIGHER for p in r2.pathways)


def test_a_follow_up_naming_a_mechanism_that_does_not_start_there_says_so(adv):
    r1 = adv.ask("我在高职学护理")
    r2 = adv.ask("能读3+2吗", session_id=r1.session_id)
    assert "没有从「高职专科」出发经「3+2" in r2.answer


@pytest.mark.parametrize("first", ["我在山东读中职", "我现在在上中职"])
def test_where_a_learner_studies_now_is_remembered(adv, first):
    r1 = adv.ask(first)
    assert r1.debug["profile"]["stage"] == VOC
    r2 = adv.ask("能考本科吗", session_id=r1.session_id)
    assert r2.debug["from"] == VOC
    assert r2.pathways and all(p["steps"][0]["from"]["iri"] == VOC for p in r2.pathways)


def test_a_remembered_region_keeps_other_regions_routes_out(adv):
    r1 = adv.ask("我在山东读中职")
    r2 = adv.ask("能考本科吗", session_id=r1.session_id)
    regions = {(s.get("region") or {}).get("iri") for p in r2.pathways for s in p["steps"]} - {
        None,
        RTD + "region-national",
    }
    assert regions <= {RTD + "region-shandong", RTD + "region-weifang"}, regions
    assert "上海" not in r2.answer


# ---------------------------------------------------------------- the stage not got into


@pytest.mark.parametrize(
    "message,start,goal",
    [
        ("中考没考上普高，读中职以后还能上本科吗", VOC, BACHELOR),
        ("没考上普高，孩子读了中职，以后能考大学吗", VOC, BACHELOR),
        ("不想读普高，想读中职，以后能读本科吗", VOC, BACHELOR),
        ("孩子没考上普高，现在在读中职，有什么出路", VOC, None),
        ("中职毕业没考上本科，怎么办？", VOC, None),
        ("没考上本科，读了大专，能专升本吗", HIGHER, None),
        (
            "My son didn't get into general high school. If he goes to a secondary vocational "
            "school, can he still get a bachelor's degree?",
            VOC,
            BACHELOR,
        ),
        (
            "She doesn't want to go to general high school; from secondary vocational school, how "
            "can she reach a bachelor's degree?",
            VOC,
            BACHELOR,
        ),
        ("What can my son do if he fails the zhongkao?", JUNIOR, None),
    ],
)
def test_a_stage_not_got_into_is_not_the_start(adv, message, start, goal):
    reply = adv.ask(message)
    assert reply.intent == "pathway"
    assert reply.debug["from"] == start
    assert reply.debug["to"] == goal
    assert reply.pathways
    for p in reply.pathways:
        assert p["steps"][0]["from"]["iri"] == start
        if goal:
            assert p["steps"][-1]["to"]["iri"] in BACHELORS
    # the missed stage is nobody's profile stage
    assert reply.debug["profile"].get("stage") in (None, start)


def test_from_secondary_vocational_the_main_routes_to_a_bachelor_are_listed(adv):
    reply = adv.ask("中考没考上普高，读中职以后还能上本科吗")
    t = text_of(reply)
    assert "职教高考" in t and "专升本" in t
    assert "没考上「普通高中」" in reply.answer
    first_steps = {p["steps"][0]["from"]["iri"] for p in reply.pathways}
    assert first_steps == {VOC}


def test_a_missed_stage_is_avoided_when_the_learner_starts_before_it(adv):
    reply = adv.ask("孩子没考上普高，以后还能上大学吗")
    assert reply.debug["from"] == JUNIOR and reply.debug["to"] == BACHELOR
    assert reply.pathways
    for p in reply.pathways:
        assert all(s["to"]["iri"] != GENERAL for s in p["steps"])


# ---------------------------------------------------------------- what the graph does not know


@pytest.mark.parametrize(
    "message,must,must_not",
    [
        ("北京大学的录取分数线是多少？", ["没有", "录取分数线", "教育考试院"], ["芬兰"]),
        ("深圳职业技术大学护理专业录取分数线多少？", ["没有", "录取分数线"], ["天花板"]),
        ("中考多少分能上普高？", ["没有中考录取分数线", "教育局"], []),
        ("中职学费一年多少钱？", ["没有具体学校", "学费", "免学费"], []),
        ("全国最好的高职学校排名是怎样的？", ["没有学校或专业的排名"], []),
        (
            "What is the cut-off score for Shenzhen Polytechnic?",
            ["no admission scores", "examination authority"],
            ["also called"],
        ),
        ("What are the best vocational colleges in China?", ["no rankings"], []),
    ],
)
def test_data_the_graph_does_not_hold_is_said_plainly(adv, message, must, must_not):
    reply = adv.ask(message)
    answer = reply.answer
    for word in must:
        assert word.lower() in answer.lower(), (word, answer)
    for word in must_not:
        assert word.lower() not in answer.lower(), (word, answer)
    lang = "zh" if han_share(message) > 0 else "en"
    assert reply.lang == lang
    if lang == "en":
        assert han_share(answer) < 0.2


@pytest.mark.parametrize(
    "message,must,must_not",
    [
        # a province the graph has no region for
        ("河南的职教高考政策是什么？", ["没有河南的专门规定", "职教高考", "河南的具体规定"], []),
        (
            "What are the zhuanshengben rules in Henan province?",
            ["no rules specific to henan", "upgrade", "henan's own rules"],
            [],
        ),
        # a region the graph has, but not on this topic: no loosely related rule instead
        ("广东的专升本政策是什么？", ["没有「广东」关于专升本", "专升本选拔考试"], ["综合高中"]),
        ("上海中职转普高有什么规定？", ["没有「上海」关于普职互转", "普职互转"], ["3+4中本贯通："]),
        # a figure for a place the graph has none for
        ("江苏专转本每年招多少人？", ["没有江苏的这项数据", "统计"], []),
        (
            "What percentage of Shanghai vocational graduates find jobs?",
            ["no figure on this for shanghai"],
            ["from the sourced figures"],
        ),
    ],
)
def test_a_place_the_graph_has_no_rule_or_figure_for_is_said_plainly(adv, message, must, must_not):
    reply = adv.ask(message)
    answer = reply.answer.lower()
    for word in must:
        assert word.lower() in answer, (word, reply.answer)
    for word in must_not:
        assert word.lower() not in answer, (word, reply.answer)
    assert reply.suggestions


def test_a_region_the_graph_covers_still_gets_its_rules(adv):
    reply = adv.ask("山东的普职互转政策是什么？")
    assert reply.intent == "regional"
    assert "山东" in reply.answer and "没有" not in reply.answer.split("\n")[0]
    assert reply.citations


def test_a_goal_stated_with_the_stage_is_remembered(adv):
    r1 = adv.ask("我在高职学护理，想读本科")
    assert r1.debug["profile"]["stage"] == HIGHER
    assert r1.debug["profile"].get("goal") in BACHELORS


def test_a_place_the_graph_lacks_is_remembered_for_the_next_turn(adv):
    r1 = adv.ask("我在河南读中职")
    place = r1.debug["profile"].get("place")
    assert place and place["zh"] == "河南"
    r2 = adv.ask("能考本科吗", session_id=r1.session_id)
    assert "河南" in r2.answer  # still says the province's own rules are not in the graph
