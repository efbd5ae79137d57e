"""``rongtong serve``: gunicorn with process workers; conversations survive across workers; a
runaway SPARQL query does not stall other requests."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from web_support import rongtong_serve

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def post_json(url: str, body: dict) -> dict:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_serve_is_registered_with_its_options():
    from web.cli import build_parser

    args = build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--store", "memory"]
    )
    assert args.command == "serve" and args.port == 9001 and args.workers == 3
    from web.serve import app_config

    config, settings = app_config(args)
    assert settings.host == "0.0.0.0" and settings.port == 9001
    assert config["SESSION_STORE"] == "sqlite", "several workers share conversations in SQLite"
    assert config["STORE"] == "memory"
    dev = build_parser().parse_args(["serve", "--dev"])
    assert app_config(dev)[0]["WORKERS"] == 1
    defaults = build_parser().parse_args(["serve"])
    _, s = app_config(defaults)
    assert s.host == "127.0.0.1" and s.port == 8000


def test_gunicorn_options_preload_process_workers():
    from kg.settings import Settings
    from web.serve import _gunicorn_options

    opts = _gunicorn_options(Settings(env={}), 2, False)
    assert opts["preload_app"] is True and opts["worker_class"] == "sync" and opts["workers"] == 2
    assert opts["bind"] == "127.0.0.1:8000"
    assert opts["timeout"] > Settings(env={}).query_timeout
    # the access log drops what users typed; no control socket (gunicorn >= 25.1 has one)
    assert opts["logger_class"] == "web.logging_setup.PrivateGunicornLogger"
    from gunicorn.config import Config

    if "control_socket_disable" in Config().settings:
        assert opts["control_socket_disable"] is True
    assert "accesslog" not in opts and _gunicorn_options(Settings(env={}), 2, True)["accesslog"]


@pytest.mark.slow
def test_gunicorn_two_workers_conversation_and_runaway_query(tmp_path):
    env = {"RONGTONG_SESSION_DB": str(tmp_path / "sessions.sqlite3"), "RONGTONG_QUERY_TIMEOUT": "6"}
    with rongtong_serve("--workers", "2", "--encoder", "hash", env=env) as base:
        # a multi-turn conversation: turns land on either worker, the profile is shared
        follow = "我以后怎么读本科？"
        fresh = post_json(base + "/api/chat", {"message": follow})
        assert "计算机" not in fresh["answer"]  # without the first turn, no programme is known
        for _ in range(3):
            first = post_json(base + "/api/chat", {"message": "我是中职二年级学生，学计算机应用"})
            sid = first["session_id"]
            for _ in range(4):  # several turns: both workers are hit with high probability
                reply = post_json(base + "/api/chat", {"message": follow, "session_id": sid})
                assert reply["session_id"] == sid
                assert "本科" in reply["answer"]
                assert "计算机" in reply["answer"], "the first turn was remembered"

        # a runaway query occupies one worker; cheap requests still answer fast
        outcome = {}

        def runaway():
            try:
                urllib.request.urlopen(base + "/sparql?query=" + quote(RUNAWAY), timeout=60)
                outcome["status"] = 200
            except urllib.error.HTTPError as err:
                outcome["status"] = err.code
                outcome["body"] = json.loads(err.read())

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.5)
        cheap = "ASK { ?s ?p ?o }"
        for _ in range(5):
            started = time.perf_counter()
            with urllib.request.urlopen(base + "/sparql?query=" + quote(cheap), timeout=10) as r:
                assert json.loads(r.read())["boolean"] is True
            with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
                assert r.status == 200
            assert time.perf_counter() - started < 1.0
        thread.join(timeout=30)
        assert outcome.get("status") == 422, outcome
        assert outcome["body"]["error"]["code"] == "query_timeout"


@pytest.mark.slow
def test_a_changed_ontology_file_is_served_without_a_restart(tmp_path):
    """Maintainers edit ontology/ and see the change live (setting reload_watch)."""
    import shutil

    from web_support import REPO

    from web.app import create_app

    onto = tmp_path / "ontology"
    shutil.copytree(REPO / "ontology", onto, ignore=shutil.ignore_patterns("imports"))
    app = create_app(
        {
            "ONTOLOGY_DIR": onto,
            "ENCODER": "hash",
            "INDEX_DIR": tmp_path / "index",
            "RELOAD_WATCH": True,
        }
    )
    c = app.test_client()
    before = c.get("/healthz").json["graph"]["hash"]
    assert c.get("/api/entity/region-testville").status_code == 404
    with open(onto / "data" / "regions.ttl", "a", encoding="utf-8") as fh:
        fh.write(
            '\nrtd:region-testville a rt:Region ; skos:prefLabel "测试镇"@zh , "Testville"@en ;\n'
            "    rt:partOf rtd:region-national ; dcterms:source rtd:src-rongtong-curation ;\n"
            '    rt:asOf "2026-11" ; rt:confidence "low" .\n'
        )
    # The watcher validates and builds the new graph off to the side, then swaps it in.
    import time

    deadline = time.monotonic() + 90
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.5)
        after = c.get("/healthz").json["graph"]["hash"]
    assert after != before
    assert c.get("/api/entity/region-testville").json["labels"]["en"] == "Testville"
    assert c.post("/api/chat", json={"message": "专升本是什么"}).status_code == 200
