"""Run chat cases (run_eval's JSONL format) against an Advisor in-process.

The checks are run_eval's own (``check_turn`` from ``../shared/eval/run_eval.py``, or the file named
by ``RONGTONG_RUN_EVAL``); a copy of the same logic is used only when that file is not present.
HTTP cases (``"request"``) need a server and are skipped here.

    python -m advisor.evalcases /work/shared/eval/dev.jsonl tests/chat_cases.jsonl [--encoder hash]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

__all__ = ["load_cases", "run_cases", "check_turn", "main"]

_DEFAULT_RUN_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "run_eval.py"


def _load_run_eval():
    path = Path(os.environ.get("RONGTONG_RUN_EVAL", _DEFAULT_RUN_EVAL))
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("rongtong_run_eval", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # pragma: no cover - fall back to the copy below
        return None
    return module


_RUN_EVAL = _load_run_eval()


def _searchable_text(reply: dict) -> str:  # same as run_eval.searchable_text
    parts = [str(reply.get("answer", ""))]
    for ent in reply.get("entities") or []:
        if isinstance(ent, dict):
            parts.append(str(ent.get("label", "")))
    for path in reply.get("pathways") or []:
        for step in (path.get("steps") if isinstance(path, dict) else None) or []:
            if isinstance(step, dict):
                for key in ("from", "to", "via"):
                    node = step.get(key)
                    if isinstance(node, dict):
                        parts.append(str(node.get("label", "")))
    return "\n".join(parts).lower()


def _check_turn_copy(turn, reply, status, elapsed, max_seconds):  # same as run_eval.check_turn
    problems = []
    if status != 200 or not isinstance(reply, dict):
        return [f"status {status}"]
    text = _searchable_text(reply)
    for group in turn.get("expect", []):
        if not any(word.lower() in text for word in group):
            problems.append(f"missing any of {group}")
    for word in turn.get("forbid", []):
        if word.lower() in text:
            problems.append(f"contains forbidden {word!r}")
    if turn.get("cite") and not reply.get("citations"):
        problems.append("no citations")
    if turn.get("intent") and reply.get("intent") not in turn["intent"]:
        problems.append(f"intent {reply.get('intent')!r} not in {turn['intent']}")
    if elapsed > max_seconds:
        problems.append(f"took {elapsed:.2f}s > {max_seconds}s")
    return problems


check_turn = _RUN_EVAL.check_turn if _RUN_EVAL is not None else _check_turn_copy


def load_cases(path: str | os.PathLike) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip() and not line.startswith("//")]


def run_cases(advisor, cases: list[dict], max_seconds: float = 5.0, verbose: bool = False):
    """Returns (passed, failed, failures: [(id, problems)], latencies in seconds)."""
    passed = failed = 0
    failures = []
    latencies = []
    for case in cases:
        if "turns" not in case:
            continue
        session_id = None
        problems = []
        for i, turn in enumerate(case["turns"]):
            started = time.perf_counter()
            reply = advisor.ask(turn["message"], session_id=session_id, lang=turn.get("lang"))
            elapsed = time.perf_counter() - started
            latencies.append(elapsed)
            body = json.loads(json.dumps(reply.to_json(), ensure_ascii=False))
            problems += [
                f"turn {i + 1}: {p}" for p in check_turn(turn, body, 200, elapsed, max_seconds)
            ]
            session_id = body.get("session_id") or session_id
            if verbose:
                print(f"--- {case['id']} turn {i + 1} [{reply.intent}] {elapsed * 1000:.1f} ms")
                print(reply.answer)
        if problems:
            failed += 1
            failures.append((case["id"], problems))
        else:
            passed += 1
    return passed, failed, failures, latencies


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--encoder", default=None)
    ap.add_argument("--index-dir", default=None)
    ap.add_argument("--ontology", default=None)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    from advisor import Advisor
    from kg import open_graph

    graph = open_graph(args.ontology)
    adv = Advisor(graph, encoder=args.encoder, index_dir=args.index_dir)
    adv.wait_ready()
    total_p = total_f = 0
    for path in args.cases:
        p, f, failures, lat = run_cases(adv, load_cases(path), verbose=args.verbose)
        total_p += p
        total_f += f
        for cid, probs in failures:
            print(f"FAIL {cid}: " + "; ".join(probs))
        lat.sort()
        if lat:
            print(
                f"{path}: {p}/{p + f} chat cases passed; "
                f"p50 {lat[len(lat) // 2] * 1000:.1f} ms, p95 {lat[min(len(lat) - 1, int(len(lat) * 0.95))] * 1000:.1f} ms"
            )
    print(f"{total_p} passed, {total_f} failed")
    return 0 if total_f == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
