"""Pathways: every simple chain of routes between two places, resolved from labels."""

from __future__ import annotations

import pytest

from kg import UnknownPlace, find_paths, pathways, resolve_place
from kg.vocab import RTD

VOC, BACHELOR = str(RTD["stage-secondary-vocational"]), str(RTD["stage-bachelor"])
BACHELORS = {BACHELOR, str(RTD["stage-general-bachelor"]), str(RTD["stage-vocational-bachelor"])}


@pytest.fixture(scope="module")
def to_bachelor(graph):
    return find_paths(graph, VOC, BACHELOR)


def _mechanisms(path):
    return tuple(s["mechanism"]["iri"].rsplit("/", 1)[-1] for s in path["steps"] if s["mechanism"])


def test_secondary_vocational_to_bachelor_lists_the_main_routes(to_bachelor):
    chains = {_mechanisms(p) for p in to_bachelor}
    assert ("mech-vocational-gaokao",) in chains
    assert ("mech-3plus4",) in chains
    assert ("mech-3plus2", "mech-zhuanshengben") in chains
    assert len(to_bachelor) > 3  # every route, not only the shortest


def test_paths_are_simple_chains_that_end_at_a_bachelor(to_bachelor):
    for path in to_bachelor:
        steps = path["steps"]
        assert steps[0]["from"]["iri"] == VOC
        assert steps[-1]["to"]["iri"] in BACHELORS
        for a, b in zip(steps, steps[1:], strict=False):
            assert a["to"]["iri"] == b["from"]["iri"]  # they compose
        places = [steps[0]["from"]["iri"]] + [s["to"]["iri"] for s in steps]
        assert len(places) == len(set(places))  # never twice through one place
        assert not any(p in BACHELORS for p in places[:-1])  # stops at the first bachelor's stage
        assert len(steps) <= 4


def test_steps_carry_what_a_counselor_needs(to_bachelor):
    step = to_bachelor[0]["steps"][0]
    assert set(step) >= {
        "from",
        "to",
        "via",
        "mechanism",
        "years",
        "conditions",
        "region",
        "source",
    }
    assert step["source"] and all({"iri", "title", "url"} <= set(s) for s in step["source"])
    assert all(s["title"] for p in to_bachelor for st in p["steps"] for s in st["source"])


def test_sorted_by_total_years_then_steps(to_bachelor):
    complete = [p for p in to_bachelor if not p.get("years_unknown_steps")]
    keys = [(p["total_years"], len(p["steps"])) for p in complete]
    assert keys == sorted(keys)
    assert to_bachelor[: len(complete)] == complete  # paths with a step of unknown length come last
    for p in complete:
        assert p["total_years"] == sum(s["years"] for s in p["steps"])


def test_max_steps_is_respected(graph):
    assert all(len(p["steps"]) == 1 for p in find_paths(graph, VOC, BACHELOR, max_steps=1))
    assert find_paths(graph, VOC, BACHELOR, max_steps=1)


def test_region_keeps_national_and_that_regions_routes(graph):
    paths = find_paths(graph, VOC, BACHELOR, region=str(RTD["region-chengdu"]))
    allowed = {str(RTD[r]) for r in ("region-national", "region-chengdu", "region-sichuan")}
    for path in paths:
        for step in path["steps"]:
            assert not step["regions"] or any(r["iri"] in allowed for r in step["regions"]), step
    assert len(paths) < len(find_paths(graph, VOC, BACHELOR))


def test_a_programme_stands_for_its_stage(graph):
    paths = find_paths(graph, str(RTD["prog-460305"]), BACHELOR)  # a 专科 programme
    assert paths
    assert all(p["steps"][0]["from"]["iri"] == str(RTD["stage-higher-vocational"]) for p in paths)


