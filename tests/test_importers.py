"""The importers: counts, flags, derived links, the yearly-update report, damaged rows, determinism,
and that the generated files in the repo are what the importers produce (nobody hand-edits them)."""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal

from kg.importers import catalogue as catalogue_importer
from kg.importers import cli
from kg.importers import derive_links as derive_importer
from kg.importers.catalogue import import_catalogue
from kg.importers.common import method_description_problems, parse_turtle
from kg.importers.derive_links import Scorer, curated_programmes, derive_links
from kg.importers.occupations import cut_short, import_occupations
from kg.vocab import DCTERMS, RDF, RT, RTD, SKOS

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology"
IMPORTS = ONTOLOGY / "imports"
EN = IMPORTS / "en-labels"
CATALOGUE_CSV = IMPORTS / "moe_vocational_major_catalog_2021.csv"
OCC_CSV = IMPORTS / "occupation_classification_2022_draft.csv"
HIER_CSV = IMPORTS / "occupation_classification_2022_hierarchy.csv"


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def _count(g: rdflib.Graph, cls) -> int:
    return len(set(g.subjects(RDF.type, cls)))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    onto = tmp_path_factory.mktemp("onto")
    result = import_catalogue(CATALOGUE_CSV, ontology_dir=onto, en_dir=EN)
    return result, _graph(result.text), onto


@pytest.fixture(scope="module")
def occupations(tmp_path_factory):
    onto = tmp_path_factory.mktemp("onto-occ")
    result = import_occupations(OCC_CSV, HIER_CSV, ontology_dir=onto, en_dir=EN)
    return result, _graph(result.text)


# ------------------------------------------------------------------ catalogue


def test_catalogue_counts(catalogue):
    result, g, _ = catalogue
    assert _count(g, RT.Programme) == 1349
    assert _count(g, RT.ProgrammeClass) == 275
    assert _count(g, RT.ProgrammeCategory) == 57
    assert _count(g, RT.Field) == 19
    assert result.counts["by_level"] == {"secondary": 358, "associate": 744, "bachelor": 247}
    levels = {o for o in g.objects(None, RT.level)}
    assert levels == {
        RTD["stage-secondary-vocational"],
        RTD["stage-higher-vocational"],
        RTD["stage-vocational-bachelor"],
    }


def test_programme_properties_and_field_labels(catalogue):
    _, g, _ = catalogue
    prog = RTD["prog-460305"]
    assert Literal("工业机器人技术", lang="zh") in set(g.objects(prog, SKOS.prefLabel))
    assert (prog, SKOS.notation, Literal("460305")) in g
    assert (prog, RT.programmeClass, RTD["class-4603"]) in g
    assert (prog, RT.level, RTD["stage-higher-vocational"]) in g
    assert (prog, RT.edition, Literal("2021")) in g
    assert (prog, DCTERMS.source, RTD["src-moe-catalogue-2021"]) in g
    assert (prog, RT.asOf, Literal("2021-03")) in g
    assert (prog, RT.confidence, Literal("high")) in g
    assert (prog, SKOS.altLabel, Literal("工业机器人", lang="zh")) in g
    # an alias is never another programme's name: 口腔医学技术 must not be aliased 口腔医学
    assert (RTD["prog-520504"], SKOS.altLabel, Literal("口腔医学", lang="zh")) not in g
    field = RTD["field-46"]
    assert (field, SKOS.prefLabel, Literal("装备制造大类", lang="zh")) in g
    assert (field, SKOS.altLabel, Literal("装备制造", lang="zh")) in g
    assert (RTD["cat-66"], RT.field, field) in g and (RTD["cat-26"], RT.field, field) in g
    assert (RTD["class-4603"], RT.category, RTD["cat-46"]) in g


def test_state_controlled_flag(catalogue):
    _, g, _ = catalogue
    flagged = set(g.subjects(RT.stateControlled, Literal(True)))
    assert RTD["prog-520101K"] in flagged
    assert RTD["prog-460305"] not in flagged
    assert flagged == {s for s in g.subjects(RDF.type, RT.Programme) if str(s).endswith("K")}
    assert len(flagged) == 47


