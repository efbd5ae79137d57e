"""Every recipe of ontology/README.md works: applied to a copy of the ontology it validates (no new
errors from ``rongtong validate``) and its new resources answer the named queries."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from recipes.readme_recipes import (
    ONTOLOGY,
    apply,
    copy_ontology,
    error_keys,
    recipes,
    validate_json,
)

RTD = "https://w3id.org/rongtong/id/"
TOPICS = {
    1: "programme",
    2: "occupation",
    3: "transfer rule",
    4: "fact",
    5: "misconception",
    6: "named query",
}


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """(pristine copy, copy with every recipe applied)."""
    base = copy_ontology(tmp_path_factory.mktemp("pristine") / "ontology")
    edited = copy_ontology(tmp_path_factory.mktemp("recipes") / "ontology")
    for recipe in recipes():
        apply(recipe, edited)
    return base, edited


@pytest.fixture(scope="module")
def graph(copies):
    from kg import open_graph

    g = open_graph(copies[1])
    yield g
    g.close()


def test_the_readme_has_the_six_recipes():
    found = {r.number: r for r in recipes()}
    assert sorted(found) == [1, 2, 3, 4, 5, 6]
    for number, word in TOPICS.items():
        recipe = found[number]
        assert word.split()[0] in recipe.title.lower(), recipe.title
        assert any(b.action in ("append to", "new file") for b in recipe.blocks), (
            f"Recipe {number} has no example block to apply"
        )


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: f"recipe-{r.number}")
def test_each_block_parses_in_its_file(recipe, tmp_path):
    for block in recipe.blocks:
        if block.lang == "sparql":
            ox.Store().query(block.text)  # raises SyntaxError on a bad query
            continue
        target = ONTOLOGY / block.target
        prefix_lines = ""
        if target.exists():
            prefix_lines = "\n".join(
                line
                for line in target.read_text(encoding="utf-8").splitlines()
                if line.startswith("@prefix")
            )
        try:
            list(ox.parse((prefix_lines + "\n" + block.text).encode(), format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            pytest.fail(f"Recipe {recipe.number}, block for {block.target}: {exc}")


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: f"recipe-{r.number}")
def test_reference_blocks_match_the_data(recipe):
    """A block shown as 'already in: FILE' must say exactly what FILE says."""
    for block in recipe.blocks:
        if block.action != "already in":
            continue
        target = ONTOLOGY / block.target
        text = target.read_text(encoding="utf-8")
        prefixes = "\n".join(line for line in text.splitlines() if line.startswith("@prefix"))
        shown = set(ox.parse((prefixes + "\n" + block.text).encode(), format=ox.RdfFormat.TURTLE))
        there = set(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
        missing = shown - there
        assert not missing, (
            f"Recipe {recipe.number}: not in {block.target}: {sorted(map(str, missing))[:5]}"
        )


def test_recipes_validate_with_no_new_errors(copies):
    base, edited = copies
    before, after = validate_json(base), validate_json(edited)
    new = {k: v for k, v in error_keys(after).items() if k not in error_keys(before)}
    assert not new, "the README's recipes add validation errors:\n" + "\n".join(new.values())
    assert after["triples"] > before["triples"]
    if before["ok"]:
        assert after["ok"] and after["returncode"] == 0


def _iris(rows, key):
    return {str(r[key]) for r in rows if key in r}


def test_recipe_1_programme_is_queryable(graph):
    rows = graph.query("programme-info", programme=RTD + "prog-460399")
    assert rows and str(rows[0]["code"]) == "460399"
    assert str(rows[0]["class"]) == RTD + "class-4603"
    assert RTD + "prog-460399" in graph.resolve("智能产线运维示例")


def test_recipe_2_occupation_link_is_queryable(graph):
    rows = graph.query("programme-occupations", programme=RTD + "prog-740202")
    link = [r for r in rows if str(r["occupation"]) == RTD + "occ-4-03-02-03"]
    assert link, rows
    assert str(link[0]["basis"]).endswith("#curated")


def test_recipe_3_transfer_rule_is_queryable(graph):
    rows = graph.query(
        "transfers",
        **{"from": RTD + "stage-secondary-vocational", "to": RTD + "stage-general-senior"},
    )
    mine = [
        r
        for r in rows
        if str(r["transfer"]) == RTD + "transfer-example-province-vocational-to-general"
    ]
    assert mine
    assert {str(r["validFrom"]) for r in mine} == {"2026-09-01"}
    assert {str(r["validUntil"]) for r in mine} == {"2029-08-31"}
    assert {str(r["region"]) for r in mine} == {RTD + "region-example-province"}


def test_recipe_4_fact_is_queryable(graph):
    rows = graph.query("facts-about", entity=RTD + "region-weifang")
    assert RTD + "fact-D-weifang-transfer-direction" in _iris(rows, "fact")


def test_recipe_5_misconception_is_answered(graph):
    rows = graph.query("misconception-facts", misconception=RTD + "misc-transfer-on-paper")
    answers = {str(r["fact"]) for r in rows if str(r.get("role")) == "answer"}
    limits = {str(r["fact"]) for r in rows if str(r.get("role")) == "limit"}
    assert RTD + "fact-F30" in answers
    assert RTD + "fact-P001-one-way-transfers" in limits


def test_recipe_6_named_query_runs_with_its_parameters(graph):
    assert "rules-in-force" in graph.queries
    example = RTD + "transfer-example-province-vocational-to-general"

    def rules(region: str, day: str) -> set[str]:
        return _iris(graph.query("rules-in-force", region=RTD + region, date=day), "rule")

    assert example in rules("region-example-province", "2027-03-01")
    assert example not in rules("region-example-province", "2025-03-01")
    assert example not in rules("region-example-province", "2030-03-01")
    shandong = RTD + "transfer-shandong-vocational-to-general"
    assert shandong in rules("region-shandong", "2026-03-01")
    assert shandong not in rules("region-shandong", "2025-03-01")
    # national rules hold everywhere; other provinces' rules do not
    assert RTD + "transfer-national-vocational-to-general" in rules("region-shandong", "2026-03-01")
    assert example not in rules("region-shandong", "2027-03-01")
