"""Bound parameters on Oxigraph (and a remote endpoint): each value is written into the query as one
serialised, validated RDF term (``kg.stores.bound_query``), so no value can change what the query
means, and the answers are those of pyoxigraph's own ``substitutions=``."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.stores import OxigraphBackend, bound_query, sparql_term
from kg.terms import to_oxigraph

EX = "http://example.org/"
LABEL = EX + "label"
HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "x' . ?s ?p ?o . '",
    'a\\" } # ',
    "line\nbreak } > <",
    '"""triple""" } {',
    "<http://example.org/secret> } UNION { ?s ?p ?o",
    "\\u0022 } UNION { ?s ?p ?o } #",
    "'''x''' ) ) } } ; . ,",
]
QUERY = f"SELECT ?label ?s WHERE {{ ?s <{LABEL}> ?label }}"


@pytest.fixture(scope="module")
def backend():
    b = OxigraphBackend()
    label = ox.NamedNode(LABEL)
    b.store.add(ox.Quad(ox.NamedNode(EX + "secret"), label, ox.Literal("secret")))
    for i, text in enumerate(HOSTILE):
        b.store.add(ox.Quad(ox.NamedNode(EX + f"h{i}"), label, ox.Literal(text)))
    return b


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_literal_matches_only_itself(backend, text):
    """Quotes, braces, '>' and escapes in a value stay inside the literal."""
    expected = [{"label": Literal(text), "s": URIRef(EX + f"h{HOSTILE.index(text)}")}]
    assert backend.select(QUERY, {"label": Literal(text)}) == expected
    assert backend.select(QUERY, {"label": Literal(text, lang="zh")}) == []
    # bound through the projection only (the subject is free): still one row, never the graph
    rows = backend.select(f"SELECT ?s WHERE {{ ?s <{LABEL}> ?label }}", {"label": Literal(text)})
    assert rows == [{"s": URIRef(EX + f"h{HOSTILE.index(text)}")}]


@pytest.mark.parametrize(
    "iri",
    [
        EX + "secret> } UNION { ?s ?p ?o",
        EX + "a b",
        EX + 'a"',
        EX + "{a}",
        EX + "a\\u003E",
        EX + "a|b",
        "not an iri",
    ],
)
def test_a_malformed_iri_is_refused(backend, iri):
    with pytest.raises(ValueError):
        backend.select(QUERY, {"s": URIRef(iri)})
    with pytest.raises(ValueError):
        sparql_term(Literal("1", datatype=URIRef(iri)))


def test_a_literal_where_only_an_iri_may_stand_matches_nothing(backend):
    text = "SELECT ?p ?o WHERE { ?s ?p ?o }"
    assert backend.select(text, {"p": Literal(LABEL)}) == []
    assert len(backend.select(text, {"p": URIRef(LABEL)})) == len(HOSTILE) + 1


def test_a_value_is_always_exactly_one_term():
    for text in HOSTILE:
        term = sparql_term(Literal(text))
        assert term.startswith('"') and term.endswith('"')
        assert (
            ox.Literal(text)
            == next(iter(ox.Store().query(f"SELECT ?x WHERE {{ BIND({term} AS ?x) }}")))["x"]
        )


def test_hostile_values_through_the_graph_api(graph):
    """Strings become IRIs only when they are valid ones; anything else is a plain literal."""
    for text in HOSTILE:
        assert graph.query("entity-properties", entity=text) == []
        assert graph.entity(text) is None


SECRET = {"label": Literal("secret"), "s": URIRef(EX + "secret")}


@pytest.mark.parametrize(
    ("text", "template", "expected"),
    [
        (QUERY, True, [SECRET]),
        (f"SELECT ?s WHERE {{ ?s <{LABEL}> ?label }} ORDER BY ?label", True, [{"s": SECRET["s"]}]),
        (f"SELECT * WHERE {{ ?s <{LABEL}> ?label }}", False, [SECRET]),
        (
            f"SELECT ?label WHERE {{ ?s <{LABEL}> ?x BIND(?x AS ?label) }}",
            False,
            [{"label": SECRET["label"]}],
        ),
        (
            f"SELECT ?s WHERE {{ ?s <{LABEL}> ?x OPTIONAL {{ ?s ?p ?label }} "
            "FILTER(BOUND(?label)) }",
            False,
            [{"s": SECRET["s"]}],
        ),
        (
            f"SELECT ?label WHERE {{ {{ SELECT ?label WHERE {{ ?s <{LABEL}> ?label }} }} }}",
            False,
            [{"label": SECRET["label"]}],
        ),
        (
            f"SELECT ?label (COUNT(?s) AS ?n) WHERE {{ ?s <{LABEL}> ?label }} GROUP BY ?label",
            False,
            [{"label": SECRET["label"], "n": Literal(1)}],
        ),
        (
            f'SELECT ?label ?s WHERE {{ VALUES ?label {{ "secret" "x" }} ?s <{LABEL}> ?label }}',
            False,
            [SECRET],
        ),
        (  # a trailing VALUES clause of its own, and one the template cannot use
            f"SELECT * WHERE {{ ?s <{LABEL}> ?label }} VALUES ?s {{ <{EX}secret> }}",
            False,
            [SECRET],
        ),
        (
            f"SELECT ?label ?s WHERE {{ ?s <{LABEL}> ?label }} VALUES ?s {{ <{EX}secret> }}",
            True,
            [SECRET],
        ),
    ],
)
def test_a_values_block_where_constants_would_change_the_meaning(backend, text, template, expected):
    """Subqueries, SELECT *, BIND/VALUES targets, BOUND and GROUP BY get a VALUES clause."""
    bindings = {"label": Literal("secret")}
    rewritten = bound_query(text, bindings)
    assert ("VALUES (?label)" not in rewritten) is template
    if template:  # the variable is gone from the pattern, the projection still has it
        where = rewritten.split("WHERE", 1)[1].split("ORDER BY")[0]
        assert "?label" not in where and '"secret"' in where
    else:  # written once, in the VALUES clause
        assert rewritten.count('"secret"') == 1 + text.count('"secret"')
    assert backend.select(text, bindings) == expected


def _bag(solutions) -> Counter:
    names = [v.value for v in solutions.variables]
    return Counter(
        tuple((n, str(s[i])) for i, n in enumerate(names) if s[i] is not None) for s in solutions
    )


CASES = [
    ("routes-from", {"from": "stage-secondary-vocational"}),
    ("transfers", {"from": "stage-secondary-vocational", "to": "stage-general-senior"}),
    ("stage-routes-to-bachelor", {"start": "stage-secondary-vocational"}),
    ("routes-to-professional-master", {"start": "stage-secondary-vocational"}),
    ("programme-occupations", {"programme": "prog-460305"}),
    ("programme-credentials", {"programme": "prog-460305"}),
    ("next-level-programmes", {"programme": "prog-460305"}),
    ("occupation-programmes", {"occupation": "occ-6-31-07-01"}),
    ("facts-about", {"entity": "misc-dead-end"}),
    ("field-programmes", {"area": "class-4603"}),
    ("field-programmes", {"area": "field-46"}),
    ("interest-fields", {"interest": "interest-machines"}),
    ("entity-incoming", {"entity": "stage-higher-vocational"}),
]


@pytest.mark.parametrize(
    ("name", "params"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_named_queries_match_pyoxigraph_substitutions(graph, name, params):
    """The constants written in give exactly the rows pyoxigraph's substitutions= gives."""
    text = graph.queries.get(name).text
    bindings = {k: URIRef("https://w3id.org/rongtong/id/" + v) for k, v in params.items()}
    store = graph.backend.store
    rewritten = bound_query(text, bindings)
    assert "VALUES (" not in rewritten
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
    expected = _bag(store.query(text, substitutions=subs))
    assert _bag(store.query(rewritten)) == expected
