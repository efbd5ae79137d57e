"""``rongtong ask`` and ``rongtong chat`` (the advisor's subcommands, registered on any parser)."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from advisor import cli


def _parser():
    p = argparse.ArgumentParser(prog="rongtong")
    sub = p.add_subparsers(dest="command", required=True)
    cli.register(sub)
    return p


@pytest.fixture(autouse=True)
def _shared(monkeypatch):
    from advisor.testing import shared_advisor

    monkeypatch.setattr(cli, "_advisor", lambda args: shared_advisor("hash"))


def test_ask_json(capsys):
    args = _parser().parse_args(["ask", "专升本是什么意思？", "--json"])
    assert args.func(args) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["intent"] == "definition" and "本科" in body["answer"]
    assert body["citations"] and body["suggestions"]


def test_ask_text_in_english(capsys):
    args = _parser().parse_args(["ask", "What is the credit bank?", "--lang", "en"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "credit" in out.lower() and "Sources:" in out


def test_ask_bad_input_exit_code(capsys):
    args = _parser().parse_args(["ask", "   "])
    assert args.func(args) == 2
    assert "error" in capsys.readouterr().err


def test_chat_keeps_the_conversation(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("我在高职学护理\n还能读本科吗\n\n"))
    args = _parser().parse_args(["chat"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "专升本" in out and "护理" in out
