"""Rate limits, body limits and private logs (web/limits.py, web/logging_setup.py) on the real app.

- 429 with Retry-After in the JSON error shape once a client passes rate_limit_chat or
  rate_limit_sparql; other clients unaffected; the counselor page is not counted; loopback exempt
  by default; behind proxies (proxy_hops) the forwarded address counts and cannot be spoofed.
- 413 in the error shape above max_request_bytes, declared or chunked.
- Logs: no message text, no query string of /api/chat or /api/search, no full client address by
  default (the app's log and gunicorn's access log as ``rongtong serve`` configures it); with
  log_messages the text is redacted (digits -> #, e-mails, controls, cut at 80).
- create_app installs all of this itself (web/app.py).
"""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from urllib.parse import quote

import pytest
from reliability_support import ServeProcess, assert_error_shape, http, post_json, real_app
from web_support import make_app

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
DISTINCT = (
    "Quokka-Marmalade 我家孩子王小虎 4417 想读护理"  # a message no log line could hold by chance
)
DISTINCT_PARTS = ("Quokka", "Marmalade", "王小虎", "4417", "想读护理")


def test_create_app_installs_limits_private_logging_and_fault_handlers():
    app = make_app()
    for ext in ("rongtong_limits", "rongtong_logging", "rongtong_faults", "rongtong_reloader"):
        assert ext in app.extensions, ext
    assert "rongtong_limiter" not in app.extensions  # the old in-app limiter is gone
    assert app.config["LOG_MESSAGES"] is False  # the default of the setting log_messages
    assert app.config["RATE_LIMIT_EXEMPT"] == "127.0.0.0/8,::1"
    assert app.config["PROXY_HOPS"] == 0


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
    assert strip_private_query("GET /api/pathways?from=%E5%AD%A9&to=x HTTP/1.1") == (
        "GET /api/pathways?… HTTP/1.1"
    )
    assert strip_private_query("GET /sparql?query=ASK HTTP/1.1").endswith("query=ASK HTTP/1.1")
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


def test_default_settings_log_no_message_text(caplog, monkeypatch):
    """With the settings' defaults (no override, no RONGTONG_LOG_MESSAGES) a chat turn leaves
    one line with its length in the app's log, and nothing of what was typed."""
    monkeypatch.delenv("RONGTONG_LOG_MESSAGES", raising=False)
    c = make_app(RATELIMIT_ENABLED=False).test_client()
    with caplog.at_level(logging.DEBUG):
        assert c.post("/api/chat", json={"message": DISTINCT}).status_code == 200
        assert c.get("/api/search", query_string={"q": DISTINCT}).status_code == 200
        c.get("/api/chat", query_string={"message": DISTINCT})  # 405, but still a request
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert f"chat status=200 len={len(DISTINCT)}" in logs
    for part in DISTINCT_PARTS:
        assert part not in logs, part


def test_log_messages_setting_logs_redacted_text(caplog):
    logs = _chat_logs(caplog, LOG_MESSAGES=True)
    assert "text=" in logs and "我叫李小明" in logs
    assert "13812345678" not in logs and "###########" in logs
    assert "example.com" not in logs


def test_log_messages_on_logs_the_distinct_message_redacted(caplog):
    c = make_app(RATELIMIT_ENABLED=False, LOG_MESSAGES=True).test_client()
    with caplog.at_level(logging.INFO, logger="rongtong.chat"):
        assert c.post("/api/chat", json={"message": DISTINCT}).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "rongtong.chat"]
    assert len(lines) == 1, lines
    assert "text='Quokka-Marmalade 我家孩子王小虎 #### 想读护理'" in lines[0]
    assert "4417" not in lines[0]


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


# ----------------------------------------------------------------------------- gunicorn


def _gunicorn_logger(access_log: bool = True):
    """gunicorn's logger exactly as ``rongtong serve`` configures it (web/serve.py)."""
    from gunicorn.config import Config

    from kg.settings import Settings
    from web.serve import _gunicorn_options

    cfg = Config()
    for key, value in _gunicorn_options(Settings(env={}), 1, access_log).items():
        if key in cfg.settings and value is not None:
            cfg.set(key, value)
    return cfg, cfg.logger_class(cfg)


def test_serve_configures_the_private_gunicorn_logger():
    cfg, logger = _gunicorn_logger()
    assert isinstance(logger, PrivateGunicornLogger)
    if "control_socket_disable" in cfg.settings:  # gunicorn >= 25.1
        assert cfg.control_socket_disable is True


def test_gunicorn_access_log_format_holds_no_message_text(caplog):
    """gunicorn's default access-log format (request line, Referer, …) through the logger that
    ``rongtong serve --access-log`` uses: what a user typed never reaches the line."""
    cfg, logger = _gunicorn_logger()
    text = quote(DISTINCT)

    class Resp:
        status = "200 OK"
        sent = 120
        headers = [("Content-Type", "application/json")]

    class Req:
        headers = [("REFERER", f"http://127.0.0.1:8000/api/search?q={text}")]

    requests = [
        ("POST", "/api/chat", ""),
        ("POST", "/api/chat", f"message={text}"),  # a client putting the message in the URL
        ("GET", "/api/search", f"q={text}&lang=zh"),
    ]
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        for method, path, query in requests:
            environ = {
                "REQUEST_METHOD": method,
                "RAW_URI": path + (f"?{query}" if query else ""),
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "203.0.113.77",
                "HTTP_REFERER": Req.headers[0][1],
                "HTTP_USER_AGENT": "test",
            }
            logger.access(Resp(), Req(), environ, timedelta(seconds=0.02))
    lines = [r.getMessage() for r in caplog.records if r.name == "gunicorn.access"]
    assert len(lines) == 3, lines
    assert any('"POST /api/chat?… HTTP/1.1"' in line for line in lines)
    joined = "\n".join(lines)
    for part in (text, *DISTINCT_PARTS, "203.0.113.77"):
        assert part not in joined, part


@pytest.mark.slow
def test_rongtong_serve_logs_no_message_text():
    """End to end: ``rongtong serve --access-log`` (gunicorn) with the default settings; a chat
    turn and a search with a distinctive text; neither the access log nor the app's log holds it."""
    env = {"RONGTONG_LOG_MESSAGES": "", "RONGTONG_RELOAD_WATCH": "false"}
    with ServeProcess("--access-log", "--workers", "1", "--encoder", "hash", env=env) as srv:
        status, body, _, _ = post_json(srv.url + "/api/chat", {"message": DISTINCT})
        assert status == 200, body[:300]
        assert http("GET", f"{srv.url}/api/search?q={quote(DISTINCT)}")[0] == 200
        http("GET", f"{srv.url}/api/chat?message={quote(DISTINCT)}")  # 405, logged anyway
        srv.stop()
        log = srv.tail(200_000)
    assert "POST /api/chat HTTP/1.1" in log and "/api/search?… HTTP/1.1" in log, log[-2000:]
    assert f"chat status=200 len={len(DISTINCT)}" in log, log[-2000:]
    for part in (quote(DISTINCT), *DISTINCT_PARTS):
        assert part not in log, part
