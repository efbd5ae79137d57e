"""The closed namespace in kg/vocab.py and the vocabulary file must define the same terms."""

from pathlib import Path

import rdflib

from kg.vocab import RT

VOCAB = Path(__file__).resolve().parent.parent / "ontology" / "vocab" / "rongtong.ttl"


def vocab_terms() -> set[str]:
    graph = rdflib.Graph().parse(VOCAB)
    base = str(RT)
    return {
        str(s)[len(base) :] for s in graph.subjects() if str(s).startswith(base) and str(s) != base
    }


def test_closed_namespace_matches_vocabulary_file():
    # ClosedNamespace keeps its terms privately; name-mangled access is the only way to list them.
    in_code = set(RT._ClosedNamespace__uris)
    in_file = vocab_terms()
    assert in_file - in_code == set(), "terms in rongtong.ttl missing from kg/vocab.py"
    assert in_code - in_file == set(), "terms in kg/vocab.py missing from rongtong.ttl"


def test_every_term_has_zh_and_en_labels():
    graph = rdflib.Graph().parse(VOCAB)
    for name in vocab_terms():
        langs = {lit.language for lit in graph.objects(RT[name], rdflib.RDFS.label)}
        langs |= {lit.language for lit in graph.objects(RT[name], rdflib.namespace.SKOS.prefLabel)}
        assert {"zh", "en"} <= langs, f"rt:{name} lacks a zh or en label"
