"""The HTML pages: chat, explorer, SPARQL page, entity and source pages with JSON twins.

Checked without a browser: the language is declared, every script is an external file of ours
(the CSP forbids inline scripts), nothing loads from another host, user text is escaped, every
kind of resource has a page and a JSON twin, footers show the graph version.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from web_support import make_app, shared_graph

RTD = "https://w3id.org/rongtong/id/"
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
HTML = {"Accept": "text/html"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang = None
        self.scripts: list[dict] = []
        self.inline_scripts: list[str] = []
        self.loads: list[str] = []  # URLs the page loads (scripts, styles, images)
        self.links: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False
        self._script_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if any(k.startswith("on") for k in a):
            self.handlers.append(tag)
        if "style" in a:
            self.handlers.append(f"{tag}[style]")
        if tag == "script":
            self._in_script = True
            self._script_attrs = a
            self.scripts.append(a)
            if a.get("src"):
                self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon"):
            self.loads.append(a["href"])
        if tag in ("img", "iframe", "audio", "video", "source") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and not self._script_attrs.get("src"):
            kind = self._script_attrs.get("type", "")
            if kind != "application/json" and data.strip():
                self.inline_scripts.append(data)


def parse(resp) -> Page:
    page = Page()
    page.feed(resp.get_data(as_text=True))
    return page


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


PAGES = [
    "/",
    "/explore",
    "/sparql",
    "/entity/stage-secondary-vocational",
    "/source/src-moe-catalogue-2021",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_declare_language_and_load_only_our_files(client, path):
    resp = client.get(path, headers=HTML)
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == "text/html"
    page = parse(resp)
    assert page.html_lang in ("zh-CN", "en")
    assert not page.inline_scripts, "the CSP forbids inline scripts"
    assert not page.handlers, "no inline event handlers or style attributes"
    for url in page.loads:
        parsed = urlparse(url)
        assert not parsed.scheme and not parsed.netloc, f"{url} loads from another host"
        assert url.startswith("/static/")
        assert (STATIC / url[len("/static/") :].split("?")[0]).is_file(), url
        assert client.get(url).status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_language_from_parameter_cookie_and_accept_language(client):
    assert parse(client.get("/?lang=en", headers=HTML)).html_lang == "en"
    assert (
        parse(client.get("/", headers={**HTML, "Accept-Language": "en-US,en;q=0.9"})).html_lang
        == "en"
    )
    assert (
        parse(client.get("/", headers={**HTML, "Accept-Language": "zh-CN,zh;q=0.9"})).html_lang
        == "zh-CN"
    )
    client.set_cookie("rt_lang", "en")
    assert parse(client.get("/", headers={**HTML, "Accept-Language": "zh-CN"})).html_lang == "en"


def test_chat_page_has_what_a_parent_needs(client):
    html = client.get("/?lang=zh", headers=HTML).get_data(as_text=True)
    assert "各省政策不同" in html  # policies vary by province
    assert "隐私" in html  # privacy note
    assert 'id="message"' in html and 'class="chip suggestion"' in html
    assert 'id="lang-switch"' in html
    en = client.get("/?lang=en", headers=HTML).get_data(as_text=True)
    assert "Policies vary by province" in en and "Privacy" in en


def _privacy_note(html: str) -> str:
    import html as htmllib
    import re

    m = re.search(r'<p class="note note-privacy" id="privacy-note">(.*?)</p>', html, re.S)
    assert m, "the chat page has its privacy note"
    return htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


def test_chat_page_states_the_privacy_behaviour_in_both_languages(client, app):
    """Messages are not logged by default; conversation memory lasts for the session and expires
    session_ttl after the last turn (the real figure: 1,800 s = 30 minutes by default)."""
    from kg.settings import Settings

    assert Settings(env={})["session_ttl"] == 1800  # SECURITY.md states 30 minutes
    minutes = -(-int(app.config["SESSION_TTL"]) // 60)
    page = client.get("/?lang=zh", headers=HTML).get_data(as_text=True)
    zh = _privacy_note(page)
    assert "隐私" in zh and "不会写入服务器日志" in zh
    assert "只在本次会话中记住" in zh and f"最后一次提问{minutes}分钟后自动过期删除" in zh
    for key in ("privacy_logging", "privacy_memory_1", "privacy_memory_2", "privacy_ask"):
        assert f'data-i18n="{key}"' in page  # the language switch changes it in place
    en = _privacy_note(client.get("/?lang=en", headers=HTML).get_data(as_text=True))
    assert "Privacy" in en and "not written to the server's logs" in en
    assert "for this session only" in en and f"expires {minutes} minutes after your last" in en


def test_privacy_note_follows_the_settings():
    app = make_app(LOG_MESSAGES=True, SESSION_TTL=3600)
    client = app.test_client()
    en = _privacy_note(client.get("/?lang=en", headers=HTML).get_data(as_text=True))
    assert "logs a redacted form of what you type" in en and "not written" not in en
    assert "expires 60 minutes after your last message" in en
    zh = _privacy_note(client.get("/?lang=zh", headers=HTML).get_data(as_text=True))
    assert "删节版" in zh and "最后一次提问60分钟后" in zh


def test_footer_shows_the_graph_version(client):
    version = shared_graph().version
    for path in PAGES:
        html = client.get(path, headers=HTML).get_data(as_text=True)
        assert version["hash"] in html
        assert str(version["newest_source"]) in html


def _one_of(kind: str) -> str:
    """The local name of one resource of an rt: class."""
    g = shared_graph()
    res = g.sparql(
        f"SELECT ?s WHERE {{ ?s a <https://w3id.org/rongtong/ns#{kind}> . "
        f'FILTER(STRSTARTS(STR(?s), "{RTD}")) }} ORDER BY ?s LIMIT 1',
        timeout=10,
        row_cap=1,
    )
    assert res.rows, f"no {kind} in the graph"
    return str(res.rows[0][0])[len(RTD) :]


@pytest.mark.parametrize(
    "kind",
    ["Programme", "Occupation", "Credential", "Route", "Fact", "EducationStage", "Mechanism"],
)
def test_every_kind_has_a_page_and_a_json_twin(client, kind):
    ident = _one_of(kind)
    page = client.get(f"/entity/{ident}", headers=HTML)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert ident in html
    assert f"/entity/{ident}.json" in html
    twin = client.get(f"/entity/{ident}.json")
    assert twin.status_code == 200 and twin.is_json
    body = twin.get_json()
    assert body["iri"] == RTD + ident
    assert body["labels"]
    # the same through Accept and ?format=json
    assert (
        client.get(f"/entity/{ident}", headers={"Accept": "application/json"}).get_json()["iri"]
        == body["iri"]
    )
    assert client.get(f"/entity/{ident}?format=json").get_json()["iri"] == body["iri"]


def test_fact_pages_link_to_their_sources(client):
    ident = _one_of("Fact")
    page = parse(client.get(f"/entity/{ident}", headers=HTML))
    assert any(link.startswith("/source/src-") for link in page.links)


def test_source_page_lists_what_rests_on_it(client):
    html = client.get("/source/src-moe-catalogue-2021?lang=zh", headers=HTML).get_data(as_text=True)
    assert "引用此来源的条目" in html
    twin = client.get("/source/src-moe-catalogue-2021.json").get_json()
    assert twin["iri"] == RTD + "src-moe-catalogue-2021"


def test_unknown_entity_is_a_404_page_or_json(client):
    resp = client.get("/entity/prog-000000", headers=HTML)
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    resp = client.get("/entity/prog-000000.json")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_unknown_page_is_a_404_page(client):
    resp = client.get("/no/such/page", headers=HTML)
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert client.get("/no/such/page").status_code == 404


def test_user_text_in_pages_is_escaped(client):
    evil = '"><script>alert(1)</script>'
    html = client.get("/explore?from=" + quote(evil) + "&to=x", headers=HTML).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    html = client.get("/entity/" + quote(evil, safe=""), headers=HTML).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    html = client.get(
        "/sparql?query=" + quote(f'ASK {{ BIND("{evil}" AS ?x) }}'), headers=HTML
    ).get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_vendored_libraries_carry_their_licences():
    for lib in ("cytoscape", "yasqe"):
        assert (STATIC / "vendor" / lib / "LICENSE").is_file()
    for js in STATIC.rglob("*.js"):
        text = js.read_text(encoding="utf-8", errors="replace")
        assert "sourceMappingURL" not in text, js


def test_openapi_and_static_are_served(client):
    assert client.get("/openapi.json").is_json
    assert client.get("/static/js/chat.js").status_code == 200
    assert client.get("/static/nope.js").status_code == 404
