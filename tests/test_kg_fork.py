"""A process forked while another thread holds a KnowledgeGraph's cache lock (gunicorn --preload
forking its workers during the advisor's warm-up) gets a fresh lock, not a deadlock."""

from __future__ import annotations

import os
import signal
import threading

import pytest


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_forked_while_the_cache_lock_is_held_does_not_deadlock(graph):
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with graph._lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(10)
    try:
        pid = os.fork()
        if pid == 0:  # the child: only this thread, the lock's holder is gone
            # (in this thread: a new thread may get the dead holder's id and re-enter the RLock)
            signal.alarm(20)  # a deadlock ends the child with SIGALRM
            code = 1
            try:
                graph.cached("fork-test", lambda: 42)
                graph.labels()
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        release.set()
        holder.join(10)
    assert graph.cached("fork-test-parent", lambda: 1) == 1
