"""Section 4, scale: the named queries on synthetic graphs of 1×, 10×, ~1M and 100× triples.

For each size the parent generates a real-shaped graph (``bench.synth``) into a temporary
directory, then starts one child process per store (``oxigraph``, and rdflib's ``memory`` where
it finishes in bounded time) which loads the file through kg's own backend, runs every named
query that takes parameters (read from ``ontology/queries/*.rq``, bound to the synthetic IRIs of
replica 0 — the example IRI of each ``# param:`` line first, then others of the same kind) and the
unanchored start-up queries once, and reports load time, p50/p95 per query and peak RSS
(``VmHWM`` of the child). Each child has a deadline; what it had reported by then is kept.

    python -m bench.scale_bench                 # all sizes
    python -m bench.scale_bench --sizes 1x,10x  # some
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import synth

__all__ = ["run", "SIZES", "pathway_queries", "bindings_for", "percentile"]

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "ontology" / "queries"

# label -> replicas (None: the replicas nearest 1M triples)
SIZES: dict[str, int | None] = {"1x": 1, "~1M": None, "10x": 10, "100x": 100}
# rdflib's memory store is run only up to this many triples (39 s to load 1M here, DESIGN.md)
RDFLIB_MAX_TRIPLES = 800_000
QUERY_REPS = {"oxigraph": 40, "memory": 10}
QUERY_BUDGET_S = {"oxigraph": 4.0, "memory": 3.0}  # per query, timed runs stop after this
CHILD_DEADLINE_S = {"oxigraph": 150.0, "memory": 75.0}
STARTUP_SIZES = ("1x", "~1M")  # unanchored start-up queries (oxigraph only) run at these sizes
BIG_MIN_LEFT_S = 150.0  # 100x starts only with this much of the section budget left
BLOWN_P50_MS = 300.0  # a query this slow at one size is not run at the larger ones
QUERY_STALL_S = 8.0  # one query run longer than this: the child is killed and restarted past it
RSS_KILL_MB = 6000

_EXAMPLE = re.compile(r"rtd:([A-Za-z0-9._-]+[A-Za-z0-9])")
_KIND_BY_PREFIX = {
    "stage": "stage", "prog": "programme", "occ": "occupation", "misc": "misconception",
    "class": "class", "cat": "category", "field": "field", "mech": "mechanism", "region": "region",
    "fact": "fact", "cred": "credential", "interest": "interest", "route": "route", "src": "source",
}  # fmt: skip
_KIND_BY_NAME = {
    "start": "stage", "from": "stage", "to": "stage", "stage": "stage", "entity": "stage",
    "programme": "programme", "program": "programme", "occupation": "occupation",
    "misconception": "misconception", "class": "class", "category": "category", "field": "field",
    "mechanism": "mechanism", "region": "region", "credential": "credential", "interest": "interest",
}  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# ------------------------------------------------------------------ queries and bindings


def _header(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(name, [(param, meaning)]) from a named query's comment header (kg's format)."""
    try:
        from kg.queries import parse_header

        name, _, params = parse_header(text, "")
        return name, [(p.name, p.meaning) for p in params]
    except ImportError:  # pragma: no cover - kg always ships queries.py
        name, params = "", []
        for line in text.splitlines():
            m = re.match(r"#\s*name:\s*(\S+)", line)
            if m:
                name = m.group(1)
            m = re.match(r"#\s*param:\s*\?(\w+)\s*[—–:-]*\s*(.*)", line)
            if m:
                params.append((m.group(1), m.group(2)))
        return name, params


def pathway_queries(
    directory: Path = QUERIES,
) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """({name: params} of the named queries that take parameters, [names of those that take none])."""
    with_params: dict[str, list[tuple[str, str]]] = {}
    unanchored: list[str] = []
    for path in sorted(directory.glob("*.rq")):
        name, params = _header(path.read_text(encoding="utf-8"))
        name = name or path.stem
        if params:
            with_params[name] = params
        else:
            unanchored.append(name)
    return with_params, unanchored


