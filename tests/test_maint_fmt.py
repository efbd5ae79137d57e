"""``rongtong fmt``: one canonical layout that never changes the graph."""

from __future__ import annotations

import shutil
import time

import pytest
from recipes.readme_recipes import ONTOLOGY, rongtong

from kg.fmt import format_file, format_text, is_generated, same_graph

ALL_TTL = sorted(p for p in ONTOLOGY.rglob("*.ttl") if "imports" not in p.parts)

SAMPLE = """# Leading comment block: what this file is.
# Second line of it.

@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix rtd: <https://w3id.org/rongtong/id/> .
@prefix rt:      <https://w3id.org/rongtong/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

# ======== section B (stays second)

rtd:fact-F10 dcterms:source rtd:src-b , rtd:src-a ; rt:confidence "high" ;
    skos:prefLabel "Ten"@en , "十"@zh ; a rt:Fact ; rt:asOf "2021" .

# a note that travels with fact-F2
rtd:fact-F2 a rt:Fact ; skos:prefLabel "二"@zh , "Two"@en ;  # trailing note
    rt:asOf "2021" ; rt:confidence "high" ; dcterms:source rtd:src-a .

# ======== section C

rtd:x a rt:Thing ; rt:years 3.0 ; rt:flag true ; rt:count 7 .
"""


def test_layout_of_a_small_file():
    out = format_text(SAMPLE)
    lines = out.splitlines()
    # the leading comment block first, then prefixes in the fixed order
    assert lines[:2] == ["# Leading comment block: what this file is.", "# Second line of it."]
    prefixes = [line.split()[1] for line in lines if line.startswith("@prefix")]
    assert prefixes == ["rt:", "rtd:", "skos:", "dcterms:"]
    # sections stay in place and in order; inside, subjects sorted naturally (F2 before F10)
    b, c = out.index("# ======== section B"), out.index("# ======== section C")
    f2, f10, x = out.index("rtd:fact-F2 a"), out.index("rtd:fact-F10 a"), out.index("rtd:x a")
    assert b < f2 < f10 < c < x
    # comments above or inside an entry travel with it
    assert out.index("# a note that travels with fact-F2") < f2
    assert out.index("# trailing note") < f2
    # type first, labels next, provenance last; one predicate per line; objects sorted, zh before en
    block = out[f10 : out.index(" .", f10)]
    assert block.splitlines() == [
        "rtd:fact-F10 a rt:Fact ;",
        '    skos:prefLabel "十"@zh , "Ten"@en ;',
        "    dcterms:source rtd:src-a , rtd:src-b ;",
        '    rt:asOf "2021" ;',
        '    rt:confidence "high"',
    ]
    assert "rt:years 3.0" in out and "rt:flag true" in out and "rt:count 7" in out
    assert same_graph(SAMPLE, out)
    assert format_text(out) == out


@pytest.mark.parametrize("path", ALL_TTL, ids=lambda p: p.relative_to(ONTOLOGY).as_posix())
def test_every_ontology_file_keeps_its_graph_and_is_stable(path):
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    once = format_text(text, str(path))
    seconds = time.perf_counter() - started
    assert same_graph(text, once, str(path)), "formatting changed the graph"
    assert format_text(once, str(path)) == once, "formatting twice gives a different layout"
    leading = [line for line in text.splitlines()[:3] if line.startswith("#")]
    assert once.splitlines()[: len(leading)] == leading  # the leading comment block is kept
    comments = sum(1 for line in text.splitlines() if line.lstrip().startswith("#"))
    assert sum(1 for line in once.splitlines() if line.lstrip().startswith("#")) == comments
    assert seconds < 30, f"{seconds:.1f} s to format {path.name}"


def test_shapes_with_blank_nodes_and_lists_stay_isomorphic():
    text = (ONTOLOGY / "shapes" / "routes.ttl").read_text(encoding="utf-8")
    out = format_text(text)
    assert "sh:or (" in out and "sh:property [" in out
    assert same_graph(text, out)


def test_fmt_check_lists_files_then_fmt_fixes_them(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    messy = folder / "messy.ttl"
    messy.write_text(SAMPLE, encoding="utf-8")
    tidy = folder / "tidy.ttl"
    tidy.write_text(format_text(SAMPLE), encoding="utf-8")

    check = rongtong("fmt", "--check", str(folder))
    assert check.returncode == 1, check.stdout + check.stderr
    assert "messy.ttl" in check.stdout and "would reformat" in check.stdout
    assert "tidy.ttl" not in check.stdout.replace("skipped", "")
    assert messy.read_text(encoding="utf-8") == SAMPLE  # --check writes nothing

    fix = rongtong("fmt", str(folder))
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert same_graph(SAMPLE, messy.read_text(encoding="utf-8"))
    assert rongtong("fmt", "--check", str(folder)).returncode == 0


def test_a_file_that_does_not_parse_is_left_alone(tmp_path):
    bad = tmp_path / "bad.ttl"
    text = '@prefix rt: <https://w3id.org/rongtong/ns#> .\nrt:x rt:y "unclosed .\n'
    bad.write_text(text, encoding="utf-8")
    result = format_file(bad)
    assert result.error and "bad.ttl:2" in result.error
    assert bad.read_text(encoding="utf-8") == text
    proc = rongtong("fmt", "--check", str(bad))
    assert proc.returncode == 1 and "bad.ttl:2" in proc.stderr


def test_generated_files_are_skipped_unless_asked(tmp_path):
    source = ONTOLOGY / "catalogue" / "programmes-2021.ttl"
    assert is_generated(source)
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    assert format_file(copy, check=True).skipped
    forced = format_file(copy, check=True, include_generated=True)
    assert forced.error is None and forced.changed
    assert copy.read_bytes() == source.read_bytes()
