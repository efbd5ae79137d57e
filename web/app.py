"""The Flask application factory: one app holds one graph and one advisor, built once.

``create_app(test_config=None)`` reads the settings table (``kg.settings``), applies
``test_config`` on top, builds the knowledge graph and the advisor (or takes ready ones from
``test_config["GRAPH"]`` / ``["ADVISOR"]``, which tests use to share one graph), and registers the
JSON API, the SPARQL endpoint, the pages and one JSON error shape:
``{"error": {"code": str, "message": str}}``.

On top of those it installs, in this order: the rate limits and the body size limit
(``web.limits.install_limits``: 429 with ``Retry-After``, 413), the private logging
(``web.logging_setup.install_logging``: no message text in the logs unless ``log_messages``, and
then redacted), the 503 answer when the graph's store is down (``web.faults``) and the live
reload of the ontology (``web.reload.install_reloader``).
"""

from __future__ import annotations

import json
import logging
import secrets
import traceback
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

__all__ = ["create_app", "State", "ApiError", "state"]

log = logging.getLogger("rongtong.web")

# Flask config key -> name in the kg settings table (kg/settings.py, the one table of settings).
SETTING_NAMES: dict[str, str] = {
    "ONTOLOGY_DIR": "ontology_dir",
    "STORE": "store",
    "MAX_MESSAGE_LENGTH": "max_message_length",
    "MAX_CONTENT_LENGTH": "max_request_bytes",
    "SPARQL_TIMEOUT": "query_timeout",
    "SPARQL_ROW_CAP": "row_cap",
    "SPARQL_MAX_QUERY_LENGTH": "sparql_max_query_length",
    "SEARCH_MAX_K": "search_max_k",
    "PATHWAYS_MAX_STEPS": "pathways_max_steps",
    "SESSION_STORE": "session_store",
    "SESSION_DB": "session_db",
    "SESSION_TTL": "session_ttl",
    "MAX_SESSIONS": "max_sessions",
    "ENCODER": "encoder",
    "INDEX_DIR": "index_dir",
    "RATE_LIMIT_CHAT": "rate_limit_chat",
    "RATE_LIMIT_SPARQL": "rate_limit_sparql",
    "RATE_LIMIT_EXEMPT": "rate_limit_exempt",
    "PROXY_HOPS": "proxy_hops",
    "LOG_MESSAGES": "log_messages",
    "WORKERS": "workers",
    "RELOAD_WATCH": "reload_watch",
}
DEFAULTS = SETTING_NAMES  # the names web reads; their values come from kg.settings


