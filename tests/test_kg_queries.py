"""The competency questions, answered through the named queries on the shipped graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import QueryNotFound, QueryParamError
from kg.queries import QueryLibrary, parse_header
from kg.vocab import RT, RTD

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
VOC = RTD["stage-secondary-vocational"]
# The names the advisor and the web code against.
CONTRACT = {
    "routes", "routes-from", "transfers", "stage-routes-to-bachelor", "routes-to-professional-master",
    "programme-occupations", "programme-credentials", "next-level-programmes", "facts-about",
    "misconception-facts", "entity-labels", "search-texts", "interest-fields", "entity-sources", "stats",
}  # fmt: skip


def test_every_contract_query_exists_with_a_description(graph):
    names = set(graph.queries.names())
    assert names >= CONTRACT, CONTRACT - names
    for query in graph.named_queries():
        assert query.description, f"{query.name} has no # description:"
        for param in query.params:
            assert f"?{param.name}" in query.text, (query.name, param.name)


def test_header_parsing():
    name, description, params = parse_header(
        "# name: x\n# description: one\n#   two\n# param: ?a — the a\n# param: ?b - the b\nSELECT * {}",
        "f",
    )
    assert (name, description) == ("x", "one two")
    assert [(p.name, p.meaning) for p in params] == [("a", "the a"), ("b", "the b")]


def test_unknown_names_and_parameters_are_refused(graph):
    with pytest.raises(QueryNotFound, match="known"):
        graph.query("no-such-query")
    with pytest.raises(QueryParamError, match=r"\?programme"):
        graph.query("programme-occupations", programm=RTD["prog-460305"])


def test_queries_are_prepared_once_for_rdflib():
    from kg.stores import MemoryBackend

    library = QueryLibrary.from_dir(ONTOLOGY / "queries")
    library.prepare(MemoryBackend())
    assert all(library.prepared(n) is not None for n in library.names())


def _chains(rows):
    return {tuple(str(r[k]) for k in ("m1", "m2", "m3") if k in r) for r in rows}


def test_routes_from_secondary_vocational_to_a_bachelor(graph):
    rows = graph.query("stage-routes-to-bachelor", start=VOC)
    chains = _chains(rows)
    mech = {
        m: str(RTD[f"mech-{m}"]) for m in ("vocational-gaokao", "3plus4", "3plus2", "zhuanshengben")
    }
    assert (mech["vocational-gaokao"],) in chains
    assert (mech["3plus4"],) in chains
    assert (mech["3plus2"], mech["zhuanshengben"]) in chains
    for row in rows:  # every chain really starts here and ends at a bachelor's stage
        assert row["start"] == VOC
        assert str(row["end"]) in {
            str(RTD[s])
            for s in ("stage-bachelor", "stage-general-bachelor", "stage-vocational-bachelor")
        }
        assert int(row["steps"].toPython()) == sum(1 for k in ("r1", "r2", "r3") if k in row)


def test_routes_from_secondary_vocational_to_a_professional_master(graph):
    rows = graph.query("routes-to-professional-master", start=VOC)
    assert rows
    assert all(row["end"] == RTD["stage-professional-master"] for row in rows)
    chains = _chains(rows)
    exam = str(RTD["mech-postgraduate-exam"])
    assert any(c[-1] == exam and str(RTD["mech-vocational-gaokao"]) in c for c in chains)
    assert any(len(c) == 3 and c[-1] == exam for c in chains)  # via 专科 and 本科


def test_transfers_to_general_high_school_in_chengdu_and_shandong(graph):
    rows = graph.query("transfers", **{"from": VOC, "to": RTD["stage-general-senior"]})
    by_region: dict[str, list] = {}
    for row in rows:
        by_region.setdefault(str(row.get("region")), []).append(row)
    for region in ("region-chengdu", "region-shandong"):
        found = by_region.get(str(RTD[region]))
        assert found, f"no transfer in {region}"
        conditions = {
            (str(r["condition"]), r["condition"].language) for r in found if "condition" in r
        }
        assert {lang for _, lang in conditions} >= {"zh", "en"}, region
        assert all("source" in r for r in found), region
    shandong = by_region[str(RTD["region-shandong"])]
    assert any(str(r.get("validFrom")) == "2026-01-01" for r in shandong)


def test_occupations_of_industrial_robot_technology(graph):
    rows = graph.query("programme-occupations", programme=RTD["prog-460305"])
    occupations = {str(r["occupation"]) for r in rows}
    assert str(RTD["occ-6-31-07-01"]) in occupations  # 工业机器人系统运维员
    for row in rows:
        assert row["basis"] in (RT.official, RT.curated, RT.derived)
        if row["basis"] == RT.curated:
            assert "rationale" in row
        if row["basis"] == RT.derived:
            assert row["method"] == RTD["method-lexical-occupation-candidates"]
            assert "score" in row


def test_certificates_of_industrial_robot_technology(graph):
    rows = graph.query("programme-credentials", programme=RTD["prog-460305"])
    credentials = {str(r["credential"]) for r in rows}
    assert str(RTD["cred-1plusx"]) in credentials
    assert {str(r["via"]) for r in rows} >= {"programme", "occupation"}
    assert (
        str(RTD["cred-nurse-licence"]) not in credentials
    )  # a licence only through its occupation


def test_a_licence_comes_through_the_occupation(graph):
    programmes = [r for r in graph.query("occupation-programmes", occupation=RTD["occ-2-05-08-01"])]
    assert programmes, "nursing programmes lead to the nurse occupation"
    rows = graph.query("programme-credentials", programme=programmes[0]["programme"])
    licences = [r for r in rows if str(r["via"]) == "licence"]
    assert any(r["credential"] == RTD["cred-nurse-licence"] for r in licences)
    assert all("link" not in r for r in licences)


def test_facts_answering_the_dead_end_misconception(graph):
    rows = graph.query("misconception-facts", misconception=RTD["misc-dead-end"])
    roles = {str(r["role"]) for r in rows}
    assert roles == {"answer", "limit"}  # the answers and the honest limits
    assert all("source" in r for r in rows)
    assert {r["claim"].language for r in rows if "claim" in r} >= {"zh", "en"}
    about = graph.query("facts-about", entity=RTD["misc-dead-end"])
    assert {str(r["fact"]) for r in about} >= {str(r["fact"]) for r in rows}


def test_next_level_programmes_are_one_level_up(graph):
    rows = graph.query("next-level-programmes", programme=RTD["prog-460305"])
    assert rows
    assert {str(r["level"]) for r in rows} == {str(RTD["stage-vocational-bachelor"])}
    assert all(str(r["nextClass"]).endswith("2603") for r in rows)
    assert {r["method"] for r in rows} == {RTD["method-aligned-class-codes"]}


def test_entity_labels_cover_aliases_and_codes(graph):
    rows = graph.query("entity-labels")
    kinds = {str(r["kind"]) for r in rows}
    assert kinds == {"pref", "alt", "notation"}
    labels = {(str(r["iri"]), str(r["label"])) for r in rows}
    assert (str(VOC), "中职") in labels
    assert (str(RTD["prog-460305"]), "460305") in labels


def test_search_texts_have_one_row_per_resource_and_type(graph):
    rows = graph.query("search-texts")
    keys = [(str(r["iri"]), str(r["type"])) for r in rows]
    assert len(keys) == len(set(keys))
    programme = next(r for r in rows if r["iri"] == RTD["prog-460305"])
    assert str(programme["zh"]) == "工业机器人技术" and programme["en"]


def test_interest_fields(graph):
    interests = graph.query("interests")
    assert interests
    fits = graph.query("interest-fields", interest=interests[0]["interest"])
    assert fits and all("rationale" in r and "source" in r for r in fits)


def test_stats_counts(graph):
    row = graph.query("stats")[0]
    assert int(row["programmes"].toPython()) == 1349
    assert int(row["occupations"].toPython()) == 1636


def test_a_string_parameter_is_taken_as_an_iri_when_it_is_one(graph):
    by_string = graph.query("entity-sources", entity="rtd:stage-secondary-vocational")
    by_term = graph.query("entity-sources", entity=URIRef(str(VOC)))
    assert by_string == by_term and by_term
    assert graph.query("entity-sources", entity=Literal("rtd:stage-secondary-vocational")) == []
