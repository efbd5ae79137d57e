"""Validation: parse errors with file and line, SHACL in plain words naming the resource and the
file that defines it, violation queries, and severity as policy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg.validate import Problem, Report, validate

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

APPENDED = """
rtd:fact-T-unsourced a rt:Fact ;
    rt:factId "T-unsourced" ;
    skos:prefLabel "测试：无来源"@zh , "Test: no source"@en ;
    rt:claim "测试"@zh , "test"@en ;
    rt:asOf "2026-01" ; rt:confidence "low" .

rtd:fact-T-too-sure a rt:Fact ;
    rt:factId "T-too-sure" ;
    skos:prefLabel "测试：可信度"@zh , "Test: confidence"@en ;
    rt:claim "测试"@zh , "test"@en ;
    dcterms:source rtd:src-rongtong-curation ;
    rt:asOf "2026-01" ; rt:confidence "very high" ;
    rt:yeers 3 .

rtd:thing-T-untyped skos:prefLabel "无类型"@zh , "untyped"@en .
"""


def _copy(dest: Path) -> Path:
    shutil.copytree(ONTOLOGY, dest, ignore=shutil.ignore_patterns("imports", "*.md"))
    return dest


def _line(path: Path, start: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    raise AssertionError(start)


def _in_block(text: str, start: str, old: str, new: str) -> str:
    """text with old replaced by new inside the Turtle block that begins with start."""
    block = text[text.index(start) :]
    block = block[: block.index(" .\n") + 3]
    assert old in block, (start, old)
    return text.replace(block, block.replace(old, new, 1))


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, Report]:
    """One copy with many mistakes, validated once."""
    root = _copy(tmp_path_factory.mktemp("broken") / "ontology")
    programmes = root / "catalogue" / "programmes-2021.ttl"
    text = programmes.read_text(encoding="utf-8")
    label = '"工业机器人技术"@zh , "Industrial Robot Technology"@en'
    assert label in text
    programmes.write_text(text.replace(label, '"工业机器人技术"@zh', 1), encoding="utf-8")

    facts = root / "data" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")

    routes = root / "data" / "routes.ttl"
    text = routes.read_text(encoding="utf-8")
    block = text[text.index("rtd:route-3plus2 ") :]
    block = block[: block.index(" .\n") + 3]
    changed = block.replace("rtd:mech-3plus2", "rtd:mech-3plus2x").replace(
        "rt:years 2.0", 'rt:years "two"'
    )
    text = text.replace(block, changed)
    # year ranges: min above max; a min without its max; a range next to typical years
    text = _in_block(
        text, "rtd:route-kaoyan-general-professional ", "rt:yearsMin 2.0", "rt:yearsMin 4.0"
    )
    text = _in_block(text, "rtd:route-doctoral-from-academic ", "    rt:yearsMax 4.0 ;\n", "")
    text = _in_block(
        text,
        "rtd:route-kaoyan-general-academic ",
        "rt:years 3.0 ;",
        "rt:years 3.0 ; rt:yearsMin 2.0 ; rt:yearsMax 3.0 ;",
    )
    routes.write_text(text, encoding="utf-8")

    links = root / "links" / "occupation-links-curated.ttl"
    text = links.read_text(encoding="utf-8")
    block = text[text.index("rtd:occlink-460305-6-31-07-01 ") :]
    block = block[: block.index(" .\n") + 3]
    literal = r'"(?:[^"\\]|\\.)*"(?:@[a-z-]+)?'
    without = re.sub(rf"rt:rationale\s+{literal}(?:\s*,\s*{literal})*\s*;\s*", "", block)
    assert "rt:rationale" not in without
    links.write_text(text.replace(block, without), encoding="utf-8")

    # derived links: one names no method, one names a source as its method, one still says its
    # method in words (the older form, accepted); a method loses its English definition
    derived = root / "links" / "occupation-links-derived.ttl"
    text = derived.read_text(encoding="utf-8")
    method = "    rt:derivedBy rtd:method-lexical-occupation-candidates ;\n"
    for local, replacement in (
        (NO_METHOD, ""),
        (WRONG_METHOD, "    rt:derivedBy rtd:src-rongtong-curation ;\n"),
        (METHOD_IN_WORDS, '    rt:method "按名称词面推导"@zh , "lexical, by name"@en ;\n'),
    ):
        start = text.index(f"rtd:{local} ")
        end = text.index(" .\n", start) + 3
        assert method in text[start:end]
        text = text[:start] + text[start:end].replace(method, replacement) + text[end:]
    derived.write_text(text, encoding="utf-8")
    methods = root / "data" / "methods.ttl"
    text = methods.read_text(encoding="utf-8")
    en_definition = re.compile(
        r'(rtd:method-aligned-class-codes .*?skos:definition "[^"]*"@zh) ,\s*"[^"]*"@en', re.S
    )
    assert en_definition.search(text)
    methods.write_text(en_definition.sub(r"\1", text, count=1), encoding="utf-8")
    return root, validate(root)


NO_METHOD = "occlink-210104-2-03-04-00"
WRONG_METHOD = "occlink-210104-5-01-02-02"
METHOD_IN_WORDS = "occlink-210105-2-03-02-00"


def _hits(report: Report, focus: str) -> list[Problem]:
    return [p for p in report.errors if p.focus == "https://w3id.org/rongtong/id/" + focus]


def test_the_broken_copy_fails(broken):
    _, report = broken
    assert not report.ok and report.errors


@pytest.mark.parametrize(
    "route",
    [
        "route-kaoyan-general-professional",
        "route-doctoral-from-academic",
        "route-kaoyan-general-academic",
    ],
)
def test_a_broken_years_range_is_an_error(broken, route):
    """yearsMin above yearsMax, a min without its max, a range next to rt:years."""
    _root, report = broken
    hits = _hits(report, route)
    assert any("years" in h.text for h in hits), [str(h) for h in hits]


def test_a_programme_without_an_english_label(broken):
    root, report = broken
    hits = _hits(report, "prog-460305")
    assert hits, [str(p) for p in report.errors][:20]
    line = _line(root / "catalogue" / "programmes-2021.ttl", "rtd:prog-460305 ")
    assert str(hits[0]).startswith(
        f"catalogue/programmes-2021.ttl:{line}: rtd:prog-460305 (工业机器人技术)"
    )
    assert "no English label" in hits[0].text and '"…"@en' in hits[0].text


def test_a_fact_without_a_source_is_reported_once(broken):
    root, report = broken
    hits = _hits(report, "fact-T-unsourced")
    assert len(hits) == 1, [str(h) for h in hits]  # SHACL and the check would both find it
    assert hits[0].file == "data/facts.ttl"
    assert hits[0].line == _line(root / "data" / "facts.ttl", "rtd:fact-T-unsourced ")
    assert "dcterms:source" in hits[0].text and "测试：无来源" in hits[0].text


def test_a_dangling_link(broken):
    _, report = broken
    hits = _hits(report, "route-3plus2")
    texts = " | ".join(p.text for p in hits)
    assert "rtd:mech-3plus2x" in texts and "defined nowhere" in texts
    assert all(p.file == "data/routes.ttl" for p in hits)


def test_a_wrong_datatype_and_value(broken):
    _, report = broken
    years = [p for p in _hits(report, "route-3plus2") if "years" in p.text]
    assert years and '"two"' in years[0].text
    confidence = [p for p in _hits(report, "fact-T-too-sure") if "confidence" in p.text]
    assert confidence and '"very high"' in confidence[0].text


def test_a_curated_link_without_a_rationale(broken):
    _, report = broken
    hits = _hits(report, "occlink-460305-6-31-07-01")
    assert any("curated" in p.text and "rt:rationale" in p.text for p in hits), [
        str(p) for p in hits
    ]
    assert hits[0].file == "links/occupation-links-curated.ttl"


def test_a_derived_link_must_name_its_method(broken):
    _, report = broken
    hits = _hits(report, NO_METHOD)
    assert any("derived link without its method" in p.text for p in hits), [str(p) for p in hits]
    assert hits[0].file == "links/occupation-links-derived.ttl"
    wrong = _hits(report, WRONG_METHOD)
    assert any("not one rt:DerivationMethod" in p.text for p in wrong), [str(p) for p in wrong]
    assert _hits(report, METHOD_IN_WORDS) == []  # rt:method in words still names a method


def test_a_derivation_method_needs_its_definition_in_both_languages(broken):
    _, report = broken
    hits = _hits(report, "method-aligned-class-codes")
    assert any("skos:definition" in p.text and "(@en)" in p.text for p in hits), [
        str(p) for p in hits
    ]
    assert hits[0].file == "data/methods.ttl"
    assert _hits(report, "method-lexical-occupation-candidates") == []


def test_an_undefined_term_and_an_untyped_resource(broken):
    _, report = broken
    assert any("rt:yeers" in p.text for p in _hits(report, "fact-T-too-sure"))
    assert any("has no type" in p.text for p in _hits(report, "thing-T-untyped"))


def test_a_syntax_error_names_file_and_line(tmp_path):
    root = _copy(tmp_path / "ontology")
    path = root / "data" / "transfers.ttl"
    text = path.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    path.write_text(
        text + '\nrtd:x a rt:Transfer ;\n    skos:prefLabel "坏的@zh .\n', encoding="utf-8"
    )
    report = validate(root)
    assert not report.ok
    parse = [p for p in report.errors if p.kind == "parse"]
    assert len(parse) == 1 and parse[0].file == "data/transfers.ttl"
    assert line <= parse[0].line <= line + 2
    assert str(parse[0]).startswith(f"data/transfers.ttl:{parse[0].line}: ")
    assert report.skipped and "SHACL" in report.skipped[0]


def test_a_broken_shapes_file_is_a_parse_error_too(tmp_path):
    root = _copy(tmp_path / "ontology")
    (root / "shapes" / "zz-broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y\n"
    )
    report = validate(root, checks=False)
    assert any(p.kind == "parse" and p.file == "shapes/zz-broken.ttl" for p in report.errors)


def test_warnings_do_not_fail():
    report = Report(
        ONTOLOGY, problems=[Problem("warning", "check", "just saying", "data/x.ttl", 3)]
    )
    assert report.ok
    report.problems.append(Problem("error", "check", "must fix", "data/x.ttl", 4))
    assert not report.ok and len(report.errors) == 1 and len(report.warnings) == 1


@pytest.fixture(scope="module")
def shipped() -> Report:
    return validate(ONTOLOGY)


def test_the_shipped_ontology_parses_and_every_pass_ran(shipped):
    assert not [p for p in shipped.problems if p.kind == "parse"]
    assert {"parse", "shacl", "checks"} <= set(shipped.timings)
    assert shipped.triples > 50_000


def test_the_shipped_ontology_validates(shipped):
    assert shipped.ok, "\n".join(str(p) for p in shipped.errors[:30])


def test_every_shipped_error_names_a_file(shipped):
    assert all(p.file for p in shipped.problems), [str(p) for p in shipped.problems if not p.file][
        :5
    ]
