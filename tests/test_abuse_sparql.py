"""Abuse of the public SPARQL endpoint, against a live ``rongtong serve`` (gunicorn) on 127.0.0.1.

- Updates, ``LOAD``, ``SERVICE`` (also disguised: lower case, comments, ``SILENT``, a variable
  endpoint, a ``\\u`` escape in an earlier IRI that hides the rest of the line from a naive
  scanner), ``FROM`` and ``file:`` IRIs are refused, and no request reaches a listener on
  127.0.0.1 that every such query points at; no file content comes back.
- A cartesian product that must be evaluated in full (COUNT, ORDER BY) is cut at the time limit
  and REALLY stopped: the forked query process is gone and the server's processes use no CPU
  after the answer (from /proc); meanwhile a cheap query answers in under a second.
- ``SELECT *`` over the same product is truncated at the row cap and says so (header, JSON
  ``truncated`` and ``head.link``, XML ``link``, CSV header flag).

The server runs with a 3 s time limit and a row cap of 5 (settings via ``RONGTONG_*``).
"""

from __future__ import annotations

import contextlib
import http.server as http_server
import json
import threading
import time
import urllib.parse

import pytest
from reliability_support import ServeProcess, cpu_seconds, descendants, http

pytestmark = pytest.mark.slow

TIMEOUT_S = 3.0
ROW_CAP = 5
CARTESIAN = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
CARTESIAN_FULL = [
    "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}",
    "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i} ORDER BY ?i",
]
CHEAP = (
    "PREFIX rt: <https://w3id.org/rongtong/ns#> SELECT ?s WHERE { ?s a rt:EducationStage } LIMIT 3"
)


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request it gets (there must be none)."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http_server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                hits.append((self.command, self.path))
                body = b"<http://x/a> <http://x/b> <http://x/c> .\n"
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _any

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {
        "RONGTONG_QUERY_TIMEOUT": str(TIMEOUT_S),
        "RONGTONG_ROW_CAP": str(ROW_CAP),
        "RONGTONG_ENCODER": "hash",
        "RONGTONG_SESSION_DB": str(tmp_path_factory.mktemp("abuse") / "sessions.sqlite3"),
    }
    with ServeProcess("--workers", "2", env=env) as srv:
        yield srv


@pytest.fixture(scope="module")
def listener():
    lis = _Listener()
    yield lis
    lis.close()


def _get(server, query: str, accept: str = "application/sparql-results+json", timeout=60.0):
    url = server.url + "/sparql?query=" + urllib.parse.quote(query)
    return http("GET", url, headers={"Accept": accept}, timeout=timeout)


def _post(server, query: str, ctype: str = "application/sparql-query"):
    body = query if ctype == "application/sparql-query" else "query=" + urllib.parse.quote(query)
    return http("POST", server.url + "/sparql", body.encode(), {"Content-Type": ctype})


def _error(body: bytes) -> dict:
    data = json.loads(body)
    assert set(data) == {"error"} and data["error"]["code"] and data["error"]["message"], data
    return data["error"]


# ----------------------------------------------------------------------------- refusals


def test_updates_refused(server):
    for text in (
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <http://x/> CLEAR ALL",
        "DROP ALL",
        "CREATE GRAPH <http://x/g>",
        "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ADD DEFAULT TO <http://x/g>",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://x/a> <http://x/b> 1 }",
    ):
        for status, body, _, _ in (_get(server, text), _post(server, text)):
            assert status in (400, 403), (text, status, body[:200])
            _error(body)
    status, body, _, _ = http(
        "POST", server.url + "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}
    )
    assert status == 403 and _error(body)["code"]
    status, body, _, _ = http("GET", server.url + "/sparql?update=DROP%20ALL")
    assert status in (400, 403)
    _error(body)
    # the graph is intact
    status, body, _, _ = http("GET", server.url + "/healthz")
    assert status == 200 and json.loads(body)["triples"] > 1000


def _outgoing_queries(target: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{target}/s1> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}/s2> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#c\n<{target}/s3>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ BIND(<{target}/s4> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{target}/s5> {{ ?s ?p ?o }} }} }} }}",
        # a \\u escape makes the earlier IRI unreadable to a naive scanner, which then takes '#'
        # for the start of a comment and misses the SERVICE after it on the same line
        f"SELECT * WHERE {{ BIND(<http://x\\u0041#> AS ?z) SERVICE <{target}/s6> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<http://x\\u0041#> AS ?z) SERVICE SILENT <{target}/s7> {{ ?a ?b ?c }} }}",
        # an escaped '#' or quote in a prefixed name (PN_LOCAL_ESC) does the same
        f"PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?z) SERVICE <{target}/s8> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\'b AS ?z) SERVICE <{target}/s9> {{ ?s ?p ?o }} }} # '",
        f"LOAD <{target}/l1>",
        f"LOAD SILENT <{target}/l2> INTO GRAPH <http://x/g>",
        f"SELECT * FROM <{target}/f1> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}/f2> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{target}/d1>",
        f'SELECT * WHERE {{ BIND(IRI("{target}/i1") AS ?x) ?x ?p ?o }}',
    ]


def test_no_outgoing_requests_and_no_file_access(server, listener):
    answers = []
    for text in _outgoing_queries(listener.url):
        for status, body, _, _ in (
            _get(server, text),
            _post(server, text, "application/x-www-form-urlencoded"),
        ):
            assert status < 500, (text, status, body[:300])
            answers.append((text, status, body))
    for text in (
        "LOAD <file:///etc/passwd>",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
        "DESCRIBE <file:///etc/passwd>",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }",
    ):
        status, body, _, _ = _get(server, text, accept="*/*")
        assert status < 500, (text, status)
        assert b"root:" not in body, text
        answers.append((text, status, body))
    time.sleep(0.5)  # a request in flight would have arrived by now
    assert listener.hits == [], f"the endpoint made outgoing requests: {listener.hits}"
    # every SERVICE / LOAD / FROM query is refused outright, not silently run
    for text, status, body in answers:
        upper = text.upper()
        if "SERVICE" in upper or "LOAD" in upper or " FROM " in upper:
            assert status in (400, 403), (text, status, body[:200])
            _error(body)