def safe_json_dumps(obj: Any, **kwargs: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` written as \\u escapes: the same value for every JSON
    parser, but no user text can ever appear as markup (``<script>``) in a response body."""
    kwargs.setdefault("ensure_ascii", False)
    text = json.dumps(obj, **kwargs)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class SafeJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return safe_json_dumps(obj, **kwargs)


class ApiError(Exception):
    """A client error answered with the JSON error shape."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class State:
    """The heavy objects of one app: built once, shared by every request.

    ``install_reloader`` (web/reload.py) wraps it in a ``LiveState`` that serves ``graph``,
    ``advisor`` and ``named_queries`` from the reloader's current snapshot.
    """

    graph: Any
    advisor: Any
    settings: dict[str, Any] = field(default_factory=dict)
    named_queries: list[dict[str, str]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def state() -> State:
    from flask import current_app

    return current_app.extensions["rongtong"]


def _kg_settings() -> dict[str, Any]:
    """The web's settings from the kg settings table (defaults < RONGTONG_* environment)."""
    from kg.settings import Settings

    values = Settings()
    return {key: values[name] for key, name in SETTING_NAMES.items() if name in values}


def _build_graph(config: dict[str, Any]):
    from kg import open_graph

    return open_graph(ontology_dir=config["ONTOLOGY_DIR"], store=config["STORE"])


def _build_session_store(config: dict[str, Any]):
    from advisor import sessions

    if config["SESSION_STORE"] == "sqlite":
        path = config["SESSION_DB"]
        return sessions.SQLiteSessionStore(
            path, ttl=float(config["SESSION_TTL"]), max_sessions=int(config["MAX_SESSIONS"])
        )
    return None  # the advisor's default: in memory


def kg_settings_for(config: dict[str, Any]):
    """A kg ``Settings`` carrying this app's values (test_config overrides included)."""
    from kg.settings import Settings

    known = set(Settings(env={}))
    return Settings(
        {name: config[key] for key, name in SETTING_NAMES.items() if name in known},
        env={},
    )


def _build_advisor(graph, config: dict[str, Any], previous=None):
    from advisor import Advisor

    store = getattr(previous, "session_store", None) or getattr(previous, "sessions", None)
    return Advisor(
        graph,
        settings=kg_settings_for(config),
        encoder=config["ENCODER"],
        index_dir=config["INDEX_DIR"],
        session_store=store or _build_session_store(config),
    )


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(_kg_settings())
    if test_config:
        app.config.from_mapping(test_config)
    app.json = SafeJSONProvider(app)

    graph = app.config.get("GRAPH") or _build_graph(app.config)
    advisor = app.config.get("ADVISOR") or _build_advisor(graph, app.config)
    from web.sparql import load_named_queries

    app.extensions["rongtong"] = State(
        graph=graph,
        advisor=advisor,
        settings={k: app.config[k] for k in DEFAULTS},
        named_queries=load_named_queries(app.config["ONTOLOGY_DIR"], graph),
        config=dict(app.config),
    )

    from web import api, pages, sparql
    from web.openapi import bp as openapi_bp

    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(openapi_bp)
    _register_errors(app)
    _register_headers(app)

    from web.faults import install_fault_handlers
    from web.limits import install_limits
    from web.logging_setup import install_logging
    from web.reload import install_reloader

    install_limits(app)  # after the blueprints: it wraps the chat and SPARQL views
    install_logging(app)
    install_fault_handlers(app)
    install_reloader(app)
    return app


# ------------------------------------------------------------------ errors

_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "timeout",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    431: "headers_too_large",
    500: "internal_error",
    503: "unavailable",
}


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _wants_html() -> bool:
    if request.path.startswith(("/api/", "/sparql", "/healthz", "/openapi")):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err.status, err.code, err.message)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        code = _CODES.get(status, "error")
        message = err.description or err.name
        if status == 405:
            message = f"Method {request.method} is not allowed here."
        headers = {}
        if status == 405 and getattr(err, "valid_methods", None):
            headers["Allow"] = ", ".join(err.valid_methods)
        if _wants_html() and status == 404:
            from web.pages import render_error_page

            return render_error_page(status, message)
        return error_response(status, code, message, headers)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        if isinstance(err, HTTPException):  # pragma: no cover - handled above
            return _http_error(err)
        ref = secrets.token_hex(4)
        log.error(
            "unhandled error %s on %s %s: %s\n%s",
            ref,
            request.method,
            request.path,
            _private_summary(err),
            "".join(traceback.format_list(traceback.extract_tb(err.__traceback__))).rstrip(),
        )
        return error_response(
            500, "internal_error", f"Something went wrong on our side (reference {ref})."
        )


def _private_summary(err: BaseException) -> str:
    """The exception's type and its message redacted like a logged chat message: a message can
    quote what the user typed (a KeyError of their text), which must not reach the logs whole.
    The traceback is logged as frames only (file, line, function, source line), never locals."""
    from web.logging_setup import redact

    return f"{type(err).__module__}.{type(err).__qualname__}: {redact(err)}"


# ------------------------------------------------------------------ headers

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _register_headers(app: Flask) -> None:
    @app.after_request
    def _security_headers(resp):
        h = resp.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith(("/api/", "/healthz")):
            h.setdefault("Cache-Control", "no-store")
        vary = getattr(g, "vary_accept", False)
        if vary:
            resp.vary.add("Accept")
        return resp
