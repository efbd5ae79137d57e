"""Entity linking: longest match of the graph's labels and aliases in a normalised message.

The alias table is built once per graph version from ``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel`` (zh and en) of every linkable resource (stages, institution types,
mechanisms, programmes and their classes and categories, fields, occupations, credentials,
titles, regions, interests, misconceptions, education systems), plus codes (``skos:notation``) and
the colloquial phrases in :mod:`advisor.lexicon`.

- Chinese (and mixed, e.g. "1+X证书", "3+2") aliases: a character trie, leftmost-longest.
- English aliases: sequences of stemmed words, longest first, whole words only.
- Typos: an English word of ≥ 5 letters that is not a known alias word is replaced by the
  known word at edit distance 1 (deletion-neighbourhood look-up); a Chinese alias of ≥ 4
  characters of a common term also matches with one character substituted, and a 3-character one
  with a known homophone substituted (专生本 → 专升本).

Cost is linear in the message (the longest the API accepts, 2,000 characters, links in a few
milliseconds): the trie walk stops at the longest alias, typo candidates come from a dictionary of
aliases by character pairs, and overlaps are resolved with a per-character occupancy map.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from advisor.knowledge import RTD, Knowledge
from advisor.lexicon import COLLOQUIAL
from advisor.normalize import en_tokens, has_cjk, normalize, stem

__all__ = ["Mention", "AliasTable", "LINKABLE"]

LINKABLE = {
    "EducationStage",
    "InstitutionType",
    "Mechanism",
    "Programme",
    "ProgrammeClass",
    "ProgrammeCategory",
    "Field",
    "Occupation",
    "OccupationGroup",
    "Credential",
    "Degree",
    "Certificate",
    "Licence",
    "SkillLevel",
    "ProfessionalTitle",
    "Region",
    "Interest",
    "Misconception",
    "EducationSystem",
}
# Kinds whose Chinese aliases get typo tolerance: the common terms of the domain.
COMMON = {
    "EducationStage",
    "InstitutionType",
    "Mechanism",
    "Credential",
    "Degree",
    "Certificate",
    "Licence",
    "SkillLevel",
    "ProfessionalTitle",
    "Region",
    "Interest",
    "EducationSystem",
    "Field",
}
# When an alias names several resources, which kind wins (lower first).
KIND_RANK = {
    k: i
    for i, k in enumerate(
        (
            "EducationStage",
            "Mechanism",
            "InstitutionType",
            "Degree",
            "Licence",
            "Certificate",
            "SkillLevel",
            "Credential",
            "ProfessionalTitle",
            "Misconception",
            "EducationSystem",
            "Interest",
            "Region",
            "Programme",
            "Occupation",
            "ProgrammeClass",
            "Field",
            "ProgrammeCategory",
            "OccupationGroup",
        )
    )
}
_HOMOPHONES = {
    "生": "升",
    "升": "生",
    "职": "直",
    "烤": "考",
    "考": "烤",
    "卫": "为",
    "科": "课",
    "课": "科",
    "技": "计",
    "计": "技",
    "专": "转",
    "转": "专",
    "证": "正",
    "级": "及",
}
_EN_SKIP = {
    "general",
    "national",
    "other",
    "service",
    "services",
    "management",
    "china",
    "work",
    "education",
    "school",
    "student",
}
_LATIN = re.compile(r"[a-z0-9]")
# a track adjective standing alone: not followed by the noun it qualifies in a longer name
_BARE_TRACK = re.compile(
    r"\b(vocational|academic|general)\b(?!\s+(?:education|training|bachelor|undergraduate|"
    r"college|colleges|university|universities|master|masters|degree|degrees|gaokao|track|"
    r"path|paths|route|routes|system|systems|skills?|qualifications?|certificates?|"
    r"teachers?|law|subjects?|courses?|classes|programmes?|programs?|majors?)\b)"
)
_UPPER_SECONDARY = (
    "stage-general-senior",
    "stage-secondary-vocational",
    "stage-comprehensive-high",
)
_UPPER_CONTEXT = re.compile(
    r"high schools?|upper secondary|senior secondary|zhongkao|grade (?:9|10|11|12)|"
    r"(?:switch|transfer|move|change|go|going|moving|switching|transferring)\w* (?:back )?"
    r"from (?:an? |the )?(?:vocational|academic|general)\b"
)
_DIRECTED = re.compile(r"\bfrom\b.+\bto\b")
_TRACK_CONTRAST = re.compile(
    r"\b(?:vocational|academic)\b.{0,40}\bgeneral\b|\bgeneral\b.{0,40}\b(?:vocational|academic)\b"
)
# A short name of a programme (a leading part of its catalogue name: 计算机 → 计算机应用, 机电 →
# 机电一体化技术, "mechatronics" → Mechatronics Technology) is read as the programme only where a
# programme is meant: right after a study verb (学会计, studying cnc) or right before a word for a
# programme or its students (机电专业, cnc students).
_PREFIX_BEFORE_ZH = ("学", "读", "念", "修", "报")
_PREFIX_AFTER_ZH = ("专业", "方向", "系")
# words that begin programme names but say a track or a purpose when they stand alone
_PREFIX_GENERIC_ZH = frozenset({"职业", "普通", "升学", "就业", "学术", "技能", "技术"})
_PREFIX_BEFORE_EN = {
    stem(w) for w in ("study", "studying", "studied", "studies", "major", "majoring")
}
_PREFIX_AFTER_EN = {
    stem(w)
    for w in (
        "student", "students", "major", "majors", "programme", "programmes", "program", "programs",
        "degree", "course", "courses", "graduate", "graduates", "class", "diploma",
    )
}  # fmt: skip
# leading words too general to stand for a programme ("modern", "intelligent"…)
_PREFIX_SKIP_EN = {stem(w) for w in _EN_SKIP} | {stem(w) for w in {
    "modern", "intelligent", "smart", "digital", "new", "applied", "international", "big", "green",
    "high", "public", "social", "special", "technology", "engineering", "art", "design", "data",
}}  # fmt: skip
# a leading part naming more programmes than this is too general to mean one of them
_PREFIX_MAX = 40
# English aliases matched as word sequences: letters (and digits in a word of their own, "grade 9")
_EN_ALIAS = re.compile(r"(?=.*[a-z]{2})[a-z0-9][a-z0-9' .&/-]*[a-z0-9.]")


# general nouns after which a one-word programme name is an adjective, not the programme
_ADJ_NOUNS = frozenset(
    en_tokens(
        "vocational education educational system systems government people parents families "
        "family universities law laws policy policies society employers companies economy"
    )
)


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    iris: list[str]
    exact: bool = True
    source: str = "graph"  # graph | lexicon | code | fuzzy
    changed: tuple[int, ...] = ()  # text offsets of the characters a typo reading changed
    kinds: list[str] = field(default_factory=list)

    @property
    def length(self) -> int:
        return self.end - self.start


def _edits1_deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance ≤ 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


class AliasTable:
    def __init__(self, kn: Knowledge):
        self.kn = kn
        self.trie: dict = {}
        self.en_seqs: dict[str, list[tuple[tuple[str, ...], list[str], str]]] = defaultdict(list)
        self.en_vocab: dict[str, int] = defaultdict(int)
        # typo tolerance for Chinese aliases of common terms (see ``_zh_typos``):
        # "=" + a 3-character homophone reading -> alias keys
        self.zh_fuzzy: dict[str, set[str]] = defaultdict(set)
        # aliases of >= 4 characters by their first two characters and by characters 3-4: one
        # substituted character leaves at least one of the two pairs intact
        self.zh_fuzzy_head: dict[str, set[str]] = defaultdict(set)
        self.zh_fuzzy_mid: dict[str, set[str]] = defaultdict(set)
        self.zh_alias_iris: dict[str, list[str]] = defaultdict(list)
        self.names: dict[str, set[str]] = defaultdict(set)  # iri -> normalised names
        self.zh_lengths: set[int] = set()
        # leading parts of programme names -> programmes (see ``_programme_prefixes``)
        self.prog_prefix_zh: dict[str, list[str]] = {}
        self.prog_prefix_en: dict[tuple[str, ...], list[str]] = {}
        self._build()

    def __setstate__(self, state: dict) -> None:
        # a table pickled (in a snapshot) by an older build lacks the programme prefixes
        self.__dict__.update(state)
        if "prog_prefix_zh" not in state:
            self._build_programme_prefixes()

    # ------------------------------------------------------------------ build

    def _add(self, text: str, iri: str, source: str, common: bool) -> None:
        key = normalize(text)
        if not key:
            return
        self.names[iri].add(key)
        if has_cjk(key) or not _EN_ALIAS.fullmatch(key):
            key = key.replace(" ", "")
            if has_cjk(key) and len(key) < 2:
                return
            if not has_cjk(key) and len(key) < 3:
                return
            self._trie_add(key, iri, source)
            if common and has_cjk(key):
                self.zh_alias_iris[key].append(iri)
                if len(key) >= 4:
                    self.zh_fuzzy_head[key[:2]].add(key)
                    self.zh_fuzzy_mid[key[2:4]].add(key)
                    self.zh_lengths.add(len(key))
                elif len(key) == 3:
                    for i, ch in enumerate(key):
                        alt = _HOMOPHONES.get(ch)
                        if alt:
                            self.zh_fuzzy["=" + key[:i] + alt + key[i + 1 :]].add(key)
                    self.zh_lengths.add(3)
            return
        toks = tuple(en_tokens(key))
        if not toks:
            return
        # one short English word is too ambiguous as a graph alias; a curated colloquial
        # abbreviation ("phd") is kept
        short = len(toks[0]) < (3 if source == "lexicon" else 4)
        if len(toks) == 1 and (short or toks[0] in _EN_SKIP):
            return
        entry = self.en_seqs[toks[0]]
        for seq, iris, _src in entry:
            if seq == toks:
                if iri not in iris:
                    iris.append(iri)
                break
        else:
            entry.append((toks, [iri], source))
            entry.sort(key=lambda e: -len(e[0]))
        for t in toks:
            self.en_vocab[t] += 1

    def _trie_add(self, key: str, iri: str, source: str) -> None:
        node = self.trie
        for ch in key:
            node = node.setdefault(ch, {})
        bucket = node.setdefault("\0", {"iris": [], "source": source})
        if iri not in bucket["iris"]:
            bucket["iris"].append(iri)

    def _build(self) -> None:
        kn = self.kn
        for iri, ent in kn.entities.items():
            if not ent.types & LINKABLE:
                continue
            common = bool(ent.types & COMMON)
            for p in ("skos:prefLabel", "skos:altLabel", "skos:hiddenLabel"):
                for v in ent.props.get(p, ()):
                    if hasattr(v, "text"):
                        self._add(v.text, iri, "graph", common)
            if ent.types & {"Programme", "Occupation", "OccupationGroup", "ProgrammeClass"}:
                code = kn.code(iri)
                if code and len(code) >= 4:
                    self._trie_add(normalize(code), iri, "code")
        for phrase, locals_ in COLLOQUIAL.items():
            iris = [RTD + loc for loc in locals_ if RTD + loc in kn.entities]
            if not iris:
                continue
            key = normalize(phrase)
            if self._known(key):
                continue  # the graph already says what it means
            for iri in iris:
                self._add(phrase, iri, "lexicon", True)
        self._build_programme_prefixes()
        # deletion index for English typo tolerance
        self.en_deletes: dict[str, set[str]] = defaultdict(set)
        for word in self.en_vocab:
            if len(word) >= 5 and word.isalpha():
                for d in _edits1_deletes(word):
                    self.en_deletes[d].add(word)
                self.en_deletes[word].add(word)

    def _build_programme_prefixes(self) -> None:
        """Leading parts of programme names (2+ characters, or 1+ English words short of the whole
        name) -> the programmes, the best-linked one per level (专业目录 levels by code)."""
        kn = self.kn
        zh: dict[str, set[str]] = defaultdict(set)
        en: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for iri in kn.of_kind("Programme"):
            ent = kn.entities[iri]
            for p in ("skos:prefLabel", "skos:altLabel"):
                for v in ent.props.get(p, ()):
                    if not hasattr(v, "text"):
                        continue
                    key = normalize(v.text)
                    if has_cjk(key):
                        key = key.replace(" ", "")
                        for n in range(2, len(key)):
                            zh[key[:n]].add(iri)
                    elif _EN_ALIAS.fullmatch(key):
                        toks = tuple(en_tokens(key))
                        for n in range(1, len(toks)):
                            if n == 1 and (len(toks[0]) < 3 or toks[0] in _PREFIX_SKIP_EN):
                                continue
                            en[toks[:n]].add(iri)
        self.prog_prefix_zh = {
            k: self._best_per_level(v) for k, v in zh.items() if len(v) <= _PREFIX_MAX
        }
        self.prog_prefix_en = {
            k: self._best_per_level(v) for k, v in en.items() if len(v) <= _PREFIX_MAX
        }

    def _best_per_level(self, iris: set[str]) -> list[str]:
        """One programme per catalogue level (code 6x-7x 中职, 4x-5x 专科, 2x-3x 本科): the one with
        most occupation and credential links, then the shortest name; best first."""
        kn = self.kn

        def score(iri: str) -> tuple:
            links = len(kn.occlinks_by_prog.get(iri, ())) + len(
                kn.credlinks_by_subject.get(iri, ())
            )
            return (-links, len(kn.label(iri, "zh")), kn.code(iri))

        best: dict[str, str] = {}
        for iri in sorted(iris, key=score):
            code = kn.code(iri)
            level = {"2": "b", "3": "b", "4": "h", "5": "h", "6": "s", "7": "s"}.get(code[:1], code)
            best.setdefault(level, iri)
        return sorted(best.values(), key=score)

    def _programme_prefixes(
        self, text: str, compact: str, offsets: list[int], taken: list[Mention]
    ) -> list[Mention]:
        """Short names of programmes where a programme is meant (see ``_PREFIX_BEFORE_ZH``)."""
        out: list[Mention] = []
        zh = getattr(self, "prog_prefix_zh", None) or {}
        en = getattr(self, "prog_prefix_en", None) or {}
        busy = bytearray(len(text) + 1)
        for m in taken:
            if m.start >= 0:
                busy[m.start : m.end] = b"\x01" * (m.end - m.start)
        n = len(compact)
        if zh:
            s = 0
            while s < n:
                hit = None
                if has_cjk(compact[s]) and not busy[offsets[s]]:
                    for length in range(min(8, n - s), 1, -1):
                        key = compact[s : s + length]
                        if key not in zh or any(busy[offsets[i]] for i in range(s, s + length)):
                            continue
                        if key in _PREFIX_GENERIC_ZH:
                            continue  # "改选职业方向": a track, not the programme 职业指导与服务
                        before = s > 0 and compact[s - 1] in _PREFIX_BEFORE_ZH
                        if before or compact[s + length :].startswith(_PREFIX_AFTER_ZH):
                            hit = (length, zh[key])
                            break
                if hit is None:
                    s += 1
                    continue
                length, iris = hit
                start, end = offsets[s], offsets[s + length - 1] + 1
                out.append(
                    Mention(start, end, text[start:end], list(iris), False, "prefix",
                            kinds=["Programme"] * len(iris))
                )  # fmt: skip
                s += length
        if en:
            words = [
                (m.start(), m.end(), (en_tokens(m.group(0)) or [m.group(0)])[0])
                for m in re.finditer(r"[a-z0-9]+(?:'s)?", text)
            ]
            i = 0
            while i < len(words):
                hit = None
                for length in (3, 2, 1):
                    seq = tuple(w[2] for w in words[i : i + length])
                    if len(seq) < length or seq not in en:
                        continue
                    if any(busy[words[j][0]] for j in range(i, i + length)):
                        continue
                    before = i > 0 and words[i - 1][2] in _PREFIX_BEFORE_EN
                    after = i + length < len(words) and words[i + length][2] in _PREFIX_AFTER_EN
                    if before or after:
                        hit = (length, en[seq])
                        break
                if hit is None:
                    i += 1
                    continue
                length, iris = hit
                start, end = words[i][0], words[i + length - 1][1]
                out.append(
                    Mention(start, end, text[start:end], list(iris), False, "prefix",
                            kinds=["Programme"] * len(iris))
                )  # fmt: skip
                i += length
        return out

    def _known(self, key: str) -> bool:
        if has_cjk(key) or not _EN_ALIAS.fullmatch(key):
            node = self.trie
            for ch in key.replace(" ", ""):
                node = node.get(ch)
                if node is None:
                    return False
            return "\0" in node
        toks = tuple(en_tokens(key))
        return any(seq == toks for seq, _i, _s in self.en_seqs.get(toks[0], ())) if toks else False

    # ------------------------------------------------------------------ match

    def _fix_word(self, word: str) -> str:
        if word in self.en_vocab or len(word) < 5 or not word.isalpha():
            return word
        cands = set()
        for d in _edits1_deletes(word) | {word}:
            cands |= self.en_deletes.get(d, set())
        cands = [c for c in cands if _within_one(word, c)]
        if not cands:
            return word
        return max(cands, key=lambda c: (self.en_vocab[c], c))

    def link(self, text: str) -> list[Mention]:
        """Mentions in a normalised text, non-overlapping, longest first."""
        found: list[Mention] = []
        compact, offsets = self._compact(text)
        # 1. character trie (Chinese, codes, "3+2", "1+x")
        n = len(compact)
        for s in range(n):
            node = self.trie
            best = None
            e = s
            while e < n:
                node = node.get(compact[e])
                if node is None:
                    break
                e += 1
                if "\0" in node:
                    best = (e, node["\0"])
            if best is None:
                continue
            e, bucket = best
            # Latin boundaries: "3+2" must not be inside "13+20"; codes not inside longer numbers
            if _LATIN.match(compact[s]) and s > 0 and _LATIN.match(compact[s - 1]):
                continue
            if _LATIN.match(compact[e - 1]) and e < n and _LATIN.match(compact[e]):
                continue
            found.append(
                Mention(
                    offsets[s],
                    offsets[e - 1] + 1,
                    compact[s:e],
                    list(bucket["iris"]),
                    True,
                    bucket["source"],
                )
            )
        # 2. Chinese typos of common terms
        found += self._zh_typos(compact, offsets)
        # 3. English word sequences
        words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[a-z0-9]+(?:'s)?", text)]
        stems = []
        for ws, we, w in words:
            toks = en_tokens(w)
            stems.append((ws, we, toks[0] if toks else w))
        fixed = [(ws, we, self._fix_word(t)) for ws, we, t in stems]
        for i in range(len(fixed)):
            for seq, iris, src in self.en_seqs.get(fixed[i][2], ()):
                L = len(seq)
                if i + L <= len(fixed) and tuple(f[2] for f in fixed[i : i + L]) == seq:
                    if L == 1 and self._adjective_use(iris, fixed, i):
                        break
                    exact = tuple(s[2] for s in stems[i : i + L]) == seq
                    found.append(
                        Mention(
                            fixed[i][0],
                            fixed[i + L - 1][1],
                            text[fixed[i][0] : fixed[i + L - 1][1]],
                            list(iris),
                            exact,
                            src if exact else "fuzzy",
                        )
                    )
                    break
        out = self._resolve(found)
        extra = self._programme_prefixes(text, compact, offsets, out)
        extra += self._bare_tracks(text, out)
        if extra:
            out = sorted(out + extra, key=lambda m: m.start)
        return out

    def _bare_tracks(self, text: str, out: list[Mention]) -> list[Mention]:
        """Bare track adjectives in English ("switch from vocational to general high school",
        "move from academic to vocational school"): where upper-secondary schooling is the
        context (a 普高 / 中职 / 综合高中 mention, "high school"), "vocational" is 中职 and
        "academic" (or "general", set against "vocational") is 普高."""
        if not _BARE_TRACK.search(text):
            return []
        upper = {RTD + s for s in _UPPER_SECONDARY}
        context = any(set(m.iris) & upper for m in out) or bool(_UPPER_CONTEXT.search(text))
        if not context:
            return []
        contrast = bool(_TRACK_CONTRAST.search(text))
        extra = []
        for w in _BARE_TRACK.finditer(text):
            s, e = w.span(1)
            cover = [m for m in out if m.start < e and s < m.end]
            # a transfer named with its direction ("transfer from vocational to general high
            # school"): the tracks inside the name are still the start and the end
            if cover and not all(
                m.kinds and m.kinds[0] == "Mechanism" and _DIRECTED.search(m.surface) for m in cover
            ):
                continue
            word = w.group(1)
            if word == "general" and not contrast:
                continue
            local = "stage-secondary-vocational" if word == "vocational" else "stage-general-senior"
            iri = RTD + local
            if iri not in self.kn.entities:
                continue
            extra.append(Mention(s, e, word, [iri], True, "lexicon", kinds=[self.kn.kind(iri)]))
        return extra

    def _adjective_use(self, iris: list[str], words: list, i: int) -> bool:
        """A one-word programme name used as an adjective ("Chinese vocational education",
        "Chinese parents"): the next word is a general noun, not what is studied ("nursing student"
        stays the programme)."""
        if i + 1 >= len(words) or words[i + 1][2] not in _ADJ_NOUNS:
            return False
        return all(self.kn.is_a(iri, "Programme", "ProgrammeClass") for iri in iris)

    def _zh_typos(self, compact: str, offsets: list[int]) -> list[Mention]:
        """Readings of a common term's Chinese alias with one character wrong (≥ 4 characters)
        or with a homophone (3 characters). Linear in the text: at each position only the aliases
        that share its first two characters, or its third and fourth, are compared."""
        out: list[Mention] = []
        if not (self.zh_fuzzy or self.zh_fuzzy_head):
            return out
        n = len(compact)
        empty: set[str] = set()
        for s in range(n):
            by_len: dict[int, set[str]] = {}
            if s + 3 <= n:
                homophones = self.zh_fuzzy.get("=" + compact[s : s + 3])
                if homophones:
                    by_len[3] = set(homophones)
            if s + 4 <= n:
                cands = self.zh_fuzzy_head.get(compact[s : s + 2], empty) | self.zh_fuzzy_mid.get(
                    compact[s + 2 : s + 4], empty
                )
                for key in cands:
                    length = len(key)
                    if s + length > n:
                        continue
                    diff = 0
                    for a, b in zip(key, compact[s : s + length], strict=True):
                        if a != b:
                            diff += 1
                            if diff > 1:
                                break
                    if diff == 1:
                        by_len.setdefault(length, set()).add(key)
            for length in sorted(by_len, reverse=True):
                window = compact[s : s + length]
                if not has_cjk(window):
                    continue
                keys = by_len[length]
                keys.discard(window)
                # an exact alias plus a neighbouring character ("职业本科" + "毕") is not a
                # typo of a longer alias ("职业本科生")
                if keys and self._exact(window[:-1]):
                    keys = {k for k in keys if k[:-1] != window[:-1]}
                if keys and self._exact(window[1:]):
                    keys = {k for k in keys if k[1:] != window[1:]}
                for key in sorted(keys):
                    changed = tuple(offsets[s + i] for i in range(length) if key[i] != window[i])
                    out.append(
                        Mention(
                            offsets[s],
                            offsets[s + length - 1] + 1,
                            window,
                            list(self.zh_alias_iris[key]),
                            False,
                            "fuzzy",
                            changed=changed,
                        )
                    )
        return out

    def _exact(self, key: str) -> bool:
        node = self.trie
        for ch in key:
            node = node.get(ch)
            if node is None:
                return False
        return "\0" in node

    @staticmethod
    def _compact(text: str) -> tuple[str, list[int]]:
        """The text without spaces between CJK characters, with offsets back into text."""
        chars, offsets = [], []
        for i, ch in enumerate(text):
            if ch == " ":
                prev = text[i - 1] if i > 0 else ""
                nxt = text[i + 1] if i + 1 < len(text) else ""
                if has_cjk(prev) or has_cjk(nxt) or not prev or not nxt:
                    continue
            chars.append(ch)
            offsets.append(i)
        return "".join(chars), offsets

    def _resolve(self, found: list[Mention]) -> list[Mention]:
        # longest first; exact before fuzzy; graph before lexicon
        order = {"graph": 0, "code": 0, "lexicon": 1, "fuzzy": 2}
        found.sort(key=lambda m: (-m.length, not m.exact, order.get(m.source, 3), m.start))
        out: list[Mention] = []
        if not found:
            return out
        # positions already taken, and the exact mentions by start (mentions are short, so the
        # ones near a span are found without scanning them all: linear in the text)
        size = max(m.end for m in found)
        taken = bytearray(size)
        exact_by_start: dict[int, list[Mention]] = defaultdict(list)
        longest = 0
        for m in found:
            if m.exact:
                exact_by_start[m.start].append(m)
                longest = max(longest, m.length)

        def exact_near(a: int, b: int) -> list[Mention]:
            """Exact mentions overlapping [a, b)."""
            return [
                x
                for st in range(max(0, a - longest + 1), b)
                for x in exact_by_start.get(st, ())
                if x.end > a
            ]

        for m in found:
            if any(taken[m.start : m.end]):
                continue
            if not m.exact:
                near = exact_near(m.start, m.end)
                if any(not (m.start <= x.start and x.end <= m.end) for x in near):
                    continue  # a typo reading that cuts through an exact name is not a reading
                inside = [x for x in near if m.start <= x.start and x.end <= m.end]
                if any(set(x.iris) & set(m.iris) for x in inside):
                    continue  # "中职学费" is 中职 + 学费, not a typo of 中职学校
                if m.changed:
                    if any(x.start <= c < x.end for x in inside for c in m.changed):
                        continue  # "高中阶段" is 高中 + 阶段, not a typo of 初中阶段
                    covered = {i for x in inside for i in range(x.start, x.end)}
                    if (
                        all(c in (m.start, m.end - 1) for c in m.changed)
                        and 2 * len(covered) >= m.length - 1
                    ):
                        continue  # "中职毕业直": an exact name + an edge character, not 中职毕业证
                    if len(covered) >= m.length - 1 and len(inside) >= 2:
                        continue  # "普高和中职" is two names joined, not a typo of 普高转中职
            taken[m.start : m.end] = b"\x01" * m.length
            m.iris = sorted(
                dict.fromkeys(m.iris),
                key=lambda iri: KIND_RANK.get(self.kn.kind(iri), 99),
            )
            m.kinds = [self.kn.kind(i) for i in m.iris]
            out.append(m)
        out.sort(key=lambda m: m.start)
        return out
