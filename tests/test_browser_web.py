"""The pages in a real browser: Playwright's sync API driving Debian's chromium (never a browser
that Playwright downloads). Writes screenshots of /, /explore and /sparql at 1280 and 375 px to
screenshots/ (git-ignored)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from web_support import CHROMIUM, CHROMIUM_ARGS, live_server, make_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make browser)"
    ),
]

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(scope="module")
def base():
    with live_server(make_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page_factory(browser, base):
    contexts = []

    def make(width=1280, height=900, locale="zh-CN"):
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, accept_downloads=True
        )
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(20000)
        page.csp_errors = []  # type: ignore[attr-defined]
        page.external = []  # type: ignore[attr-defined]

        def on_console(msg):
            if "Content Security Policy" in msg.text or "Refused to" in msg.text:
                page.csp_errors.append(msg.text)

        def on_request(req):
            if not req.url.startswith(base) and not req.url.startswith(("data:", "blob:")):
                page.external.append(req.url)

        page.on("console", on_console)
        page.on("request", on_request)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def clean(page):
    assert not page.csp_errors, page.csp_errors
    assert not page.external, f"loaded from other hosts: {page.external}"


def ask(page, text):
    count = page.locator(".msg-bot").count()
    box = page.locator("#message")
    box.click()
    box.fill(text)
    box.press("Enter")
    page.locator(".msg-bot").nth(count).locator(".answer, [role=alert]").wait_for()
    return page.locator(".msg-bot").nth(count)


def test_ask_a_question_and_open_a_citation(page_factory, base):
    page = page_factory()
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    answer = ask(page, "高职毕业能读本科吗？")
    assert "本科" in answer.locator(".answer").inner_text()
    link = answer.locator("a.citation").first
    href = link.get_attribute("href")
    assert href and href.startswith("/source/src-")
    link.click()
    page.wait_for_url(re.compile(r"/source/src-"))
    assert page.locator("h1").inner_text().strip()
    clean(page)


def test_a_two_turn_conversation_keeps_the_session(page_factory, base):
    page = page_factory()
    sent = []
    page.on(
        "request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/chat") else None
    )
    page.goto(base + "/")
    ask(page, "我是中职二年级学生，学计算机应用")
    second = ask(page, "我以后怎么读本科？")
    assert "本科" in second.locator(".answer").inner_text()
    assert "计算机" in second.locator(".answer").inner_text()
    assert "session_id" not in sent[0] and sent[1]["session_id"]
    assert page.locator(".msg-user").count() == 2
    # a follow-up suggestion is a button that asks it
    follow = second.locator(".follow .suggestion")
    if follow.count():
        follow.first.click()
        page.locator(".msg-bot").nth(2).locator(".answer").wait_for()
        assert sent[2]["session_id"] == sent[1]["session_id"]
    clean(page)


def test_a_pathway_answer_draws_a_small_map(page_factory, base):
    page = page_factory()
    page.goto(base + "/")
    answer = ask(page, "中职怎么读本科？")
    answer.locator(".mini-map canvas").first.wait_for()
    assert answer.locator(".path-steps li").count() >= 1
    clean(page)


def test_switching_language_is_remembered(page_factory, base):
    page = page_factory(locale="zh-CN")
    page.goto(base + "/")
    assert "怎么选" in page.locator("h1").inner_text()
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Vocational or general" in page.locator("h1").inner_text()
    assert page.locator("#message").get_attribute("placeholder").startswith("Type a question")
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    answer = ask(page, "Can I get a master's degree after higher vocational college?")
    assert "master" in answer.locator(".answer").inner_text().lower()
    page.goto(base + "/explore")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#explore-title").inner_text() == "升学路径图"
    clean(page)


def test_route_lines_and_their_details_are_separate_lists(page_factory, base):
    """Numbered routes render as an ordered list; the indented mechanism details as their own
    list, so they no longer read like more routes."""
    page = page_factory()
    page.goto(base + "/")
    answer = ask(page, "中职怎么读本科？").locator(".answer")
    routes = answer.locator("ol > li")
    assert routes.count() >= 2
    assert all("→" in t for t in routes.all_inner_texts())
    details = answer.locator("ul.details > li")
    assert details.count() >= 1
    assert not any("→" in t for t in details.all_inner_texts())
    clean(page)


def test_keyboard_only_starter_question(page_factory, base):
    page = page_factory()
    page.goto(base + "/")
    page.keyboard.press("Tab")  # skip link first
    focused = page.evaluate("document.activeElement.className")
    assert "skip" in focused
    page.focus(".starter .suggestion")
    page.keyboard.press("Enter")
    page.locator(".msg-bot .answer").first.wait_for()
    clean(page)


def test_a_failed_request_shows_a_message(page_factory, base):
    page = page_factory()
    page.goto(base + "/")
    page.route("**/api/chat", lambda route: route.abort())
    answer = ask(page, "专升本是什么？")
    assert answer.locator("[role=alert]").inner_text().strip()
    page.unroute("**/api/chat")
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "unavailable", "message": "down for a moment"}}',
        ),
    )
    answer = ask(page, "专升本是什么？")
    assert "down for a moment" in answer.locator("[role=alert]").inner_text()
    page.unroute("**/api/chat")
    answer.locator("button.retry").click()
    page.locator(".msg-bot .answer").last.wait_for()


def test_explore_a_route_from_zhongzhi_to_bachelor(page_factory, base):
    page = page_factory()
    page.goto(base + "/explore")
    page.fill("#from-input", "中职")
    page.locator("#from-list [role=option]").first.wait_for()
    page.locator("#from-list [role=option]", has_text="中").first.click()
    page.fill("#to-input", "本科")
    page.locator("#to-list [role=option]").first.wait_for()
    page.locator("#to-list [role=option]", has_text="本科").first.click()
    page.click("#show-routes")
    # 68 routes laid out by cytoscape: on a loaded 2-core CI machine this once took over 20 s
    page.locator(".step-button").first.wait_for(timeout=60000)
    assert page.locator("#route-map canvas").count() >= 1
    assert page.locator(".route").count() >= 2
    page.locator(".step-button").first.click()
    body = page.locator("#step-body")
    body.locator("dl").wait_for()
    text = body.inner_text()
    assert "方式" in text and "年" in text
    # a path's years count from the end of its start stage, and say so
    assert "此后约" in page.locator(".route h3").first.inner_text()
    assert body.locator("a").count() >= 1  # mechanism / source links
    assert page.locator(".step-button[aria-pressed=true]").count() >= 1
    assert "from=stage-" in page.url
    clean(page)


def test_phone_width_map_draws_only_the_chosen_steps_label(page_factory, base):
    """Rotated edge labels overlapped on a 375 px map; there only the chosen step is labelled."""
    narrow = page_factory(width=375, height=812)
    narrow.goto(base + "/explore?from=stage-higher-vocational&to=stage-bachelor")
    narrow.locator(".step-button").first.wait_for()
    route_map = narrow.locator("#route-map")
    assert route_map.get_attribute("data-edge-labels") == "0"
    narrow.locator(".step-button").first.click()
    expect(route_map).to_have_attribute("data-edge-labels", "1")
    narrow.locator(".step-button").last.click()
    expect(route_map).to_have_attribute("data-edge-labels", "1")
    clean(narrow)
    wide = page_factory(width=1280, height=900)
    wide.goto(base + "/explore?from=stage-higher-vocational&to=stage-bachelor")
    wide.locator(".step-button").first.wait_for()
    assert int(wide.locator("#route-map").get_attribute("data-edge-labels")) >= 2
    clean(wide)


def test_explore_from_a_programme_shows_the_same_field_programmes(page_factory, base):
    page = page_factory()
    page.goto(base + "/explore?from=prog-660302&to=stage-vocational-bachelor")
    page.locator(".step-button").first.wait_for(timeout=60000)
    page.locator(".step-button").first.click()
    body = page.locator("#step-body")
    body.locator("ul.same-field li a").first.wait_for()
    assert "同领域专业" in body.inner_text()
    assert "机器人技术" in body.locator("ul.same-field").inner_text()
    clean(page)


def test_explore_by_keyboard(page_factory, base):
    page = page_factory()
    page.goto(base + "/explore")
    page.fill("#from-input", "初中")
    page.locator("#from-list [role=option]").first.wait_for()
    page.press("#from-input", "ArrowDown")
    page.press("#from-input", "Enter")
    assert page.get_attribute("#from-input", "data-iri")
    page.fill("#to-input", "stage-higher-vocational")
    page.press("#to-input", "Enter")  # submits with the typed id
    page.locator(".step-button").first.wait_for()
    clean(page)


def test_sparql_example_query_and_csv_download(page_factory, base):
    page = page_factory()
    page.goto(base + "/sparql")
    page.locator(".CodeMirror").wait_for()  # the YASQE editor
    page.locator(".example-load[data-name=stages]").click()
    page.locator(".results-table tbody tr").first.wait_for()
    assert page.locator(".results-table tbody tr").count() >= 10
    with page.expect_download() as info:
        page.click("#download-csv")
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("stage")
    assert "stage-secondary-vocational" in text
    # typing a query of one's own and running it with Ctrl+Enter
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT ?s WHERE { ?s a <https://w3id.org/rongtong/ns#Region> } LIMIT 3")
    page.keyboard.press("Control+Enter")
    # (no wait_for_function: a string predicate is eval, which the page's CSP forbids)
    expect(page.locator(".results-table tbody tr")).to_have_count(3)
    # a malformed query shows the error
    page.keyboard.press("Control+A")
    page.keyboard.type("SELEC nothing")
    page.click("#run")
    page.locator("#results [role=alert]").wait_for()
    clean(page)


@pytest.mark.parametrize("path", ["/", "/explore", "/sparql", "/entity/stage-secondary-vocational"])
def test_375px_wide_has_no_horizontal_scroll(page_factory, base, path):
    page = page_factory(width=375, height=812)
    page.goto(base + path)
    if path == "/":
        ask(page, "中职怎么读本科？")
    if path == "/explore":
        page.click(".quick-pick >> nth=0")
        page.locator(".step-button").first.wait_for()
    if path == "/sparql":
        page.locator(".example-load[data-name=stages]").click()
        page.locator(".results-table tbody tr").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} scrolls sideways: {width}px"
    clean(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(page_factory, base, width):
    """What a parent sees: the viewport after each page is used (NAME-WIDTH.png), and the whole
    page from the top (NAME-WIDTH-full.png)."""
    SHOTS.mkdir(exist_ok=True)
    page = page_factory(width=width, height=900 if width > 400 else 812)

    def shoot(name):
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(200)
        page.screenshot(path=str(SHOTS / f"{name}-{width}-full.png"), full_page=True)

    page.goto(base + "/")
    page.screenshot(path=str(SHOTS / f"chat-start-{width}.png"))
    ask(page, "孩子中考没考上普高，读中职以后还能上本科吗？")
    page.locator(".mini-map canvas").first.wait_for()
    page.wait_for_timeout(1200)  # the smooth scroll to the answer ends
    page.locator(".msg-user").last.evaluate("n => n.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -(document.querySelector('.top').offsetHeight + 12))")
    shoot("chat")
    page.goto(base + "/explore?from=stage-secondary-vocational&to=stage-bachelor")
    page.locator(".step-button").first.wait_for()
    page.locator(".step-button").first.click()
    page.evaluate("window.scrollTo(0, 0)")
    shoot("explore")
    page.goto(base + "/sparql")
    page.locator(".example-load[data-name=stages]").click()
    page.locator(".results-table tbody tr").first.wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shoot("sparql")
    for name in ("chat", "explore", "sparql"):
        assert (SHOTS / f"{name}-{width}.png").stat().st_size > 10000
    clean(page)
