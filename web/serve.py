"""``rongtong serve``: the production server (gunicorn) or, with ``--dev``, Flask's reloader.

gunicorn runs the application factory with ``preload_app`` so the graph and the advisor load once
in the master before it forks its worker *processes* (DESIGN.md: process workers, not threads,
because rdflib's SPARQL parser is not thread-safe on first use; a runaway SPARQL query occupies one
worker while the others answer). With more than one worker the conversations live in the advisor's
SQLite session store, shared by all workers on the host.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

__all__ = ["register", "serve", "app_config", "GunicornApp"]

log = logging.getLogger("rongtong.web")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the web server (chat, explorer, SPARQL endpoint, JSON API)",
        description="Run the web server: gunicorn with process workers, or Flask's reloader "
        "with --dev. Defaults come from the settings table (rongtong settings; RONGTONG_* "
        "environment variables).",
    )
    p.add_argument("--host", default=None, help="address to bind (setting host; 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (setting port; 8000)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (setting workers)")
    p.add_argument("--dev", action="store_true", help="Flask's development server with reloader")
    p.add_argument("--ontology", default=None, metavar="DIR", help="ontology directory")
    p.add_argument(
        "--store", default=None, help="oxigraph (default), memory, or an http(s) SPARQL endpoint"
    )
    p.add_argument("--encoder", default=None, help="sentence encoder for dense search")
    p.add_argument(
        "--session-store",
        choices=["memory", "sqlite"],
        default=None,
        help="where conversations live (sqlite is used whenever workers > 1)",
    )
    p.add_argument("--access-log", action="store_true", help="log every request (gunicorn)")
    p.set_defaults(func=serve)


def app_config(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """(test_config for create_app, resolved kg Settings) from the command line."""
    from kg.settings import Settings

    settings = Settings(
        host=args.host,
        port=args.port,
        workers=args.workers,
        ontology_dir=args.ontology,
        store=args.store,
        encoder=args.encoder,
        session_store=getattr(args, "session_store", None),
    )
    workers = 1 if args.dev else settings.workers
    session_store = settings.session_store
    if workers > 1 and session_store != "sqlite":
        session_store = "sqlite"  # a conversation must survive landing on another worker
    config = {
        "ONTOLOGY_DIR": settings.ontology_dir,
        "STORE": settings.store,
        "ENCODER": settings.encoder,
        "SESSION_STORE": session_store,
        "WORKERS": workers,
    }
    return config, settings


def _gunicorn_supports(name: str) -> bool:
    """Whether the installed gunicorn knows the setting ``name`` (some are new in 25.x)."""
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:  # pragma: no cover - gunicorn is a dependency
        return False
    return any(setting.name == name for setting in KNOWN_SETTINGS)


def _gunicorn_options(settings, workers: int, access_log: bool) -> dict[str, Any]:
    """gunicorn's settings for ``rongtong serve``.

    The access log (``--access-log``) goes through ``web.logging_setup.PrivateGunicornLogger``:
    no query string of /api/chat or /api/search (what a user typed), client addresses shortened.
    The control socket (gunicorn >= 25.1, for ``gunicornc``) is turned off: nothing here uses it,
    and it is one more way into a running server.
    """
    timeout = int(max(30, settings.query_timeout + 20))
    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": workers,
        "worker_class": "sync",
        "preload_app": True,
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 2,
        "limit_request_line": 8190,
        "proc_name": "rongtong",
        "errorlog": "-",
        "loglevel": "info",
        "logger_class": "web.logging_setup.PrivateGunicornLogger",
    }
    if _gunicorn_supports("control_socket_disable"):
        options["control_socket_disable"] = True
    if access_log:
        options["accesslog"] = "-"
    return options


try:
    from gunicorn.app.base import BaseApplication
except ImportError:  # pragma: no cover - gunicorn is a dependency
    BaseApplication = object  # type: ignore[assignment,misc]


class GunicornApp(BaseApplication):  # type: ignore[misc,valid-type]
    """gunicorn running ``create_app(config)``; with preload the app is built before the fork."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]):
        self.config_for_app = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self):
        from web.app import create_app

        app = create_app(self.config_for_app)
        warm_before_fork(app)
        return app


def warm_before_fork(app) -> None:
    """Load the encoder's weights now, in the master, before gunicorn forks.

    The advisor loads them in a background thread; a fork while that thread holds the encoder's
    lock would leave every worker with a lock nobody releases. Loaded here, the workers share the
    weights copy-on-write and start warm.
    """
    advisor = app.extensions["rongtong"].advisor
    wait_ready = getattr(advisor, "wait_ready", None)
    if callable(wait_ready):
        wait_ready()  # its warm-up thread holds the graph's cache lock while it runs
    encoder = getattr(advisor, "encoder", None)
    warm = getattr(encoder, "warm", None)
    if callable(warm):
        try:
            warm()
        except Exception as err:  # noqa: BLE001 - the advisor answers without dense search
            log.warning("encoder failed to load before fork: %s", err)


def serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config, settings = app_config(args)
    if args.dev:
        from web.app import create_app

        print(f"rongtong serve --dev on http://{settings.host}:{settings.port}/", file=sys.stderr)
        app = create_app(config)
        app.run(host=settings.host, port=settings.port, debug=True, use_reloader=True)
        return 0
    workers = config["WORKERS"]
    print(
        f"rongtong serve: gunicorn, {workers} worker process(es), sessions in "
        f"{config['SESSION_STORE']}, http://{settings.host}:{settings.port}/",
        file=sys.stderr,
    )
    GunicornApp(config, _gunicorn_options(settings, workers, args.access_log)).run()
    return 0