def test_class_progressions_are_derived(catalogue):
    _, g, _ = catalogue
    for a, b in (("6603", "4603"), ("4603", "2603")):
        s = RTD[f"classprog-{a}-{b}"]
        assert (s, RDF.type, RT.ClassProgression) in g
        assert (s, RT.fromClass, RTD[f"class-{a}"]) in g
        assert (s, RT.toClass, RTD[f"class-{b}"]) in g
        assert (s, RT.basis, RT.derived) in g
        # the method is named, not repeated: its text is in data/methods.ttl
        assert list(g.objects(s, RT.derivedBy)) == [RTD["method-aligned-class-codes"]]
        assert list(g.objects(s, RT.method)) == []
        assert (s, RT.score, Literal(Decimal("1.0"))) in g
        assert (s, DCTERMS.source, RTD["src-moe-catalogue-2021"]) in g
    assert (RTD["classprog-6603-2603"], None, None) not in g  # one level at a time
    progs = set(g.subjects(RDF.type, RT.ClassProgression))
    assert len(progs) == 178
    classes = set(g.subjects(RDF.type, RT.ProgrammeClass))
    for s in progs:  # only when the target class exists
        assert next(g.objects(s, RT.toClass)) in classes
    assert not any(list(g.objects(s, RT.dataIssue)) for s in progs)  # names agree in 2021


def _write_variant(src: Path, dst: Path) -> None:
    """The 2021 CSV with 460305 renamed, 460306 removed and 460399 added."""
    with src.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    out = []
    for row in rows:
        if row["major_code"] == "460306":
            continue
        if row["major_code"] == "460305":
            row = {**row, "major_name": "工业机器人应用技术"}
        out.append(row)
    out.append(
        {
            **rows[0],
            "education_level": "associate",
            "education_level_zh": "高等职业教育专科",
            "category_code": "46",
            "category_name": "装备制造大类",
            "class_code": "4603",
            "class_name": "自动化类",
            "major_code": "460399",
            "major_name": "智能机器人技术",
            "state_controlled_K": "N",
        }
    )
    with dst.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(out)


def test_update_report_added_renamed_removed(tmp_path):
    onto = tmp_path / "ontology"
    import_catalogue(CATALOGUE_CSV, ontology_dir=onto, en_dir=EN)
    (onto / "links").mkdir()
    (onto / "links" / "occupation-links-curated.ttl").write_text(
        "@prefix rtd: <https://w3id.org/rongtong/id/> .\n"
        "@prefix rt: <https://w3id.org/rongtong/ns#> .\n"
        "rtd:occlink-460306-x rt:programme rtd:prog-460306 .\n",
        encoding="utf-8",
    )
    new_csv = tmp_path / "catalogue-next.csv"
    _write_variant(CATALOGUE_CSV, new_csv)
    before = (onto / "catalogue" / "programmes-2021.ttl").read_bytes()

    result = import_catalogue(new_csv, ontology_dir=onto, en_dir=EN, report_only=True)
    rep = result.report
    assert not rep.first_import
    assert rep.added == [("460399", "智能机器人技术", "高职专科")]
    assert rep.renamed == [("460305", "工业机器人技术", "工业机器人应用技术")]
    assert rep.removed == [("460306", "电气自动化技术", ["links/occupation-links-curated.ttl"])]
    assert rep.classes_added == rep.classes_renamed == rep.classes_removed == []
    assert not result.written
    assert (onto / "catalogue" / "programmes-2021.ttl").read_bytes() == before
    text = result.summary()
    assert "ADDED     prog-460399 智能机器人技术" in text
    assert "RENAMED   prog-460305 工业机器人技术 → 工业机器人应用技术" in text
    assert (
        "REMOVED   prog-460306 电气自动化技术; still referenced in links/occupation-links-curated.ttl"
        in text
    )


