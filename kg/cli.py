"""The maintainer and counselor subcommands of ``rongtong``: validate, stats, query, paths, export,
settings (plus the importers' commands, registered by ``kg.importers.cli``).

Every subcommand that reads the graph takes ``--ontology DIR`` (default: the repo's ontology/, or
RONGTONG_ONTOLOGY) and ``--store`` (oxigraph | memory | http(s) endpoint URL).
Exit codes: 0 ok, 1 validation errors or a failed query, 2 bad input (unknown place, bad option).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError, SettingsError, UnknownPlace
from kg.settings import Settings

__all__ = ["register", "main"]


# ----------------------------------------------------------------------------- helpers


def _graph_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ontology",
        metavar="DIR",
        default=None,
        help="ontology directory (default: the repo's ontology/, or $RONGTONG_ONTOLOGY)",
    )
    parser.add_argument(
        "--store",
        default=None,
        help="oxigraph (default) | memory | the http(s) URL of a SPARQL endpoint ($RONGTONG_STORE)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        ontology_dir=getattr(args, "ontology", None),
        store=getattr(args, "store", None),
    )


def _open(args: argparse.Namespace):  # noqa: ANN202 - returns a KnowledgeGraph
    from kg.graph import open_graph

    settings = _settings(args)
    return open_graph(settings.ontology_dir, settings.store, settings)


def _err(message: str) -> None:
    print(f"rongtong: {message}", file=sys.stderr)


def _short(term: Node | None) -> str:
    from kg.checks import short

    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return short(term)


def _table(headers: list[str], rows: list[list[str]], out: TextIO) -> None:
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    def cut(text: str, limit: int = 60) -> str:
        text = text.replace("\n", " ")
        if width(text) <= limit:
            return text
        out_text, used = "", 0
        for c in text:
            w = width(c)
            if used + w > limit - 1:
                break
            out_text += c
            used += w
        return out_text + "…"

    last = len(headers) - 1
    cells = [
        [c.replace("\n", " ") if i == last else cut(c) for i, c in enumerate(row)] for row in rows
    ]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(values)).rstrip()

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print(line(row), file=out)


# ----------------------------------------------------------------------------- validate


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import validate

    directory = args.dir or args.ontology or _settings(args).ontology_dir
    report = validate(directory, shacl=not args.no_shacl, checks=not args.no_checks)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    shown = report.problems if not args.quiet else report.errors
    for problem in shown:
        print(f"{problem.severity}: {problem}")
    for note in report.skipped:
        print(f"skipped: {note}")
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
    status = "ok" if report.ok else "FAILED"
    print(
        f"{status}: {len(report.files)} files, {report.triples} triples, "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings ({timing})"
    )
    return 0 if report.ok else 1


# ----------------------------------------------------------------------------- stats


def cmd_stats(args: argparse.Namespace) -> int:
    graph = _open(args)
    stats = graph.stats()
    if args.json:
        print(json.dumps({**stats, "version": graph.version}, ensure_ascii=False, indent=2))
        return 0
    _table(["count", "value"], [[k, str(v)] for k, v in stats.items()], sys.stdout)
    v = graph.version
    print(f"\nversion {v['hash']}, newest source {v['newest_source']}, store {v['store']}")
    return 0


# ----------------------------------------------------------------------------- query


def _param_value(graph: Any, raw: str) -> Node:
    """--param name=value: <iri>, rtd:x, http(s)://…, "text"@lang, or a label (resolved) / text."""
    from kg.terms import expand_iri

    iri = expand_iri(raw)
    if iri is not None:
        return iri
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return Literal(raw[1:-1])
    if raw.startswith('"') and '"@' in raw:
        text, lang = raw[1:].rsplit('"@', 1)
        return Literal(text, lang=lang)
    found = graph.resolve(raw)
    if found:
        return URIRef(found[0])
    return Literal(raw)


