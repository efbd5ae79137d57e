"""``make bench`` = ``python -m bench``: every benchmark section, bounded in time, one table.

Sections (each runs in its own subprocess with a time budget; one that fails or overruns is
reported as such and the rest still run):

1. ``kg``      — graph load and each named query on the shipped graph, rdflib vs the default store
                 (``bench/kg_bench.py``)
2. ``advisor`` — chat-turn latency through ``Advisor.ask`` (``bench/advisor_bench.py``)
3. ``http``    — the production server: sequential chat latency, ``/api/chat`` and ``/sparql``
                 throughput with wrk (``bench/http_bench.py``)
4. ``scale``   — named queries on synthetic graphs of 1×, 10×, ~1M and 100× triples
                 (``bench/scale_bench.py``, graphs from ``bench/synth.py``)
5. ``memory``  — cold start with and without the index cache, RSS of a serving process
                 (``bench/memory_bench.py``)

Prints the table of figures against the targets of issue 6 and writes everything to
``bench/results/latest.json`` (git-ignored). The whole run stays under 10 minutes.

    python -m bench                          # all sections
    python -m bench --sections http,memory   # some
    python -m bench --quick                  # smaller scale sizes and shorter HTTP runs
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import inspect
import json
import os
import platform
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

# name -> (module, title, budget in seconds)
SECTIONS: dict[str, tuple[str, str, float]] = {
    "kg": ("bench.kg_bench", "1. graph load and named queries (shipped graph)", 75.0),
    "advisor": ("bench.advisor_bench", "2. chat turn latency (in-process)", 90.0),
    "http": ("bench.http_bench", "3. HTTP throughput (production server)", 100.0),
    "scale": ("bench.scale_bench", "4. scale (synthetic graphs)", 210.0),
    "memory": ("bench.memory_bench", "5. memory and cold start", 150.0),
}
TOTAL_BUDGET_S = 570.0  # under 10 minutes, with room for start-up and printing

PATHWAY_HINTS = ("route", "transfer", "next-level", "path")


# ------------------------------------------------------------------ running one section


def _call_run(module: Any, budget: float, options: dict[str, Any]) -> Any:
    """Call ``module.run`` with whichever of our keyword arguments it accepts."""
    run = module.run
    params = inspect.signature(run).parameters
    offer = {"budget_s": budget, "budget": budget, "log": _log, **options}
    kwargs = {k: v for k, v in offer.items() if k in params}
    return run(**kwargs)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def section_child(name: str, budget: float, out: str, options: dict[str, Any]) -> int:
    module = importlib.import_module(SECTIONS[name][0])
    result = _call_run(module, budget, options)
    Path(out).write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


def run_section(name: str, budget: float, options: dict[str, Any]) -> dict[str, Any]:
    """Run one section in a subprocess, killed at its budget plus a grace period."""
    module_name = SECTIONS[name][0]
    if importlib.util.find_spec(module_name) is None:
        return {"status": "missing", "why": f"{module_name} does not exist yet"}
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    cmd = [sys.executable, "-m", "bench", "--child-section", name, "--budget", str(budget),
           "--out", out, "--options", json.dumps(options)]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE, start_new_session=True)
    grace = 45.0
    tail: list[str] = []
    try:
        assert proc.stderr is not None
        deadline = started + budget + grace
        fd = proc.stderr.fileno()
        buf = ""
        while proc.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            buf += os.read(fd, 65536).decode("utf-8", "replace")
            *lines, buf = buf.split("\n")
            for line in lines:
                _log(line)
                tail = (tail + [line])[-20:]
        if proc.poll() is None:
            os.killpg(proc.pid, 9)  # our own session: the section and anything it started
            proc.wait()
            return {"status": "killed", "why": f"over its budget of {budget:.0f} s (+{grace:.0f} s)",
                    "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
        rest = (buf + proc.stderr.read().decode("utf-8", "replace")).splitlines()
        for line in rest:
            _log(line)
        tail = (tail + rest)[-20:]
        seconds = round(time.perf_counter() - started, 1)
        if proc.returncode != 0:
            return {"status": "error", "returncode": proc.returncode, "stderr_tail": tail,
                    "seconds": seconds}  # fmt: skip
        try:
            result = json.loads(Path(out).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return {"status": "error", "why": f"no result: {exc}", "seconds": seconds}
        if not isinstance(result, dict):
            result = {"result": result}
        result.setdefault("status", "ok")
        result["seconds"] = seconds
        return result
    finally:
        Path(out).unlink(missing_ok=True)


# ------------------------------------------------------------------ the machine


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform()}  # fmt: skip
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["loadavg_start"] = _loadavg()
    for pkg in ("rdflib", "pyoxigraph", "faiss", "flask", "gunicorn"):
        try:
            from importlib.metadata import version

            info[pkg] = version("faiss-cpu" if pkg == "faiss" else pkg)
        except Exception:  # noqa: BLE001 - a missing package is just not listed
            continue
    try:
        info["wrk"] = subprocess.run(["wrk", "--version"], capture_output=True, text=True,
                                     timeout=5).stdout.split("\n")[0].strip() or "present"  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        info["wrk"] = None
    return info


def _loadavg() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


# ------------------------------------------------------------------ the table

Row = dict[str, Any]


def _row(section: str, figure: str, value: Any, unit: str = "", target: str = "",
         ok: bool | None = None, note: str = "") -> Row:  # fmt: skip
    return {"section": section, "figure": figure, "value": value, "unit": unit, "target": target,
            "ok": ok, "note": note}  # fmt: skip


def _missed(value: float, limit: float, higher_is_better: bool = False) -> str:
    if higher_is_better:
        return f"{limit / value:.1f}× short" if value else "no figure"
    return f"{value / limit:.1f}× over" if limit else ""


def _check(value: Any, limit: float, higher_is_better: bool = False) -> tuple[bool | None, str]:
    if not isinstance(value, (int, float)):
        return None, ""
    ok = value >= limit if higher_is_better else value <= limit
    return ok, "" if ok else _missed(float(value), limit, higher_is_better)


def _generic_rows(section: str, result: dict[str, Any]) -> list[Row]:
    """Rows a section reports itself (``figures``/``rows``), else its numeric leaves."""
    for key in ("figures", "rows", "table"):
        items = result.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            rows = []
            for item in items:
                name = item.get("figure") or item.get("name") or item.get("metric") or "?"
                rows.append(_row(section, str(name), item.get("value"), item.get("unit", ""),
                                 str(item.get("target", "") or ""), item.get("ok"),
                                 str(item.get("note", "") or "")))  # fmt: skip
            return rows
    rows: list[Row] = []

    def walk(prefix: str, value: Any) -> None:
        if len(rows) >= 40:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif (
            isinstance(value, (int, float)) and not isinstance(value, bool) and prefix != "seconds"
        ):
            rows.append(_row(section, prefix, value))

    walk("", result)
    return rows


def _kg_rows(res: dict[str, Any]) -> list[Row]:
    rows = _generic_rows("1 kg", res)
    try:
        from bench.scale_bench import pathway_queries

        anchored, _ = pathway_queries()
    except Exception:  # noqa: BLE001 - without the list every p95 is judged
        anchored = {}
    for row in rows:  # judge the anchored named queries' p95 on the default store: ≤ 5 ms
        name = row["figure"].lower()
        query = row["figure"].split(" ")[0]
        if row["ok"] is None and "p95" in name and "memory" not in name and "rdflib" not in name:
            if anchored and query not in anchored:
                row["note"] = (
                    row["note"] + "; " if row["note"] else ""
                ) + "whole graph (start-up), no target"
                continue
            row["target"] = "≤ 5 ms"
            row["ok"], note = _check(row["value"], 5.0)
            row["note"] = "; ".join(x for x in (row["note"], note) if x)
    return rows


def _advisor_rows(res: dict[str, Any]) -> list[Row]:
    s = "2 advisor"
    if not any(k in res for k in ("new_questions", "repeated_questions")):
        rows = _generic_rows(s, res)
        for row in rows:
            name = row["figure"].lower()
            if row["ok"] is None and "p95" in name and ("ask" in name or "turn" in name):
                row["target"] = "≤ 20 ms"
                row["ok"], row["note"] = _check(row["value"], 20.0)
        return rows
    rows = []
    for key, label in (("new_questions", "new questions (encoder cache cold)"),
                       ("repeated_questions", "same questions again (cached)")):  # fmt: skip
        r = res.get(key)
        if not r:
            continue
        ok, note = _check(r.get("p95_ms"), 20.0)
        slow = sorted((r.get("by_intent_p95_ms") or {}).items(), key=lambda kv: -kv[1])[:3]
        rows.append(
            _row(s, f"Advisor.ask, {label}, {r.get('turns')} turns: p50", r.get("p50_ms"), "ms")
        )
        rows.append(_row(s, "Advisor.ask p95", r.get("p95_ms"), "ms", "≤ 20 ms", ok,
                         (note + "; " if note else "") + f"p99 {r.get('p99_ms')} ms; encoder calls "
                         f"{r.get('encoder_calls')}; slowest intents (p95): "
                         + ", ".join(f"{k} {v}" for k, v in slow)))  # fmt: skip
    rows.append(_row(s, "graph load + Advisor() with cached index (in-process)",
                     round((res.get("graph_load_s") or 0) + (res.get("advisor_init_s") or 0), 2), "s",
                     note=f"graph {res.get('graph_load_s')} s, advisor {res.get('advisor_init_s')} s, "
                     f"encoder {res.get('encoder')} load {res.get('encoder_load_s')} s"))  # fmt: skip
    return rows


def _http_rows(res: dict[str, Any]) -> list[Row]:
    s = "3 http"
    rows = []
    seq = res.get("sequential_chat") or {}
    if seq:
        ok, note = _check(seq.get("p95_ms"), 30.0)
        rows.append(_row(s, f"chat turn over HTTP, sequential, warm ({seq.get('turns')} turns) p50",
                         seq.get("p50_ms"), "ms"))  # fmt: skip
        rows.append(
            _row(s, "chat turn over HTTP p95", seq.get("p95_ms"), "ms", "≤ 30 ms", ok, note)
        )
        rows.append(_row(s, "chat turn over HTTP p99", seq.get("p99_ms"), "ms"))
    warm = res.get("warmup") or {}
    failed = (warm.get("non_200") or 0) + (seq.get("non_200") or 0)
    if warm:
        rows.append(_row(s, f"chat turns failed or timed out (10 s) in warm-up + sequential "
                            f"({warm.get('turns', 0) + seq.get('turns', 0)} turns)", failed, "", "0",
                         failed == 0))  # fmt: skip
    for name, label in (("chat", "POST /api/chat"), ("sparql", "GET /sparql (small SELECT)")):
        r = res.get(name) or {}
        if not r:
            continue
        if "rps" not in r:
            rows.append(
                _row(s, f"{label} throughput", None, "", note=str(r.get("error", ""))[:120])
            )
            continue
        conc = f"{res.get('connections')} conns, {res.get('duration_s'):.0f} s"
        if name == "chat":
            ok, note = _check(r["rps"], 300.0, higher_is_better=True)
            errors_ok = r.get("errors") == 0
            rows.append(
                _row(s, f"{label} throughput ({conc})", r["rps"], "req/s", "≥ 300", ok, note)
            )
            rows.append(_row(s, f"{label} non-2xx + socket errors", r.get("errors"), "", "0",
                             errors_ok, "" if errors_ok else f"{r.get('non_2xx')} non-2xx, "
                             f"{r.get('socket_errors')} socket"))  # fmt: skip
        else:
            rows.append(_row(s, f"{label} throughput ({conc})", r["rps"], "req/s"))
            rows.append(_row(s, f"{label} non-2xx + socket errors", r.get("errors"), ""))
        rows.append(_row(s, f"{label} latency under load p50 / p99",
                         f"{r.get('p50_ms')} / {r.get('p99_ms')}", "ms"))  # fmt: skip
    srv = res.get("server") or {}
    if srv.get("start_s") is not None:
        rows.append(_row(s, "server start to healthy (" + srv.get("command", "").split(" serve")[0]
                         .rsplit("/", 1)[-1] + " serve)", srv["start_s"], "s"))  # fmt: skip
    return rows


def _is_pathway(name: str) -> bool:
    return any(h in name for h in PATHWAY_HINTS)


def _scale_rows(res: dict[str, Any]) -> list[Row]:
    s = "4 scale"
    rows = []
    for label, entry in (res.get("sizes") or {}).items():
        if entry.get("status") == "skipped":
            rows.append(_row(s, f"{label}", None, note=entry.get("why", "")))
            continue
        tri = entry.get("triples_written")
        for engine, r in (entry.get("engines") or {}).items():
            tag = f"{label} ({tri:,} triples) {'oxigraph' if engine == 'oxigraph' else 'rdflib'}"
            if r.get("status") == "skipped":
                rows.append(_row(s, tag, None, note=r.get("why", "")))
                continue
            queries = r.get("queries") or {}
            path_q = {k: v for k, v in queries.items() if _is_pathway(k) and "p95_ms" in v}
            not_done = {k: v for k, v in queries.items() if "p95_ms" not in v}
            worst_path = max(path_q.items(), key=lambda kv: kv[1]["p95_ms"], default=None)
            big = label == "~1M"
            rows.append(_row(s, f"{tag}: load", r.get("load_s"), "s"))
            if worst_path:
                limit = 100.0 if big and engine == "oxigraph" else None
                ok, note = _check(worst_path[1]["p95_ms"], limit) if limit else (None, "")
                untimed = sorted(k for k in not_done if _is_pathway(k))
                if untimed and limit:  # a pathway query too slow to time is a miss, not a pass
                    ok, note = False, f"not timed (too slow): {', '.join(untimed)}"
                rows.append(_row(s, f"{tag}: pathway queries, worst p95 of those timed", worst_path[1]["p95_ms"],
                                 "ms", "≤ 100 ms" if limit else "", ok,
                                 f"{worst_path[0]}" + (f"; {note}" if note else "")))  # fmt: skip
            if r.get("worst_p95_ms") is not None:
                rows.append(_row(s, f"{tag}: all anchored named queries, median p50 / worst p95",
                                 f"{r.get('median_p50_ms')} / {r.get('worst_p95_ms')}", "ms",
                                 note=str(r.get("worst_query", ""))))  # fmt: skip
            if not_done:
                rows.append(_row(s, f"{tag}: queries not timed", len(not_done), "",
                                 note="; ".join(f"{k}: {next(iter(v.values()))}" for k, v in not_done.items())[:300]))  # fmt: skip
            peak = r.get("peak_rss_mb")
            if peak is not None:
                ok, note = _check(peak, 1536.0) if big and engine == "oxigraph" else (None, "")
                rows.append(_row(s, f"{tag}: peak RSS (load + queries)", peak, "MB",
                                 "≤ 1.5 GB" if big and engine == "oxigraph" else "", ok, note))  # fmt: skip
            if r.get("status") not in (None, "ok"):
                rows.append(
                    _row(s, f"{tag}: status", r.get("status"), note=str(r.get("detail", ""))[:200])
                )
    return rows


def _memory_rows(res: dict[str, Any]) -> list[Row]:
    s = "5 memory"
    rows = []
    for key, label, limit in (("cold_cached", "cold start, cached index", 3.0),
                              ("cold_no_cache", "first start, no index cache", 60.0)):  # fmt: skip
        r = res.get(key) or {}
        ready = r.get("ready") or {}
        value = ready.get("spawn_to_first_answer_s")
        if value is None:
            rows.append(_row(s, f"{label}: spawn → first answer", None, "s", f"≤ {limit:.0f} s", False,
                             str(r.get("status", ""))[:200]))  # fmt: skip
            continue
        ok, note = _check(value, limit)
        timings = ready.get("advisor_timings") or {}
        detail = (f"import {r.get('imported', {}).get('seconds')} s, graph {ready.get('graph_load_s')} s, "
                  f"advisor {round(timings.get('total', 0) or 0, 2)} s (index {round(timings.get('index', 0) or 0, 2)} s), "
                  f"torch imported: {ready.get('torch_imported')}")  # fmt: skip
        rows.append(_row(s, f"{label}: spawn → first answer", value, "s", f"≤ {limit:.0f} s", ok,
                         (note + "; " if note else "") + detail))  # fmt: skip
    serving = (res.get("cold_cached") or {}).get("serving") or {}
    if serving:
        rows.append(_row(s, "in-process app RSS, graph + index + encoder loaded", serving.get("rss_mb"), "MB",
                         note=f"encoder {serving.get('encoder')} loaded: {serving.get('encoder_loaded')}"))  # fmt: skip
    srv = res.get("server") or {}
    if srv.get("total_pss_mb") is not None:
        procs = srv.get("processes") or {}
        rows.append(_row(s, f"production server ({srv.get('workers')} workers) total PSS", srv["total_pss_mb"], "MB",
                         note=", ".join(f"{k} RSS {v.get('rss_mb')}" for k, v in procs.items())))  # fmt: skip
    elif srv:
        rows.append(_row(s, "production server memory", None, note=str(srv.get("why", ""))[:200]))
    return rows


ROWS = {"kg": _kg_rows, "advisor": _advisor_rows, "http": _http_rows, "scale": _scale_rows,
        "memory": _memory_rows}  # fmt: skip


def build_table(sections: dict[str, dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for name in SECTIONS:
        res = sections.get(name)
        if res is None:
            continue
        if res.get("status") not in ("ok", None):
            rows.append(_row(name, "section " + str(res.get("status")), None,
                             note=str(res.get("why") or res.get("stderr_tail", ""))[-300:]))  # fmt: skip
            if res.get("status") != "ok" and len(res) <= 5:
                continue
        try:
            rows.extend(ROWS[name](res))
        except Exception as exc:  # noqa: BLE001 - a table bug must not lose the results
            rows.append(_row(name, "table error", None, note=f"{type(exc).__name__}: {exc}"))
    return rows


def format_table(rows: list[Row]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return "—"
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    header = ["section", "figure", "value", "target", "", "note"]
    body = []
    for r in rows:
        verdict = {True: "ok", False: "MISS", None: ""}[r["ok"]]
        value = cell(r["value"]) + (f" {r['unit']}" if r["unit"] and r["value"] is not None else "")
        body.append([r["section"], r["figure"], value, r["target"], verdict, r["note"]])
    widths = [max(len(str(x[i])) for x in [header, *body]) for i in range(5)]
    lines = []
    for line in [header, ["-" * w for w in widths] + ["----"], *body]:
        lines.append(
            "  ".join(
                str(c).ljust(widths[i]) if i < 5 else str(c) for i, c in enumerate(line)
            ).rstrip()
        )
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    out = ["| section | figure | value | target | | note |", "|---|---|---|---|---|---|"]
    for r in rows:
        value = (
            "—"
            if r["value"] is None
            else (f"{r['value']:,}" if isinstance(r["value"], int) else str(r["value"]))
        )
        value += f" {r['unit']}" if r["unit"] and r["value"] is not None else ""
        verdict = {True: "ok", False: "**miss**", None: ""}[r["ok"]]
        note = str(r["note"]).replace("|", "\\|")
        out.append(
            f"| {r['section']} | {r['figure']} | {value} | {r['target']} | {verdict} | {note} |"
        )
    return "\n".join(out)


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run every benchmark section."
    )
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS)
    )
    parser.add_argument("--quick", action="store_true", help="scale up to ~1M only; 8 s HTTP runs")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"))
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--child-section", help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_section:
        return section_child(args.child_section, args.budget, args.out, json.loads(args.options))

    names = [n.strip() for n in args.sections.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    options: dict[str, dict[str, Any]] = {name: {} for name in names}
    if args.quick:
        options.get("scale", {}).update(sizes=["1x", "10x", "~1M"])
        options.get("http", {}).update(duration=8.0)
    started = time.perf_counter()
    report: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "make bench  (= .venv/bin/python -m bench"
        + (" " + " ".join(argv or sys.argv[1:])).rstrip()
        + ")",
        "machine": machine(),
        "sections": {},
    }
    _log(f"rongtong bench — {report['machine'].get('nproc')} cores, {report['machine'].get('cpu')}, "
         f"{report['machine'].get('ram_gb')} GB RAM, load {report['machine'].get('loadavg_start')}")  # fmt: skip
    names = [n for n in names if importlib.util.find_spec(SECTIONS[n][0]) is not None] + [
        n for n in names if importlib.util.find_spec(SECTIONS[n][0]) is None
    ]
    present = {n for n in names if importlib.util.find_spec(SECTIONS[n][0]) is not None}
    planned = sum(SECTIONS[n][2] for n in present)
    for name in names:
        module, title, budget = SECTIONS[name]
        spent = time.perf_counter() - started
        left = TOTAL_BUDGET_S - spent
        # a section gets its own budget, scaled down if the run so far has overrun
        share = budget if planned <= TOTAL_BUDGET_S else budget * TOTAL_BUDGET_S / planned
        budget_now = max(
            0.0,
            min(
                share,
                left
                - sum(SECTIONS[n][2] for n in names[names.index(name) + 1 :] if n in present) * 0.5,
            ),
        )
        if budget_now < 15:
            report["sections"][name] = {
                "status": "skipped",
                "why": f"total budget: {left:.0f} s left",
            }
            continue
        _log(f"\n== {title} — budget {budget_now:.0f} s")
        report["sections"][name] = run_section(name, budget_now, options.get(name, {}))
        _log(
            f"   ({report['sections'][name].get('seconds', '?')} s, {report['sections'][name].get('status')})"
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["machine"]["loadavg_end"] = _loadavg()
    rows = build_table(report["sections"])
    report["table"] = rows
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    m = report["machine"]
    print(f"\nRongtong benchmarks, {report['date']}; {m.get('nproc')} cores ({m.get('cpu')}), "
          f"{m.get('ram_gb')} GB RAM; load average {m.get('loadavg_start')} → {m.get('loadavg_end')}; "
          f"{report['seconds']:.0f} s in all\n")  # fmt: skip
    print(format_table(rows))
    if args.markdown:
        print("\n" + markdown_table(rows))
    print(f"\nwritten: {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