def test_update_carries_over_hand_edits(tmp_path):
    onto = tmp_path / "ontology"
    import_catalogue(CATALOGUE_CSV, ontology_dir=onto, en_dir=EN)
    path = onto / "catalogue" / "programmes-2021.ttl"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '    skos:altLabel "工业机器人"@zh ;',
        '    skos:altLabel "工业机器人"@zh , "机器人专业"@zh ;\n'
        '    skos:editorialNote "checked by an editor"@en ;',
        1,
    )
    path.write_text(text, encoding="utf-8")
    new_csv = tmp_path / "catalogue-next.csv"
    _write_variant(CATALOGUE_CSV, new_csv)
    empty_en = tmp_path / "no-en-labels"
    empty_en.mkdir()
    result = import_catalogue(
        new_csv, ontology_dir=onto, en_dir=empty_en, edition="2022", as_of="2022-09"
    )
    assert result.written and result.out.name == "programmes-2022.ttl"
    assert result.superseded == [path]
    g = _graph(result.text)
    prog = RTD["prog-460305"]
    alts = set(g.objects(prog, SKOS.altLabel))
    assert Literal("机器人专业", lang="zh") in alts  # hand-added alias kept
    assert Literal("工业机器人应用", lang="zh") in alts  # generated from the new name
    assert Literal("工业机器人", lang="zh") not in alts  # generated from the old name: dropped
    assert (prog, SKOS.editorialNote, Literal("checked by an editor", lang="en")) in g
    assert Literal("Industrial Robot Technology", lang="en") in set(g.objects(prog, SKOS.prefLabel))
    assert any("工业机器人技术" in str(n) for n in g.objects(prog, SKOS.historyNote))
    assert (prog, RT.edition, Literal("2022")) in g
    assert "prog-460305 工业机器人应用技术 (old name: check it)" in result.notes.en_carried
    assert (RTD["prog-460306"], None, None) not in g
    assert {lit.language for lit in g.objects(RTD["prog-460399"], SKOS.prefLabel)} == {"zh"}


def test_runs_without_english_labels(tmp_path):
    empty = tmp_path / "en"
    empty.mkdir()
    result = import_catalogue(CATALOGUE_CSV, ontology_dir=tmp_path / "o", en_dir=empty)
    g = _graph(result.text)
    assert not [o for o in g.objects(None, SKOS.prefLabel) if o.language == "en"]
    assert not list(g.objects(None, RT.enLabelOrigin))
    assert len(result.notes.en_missing) == 1349 + 275 + 57 + 19 + 178


def test_en_label_for_another_name_is_not_used(tmp_path):
    en = tmp_path / "en"
    en.mkdir()
    (en / "programmes.csv").write_text(
        "code,zh,en\n460305,护理,Nursing\n460306,电气自动化技术,EA\n", encoding="utf-8"
    )
    result = import_catalogue(CATALOGUE_CSV, ontology_dir=tmp_path / "o", en_dir=en)
    g = _graph(result.text)
    assert {o.language for o in g.objects(RTD["prog-460305"], SKOS.prefLabel)} == {"zh"}
    assert Literal("EA", lang="en") in set(g.objects(RTD["prog-460306"], SKOS.prefLabel))
    assert (
        RTD["prog-460306"],
        RT.enLabelOrigin,
        Literal("project translation, unreviewed", lang="en"),
    ) in g
    assert any("460305" in m for m in result.en_problems)


# ------------------------------------------------------------------ occupations


def test_occupation_counts_and_hierarchy(occupations):
    result, g = occupations
    assert _count(g, RT.Occupation) == 1636
    assert _count(g, RT.OccupationGroup) == 536
    levels = [str(o) for o in g.objects(None, RT.groupLevel)]
    assert (levels.count("大类"), levels.count("中类"), levels.count("小类")) == (8, 79, 449)
    assert len(set(g.subjects(RT.digital, Literal(True)))) == 89
    assert len(set(g.subjects(RT.green, Literal(True)))) == 123
    occ = RTD["occ-6-31-07-01"]
    assert (occ, RT.group, RTD["occgrp-6-31-07"]) in g
    assert (RTD["occgrp-6-31-07"], SKOS.broader, RTD["occgrp-6-31"]) in g
    assert (RTD["occgrp-6-31"], SKOS.broader, RTD["occgrp-6"]) in g
    assert (occ, RT.digital, Literal(True)) in g
    assert (occ, RT.edition, Literal("2022 public-comment draft")) in g
    assert (occ, DCTERMS.source, RTD["src-occupation-2022-draft"]) in g
    assert (occ, RT.confidence, Literal("medium-high")) in g