def cmd_query(args: argparse.Namespace) -> int:
    graph = _open(args)
    if args.file == "-":
        text = sys.stdin.read()
    elif args.file in graph.queries:
        text = graph.queries.get(args.file).text
    else:
        path = Path(args.file)
        if not path.is_file():
            _err(
                f"no such query file or named query: {args.file} (named: {', '.join(graph.queries.names())})"
            )
            return 2
        text = path.read_text(encoding="utf-8")
    params: dict[str, Node] = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep:
            _err(f"--param wants name=value, not {item!r}")
            return 2
        params[name.lstrip("?$")] = _param_value(graph, value)
    if params:
        from kg.sparql import SparqlResult

        rows = graph.backend.select(text, params)
        variables: list[str] = []
        for row in rows:
            variables += [k for k in row if k not in variables]
        result = SparqlResult(
            "select",
            variables,
            [tuple(r.get(v) for v in variables) for r in rows],
            row_cap=len(rows),
        )
    else:
        result = graph.sparql(text, timeout=args.timeout, row_cap=args.limit)
    out = sys.stdout
    if result.kind == "graph":
        fmt = {"table": "ttl", "json": "jsonld", "csv": "nt"}[args.format]
        sys.stdout.buffer.write(result.serialize(fmt))
    elif args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(out)
        if result.kind == "ask":
            writer.writerows([["boolean"], [str(result.boolean).lower()]])
        else:
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow(["" if t is None else str(t) for t in row])
    elif result.kind == "ask":
        print("true" if result.boolean else "false")
    else:
        _table(result.variables, [[_short(t) for t in row] for row in result.rows], out)
        print(
            f"\n{len(result.rows)} rows" + (" (truncated)" if result.truncated else ""),
            file=sys.stderr,
        )
    if result.truncated:
        _err(f"truncated at {result.row_cap} rows; raise --limit or narrow the query")
    return 0


# ----------------------------------------------------------------------------- paths


def _print_paths(body: dict[str, Any], lang: str) -> None:
    paths = body["paths"]
    src, dst = body["from"], body["to"]
    years = "年" if lang == "zh" else " years"
    print(
        f"{src['label']} → {dst['label']}: {len(paths)} " + ("条路径" if lang == "zh" else "paths")
    )
    for number, path in enumerate(paths, 1):
        steps = path["steps"]
        if path["total_years"] is not None:
            length = f"{path['total_years']}{years}"
        elif path.get("total_years_range"):  # some step's sources give only a range
            low, high = path["total_years_range"]
            length = f"{low}–{high}{years}"
        elif path.get("known_years"):  # a floor, not a total: some steps' years are unknown
            length = f"≥{path['known_years']}{years} (+?)"
        else:
            length = f"?{years}"
        print(f"\n{number}. {length}, {len(steps)} step{'s' if len(steps) != 1 else ''}")
        for step in steps:
            mech = step["mechanism"]["label"] if step["mechanism"] else step["via"]["label"]
            if step["years"] is not None:
                y = step["years"]
            elif step.get("years_range"):
                y = "–".join(str(v) for v in step["years_range"])
            else:
                y = "?"
            span = f"{y}{years}"
            if step.get("wait_years"):  # counted in the total: that time passes too
                wait = step["wait_years"]
                span += f"（须先等满{wait}年）" if lang == "zh" else f" (after a {wait}-year wait)"
            region = f" [{step['region']['label']}]" if step["region"] else ""
            print(f"   {step['from']['label']} → {step['to']['label']}  via {mech}, {span}{region}")
            for condition in step["conditions"]:
                print(f"      · {condition}")
            if step.get("programmes"):
                field = step["programmes"]
                names = ("、" if lang == "zh" else ", ").join(p["label"] for p in field["items"])
                more = field["total"] - len(field["items"])
                if lang == "zh":
                    tail = f" 等{field['total']}个" if more else ""
                    print(f"      同领域专业（按专业代码推导）：{names}{tail}")
                else:
                    tail = f" and {more} more" if more else ""
                    print(
                        f"      same-field programmes (derived from catalogue codes): {names}{tail}"
                    )
            if step["source"]:
                titles = "; ".join(s.get("title") or s["iri"] for s in step["source"])
                print(f"      source: {titles}")


