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
                "description": "The question, in Chinese or English (maxLength is the "
                "max_message_length setting).",
            },
            "session_id": {
                "type": ["string", "null"],
                "description": "From the previous reply; unknown or expired ids "
                "start a new conversation.",
            },
            "lang": {
                "type": ["string", "null"],
                "enum": ["zh", "en", None],
                "description": "Answer language; detected from the message when absent.",
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
            "region": {"type": ["object", "null"]},
            "source": {"type": "array"},
        },
    },
    "Path": {
        "type": "object",
        "required": ["steps"],
        "properties": {
            "steps": {"type": "array", "items": _ref("Step")},
            "total_years": {"type": ["number", "null"]},
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
            "status": {"type": "string", "enum": ["ok"]},
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
        },
    },
}

LANG_PARAM = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["zh", "en"]},
    "description": "Language of labels; Accept-Language, then zh, when absent.",
}

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
                        "Invalid JSON, missing, empty, non-string or too long message, "
                        "or an unknown lang"
                    ),
                    "413": _error("The body is too large"),
                    "415": _error("The body is not application/json"),
                    "429": _error("Too many requests"),
                },
            }
        },
        "/api/search": {
            "get": {
                "summary": "Search programmes, stages, occupations, credentials and facts",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
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
                    "400": _error("Missing q, bad k or lang"),
                },
            }
        },
        "/api/pathways": {
            "get": {
                "summary": "Every route between two stages or programmes",
                "parameters": [
                    {
                        "name": "from",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                        "description": "A label, alias, local id or IRI (中职, stage-general-senior…)",
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
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
                    "400": _error("Missing from or to"),
                    "404": _error("Nothing in the graph is called that"),
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
                    "404": _error("No such resource"),
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


def spec(max_message_length: int | None = None) -> dict[str, Any]:
    """The description, with the message bound of this deployment."""
    import copy

    out = copy.deepcopy(SPEC)
    if max_message_length:
        out["components"]["schemas"]["ChatRequest"]["properties"]["message"]["maxLength"] = int(
            max_message_length
        )
    return out


@bp.get("/openapi.json")
def openapi_json():
    from web.app import state

    return jsonify(spec(state().settings["MAX_MESSAGE_LENGTH"]))
