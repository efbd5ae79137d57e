"""Graph load and every named query on the shipped graph: rdflib in memory vs Oxigraph.

Medians (and p95 for Oxigraph) over N runs, the ratio, the cost of the fork that guards user
SPARQL, and one pathway search. Printed as a table and written as JSON::

    .venv/bin/python -m bench.kg_bench [--runs 21] [--budget 75] [--json bench/results/kg_bench.json]

``python -m bench`` runs it as section "kg" through :func:`run`, which stays within its budget:
each Oxigraph query gets up to ``runs`` timings but at most ~2 s, and rdflib (pure Python, ~12 s
to load, some queries take seconds) runs in a child process stopped when the budget is spent;
what it had not timed by then is marked "skipped".
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


def _time_runs(fn: Callable[[], Any], runs: int, cap_s: float) -> list[float]:
    """Up to ``runs`` timings of fn, stopping once ``cap_s`` is spent (at least one)."""
    times: list[float] = []
    spent = 0.0
    while len(times) < runs and (not times or spent < cap_s):
        dt = _timed(fn)
        times.append(dt)
        spent += dt
    return times


def _rdflib_child(conn: Any, ontology: str, order: list[tuple[str, dict[str, Any]]],
                  runs: int) -> None:  # fmt: skip
    """In a forked child: load rdflib's store, then time the queries cheapest first, one message
    per result, so the parent keeps whatever was done when it stops the child at its deadline."""
    from kg import open_graph

    try:
        t0 = time.perf_counter()
        memory = open_graph(ontology, store="memory")
        conn.send(("load", time.perf_counter() - t0))
        for name, params in order:
            conn.send(("begin", name))
            times = _time_runs(lambda n=name, p=params: memory.query(n, **p), runs, 3.0)
            conn.send(("query", name, times))
        conn.send(("done",))
    except Exception as exc:  # noqa: BLE001 - reported, not raised, in the child
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _rdflib_timings(order: list[tuple[str, dict[str, Any]]], runs: int, deadline: float,
                    log: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    """rdflib's load and query timings from a child process stopped at ``deadline`` (a
    ``time.perf_counter`` value): rdflib is pure Python, a slow query cannot be interrupted."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_child, args=(child, str(ONTOLOGY), order, runs), daemon=True)
    proc.start()
    child.close()
    out: dict[str, Any] = {"load_s": None, "queries": {}, "stopped_in": None, "error": None}
    current = None
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0 or not parent.poll(min(left, 1.0)):
                if left <= 0:
                    out["stopped_in"] = current or "load"
                    break
                if not proc.is_alive() and not parent.poll():
                    break
                continue
            try:
                msg = parent.recv()
            except EOFError:
                break
            if msg[0] == "load":
                out["load_s"] = msg[1]
                log(f"kg: rdflib loaded in {msg[1]:.1f} s")
            elif msg[0] == "begin":
                current = msg[1]
            elif msg[0] == "query":
                out["queries"][msg[1]] = msg[2]
                current = None
            elif msg[0] == "error":
                out["error"] = msg[1]
                break
            elif msg[0] == "done":
                break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    return out


