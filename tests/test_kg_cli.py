"""The kg subcommands of ``rongtong``, run through main([...])."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib

from kg.cli import main

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json(capsys):
    code, out, _ = run(capsys, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["programmes"] == 1349
    assert stats["occupations"] == 1636
    assert stats["facts"] >= 39
    assert stats["unsourced"] == 0
    for key in (
        "triples",
        "routes",
        "transfers",
        "credentials",
        "sources",
        "misconceptions",
        "interests",
    ):
        assert stats[key] > 0, key
    assert stats["version"]["hash"] and stats["version"]["newest_source"]


def test_unsourced_counts_what_must_name_a_source(capsys, ontology_copy):
    facts = ontology_copy / "data" / "facts.ttl"
    facts.write_text(
        facts.read_text(encoding="utf-8")
        + '\nrtd:fact-T-x a rt:Fact ; skos:prefLabel "x"@zh , "x"@en ; rt:claim "x"@zh , "x"@en ;'
        ' rt:asOf "2026" ; rt:confidence "low" .\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "stats", "--json", "--ontology", str(ontology_copy))
    assert code == 0 and json.loads(out)["unsourced"] == 1


def test_paths_text_lists_the_main_routes(capsys):
    code, out, _ = run(capsys, "paths", "中职", "本科")
    assert code == 0
    assert out.startswith("中等职业教育 → 本科")
    for word in ("职教高考", "3+4", "3+2", "专升本"):
        assert word in out, word
    # a path with a step of unknown length shows a floor or "?", never "None" or a false total
    assert "None" not in out
    assert "≥" in out or "?年" in out


def test_paths_json_has_the_api_shape(capsys):
    code, out, _ = run(capsys, "paths", "中职", "本科", "--json", "--lang", "en")
    assert code == 0
    body = json.loads(out)
    assert body["from"]["iri"].endswith("stage-secondary-vocational")
    assert body["to"]["iri"].endswith("stage-bachelor")
    step = body["paths"][0]["steps"][0]
    assert {"from", "to", "via", "mechanism", "years", "conditions", "region", "source"} <= set(
        step
    )
    assert "total_years" in body["paths"][0]


def test_paths_from_a_programme_name_the_same_field_programmes(capsys):
    code, out, _ = run(capsys, "paths", "660302", "职业本科")
    assert code == 0
    assert out.startswith("电气设备运行与控制 → 职业本科")
    assert "同领域专业（按专业代码推导）" in out and "机器人技术" in out
    code, out, _ = run(capsys, "paths", "660302", "职业本科", "--lang", "en")
    assert "same-field programmes (derived from catalogue codes)" in out
    assert "Robotics Technology" in out


def test_paths_unknown_place_exits_2_and_says_which(capsys):
    code, out, err = run(capsys, "paths", "中职", "火星大学")
    assert code == 2 and not out
    assert "火星大学" in err and "to:" in err


def test_query_named_with_param_json(capsys):
    code, out, _ = run(
        capsys,
        "query",
        "programme-occupations",
        "--param",
        "programme=rtd:prog-460305",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    occupations = {b["occupation"]["value"] for b in data["results"]["bindings"]}
    assert "https://w3id.org/rongtong/id/occ-6-31-07-01" in occupations


def test_query_param_by_label(capsys):
    code, out, _ = run(
        capsys, "query", "programme-occupations", "--param", "programme=工业机器人技术"
    )
    assert code == 0 and "rtd:occ-6-31-07-01" in out


def test_query_file_csv_and_stdin(capsys, tmp_path, monkeypatch):
    path = tmp_path / "q.rq"
    path.write_text(
        "SELECT ?s WHERE { ?s a <https://w3id.org/rongtong/ns#EducationStage> } ORDER BY ?s"
    )
    code, out, _ = run(capsys, "query", str(path), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["s"] and len(rows) > 10
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("ASK { ?s a <https://w3id.org/rongtong/ns#Route> }")
    )
    code, out, _ = run(capsys, "query", "-")
    assert code == 0 and out.strip() == "true"


def test_query_refuses_updates(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("DELETE WHERE { ?s ?p ?o }"))
    code, _, err = run(capsys, "query", "-")
    assert code == 1 and "read-only" in err


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nt", "nt"), ("ttl", "turtle")])
def test_export_round_trips(capsys, tmp_path, graph, fmt, rdflib_format):
    target = tmp_path / f"out.{fmt}"
    code, _, _ = run(capsys, "export", "--format", fmt, "-o", str(target))
    assert code == 0
    parsed = rdflib.Graph().parse(target, format=rdflib_format)
    assert len(parsed) == graph.version["triples"]


def test_export_jsonld(capsys, tmp_path):
    target = tmp_path / "out.jsonld"
    assert main(["export", "--format", "jsonld", "-o", str(target)]) == 0
    capsys.readouterr()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data and any("prog-460305" in json.dumps(item) for item in data[:5000])


def test_settings_table(capsys):
    code, out, _ = run(capsys, "settings")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header == ["name", "value", "default", "help"]
    assert "query_timeout" in out and "RONGTONG_QUERY_TIMEOUT" in out
    code, out, _ = run(capsys, "settings", "--json")
    assert any(row["name"] == "store" for row in json.loads(out))


def test_store_option_memory(capsys):
    code, out, _ = run(capsys, "query", "stats", "--store", "memory", "--format", "json")
    assert code == 0
    assert json.loads(out)["results"]["bindings"][0]["programmes"]["value"] == "1349"


def test_validate_syntax_error_exit_1(capsys, ontology_copy):
    (ontology_copy / "data" / "zz.ttl").write_text(
        "@prefix rtd: <https://w3id.org/rongtong/id/> .\nrtd:a rtd:b .\n"
    )
    code, out, _ = run(capsys, "validate", str(ontology_copy))
    assert code == 1
    assert "error: data/zz.ttl:2" in out and "FAILED" in out


def test_rongtong_registers_the_kg_and_importer_commands():
    from web.cli import build_parser

    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    for name in ("validate", "stats", "query", "paths", "export", "settings", "import-catalogue"):
        assert name in choices, name
