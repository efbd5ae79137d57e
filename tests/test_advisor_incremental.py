"""A live reload builds the advisor from the previous one (``Advisor.updated``): only the changed
resources' part of the snapshot is read again, only their documents are made, tokenised and
encoded again. The result must be what a fresh build makes: the same snapshot, documents, BM25
scores (to the bit), vectors, alias links and search results.
"""

from __future__ import annotations

import math
import pickle
import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from recipes.readme_recipes import copy_ontology

RTD = "https://w3id.org/rongtong/id/"
PROG = RTD + "prog-460305"


# ----------------------------------------------------------------------------- BM25


def _reference_bm25(docs_tokens, k1=1.2, b=0.6):
    """The per-term implementation BM25 had before its postings became flat arrays."""
    n = len(docs_tokens)
    lengths = np.array([max(1, len(t)) for t in docs_tokens], dtype=np.float32)
    avg = float(lengths.mean()) if n else 1.0
    postings = defaultdict(list)
    for i, toks in enumerate(docs_tokens):
        for term, tf in Counter(toks).items():
            postings[term].append((i, tf))
    idf, terms = {}, {}
    for term, plist in postings.items():
        df = len(plist)
        value = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        ids = np.fromiter((p[0] for p in plist), dtype=np.int32, count=df)
        tf = np.fromiter((p[1] for p in plist), dtype=np.float32, count=df)
        w = value * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[ids] / avg))
        idf[term] = value
        terms[term] = (ids, w.astype(np.float32))
    return idf, terms


def _reference_scores(terms, n, query):
    scores = np.zeros(n, dtype=np.float32)
    for term in set(query):
        hit = terms.get(term)
        if hit is not None:
            scores[hit[0]] += hit[1]
    return scores


def _random_docs(rng, n, vocab):
    return [[rng.choice(vocab) for _ in range(rng.choice([0, 1, 3, 8, 20, 60]))] for _ in range(n)]


def test_bm25_gives_the_reference_scores_to_the_bit():
    from advisor.textindex import BM25

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(300)] + ["#工业", "机器人", "robot"]
    docs = _random_docs(rng, 400, vocab)
    bm25 = BM25(docs)
    idf, terms = _reference_bm25(docs)
    assert set(bm25.vocab) == set(terms) and bm25.idf == idf
    for term, (ids, w) in terms.items():
        got_ids, got_w = bm25.terms[term]
        assert np.array_equal(got_ids, ids) and np.array_equal(got_w, w), term
    for _ in range(50):
        query = [rng.choice(vocab + ["unknown"]) for _ in range(rng.randint(1, 6))]
        assert np.array_equal(bm25.scores(query), _reference_scores(terms, len(docs), query))
        assert bm25.max_possible(query) == float(sum(idf.get(t, 0.0) for t in set(query)))
    again = pickle.loads(pickle.dumps(bm25))
    assert np.array_equal(again.scores(docs[3]), bm25.scores(docs[3]))


def test_bm25_from_a_base_reuses_the_counts_of_unchanged_documents():
    from advisor.textindex import BM25, TermCounts

    rng = random.Random(11)
    vocab = [f"t{i}" for i in range(200)]
    old = _random_docs(rng, 300, vocab)
    base = BM25(old)
    new = list(old)
    new[5] = ["fresh", "term", "t1"]  # a changed document with a new term
    new[40] = []  # one emptied
    del new[100]  # one removed
    new.append(["t3", "t3", "another"])  # one added
    counts = TermCounts(base)
    changed = {5, 40, len(new) - 1}
    for i, toks in enumerate(new):
        j = i if i < 100 else i + 1  # where the document was in the old list
        if i in changed:
            counts.add_tokens(toks)
        else:
            counts.add_from_base(j)
    built = BM25.from_counts(counts)
    fresh = BM25(new)
    assert set(built.vocab) == set(fresh.vocab) and "t0" in built.term_ids
    for i in range(len(new)):
        assert built.doc_counts(i) == dict(Counter(new[i]))
    for _ in range(50):
        query = [rng.choice(vocab + ["fresh", "another"]) for _ in range(rng.randint(1, 5))]
        assert np.array_equal(built.scores(query), fresh.scores(query))
        assert built.max_possible(query) == fresh.max_possible(query)


# ----------------------------------------------------------------------------- tokenizer


def _dictionary(tk):
    jb = tk._jb()
    return {w: f for w, f in jb.FREQ.items() if f}, jb.total


