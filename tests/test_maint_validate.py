"""``rongtong validate`` fails on the four classic mistakes with the message a maintainer needs:
the file, the line, the resource (with its label) and what to change."""

from __future__ import annotations

import re

import pytest
from recipes.readme_recipes import copy_ontology, rongtong


def _line_of(path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(needle):
            return number
    raise AssertionError(f"{needle!r} not found in {path}")


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def test_a_syntax_error_names_file_and_line(tmp_path):
    root = copy_ontology(tmp_path / "ontology")
    routes = root / "data" / "routes.ttl"
    text = routes.read_text(encoding="utf-8")
    start = text.count("\n") + 2  # the line our broken entry starts on
    routes.write_text(
        text + '\nrtd:route-broken a rt:Route ;\n    skos:prefLabel "坏的"@zh , "broken@en ;\n'
        "    rt:years 3.0 .\n",
        encoding="utf-8",
    )
    proc = rongtong("validate", str(root))
    assert proc.returncode == 1, proc.stdout
    errors = _errors(proc.stdout)
    assert errors, proc.stdout
    m = re.match(r"error: data/routes\.ttl:(\d+)", errors[0])
    assert m, errors[0]
    assert start + 1 <= int(m.group(1)) <= start + 3, (start, errors[0])  # the unclosed "broken
    assert "SHACL" in proc.stdout  # the later passes say they waited for the parse errors


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A copy with three mistakes: a programme without an English label, a fact without a source,
    and a route whose mechanism is misspelt (a dangling link). Validated once."""
    root = copy_ontology(tmp_path_factory.mktemp("broken") / "ontology")
    programmes = root / "catalogue" / "programmes-2021.ttl"
    text = programmes.read_text(encoding="utf-8")
    label = '"工业机器人技术"@zh , "Industrial Robot Technology"@en'
    assert label in text
    programmes.write_text(text.replace(label, '"工业机器人技术"@zh', 1), encoding="utf-8")

    facts = root / "data" / "facts.ttl"
    facts.write_text(
        facts.read_text(encoding="utf-8") + "\nrtd:fact-D-test-unsourced a rt:Fact ;\n"
        '    rt:factId "D-test-unsourced" ;\n'
        '    skos:prefLabel "测试：无来源的事实"@zh , "Test: a fact without a source"@en ;\n'
        '    rt:claim "测试"@zh , "test"@en ;\n'
        '    rt:asOf "2026-01" ; rt:confidence "low" .\n',
        encoding="utf-8",
    )
    routes = root / "data" / "routes.ttl"
    text = routes.read_text(encoding="utf-8")
    block = text[text.index("rtd:route-zhongkao-general ") :]
    block = block[: block.index(" .\n") + 3]
    assert "rtd:mech-zhongkao " in block or "rtd:mech-zhongkao ;" in block
    routes.write_text(
        text.replace(block, block.replace("rtd:mech-zhongkao", "rtd:mech-zhongkoa")),
        encoding="utf-8",
    )
    proc = rongtong("validate", str(root))
    return root, proc


def test_the_broken_copy_fails(broken):
    _, proc = broken
    assert proc.returncode == 1
    assert "FAILED" in proc.stdout


def test_a_missing_label_names_the_programme_and_the_fix(broken):
    root, proc = broken
    line = _line_of(root / "catalogue" / "programmes-2021.ttl", "rtd:prog-460305 ")
    hits = [e for e in _errors(proc.stdout) if "rtd:prog-460305" in e]
    assert hits, proc.stdout[-3000:]
    message = hits[0]
    assert message.startswith(f"error: catalogue/programmes-2021.ttl:{line}: "), message
    assert "工业机器人技术" in message  # the resource with its label
    assert "English" in message and 'skos:prefLabel "…"@en' in message  # what to add


def test_a_fact_without_a_source_names_the_fact_and_the_fix(broken):
    root, proc = broken
    line = _line_of(root / "data" / "facts.ttl", "rtd:fact-D-test-unsourced ")
    hits = [e for e in _errors(proc.stdout) if "rtd:fact-D-test-unsourced" in e]
    assert hits, proc.stdout[-3000:]
    assert hits[0].startswith(f"error: data/facts.ttl:{line}: "), hits[0]
    assert "测试：无来源的事实" in hits[0]
    assert "dcterms:source" in hits[0]


def test_a_dangling_link_names_the_route_the_target_and_the_fix(broken):
    root, proc = broken
    line = _line_of(root / "data" / "routes.ttl", "rtd:route-zhongkao-general ")
    hits = [e for e in _errors(proc.stdout) if "rtd:mech-zhongkoa" in e]
    assert hits, proc.stdout[-3000:]
    for message in hits:
        assert message.startswith(f"error: data/routes.ttl:{line}: rtd:route-zhongkao-general"), (
            message
        )
    assert any("defined nowhere" in m or "not an rt:Mechanism" in m for m in hits)
    assert any("fix the name" in m for m in hits), hits
