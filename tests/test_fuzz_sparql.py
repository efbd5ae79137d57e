"""Fuzz GET and POST /sparql on the real app: hostile queries, encodings, Accept and content
types -> no 5xx.

Queries are random sequences of SPARQL fragments (including updates, SERVICE, LOAD, FROM, file
IRIs and escapes), small valid queries and hostile text, sent as ``?query=``, as a form, as
``application/sparql-query`` (also as invalid UTF-8) and with odd content types, under random
Accept headers and ``format=`` values. The time limit is short here (1.5 s) so that an expensive
random query costs little. ≥ 1,000 examples per method; every 4xx in the JSON error shape
(the endpoint answers errors in it too: the SPARQL 1.1 Protocol leaves the error body free).
"""

from __future__ import annotations

import functools
import json
import urllib.parse

from fuzz_strategies import EXAMPLES, accepts, content_types, run_examples, sparql_texts
from hypothesis import strategies as st
from reliability_support import check_answer, real_app

FORMATS = st.sampled_from(
    [
        None,
        "json",
        "xml",
        "csv",
        "tsv",
        "ttl",
        "turtle",
        "nt",
        "jsonld",
        "html",
        "",
        "x" * 50,
        "%00",
    ]
)


@functools.lru_cache(maxsize=1)
def client():
    app = real_app(RATELIMIT_ENABLED=False, SPARQL_TIMEOUT=1.5, SPARQL_ROW_CAP=50)
    return app.test_client()


def _check(resp, where: str) -> None:
    check_answer(resp, where, json_200=False)
    if resp.status_code == 200:
        ctype = resp.headers.get("Content-Type", "")
        assert ctype, where
        if "json" in ctype:
            json.loads(resp.get_data())  # well-formed
        assert resp.headers.get("X-Rongtong-Truncated") in ("true", "false") or ctype.startswith(
            "text/html"
        ), where


def test_sparql_get():
    def one(text: str, accept: str, fmt: str | None, extra: str):
        qs = "query=" + urllib.parse.quote(text.encode("utf-8", "surrogatepass"))
        if fmt is not None:
            qs += "&format=" + urllib.parse.quote(fmt)
        if extra:
            qs += "&" + extra
        resp = client().get("/sparql?" + qs, headers={"Accept": accept})
        _check(resp, f"GET {text[:200]!r} accept={accept!r}")

    extras = st.sampled_from(
        [
            "",
            "update=DROP%20ALL",
            "query=ASK%7B%7D",
            "default-graph-uri=file:///etc/passwd",
            "download=1",
            "%ff=%ff",
        ]
    )
    n = run_examples(one, sparql_texts(), accepts(), FORMATS, extras)
    assert n >= EXAMPLES


@st.composite
def _post_request(draw) -> tuple[bytes, str]:
    text = draw(sparql_texts())
    how = draw(st.sampled_from(["sparql-query", "form", "multipart", "bad-utf8", "odd"]))
    if how == "sparql-query":
        return text.encode("utf-8", "surrogatepass"), "application/sparql-query"
    if how == "form":
        key = draw(st.sampled_from(["query", "query", "update", "q", ""]))
        body = key + "=" + urllib.parse.quote(text.encode("utf-8", "surrogatepass"))
        return body.encode(), "application/x-www-form-urlencoded"
    if how == "multipart":
        body = (
            '--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n' + text + "\r\n--b--\r\n"
        ).encode("utf-8", "surrogatepass")
        return body, draw(
            st.sampled_from(["multipart/form-data; boundary=b", "multipart/form-data"])
        )
    if how == "bad-utf8":
        return b'SELECT * WHERE { ?s ?p "\xff\xfe" }', "application/sparql-query"
    return text.encode("utf-8", "surrogatepass"), draw(content_types())


def test_sparql_post():
    def one(request: tuple[bytes, str], accept: str):
        body, ctype = request
        resp = client().post(
            "/sparql", data=body, headers={"Content-Type": ctype, "Accept": accept}
        )
        _check(resp, f"POST {ctype!r} {body[:200]!r}")

    n = run_examples(one, _post_request(), accepts())
    assert n >= EXAMPLES


def test_sparql_refusals_are_4xx_in_shape():
    c = client()
    for text in (
        "INSERT DATA { <x:a> <x:b> <x:c> }",
        "LOAD <file:///etc/passwd>",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ):
        resp = c.get("/sparql", query_string={"query": text})
        check_answer(resp, text)
        assert resp.status_code in (400, 403), (text, resp.status_code)
    resp = c.post("/sparql", data="DROP ALL", content_type="application/sparql-update")
    check_answer(resp, "sparql-update")
    assert resp.status_code == 403
    resp = c.post("/sparql", data=b"a" * 300_000, content_type="application/sparql-query")
    check_answer(resp, "big")
    assert resp.status_code == 413