def test_tokenizer_from_a_base_has_the_dictionary_a_fresh_one_has():
    from advisor.textindex import Tokenizer

    words = ["工业机器人技术", "数控技术", "中职", "数控技术"]
    base = Tokenizer(words)
    text = "工业机器人技术和数控技术专业的中职学生"
    base.tokens(text)
    same = Tokenizer(list(words), base=base)
    assert same._jb() is base._jb()  # the same words: the same dictionary, shared
    changed = ["工业机器人测试技术", "数控技术", "中职", "高职本科"]
    patched = Tokenizer(changed, base=base)
    fresh = Tokenizer(changed)
    assert _dictionary(patched) == _dictionary(fresh)
    for t in (text, "工业机器人测试技术专业", "高职本科和中职"):
        assert patched.tokens(t) == fresh.tokens(t)
    assert base.tokens(text) == Tokenizer(words).tokens(text)  # the base was not changed


# ----------------------------------------------------------------------------- the advisor


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from advisor import Advisor
    from kg import open_graph
    from kg.reload import Baseline

    root = copy_ontology(tmp_path_factory.mktemp("incremental") / "ontology")
    graph = open_graph(root)
    advisor = Advisor(graph, encoder="hash", index_dir=None, warm=False)
    return {"root": root, "advisor": advisor, "baseline": Baseline.capture(root)}


def _reload(world, path, old, new):
    """Edit a file; validate it as the reloader does; the incremental and the fresh advisor."""
    from advisor import Advisor
    from kg.reload import check_change, graph_from_store

    target = world["root"] / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    check = check_change(world["root"], world["baseline"])
    assert check.ok, check.errors
    world["baseline"] = check.baseline
    graph = graph_from_store(world["root"], check.store)
    incremental = world["advisor"].updated(graph, check.changes.subjects)
    fresh = Advisor(graph, encoder="hash", index_dir=None, warm=False)
    world["advisor"] = incremental
    return check.changes, incremental, fresh


def _same_knowledge(a, b):
    from advisor.knowledge import _INDEXES

    assert set(a.entities) == set(b.entities)
    for iri, ent in b.entities.items():
        mine = a.entities[iri]
        assert (mine.types, dict(mine.props), mine.kind) == (ent.types, dict(ent.props), ent.kind)
    in_order = list(a.entities) == list(b.entities)
    for name in _INDEXES:
        mine = {k: v for k, v in getattr(a, name).items() if v}
        theirs = {k: v for k, v in getattr(b, name).items() if v}
        if in_order:
            assert mine == theirs, name
        else:  # a new resource comes last in an updated snapshot
            assert {k: sorted(v) for k, v in mine.items()} == {
                k: sorted(v) for k, v in theirs.items()
            }, name
    assert a.by_notation.keys() == b.by_notation.keys() and a.bnode_holders == b.bnode_holders
    return in_order


QUERIES = [
    ("Industrial Robot Technology", "en"),
    ("工业机器人", "zh"),
    ("专升本", "zh"),
    ("nurse", "en"),
    ("中职毕业能读本科吗", "zh"),
    ("Testburg bridge route", "en"),
]


def _same_advisor(inc, fresh):
    assert inc.timings["incremental"] is True
    in_order = _same_knowledge(inc.kn, fresh.kn)
    assert inc.docs == fresh.docs
    assert inc.tokenizer.extra_words == fresh.tokenizer.extra_words
    bm_inc, bm_fresh = inc.index.bm25, fresh.index.bm25
    assert set(bm_inc.vocab) == set(bm_fresh.vocab)
    for i in range(len(inc.docs)):
        assert bm_inc.doc_counts(i) == bm_fresh.doc_counts(i), inc.docs[i].iri
    assert np.array_equal(
        inc.index.faiss.reconstruct_n(0, inc.index.faiss.ntotal),
        fresh.index.faiss.reconstruct_n(0, fresh.index.faiss.ntotal),
    )
    for q, lang in QUERIES:
        tokens = inc.tokenizer.query_tokens(q)
        assert tokens == fresh.tokenizer.query_tokens(q)
        assert np.array_equal(bm_inc.scores(tokens), bm_fresh.scores(tokens))
        assert [(m.surface, m.iris) for m in inc.aliases.link(q)] == [
            (m.surface, m.iris) for m in fresh.aliases.link(q)
        ]
        if in_order:
            assert inc.search(q, lang=lang, k=10) == fresh.search(q, lang=lang, k=10)
    return in_order


