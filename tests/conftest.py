"""Shared fixtures. Keep this small; a test module's own fixtures live in that module.

- ``graph``: the full shipped ontology loaded once per session into the default store (oxigraph).
- ``ontology_copy``: a fresh copy of the shipped ontology in tmp_path, to break or edit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology"


@pytest.fixture(scope="session")
def graph():
    from kg import open_graph

    g = open_graph(ONTOLOGY, store="oxigraph")
    yield g
    g.close()


@pytest.fixture
def ontology_copy(tmp_path) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, target, ignore=shutil.ignore_patterns("imports", "__pycache__", ".*"))
    return target