def test_from_a_programme_each_step_names_the_same_field_programmes_there(graph):
    """660302 电气设备运行与控制 (中职, class 6603) → 4603 at 高职 → 2603 at 职业本科, derived."""
    paths = find_paths(graph, str(RTD["prog-660302"]), BACHELOR)
    by_chain = {_mechanisms(p): p for p in paths}
    direct = by_chain[("mech-vocational-gaokao",)]
    if direct["steps"][0]["to"]["iri"] != str(RTD["stage-vocational-bachelor"]):
        direct = next(
            p
            for p in paths
            if _mechanisms(p) == ("mech-vocational-gaokao",)
            and p["steps"][0]["to"]["iri"] == str(RTD["stage-vocational-bachelor"])
        )
    field = direct["steps"][0]["programmes"]  # a step that skips 高职 still finds the field
    assert field["basis"] == "derived"
    iris = {p["iri"] for p in field["items"]}
    assert str(RTD["prog-260304"]) in iris  # 机器人技术
    assert all(i.startswith(str(RTD["prog-2603"])) for i in iris)
    assert field["total"] == len(field["items"]) or len(field["items"]) == 12
    two = next(p for p in paths if _mechanisms(p) == ("mech-3plus2", "mech-zhuanshengben"))
    first, second = two["steps"]
    assert str(RTD["prog-460305"]) in {p["iri"] for p in first["programmes"]["items"]}
    if second["to"]["iri"] == str(RTD["stage-general-bachelor"]):
        assert "programmes" not in second  # the vocational catalogue has no general bachelor's
    else:
        assert second["programmes"]["total"] >= 1
    general = [
        p
        for p in paths
        if len(p["steps"]) == 1 and p["steps"][0]["to"]["iri"] == str(RTD["stage-general-bachelor"])
    ]
    assert general and all("programmes" not in p["steps"][0] for p in general)


def test_stage_paths_name_no_programmes(to_bachelor):
    assert not any("programmes" in s for p in to_bachelor for s in p["steps"])


def test_a_years_range_gives_a_total_range_and_a_wait_counts(graph):
    """Professional master's: the sources give 2-3 years (yearsMin/yearsMax); 同等学力 may only
    start two years after the 专科 diploma (waitYears), and that time is in the total."""
    paths = find_paths(graph, str(RTD["stage-higher-vocational"]), str(RTD["stage-master"]))
    by_via = {tuple(s["via"]["iri"].rsplit("/", 1)[-1] for s in p["steps"]): p for p in paths}
    ranged = by_via[("route-zhuanshengben-general-bachelor", "route-kaoyan-general-professional")]
    step = ranged["steps"][1]
    assert step["years"] is None and step["years_range"] == [2, 3]
    assert ranged["total_years"] is None and ranged["total_years_range"] == [4, 5]
    assert "years_unknown_steps" not in ranged
    waited = by_via[("route-equivalent-academic-master",)]
    assert waited["steps"][0]["wait_years"] == 2 and waited["steps"][0]["years"] == 3
    assert waited["total_years"] == 5  # two years' wait + three of study
    both = by_via[("route-equivalent-professional-master",)]
    assert both["total_years_range"] == [4, 5]
    # sorted by the shortest length; at the same length a sure total comes before a range
    lows = [
        p["total_years"] if p["total_years"] is not None else p["total_years_range"][0]
        for p in paths
    ]
    assert lows == sorted(lows)
    first_four = [p for p in paths if lows[paths.index(p)] == 4]
    assert first_four[0]["total_years"] == 4


def test_english_labels(graph):
    path = find_paths(graph, VOC, BACHELOR, lang="en")[0]
    assert path["steps"][0]["from"]["label"] == graph.label(VOC, "en")
    assert all(ord(c) < 0x3000 for c in path["steps"][0]["from"]["label"])


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("中职", VOC),
        ("中等职业教育", VOC),
        ("Secondary vocational education", VOC),
        ("SECONDARY VOCATIONAL EDUCATION", VOC),
        ("ｚｈｏｎｇｚｈｉ", VOC),  # full-width, NFKC
        ("本科", BACHELOR),
        ("stage-secondary-vocational", VOC),
        ("rtd:stage-secondary-vocational", VOC),
        (VOC, VOC),
        ("460305", str(RTD["prog-460305"])),
        ("工业机器人技术", str(RTD["prog-460305"])),
    ],
)
def test_places_resolve_from_labels_aliases_codes_and_iris(graph, text, iri):
    assert resolve_place(graph, text) == iri


def test_an_unknown_place_says_which_and_suggests(graph):
    with pytest.raises(UnknownPlace) as info:
        pathways(graph, "中职", "专业硕土")  # 土 for 士: a typo
    message = str(info.value)
    assert "专业硕土" in message and message.startswith("to:")
    assert any("专业硕士" in s for s in info.value.suggestions), info.value.suggestions


def test_pathways_body_has_the_api_shape(graph):
    body = pathways(graph, "中职", "本科", lang="zh")
    assert body["from"]["iri"] == VOC and body["to"]["iri"] == BACHELOR
    assert body["from"]["label"] and isinstance(body["paths"], list) and body["paths"]
    assert {"steps", "total_years"} <= set(body["paths"][0])
