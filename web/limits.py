"""Request limits: rate limits per client (flask-limiter) and a request body size limit.

``install_limits(app)`` (idempotent) adds:

- **Rate limits per client address**: ``POST /api/chat`` at the setting ``rate_limit_chat``
  (default 60/minute) and ``/sparql`` requests that carry a query (GET with a query string, any
  POST) at ``rate_limit_sparql`` (default 60/minute). The counselor page (``GET /sparql`` with no
  query) and everything else are not counted. Over the limit: **429** in the project's JSON error
  shape ``{"error": {"code": "too_many_requests", "message": ...}}`` with a ``Retry-After`` header
  (seconds) and ``X-RateLimit-Limit``/``-Remaining``/``-Reset``.
- **Client address**: ``request.remote_addr``. Behind reverse proxies set ``proxy_hops`` to their
  number: werkzeug's ``ProxyFix`` then takes the address the nearest trusted proxy saw from
  ``X-Forwarded-For`` (never more hops than configured, so a client cannot spoof it).
- **Exempt addresses**: ``rate_limit_exempt`` (default ``127.0.0.0/8,::1``: the evaluation runner
  and load tests on the same host). Behind a reverse proxy on the same host, set ``proxy_hops`` —
  otherwise every client looks like 127.0.0.1 and is exempt. ``''`` exempts nobody.
- **Storage: in memory, per worker process.** Each gunicorn worker counts on its own, so with
  ``workers = N`` a client may get up to N × the limit when its requests spread over workers.
  That is deliberate (no shared service to run or to fail); a deployment that needs one exact
  count sets ``RATELIMIT_STORAGE_URI`` (e.g. ``redis://…``) in the app config. Counting errors never
  fail a request (``swallow_errors``).
- **Body size**: ``MAX_CONTENT_LENGTH`` from the setting ``max_request_bytes`` (default 256 KiB).
  A declared ``Content-Length`` above it is refused before any handler runs; a chunked body is
  cut by werkzeug when read. Either way: **413** in the JSON error shape. Form parsing is bounded
  the same way (``MAX_FORM_MEMORY_SIZE``).

Flask config keys read (set from kg/settings.py by web/app.py, or directly in tests):
``RATE_LIMIT_CHAT``, ``RATE_LIMIT_SPARQL``, ``RATE_LIMIT_EXEMPT``, ``PROXY_HOPS``,
``MAX_CONTENT_LENGTH``, ``RATE_LIMIT_LOOPBACK`` (True: loopback clients are counted too, whatever
``RATE_LIMIT_EXEMPT`` says), ``RATELIMIT_ENABLED`` (False turns rate limiting off, e.g. in fuzz tests),
``RATELIMIT_STORAGE_URI``.
"""

from __future__ import annotations

import ipaddress
import math
import time
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

__all__ = ["install_limits", "client_address", "parse_networks", "LIMITED"]

# endpoint -> (config key, setting name)
LIMITED: dict[str, tuple[str, str]] = {
    "api.chat": ("RATE_LIMIT_CHAT", "rate_limit_chat"),
    "sparql.endpoint": ("RATE_LIMIT_SPARQL", "rate_limit_sparql"),
}
_EXTENSION = "rongtong_limits"


def _setting(app: Flask, key: str, name: str) -> Any:
    """A value from the app config, else from the settings table (defaults < environment)."""
    if key in app.config and app.config[key] is not None:
        return app.config[key]
    from kg.settings import Settings

    try:
        return Settings()[name]
    except KeyError:  # pragma: no cover - the rows ship in kg/settings.py
        return None


def parse_networks(text: Any) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``"127.0.0.0/8, ::1"`` -> networks; blanks ignored; a bad entry raises ValueError."""
    if isinstance(text, (list, tuple)):
        items = [str(x) for x in text]
    else:
        items = str(text or "").replace(";", ",").split(",")
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def client_address() -> str:
    """The client's address as the rate limiter sees it (after ProxyFix, when configured)."""
    return request.remote_addr or "unknown"


