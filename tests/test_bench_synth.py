"""The scale benchmark's synthetic graphs are shaped like the real one (bench/synth.py)."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))

from bench import synth  # noqa: E402
from bench.scale_bench import bindings_for, pathway_queries  # noqa: E402

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
STANDARD = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "https://schema.org/",
)


def _load(path: Path) -> ox.Store:
    store = ox.Store()
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    store.load(path=str(path), format=fmt)
    return store


def _profile(store: ox.Store) -> tuple[Counter, Counter]:
    preds: Counter = Counter()
    types: Counter = Counter()
    for quad in store.quads_for_pattern(None, None, None):
        preds[quad.predicate.value] += 1
        if quad.predicate.value == RDF_TYPE:
            types[quad.object.value] += 1
    return preds, types


@pytest.fixture(scope="module")
def one(tmp_path_factory) -> tuple[Path, dict[str, list[str]], ox.Store]:
    path = tmp_path_factory.mktemp("synth") / "one.ttl"
    _, anchors = synth.write_synth(path, replicas=1)
    return path, anchors, _load(path)


@pytest.fixture(scope="module")
def real() -> ox.Store:
    from kg.load import OntologyFiles

    files = OntologyFiles.scan(REPO / "ontology")
    if not any("catalogue" in p.as_posix() for p in files.files):
        pytest.skip("the real graph's catalogue files are not there yet")
    store = ox.Store()
    for path in files.files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _vocab_terms() -> set[str]:
    store = _load(synth.VOCAB)
    return {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None)
        if isinstance(q.subject, ox.NamedNode)
    }


def test_turtle_parses_with_rdflib_and_oxigraph_alike(one):
    import rdflib

    path, _, store = one
    graph = rdflib.Graph()
    graph.parse(str(path), format="turtle")
    assert len(graph) == len(store) > 50_000


def test_ntriples_and_turtle_hold_the_same_triples(tmp_path, one):
    _, _, store = one
    nt = tmp_path / "one.nt"
    synth.write_synth(nt, replicas=1, fmt="nt")
    assert len(_load(nt)) == len(store)


def test_deterministic(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    synth.write_synth(a, replicas=2, seed=5)
    synth.write_synth(b, replicas=2, seed=5)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    c = tmp_path / "c.ttl"
    synth.write_synth(c, replicas=2, seed=6)
    assert c.read_bytes() != a.read_bytes()


def test_uses_only_defined_terms(one):
    _, _, store = one
    preds, types = _profile(store)
    vocab = _vocab_terms()
    for term in [*preds, *types]:
        assert term in vocab or term.startswith(STANDARD), term


def test_same_predicates_and_classes_as_the_real_graph(one, real):
    _, _, store = one
    s_preds, s_types = _profile(store)
    r_preds, r_types = _profile(real)
    vocab = _vocab_terms()
    # everything the synthetic graph says, the real one says too (or the vocabulary defines)
    assert set(s_preds) - set(r_preds) <= vocab
    # and every predicate and class the real graph uses more than a handful of times is there
    assert {p for p, n in r_preds.items() if n >= 5} <= set(s_preds)
    assert {t for t, n in r_types.items() if n >= 5} <= set(s_types)
    # with counts of the same order (within a factor of 3) for the big ones
    for pred, n in r_preds.items():
        if n >= 1000:
            assert n / 3 <= s_preds[pred] <= n * 3, (pred, n, s_preds[pred])


def test_one_replica_is_about_the_size_of_the_real_graph(one, real):
    _, _, store = one
    assert 0.7 <= len(store) / len(real) <= 1.3


def test_scales_near_the_requested_size(tmp_path):
    per = synth.triples_per_replica()
    path = tmp_path / "three.nt"
    count, _ = synth.write_synth(path, replicas=3, fmt="nt")
    assert abs(len(_load(path)) - 3 * per) / (3 * per) < 0.05
    assert abs(count - 3 * per) / (3 * per) < 0.05
    million = synth.replicas_for_triples(1_000_000)
    assert abs(million * per - 1_000_000) <= per / 2 + 1
    assert 0.9 <= million * per / 1_000_000 <= 1.1


def test_replicas_have_distinct_iris_and_replica_zero_keeps_canonical_names(tmp_path):
    path = tmp_path / "two.nt"
    _, anchors = synth.write_synth(path, replicas=2, fmt="nt")
    store = _load(path)
    stage = ox.NamedNode(synth.RTD + "stage-secondary-vocational")
    copy = ox.NamedNode(synth.RTD + "stage-secondary-vocational-r1")
    assert list(store.quads_for_pattern(stage, None, None))
    assert list(store.quads_for_pattern(copy, None, None))
    assert synth.RTD + "stage-secondary-vocational" in anchors["stage"]
    assert not any(iri.endswith("-r1") for iri in anchors["programme"])


def test_named_queries_return_rows_on_it(tmp_path):
    from kg.queries import QueryLibrary
    from kg.stores import OxigraphBackend

    path = tmp_path / "two.ttl"
    _, anchors = synth.write_synth(path, replicas=2)
    backend = OxigraphBackend()
    backend.store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    library = QueryLibrary.from_dir(REPO / "ontology" / "queries")
    with_params, _ = pathway_queries()
    assert {"routes-from", "stage-routes-to-bachelor", "programme-occupations"} <= set(with_params)
    empty = []
    for name, params in with_params.items():
        bindings = bindings_for(params, anchors, n=4)
        assert bindings, name
        query = library.get(name)
        if not any(backend.select(query.text, library.bindings(name, b)) for b in bindings):
            empty.append(name)
    assert not empty, f"no rows on the synthetic graph: {empty}"