def cmd_paths(args: argparse.Namespace) -> int:
    from kg.paths import pathways, resolve_place

    graph = _open(args)
    region = None
    try:
        if args.region:
            found = graph.resolve(args.region)
            if not found:
                raise UnknownPlace(args.region, graph.suggest(args.region), role="region")
            region = found[0]
        resolve_place(graph, args.source, "from")
        resolve_place(graph, args.target, "to")
    except UnknownPlace as exc:
        _err(str(exc))
        return 2
    body = pathways(
        graph, args.source, args.target, max_steps=args.max_steps, lang=args.lang, region=region
    )
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print_paths(body, args.lang)
    return 0


# ----------------------------------------------------------------------------- export, settings


def cmd_export(args: argparse.Namespace) -> int:
    graph = _open(args)
    data = graph.export(args.format)
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        print(f"wrote {len(data)} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    rows = Settings().rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    _table(
        ["name", "value", "default", "help"],
        [[r["name"], r["value"], r["default"], f"{r['help']} [{r['env']}]"] for r in rows],
        sys.stdout,
    )
    return 0


# ----------------------------------------------------------------------------- wiring


def _guard(func: Any) -> Any:
    """Turn kg's own errors into a one-line message and exit status 1 (2 for bad input)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (UnknownPlace, SettingsError, FileNotFoundError) as exc:
            _err(str(exc))
            return 2
        except KGError as exc:
            _err(str(exc))
            return 1

    run.__name__ = func.__name__
    return run


def register(subparsers: Any) -> None:
    """Add kg's subcommands (and the importers') to the ``rongtong`` parser."""
    p = subparsers.add_parser(
        "validate", help="check the ontology: parse, SHACL shapes, violation queries"
    )
    p.add_argument("dir", nargs="?", help="ontology directory (default: --ontology or the repo's)")
    _graph_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="print errors only, not warnings")
    p.add_argument("--no-shacl", action="store_true", help="skip the SHACL shapes")
    p.add_argument("--no-checks", action="store_true", help="skip the violation queries")
    p.set_defaults(func=_guard(cmd_validate))

    p = subparsers.add_parser("stats", help="counts of programmes, occupations, routes, facts…")
    _graph_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_guard(cmd_stats))

    p = subparsers.add_parser("query", help="run a SPARQL file, a named query or stdin (-)")
    p.add_argument("file", help="FILE.rq, the name of a named query, or - for stdin")
    _graph_options(p)
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help='bind a variable (IRI, rtd:name, "text"@lang, or a label to resolve); repeatable',
    )
    p.add_argument(
        "--timeout", type=float, default=None, help="seconds (default: the query_timeout setting)"
    )
    p.add_argument("--limit", type=int, default=None, help="row cap (default: the row_cap setting)")
    p.set_defaults(func=_guard(cmd_query))

    p = subparsers.add_parser("paths", help="every route between two stages or programmes")
    p.add_argument("source", metavar="FROM", help="label, alias, code or IRI, e.g. 中职")
    p.add_argument("target", metavar="TO", help="label, alias, code or IRI, e.g. 本科")
    _graph_options(p)
    p.add_argument("--json", action="store_true", help="print JSON shaped like GET /api/pathways")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--max-steps", type=int, default=4)
    p.add_argument("--region", default=None, help="only national routes and those of this region")
    p.set_defaults(func=_guard(cmd_paths))

    p = subparsers.add_parser("export", help="the whole graph as Turtle, N-Triples or JSON-LD")
    _graph_options(p)
    p.add_argument("--format", choices=["ttl", "nt", "jsonld"], default="ttl")
    p.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="write here (default: stdout)"
    )
    p.set_defaults(func=_guard(cmd_export))

    p = subparsers.add_parser("settings", help="the settings table: name, value, default, help")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_guard(cmd_settings))

    from kg.importers import cli as importers_cli

    importers_cli.register(subparsers)

    from kg import maint_cli  # fmt, diff (maintainers' file commands)

    maint_cli.register(subparsers)


def main(argv: list[str] | None = None) -> int:
    """Run only kg's subcommands (``python -m kg.cli``); ``rongtong`` itself is web.cli.main."""
    parser = argparse.ArgumentParser(prog="rongtong", description="Rongtong knowledge graph")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