def _is_exempt(address: str, networks) -> bool:
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in networks if net.version == ip.version)


def _carries_query() -> bool:
    """/sparql: only protocol requests count, not the counselor page (GET without a query)."""
    return request.method == "POST" or bool(request.query_string)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def install_limits(app: Flask) -> Any:
    """Install the rate limits and the body size limit on ``app``; returns the Limiter.

    Call after the blueprints are registered (it wraps the ``api.chat`` and ``sparql.endpoint``
    views). Calling it twice does nothing the second time.
    """
    if _EXTENSION in app.extensions:
        return app.extensions[_EXTENSION]
    from flask_limiter import Limiter, RateLimitExceeded

    # ---- body size
    max_bytes = _setting(app, "MAX_CONTENT_LENGTH", "max_request_bytes")
    if max_bytes:
        max_bytes = int(max_bytes)
        app.config["MAX_CONTENT_LENGTH"] = max_bytes
        form_max = app.config.get("MAX_FORM_MEMORY_SIZE")
        app.config["MAX_FORM_MEMORY_SIZE"] = (
            min(int(form_max), max_bytes) if form_max else max_bytes
        )

    @app.before_request
    def _body_size_limit():
        limit = app.config.get("MAX_CONTENT_LENGTH")
        length = request.content_length
        if limit and length is not None and length > int(limit):
            raise RequestEntityTooLarge(
                f"The request body is {length} bytes; the limit is {int(limit)} bytes."
            )

    # ---- client address behind trusted proxies
    hops = _setting(app, "PROXY_HOPS", "proxy_hops")
    hops = max(0, int(hops or 0))
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]

    # ---- rate limits
    exempt = parse_networks(_setting(app, "RATE_LIMIT_EXEMPT", "rate_limit_exempt"))
    if app.config.get("RATE_LIMIT_LOOPBACK"):  # older switch: count loopback clients too
        exempt = [net for net in exempt if not net.is_loopback]
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)  # ours: on the 429 only
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter = Limiter(
        key_func=client_address,
        app=app,
        default_limits=[],
        strategy=app.config.get("RATELIMIT_STRATEGY", "fixed-window"),
        key_prefix="rongtong",
    )

    @limiter.request_filter
    def _exempt_address() -> bool:
        return _is_exempt(client_address(), exempt)

    limits: dict[str, str] = {}
    for endpoint, (key, name) in LIMITED.items():
        value = _setting(app, key, name)
        view = app.view_functions.get(endpoint)
        if not value or view is None:
            continue
        limits[endpoint] = str(value)
        exempt_when = (lambda: not _carries_query()) if endpoint == "sparql.endpoint" else None
        app.view_functions[endpoint] = limiter.limit(str(value), exempt_when=exempt_when)(view)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(err: RateLimitExceeded):
        wait = 1
        current = getattr(limiter, "current_limit", None)
        reset_at = getattr(current, "reset_at", None)
        if reset_at:
            wait = max(1, math.ceil(float(reset_at) - time.time()))
        limit = getattr(err, "limit", None)
        rate = getattr(limit, "limit", None)
        headers = {"Retry-After": str(wait)}
        if rate is not None:
            headers["X-RateLimit-Limit"] = str(rate.amount)
            headers["X-RateLimit-Remaining"] = "0"
        if reset_at:
            headers["X-RateLimit-Reset"] = str(int(reset_at))
        what = f" ({rate})" if rate is not None else ""
        return _error(
            429,
            "too_many_requests",
            f"Too many requests from your address{what}; try again in {wait} s.",
            headers,
        )

    app.extensions[_EXTENSION] = limiter
    app.extensions[_EXTENSION + "_config"] = {
        "limits": limits,
        "exempt": [str(n) for n in exempt],
        "proxy_hops": hops,
        "max_content_length": app.config.get("MAX_CONTENT_LENGTH"),
        "storage": app.config["RATELIMIT_STORAGE_URI"],
    }
    return limiter
