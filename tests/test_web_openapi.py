"""/openapi.json stays true: every documented path and method exists, and the answers to sample
requests validate against the documented schemas (status by status)."""

from __future__ import annotations

import copy
import json

import jsonschema_rs
import pytest
from web_support import make_app

SAMPLES = [
    ("post", "/api/chat", {"json": {"message": "高职毕业能读本科吗？"}}, 200),
    ("post", "/api/chat", {"json": {"message": "What is the credit bank?", "lang": "en"}}, 200),
    ("post", "/api/chat", {"json": {"message": ""}}, 400),
    ("post", "/api/chat", {"data": "{x", "content_type": "application/json"}, 400),
    ("post", "/api/chat", {"data": "hi", "content_type": "text/plain"}, 415),
    ("get", "/api/search?q=护士", {}, 200),
    ("get", "/api/search?q=robot&lang=en&k=5", {}, 200),
    ("get", "/api/search", {}, 400),
    ("get", "/api/search?q=%E3%80%80", {}, 400),
    ("get", "/api/search?q=x&k=", {}, 400),
    ("get", "/api/search?q=robot&lang=", {}, 200),
    ("get", "/api/pathways?from=中职&to=本科", {}, 200),
    ("get", "/api/pathways?from=stage-higher-vocational&to=stage-master&lang=en", {}, 200),
    ("get", "/api/pathways?from=月球&to=本科", {}, 404),
    ("get", "/api/pathways?from=中职", {}, 400),
    ("get", "/api/entity/stage-secondary-vocational", {}, 200),
    ("get", "/api/entity/src-moe-catalogue-2021?lang=en", {}, 200),
    ("get", "/api/entity/prog-000000", {}, 404),
    ("get", "/api/entity/stage-bachelor?lang=fr", {}, 400),
    ("get", "/healthz", {}, 200),
]


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/openapi.json").get_json()


def _resolve(node, root):
    """The schema with every local $ref inlined (the schemas have no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return _resolve(copy.deepcopy(target), root)
        return {k: _resolve(v, root) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, root) for v in node]
    return node


def _template(path: str) -> str:
    bare = path.split("?")[0]
    return "/api/entity/{id}" if bare.startswith("/api/entity/") else bare


def test_spec_is_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"]
    assert set(spec["paths"]) == {
        "/api/chat",
        "/api/search",
        "/api/pathways",
        "/api/entity/{id}",
        "/healthz",
    }


def test_every_documented_operation_exists(app, spec):
    rules = {}
    for rule in app.url_map.iter_rules():
        path = rule.rule.replace("<path:ident>", "{id}")
        rules.setdefault(path, set()).update(m.lower() for m in rule.methods)
    for path, ops in spec["paths"].items():
        assert path in rules, path
        for method in ops:
            assert method in rules[path], (path, method)


def test_every_sample_covers_a_documented_status(spec):
    covered = {(m, _template(p), str(s)) for m, p, _, s in SAMPLES}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert (method, path, "200") in covered, (method, path)
            for status in op["responses"]:
                if status in ("413", "429", "503"):
                    continue  # covered in test_web_api, test_limits_and_privacy, test_faults
                assert (method, path, status) in covered, (method, path, status)


@pytest.mark.parametrize("method,path,kwargs,status", SAMPLES)
def test_responses_validate_against_the_schema(app, spec, method, path, kwargs, status):
    resp = getattr(app.test_client(), method)(path, **kwargs)
    assert resp.status_code == status, resp.data[:300]
    op = spec["paths"][_template(path)][method]
    documented = op["responses"][str(status)]
    schema = _resolve(documented["content"]["application/json"]["schema"], spec)
    body = json.loads(resp.data)
    validator = jsonschema_rs.validator_for(schema)
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, errors[:5]


def test_request_schema_accepts_the_samples_and_matches_the_setting(app, spec):
    schema = _resolve(spec["components"]["schemas"]["ChatRequest"], spec)
    v = jsonschema_rs.validator_for(schema)
    assert v.is_valid({"message": "hi", "lang": "en", "session_id": None})
    assert not v.is_valid({"message": ""})
    assert not v.is_valid({"text": "hi"})
    assert schema["properties"]["message"]["maxLength"] == app.config["MAX_MESSAGE_LENGTH"]


def test_request_schema_rejects_blank_messages_as_the_api_does(app, spec):
    schema = _resolve(spec["components"]["schemas"]["ChatRequest"], spec)
    v = jsonschema_rs.validator_for(schema)
    client = app.test_client()
    for message in (" ", "\u3000\t\n", "\x1c\x85", " x ", "\ufeff", "职"):
        valid = v.is_valid({"message": message})
        status = client.post("/api/chat", json={"message": message}).status_code
        assert (status == 200) == valid, (message, status, valid)
    assert not v.is_valid({"message": "hi", "lang": "ZH"})


def test_not_blank_pattern_is_what_str_strip_removes():
    """The spec's pattern for q/from/to/message and the API's ``str.strip()`` agree on every
    code point, under Python's re and under the Rust regex of jsonschema_rs."""
    import re
    import sys

    from web.openapi import NOT_BLANK

    pattern = re.compile(NOT_BLANK)
    v = jsonschema_rs.validator_for({"type": "string", "pattern": NOT_BLANK})
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not text
        ch = chr(code)
        blank = not ch.strip()
        assert (pattern.search(ch) is None) == blank, hex(code)
        if blank or code < 0x3100:
            assert v.is_valid(ch) != blank, hex(code)


def test_spec_bounds_follow_the_settings():
    small = make_app(MAX_MESSAGE_LENGTH=10, SEARCH_MAX_K=7, PATHWAYS_MAX_STEPS=8)
    doc = small.test_client().get("/openapi.json").get_json()

    def param(path, name):
        return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)

    assert doc["components"]["schemas"]["ChatRequest"]["properties"]["message"]["maxLength"] == 10
    assert param("/api/search", "k")["schema"]["maximum"] == 7
    assert param("/api/pathways", "max_steps")["schema"]["maximum"] == 8
    c = small.test_client()
    assert c.get("/api/search?q=nurse&k=7").status_code == 200
    assert c.get("/api/search?q=nurse&k=8").status_code == 400
    assert c.get("/api/pathways?from=中职&to=本科&max_steps=8").status_code == 200
    assert c.get("/api/pathways?from=中职&to=本科&max_steps=9").status_code == 400
