"""Text normalisation and language detection, shared by the index and the question side.

``normalize(text)``: traditional → simplified Chinese (OpenCC ``t2s``), NFKC (full-width →
half-width), lower-case, control characters removed, whitespace collapsed. Code points that are
not characters — lone surrogates ("\ud800", which UTF-8 cannot encode: an encoder, a log line or
a database would raise on them) and the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF — become
spaces like control characters, so nothing after normalisation ever meets them. The same function
is applied to the graph's labels when the alias table and the search index are built, so both
sides meet in one form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize",
    "detect_lang",
    "has_cjk",
    "en_tokens",
    "stem",
    "to_simplified",
    "scrub",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# lone surrogates and the 66 noncharacters
_NONCHAR = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
_SPACES = re.compile(r"\s+")
_EN_WORD = re.compile(r"[a-z0-9]+(?:[+][a-z0-9]+)*")

_converter = None


def _opencc():
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


def scrub(text: str) -> str:
    """The text with lone surrogates and noncharacters replaced by spaces: always UTF-8 encodable."""
    return _NONCHAR.sub(" ", text)


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional → simplified characters; text without CJK is returned unchanged."""
    text = scrub(text)
    if not _CJK.search(text):
        return text
    return _opencc().convert(text)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """One canonical form: NFKC, simplified, lower case, no control characters, no lone
    surrogates or noncharacters, single spaces. Never raises on a str."""
    text = unicodedata.normalize("NFKC", scrub(text))
    text = _CONTROL.sub(" ", text)
    text = to_simplified(text)
    # typographic apostrophes and dashes that NFKC leaves alone
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", "-").replace("\u00b7", " ").replace("\u30fb", " ")
    return _SPACES.sub(" ", text).strip().lower()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def detect_lang(text: str) -> str:
    """``zh`` when the text contains any CJK character, else ``en``."""
    return "zh" if has_cjk(text) else "en"


# A light stemmer: enough to meet "robotics"/"robot", "programmes"/"programme",
# "bachelor's"/"bachelor" and "studying"/"study" without a dependency.
_IRREGULAR = {
    "children": "child",
    "men": "man",
    "women": "woman",
    "people": "person",
    "programs": "programme",
    "program": "programme",
    "centre": "center",
    "licence": "license",
    "licences": "license",
    "licenses": "license",
    "degrees": "degree",
    "masters": "master",
    "bachelors": "bachelor",
    "analyses": "analysis",
    "studies": "study",
    "studying": "study",
    "studied": "study",
    "universities": "university",
    "colleges": "college",
    "machinery": "machine",
    "mechanics": "mechanic",
    "mechanical": "mechanic",
    "manufacturing": "manufacture",
    "robotics": "robot",
    "robotic": "robot",
    "nursing": "nurse",
    "electrical": "electric",
    "electronics": "electronic",
    "vocationally": "vocational",
}


@lru_cache(maxsize=32768)
def stem(word: str) -> str:
    """A conservative English suffix stripper (no dependency); idempotent on its output."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 6),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                # "courses" -> "course" (strip only the s)
                return word[:-1]
            base = word[: -len(suffix)] + repl
            if (
                suffix in ("ing", "ed")
                and len(base) >= 2
                and base[-1] == base[-2]
                and base[-1] not in "lsz"
            ):
                base = base[:-1]  # "fitting" -> "fit"
            return base
    return word


def en_tokens(text: str) -> list[str]:
    """Words of a normalised English text ("bachelor's" → "bachelor"), stemmed."""
    text = text.replace("'s ", " ").replace("s' ", "s ")
    if text.endswith("'s"):
        text = text[:-2]
    return [stem(w) for w in _EN_WORD.findall(text)]