def _kind_of(param: str, meaning: str) -> tuple[str, str | None]:
    m = _EXAMPLE.search(meaning)
    if m:
        local = m.group(1)
        return _KIND_BY_PREFIX.get(local.split("-", 1)[0], "stage"), synth.RTD + local
    return _KIND_BY_NAME.get(param.lower(), "stage"), None


def bindings_for(
    params: list[tuple[str, str]], anchors: dict[str, list[str]], n: int = 20
) -> list[dict[str, str]]:
    """Up to n bindings for one query: the first required parameter (or the first one, when all
    are optional) cycles through IRIs of its kind, the example IRI first."""
    required = [p for p in params if "optional" not in p[1].lower()] or params[:1]
    out: list[dict[str, str]] = []
    name, meaning = required[0]
    kind, example = _kind_of(name, meaning)
    pool = list(anchors.get(kind, []))
    if example and example in pool:  # the example first (when the synthetic graph has it)
        pool.remove(example)
        pool.insert(0, example)
    elif example and not pool:
        pool = [example]
    if len(pool) > n:  # a deterministic spread over the kind, example first
        step = len(pool) / n
        pool = [pool[0]] + [pool[int(i * step)] for i in range(1, n)]
    others = required[1:]
    for iri in pool[:n]:
        binding = {name: iri}
        for other, other_meaning in others:
            okind, oexample = _kind_of(other, other_meaning)
            binding[other] = oexample or (anchors.get(okind) or [iri])[0]
        out.append(binding)
    return out


# ------------------------------------------------------------------ the child


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _open_backend(engine: str, path: Path) -> tuple[Any, str]:
    """A kg backend holding the file (kg's own classes when importable, else the raw stores)."""
    fmt_ox = "ttl" if path.suffix == ".ttl" else "nt"
    try:
        from kg.stores import MemoryBackend, OxigraphBackend

        if engine == "oxigraph":
            import pyoxigraph as ox

            backend = OxigraphBackend()
            fmt = ox.RdfFormat.TURTLE if fmt_ox == "ttl" else ox.RdfFormat.N_TRIPLES
            backend.store.load(path=str(path), format=fmt)
            return backend, "kg.stores.OxigraphBackend"
        backend = MemoryBackend()
        backend.graph.parse(str(path), format="turtle" if fmt_ox == "ttl" else "nt")
        return backend, "kg.stores.MemoryBackend"
    except ImportError:  # pragma: no cover - before kg lands
        raise


