"""bench/kg_bench.py keeps to its time budget: rdflib runs in a child stopped at the deadline."""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))

from bench.kg_bench import _rdflib_timings, _time_runs  # noqa: E402


def test_rdflib_child_is_stopped_at_the_deadline():
    started = time.perf_counter()
    out = _rdflib_timings([("stages", {})], runs=1, deadline=started + 1.0, log=lambda m: None)
    assert time.perf_counter() - started < 8  # stopped (and reaped) soon after its deadline
    assert out["stopped_in"] == "load" and out["load_s"] is None and out["queries"] == {}


def test_timed_runs_stop_when_their_time_is_spent():
    def slow() -> None:
        time.sleep(0.05)

    times = _time_runs(slow, runs=100, cap_s=0.2)
    assert 1 <= len(times) <= 6
    assert len(_time_runs(lambda: None, runs=5, cap_s=10)) == 5
