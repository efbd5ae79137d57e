"""The SPARQL 1.1 Protocol endpoint at /sparql: read-only, negotiated, limited; real clients work."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from web_support import live_server, make_app

RTD = "https://w3id.org/rongtong/id/"
STAGES = """PREFIX rt: <https://w3id.org/rongtong/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?stage ?label WHERE { ?stage a rt:EducationStage ; skos:prefLabel ?label .
  FILTER(lang(?label) = "zh") } ORDER BY ?stage"""
CONSTRUCT = """PREFIX rt: <https://w3id.org/rongtong/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?stage skos:prefLabel ?label } WHERE { ?stage a rt:EducationStage ; skos:prefLabel ?label }"""
ASK = "PREFIX rt: <https://w3id.org/rongtong/ns#> ASK { ?s a rt:EducationStage }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


def get(client, query, accept=None, **params):
    url = "/sparql?query=" + quote(query) + "".join(f"&{k}={v}" for k, v in params.items())
    return client.get(url, headers={"Accept": accept} if accept else {})


def error_of(resp, *statuses):
    assert resp.status_code in statuses, (resp.status_code, resp.data[:400])
    body = resp.get_json()
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


# ------------------------------------------------------------------ protocol


def test_get_post_form_and_direct_post_agree(client):
    a = get(client, STAGES, "application/sparql-results+json")
    b = client.post("/sparql", data={"query": STAGES},
                    headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    c = client.post(
        "/sparql",
        data=STAGES.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    for resp in (a, b, c):
        assert resp.status_code == 200, resp.data[:300]
        assert resp.mimetype == "application/sparql-results+json"
    rows = a.get_json()["results"]["bindings"]
    assert len(rows) >= 10
    assert rows == b.get_json()["results"]["bindings"] == c.get_json()["results"]["bindings"]
    assert a.get_json()["head"]["vars"] == ["stage", "label"]
    assert rows[0]["stage"]["type"] == "uri" and rows[0]["label"]["xml:lang"] == "zh"


def test_default_format_is_sparql_json(client):
    resp = get(client, STAGES)
    assert resp.mimetype == "application/sparql-results+json"
    assert "Accept" in resp.headers.get("Vary", "")


def test_select_as_xml(client):
    resp = get(client, STAGES, "application/sparql-results+xml")
    assert resp.mimetype == "application/sparql-results+xml"
    root = ET.fromstring(resp.data)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["stage", "label"]
    assert len(root.findall("s:results/s:result", ns)) >= 10


def test_select_as_csv_and_tsv(client):
    resp = get(client, STAGES, "text/csv")
    assert resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["stage", "label"] and rows[1][0].startswith(RTD)
    resp = get(client, STAGES, "text/tab-separated-values")
    lines = resp.get_data(as_text=True).splitlines()
    assert lines[0] == "?stage\t?label"
    assert lines[1].startswith("<" + RTD) and lines[1].endswith("@zh")


def test_q_values_choose_the_format(client):
    resp = get(client, STAGES, "application/sparql-results+json;q=0.5, text/csv;q=0.9")
    assert resp.mimetype == "text/csv"
    resp = get(client, STAGES, "text/csv;q=0.1, application/sparql-results+xml")
    assert resp.mimetype == "application/sparql-results+xml"
    resp = get(client, STAGES, "*/*")
    assert resp.mimetype == "application/sparql-results+json"


def test_format_parameter_and_download(client):
    resp = get(client, STAGES, None, format="csv", download="1")
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]


def test_ask(client):
    assert get(client, ASK).get_json() == {"head": {}, "boolean": True}
    root = ET.fromstring(get(client, ASK, "application/sparql-results+xml").data)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_by_accept(client, accept, fmt):
    from rdflib import Graph

    resp = get(client, CONSTRUCT, accept)
    assert resp.status_code == 200 and resp.mimetype == accept
    g = Graph().parse(data=resp.get_data(as_text=True), format=fmt)
    assert len(g) >= 20


def test_describe(client):
    resp = get(client, f"DESCRIBE <{RTD}stage-secondary-vocational>", "text/turtle")
    assert resp.status_code == 200
    assert "stage-secondary-vocational" in resp.get_data(as_text=True)


def test_unacceptable_type_is_406(client):
    error_of(get(client, STAGES, "image/png"), 406)
    error_of(get(client, CONSTRUCT, "text/csv"), 406)


# ------------------------------------------------------------------ refusals and errors


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
         "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
        {"data": {"query": "CLEAR ALL"}},
        {"data": {"query": "# a comment\nPREFIX x: <urn:x#>\nDROP GRAPH <urn:g>"}},
    ],
)  # fmt: skip
def test_updates_are_refused(client, kwargs):
    before = client.get("/healthz").json["triples"]
    err = error_of(client.post("/sparql", **kwargs), 400, 403)
    assert "read-only" in err["message"] or "update" in err["message"].lower()
    assert client.get("/healthz").json["triples"] == before


def test_update_in_get_is_refused(client):
    error_of(client.get("/sparql?update=" + quote("CLEAR ALL")), 403)


def test_service_is_refused(client):
    q = "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } } LIMIT 1"
    err = error_of(get(client, q), 403)
    assert "SERVICE" in err["message"]