def child(args: argparse.Namespace) -> int:
    """Load one file into one store and time the queries; JSON lines on stdout."""
    from kg.queries import QueryLibrary

    spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
    base = rss_mb()
    _emit({"event": "start", "rss_mb": round(base, 1)})
    started = time.perf_counter()
    backend, via = _open_backend(args.engine, Path(args.file))
    load_s = time.perf_counter() - started
    _emit({"event": "loaded", "load_s": round(load_s, 3), "triples": backend.triple_count(),
           "rss_mb": round(rss_mb(), 1), "base_rss_mb": round(base, 1), "via": via})  # fmt: skip
    library = QueryLibrary.from_dir(Path(args.queries))
    if args.engine == "memory":  # rdflib: parse once, as kg does; pyoxigraph's select needs no
        t = time.perf_counter()  # prepared form (and its query() may evaluate, see run())
        library.prepare(backend)
        _emit({"event": "prepared", "seconds": round(time.perf_counter() - t, 3)})
    reps, budget = QUERY_REPS[args.engine], QUERY_BUDGET_S[args.engine]
    skip = set(filter(None, (args.skip or "").split(",")))
    for name, bindings in spec["queries"].items():
        if name in skip:
            continue
        _emit({"event": "begin", "query": name})
        query = library.get(name)
        prepared = library.prepared(name)
        times: list[float] = []
        rows: list[int] = []
        spent = 0.0
        warm = min(3, len(bindings))
        try:
            for i in range(reps + warm):
                binding = library.bindings(name, bindings[i % len(bindings)])
                t = time.perf_counter()
                result = backend.select(query.text, binding, prepared)
                dt = time.perf_counter() - t
                if i >= warm or dt > budget:
                    times.append(dt * 1000)
                    rows.append(len(result))
                spent += dt
                if spent > budget:
                    break
        except Exception as exc:  # a query the store cannot run is a finding, not a crash
            _emit(
                {
                    "event": "query-error",
                    "query": name,
                    "error": f"{type(exc).__name__}: {exc}"[:300],
                }
            )
            continue
        _emit({"event": "query", "query": name, "n": len(times),
               "p50_ms": round(statistics.median(times), 3), "p95_ms": round(percentile(times, 95), 3),
               "max_ms": round(max(times), 3), "rows_median": statistics.median(rows),
               "rows_max": max(rows), "budget_hit": spent > budget})  # fmt: skip
    _emit(
        {
            "event": "queries-done",
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "rss_mb": round(rss_mb(), 1),
        }
    )
    for name in spec.get("startup", []):
        if name in skip:
            continue
        _emit({"event": "begin", "query": name})
        query = library.get(name)
        t = time.perf_counter()
        try:
            result = backend.select(query.text, {}, library.prepared(name))
        except Exception as exc:
            _emit(
                {
                    "event": "query-error",
                    "query": name,
                    "error": f"{type(exc).__name__}: {exc}"[:300],
                }
            )
            continue
        _emit({"event": "startup-query", "query": name, "ms": round((time.perf_counter() - t) * 1000, 1),
               "rows": len(result), "peak_rss_mb": round(peak_rss_mb(), 1)})  # fmt: skip
        del result
    _emit({"event": "done", "peak_rss_mb": round(peak_rss_mb(), 1)})
    return 0


# ------------------------------------------------------------------ the parent


def _child_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_child_once(
    engine: str, path: Path, spec: Path, deadline: float, skip: set[str]
) -> tuple[list[dict[str, Any]], str | None]:
    """One child run; returns its events and the query it stalled on (None if it finished).

    The child is killed when one query runs longer than QUERY_STALL_S, when its RSS passes
    RSS_KILL_MB, or at the deadline."""
    cmd = [sys.executable, "-m", "bench.scale_bench", "--child", "--engine", engine,
           "--file", str(path), "--spec", str(spec), "--queries", str(QUERIES),
           "--skip", ",".join(sorted(skip))]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)  # fmt: skip
    assert proc.stdout is not None
    events: list[dict[str, Any]] = []
    started = last = time.perf_counter()
    current: str | None = None
    killed: str | None = None
    buf = ""
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], 0.25)
        if ready:
            chunk = proc.stdout.read()
            if chunk:
                buf += chunk
                *lines, buf = buf.split("\n")
                for line in lines:
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        continue
                    events.append(ev)
                    last = time.perf_counter()
                    current = ev.get("query") if ev.get("event") == "begin" else None
            elif proc.poll() is not None:
                break
        if proc.poll() is not None and not ready:
            break
        now = time.perf_counter()
        why = None
        if now - started > deadline:
            why = f"deadline {deadline:.0f} s"
        elif current and now - last > QUERY_STALL_S:
            why = f"one run took over {QUERY_STALL_S:.0f} s"
        elif _child_rss_mb(proc.pid) > RSS_KILL_MB:
            why = f"RSS over {RSS_KILL_MB} MB"
        if why:
            proc.kill()
            proc.wait()
            killed = why
            break
    err = proc.stderr.read() if proc.stderr else ""
    if killed:
        events.append({"event": "killed", "query": current, "why": killed})
        return events, current or ""
    if proc.returncode != 0:
        events.append({"event": "error", "returncode": proc.returncode, "stderr": err[-1500:]})
    return events, None