# ----------------------------------------------------------------------------- time limit


def _server_cpu(server) -> float:
    pids = [server.proc.pid, *descendants(server.proc.pid)]
    return sum(c for c in (cpu_seconds(p) for p in pids) if c is not None)


def test_runaway_query_is_really_stopped_and_server_stays_responsive(server):
    for text in CARTESIAN_FULL:
        result: dict = {}
        before = set(descendants(server.proc.pid))

        def run(text=text, result=result):
            result["answer"] = _get(server, text)

        runner = threading.Thread(target=run)
        started = time.monotonic()
        runner.start()
        time.sleep(0.5)
        # the query runs in a forked child of one worker, burning CPU
        burning = [p for p in descendants(server.proc.pid) if p not in before]
        assert burning, "no query process was started"
        cpu_start = {p: cpu_seconds(p) for p in burning}
        # meanwhile a cheap query answers in under a second
        cheap = []
        while runner.is_alive() and len(cheap) < 5:
            status, body, _, secs = _get(server, CHEAP)
            assert status == 200, body[:200]
            cheap.append(secs)
            time.sleep(0.2)
        assert cheap and max(cheap) < 1.0, f"cheap queries took {cheap}"
        runner.join(timeout=TIMEOUT_S + 30)
        elapsed = time.monotonic() - started
        status, body, _, _ = result["answer"]
        assert status == 422, (status, body[:300])
        err = _error(body)
        assert err["code"] == "query_timeout" and "stopped" in err["message"]
        assert TIMEOUT_S - 0.5 <= elapsed < TIMEOUT_S + 5, elapsed
        # it burned CPU before the deadline...
        assert any((cpu_seconds(p) or 0) - (c or 0) > 0 for p, c in cpu_start.items()) or all(
            cpu_seconds(p) is None for p in burning
        )
        # ...and is gone after it: no leftover process, and the server idles
        time.sleep(0.3)
        assert not [p for p in burning if cpu_seconds(p) is not None], "query process still alive"
        idle_from = _server_cpu(server)
        time.sleep(2.0)
        idle = _server_cpu(server) - idle_from
        assert idle < 0.5, f"server used {idle:.2f} s CPU in 2 s after the deadline"


# ----------------------------------------------------------------------------- row cap


def test_results_beyond_the_row_cap_are_truncated_and_say_so(server):
    status, body, headers, secs = _get(server, CARTESIAN)
    assert status == 200, body[:300]
    data = json.loads(body)
    assert len(data["results"]["bindings"]) == ROW_CAP
    assert headers.get("X-Rongtong-Truncated") == "true"
    assert headers.get("X-Rongtong-Row-Cap") == str(ROW_CAP)
    assert data["truncated"]["truncated"] is True and data["truncated"]["row_cap"] == ROW_CAP
    assert data["head"].get("link")
    status, body, headers, _ = _get(server, CARTESIAN, accept="application/sparql-results+xml")
    assert status == 200 and b"<link" in body and body.count(b"<result>") == ROW_CAP
    status, body, headers, _ = _get(server, CARTESIAN, accept="text/csv")
    assert status == 200 and headers.get("X-Rongtong-Truncated") == "true"
    assert len(body.decode().strip().splitlines()) == ROW_CAP + 1
    status, body, headers, _ = _get(
        server, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples"
    )
    assert status == 200 and headers.get("X-Rongtong-Truncated") == "true"
    assert b"truncated" in body.splitlines()[0]
    # under the cap: not truncated
    status, body, headers, _ = _get(server, CHEAP)
    assert status == 200 and headers.get("X-Rongtong-Truncated") == "false"
    assert "truncated" not in json.loads(body)


# ----------------------------------------------------------------------------- differential


_PIECES = ["\\u0041", "\\u003E", "\\U00000041", "\\#", "\\'", '\\"', "#", "b", "'", '"', ">", " ",
           "%41", "\\"]  # fmt: skip


def test_no_query_the_checks_pass_reaches_the_network(listener):
    """Differential: whatever text Oxigraph itself would run with a SERVICE after it, the kg
    check refuses, or Oxigraph never calls out (in-process, no server needed)."""
    import pyoxigraph as ox
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kg.errors import SparqlError
    from kg.sparql import check_query

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))
    leaks: list[str] = []

    @settings(max_examples=1000, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(
        st.tuples(
            st.sampled_from(["<http://x/", "ex:a", '"', "'", '"""', ""]),
            st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4).map("".join),
            st.sampled_from([">", "", '"', "'", '"""']),
        ).map("".join)
    )
    def probe(term: str) -> None:
        text = (
            "PREFIX ex: <http://x/> SELECT * WHERE { BIND(" + term + " AS ?z) "
            f"SERVICE <{listener.url}/p> {{ ?s ?p ?o }} }}"
        )
        try:
            check_query(text)
        except SparqlError:
            return  # refused: fine
        before = len(listener.hits)
        with contextlib.suppress(SyntaxError, OSError, ValueError, RuntimeError):
            list(store.query(text))
        if len(listener.hits) > before:
            leaks.append(text)

    probe()
    assert not leaks, f"queries that pass the check yet call out: {leaks[:5]}"
