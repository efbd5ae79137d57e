"""``rongtong diff``: changes reported as resources and properties in plain words."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from recipes.readme_recipes import ONTOLOGY, rongtong

NEW_ROUTE = """
rtd:route-test-shandong-3plus4 a rt:Route ;
    skos:prefLabel "测试：山东中本贯通"@zh , "Test: Shandong 3+4"@en ;
    rt:from rtd:stage-secondary-vocational ;
    rt:to rtd:stage-vocational-bachelor ;
    rt:mechanism rtd:mech-3plus4 ;
    rt:years 4.0 ;
    rt:region rtd:region-shandong ;
    dcterms:source rtd:src-rongtong-curation ;
    rt:asOf "2026-11" ;
    rt:confidence "low" .
"""
OLD_EN = '"Industrial Robot Technology"@en'
NEW_EN = '"Industrial Robotics Technology"@en'


def _copy_data(dest):
    """The data files only (what diff compares), to keep the copies small."""
    for sub in ("vocab", "data", "catalogue", "links"):
        shutil.copytree(ONTOLOGY / sub, dest / sub)
    return dest


def _edit(root):
    programmes = root / "catalogue" / "programmes-2021.ttl"
    text = programmes.read_text(encoding="utf-8")
    assert OLD_EN in text
    programmes.write_text(text.replace(OLD_EN, NEW_EN, 1), encoding="utf-8")
    routes = root / "data" / "routes.ttl"
    routes.write_text(routes.read_text(encoding="utf-8") + NEW_ROUTE, encoding="utf-8")


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    old = _copy_data(tmp_path_factory.mktemp("old") / "ontology")
    new = _copy_data(tmp_path_factory.mktemp("new") / "ontology")
    _edit(new)
    return old, new


def test_text_names_the_renamed_label_and_the_added_route(sides):
    old, new = sides
    proc = rongtong("diff", str(old), str(new))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert (
        "Programme 460305 工业机器人技术: English label changed from "
        "'Industrial Robot Technology' to 'Industrial Robotics Technology'"
    ) in out
    added = [line for line in out.splitlines() if "route-test-shandong-3plus4" in line]
    assert added and added[0].startswith("+ Added route route-test-shandong-3plus4 ("), out
    assert "中等职业教育 → 职业本科" in added[0] and "4 years" in added[0] and "山东" in added[0]
    assert "[data/routes.ttl]" in added[0]
    assert "1 added, 0 removed, 1 changed" in out
    assert "Files changed: catalogue/programmes-2021.ttl, data/routes.ttl" in out


def test_json_has_the_same_as_data(sides):
    old, new = sides
    proc = rongtong("diff", str(old), str(new), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [a["id"] for a in result["added"]] == ["route-test-shandong-3plus4"]
    assert result["added"][0]["kind"] == "Route"
    assert result["removed"] == []
    [changed] = result["changed"]
    assert changed["id"] == "prog-460305" and changed["code"] == "460305"
    [change] = changed["changes"]
    assert change["change"] == "changed" and change["lang"] == "en"
    assert change["old"] == [{"value": "Industrial Robot Technology", "lang": "en"}]
    assert change["new"] == [{"value": "Industrial Robotics Technology", "lang": "en"}]
    assert result["summary"]["triples_added"] == 12  # 11 of the route + the new label
    assert result["summary"]["triples_removed"] == 1


def test_same_directories_show_no_change(sides):
    old, _ = sides
    proc = rongtong("diff", str(old), str(old))
    assert proc.returncode == 0 and "The graphs are the same." in proc.stdout


def test_a_git_revision_is_read_without_touching_the_checkout(tmp_path):
    repo = tmp_path / "repo"
    root = _copy_data(repo / "ontology")

    def git(*args):
        return subprocess.run(
            ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    _edit(root)
    status_before = git("status", "--porcelain").stdout
    proc = rongtong("diff", "HEAD", "--ontology", str(root))
    assert proc.returncode == 0, proc.stderr
    assert "English label changed from 'Industrial Robot Technology'" in proc.stdout
    assert "+ Added route route-test-shandong-3plus4" in proc.stdout
    assert proc.stdout.startswith("Comparing HEAD (ontology/)")
    assert git("status", "--porcelain").stdout == status_before  # nothing in the checkout changed
    bad = rongtong("diff", "no-such-revision", "--ontology", str(root))
    assert bad.returncode == 2 and "neither an ontology directory nor a git revision" in bad.stderr