def _run_child(engine: str, path: Path, spec: Path, deadline: float) -> list[dict[str, Any]]:
    """Run the child, restarting it past any query that stalled (that query is marked)."""
    started = time.perf_counter()
    skip: set[str] = set()
    events: list[dict[str, Any]] = []
    for _ in range(6):
        remaining = deadline - (time.perf_counter() - started)
        if remaining < 10:
            events.append({"event": "timeout", "deadline_s": deadline})
            break
        run_events, stalled = _run_child_once(engine, path, spec, remaining, skip)
        if events:  # a restart: keep only the first load's figures
            run_events = [
                e for e in run_events if e.get("event") not in ("start", "loaded", "prepared")
            ]
        events.extend(run_events)
        if stalled is None:
            break
        if not stalled:  # killed outside a query (during the load)
            break
        skip |= {
            e["query"]
            for e in events
            if e.get("event") in ("query", "startup-query", "query-error")
        }
        skip.add(stalled)
    return events


def _summarise(events: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"queries": {}, "startup_queries": {}}
    for ev in events:
        kind = ev.get("event")
        if kind == "loaded":
            out.update(load_s=ev["load_s"], triples=ev["triples"], rss_after_load_mb=ev["rss_mb"],
                       base_rss_mb=ev["base_rss_mb"], via=ev["via"])  # fmt: skip
        elif kind == "query":
            out["queries"][ev["query"]] = {
                k: v for k, v in ev.items() if k not in ("event", "query")
            }
        elif kind == "queries-done":
            out["peak_rss_mb"] = ev["peak_rss_mb"]
        elif kind == "startup-query":
            out["startup_queries"][ev["query"]] = {"ms": ev["ms"], "rows": ev["rows"]}
            out["peak_rss_with_startup_mb"] = ev["peak_rss_mb"]
        elif kind == "query-error":
            out["queries"][ev["query"]] = {"error": ev["error"]}
        elif kind == "killed" and ev.get("query"):
            out["queries"][ev["query"]] = {"killed": ev["why"]}
        elif kind in ("timeout", "error", "killed"):
            out["status"] = kind
            out["detail"] = ev
    timed = {k: q for k, q in out["queries"].items() if "p95_ms" in q}
    if timed:
        out["worst_p95_ms"] = max(q["p95_ms"] for q in timed.values())
        out["worst_query"] = max(timed, key=lambda k: timed[k]["p95_ms"])
        out["median_p50_ms"] = round(statistics.median(q["p50_ms"] for q in timed.values()), 3)
    out.setdefault("status", "ok")
    return out