def test_an_english_label_edit_is_redone_alone(world):
    changes, inc, fresh = _reload(
        world,
        "catalogue/programmes-2021.ttl",
        '"Industrial Robot Technology"@en',
        '"Industrial Robot Glimmer Technology"@en',
    )
    assert changes.subjects == {PROG}
    assert _same_advisor(inc, fresh)
    assert inc.index.reused["documents"] == len(inc.docs) - 1
    assert inc.search("Glimmer", lang="en", k=3)[0]["iri"] == PROG


def test_a_chinese_label_edit_changes_the_aliases_and_the_dictionary(world):
    before = world["advisor"]
    changes, inc, fresh = _reload(
        world, "catalogue/programmes-2021.ttl", '"工业机器人技术"@zh', '"工业机器人闪光技术"@zh'
    )
    assert changes.subjects == {PROG}
    assert inc.aliases.trie is not before.aliases.trie  # a name changed: a new alias table
    assert "工业机器人闪光技术" in inc.tokenizer.extra_words
    assert _same_advisor(inc, fresh)
    assert inc.search("工业机器人闪光技术", lang="zh", k=3)[0]["iri"] == PROG
    assert any(PROG in m.iris for m in inc.aliases.link("工业机器人闪光技术"))


def test_a_definition_edit_keeps_the_alias_table(world):
    before = world["advisor"]
    path = world["root"] / "data" / "mechanisms.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("rtd:mech-zhuanshengben")
    at = text.index('skos:definition "', start) + len('skos:definition "')
    changes, inc, fresh = _reload(
        world, "data/mechanisms.ttl", text[at : at + 12], "Kerfuffle " + text[at : at + 12]
    )
    assert changes.subjects == {RTD + "mech-zhuanshengben"}
    assert inc.aliases.trie is before.aliases.trie  # names unchanged: the table is reused
    assert inc.aliases.kn is inc.kn
    assert _same_advisor(inc, fresh)


def test_a_new_route_and_its_removal(world):
    route = (
        '\nrtd:route-testburg a rt:Route ; skos:prefLabel "测试桥路线"@zh , "Testburg bridge route"@en ;'
        " rt:from rtd:stage-bachelor ; rt:to rtd:stage-secondary-vocational ; rt:years 1.0 ;"
        ' rt:mechanism rtd:mech-zhuanshengben ; rt:region rtd:region-national ; rt:asOf "2024-01" ;'
        ' dcterms:source rtd:src-rongtong-curation ; rt:confidence "low" .\n'
    )
    text = (world["root"] / "data" / "routes.ttl").read_text(encoding="utf-8")
    changes, inc, fresh = _reload(world, "data/routes.ttl", text, text + route)
    assert changes.subjects == {RTD + "route-testburg"}
    _same_advisor(inc, fresh)
    assert RTD + "route-testburg" in inc.kn.routes_from[RTD + "stage-bachelor"]
    assert any(d.iri == RTD + "route-testburg" for d in inc.docs)

    changes, inc, fresh = _reload(world, "data/routes.ttl", route, "")
    assert changes.subjects == {RTD + "route-testburg"}
    assert RTD + "route-testburg" not in inc.kn.entities
    assert _same_advisor(inc, fresh)


def test_a_blank_node_is_read_again_after_every_load(world):
    """A blank node's id is new in every load of the graph: the resource holding one is read
    again even when an edit elsewhere is all that changed."""
    text = (world["root"] / "data" / "mechanisms.ttl").read_text(encoding="utf-8")
    note = (
        "\nrtd:mech-zhuanshengben <http://www.w3.org/2000/01/rdf-schema#seeAlso>"
        ' [ <http://www.w3.org/2000/01/rdf-schema#label> "a note" ] .\n'
    )
    holder = RTD + "mech-zhuanshengben"
    changes, inc, _ = _reload(world, "data/mechanisms.ttl", text, text + note)
    assert changes.subjects == {holder} and inc.kn.bnode_holders == {holder}
    changes, inc, fresh = _reload(
        world, "data/regions.ttl", '"China (national)"@en', '"China (all of it)"@en'
    )
    assert changes.subjects == {RTD + "region-national"}
    assert inc.kn.entities[holder].props == fresh.kn.entities[holder].props  # the new blank node
    assert _same_advisor(inc, fresh)
    _reload(world, "data/mechanisms.ttl", note, "")
