"""Privacy-preserving logging: no message text or personal details in the logs by default.

Users are often minors and their parents; what they type stays out of the logs.

- **Access log** (gunicorn with ``--access-log``; Flask's dev server): the query string of
  ``/api/chat``, ``/api/search`` and ``/api/pathways`` (what a user typed) is replaced by ``?…``, in the
  request line, the path atoms and the Referer; the client address is shortened (IPv4 to /24,
  IPv6 to /48: ``203.0.113.0``). gunicorn uses :class:`PrivateGunicornLogger`
  (``logger_class`` option); werkzeug's request lines go through :class:`PrivateAccessFilter`.
- **Chat turns** (logger ``rongtong.chat``, INFO): one line per ``POST /api/chat`` with status,
  message length, language and milliseconds — never the text, never the session id.
- **Setting ``log_messages``** (off by default): the chat line also carries the message
  *redacted* by :func:`redact`: every digit becomes ``#`` (phone and ID numbers, scores), e-mail
  addresses become ``<email>``, control characters and line breaks become spaces (no forged log
  lines), and anything beyond 80 characters is cut with ``…``.

``install_logging(app)`` is idempotent; call it from ``create_app``.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from typing import Any

from flask import Flask, g, request

__all__ = [
    "install_logging",
    "redact",
    "strip_private_query",
    "anonymise_ip",
    "PrivateAccessFilter",
    "PrivateGunicornLogger",
    "PRIVATE_PATHS",
    "MAX_LOGGED_CHARS",
]

PRIVATE_PATHS = ("/api/chat", "/api/search", "/api/pathways")
MAX_LOGGED_CHARS = 80
_EXTENSION = "rongtong_logging"

chat_log = logging.getLogger("rongtong.chat")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT = re.compile(r"\d")  # every Unicode digit, full-width included
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")
_PRIVATE_URL = re.compile(
    r"(?P<path>(?:https?://[^/\s\"]*)?(?:"
    + "|".join(re.escape(p) for p in PRIVATE_PATHS)
    + r"))/?\?[^\s\"]*"
)


def redact(text: Any, limit: int = MAX_LOGGED_CHARS) -> str:
    """Text safe to log: e-mails -> <email>, digits -> #, controls -> space, cut at ``limit``."""
    text = str(text)
    text = _EMAIL.sub("<email>", text)
    text = _DIGIT.sub("#", text)
    text = _CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[:limit] + "…"
    return text


def strip_private_query(text: str) -> str:
    """``GET /api/search?q=孩子 HTTP/1.1`` -> ``GET /api/search?… HTTP/1.1`` (other paths kept)."""
    if "?" not in text:
        return text
    return _PRIVATE_URL.sub(lambda m: m.group("path") + "?…", text)


def anonymise_ip(address: str) -> str:
    """203.0.113.57 -> 203.0.113.0; 2001:db8:1:2::5 -> 2001:db8:1::; anything else -> '-'."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


_QUERY_ATOMS = {"q", "{query_string}e"}
_ADDRESS_ATOMS = {
    "h", "{remote_addr}e", "{x-forwarded-for}i", "{x-real-ip}i", "{http_x_forwarded_for}e",
    "{http_x_real_ip}e", "{forwarded}i", "{http_forwarded}e",
}  # fmt: skip


class PrivateAccessFilter(logging.Filter):
    """Rewrites access-log records (werkzeug's dev server, gunicorn.access) in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = strip_private_query(record.msg)
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(strip_private_query(a) if isinstance(a, str) else a for a in args)
        elif isinstance(args, dict):
            record.args = {
                k: strip_private_query(v) if isinstance(v, str) else v for k, v in args.items()
            }
        return True


try:  # gunicorn is a dependency, but keep this module importable without it
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object  # type: ignore[assignment,misc]


class PrivateGunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with private access-log atoms: no query strings of the private paths
    (request line, ``%(U)s``/``%(q)s``, Referer) and a shortened client address."""

    def atoms(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201 - gunicorn's API
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "") or ""
        private = any(path == p or path.startswith(p + "/") for p in PRIVATE_PATHS)
        for key, value in list(atoms.items()):
            if not isinstance(value, str):
                continue
            if key in _QUERY_ATOMS:
                if private:
                    atoms[key] = "…" if value else ""
            elif key in _ADDRESS_ATOMS:
                if value not in ("-", ""):
                    atoms[key] = ",".join(anonymise_ip(v.strip()) for v in value.split(","))
            elif "?" in value:
                atoms[key] = strip_private_query(value)  # r, f, {referer}i, {raw_uri}e, ...
        return atoms


def _enabled(app: Flask) -> bool:
    value = app.config.get("LOG_MESSAGES")
    if value is None:
        from kg.settings import Settings

        try:
            value = Settings()["log_messages"]
        except KeyError:  # pragma: no cover
            value = False
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y", "t")
    return bool(value)


def install_logging(app: Flask) -> None:
    """Private access-log filters and one redacted-or-silent line per chat turn."""
    if app.extensions.get(_EXTENSION):
        return
    app.extensions[_EXTENSION] = True
    log_messages = _enabled(app)
    app.config["LOG_MESSAGES"] = log_messages
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, PrivateAccessFilter) for f in logger.filters):
            logger.addFilter(PrivateAccessFilter())

    @app.before_request
    def _chat_started():
        if request.path != "/api/chat" or request.method != "POST":
            return
        g._rt_chat_started = time.perf_counter()
        g._rt_chat_length = None
        g._rt_chat_text = None
        g._rt_chat_lang = None
        limit = app.config.get("MAX_CONTENT_LENGTH")
        length = request.content_length
        if limit and (length is None or length > int(limit)):
            return  # too large or unknown: the body limit answers; nothing is read here
        try:
            body = request.get_json(silent=True, cache=True)
        except Exception:  # noqa: BLE001 - logging must never change the answer
            body = None
        if isinstance(body, dict):
            message = body.get("message")
            if isinstance(message, str):
                g._rt_chat_length = len(message)
                if log_messages:
                    g._rt_chat_text = redact(message)
            lang = body.get("lang")
            if lang in ("zh", "en"):
                g._rt_chat_lang = lang

    @app.after_request
    def _chat_finished(resp):
        started = getattr(g, "_rt_chat_started", None)
        if started is None:
            return resp
        ms = (time.perf_counter() - started) * 1000
        lang = g._rt_chat_lang
        if lang is None and resp.is_json and resp.status_code == 200:
            data = resp.get_json(silent=True)
            if isinstance(data, dict) and data.get("lang") in ("zh", "en"):
                lang = data["lang"]
        line = "chat status=%s len=%s lang=%s ms=%.0f"
        args: list[Any] = [resp.status_code, g._rt_chat_length, lang or "-", ms]
        if log_messages and g._rt_chat_text is not None:
            line += " text=%r"
            args.append(g._rt_chat_text)
        chat_log.info(line, *args)
        return resp