def run(
    sizes: list[str] | None = None,
    engines: tuple[str, ...] = ("oxigraph", "memory"),
    budget_s: float = 420.0,
    log: Any = None,
) -> dict[str, Any]:
    """Run the scale section; returns the JSON-able results."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    started = time.perf_counter()
    sizes = sizes or list(SIZES)
    per_replica = synth.triples_per_replica()
    with_params, unanchored = pathway_queries()
    results: dict[str, Any] = {"per_replica_triples": per_replica, "sizes": {},
                               "queries": sorted(with_params), "startup_queries": unanchored}  # fmt: skip
    blown_by_engine: dict[str, dict[str, str]] = {}  # queries too slow to run at larger sizes
    tmp = Path(tempfile.mkdtemp(prefix="rongtong-synth-"))
    try:
        for label in sizes:
            replicas = SIZES.get(label) or synth.replicas_for_triples(1_000_000)
            left = budget_s - (time.perf_counter() - started)
            need = BIG_MIN_LEFT_S if replicas >= 50 else 20.0
            if left < need:
                results["sizes"][label] = {
                    "status": "skipped",
                    "why": f"{left:.0f} s of the section's {budget_s:.0f} s budget left, {need:.0f} s needed"
                    " (run it alone: python -m bench.scale_bench --sizes 100x --budget 400)",
                }
                continue
            path = tmp / f"synth-{label.strip('~')}.ttl"
            t = time.perf_counter()
            triples, anchors = synth.write_synth(path, replicas)
            gen_s = time.perf_counter() - t
            log(
                f"  scale {label}: {replicas} replicas, {triples:,} triples written in {gen_s:.1f} s"
            )
            spec = {"queries": {name: bindings_for(params, anchors) for name, params in with_params.items()},
                    "startup": unanchored if label in STARTUP_SIZES else []}  # fmt: skip
            spec_path = tmp / f"spec-{label.strip('~')}.json"
            spec_path.write_text(json.dumps(spec), encoding="utf-8")
            entry: dict[str, Any] = {"replicas": replicas, "triples_written": triples,
                                     "generate_s": round(gen_s, 2), "file_mb": round(path.stat().st_size / 1e6, 1),
                                     "engines": {}}  # fmt: skip
            for engine in engines:
                if engine == "memory" and triples > RDFLIB_MAX_TRIPLES:
                    entry["engines"][engine] = {
                        "status": "skipped",
                        "why": f"rdflib memory store not run above {RDFLIB_MAX_TRIPLES:,} triples "
                        "(about 39 s and 1.3 GB to load 1M, DESIGN.md)",
                    }
                    continue
                remaining = budget_s + 60 - (time.perf_counter() - started)
                deadline = max(20.0, min(CHILD_DEADLINE_S[engine], remaining))
                blown = blown_by_engine.setdefault(engine, {})
                engine_spec = dict(
                    spec, queries={k: v for k, v in spec["queries"].items() if k not in blown}
                )
                engine_spec["startup"] = [q for q in spec["startup"] if q not in blown]
                if engine == "memory":  # rdflib's start-up queries take tens of seconds; not run
                    engine_spec["startup"] = []
                spec_path.write_text(json.dumps(engine_spec), encoding="utf-8")
                t = time.perf_counter()
                summary = _summarise(_run_child(engine, path, spec_path, deadline))
                for name, why in blown.items():
                    if name in spec["queries"] or name in spec["startup"]:
                        summary["queries"][name] = {"skipped": why}
                for name, q in summary["startup_queries"].items():  # slow at one size: not again
                    if q.get("ms", 0) > BLOWN_P50_MS * 3:
                        blown[name] = f"not run: {q['ms'] / 1000:.1f} s at {label}"
                for name, q in summary["queries"].items():
                    if name in blown:
                        continue
                    if "killed" in q or "error" in q:
                        blown[name] = f"not run: {q.get('killed') or 'failed'} at {label}"
                    elif q.get("p50_ms", 0) > BLOWN_P50_MS:
                        blown[name] = f"not run: p50 {q['p50_ms'] / 1000:.1f} s at {label}"
                summary["wall_s"] = round(time.perf_counter() - t, 1)
                entry["engines"][engine] = summary
                log(f"    {engine}: load {summary.get('load_s', '?')} s, worst p95 "
                    f"{summary.get('worst_p95_ms', '?')} ms ({summary.get('worst_query', '?')}), "
                    f"peak RSS {summary.get('peak_rss_mb', '?')} MB, {summary['status']}")  # fmt: skip
            results["sizes"][label] = entry
            path.unlink(missing_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=("oxigraph", "memory"), default="oxigraph")
    parser.add_argument("--file")
    parser.add_argument("--spec")
    parser.add_argument("--queries", default=str(QUERIES))
    parser.add_argument("--skip", default="", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", default=",".join(SIZES), help="comma-separated: " + ",".join(SIZES)
    )
    parser.add_argument("--engines", default="oxigraph,memory")
    parser.add_argument("--budget", type=float, default=420.0, help="seconds for the whole section")
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    res = run([s.strip() for s in args.sizes.split(",") if s.strip()],
              tuple(e.strip() for e in args.engines.split(",") if e.strip()), args.budget)  # fmt: skip
    json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
