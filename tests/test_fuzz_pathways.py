"""Fuzz GET /api/pathways on the real app: hostile from/to/lang/max_steps -> no 5xx.

≥ 1,000 examples; every 4xx in the JSON error shape (unknown places are 404 ``unknown_place``);
every 200 has from, to and a list of paths.
"""

from __future__ import annotations

import functools
import json
import urllib.parse

from fuzz_strategies import EXAMPLES, hostile_text, query_string, run_examples
from hypothesis import strategies as st
from reliability_support import check_answer, real_app

PLACES = [
    "中职", "职高", "普高", "高职", "本科", "职业本科", "stage-bachelor", "stage-junior-secondary",
    "https://w3id.org/rongtong/id/stage-secondary-vocational", "prog-460305", "rtd:stage-bachelor",
    "stage-", "-", "a-b", "fact-F01", "src-moe-catalogue-2021", "region-national",
]  # fmt: skip


@functools.lru_cache(maxsize=1)
def client():
    return real_app(RATELIMIT_ENABLED=False).test_client()


def _known() -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(PLACES), st.sampled_from(["", " ", "\x00", "‮", "x"])).map(
        lambda t: urllib.parse.quote(t[0] + t[1])
    )


@st.composite
def _pathway_qs(draw) -> str:
    if draw(st.booleans()):
        return draw(query_string(["from", "to", "lang", "max_steps"]))
    parts = [f"from={draw(_known())}", f"to={draw(_known())}"]
    if draw(st.booleans()):
        parts.append("lang=" + draw(st.sampled_from(["zh", "en", "fr", "", "%00"])))
    if draw(st.booleans()):
        parts.append(
            "max_steps="
            + draw(
                st.sampled_from(["1", "4", "6", "7", "0", "-1", "x", "1e9", "99999999999999999999"])
            )
        )
    return "&".join(parts)


def test_pathways_query_strings():
    def one(qs: str, noise: str):
        resp = client().get("/api/pathways?" + qs, headers={"X-Noise": noise})
        check_answer(resp, f"pathways ?{qs[:200]}")
        if resp.status_code == 200:
            data = json.loads(resp.get_data())
            assert {"from", "to", "paths"} <= set(data)
            assert isinstance(data["paths"], list)

    ascii_noise = hostile_text(20).map(
        lambda t: t.encode("ascii", "ignore").decode().replace("\r", "").replace("\n", "")
    )
    n = run_examples(one, _pathway_qs(), ascii_noise)
    assert n >= EXAMPLES


def test_pathways_unknown_place_is_404():
    resp = client().get("/api/pathways", query_string={"from": "火星大学", "to": "本科"})
    err = check_answer(resp, "unknown") or json.loads(resp.get_data())["error"]
    assert resp.status_code == 404 and err["code"] == "unknown_place"
