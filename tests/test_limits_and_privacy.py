"""Rate limits, body limits and private logs (web/limits.py, web/logging_setup.py) on the real app.

- 429 with Retry-After in the JSON error shape once a client passes rate_limit_chat or
  rate_limit_sparql; other clients unaffected; the counselor page is not counted; loopback exempt
  by default; behind proxies (proxy_hops) the forwarded address counts and cannot be spoofed.
- 413 in the error shape above max_request_bytes, declared or chunked.
- Logs: no message text, no query string of /api/chat or /api/search, no full client address by
  default; with log_messages the text is redacted (digits -> #, e-mails, controls, cut at 80).
"""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

from reliability_support import assert_error_shape, real_app

from web.logging_setup import (
    PrivateAccessFilter,
    PrivateGunicornLogger,
    anonymise_ip,
    redact,
    strip_private_query,
)

CLIENT = {"REMOTE_ADDR": "203.0.113.7"}
OTHER = {"REMOTE_ADDR": "198.51.100.9"}
SECRET = "我叫李小明，电话13812345678，身份证110101200801011234，邮箱li.xm@example.com"


def _app(**config):
    base = {"RATE_LIMIT_CHAT": "3/minute", "RATE_LIMIT_SPARQL": "2/minute", "RATE_LIMIT_EXEMPT": ""}
    base.update(config)
    return real_app(**base)


# ----------------------------------------------------------------------------- rate limits


def test_chat_rate_limit_per_client_with_retry_after():
    c = _app().test_client()
    for _ in range(3):
        assert c.post("/api/chat", json={"message": "中职"}, environ_base=CLIENT).status_code == 200
    resp = c.post("/api/chat", json={"message": "中职"}, environ_base=CLIENT)
    assert resp.status_code == 429
    err = assert_error_shape(resp, "429")
    assert err["code"] == "too_many_requests"
    assert 1 <= int(resp.headers["Retry-After"]) <= 61
    assert resp.headers["X-RateLimit-Limit"] == "3"
    # another client is not affected, and neither are other endpoints
    assert c.post("/api/chat", json={"message": "中职"}, environ_base=OTHER).status_code == 200
    assert c.get("/api/search?q=nurse", environ_base=CLIENT).status_code == 200


def test_sparql_rate_limit_counts_queries_not_the_page():
    c = _app().test_client()
    for _ in range(5):  # the counselor page
        resp = c.get("/sparql", headers={"Accept": "text/html"}, environ_base=CLIENT)
        assert resp.status_code == 200
    q = {"query": "ASK { ?s ?p ?o }"}
    assert c.get("/sparql", query_string=q, environ_base=CLIENT).status_code == 200
    assert c.post("/sparql", data=q, environ_base=CLIENT).status_code == 200
    resp = c.get("/sparql", query_string=q, environ_base=CLIENT)
    assert resp.status_code == 429 and "Retry-After" in resp.headers
    assert_error_shape(resp, "sparql 429")


def test_loopback_is_exempt_by_default():
    app = real_app(RATE_LIMIT_CHAT="2/minute", RATE_LIMIT_SPARQL="2/minute")
    c = app.test_client()
    for _ in range(5):
        assert c.post("/api/chat", json={"message": "hi"}).status_code == 200  # 127.0.0.1


def test_proxy_hops_uses_the_forwarded_address_and_resists_spoofing():
    c = _app(PROXY_HOPS=1).test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # the reverse proxy on this host
    for i in range(3):
        headers = {"X-Forwarded-For": f"10.0.0.{i}, 203.0.113.50"}  # client-chosen prefix varies
        resp = c.post("/api/chat", json={"message": "hi"}, headers=headers, environ_base=proxy)
        assert resp.status_code == 200
    resp = c.post(
        "/api/chat",
        json={"message": "hi"},
        headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.50"},  # spoofing loopback: no use
        environ_base=proxy,
    )
    assert resp.status_code == 429
    resp = c.post(
        "/api/chat", json={"message": "hi"}, headers={"X-Forwarded-For": "203.0.113.51"},
        environ_base=proxy,
    )  # fmt: skip
    assert resp.status_code == 200


