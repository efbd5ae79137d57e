"""The HTML pages: chat (/), explorer (/explore), SPARQL page, entity and source pages.

Pages are Jinja templates with external scripts only (the CSP forbids inline scripts). The page
language comes from ``?lang=``, else the ``rt_lang`` cookie the language switch sets, else
Accept-Language, else Chinese.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, make_response, redirect, render_template, request, url_for

from web.api import RTD, entity_json, iri_for, local_id
from web.app import ApiError, state
from web.i18n import LANGS, STRINGS, translate

bp = Blueprint("pages", __name__)
DCT_SOURCE = "http://purl.org/dc/terms/source"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
# statements the page already shows in its heading (labels, aliases, definition, types)
SHOWN_ABOVE = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    _SKOS + "prefLabel",
    _SKOS + "altLabel",
    _SKOS + "definition",
}


def page_lang() -> str:
    value = (request.args.get("lang") or "").strip().lower()
    if value in LANGS:
        return value
    cookie = (request.cookies.get("rt_lang") or "").strip().lower()
    if cookie in LANGS:
        return cookie
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-TW", "en", "en-US", "en-GB"])
    return "en" if best and best.startswith("en") else "zh"


def _version() -> dict[str, Any]:
    return dict(getattr(state().graph, "version", {}) or {})


def render(template: str, status: int = 200, **context):
    lang = context.pop("lang", None) or page_lang()
    html = render_template(
        template,
        lang=lang,
        t=lambda key: translate(key, lang),
        strings=STRINGS,
        version=_version(),
        **context,
    )
    resp = make_response(html, status)
    resp.headers["Content-Language"] = lang
    resp.vary.add("Cookie")
    resp.vary.add("Accept-Language")
    return resp


def render_error_page(status: int, message: str):
    return render("error.html", status=status, message=message)


DEFAULT_QUERY = """PREFIX rt: <https://w3id.org/rongtong/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# Education stages with their Chinese and English names
SELECT ?stage ?zh ?en WHERE {
  ?stage a rt:EducationStage ;
         skos:prefLabel ?zh , ?en .
  FILTER(lang(?zh) = "zh" && lang(?en) = "en")
}
ORDER BY ?stage
LIMIT 100
"""


def render_sparql_page(query: str | None = None):
    return render(
        "sparql.html",
        page="sparql",
        queries=state().named_queries,
        settings=state().settings,
        initial_query=query if query is not None else DEFAULT_QUERY,
        autorun=query is not None,
    )


@bp.get("/")
def chat_page():
    return render("chat.html", page="chat")


@bp.get("/explore")
def explore_page():
    return render(
        "explore.html",
        page="explore",
        start=(request.args.get("from") or "")[:200],
        goal=(request.args.get("to") or "")[:200],
    )


# ------------------------------------------------------------------ entity and source pages


def _wants_json(ident: str) -> tuple[bool, str]:
    if ident.endswith(".json"):
        return True, ident[: -len(".json")]
    if (request.args.get("format") or "").lower() == "json":
        return True, ident
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", "application/json", "application/ld+json"])
    if request.headers.get("Accept") and best in ("application/json", "application/ld+json"):
        return True, ident
    return False, ident


def href_for(iri: str) -> str | None:
    """The page of one of our IRIs (/entity/… or /source/…), else None."""
    if not isinstance(iri, str) or not iri.startswith(RTD):
        return None
    ident = local_id(iri)
    if ident.startswith("src-"):
        return url_for("pages.source_page", ident=ident)
    return url_for("pages.entity_page", ident=ident)


def _view(ent: dict[str, Any], lang: str) -> dict[str, Any]:
    labels = ent.get("labels") or {}
    other = "en" if lang == "zh" else "zh"
    definition = ent.get("definition") or {}
    if isinstance(definition, str):
        definition = {lang: definition}
    props = []
    for p in ent.get("properties") or []:
        if p.get("p") in SHOWN_ABOVE:
            continue
        o = p.get("o")
        o_label = p.get("o_label") or o
        if isinstance(o_label, dict):
            o_label = o_label.get(lang) or o_label.get(other) or o
        p_label = p.get("p_label") or p.get("p")
        if isinstance(p_label, dict):
            p_label = p_label.get(lang) or p_label.get(other) or p.get("p")
        href = href_for(o) if p.get("is_iri") else None
        external = o if p.get("is_iri") and not href and str(o).startswith("http") else None
        props.append(
            {
                "p": p.get("p"),
                "p_label": p_label,
                "o": o,
                "o_label": o_label,
                "href": href,
                "external": external,
            }
        )
    sources = []
    for s in ent.get("sources") or []:
        if isinstance(s, str):
            s = {"iri": s}
        sources.append(
            {**s, "href": href_for(s.get("iri", "")), "title": s.get("title") or s.get("iri")}
        )
    types = [str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in ent.get("types") or []]
    type_labels = list(ent.get("type_labels") or types)
    incoming = []
    for r in ent.get("incoming") or []:
        incoming.append(
            {
                "href": href_for(r.get("s")),
                "label": r.get("s_label") or r.get("s"),
                "p": r.get("p"),
                "p_label": r.get("p_label") or r.get("p"),
            }
        )
    return {
        "iri": ent.get("iri"),
        "id": ent.get("id"),
        "title": labels.get(lang) or labels.get(other) or ent.get("id"),
        "subtitle": labels.get(other) if labels.get(lang) else None,
        "alt_labels": [
            a if isinstance(a, str) else a.get("value", str(a)) for a in ent.get("alt_labels") or []
        ],
        "definition": definition.get(lang) or definition.get(other),
        "types": types,
        "type_labels": type_labels,
        "incoming": incoming,
        "incoming_total": ent.get("incoming_total", len(incoming)),
        "properties": props,
        "sources": sources,
        "url": ent.get("url"),
    }


def _entity_response(ident: str, kind: str):
    as_json, ident = _wants_json(ident)
    lang = page_lang()
    try:
        ent = entity_json(ident, lang)
    except ApiError:
        if as_json:
            raise
        return render_error_page(404, translate("not_found_text", lang))
    if as_json:
        return jsonify(ent)
    view = _view(ent, lang)
    cited_by = [i for i in view["incoming"] if i["p"] == DCT_SOURCE]
    if kind == "source":
        for p in view["properties"]:
            if (
                p["p"]
                and p["p"].endswith(("/url", "#url", "homepage", "seeAlso"))
                and str(p["o"]).startswith("http")
            ):
                view["url"] = view.get("url") or p["o"]
    explorable = any(t in ("EducationStage", "Programme") for t in view["types"])
    return render(
        "entity.html",
        lang=lang,
        page=kind,
        kind=kind,
        ent=view,
        cited_by=cited_by,
        explorable=explorable,
        json_href=url_for(
            "pages.source_page" if kind == "source" else "pages.entity_page",
            ident=ident + ".json",
        ),
    )


@bp.get("/entity/<path:ident>")
def entity_page(ident: str):
    return _entity_response(ident, "entity")


@bp.get("/source/<path:ident>")
def source_page(ident: str):
    return _entity_response(ident, "source")


@bp.get("/id/<path:ident>")
def id_redirect(ident: str):
    """Our IRIs are https://w3id.org/rongtong/id/<id>; locally they land on the entity page."""
    iri_for(ident)
    target = "pages.source_page" if ident.startswith("src-") else "pages.entity_page"
    return redirect(url_for(target, ident=ident), code=303)
