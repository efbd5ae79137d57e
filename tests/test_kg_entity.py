"""Entities, labels and entity linking on the shipped graph."""

from __future__ import annotations

from kg.labels import normalise
from kg.vocab import RTD


def test_entity_has_labels_properties_and_sources(graph):
    e = graph.entity(RTD["stage-secondary-vocational"])
    assert e["id"] == "stage-secondary-vocational"
    assert e["labels"] == {"zh": "中等职业教育", "en": "Secondary vocational education"}
    assert "中职" in e["alt_labels"] and "职高" in e["alt_labels"]
    assert e["definition"]["zh"] and e["definition"]["en"]
    assert "https://w3id.org/rongtong/ns#EducationStage" in e["types"]
    props = {p["p"]: p for p in e["properties"]}
    assert props["https://w3id.org/rongtong/ns#iscedLevel"]["o"] == "3"
    source = next(p for p in e["properties"] if p["p"] == "http://purl.org/dc/terms/source")
    assert source["is_iri"] and source["o_label"] and source["p_label"] == "来源"
    assert e["sources"] and all(s["iri"] and s["title"] for s in e["sources"])
    assert e["incoming_total"] > 0  # routes and programmes point at it


def test_entity_in_english(graph):
    e = graph.entity(RTD["prog-460305"], lang="en")
    assert e["label"] == "Industrial Robot Technology"
    level = next(p for p in e["properties"] if p["p"].endswith("#level"))
    assert level["o_label"] == graph.label(RTD["stage-higher-vocational"], "en")


def test_a_derived_link_says_how_it_was_derived(graph):
    """The derived link's page names its method as a link with the method's label; the method's
    own page has the full description in both languages."""
    link = graph.query("programme-occupations", programme=RTD["prog-210104"])
    derived = [r for r in link if str(r["basis"]).endswith("#derived")]
    assert derived and all(str(r["method"]).startswith(str(RTD["method-"])) for r in derived)
    e = graph.entity(derived[0]["link"], lang="en")
    method = next(p for p in e["properties"] if p["p"].endswith("#derivedBy"))
    assert method["is_iri"] and method["o"] == str(RTD["method-lexical-occupation-candidates"])
    assert method["o_label"].startswith("Lexical programme → occupation candidates")
    assert method["p_label"] == "derived by (method)"
    m = graph.entity(method["o"], lang="zh")
    assert "jieba" in m["definition"]["zh"] and "jieba" in m["definition"]["en"]
    assert m["type_labels"] == ["推导方法"] and m["sources"]
    assert m["incoming_total"] > 1000  # every derived link points here


def test_unknown_entity_is_none(graph):
    assert graph.entity(RTD["no-such-thing"]) is None


def test_label_falls_back(graph):
    assert graph.label(RTD["prog-460305"]) == "工业机器人技术"
    assert graph.label(RTD["prog-460305"], "en") == "Industrial Robot Technology"
    assert graph.label(RTD["no-such-thing"]) == "no-such-thing"
    assert graph.label("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "en") == "type"


def test_resolve_labels_aliases_and_iris(graph):
    voc = str(RTD["stage-secondary-vocational"])
    assert voc in graph.resolve("中职")
    assert voc in graph.resolve("职高")
    assert voc in graph.resolve("  Secondary Vocational School ")
    assert graph.resolve("prog-460305") == [str(RTD["prog-460305"])]
    assert graph.resolve(str(RTD["prog-460305"]))[0] == str(RTD["prog-460305"])
    assert graph.resolve("") == [] and graph.resolve("完全不存在的东西") == []


def test_preferred_labels_come_before_aliases(graph):
    found = graph.resolve("中专")  # an alias of the stage, the preferred label of no-one
    assert found
    programme = graph.resolve("工业机器人技术")
    assert programme[0] == str(RTD["prog-460305"])


def test_normalise():
    assert normalise("  ＡＢＣ　ｄｅｆ ") == "abc def"
    assert normalise("Zhong  Zhi") == "zhong zhi"


def test_rdflib_graph_and_version_agree(graph):
    g = graph.rdflib_graph()
    assert len(g) == graph.version["triples"] == len(graph)
    assert graph.rdflib_graph() is g  # built once
