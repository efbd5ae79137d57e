"""Graph load and every named query on the shipped graph: rdflib in memory vs Oxigraph.

Medians (and p95 for Oxigraph) over N runs, the ratio, the cost of the fork that guards user
SPARQL, and one pathway search. Printed as a table and written as JSON::

    .venv/bin/python -m bench.kg_bench [--runs 7] [--budget 75] [--json bench/results/kg_bench.json]

``python -m bench`` runs it as section "kg" through :func:`run`. rdflib is slow on the big
queries, so its runs are fewer and stop when the time budget is spent (marked "skipped").
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology"
RESULTS = Path(__file__).resolve().parent / "results"
RTD = "https://w3id.org/rongtong/id/"
_EXAMPLE = re.compile(r"e\.g\.\s+rtd:([A-Za-z0-9_.\-]+)")

__all__ = ["run", "main"]


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _params(query: Any) -> dict[str, Any] | None:
    """Bind each declared parameter to the example in its meaning (``e.g. rtd:prog-460305``)."""
    from rdflib import URIRef

    params = {}
    for param in query.params:
        m = _EXAMPLE.search(param.meaning)
        if m:
            params[param.name] = URIRef(RTD + m.group(1))
        elif "optional" not in param.meaning:
            return None
    return params


def run(
    budget_s: float = 75.0, runs: int = 7, log: Callable[[str], None] = print
) -> dict[str, Any]:
    from kg import find_paths, open_graph
    from kg.sparql import run_user_query

    started = time.perf_counter()

    def left() -> float:
        return budget_s - (time.perf_counter() - started)

    # loading: oxigraph a few times (cheap), rdflib once or twice
    ox_loads = [_timed(lambda: open_graph(ONTOLOGY, store="oxigraph")) for _ in range(3)]
    graph = open_graph(ONTOLOGY, store="oxigraph")
    mem_loads: list[float] = []
    memory = None
    for _ in range(2):
        t0 = time.perf_counter()
        memory = open_graph(ONTOLOGY, store="memory")
        mem_loads.append(time.perf_counter() - t0)
        if left() < budget_s * 0.7:
            break
    log(f"kg: loaded {graph.version['triples']} triples; oxigraph {statistics.median(ox_loads):.2f} s, "
        f"rdflib {statistics.median(mem_loads):.2f} s")  # fmt: skip

    queries = []
    for query in graph.named_queries():
        params = _params(query)
        if params is not None:
            queries.append((query.name, params))

    results: list[dict[str, Any]] = []
    for name, params in queries:  # oxigraph first: all of them, N runs each
        graph.query(name, **params)  # warm
        times = [_timed(lambda n=name, p=params: graph.query(n, **p)) for _ in range(runs)]
        rows = len(graph.query(name, **params))
        results.append({"query": name, "rows": rows, "oxigraph_ms": statistics.median(times) * 1000,
                        "oxigraph_p95_ms": _p95(times) * 1000})  # fmt: skip
    # rdflib: cheapest first, fewer runs, within the budget that is left
    mem_runs = max(1, runs // 3)
    for entry in sorted(results, key=lambda r: r["oxigraph_ms"]):
        name, params = entry["query"], dict(queries)[entry["query"]]
        first = _timed(lambda n=name, p=params: memory.query(n, **p))
        if left() < first * mem_runs + 5:
            entry["rdflib_ms"] = None
            entry["note"] = "rdflib skipped (budget)"
            continue
        times = [first] + [
            _timed(lambda n=name, p=params: memory.query(n, **p)) for _ in range(mem_runs - 1)
        ]
        entry["rdflib_ms"] = statistics.median(times) * 1000
        entry["ratio"] = entry["rdflib_ms"] / max(entry["oxigraph_ms"], 1e-6)

    # the fork that guards user SPARQL, and one pathway search
    simple = "SELECT ?s WHERE { ?s a <https://w3id.org/rongtong/ns#EducationStage> }"
    forked = [_timed(lambda: graph.sparql(simple)) for _ in range(runs)]
    inline = [
        _timed(lambda: run_user_query(graph.backend.execute, simple, 10.0, 10000, isolate=False))
        for _ in range(runs)
    ]
    voc, bachelor = RTD + "stage-secondary-vocational", RTD + "stage-bachelor"
    find_paths(graph, voc, bachelor)  # builds the route table and label index once
    paths = [_timed(lambda: find_paths(graph, voc, bachelor)) for _ in range(runs)]

    ox_load, mem_load = statistics.median(ox_loads), statistics.median(mem_loads)
    figures = [
        {"figure": "load oxigraph (s)", "value": round(ox_load, 3), "unit": "s"},
        {"figure": "load rdflib memory (s)", "value": round(mem_load, 3), "unit": "s"},
        {"figure": "load ratio rdflib/oxigraph", "value": round(mem_load / ox_load, 1), "unit": "×"},
        {"figure": "user SPARQL with fork guard, median", "value": round(statistics.median(forked) * 1000, 2), "unit": "ms"},
        {"figure": "user SPARQL in-process, median", "value": round(statistics.median(inline) * 1000, 2), "unit": "ms"},
        {"figure": "find_paths 中职→本科, median", "value": round(statistics.median(paths) * 1000, 2), "unit": "ms"},
    ]  # fmt: skip
    for entry in results:
        figures.append(
            {
                "figure": f"{entry['query']} oxigraph median",
                "value": round(entry["oxigraph_ms"], 3),
                "unit": "ms",
            }
        )
        figures.append(
            {
                "figure": f"{entry['query']} oxigraph p95",
                "value": round(entry["oxigraph_p95_ms"], 3),
                "unit": "ms",
            }
        )
        if entry.get("rdflib_ms") is not None:
            figures.append({"figure": f"{entry['query']} rdflib median", "value": round(entry["rdflib_ms"], 2), "unit": "ms",
                            "note": f"{entry['ratio']:.0f}× oxigraph"})  # fmt: skip
    return {
        "triples": graph.version["triples"],
        "hash": graph.version["hash"],
        "runs": runs,
        "load_s": {"oxigraph": ox_load, "memory": mem_load, "ratio": mem_load / ox_load},
        "queries": results,
        "user_sparql_ms": {
            "fork": statistics.median(forked) * 1000,
            "inline": statistics.median(inline) * 1000,
        },
        "find_paths_ms": statistics.median(paths) * 1000,
        "figures": figures,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _print(result: dict[str, Any]) -> None:
    load = result["load_s"]
    print(
        f"graph: {result['triples']} triples ({result['hash']}), medians of {result['runs']} runs"
    )
    print(f"load: oxigraph {load['oxigraph']:.2f} s, rdflib memory {load['memory']:.2f} s "
          f"({load['ratio']:.1f}×)\n")  # fmt: skip
    print(
        f"{'named query':32} {'rows':>6} {'oxigraph ms':>12} {'p95 ms':>9} {'rdflib ms':>11} {'ratio':>8}"
    )
    for q in sorted(result["queries"], key=lambda r: r["query"]):
        rdflib_ms = "skipped" if q.get("rdflib_ms") is None else f"{q['rdflib_ms']:.1f}"
        ratio = f"{q['ratio']:.0f}×" if q.get("ratio") else ""
        print(f"{q['query']:32} {q['rows']:>6} {q['oxigraph_ms']:>12.3f} {q['oxigraph_p95_ms']:>9.3f} "
              f"{rdflib_ms:>11} {ratio:>8}")  # fmt: skip
    u = result["user_sparql_ms"]
    print(
        f"\nuser SPARQL (small SELECT): fork guard {u['fork']:.1f} ms, in-process {u['inline']:.2f} ms"
    )
    print(f"find_paths 中职 → 本科 (cached route table): {result['find_paths_ms']:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds (rdflib runs stop when spent)"
    )
    parser.add_argument(
        "--json", default=str(RESULTS / "kg_bench.json"), help="where to write the JSON"
    )
    args = parser.parse_args(argv)
    result = run(budget_s=args.budget, runs=args.runs, log=lambda m: print(m, file=sys.stderr))
    _print(result)
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
