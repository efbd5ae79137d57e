"""The three stores — embedded Oxigraph, rdflib in memory, and a remote SPARQL endpoint (the
``oxigraph`` server from PyPI, started here on 127.0.0.1) — give the same answers."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import RemoteStoreError, find_paths, open_graph
from kg.load import data_files
from kg.stores import RemoteBackend

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
RTD = "https://w3id.org/rongtong/id/"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"

# (named query, parameters) asked of every store
CASES = [
    ("routes", {}),
    ("stages", {}),
    ("sources", {}),
    ("stats", {}),
    ("routes-from", {"from": URIRef(RTD + "stage-secondary-vocational")}),
    (
        "transfers",
        {
            "from": URIRef(RTD + "stage-secondary-vocational"),
            "to": URIRef(RTD + "stage-general-senior"),
        },
    ),
    ("stage-routes-to-bachelor", {"start": URIRef(RTD + "stage-secondary-vocational")}),
    ("routes-to-professional-master", {"start": URIRef(RTD + "stage-secondary-vocational")}),
    ("programme-occupations", {"programme": URIRef(RTD + "prog-460305")}),
    ("programme-credentials", {"programme": URIRef(RTD + "prog-460305")}),
    ("next-level-programmes", {"programme": URIRef(RTD + "prog-460305")}),
    ("misconception-facts", {"misconception": URIRef(RTD + "misc-dead-end")}),
    ("facts-about", {"entity": URIRef(RTD + "misc-dead-end")}),
    ("entity-properties", {"entity": URIRef(RTD + "prog-460305")}),
    ("entity-sources", {"entity": URIRef(RTD + "stage-secondary-vocational")}),
    ("programme-info", {"programme": URIRef(RTD + "prog-460305")}),
    ("field-programmes", {"area": URIRef(RTD + "class-4603")}),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """An oxigraph server on a free local port, loaded with the shipped ontology; stopped after."""
    if not OXIGRAPH.exists() and not shutil.which("oxigraph"):
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed")
    binary = str(OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph"))
    location = tmp_path_factory.mktemp("oxigraph-db")
    files = [str(p) for p in data_files(ONTOLOGY)]
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", *files],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def stores(endpoint, graph):
    memory = open_graph(ONTOLOGY, store="memory")
    remote = open_graph(ONTOLOGY, store=endpoint)
    return {"oxigraph": graph, "memory": memory, "remote": remote}


def _norm(term):
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return ("number", Decimal(str(value)))
        return ("literal", str(term), term.language)
    return ("iri", str(term))


def _bag(rows):
    return Counter(frozenset((k, _norm(v)) for k, v in row.items()) for row in rows)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[c[0] for c in CASES])
def test_same_answers_from_every_store(stores, name, params):
    answers = {kind: g.query(name, **params) for kind, g in stores.items()}
    assert answers["oxigraph"], f"{name} found nothing on the shipped graph"
    reference = _bag(answers["oxigraph"])
    for kind in ("memory", "remote"):
        assert _bag(answers[kind]) == reference, f"{name}: {kind} differs from oxigraph"


def test_same_version_and_counts(stores):
    versions = {
        kind: (g.version["hash"], g.version["triples"], g.version["newest_source"])
        for kind, g in stores.items()
    }
    assert len(set(versions.values())) == 1, versions
    assert len({tuple(sorted(g.stats().items())) for g in stores.values()}) == 1


def test_same_pathways_from_every_store(stores):
    def shape(paths):
        return [
            (
                p["total_years"],
                tuple((s["from"]["iri"], s["via"]["iri"], s["to"]["iri"]) for s in p["steps"]),
            )
            for p in paths
        ]

    results = {
        kind: shape(find_paths(g, RTD + "stage-secondary-vocational", RTD + "stage-bachelor"))
        for kind, g in stores.items()
    }
    assert results["oxigraph"]
    assert results["memory"] == results["oxigraph"]
    assert results["remote"] == results["oxigraph"]


def test_remote_user_sparql(stores):
    result = stores["remote"].sparql(
        "SELECT ?s WHERE { ?s a <https://w3id.org/rongtong/ns#Programme> }", row_cap=10
    )
    assert result.kind == "select" and len(result.rows) == 10 and result.truncated
    graph = stores["remote"].sparql(f"DESCRIBE <{RTD}prog-460305>")
    assert graph.kind == "graph" and graph.triples


def test_a_hostile_literal_is_bound_not_spliced(stores):
    """Parameters travel as serialised terms: quotes and braces in user text cannot change the query."""
    hostile = Literal('x" } ?s ?p ?o . { "', lang="zh")
    for kind, g in stores.items():
        assert g.query("entity-properties", entity=hostile) == [], kind


class _Junk(http.server.BaseHTTPRequestHandler):
    body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "ur'

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):  # quiet
        pass


@pytest.mark.parametrize(
    "body",
    [
        b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "ur',  # truncated
        b"<html>busy</html>",
        b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "weird", "value": "x"}}]}}',
        b'{"results": []}',
    ],
)
def test_a_200_with_a_malformed_body_is_a_failure(body):
    handler = type("Handler", (_Junk,), {"body": body})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        backend = RemoteBackend(f"http://127.0.0.1:{server.server_port}/query", timeout=5)
        with pytest.raises(RemoteStoreError):
            backend.select("SELECT ?s WHERE { ?s ?p ?o }")
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_endpoint_is_a_clear_error():
    backend = RemoteBackend(f"http://127.0.0.1:{_free_port()}/query", timeout=2)
    with pytest.raises(RemoteStoreError, match="failed"):
        backend.select("SELECT * WHERE { ?s ?p ?o }")