def test_truncated_name_is_kept_and_marked(occupations):
    result, g = occupations
    occ = RTD["occ-2-02-10-06"]
    assert Literal("嵌入式系统设计工程技术人", lang="zh") in set(g.objects(occ, SKOS.prefLabel))
    issues = {str(o) for o in g.objects(occ, RT.dataIssue)}
    assert any("cut short" in i and "工程技术人员" in i for i in issues)
    assert result.counts["issues_by_kind"]["name looks cut short"] == 22
    # names that are merely long or unusual are not marked
    for name in (
        "不便分类的其他从业人员",
        "中西医结合皮肤与性病科医师",
        "国有企业中国共产党组织负责人",
        "翻译",
    ):
        assert cut_short(name) is None


def test_odd_00_code_is_kept_and_marked(occupations):
    result, g = occupations
    issues = {str(o) for o in g.objects(RTD["occ-3-02-02-00"], RT.dataIssue)}
    assert any("-00" in i and "3-02-02-02" in i for i in issues)
    assert not list(g.objects(RTD["occ-1-02-01-00"], RT.dataIssue))  # an undivided 小类 is fine
    assert result.counts["marked"] == 23


def test_prefix_mismatch_is_marked(tmp_path):
    occ = tmp_path / "occ.csv"
    with OCC_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0].keys())
    rows = rows[:3] + [{**rows[3], "occupation_code": "1-09-09-01"}]
    with occ.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    result = import_occupations(occ, HIER_CSV, ontology_dir=tmp_path, en_dir=EN, write=False)
    assert result.counts["issues_by_kind"] == {"code prefix does not match its group": 1}


# ------------------------------------------------------------------ derived links


@pytest.fixture(scope="module")
def scorer():
    with OCC_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return Scorer([(r["occupation_code"], r["occupation_name"], r["small_name"]) for r in rows])


def test_derived_candidates_are_sensible(scorer):
    robot = [code for _s, code, _n in scorer.candidates("工业机器人技术", "自动化类")]
    assert robot[0] == "6-31-07-03" and "6-31-07-01" in robot  # 系统操作员, 系统运维员
    nursing = [code for _s, code, _n in scorer.candidates("护理", "护理类")]
    assert nursing and all(code.startswith("2-05-08-") for code in nursing)  # 护士
    assert [c for _s, c, _n in scorer.candidates("社会工作", "公共事业类")][0] == "2-07-10-01"
    assert [c for _s, c, _n in scorer.candidates("增材制造技术", "机械设计制造类")][
        0
    ] == "2-02-38-11"
    assert scorer.candidates("飞机设备维修", "航空运输类") == []  # nothing good enough: nothing
    scores = [s for s, _c, _n in scorer.candidates("计算机应用技术", "计算机类")]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 3
    assert all(Decimal("0.45") <= s <= 1 for s in scores)


@pytest.mark.slow
def test_derived_links_file(tmp_path):
    onto = tmp_path / "ontology"
    (onto / "links").mkdir(parents=True)
    (onto / "imports").symlink_to(IMPORTS, target_is_directory=True)
    (onto / "links" / "occupation-links-curated.ttl").write_text(
        "@prefix rtd: <https://w3id.org/rongtong/id/> .\n@prefix rt: <https://w3id.org/rongtong/ns#> .\n"
        "rtd:occlink-460305-6-31-07-03 a rt:OccupationLink ; rt:basis rt:curated ;\n"
        "    rt:programme rtd:prog-460305 ; rt:occupation rtd:occ-6-31-07-03 .\n",
        encoding="utf-8",
    )
    assert curated_programmes(onto) == {"prog-460305"}
    result = derive_links(ontology_dir=onto)
    assert result.skipped_curated == 1 and result.written
    g = _graph(result.out.read_text(encoding="utf-8"))
    links = set(g.subjects(RDF.type, RT.OccupationLink))
    assert len(links) == result.links > 1000
    per_prog: dict = {}
    for link in links:
        assert (link, RT.basis, RT.derived) in g
        assert (link, RT.confidence, Literal("low")) in g
        assert {str(s) for s in g.objects(link, DCTERMS.source)} == {
            str(RTD["src-moe-catalogue-2021"]),
            str(RTD["src-occupation-2022-draft"]),
        }
        assert list(g.objects(link, RT.derivedBy)) == [derive_importer.METHOD]
        assert list(g.objects(link, RT.method)) == []  # named once, not repeated per link
        prog = next(g.objects(link, RT.programme))
        occ = next(g.objects(link, RT.occupation))
        assert str(link).endswith(
            f"occlink-{str(prog).rsplit('prog-', 1)[1]}-{str(occ).rsplit('occ-', 1)[1]}"
        )
        per_prog[prog] = per_prog.get(prog, 0) + 1
        labels = {o.language: str(o) for o in g.objects(link, SKOS.prefLabel)}
        assert labels["zh"].endswith("(推导候选)")
    assert max(per_prog.values()) <= 3
    assert RTD["prog-460305"] not in per_prog  # curated links win
    assert (RTD["occlink-520201-2-05-08-01"], RT.programme, RTD["prog-520201"]) in g
    # the method text is written nowhere in the generated file, only its IRI
    assert derive_importer.METHOD_EN not in result.text and "rt:method" not in result.text
    assert (
        result.text.count("rt:derivedBy rtd:method-lexical-occupation-candidates ;") == result.links
    )
    # this copy has no data/methods.ttl: the summary says the method is described nowhere
    assert result.method_problems and "methods.ttl" in result.summary()