# ----------------------------------------------------------------------------- body size


def test_body_limit_413_declared_and_chunked():
    c = _app(MAX_CONTENT_LENGTH=1000, RATELIMIT_ENABLED=False).test_client()
    body = json.dumps({"message": "a" * 2000}).encode()
    for path, ctype in (("/api/chat", "application/json"), ("/sparql", "application/sparql-query")):
        resp = c.post(path, data=body, content_type=ctype)
        assert resp.status_code == 413, path
        assert assert_error_shape(resp, path)["code"] == "too_large"
    # chunked: no Content-Length, the stream is cut when read
    resp = c.post(
        "/api/chat",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert resp.status_code == 413, resp.get_data()[:200]
    assert_error_shape(resp, "chunked")
    small = json.dumps({"message": "中职能上本科吗"}).encode()
    assert c.post("/api/chat", data=small, content_type="application/json").status_code == 200


# ----------------------------------------------------------------------------- logs


def test_redaction_helpers():
    out = redact(SECRET + "\n[fake] admin logged in" + "x" * 200)
    assert not any(ch.isdigit() for ch in out)
    assert "li.xm@example.com" not in out and "<email>" in out
    assert "\n" not in out and len(out) <= 81 and out.endswith("…")
    assert strip_private_query("GET /api/search?q=%E5%AD%A9%E5%AD%90 HTTP/1.1") == (
        "GET /api/search?… HTTP/1.1"
    )
    assert strip_private_query("GET /api/pathways?from=a HTTP/1.1").endswith("from=a HTTP/1.1")
    assert anonymise_ip("203.0.113.57") == "203.0.113.0"
    assert anonymise_ip("2001:db8:1:2::5") == "2001:db8:1::"


def _chat_logs(caplog, **config) -> str:
    c = _app(RATELIMIT_ENABLED=False, **config).test_client()
    with caplog.at_level(logging.DEBUG):
        resp = c.post("/api/chat", json={"message": SECRET, "lang": "zh"})
        assert resp.status_code == 200
        c.get("/api/search", query_string={"q": SECRET[:30]})
    return "\n".join(r.getMessage() for r in caplog.records)


def test_no_message_text_in_logs_by_default(caplog):
    logs = _chat_logs(caplog, LOG_MESSAGES=False)
    assert "chat status=200" in logs and f"len={len(SECRET)}" in logs
    for secret in ("李小明", "13812345678", "1234", "example.com", "李"):
        assert secret not in logs, secret


def test_log_messages_setting_logs_redacted_text(caplog):
    logs = _chat_logs(caplog, LOG_MESSAGES=True)
    assert "text=" in logs and "我叫李小明" in logs
    assert "13812345678" not in logs and "###########" in logs
    assert "example.com" not in logs


def test_access_logs_drop_private_query_strings_and_shorten_addresses():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s %s',
        ("127.0.0.1", "GET /api/search?q=%E6%9D%8E HTTP/1.1", "200", "-"), None,
    )  # fmt: skip
    PrivateAccessFilter().filter(record)
    assert "%E6%9D%8E" not in record.getMessage() and "/api/search?…" in record.getMessage()

    from gunicorn.config import Config

    class Resp:
        status = "200 OK"
        sent = 10
        headers = [("Content-Type", "application/json")]

    class Req:
        headers = [
            ("REFERER", "https://rongtong.example/api/search?q=secret"),
            ("X-REAL-IP", "203.0.113.8"),
        ]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/search?q=secret&lang=zh",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/api/search",
        "QUERY_STRING": "q=secret&lang=zh",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_REFERER": "https://rongtong.example/api/search?q=secret",
    }
    atoms = PrivateGunicornLogger(Config()).atoms(Resp(), Req(), environ, timedelta(seconds=0.01))
    text = json.dumps({k: v for k, v in atoms.items() if isinstance(v, str)}, ensure_ascii=False)
    assert "secret" not in text and "203.0.113.77" not in text and '203.0.113.8"' not in text
    assert atoms["h"] == "203.0.113.0" and atoms["r"] == "GET /api/search?… HTTP/1.1"
