"""An OpenAPI 3.1 description of the JSON API, served at /openapi.json.

tests/test_web_openapi.py keeps it true: every documented path and method exists, and the
responses to sample requests validate against the schemas given here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


# "At least one character that is not white space", white space being exactly what Python's
# str.strip() removes (str.isspace). Spelled out rather than \S so that every regex dialect
# (ECMA-262 in JSON Schema validators, Python's re) reads it the same way as the API does.
NOT_BLANK = "[^\\t-\\r\\x1c- \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"

UNAVAILABLE = {
    **_error("The knowledge graph's store is unavailable (a remote SPARQL endpoint is down); "
             "try again after Retry-After seconds"),
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
}  # fmt: skip
TOO_MANY = {
    **_error("Too many requests from this address (setting rate_limit_chat)"),
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
}


NODE = {
    "type": "object",
    "required": ["iri", "label"],
    "properties": {
        "iri": {"type": "string"},
        "label": {"type": "string"},
        "id": {"type": "string"},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    },
    "ChatRequest": {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {
                "type": "string",
                "minLength": 1,
                "maxLength": 2000,
                "pattern": NOT_BLANK,
                "description": "The question, in Chinese or English: not blank; maxLength is "
                "the max_message_length setting.",
            },
            "session_id": {
                "type": ["string", "null"],
                "description": "From the previous reply; unknown, expired, blank or too "
                "long (over 200 characters) ids start a new conversation.",
            },
            "lang": {
                "type": ["string", "null"],
                "enum": ["zh", "en", None],
                "description": "Answer language, exactly 'zh' or 'en'; detected from the "
                "message when absent or null.",
            },
        },
    },
    "Node": NODE,
    "Citation": {
        "type": "object",
        "required": ["title", "source"],
        "properties": {
            "title": {"type": "string"},
            "source": {"type": "string"},
            "url": {"type": ["string", "null"]},
            "iri": {"type": ["string", "null"]},
        },
    },
    "Step": {
        "type": "object",
        "required": ["from", "to"],
        "properties": {
            "from": NODE,
            "to": NODE,
            "via": {"type": ["object", "null"]},
            "mechanism": {"type": ["object", "null"]},
            "conditions": {"type": "array"},
            "years": {"type": ["number", "null"]},
            "years_range": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[min, max] when the sources give only a range (years is null)",
            },
            "wait_years": {
                "type": "number",
                "description": "years that must pass after the previous stage before this step "
                "may start (e.g. two years after the 专科 diploma); counted in the path's totals",
            },
            "region": {"type": ["object", "null"]},
            "source": {"type": "array"},
            "programmes": {
                "type": "object",
                "description": "only on paths from a programme: the same-field programmes at "
                "this step's destination, derived from aligned catalogue class codes (not an "
                "official list); at most 12 items, total counts all",
                "required": ["basis", "total", "items"],
                "properties": {
                    "basis": {"type": "string", "enum": ["derived"]},
                    "total": {"type": "integer", "minimum": 1},
                    "items": {"type": "array", "items": NODE},
                },
            },
        },
    },
    "Path": {
        "type": "object",
        "required": ["steps"],
        "properties": {
            "steps": {"type": "array", "items": _ref("Step")},
            "total_years": {
                "type": ["number", "null"],
                "description": "sum of the steps' years; null when any step's years are unknown",
            },
            "total_years_range": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[min, max] summed over the steps when every step's years are "
                "known but some only as a range (total_years is then null)",
            },
            "years_unknown_steps": {
                "type": "integer",
                "minimum": 0,
                "description": "how many steps have no known years (absent when none)",
            },
            "known_years": {
                "type": "number",
                "description": "sum of the known steps' years: a floor, not a total "
                "(present only when total_years is null)",
            },
        },
    },
    "ChatReply": {
        "type": "object",
        "required": [
            "session_id",
            "lang",
            "intent",
            "answer",
            "citations",
            "entities",
            "pathways",
            "suggestions",
        ],
        "properties": {
            "session_id": {"type": "string"},
            "lang": {"type": "string", "enum": ["zh", "en"]},
            "intent": {"type": "string"},
            "answer": {"type": "string"},
            "citations": {"type": "array", "items": _ref("Citation")},
            "entities": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["iri", "label"],
                    "properties": {
                        "iri": {"type": "string"},
                        "label": {"type": "string"},
                        "type": {"type": ["string", "null"]},
                    },
                },
            },
            "pathways": {"type": "array", "items": _ref("Path")},
            "suggestions": {"type": "array", "items": {"type": "string"}},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "q": {"type": "string"},
            "lang": {"type": "string"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["iri", "label", "score"],
                    "properties": {
                        "iri": {"type": "string"},
                        "id": {"type": "string"},
                        "label": {"type": "string"},
                        "type": {"type": ["string", "null"]},
                        "score": {"type": "number"},
                    },
                },
            },
        },
    },
    "Pathways": {
        "type": "object",
        "required": ["from", "to", "paths"],
        "properties": {
            "from": NODE,
            "to": NODE,
            "lang": {"type": "string"},
            "paths": {"type": "array", "items": _ref("Path")},
        },
    },
    "Entity": {
        "type": "object",
        "required": ["iri", "id", "labels", "properties", "sources"],
        "properties": {
            "iri": {"type": "string"},
            "id": {"type": "string"},
            "types": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object"},
            "alt_labels": {"type": "array"},
            "definition": {"type": "object"},
            "properties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["p", "o"],
                    "properties": {
                        "p": {"type": "string"},
                        "p_label": {"type": "string"},
                        "o": {"type": "string"},
                        "o_label": {"type": "string"},
                        "is_iri": {"type": "boolean"},
                    },
                },
            },
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["iri"],
                    "properties": {
                        "iri": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": ["string", "null"]},
                    },
                },
            },
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "triples", "graph"],
        "properties": {
            "status": {
                "type": "string",
                "enum": ["ok", "degraded"],
                "description": "degraded: the last reload of the ontology failed; the previous "
                "graph is still served (see reload.error)",
            },
            "triples": {"type": "integer"},
            "graph": {
                "type": "object",
                "required": ["hash"],
                "properties": {
                    "hash": {"type": "string"},
                    "newest_source": {"type": ["string", "null"]},
                    "triples": {"type": "integer"},
                },
            },
            "reload": {
                "type": "object",
                "description": "The last reload of the ontology: ok, error, at, reloads, …",
            },
        },
    },
}

LANG_PARAM = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["zh", "en", ""]},
    "description": "Language of labels, exactly 'zh' or 'en'; when absent or empty, from "
    "Accept-Language, else zh.",
}


def _text(name: str, description: str | None = None) -> dict[str, Any]:
    """A required text parameter: 1 to 200 characters as sent, not all white space."""
    param: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": True,
        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
    }
    if description:
        param["description"] = description
    return param


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Rongtong (融通) API",
        "version": "1.0.0",
        "description": "Bilingual advice on China's vocational and general education pathways, "
        'from a knowledge graph. Every error is {"error": {"code", "message"}} with a 4xx '
        "status for bad input. SPARQL 1.1 Protocol (read-only) at /sparql.",
    },
    "paths": {
        "/api/chat": {
            "post": {
                "summary": "Ask the advisor one turn of a conversation",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ChatRequest")}},
                },
                "responses": {
                    "200": _json(_ref("ChatReply"), "The answer, with sources"),
                    "400": _error(
                        "Invalid JSON, missing, blank, non-string or too long message, "
                        "a session_id that is not a string, or a lang other than zh/en"
                    ),
                    "413": _error("The body is larger than the max_request_bytes setting"),
                    "415": _error("The body is not application/json"),
                    "429": TOO_MANY,
                    "503": UNAVAILABLE,
                },
            }
        },
        "/api/search": {
            "get": {
                "summary": "Search programmes, stages, occupations, credentials and facts",
                "parameters": [
                    _text("q", "What to look for, in Chinese or English"),
                    LANG_PARAM,
                    {
                        "name": "k",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                    },
                ],
                "responses": {
                    "200": _json(_ref("SearchResults"), "Best matches first"),
                    "400": _error(
                        "Missing, blank or too long q; k not an integer in range; a lang other "
                        "than zh/en; a parameter given twice"
                    ),
                    "503": UNAVAILABLE,
                },
            }
        },
        "/api/pathways": {
            "get": {
                "summary": "Every route between two stages or programmes",
                "parameters": [
                    _text("from", "A label, alias, local id or IRI (中职, stage-general-senior…)"),
                    _text("to", "A label, alias, local id or IRI (本科, stage-bachelor…)"),
                    LANG_PARAM,
                    {
                        "name": "max_steps",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 6},
                    },
                ],
                "responses": {
                    "200": _json(_ref("Pathways"), "The routes (possibly none)"),
                    "400": _error(
                        "Missing, blank or too long from or to; max_steps not an integer in "
                        "range; a lang other than zh/en; a parameter given twice"
                    ),
                    "404": _error("Nothing in the graph is called that"),
                    "503": UNAVAILABLE,
                },
            }
        },
        "/api/entity/{id}": {
            "get": {
                "summary": "One resource with its labels, links and sources",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "Local name (prog-460305) or full IRI",
                    },
                    LANG_PARAM,
                ],
                "responses": {
                    "200": _json(_ref("Entity"), "The resource"),
                    "400": _error("A lang other than zh/en, or lang given twice"),
                    "404": _error("No such resource"),
                    "503": UNAVAILABLE,
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness and graph version",
                "responses": {"200": _json(_ref("Health"), "Up, with the graph's version")},
            }
        },
    },
    "components": {"schemas": SCHEMAS},
}


def spec(
    max_message_length: int | None = None,
    search_max_k: int | None = None,
    pathways_max_steps: int | None = None,
) -> dict[str, Any]:
    """The description, with the bounds of this deployment (its settings)."""
    import copy

    out = copy.deepcopy(SPEC)
    if max_message_length:
        out["components"]["schemas"]["ChatRequest"]["properties"]["message"]["maxLength"] = int(
            max_message_length
        )
    if search_max_k:
        _param(out, "/api/search", "k")["schema"]["maximum"] = int(search_max_k)
    if pathways_max_steps:  # web/api.py allows up to max(setting, 6)
        maximum = max(int(pathways_max_steps), 6)
        _param(out, "/api/pathways", "max_steps")["schema"]["maximum"] = maximum
    return out


def _param(doc: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)


@bp.get("/openapi.json")
def openapi_json():
    from web.app import state

    settings = state().settings
    return jsonify(
        spec(
            settings.get("MAX_MESSAGE_LENGTH"),
            settings.get("SEARCH_MAX_K"),
            settings.get("PATHWAYS_MAX_STEPS"),
        )
    )
