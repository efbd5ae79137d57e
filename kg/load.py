"""Find the ontology's data files, parse them with errors naming file and line, and hash them.

The data graph is every ``*.ttl`` under the ontology directory except the SHACL shapes
(``shapes/``), which are only for validation. The version hash is over the files' relative paths
and bytes, in sorted order, so it changes when any data file changes and only then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import OntologyParseError
from kg.settings import Settings

__all__ = [
    "EXCLUDED_DIRS",
    "OntologyFiles",
    "data_files",
    "shape_files",
    "resolve_ontology_dir",
    "content_hash",
    "fingerprint",
    "load_into_oxigraph",
    "parse_oxigraph",
    "parse_rdflib",
    "display_path",
]

# Directories under ontology/ that never hold data for the graph.
EXCLUDED_DIRS = frozenset({"shapes", "imports", "queries", "checks"})


def resolve_ontology_dir(ontology_dir: str | Path | None = None) -> Path:
    """The ontology directory: the argument, else the setting (env RONGTONG_ONTOLOGY[_DIR])."""
    path = Path(ontology_dir) if ontology_dir is not None else Settings().ontology_dir
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise FileNotFoundError(f"ontology directory not found: {path}")
    return path


def data_files(root: Path) -> list[Path]:
    """Every data ``*.ttl`` under root (not shapes/), sorted by relative path."""
    found = []
    for path in root.rglob("*.ttl"):
        rel = path.relative_to(root)
        if any(part in EXCLUDED_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def shape_files(root: Path) -> list[Path]:
    """The SHACL shapes files, ``shapes/*.ttl``, sorted."""
    return sorted((root / "shapes").glob("*.ttl"))


def display_path(path: Path, root: Path) -> str:
    """How a file is named in messages: relative to the ontology directory when under it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def content_hash(files: list[Path], root: Path) -> str:
    """12 hex digits of SHA-256 over each file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: display_path(p, root)):
        name = display_path(path, root).encode()
        data = path.read_bytes()
        digest.update(len(name).to_bytes(4, "big") + name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:12]


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap change detector (names, sizes, mtimes) for reload watching."""
    out = []
    for path in [*data_files(root), *shape_files(root)]:
        st = path.stat()
        out.append((display_path(path, root), st.st_size, st.st_mtime_ns))
    for sub in ("queries", "checks"):
        for path in sorted((root / sub).glob("*.rq")):
            st = path.stat()
            out.append((display_path(path, root), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _ox_error(path: Path, root: Path, exc: SyntaxError) -> OntologyParseError:
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    return OntologyParseError(display_path(path, root), exc.lineno, message, exc.offset)


def load_into_oxigraph(store: ox.Store, path: Path, root: Path) -> None:
    """Load one Turtle file into a pyoxigraph store; a syntax error names file and line."""
    try:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise _ox_error(path, root, exc) from None


def parse_oxigraph(path: Path, root: Path) -> Iterator[ox.Triple]:
    """Parse one Turtle file strictly with oxigraph (fast); errors name file and line."""
    try:
        # materialise so that a syntax error surfaces here, not half way through a caller's loop
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise _ox_error(path, root, exc) from None
    return iter(quads)


def parse_rdflib(graph: rdflib.Graph, path: Path, root: Path) -> None:
    """Parse one Turtle file into an rdflib graph; errors name file and line."""
    try:
        graph.parse(str(path), format="turtle")
    except BadSyntax as exc:
        line = getattr(exc, "lines", None)
        why = exc.args[4] if len(exc.args) > 4 else str(exc)
        raise OntologyParseError(
            display_path(path, root), None if line is None else line + 1, f"bad syntax ({why})"
        ) from None
    except SyntaxError as exc:
        raise OntologyParseError(display_path(path, root), exc.lineno, str(exc.msg)) from None


@dataclass(frozen=True)
class OntologyFiles:
    """The data files of one ontology directory and their content hash."""

    root: Path
    files: tuple[Path, ...]
    hash: str

    @classmethod
    def scan(cls, ontology_dir: str | Path | None = None) -> OntologyFiles:
        root = resolve_ontology_dir(ontology_dir)
        files = tuple(data_files(root))
        return cls(root, files, content_hash(list(files), root))

    def names(self) -> list[str]:
        return [display_path(p, self.root) for p in self.files]
