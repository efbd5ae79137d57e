"""Faults outside the client's control answered as 503, not 500.

``install_fault_handlers(app)`` (idempotent) maps the knowledge graph's store failures
(``kg.errors.StoreError``, e.g. ``RemoteStoreError`` when the remote SPARQL endpoint is down,
times out or answers a malformed body) to **503** in the project's JSON error shape, with
``Retry-After``::

    {"error": {"code": "store_unavailable",
               "message": "The knowledge graph is unavailable right now ... try again shortly."}}

Nothing is cached as broken: the remote store opens a new connection per query, so the service
recovers by itself as soon as the endpoint answers again. The endpoint's address and the
low-level reason are logged (warning), not shown to the client.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request

__all__ = ["install_fault_handlers", "RETRY_AFTER_S"]

log = logging.getLogger("rongtong.web")
RETRY_AFTER_S = 5
_EXTENSION = "rongtong_faults"


def install_fault_handlers(app: Flask) -> None:
    if app.extensions.get(_EXTENSION):
        return
    app.extensions[_EXTENSION] = True
    from kg.errors import StoreError

    @app.errorhandler(StoreError)
    def _store_unavailable(err: StoreError):
        log.warning("store unavailable on %s %s: %s", request.method, request.path, err)
        resp = jsonify(
            {
                "error": {
                    "code": "store_unavailable",
                    "message": "The knowledge graph is unavailable right now (its store did not "
                    "answer); please try again shortly. 知识图谱暂时无法访问，请稍后再试。",
                }
            }
        )
        resp.status_code = 503
        resp.headers["Retry-After"] = str(RETRY_AFTER_S)
        resp.headers["Cache-Control"] = "no-store"
        return resp