def run(
    budget_s: float = 75.0, runs: int = 21, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Everything within ``budget_s``: Oxigraph first (every query, up to ``runs`` timings each,
    at most ~2 s per query), the fork guard and a pathway search, then rdflib in a child process
    that is stopped when the budget is spent (its load alone takes ~12 s)."""
    from kg import find_paths, open_graph
    from kg.sparql import run_user_query

    started = time.perf_counter()
    deadline = started + budget_s - 2.0  # room to assemble the result

    # loading: oxigraph a few times (cheap)
    ox_loads = [_timed(lambda: open_graph(ONTOLOGY, store="oxigraph")) for _ in range(3)]
    graph = open_graph(ONTOLOGY, store="oxigraph")
    log(
        f"kg: loaded {graph.version['triples']} triples; oxigraph {statistics.median(ox_loads):.2f} s"
    )

    queries = []
    for query in graph.named_queries():
        params = _params(query)
        if params is not None:
            queries.append((query.name, params))

    results: list[dict[str, Any]] = []
    per_query = min(2.0, max(0.3, budget_s * 0.3 / max(1, len(queries))))
    for name, params in queries:  # oxigraph: all of them, up to N runs each within per_query
        rows = len(graph.query(name, **params))  # warm
        times = _time_runs(lambda n=name, p=params: graph.query(n, **p), runs, per_query)
        results.append({"query": name, "rows": rows, "runs": len(times),
                        "oxigraph_ms": statistics.median(times) * 1000,
                        "oxigraph_p95_ms": _p95(times) * 1000})  # fmt: skip

    # the fork that guards user SPARQL, and one pathway search
    simple = "SELECT ?s WHERE { ?s a <https://w3id.org/rongtong/ns#EducationStage> }"
    forked = _time_runs(lambda: graph.sparql(simple), 7, 3.0)
    inline = _time_runs(
        lambda: run_user_query(graph.backend.execute, simple, 10.0, 10000, isolate=False), 7, 1.0
    )
    voc, bachelor = RTD + "stage-secondary-vocational", RTD + "stage-bachelor"
    find_paths(graph, voc, bachelor)  # builds the route table and label index once
    paths = _time_runs(lambda: find_paths(graph, voc, bachelor), runs, 2.0)

    # rdflib, cheapest first by Oxigraph's time, in a child stopped at the deadline
    order = [
        (r["query"], dict(queries)[r["query"]])
        for r in sorted(results, key=lambda r: r["oxigraph_ms"])
    ]
    mem = _rdflib_timings(order, max(1, runs // 7), deadline, log)
    for entry in results:
        times = mem["queries"].get(entry["query"])
        if times:
            entry["rdflib_ms"] = statistics.median(times) * 1000
            entry["ratio"] = entry["rdflib_ms"] / max(entry["oxigraph_ms"], 1e-6)
        else:
            entry["rdflib_ms"] = None
            entry["note"] = (
                "rdflib stopped at the budget while running it"
                if mem["stopped_in"] == entry["query"]
                else "rdflib skipped (budget)"
            )

    ox_load = statistics.median(ox_loads)
    mem_load = mem["load_s"]
    figures = [
        {"figure": "load oxigraph (s)", "value": round(ox_load, 3), "unit": "s"},
        {"figure": "load rdflib memory (s)", "value": None if mem_load is None else round(mem_load, 3), "unit": "s",
         "note": "" if mem_load is not None else "not loaded within the budget"},
        {"figure": "load ratio rdflib/oxigraph", "value": None if mem_load is None else round(mem_load / ox_load, 1), "unit": "×"},
        {"figure": "user SPARQL with fork guard, median", "value": round(statistics.median(forked) * 1000, 2), "unit": "ms"},
        {"figure": "user SPARQL in-process, median", "value": round(statistics.median(inline) * 1000, 2), "unit": "ms"},
        {"figure": "find_paths 中职→本科, median", "value": round(statistics.median(paths) * 1000, 2), "unit": "ms"},
    ]  # fmt: skip
    for entry in results:
        figures.append({"figure": f"{entry['query']} oxigraph median", "value": round(entry["oxigraph_ms"], 3),
                        "unit": "ms", "note": f"{entry['rows']} rows, {entry['runs']} runs"})  # fmt: skip
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
    skipped = [e["query"] for e in results if e.get("rdflib_ms") is None]
    if skipped:
        figures.append({"figure": "rdflib queries not timed within the budget", "value": len(skipped), "unit": "",
                        "note": ", ".join(skipped)[:300]})  # fmt: skip
    if mem["error"]:
        figures.append({"figure": "rdflib child failed", "value": None, "note": mem["error"][:300]})
    return {
        "triples": graph.version["triples"],
        "hash": graph.version["hash"],
        "runs": runs,
        "budget_s": budget_s,
        "load_s": {
            "oxigraph": ox_load,
            "memory": mem_load,
            "ratio": None if mem_load is None else mem_load / ox_load,
        },  # fmt: skip
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
        f"graph: {result['triples']} triples ({result['hash']}), medians of up to {result['runs']} runs"
    )
    mem = (
        "not loaded" if load["memory"] is None else f"{load['memory']:.2f} s ({load['ratio']:.1f}×)"
    )
    print(f"load: oxigraph {load['oxigraph']:.2f} s, rdflib memory {mem}\n")
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
    parser.add_argument("--runs", type=int, default=21)
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