def test_keywords_inside_strings_are_not_refusals(client):
    q = 'SELECT ?x WHERE { BIND("INSERT DATA SERVICE LOAD" AS ?x) }'
    assert get(client, q).status_code == 200


@pytest.mark.parametrize(
    "query", ["SELEC ?x WHERE {", "SELECT ?x WHERE { ?x ?y }", "SELECT * WHERE { ?s ?p ?o", "42"]
)
def test_malformed_query_is_400(client, query):
    assert error_of(get(client, query), 400)["code"] == "malformed_query"


def test_missing_query_is_400(client):
    error_of(client.get("/sparql", headers={"Accept": "application/sparql-results+json"}), 400)
    error_of(client.post("/sparql", data={}), 400)
    error_of(client.get("/sparql?query="), 400)


def test_wrong_content_type_is_415(client):
    error_of(client.post("/sparql", data=b"{}", headers={"Content-Type": "application/json"}), 415)


def test_two_queries_is_400(client):
    error_of(client.get("/sparql?query=ASK{}&query=ASK{}"), 400)


def test_query_length_is_capped():
    app = make_app(SPARQL_MAX_QUERY_LENGTH=50)
    resp = get(app.test_client(), STAGES)
    assert error_of(resp, 400)["code"] == "query_too_long"


# ------------------------------------------------------------------ limits


def test_row_cap_truncates_and_says_so():
    app = make_app(SPARQL_ROW_CAP=5)
    c = app.test_client()
    resp = get(c, "SELECT * WHERE { ?s ?p ?o } LIMIT 50")
    assert resp.headers["X-Rongtong-Truncated"] == "true"
    body = resp.get_json()
    assert len(body["results"]["bindings"]) == 5
    assert body["truncated"]["truncated"] is True and body["truncated"]["row_cap"] == 5
    assert body["head"]["link"]
    xml = get(c, "SELECT * WHERE { ?s ?p ?o } LIMIT 50", "application/sparql-results+xml")
    assert b"<link " in xml.data
    ttl = get(c, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50", "text/turtle")
    assert ttl.headers["X-Rongtong-Truncated"] == "true"
    assert ttl.get_data(as_text=True).startswith("# truncated")
    small = get(c, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert small.headers["X-Rongtong-Truncated"] == "false"
    assert "truncated" not in small.get_json()


def test_time_limit_stops_a_runaway_query():
    app = make_app(SPARQL_TIMEOUT=1.0)
    started = time.perf_counter()
    resp = get(app.test_client(), RUNAWAY)
    elapsed = time.perf_counter() - started
    err = error_of(resp, 422)
    assert err["code"] == "query_timeout"
    assert elapsed < 5


# ------------------------------------------------------------------ the counselor page


def test_html_without_query_is_the_counselor_page(client):
    resp = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "yasqe.min.js" in html and "example-load" in html
    from web.sparql import load_named_queries

    names = [q["name"] for q in load_named_queries(None, app_graph())]
    assert len(names) >= 5
    for name in names:
        assert f'data-name="{name}"' in html


def app_graph():
    from web_support import shared_graph

    return shared_graph()


def test_html_with_query_preloads_the_editor(client):
    resp = client.get("/sparql?query=" + quote(ASK), headers={"Accept": "text/html"})
    assert resp.mimetype == "text/html"
    assert 'data-autorun="1"' in resp.get_data(as_text=True)


def test_every_example_query_runs(client, app):
    from web.app import state

    with app.app_context():
        examples = state().named_queries
    for q in examples:
        resp = client.post("/sparql", data={"query": q["query"]},
                           headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})  # fmt: skip
        assert resp.status_code == 200, (q["name"], resp.data[:300])


# ------------------------------------------------------------------ real clients, live server


@pytest.fixture(scope="module")
def live(app):
    with live_server(app) as base:
        yield base


def test_sparqlwrapper_select_ask_construct(live):
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(live + "/sparql")
    sw.setQuery(STAGES)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert any(r["stage"]["value"] == RTD + "stage-secondary-vocational" for r in rows)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    assert doc.getElementsByTagName("result")
    sw.setMethod("POST")
    sw.setReturnFormat(JSON)
    sw.setQuery(ASK)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    assert b"prefLabel" in sw.query().convert() or b"skos:" in sw.query().convert()


def test_sparqlwrapper_sees_the_refusal(live):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(live + "/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    sw.setReturnFormat(JSON)
    with pytest.raises((SPARQLWrapperException, Exception)):
        sw.query().convert()


def test_rdflib_sparqlstore(live):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    g = Graph(store="SPARQLStore")
    g.open(live + "/sparql")
    res = list(g.query(STAGES))
    assert any(str(r[0]) == RTD + "stage-secondary-vocational" for r in res)
    labels = list(g.objects(URIRef(RTD + "stage-secondary-vocational"), SKOS.prefLabel))
    assert any(lbl.language == "zh" for lbl in labels)
    assert len(g) > 1000  # COUNT through the store
    ask = g.query(ASK)
    assert ask.askAnswer is True
    built = g.query(CONSTRUCT)
    assert len(built.graph) >= 20
    assert json.dumps([str(x) for x in labels], ensure_ascii=False)