METHODS = (
    (
        derive_importer.METHOD,
        derive_importer.METHOD_ZH,
        derive_importer.METHOD_EN,
        ONTOLOGY / "links" / "occupation-links-derived.ttl",
    ),
    (
        catalogue_importer.CLASSPROG_METHOD,
        catalogue_importer.CLASSPROG_METHOD_ZH,
        catalogue_importer.CLASSPROG_METHOD_EN,
        ONTOLOGY / "catalogue" / "programmes-2021.ttl",
    ),
)


@pytest.mark.parametrize("method, zh, en, generated", METHODS, ids=["links", "progressions"])
def test_derived_links_name_a_described_method(method, zh, en, generated):
    """Every derived link in the repo names (rt:derivedBy) one rt:DerivationMethod of
    data/methods.ttl that has labels and its full description in Chinese and English, the same
    text as the importer's code; the links no longer repeat it."""
    methods = rdflib.Graph().parse(ONTOLOGY / "data" / "methods.ttl")
    assert (method, RDF.type, RT.DerivationMethod) in methods
    labels = {o.language for o in methods.objects(method, SKOS.prefLabel)}
    definitions = {o.language: str(o) for o in methods.objects(method, SKOS.definition)}
    assert labels == {"zh", "en"}
    assert definitions == {"zh": zh, "en": en}
    assert {o.language for o in methods.objects(method, RT.scoreMeaning)} == {"zh", "en"}
    assert list(methods.objects(method, DCTERMS.source)) and list(methods.objects(method, RT.asOf))
    assert method_description_problems(ONTOLOGY, method, zh, en) == []

    g = parse_turtle([generated])
    derived = set(g.subjects(RT.basis, RT.derived))
    assert len(derived) > 100
    for link in derived:
        assert list(g.objects(link, RT.derivedBy)) == [method], link
        assert list(g.objects(link, RT.method)) == [], link


def test_a_method_description_that_differs_from_the_code_is_reported(tmp_path):
    (tmp_path / "data").mkdir()
    text = (ONTOLOGY / "data" / "methods.ttl").read_text(encoding="utf-8")
    (tmp_path / "data" / "methods.ttl").write_text(
        text.replace("top 3 with score ≥ 0.45", "top 5 with score ≥ 0.4"), encoding="utf-8"
    )
    problems = method_description_problems(
        tmp_path, derive_importer.METHOD, derive_importer.METHOD_ZH, derive_importer.METHOD_EN
    )
    assert len(problems) == 1 and "@en" in problems[0] and "top 3 with score ≥ 0.45" in problems[0]
    missing = method_description_problems(tmp_path, RTD["method-nonexistent"], "x", "y")
    assert missing and "does not define rtd:method-nonexistent" in missing[0]


# ------------------------------------------------------------------ determinism and freshness


@pytest.mark.slow
def test_output_is_deterministic(tmp_path):
    a = import_catalogue(CATALOGUE_CSV, ontology_dir=tmp_path / "a", en_dir=EN).out.read_bytes()
    b = import_catalogue(CATALOGUE_CSV, ontology_dir=tmp_path / "b", en_dir=EN).out.read_bytes()
    assert a == b
    o1 = import_occupations(
        OCC_CSV, HIER_CSV, ontology_dir=tmp_path / "a", en_dir=EN
    ).out.read_bytes()
    o2 = import_occupations(
        OCC_CSV, HIER_CSV, ontology_dir=tmp_path / "b", en_dir=EN
    ).out.read_bytes()
    assert o1 == o2
    d1 = derive_links(ontology_dir=ONTOLOGY, out=tmp_path / "d1.ttl").text
    d2 = derive_links(ontology_dir=ONTOLOGY, out=tmp_path / "d2.ttl").text
    assert d1 == d2


