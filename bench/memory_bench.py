"""Section 5, memory and cold start.

- Cold start, each in a fresh subprocess: ``create_app()`` (graph load, named queries, advisor:
  knowledge snapshot, alias table, search index, route table) with an empty index directory
  (first start: the index is built and saved) and then again with the same directory (cached).
  Reports the wall time from process spawn to a first answered chat turn, the phases, whether
  torch was imported, and RSS.
- Serving memory: the same child waits until the encoder is loaded, answers a few turns and
  reports RSS with the full graph, index and encoder in memory; then the production server
  (``rongtong serve``, process workers, preload) is started, warmed and its master and workers
  are measured (RSS, and PSS, which counts pages shared after the fork once).

    python -m bench.memory_bench
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.questions import questions
from bench.server import Server, http_json

__all__ = ["run", "cold_start"]

REPO = Path(__file__).resolve().parent.parent


def _status_mb(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def child(index_dir: str, turns: int, wait_encoder: float) -> int:
    """Start the app once, cold; JSON lines on stdout."""
    t0 = time.perf_counter()
    from web.app import create_app

    t_import = time.perf_counter()
    _emit({"event": "imported", "seconds": round(t_import - t0, 3), "rss_mb": _status_mb("VmRSS")})
    app = create_app({"INDEX_DIR": index_dir})
    t_app = time.perf_counter()
    st = app.extensions.get("rongtong")
    advisor = getattr(st, "advisor", None)
    graph = getattr(st, "graph", None)
    client = app.test_client()
    qs = questions(max(turns, 1))
    t = time.perf_counter()
    resp = client.post("/api/chat", json={"message": qs[0][0], "lang": qs[0][1]})
    first_ms = (time.perf_counter() - t) * 1000
    _emit({
        "event": "ready",
        "create_app_s": round(t_app - t_import, 3),
        "first_turn_ms": round(first_ms, 1),
        "first_status": resp.status_code,
        "to_first_answer_s": round(time.perf_counter() - t0, 3),
        "spawn_to_first_answer_s": round(time.time() - float(os.environ.get("BENCH_SPAWNED_AT", "nan")), 3),
        "graph_load_s": round(getattr(graph, "load_seconds", 0.0) or 0.0, 3),
        "triples": (getattr(graph, "version", None) or {}).get("triples"),
        "advisor_timings": getattr(advisor, "timings", None),
        "torch_imported": "torch" in sys.modules,
        "sentence_transformers_imported": "sentence_transformers" in sys.modules,
        "rss_mb": _status_mb("VmRSS"),
        "peak_rss_mb": _status_mb("VmHWM"),
    })  # fmt: skip
    # serving memory: wait for the encoder (loaded in a background thread), answer turns
    encoder = getattr(advisor, "encoder", None)
    waited = 0.0
    t = time.perf_counter()
    while encoder is not None and not getattr(encoder, "loaded", True) and waited < wait_encoder:
        time.sleep(0.1)
        waited = time.perf_counter() - t
    statuses = []
    for message, lang in qs[1:turns]:
        statuses.append(
            client.post("/api/chat", json={"message": message, "lang": lang}).status_code
        )
    _emit({
        "event": "serving",
        "encoder": getattr(encoder, "name", None),
        "encoder_loaded": bool(getattr(encoder, "loaded", True)),
        "encoder_wait_s": round(waited, 2),
        "turns": len(statuses),
        "non_200": sum(s != 200 for s in statuses),
        "torch_imported": "torch" in sys.modules,
        "rss_mb": _status_mb("VmRSS"),
        "peak_rss_mb": _status_mb("VmHWM"),
    })  # fmt: skip
    return 0


def cold_start(index_dir: str, deadline: float, turns: int = 30) -> dict[str, Any]:
    """One fresh-process start of the app; its events, with the wall time from spawn."""
    cmd = [sys.executable, "-m", "bench.memory_bench", "--child", "--index-dir", index_dir,
           "--turns", str(turns)]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RONGTONG_INDEX_DIR": index_dir,
           "BENCH_SPAWNED_AT": repr(time.time())}  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)  # fmt: skip
    out: dict[str, Any] = {}
    try:
        stdout, stderr = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        out["status"] = f"killed at the {deadline:.0f} s deadline"
    for line in stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        out[ev.pop("event")] = ev
    if proc.returncode not in (0, None) and "status" not in out:
        out["status"] = f"exit {proc.returncode}: {stderr[-800:]}"
    out.setdefault("status", "ok")
    out["wall_s"] = round(time.perf_counter() - started, 2)
    return out


def run(budget_s: float = 240.0, log: Any = None) -> dict[str, Any]:
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    started = time.perf_counter()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="rongtong-index-") as index_dir:
        deadline = max(60.0, budget_s * 0.45)
        out["cold_no_cache"] = cold_start(index_dir, deadline)
        r = out["cold_no_cache"]
        log(f"  cold start without index cache: {r.get('wall_s')} s wall ({r['status']}); "
            f"advisor {((r.get('ready') or {}).get('advisor_timings') or {}).get('total')}")  # fmt: skip
        remaining = budget_s - (time.perf_counter() - started)
        out["cold_cached"] = cold_start(index_dir, max(30.0, min(deadline, remaining * 0.5)))
        r = out["cold_cached"]
        log(f"  cold start with index cache: {r.get('wall_s')} s wall ({r['status']}), "
            f"RSS serving {(r.get('serving') or {}).get('rss_mb')} MB")  # fmt: skip
    remaining = budget_s - (time.perf_counter() - started)
    if remaining < 20:
        out["server"] = {"status": "skipped", "why": "section budget spent"}
        return out
    try:
        with Server(start_timeout=max(20.0, remaining - 10)) as server:
            failed = 0
            for message, lang in questions(40):
                try:
                    status, _, _ = http_json(server.url + "/api/chat", {"message": message, "lang": lang},
                                             timeout=10)  # fmt: skip
                except OSError:  # includes timeouts (a worker stuck on a lock inherited at fork)
                    status = 0
                failed += status != 200
            time.sleep(0.5)
            out["server"] = {"start_s": round(server.start_seconds or 0, 2), "failed_turns": failed,
                             **server.memory()}  # fmt: skip
            log(f"  production server after 40 turns: total PSS {out['server']['total_pss_mb']} MB, "
                f"max RSS {out['server']['max_rss_mb']} MB, {out['server']['workers']} workers")  # fmt: skip
    except RuntimeError as exc:
        out["server"] = {"status": "error", "why": str(exc)[-600:]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", default=None)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--wait-encoder", type=float, default=60.0)
    parser.add_argument("--budget", type=float, default=240.0)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.index_dir, args.turns, args.wait_encoder)
    json.dump(run(args.budget), sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
