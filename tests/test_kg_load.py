"""Loading: which files, the version hash, and parse errors that name file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg import OntologyParseError, open_graph
from kg.load import OntologyFiles, content_hash, data_files, shape_files

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

MINI = """@prefix rt: <https://w3id.org/rongtong/ns#> .
@prefix rtd: <https://w3id.org/rongtong/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

rtd:src-a a rt:Source ; skos:prefLabel "甲"@zh , "A"@en ; dcterms:title "A" ; rt:asOf "2023-05" .
rtd:src-b a rt:Source ; skos:prefLabel "乙"@zh , "B"@en ; dcterms:title "B" ; dcterms:date "2025-11" .
rtd:src-c a rt:Source ; skos:prefLabel "丙"@zh , "C"@en ; dcterms:title "C" ; rt:asOf "n.d." .
"""


@pytest.fixture
def mini(tmp_path) -> Path:
    """A tiny ontology: the real vocabulary and queries, three sources."""
    root = tmp_path / "ontology"
    (root / "data").mkdir(parents=True)
    shutil.copytree(ONTOLOGY / "vocab", root / "vocab")
    shutil.copytree(ONTOLOGY / "queries", root / "queries")
    shutil.copytree(ONTOLOGY / "shapes", root / "shapes")
    (root / "data" / "sources.ttl").write_text(MINI, encoding="utf-8")
    return root


def test_data_files_are_every_ttl_but_the_shapes():
    files = [p.relative_to(ONTOLOGY).as_posix() for p in data_files(ONTOLOGY)]
    assert "vocab/rongtong.ttl" in files
    assert "catalogue/programmes-2021.ttl" in files and "data/routes.ttl" in files
    assert not any(f.startswith("shapes/") for f in files)
    assert files == sorted(files)
    assert shape_files(ONTOLOGY), "the shapes are found separately"


def test_hash_is_12_hex_and_follows_the_content(mini):
    files = OntologyFiles.scan(mini)
    assert re.fullmatch(r"[0-9a-f]{12}", files.hash)
    assert OntologyFiles.scan(mini).hash == files.hash  # stable
    path = mini / "data" / "sources.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert OntologyFiles.scan(mini).hash != files.hash
    assert content_hash(list(files.files), mini) != files.hash


def test_shapes_do_not_change_the_data_hash(mini):
    before = OntologyFiles.scan(mini).hash
    (mini / "shapes" / "extra.ttl").write_text("# nothing\n", encoding="utf-8")
    assert OntologyFiles.scan(mini).hash == before


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_version_has_hash_newest_source_and_triples(mini, store):
    g = open_graph(mini, store=store)
    assert g.version["hash"] == OntologyFiles.scan(mini).hash
    assert g.version["newest_source"] == "2025-11"  # dcterms:date counts; "n.d." does not
    assert g.version["triples"] == len(g) > 100
    assert g.store == store


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_syntax_error_names_file_and_line(mini, store):
    path = mini / "data" / "broken.ttl"
    path.write_text(
        "@prefix rtd: <https://w3id.org/rongtong/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "\n"
        'rtd:x skos:prefLabel "unterminated ;\n'
        '    skos:altLabel "y"@en .\n',
        encoding="utf-8",
    )
    with pytest.raises(OntologyParseError) as info:
        open_graph(mini, store=store)
    error = info.value
    assert error.file == "data/broken.ttl"
    assert error.line in (4, 5, 6)
    assert str(error).startswith(f"data/broken.ttl:{error.line}")


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ontology directory"):
        open_graph(tmp_path / "nowhere")


def test_stale_after_a_file_changes(mini):
    g = open_graph(mini)
    assert not g.is_stale()
    path = mini / "data" / "sources.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert g.is_stale()
