"""The JSON API: /api/chat, /api/search, /api/pathways, /api/entity/<id>, /healthz.

Every bad input is a 4xx with ``{"error": {"code", "message"}}``; the contract is in DESIGN.md
("HTTP API") and described for machines by web/openapi.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, jsonify, request

from web.app import ApiError, state

bp = Blueprint("api", __name__)

LANGS = ("zh", "en")
RTD = "https://w3id.org/rongtong/id/"
_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$")


# ------------------------------------------------------------------ helpers


def request_lang(value: str | None = None, *, strict: bool = True) -> str:
    """The language asked for: ``zh`` or ``en`` exactly, else Accept-Language, else zh.

    An absent or empty value (``?lang=``) means "not given". Anything else is a 400
    (``bad_lang``) when ``strict``, else ignored like an absent value.
    """
    if value is not None and value != "":
        if value in LANGS:
            return value
        if strict:
            raise ApiError(400, "bad_lang", "lang must be 'zh' or 'en'.")
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-TW", "en", "en-US", "en-GB"])
    return "en" if best and best.startswith("en") else "zh"


def iri_for(ident: str) -> str:
    """A local name (``prog-460305``) or a full IRI of ours → the IRI; anything else → 404."""
    ident = ident.strip()
    local = ident[len(RTD) :] if ident.startswith(RTD) else ident
    if not _LOCAL_ID.match(local):
        raise ApiError(404, "not_found", "No such resource.")
    return RTD + local


def local_id(iri: str) -> str:
    return iri[len(RTD) :] if isinstance(iri, str) and iri.startswith(RTD) else iri


def _query_value(name: str) -> str | None:
    """The one value of query parameter ``name`` (None when absent); given twice -> 400."""
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(400, "bad_parameter", f"Query parameter '{name}' is given more than once.")
    return values[0]


def _text_param(name: str, *, required: bool, max_len: int = 200) -> str | None:
    """A text parameter: at most ``max_len`` characters as sent, at least one that
    ``str.strip()`` keeps (the spec's ``maxLength`` and ``pattern: NOT_BLANK``); returned
    stripped."""
    value = _query_value(name)
    if value is not None and len(value) > max_len:
        raise ApiError(400, "too_long", f"'{name}' is longer than {max_len} characters.")
    if value is None or not value.strip():
        if required:
            raise ApiError(400, "missing_parameter", f"Query parameter '{name}' is required.")
        return None
    return value.strip()


def lang_param() -> str:
    """``?lang=`` (once at most): zh, en, or empty/absent for Accept-Language; else 400."""
    return request_lang(_query_value("lang"))


_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")


def _int_param(name: str, default: int, low: int, high: int) -> int:
    """An integer parameter in ``[low, high]``; absent -> ``default``; empty or not an
    integer (``?k=``, ``?k=1.5``, ``?k=abc``) -> 400."""
    raw = _query_value(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        raise ApiError(400, "bad_parameter", f"'{name}' must be an integer.")
    value = int(raw)
    if not low <= value <= high:
        raise ApiError(400, "bad_parameter", f"'{name}' must be between {low} and {high}.")
    return value


def entity_json(ident: str, lang: str = "zh") -> dict[str, Any]:
    iri = iri_for(ident)
    ent = state().graph.entity(iri, lang=lang)
    if not ent:
        raise ApiError(404, "not_found", "No such resource in the graph.")
    ent = dict(ent)
    ent.setdefault("iri", iri)
    ent.setdefault("id", local_id(iri))
    return ent


# ------------------------------------------------------------------ chat


def _chat_body() -> dict[str, Any]:
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "Send the request body as application/json.")
    raw = request.get_data(cache=False)
    if not raw:
        raise ApiError(400, "invalid_json", "The request body is empty; send a JSON object.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "The request body is not UTF-8.") from None
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer over 4,300 digits
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "The request body must be a JSON object.")
    return body


@bp.post("/api/chat")
def chat():
    body = _chat_body()
    settings = state().settings
    if "message" not in body:
        raise ApiError(400, "missing_message", "'message' is required.")
    message = body["message"]
    if not isinstance(message, str):
        raise ApiError(400, "invalid_message", "'message' must be a string.")
    if not message.strip():
        raise ApiError(400, "empty_message", "'message' must not be empty.")
    limit = int(settings["MAX_MESSAGE_LENGTH"])
    if len(message) > limit:
        raise ApiError(400, "message_too_long", f"'message' is longer than {limit} characters.")
    session_id = body.get("session_id")
    if session_id is not None and not isinstance(session_id, str):
        raise ApiError(400, "invalid_session_id", "'session_id' must be a string.")
    if session_id is not None and (len(session_id) > 200 or not session_id.strip()):
        session_id = None  # malformed: a new session, not an error
    lang = body.get("lang")
    if lang is not None and lang not in LANGS:  # exactly "zh" or "en"; null = detect
        raise ApiError(400, "bad_lang", "'lang' must be 'zh' or 'en'.")
    from advisor.errors import InputError

    try:
        reply = state().advisor.ask(message, session_id=session_id, lang=lang)
    except InputError as err:
        raise ApiError(400, err.code, err.message) from None
    return jsonify(reply.to_json())


# ------------------------------------------------------------------ search


@bp.get("/api/search")
def search():
    q = _text_param("q", required=True)
    lang = lang_param()
    k = _int_param("k", 10, 1, int(state().settings["SEARCH_MAX_K"]))
    from advisor.errors import InputError

    try:
        results = state().advisor.search(q, lang=lang, k=k)
    except InputError as err:
        raise ApiError(400, err.code, err.message) from None
    out = []
    for r in results or []:
        item = dict(r)
        item["id"] = local_id(item.get("iri", ""))
        out.append(item)
    return jsonify({"q": q, "lang": lang, "results": out})


# ------------------------------------------------------------------ pathways


def _resolve(text: str, which: str) -> list[str]:
    g = state().graph
    if text.startswith(RTD) or (_LOCAL_ID.match(text) and "-" in text):
        iri = text if text.startswith(RTD) else RTD + text
        if g.entity(iri):
            return [iri]
    found = [str(i) for i in (g.resolve(text) or [])]
    if not found:
        raise ApiError(404, "unknown_place", f"Nothing in the graph is called '{text}' ({which}).")
    return found


def pathways_json(frm: str, to: str, lang: str, max_steps: int) -> dict[str, Any]:
    from kg import find_paths

    g = state().graph
    starts = _resolve(frm, "from")[:4]
    goals = _resolve(to, "to")[:4]
    chosen = (starts[0], goals[0])
    paths: list = []
    for s in starts:
        for t in goals:
            if s == t:
                continue
            found = find_paths(g, s, t, max_steps=max_steps, lang=lang)
            if found:
                chosen, paths = (s, t), found
                break
        if paths:
            break
    for path in paths:
        for step in path.get("steps") or []:
            for src in step.get("source") or []:
                if isinstance(src, dict) and not src.get("title") and src.get("iri"):
                    src["title"] = g.label(src["iri"], lang)
    return {
        "from": {"iri": chosen[0], "id": local_id(chosen[0]), "label": g.label(chosen[0], lang)},
        "to": {"iri": chosen[1], "id": local_id(chosen[1]), "label": g.label(chosen[1], lang)},
        "lang": lang,
        "paths": paths,
    }


@bp.get("/api/pathways")
def pathways():
    frm = _text_param("from", required=True)
    to = _text_param("to", required=True)
    lang = lang_param()
    cap = int(state().settings["PATHWAYS_MAX_STEPS"])
    max_steps = _int_param("max_steps", cap, 1, max(cap, 6))
    return jsonify(pathways_json(frm, to, lang, max_steps))


# ------------------------------------------------------------------ entity, health


@bp.get("/api/entity/<path:ident>")
def entity(ident: str):
    return jsonify(entity_json(ident, lang_param()))


@bp.get("/healthz")
def healthz():
    from web.reload import with_reload

    g = state().graph
    version = dict(getattr(g, "version", {}) or {})
    return jsonify(
        with_reload({"status": "ok", "triples": version.get("triples"), "graph": version})
    )
