"""The SPARQL 1.1 Protocol endpoint at /sparql, read-only, with the counselor page.

- GET ``?query=``; POST form ``query=``; POST ``application/sparql-query``.
- Results by ``Accept`` (q-values) or ``?format=``: SPARQL JSON / XML / CSV / TSV for SELECT and
  ASK; Turtle / N-Triples / JSON-LD / RDF/XML for CONSTRUCT and DESCRIBE.
- Updates (``update=``, ``application/sparql-update``, or update text), ``SERVICE`` and ``LOAD``
  are refused with 403 and a message; a malformed query is a 400.
- The time limit and the row cap are settings; a truncated result says so in the
  ``X-Rongtong-Truncated`` header and, in SPARQL JSON, in a top-level ``truncated`` object and a
  ``head.link``; in XML in ``head/link``; in Turtle in a comment.
- ``Accept: text/html`` with no query: the counselor page (web/templates/sparql.html).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, g, request

from web.app import ApiError, safe_json_dumps, state

bp = Blueprint("sparql", __name__)

# ------------------------------------------------------------------ named queries


def _default_ontology_dir() -> Path:
    try:
        from kg import settings as kg_settings

        for name in ("ONTOLOGY_DIR", "DEFAULT_ONTOLOGY_DIR"):
            value = getattr(kg_settings, name, None)
            if value:
                return Path(value)
    except ImportError:  # pragma: no cover
        pass
    return Path(__file__).resolve().parent.parent / "ontology"


_EXAMPLE = re.compile(r"e\.g\.\s*(rtd:[A-Za-z0-9._+-]+|<[^<>\s]+>)")
RTD_NS = "https://w3id.org/rongtong/id/"


def _example_query(text: str, params: list[dict[str, str]]) -> str:
    """The query with each parameter bound (VALUES) to the example its header gives, if any."""
    from rdflib import URIRef

    bindings = {}
    for p in params:
        m = _EXAMPLE.search(p.get("meaning", ""))
        if not m:
            continue
        value = m.group(1)
        iri = RTD_NS + value[4:] if value.startswith("rtd:") else value[1:-1]
        bindings[p["name"]] = URIRef(iri)
    if not bindings:
        return text
    try:
        from kg.sparqltext import inject_values

        return inject_values(text, bindings)
    except (ImportError, ValueError):
        return text


def load_named_queries(ontology_dir: str | Path | None, graph: Any = None) -> list[dict[str, Any]]:
    """The named queries (ontology/queries/*.rq) as runnable examples for the SPARQL page.

    Parameters are bound to the example value their ``# param:`` header gives (``e.g. rtd:…``).
    """
    items: list[dict[str, Any]] = []
    lister = getattr(graph, "named_queries", None)
    if callable(lister):
        for q in lister():
            d = q.as_dict() if hasattr(q, "as_dict") else dict(q)
            items.append(d)
    else:
        folder = Path(ontology_dir) if ontology_dir else _default_ontology_dir()
        for path in sorted((folder / "queries").glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            meta: dict[str, Any] = {
                "name": path.stem,
                "description": "",
                "params": [],
                "text": text,
            }
            for line in text.splitlines():
                m = re.match(r"\s*#\s*(name|description)\s*:\s*(.*)$", line)
                if m:
                    meta[m.group(1)] = m.group(2).strip()
            items.append(meta)
    out = []
    for d in sorted(items, key=lambda d: d["name"]):
        params = [
            p if isinstance(p, dict) else {"name": str(p), "meaning": ""}
            for p in d.get("params") or []
        ]
        out.append(
            {
                "name": d["name"],
                "description": d.get("description", ""),
                "params": params,
                "query": _example_query(d.get("text", ""), params),
            }
        )
    return out


# ------------------------------------------------------------------ query text checks

_STRIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<(?:[^\s<>\"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    r"|#[^\n]*",
    re.S,
)
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?:\s+SILENT)?(?:\s+|(?=[<?$]))", re.I)
_WORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)\b")


def _skeleton(text: str) -> str:
    """The query without comments, strings and IRIs (so keywords inside them do not count)."""
    return _STRIP.sub(lambda m: " " if m.group(0).startswith("#") else ' "" ', text)


def check_read_only(text: str) -> None:
    skel = _skeleton(text)
    first = None
    for m in _WORD.finditer(skel):
        word = m.group(1).upper()
        if word in ("PREFIX", "BASE"):
            continue
        if word in _QUERY_WORDS or word in _UPDATE_WORDS:
            first = word
            break
    if first in _UPDATE_WORDS:
        raise ApiError(
            403,
            "update_refused",
            "This endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP…) "
            "are refused.",
        )
    if _SERVICE.search(skel):
        raise ApiError(
            403,
            "service_refused",
            "Federated queries (SERVICE) are refused: this endpoint queries only its own graph.",
        )


# ------------------------------------------------------------------ formats

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
}
FORMAT_ALIASES = {
    "json": ("json", "application/sparql-results+json", "json-ld", "application/ld+json"),
    "xml": ("xml", "application/sparql-results+xml", "xml", "application/rdf+xml"),
    "csv": ("csv", "text/csv", None, None),
    "tsv": ("tsv", "text/tab-separated-values", None, None),
    "turtle": (None, None, "turtle", "text/turtle"),
    "ttl": (None, None, "turtle", "text/turtle"),
    "nt": (None, None, "nt", "application/n-triples"),
    "ntriples": (None, None, "nt", "application/n-triples"),
    "n-triples": (None, None, "nt", "application/n-triples"),
    "jsonld": (None, None, "json-ld", "application/ld+json"),
    "json-ld": (None, None, "json-ld", "application/ld+json"),
}
DEFAULT_RESULT = ("json", "application/sparql-results+json")
DEFAULT_GRAPH = ("turtle", "text/turtle")
EXT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "nt": "nt"}


def _negotiate(kind: str) -> tuple[str, str]:
    """(format, mimetype) for a result of ``kind`` ("select"/"ask" or "graph"); 406 if none."""
    graph = kind == "graph"
    fmt = request.values.get("format")
    if fmt:
        alias = FORMAT_ALIASES.get(fmt.strip().lower())
        pick = alias and (alias[2:] if graph else alias[:2])
        if not pick or not pick[0]:
            raise ApiError(406, "not_acceptable", f"format '{fmt}' is not offered for this query.")
        return pick[0], pick[1]
    table = GRAPH_TYPES if graph else RESULT_TYPES
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept"):
        return DEFAULT_GRAPH if graph else DEFAULT_RESULT
    offered = list(table)
    best = accept.best_match(offered)
    if best is None:
        listed = {value for value, q in accept if q > 0}
        if listed & {"text/html", "application/xhtml+xml"}:  # a browser following a link
            return DEFAULT_GRAPH if graph else DEFAULT_RESULT
        kinds = "graphs" if graph else "query results"
        raise ApiError(
            406,
            "not_acceptable",
            f"None of the requested types is offered for {kinds}: " + ", ".join(offered),
        )
    return table[best], best


# ------------------------------------------------------------------ terms


def _term(node: Any) -> dict[str, str] | None:
    """An rdflib or pyoxigraph term → a SPARQL JSON term."""
    if node is None:
        return None
    cls = type(node).__name__
    if cls in ("URIRef", "NamedNode"):
        return {"type": "uri", "value": str(getattr(node, "value", node))}
    if cls in ("BNode", "BlankNode"):
        return {"type": "bnode", "value": str(getattr(node, "value", node))}
    if cls == "Literal":
        lang = getattr(node, "language", None)
        value = getattr(node, "value", None)
        if not isinstance(value, str):  # rdflib's .value is the Python value; str() is the lexical
            value = str(node)
        out = {"type": "literal", "value": value}
        if lang:
            out["xml:lang"] = lang
        else:
            dt = getattr(node, "datatype", None)
            dt = str(getattr(dt, "value", dt)) if dt is not None else None
            if dt and dt != "http://www.w3.org/2001/XMLSchema#string":
                out["datatype"] = dt
        return out
    if cls == "Variable":
        return None
    return {"type": "literal", "value": str(node)}


def _to_rdflib(node: Any):
    from rdflib import BNode, Literal, URIRef

    t = _term(node)
    if t["type"] == "uri":
        return URIRef(t["value"])
    if t["type"] == "bnode":
        return BNode(t["value"])
    if "xml:lang" in t:
        return Literal(t["value"], lang=t["xml:lang"])
    if "datatype" in t:
        return Literal(t["value"], datatype=URIRef(t["datatype"]))
    return Literal(t["value"])


# ------------------------------------------------------------------ the result


class Result:
    """A kg ``SparqlResult`` (kind "select" | "ask" | "graph") in the shape the writers use."""

    def __init__(self, res: Any):
        kind = str(getattr(res, "kind", "") or "").lower()
        self.kind = {"construct": "graph", "describe": "graph", "boolean": "ask"}.get(kind, kind)
        self.truncated = bool(getattr(res, "truncated", False))
        self.row_cap = getattr(res, "row_cap", None)
        self.vars = [str(v).lstrip("?$") for v in (getattr(res, "variables", None) or [])]
        self.boolean = getattr(res, "boolean", None)
        self.triples = list(getattr(res, "triples", None) or []) if self.kind == "graph" else []
        self.rows: list[dict[str, Any]] = []
        if self.kind == "select":
            self.rows = [self._row(r) for r in (getattr(res, "rows", None) or [])]
        elif self.kind not in ("ask", "graph"):
            raise TypeError(f"unknown SPARQL result kind {kind!r}")

    def _row(self, r: Any) -> dict[str, Any]:
        if isinstance(r, dict):
            return {str(k).lstrip("?$"): v for k, v in r.items() if v is not None}
        return {v: r[i] for i, v in enumerate(self.vars) if i < len(r) and r[i] is not None}


def _cap_note(res: Result | None = None) -> dict[str, Any]:
    cap = getattr(res, "row_cap", None) or state().settings["SPARQL_ROW_CAP"]
    return {"row_cap": int(cap)}


def serialise(res: Result, fmt: str) -> str:
    if res.kind == "graph":
        return _serialise_graph(res, fmt)
    if fmt == "json":
        return _results_json(res)
    if fmt == "xml":
        return _results_xml(res)
    return _results_csv(res, "\t" if fmt == "tsv" else ",")


def _results_json(res: Result) -> str:
    if res.kind == "ask":
        return safe_json_dumps({"head": {}, "boolean": bool(res.boolean)})
    head: dict[str, Any] = {"vars": res.vars}
    body: dict[str, Any] = {"head": head}
    bindings = []
    for row in res.rows:
        b = {}
        for v in res.vars:
            t = _term(row.get(v))
            if t:
                b[v] = t
        bindings.append(b)
    body["results"] = {"bindings": bindings}
    if res.truncated:
        head["link"] = ["/sparql#truncated"]
        body["truncated"] = {
            "truncated": True,
            **_cap_note(res),
            "message": "More rows matched than the row cap; add LIMIT/OFFSET or narrow the query.",
        }
    return safe_json_dumps(body)


def _results_xml(res: Result) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.append("<head>")
    for v in res.vars if res.kind == "select" else []:
        out.append(f"<variable name={quoteattr(v)}/>")
    if res.truncated:
        out.append('<link href="/sparql#truncated"/>')
    out.append("</head>")
    if res.kind == "ask":
        out.append(f"<boolean>{'true' if res.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in res.rows:
            out.append("<result>")
            for v in res.vars:
                t = _term(row.get(v))
                if not t:
                    continue
                val = escape(t["value"])
                if t["type"] == "uri":
                    inner = f"<uri>{val}</uri>"
                elif t["type"] == "bnode":
                    inner = f"<bnode>{val}</bnode>"
                else:
                    attr = ""
                    if "xml:lang" in t:
                        attr = f" xml:lang={quoteattr(t['xml:lang'])}"
                    elif "datatype" in t:
                        attr = f" datatype={quoteattr(t['datatype'])}"
                    inner = f"<literal{attr}>{val}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _tsv_term(t: dict[str, str] | None) -> str:
    if not t:
        return ""
    if t["type"] == "uri":
        return f"<{t['value']}>"
    if t["type"] == "bnode":
        return f"_:{t['value']}"
    val = (
        t["value"]
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if "xml:lang" in t:
        return f'"{val}"@{t["xml:lang"]}'
    if "datatype" in t:
        return f'"{val}"^^<{t["datatype"]}>'
    return f'"{val}"'


def _results_csv(res: Result, sep: str) -> str:
    buf = io.StringIO()
    if sep == "\t":
        if res.kind == "ask":
            return "?_askResult\n" + ("true" if res.boolean else "false") + "\n"
        buf.write("\t".join("?" + v for v in res.vars) + "\n")
        for row in res.rows:
            buf.write("\t".join(_tsv_term(_term(row.get(v))) for v in res.vars) + "\n")
        return buf.getvalue()
    writer = csv.writer(buf, lineterminator="\r\n")
    if res.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if res.boolean else "false"])
        return buf.getvalue()
    writer.writerow(res.vars)
    for row in res.rows:
        cells = []
        for v in res.vars:
            t = _term(row.get(v))
            cells.append(
                "" if not t else ("_:" + t["value"] if t["type"] == "bnode" else t["value"])
            )
        writer.writerow(cells)
    return buf.getvalue()


def _serialise_graph(res: Result, fmt: str) -> str:
    from rdflib import Graph

    graph = Graph()
    graph.bind("rt", "https://w3id.org/rongtong/ns#")
    graph.bind("rtd", "https://w3id.org/rongtong/id/")
    graph.bind("skos", "http://www.w3.org/2004/02/skos/core#")
    graph.bind("dcterms", "http://purl.org/dc/terms/")
    graph.bind("schema", "https://schema.org/")
    for t in res.triples:
        s, p, o = (
            (t[0], t[1], t[2]) if not hasattr(t, "subject") else (t.subject, t.predicate, t.object)
        )
        graph.add((_to_rdflib(s), _to_rdflib(p), _to_rdflib(o)))
    text = graph.serialize(format=fmt)
    if res.truncated and fmt in ("turtle", "nt"):
        cap = _cap_note(res)["row_cap"]
        text = f"# truncated: more triples matched than the cap of {cap}\n" + text
    return text


# ------------------------------------------------------------------ the endpoint


def _query_text() -> str | None:
    """The query of a protocol request, or None when there is none; refuses updates."""
    if request.method == "GET":
        if request.args.get("update"):
            raise ApiError(403, "update_refused", "This endpoint is read-only: updates refused.")
        queries = request.args.getlist("query")
    else:
        mimetype = request.mimetype or ""
        if mimetype == "application/sparql-update":
            raise ApiError(403, "update_refused", "This endpoint is read-only: updates refused.")
        if mimetype == "application/sparql-query":
            raw = request.get_data(cache=True)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(400, "bad_encoding", "The query is not UTF-8.") from None
        if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if request.form.get("update"):
                raise ApiError(
                    403, "update_refused", "This endpoint is read-only: updates refused."
                )
            queries = request.form.getlist("query") or request.args.getlist("query")
        elif not mimetype and not request.get_data(cache=True):
            queries = request.args.getlist("query")
        else:
            raise ApiError(
                415,
                "unsupported_media_type",
                "POST a query as application/sparql-query or form-encoded query=.",
            )
    if len(queries) > 1:
        raise ApiError(400, "bad_request", "Send exactly one 'query' parameter.")
    return queries[0] if queries else None


def _wants_page() -> bool:
    """True when the client names text/html explicitly and prefers it (a browser)."""
    if request.values.get("format"):
        return False
    accept = request.accept_mimetypes
    html_q = max((q for value, q in accept if value == "text/html"), default=0)
    if not html_q:
        return False
    others = max((q for value, q in accept if value in RESULT_TYPES), default=0)
    return html_q >= others


def run_query(text: str) -> Result:
    settings = state().settings
    if not text.strip():
        raise ApiError(400, "missing_query", "The query is empty.")
    if len(text) > int(settings["SPARQL_MAX_QUERY_LENGTH"]):
        raise ApiError(400, "query_too_long", "The query is too long.")
    check_read_only(text)
    timeout = float(settings["SPARQL_TIMEOUT"])
    try:
        raw = state().graph.sparql(text, timeout=timeout, row_cap=int(settings["SPARQL_ROW_CAP"]))
    except ApiError:
        raise
    except Exception as err:  # the kg's errors: syntax, refused, timeout
        raise _kg_error(err, timeout) from None
    return Result(raw)


def _kg_error(err: Exception, timeout: float) -> ApiError:
    """The kg's SPARQL errors as client errors (4xx); anything else is re-raised (500)."""
    from kg.errors import SparqlError, SparqlForbidden, SparqlSyntaxError, SparqlTimeout

    text = str(err).strip() or type(err).__name__
    if isinstance(err, SparqlTimeout):
        return ApiError(
            422,
            "query_timeout",
            f"The query ran longer than {timeout:g} s and was stopped. Add a LIMIT, bind a "
            "start, or narrow the pattern.",
        )
    if isinstance(err, SparqlForbidden):
        code = "update_refused" if "update" in text.lower() else "forbidden_query"
        if "service" in text.lower():
            code = "service_refused"
        return ApiError(403, code, f"Refused: {text}.")
    if isinstance(err, SparqlSyntaxError | SyntaxError):
        return ApiError(400, "malformed_query", f"The query is not valid SPARQL 1.1: {text[:400]}")
    from kg.errors import StoreError

    if isinstance(err, StoreError) or "urlopen error" in text:
        # the remote store did not answer: the fault handler turns this into a 503
        raise StoreError(text) from err
    if isinstance(err, SparqlError):
        return ApiError(400, "query_failed", f"The query could not be evaluated: {text[:400]}")
    raise err


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    g.vary_accept = True
    text = _query_text()
    if request.method == "GET" and _wants_page():
        from web.pages import render_sparql_page

        return render_sparql_page(text)
    if text is None:
        raise ApiError(
            400,
            "missing_query",
            "Send a SPARQL query: GET ?query=…, POST form query=…, or POST "
            "application/sparql-query.",
        )
    res = run_query(text)
    fmt, mimetype = _negotiate(res.kind)
    body = serialise(res, fmt)
    resp = Response(body, mimetype=mimetype)
    if mimetype.startswith("text/") or mimetype.endswith(("json", "xml", "triples")):
        resp.charset = "utf-8"
    resp.headers["X-Rongtong-Truncated"] = "true" if res.truncated else "false"
    if res.truncated:
        resp.headers["X-Rongtong-Row-Cap"] = str(state().settings["SPARQL_ROW_CAP"])
    if request.values.get("download"):
        ext = EXT.get(fmt, "txt") if fmt != "json-ld" else "jsonld"
        resp.headers["Content-Disposition"] = f'attachment; filename="rongtong-results.{ext}"'
    return resp
