"""Pathways one learner can follow: steps of different regions never chain, and a total number of
years is given only when every step's years are known."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg import find_paths, pathways
from kg.vocab import RTD

NATIONAL = str(RTD["region-national"])
STARTS = (
    "stage-junior-secondary",
    "stage-secondary-vocational",
    "stage-general-senior",
    "stage-comprehensive-high",
    "stage-higher-vocational",
)
GOALS = ("stage-bachelor", "stage-general-bachelor", "stage-academic-master", "stage-master")


@pytest.fixture(scope="module")
def all_paths(graph):
    out = []
    for a in STARTS:
        for b in GOALS:
            out += find_paths(graph, str(RTD[a]), str(RTD[b]))
    assert out
    return out


def _local(step) -> set[str]:
    return {r["iri"] for r in step["regions"] if r["iri"] != NATIONAL}


def _up(graph, region: str) -> set[str]:
    """The regions a region is part of (rt:partOf, transitively)."""
    out, todo = set(), [region]
    while todo:
        for row in graph.query("entity-properties", entity=URIRef(todo.pop())):
            if str(row["p"]).endswith("#partOf") and str(row["o"]) not in out:
                out.add(str(row["o"]))
                todo.append(str(row["o"]))
    return out


def _nested(graph, a: str, b: str) -> bool:
    return a == b or b in _up(graph, a) or a in _up(graph, b)


def test_no_path_chains_steps_of_two_different_regions(graph, all_paths):
    for path in all_paths:
        local = [_local(s) for s in path["steps"] if _local(s)]
        for i, first in enumerate(local):
            for later in local[i + 1 :]:
                assert any(_nested(graph, a, b) for a in first for b in later), [
                    (s["via"]["iri"], sorted(_local(s))) for s in path["steps"]
                ]


def test_the_shanghai_chengdu_mix_is_gone(graph):
    # 成都 comprehensive-high transfer, then a Shanghai-only 贯通 step: no learner does both
    paths = find_paths(
        graph, str(RTD["stage-comprehensive-high"]), str(RTD["stage-academic-master"])
    )
    assert paths
    for path in paths:
        regions = set().union(*(_local(s) for s in path["steps"]))
        assert not (
            str(RTD["region-chengdu"]) in regions and str(RTD["region-shanghai"]) in regions
        )


def test_national_steps_combine_with_one_region_and_nested_regions_combine(graph, all_paths):
    def regions_of(path):
        return [_local(s) for s in path["steps"]]

    # a regional step followed by national ones is still a path
    assert any(any(regions_of(p)) and any(not r for r in regions_of(p)) for p in all_paths)
    # Shandong's pilot cities (潍坊, 青岛, 德州) chain with Shandong-wide steps
    shandong, weifang = str(RTD["region-shandong"]), str(RTD["region-weifang"])
    assert any(
        any(weifang in r for r in regions_of(p)) and any(shandong in r for r in regions_of(p))
        for p in all_paths
    )


def test_the_region_parameter_still_narrows(graph):
    everywhere = find_paths(graph, str(RTD["stage-general-senior"]), str(RTD["stage-bachelor"]))
    shanghai = find_paths(
        graph,
        str(RTD["stage-general-senior"]),
        str(RTD["stage-bachelor"]),
        region=str(RTD["region-shanghai"]),
    )
    assert shanghai and len(shanghai) < len(everywhere)
    for path in shanghai:
        for step in path["steps"]:
            assert _local(step) <= {str(RTD["region-shanghai"])}


def _bounds(step):
    """(min, max) years of a step from the end of the previous stage, or None (unknown)."""
    wait = step.get("wait_years") or 0
    if step["years"] is not None:
        return wait + step["years"], wait + step["years"]
    if step.get("years_range"):
        return wait + step["years_range"][0], wait + step["years_range"][1]
    return None


def test_total_years_are_unknown_when_a_step_is(all_paths):
    incomplete = [p for p in all_paths if any(_bounds(s) is None for s in p["steps"])]
    ranged = [
        p for p in all_paths if p not in incomplete and any(s["years"] is None for s in p["steps"])
    ]
    complete = [p for p in all_paths if all(s["years"] is not None for s in p["steps"])]
    assert incomplete and complete and ranged
    for path in incomplete:
        assert path["total_years"] is None  # never 0, never a partial sum shown as a total
        assert "total_years_range" not in path
        assert path["years_unknown_steps"] == sum(1 for s in path["steps"] if _bounds(s) is None)
        known = [_bounds(s) for s in path["steps"] if _bounds(s) is not None]
        assert path["known_years"] == sum(b[0] for b in known)  # a floor
    for path in ranged:
        assert path["total_years"] is None and "years_unknown_steps" not in path
        low = sum(_bounds(s)[0] for s in path["steps"])
        high = sum(_bounds(s)[1] for s in path["steps"])
        assert path["total_years_range"] == [low, high] and low < high
    for path in complete:
        assert path["total_years"] == sum(_bounds(s)[0] for s in path["steps"])
        assert "years_unknown_steps" not in path and "total_years_range" not in path


def test_a_single_step_of_unknown_length_has_no_total(graph):
    # 中职 → 高职 by Shanghai's 中高职贯通: the sources give no length for that step
    paths = find_paths(
        graph,
        str(RTD["stage-secondary-vocational"]),
        str(RTD["stage-higher-vocational"]),
        max_steps=1,
    )
    unknown = [p for p in paths if _bounds(p["steps"][0]) is None]
    assert unknown
    for path in unknown:
        assert path["total_years"] is None and "total_years_range" not in path
        assert path["years_unknown_steps"] == 1 and path["known_years"] == 0


def test_paths_with_unknown_totals_sort_last_and_the_api_body_carries_none(graph):
    body = pathways(graph, "综合高中", "学术学位硕士")
    totals = [p["total_years"] for p in body["paths"]]
    assert None in totals
    first_none = totals.index(None)
    assert all(t is None for t in totals[first_none:])
    assert all(t is not None for t in totals[:first_none])


def test_advisor_states_an_unknown_total_instead_of_a_partial_sum(graph):
    from advisor.testing import shared_advisor

    adv = shared_advisor("hash")
    reply = adv.ask("综合高中能读到学术学位硕士吗？")
    unknown = [
        p
        for p in reply.pathways
        if len(p["steps"]) > 1 and any(s.get("years") is None for s in p["steps"])
    ]
    assert unknown, reply.answer
    assert all(p["total_years"] is None for p in unknown)
    assert "共约0年" not in reply.answer
    assert "总年限不详" in reply.answer