def _check_fresh(path: Path, fresh: str, command: str) -> None:
    """Fail with the first differing line (not a 2 MB diff) when ``path`` is stale."""
    current = path.read_text(encoding="utf-8")
    if current == fresh:
        return
    old_lines, new_lines = current.splitlines(), fresh.splitlines()
    line = next(
        (i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
        min(len(old_lines), len(new_lines)),
    )
    got = old_lines[line] if line < len(old_lines) else "<end of file>"
    want = new_lines[line] if line < len(new_lines) else "<end of file>"
    pytest.fail(
        f"{path.relative_to(REPO)} differs from what the importer generates (line {line + 1}: "
        f"file has {got[:120]!r}, importer writes {want[:120]!r}). Do not hand-edit it; run `{command}`."
    )


@pytest.mark.slow
def test_generated_files_are_up_to_date():
    catalogue = ONTOLOGY / "catalogue" / "programmes-2021.ttl"
    occupations = ONTOLOGY / "catalogue" / "occupations-2022.ttl"
    derived = ONTOLOGY / "links" / "occupation-links-derived.ttl"
    for f in (catalogue, occupations, derived):
        assert f.is_file(), f"{f} is missing"
    fresh = import_catalogue(CATALOGUE_CSV, ontology_dir=ONTOLOGY, report_only=True)
    _check_fresh(
        catalogue,
        fresh.text,
        "rongtong import-catalogue ontology/imports/moe_vocational_major_catalog_2021.csv",
    )
    occ = import_occupations(OCC_CSV, HIER_CSV, ontology_dir=ONTOLOGY, write=False)
    _check_fresh(occupations, occ.text, "rongtong import-occupations")
    links = derive_links(ontology_dir=ONTOLOGY, write=False)
    _check_fresh(
        derived, links.text, "rongtong derive-links (after any change to the curated links)"
    )


def test_repo_files_have_every_english_label():
    for name in ("catalogue/programmes-2021.ttl", "catalogue/occupations-2022.ttl"):
        g = rdflib.Graph().parse(ONTOLOGY / name, format="turtle")
        missing = [
            s
            for s in set(g.subjects(RDF.type, None))
            if "en" not in {o.language for o in g.objects(s, SKOS.prefLabel)}
        ]
        assert missing == [], (
            f"{name}: {len(missing)} resources without an English label, e.g. {missing[:3]}"
        )
        for s in set(g.subjects(RDF.type, None)):
            assert len(list(g.objects(s, RT.enLabelOrigin))) == 1


# ------------------------------------------------------------------ CLI


def test_cli_registers_the_three_commands(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="rongtong")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.register(sub)
    args = parser.parse_args(
        [
            "import-catalogue",
            str(CATALOGUE_CSV),
            "--ontology",
            str(tmp_path),
            "--en-labels",
            str(EN),
            "--report-only",
        ]
    )
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "1349 programmes, 275 classes, 57 categories, 19 fields" in out
    assert not (tmp_path / "catalogue").exists()
    args = parser.parse_args(
        ["import-occupations", str(OCC_CSV), str(HIER_CSV), "--ontology", str(tmp_path), "--check"]
    )
    assert args.func(args) == 0
    assert "1636 occupations, 536 groups" in capsys.readouterr().out
    args = parser.parse_args(["derive-links", "--ontology", str(ONTOLOGY), "--check"])
    assert args.func(args) == 0
    assert "with ≥1 candidate" in capsys.readouterr().out
    args = parser.parse_args(
        ["import-catalogue", str(tmp_path / "nope.csv"), "--ontology", str(tmp_path)]
    )
    assert args.func(args) == 2
    assert "no such file" in capsys.readouterr().err


def test_ontology_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RONGTONG_ONTOLOGY", str(tmp_path))
    result = import_catalogue(CATALOGUE_CSV, en_dir=EN, report_only=True)
    assert result.out == tmp_path.resolve() / "catalogue" / "programmes-2021.ttl"
