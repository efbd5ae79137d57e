"""Fuzz POST /api/chat on the real app: hostile bodies, encodings and content types -> no 5xx.

≥ 1,000 examples per test (hypothesis, no deadline); every 4xx in the JSON error shape; every 200
a full chat reply with no raw markup.
"""

from __future__ import annotations

import functools
import json

from fuzz_strategies import EXAMPLES, chat_shaped, content_types, raw_bodies, run_examples
from hypothesis import strategies as st
from reliability_support import check_answer, real_app

REPLY_KEYS = {
    "session_id",
    "lang",
    "intent",
    "answer",
    "citations",
    "entities",
    "pathways",
    "suggestions",
}


@functools.lru_cache(maxsize=1)
def client():
    return real_app(RATELIMIT_ENABLED=False).test_client()


def _post(body: bytes, content_type: str | None, where: str):
    headers = {} if content_type is None else {"Content-Type": content_type}
    resp = client().post("/api/chat", data=body, headers=headers)
    check_answer(resp, where)
    if resp.status_code == 200:
        reply = json.loads(resp.get_data())
        assert set(reply) >= REPLY_KEYS, where
        assert isinstance(reply["answer"], str) and reply["lang"] in ("zh", "en"), where
    return resp


def test_chat_json_shaped_bodies():
    def one(body: bytes, as_json: bool):
        _post(body, "application/json" if as_json else "application/json; charset=utf-8", "chat")

    n = run_examples(one, st.one_of(chat_shaped(), raw_bodies()), st.booleans())
    assert n >= EXAMPLES


def test_chat_odd_content_types():
    def one(body: bytes, ctype: str | None):
        resp = _post(body, ctype, f"chat {ctype!r}")
        if ctype is not None and not ctype.split(";")[0].strip().lower().endswith("json"):
            assert resp.status_code in (400, 413, 415), (ctype, resp.status_code)

    n = run_examples(
        one, st.one_of(chat_shaped(), raw_bodies()), st.one_of(st.none(), content_types())
    )
    assert n >= EXAMPLES


def test_chat_other_methods_and_sizes():
    c = client()
    for method in ("get", "put", "delete", "patch"):
        resp = getattr(c, method)("/api/chat")
        check_answer(resp, method)
        assert resp.status_code == 405
    big = b'{"message": "' + b"a" * 300_000 + b'"}'
    resp = c.post("/api/chat", data=big, content_type="application/json")
    check_answer(resp, "big")
    assert resp.status_code == 413
