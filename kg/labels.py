"""Labels and aliases of every resource, for display and for entity linking.

Built once per graph from the ``entity-labels`` named query. Matching is exact after normalising
both sides: Unicode NFKC (full-width → half-width), case folding, and collapsed whitespace.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib.term import Node

from kg.terms import RTD_NS, expand_iri, local_name

__all__ = ["normalise", "LabelIndex", "EntityLabels"]

_SPACE = re.compile(r"\s+")
_KIND_ORDER = {"pref": 0, "alt": 1, "notation": 2}


def normalise(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form labels are matched in."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass
class EntityLabels:
    pref: dict[str, str] = field(default_factory=dict)  # lang -> label
    alt: list[tuple[str, str]] = field(default_factory=list)  # (label, lang)
    notations: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


class LabelIndex:
    """iri -> labels, and normalised label -> IRIs (pref before alt before notation)."""

    def __init__(self, rows: Iterable[Mapping[str, Node]]) -> None:
        self.entities: dict[str, EntityLabels] = defaultdict(EntityLabels)
        matches: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows:
            iri = str(row["iri"])
            entry = self.entities[iri]
            if "type" in row:
                t = str(row["type"])
                if t not in entry.types:
                    entry.types.append(t)
            if "label" not in row:
                continue
            label = str(row["label"])
            lang = str(row["lang"]) if "lang" in row else ""
            kind = str(row.get("kind", "pref"))
            if kind == "pref":
                if lang not in entry.pref:
                    entry.pref[lang] = label
            elif kind == "alt":
                if (label, lang) not in entry.alt:
                    entry.alt.append((label, lang))
            elif label not in entry.notations:
                entry.notations.append(label)
            key = normalise(label)
            rank = _KIND_ORDER.get(kind, 3)
            if key and rank < matches[key].get(iri, 99):
                matches[key][iri] = rank
        self.entities = dict(self.entities)
        self._matches = {
            key: [iri for iri, _ in sorted(found.items(), key=lambda kv: (kv[1], kv[0]))]
            for key, found in matches.items()
        }
        self._keys = sorted(self._matches)

    def __contains__(self, iri: object) -> bool:
        return str(iri) in self.entities

    def label(self, iri: str, lang: str = "zh") -> str:
        """The preferred label in lang, else in the other language, else the local name."""
        entry = self.entities.get(str(iri))
        if entry is None:
            return local_name(iri)
        for candidate in (lang, "en" if lang == "zh" else "zh", ""):
            if candidate in entry.pref:
                return entry.pref[candidate]
        if entry.pref:
            return next(iter(entry.pref.values()))
        return local_name(iri)

    def labels(self, iri: str) -> dict[str, str]:
        entry = self.entities.get(str(iri))
        return dict(entry.pref) if entry else {}

    def types(self, iri: str) -> list[str]:
        entry = self.entities.get(str(iri))
        return list(entry.types) if entry else []

    def resolve(self, text: str) -> list[str]:
        """IRIs whose label, alias or notation equals text (normalised), or whose IRI or local
        name (``prog-460305``, ``rtd:prog-460305``) it is. Best matches first."""
        text = text.strip()
        if not text:
            return []
        found: list[str] = []
        iri = expand_iri(text)
        if iri is not None and str(iri) in self.entities:
            found.append(str(iri))
        elif RTD_NS + text in self.entities:
            found.append(RTD_NS + text)
        for candidate in self._matches.get(normalise(text), []):
            if candidate not in found:
                found.append(candidate)
        return found

    def suggest(self, text: str, n: int = 5, allowed: Iterable[str] | None = None) -> list[str]:
        """Close labels for a name that matched nothing (substring first, then similar spelling)."""
        key = normalise(text)
        if not key:
            return []
        allowed_set = set(allowed) if allowed is not None else None

        def ok(k: str) -> bool:
            return allowed_set is None or any(i in allowed_set for i in self._matches[k])

        contains = [k for k in self._keys if (key in k or k in key) and ok(k)]
        contains.sort(key=lambda k: (abs(len(k) - len(key)), k))
        pool = [k for k in self._keys if ok(k)] if allowed_set is not None else self._keys
        similar = difflib.get_close_matches(key, pool, n=n, cutoff=0.5)
        out: list[str] = []
        for k in [*contains, *similar]:
            iri = self._matches[k][0]
            shown = self._display(k, iri)
            if shown not in out:
                out.append(shown)
            if len(out) >= n:
                break
        return out

    def _display(self, key: str, iri: str) -> str:
        entry = self.entities[iri]
        for label in [*entry.pref.values(), *(a for a, _ in entry.alt), *entry.notations]:
            if normalise(label) == key:
                return label
        return key
