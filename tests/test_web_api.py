"""The JSON API (DESIGN.md "HTTP API"): /api/chat, /api/search, /api/pathways, /api/entity, /healthz.

Every bad input is a 4xx with {"error": {"code", "message"}}; nothing a client sends gives a 5xx;
nothing a user sent comes back as markup.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_support import make_app

RTD = "https://w3id.org/rongtong/id/"


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


def error_of(resp, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, (resp.status_code, resp.data[:300])
    assert resp.is_json, resp.content_type
    body = resp.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# ------------------------------------------------------------------ chat


def test_chat_answers_with_the_contract_shape(client):
    resp = client.post("/api/chat", json={"message": "高职毕业能读本科吗？"})
    assert resp.status_code == 200
    body = resp.get_json()
    for key in ("session_id", "lang", "intent", "answer", "citations", "entities", "pathways",
                "suggestions"):  # fmt: skip
        assert key in body, key
    assert body["lang"] == "zh"
    assert "本科" in body["answer"]
    assert body["citations"], "a pathway answer cites its sources"
    assert all({"title", "source"} <= set(c) for c in body["citations"])
    assert resp.headers["Cache-Control"] == "no-store"


def test_chat_english_and_lang_override(client):
    body = client.post("/api/chat", json={"message": "What is a comprehensive high school?"}).json
    assert body["lang"] == "en"
    body = client.post("/api/chat", json={"message": "专升本是什么意思？", "lang": "en"}).json
    assert body["lang"] == "en"


def test_chat_remembers_the_conversation(client):
    follow = "我以后怎么读本科？"
    assert "计算机" not in client.post("/api/chat", json={"message": follow}).json["answer"]
    first = client.post("/api/chat", json={"message": "我是中职二年级学生，学计算机应用"}).json
    sid = first["session_id"]
    second = client.post("/api/chat", json={"message": follow, "session_id": sid}).json
    assert second["session_id"] == sid
    assert "本科" in second["answer"] and "计算机" in second["answer"]


@pytest.mark.parametrize("session_id", ["nope", "x" * 150, "", "   ", "../../etc/passwd"])
def test_unknown_or_malformed_session_starts_a_new_one(client, session_id):
    resp = client.post("/api/chat", json={"message": "专升本是什么", "session_id": session_id})
    assert resp.status_code == 200
    assert resp.json["session_id"] and resp.json["session_id"] != session_id


@pytest.mark.parametrize(
    "body,code",
    [
        ({"message": ""}, "empty_message"),
        ({"message": "   \n\t "}, "empty_message"),
        ({"text": "hi"}, "missing_message"),
        ({"message": 42}, "invalid_message"),
        ({"message": None}, "invalid_message"),
        ({"message": ["a"]}, "invalid_message"),
        ({"message": {"a": 1}}, "invalid_message"),
        ({"message": "职" * 2001}, "message_too_long"),
        ({"message": "hi", "lang": "fr"}, "bad_lang"),
        ({"message": "hi", "lang": 3}, "bad_lang"),
        ({"message": "hi", "lang": "ZH"}, "bad_lang"),  # exactly zh or en, as /openapi.json says
        ({"message": "hi", "lang": " en "}, "bad_lang"),
        ({"message": "hi", "lang": ""}, "bad_lang"),
        ({"message": "hi", "session_id": 12}, "invalid_session_id"),
        ([1, 2], "invalid_body"),
        ("just a string", "invalid_body"),
        (None, "invalid_body"),
    ],
)
def test_chat_bad_input_is_400(client, body, code):
    resp = client.post("/api/chat", data=json.dumps(body), content_type="application/json")
    assert error_of(resp, 400)["code"] == code


def test_chat_json_that_python_cannot_read_is_400_not_500(client):
    for raw in (
        '{"message": "hi", "n": 1' + "0" * 5000 + "}",
        "[" * 100_000,
        '{"message": "\\ud800"}',
    ):
        resp = client.post("/api/chat", data=raw, content_type="application/json")
        assert resp.status_code in (200, 400), (raw[:40], resp.status_code)
        if resp.status_code == 400:
            assert error_of(resp, 400)["code"] == "invalid_json"


def test_chat_too_long_is_a_setting():
    app = make_app(MAX_MESSAGE_LENGTH=10)
    resp = app.test_client().post("/api/chat", json={"message": "职" * 11})
    assert error_of(resp, 400)["code"] == "message_too_long"
    assert "10" in error_of(resp, 400)["message"]


@pytest.mark.parametrize(
    "raw", [b"{not json", b"", b'{"message": "a"', b"\xff\xfe", b"[" * 5000 + b"]" * 5000]
)
def test_chat_invalid_json_is_400(client, raw):
    resp = client.post("/api/chat", data=raw, content_type="application/json")
    error_of(resp, 400)


@pytest.mark.parametrize(
    "ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
def test_chat_non_json_content_type_is_415(client, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    resp = client.post("/api/chat", data='{"message": "hi"}', headers=headers)
    assert error_of(resp, 415)["code"] == "unsupported_media_type"


def test_chat_wrong_method_is_405_json(client):
    resp = client.get("/api/chat")
    assert error_of(resp, 405)["code"] == "method_not_allowed"
    assert "POST" in resp.headers["Allow"]


def test_body_over_the_request_limit_is_413():
    app = make_app(MAX_CONTENT_LENGTH=1000)
    resp = app.test_client().post(
        "/api/chat", data=json.dumps({"message": "x" * 5000}), content_type="application/json"
    )
    assert error_of(resp, 413)["code"] == "too_large"


def test_no_user_text_comes_back_as_markup(client):
    resp = client.post("/api/chat", json={"message": "<script>alert(1)</script> 中职能考大学吗"})
    assert resp.status_code == 200
    assert b"<script" not in resp.data.lower()
    assert b"<" not in resp.data  # every < in JSON is written \u003c
    resp = client.get("/api/search?q=<img src=x onerror=alert(1)>")
    assert b"<img" not in resp.data
    resp = client.get("/api/pathways?from=<b>x</b>&to=本科")
    assert resp.status_code == 404 and b"<b>" not in resp.data
    resp = client.get("/api/entity/<script>")
    assert resp.status_code == 404 and b"<script>" not in resp.data


# ------------------------------------------------------------------ search


def test_search_finds_programmes_and_credentials(client):
    resp = client.get("/api/search?q=护士")
    assert resp.status_code == 200
    results = resp.json["results"]
    assert results and all({"iri", "label", "type", "score"} <= set(r) for r in results)
    assert any("护" in r["label"] for r in results)


def test_search_k_and_lang(client):
    results = client.get("/api/search?q=nurse&k=3&lang=en").json["results"]
    assert 1 <= len(results) <= 3


@pytest.mark.parametrize(
    "query,code",
    [
        ("", "missing_parameter"),
        ("q=", "missing_parameter"),
        ("q=%20%20", "missing_parameter"),
        ("q=x&k=0", "bad_parameter"),
        ("q=x&k=abc", "bad_parameter"),
        ("q=x&k=100000", "bad_parameter"),
        ("q=x&lang=de", "bad_lang"),
        ("q=x&lang=ZH", "bad_lang"),
        ("q=x&lang=zh-CN", "bad_lang"),
        ("q=x&lang=%20en", "bad_lang"),
        ("q=" + "x" * 300, "too_long"),
        ("q=" + "x" * 195 + "%20" * 10, "too_long"),  # the length as sent, before stripping
        ("q=x&k=", "bad_parameter"),  # empty is not an integer
        ("q=x&k=1.5", "bad_parameter"),
        ("q=x&k=1_0", "bad_parameter"),
        ("q=x&k=%EF%BC%95", "bad_parameter"),  # a full-width digit
        ("q=x&k=" + "9" * 5000, "bad_parameter"),
        ("q=x&k=3&k=4", "bad_parameter"),  # given twice
        ("q=a&q=b", "bad_parameter"),
        ("q=x&lang=zh&lang=en", "bad_parameter"),
        ("q=%E2%80%83%E3%80%80", "missing_parameter"),  # only Unicode white space
    ],
)
def test_search_bad_input_is_400(client, query, code):
    assert error_of(client.get("/api/search?" + query), 400)["code"] == code


def test_an_empty_lang_means_not_given(client):
    resp = client.get("/api/search?q=nurse&lang=", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert resp.status_code == 200 and resp.json["lang"] == "en"
    resp = client.get("/api/search?q=nurse&lang=")
    assert resp.status_code == 200 and resp.json["lang"] == "zh"
    resp = client.get("/api/entity/stage-bachelor?lang=")
    assert resp.status_code == 200


# ------------------------------------------------------------------ pathways


def test_pathways_from_secondary_vocational_to_bachelor(client):
    resp = client.get("/api/pathways?from=中职&to=本科")
    assert resp.status_code == 200
    body = resp.json
    assert body["from"]["iri"] == RTD + "stage-secondary-vocational"
    assert body["paths"], "中职 → 本科 has routes"
    step = body["paths"][0]["steps"][0]
    assert {"from", "to", "via"} <= set(step)
    assert step["from"]["iri"] == RTD + "stage-secondary-vocational"
    last = body["paths"][0]["steps"][-1]["to"]["iri"]
    assert "bachelor" in last


def test_pathways_accepts_ids_iris_and_english(client):
    by_id = client.get("/api/pathways?from=stage-higher-vocational&to=stage-bachelor&lang=en")
    assert by_id.status_code == 200 and by_id.json["paths"]
    assert by_id.json["from"]["label"] and by_id.json["lang"] == "en"
    iri = RTD + "stage-junior-secondary"
    assert client.get(f"/api/pathways?from={iri}&to=stage-higher-vocational").status_code == 200


def test_pathways_unknown_place_is_404(client):
    err = error_of(client.get("/api/pathways?from=火星大学&to=本科"), 404)
    assert err["code"] == "unknown_place"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from=中职",
        "to=本科",
        "from=&to=本科",
        "from=%20&to=本科",
        "from=中职&to=本科&max_steps=x",
        "from=中职&to=本科&max_steps=",
        "from=中职&to=本科&max_steps=0",
        "from=中职&to=本科&max_steps=7",
        "from=中职&to=本科&lang=fr",
        "from=中职&from=高职&to=本科",
    ],
)
def test_pathways_missing_or_bad_parameters_are_400(client, query):
    error_of(client.get("/api/pathways?" + query), 400)


# ------------------------------------------------------------------ entity and health


def test_entity_by_local_name_and_iri(client):
    body = client.get("/api/entity/stage-secondary-vocational").json
    assert body["iri"] == RTD + "stage-secondary-vocational"
    assert body["labels"]["zh"] and body["labels"]["en"]
    assert body["properties"]
    same = client.get("/api/entity/" + RTD + "stage-secondary-vocational").json
    assert same["iri"] == body["iri"]


def test_entity_unknown_is_404(client):
    assert error_of(client.get("/api/entity/prog-000000"), 404)["code"] == "not_found"
    error_of(client.get("/api/entity/..%2F..%2Fetc"), 404)


def test_entity_bad_lang_is_400(client):
    assert error_of(client.get("/api/entity/stage-bachelor?lang=fr"), 400)["code"] == "bad_lang"


def test_healthz(client):
    body = client.get("/healthz").json
    assert body["status"] == "ok"
    assert body["triples"] > 1000
    assert len(body["graph"]["hash"]) == 12
    assert body["graph"]["newest_source"]


def test_unknown_api_path_is_json_404(client):
    err = error_of(client.get("/api/nothing-here"), 404)
    assert err["code"] == "not_found"


def test_security_headers_on_every_response(client):
    for resp in (client.get("/healthz"), client.get("/api/nothing"), client.get("/")):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["Referrer-Policy"]


def test_an_unexpected_error_is_a_json_500_without_details(app):
    class Broken:
        def ask(self, *a, **k):
            raise RuntimeError("secret internal detail /etc/passwd")

        def search(self, *a, **k):
            raise RuntimeError("secret")

    broken = make_app(ADVISOR=Broken())
    resp = broken.test_client().post("/api/chat", json={"message": "hi"})
    err = error_of(resp, 500)
    assert err["code"] == "internal_error"
    assert "secret" not in resp.get_data(as_text=True)


def test_an_unexpected_error_is_logged_with_frames_but_no_user_text(caplog):
    phone, email = "138" + "0013" + "8000", "someone" + "@example.com"

    class Quoting:  # an error whose message quotes what the user typed
        def ask(self, message, *a, **k):
            raise KeyError(f"{message} {phone} {email} {'x' * 200}")

    broken = make_app(ADVISOR=Quoting())
    with caplog.at_level("ERROR", logger="rongtong.web"):
        resp = broken.test_client().post("/api/chat", json={"message": "我叫李雷电话"})
    ref = error_of(resp, 500)["message"].split("reference ")[1].rstrip(").")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert ref in logged and "builtins.KeyError" in logged
    assert "in ask" in logged  # the frame that raised
    assert phone not in logged and email not in logged
    assert "x" * 100 not in logged  # cut like a logged chat message
    assert not any(r.exc_info for r in caplog.records)  # no full exception with its message


def test_rate_limit_answers_429_with_retry_after():
    app = make_app(RATE_LIMIT_CHAT="2/minute", RATE_LIMIT_LOOPBACK=True)
    c = app.test_client()
    codes = [c.post("/api/chat", json={"message": "专升本"}).status_code for _ in range(3)]
    assert codes[:2] == [200, 200]
    assert codes[2] == 429
    resp = c.post("/api/chat", json={"message": "专升本"})
    assert error_of(resp, 429)["code"] == "too_many_requests"
    assert int(resp.headers["Retry-After"]) >= 1


# ------------------------------------------------------------------ never a 5xx


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "message": json_values | st.text(max_size=60),
            "session_id": json_values,
            "lang": st.sampled_from(["zh", "en", "ZH", "fr", ""]) | json_values,
        },
    )
)
def test_chat_never_5xx_on_any_json(client, body):
    resp = client.post("/api/chat", json=body)
    assert resp.status_code < 500, (body, resp.data[:300])
    if resp.status_code != 200:
        error_of(resp, resp.status_code)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200), ctype=st.sampled_from(["application/json", "text/plain", ""]))
def test_chat_never_5xx_on_any_bytes(client, raw, ctype):
    resp = client.post("/api/chat", data=raw, headers={"Content-Type": ctype} if ctype else {})
    assert resp.status_code < 500


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=30),
    k=st.text(max_size=5),
    lang=st.text(max_size=4),
    frm=st.text(max_size=20),
    to=st.text(max_size=20),
    ident=st.text(max_size=30),
)
def test_get_endpoints_never_5xx(client, q, k, lang, frm, to, ident):
    from urllib.parse import quote, urlencode

    for resp in (
        client.get("/api/search?" + urlencode({"q": q, "k": k, "lang": lang})),
        client.get("/api/pathways?" + urlencode({"from": frm, "to": to, "lang": lang})),
        client.get("/api/entity/" + quote(ident or "x", safe="")),
        client.get("/entity/" + quote(ident or "x", safe="")),
    ):
        assert resp.status_code < 500, resp.data[:300]
