"""Loose occupation names: a word that is not an occupation's name but ends several of them.

"护士" is not in the 2022 classification, but 内科护士, 儿科护士, 外科护士… are; "teacher" ends
Kindergarten Teacher, Primary School Teacher…. A question about such a word ("护士的职业代码",
"can I become a nurse") is about those occupations: :func:`loose_occupations` finds the word and
them, from :meth:`Knowledge.occupation_heads` (built once per snapshot), so a turn costs a few
dictionary look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.knowledge import Knowledge
from advisor.linking import Mention
from advisor.normalize import en_tokens, stem

__all__ = ["LooseOccupation", "loose_occupations", "SYNONYMS_ZH", "SYNONYMS_EN"]

# Everyday words for the head of occupation names in the classification (words, not facts):
# 老师 is said for 教师, 司机 for 驾驶员, 厨师 for 烹调师.
SYNONYMS_ZH = {
    "老师": "教师",
    "司机": "驾驶员",
    "厨师": "烹调师",
    "大厨": "烹调师",
    "护工": "护理员",
    "机修工": "维修工",
}
SYNONYMS_EN = {
    stem("chef"): stem("cook"),
    stem("chefs"): stem("cook"),
    stem("lecturer"): stem("teacher"),
}
# more occupations than this sharing a name ending: the ending is generic (人员, worker…)
LOOSE_MAX = 30
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class LooseOccupation:
    term: str  # the word as the user wrote it
    occupations: list[str]  # the occupations whose names end with it, in classification order


def _covered(mentions: list[Mention], start: int, end: int) -> bool:
    # a typo reading (fuzzy) does not hide a word: "能当老师" read as an interest is still 老师
    return any(m.start < end and start < m.end for m in mentions if m.start >= 0 and m.exact)


def loose_occupations(kn: Knowledge, text: str, mentions: list[Mention]) -> LooseOccupation | None:
    """The longest word of a normalised text, outside the linked mentions, that ends between
    one and ``LOOSE_MAX`` occupation names (or a synonym of such a word); None when there is none."""
    zh_heads, en_heads = kn.occupation_heads()
    best: tuple[int, int, str, tuple[str, ...]] | None = None
    n = len(text)
    for s in range(n):
        if not _CJK.match(text[s]):
            continue
        for length in range(min(8, n - s), 1, -1):
            word = text[s : s + length]
            if not all(_CJK.match(ch) for ch in word):
                continue
            key = word
            for a, b in SYNONYMS_ZH.items():
                if key.endswith(a):
                    key = key[: -len(a)] + b
                    break
            occs = zh_heads.get(key)
            if not occs:
                continue
            # the longest ending here decides: "技术人员" (too generic) is not read as "技术人"
            if (
                len(occs) <= LOOSE_MAX
                and not _covered(mentions, s, s + length)
                and (best is None or length > best[1] - best[0])
            ):
                best = (s, s + length, word, occs)
            break
    if best is None:
        words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[a-z][a-z-]+", text)]
        for ws, we, w in words:
            toks = en_tokens(w)
            if not toks:
                continue
            key = SYNONYMS_EN.get(toks[-1], toks[-1])
            occs = en_heads.get(key)
            if not occs or len(occs) > LOOSE_MAX or _covered(mentions, ws, we):
                continue
            best = (ws, we, w, occs)
            break
    if best is None:
        return None
    occs = sorted(best[3], key=kn.code)
    return LooseOccupation(term=best[2], occupations=occs)
