"""Fuzz GET /api/search on the real app: hostile query strings and headers -> no 5xx.

Raw query strings (UTF-8 text with every script and control, arbitrary percent-encoded bytes,
overlong values, repeated and stray parameters), odd Accept-Language and other methods.
≥ 1,000 examples; every 4xx in the JSON error shape; every 200 a result list.
"""

from __future__ import annotations

import functools
import json

from fuzz_strategies import EXAMPLES, accepts, hostile_text, query_string, run_examples
from reliability_support import check_answer, real_app


@functools.lru_cache(maxsize=1)
def client():
    return real_app(RATELIMIT_ENABLED=False).test_client()


def _latin1_header(text: str) -> str:
    """HTTP header values travel as latin-1: keep what survives, drop line breaks."""
    return text.encode("latin-1", "ignore").decode("latin-1").replace("\r", "").replace("\n", "")


def test_search_query_strings():
    def one(qs: str, accept_language: str, accept: str):
        headers = {"Accept-Language": _latin1_header(accept_language), "Accept": accept}
        resp = client().get("/api/search?" + qs, headers=headers)
        check_answer(resp, f"search ?{qs[:200]}")
        if resp.status_code == 200:
            data = json.loads(resp.get_data())
            assert isinstance(data["results"], list)
            for item in data["results"]:
                assert {"iri", "label", "score"} <= set(item)

    n = run_examples(one, query_string(["q", "lang", "k"]), hostile_text(30), accepts())
    assert n >= EXAMPLES


def test_search_methods_and_bodies():
    c = client()
    for method in ("post", "put", "delete", "patch"):
        resp = getattr(c, method)("/api/search?q=x", data=b"\xff" * 10)
        check_answer(resp, method)
        assert resp.status_code == 405
    resp = c.get("/api/search?q=" + "中" * 201)
    check_answer(resp, "long q")
    assert resp.status_code == 400
    resp = c.get("/api/search", data=b"a" * 300_000)
    check_answer(resp, "body on GET")
    assert resp.status_code == 413
