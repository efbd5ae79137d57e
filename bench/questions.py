"""A mixed, bilingual list of chat questions for the latency and throughput benchmarks.

Deterministic: hand-written questions (simplified and traditional Chinese, English, a few out of
scope) plus templates filled with programme, occupation and stage names from
``ontology/imports``, so the list exercises alias linking, lexical search and the pathway code
with many different entities rather than one cached answer.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

__all__ = ["FIXED", "questions"]

IMPORTS = Path(__file__).resolve().parent.parent / "ontology" / "imports"

FIXED: list[tuple[str, str]] = [
    ("孩子中考没考上普高怎么办？", "zh"),
    ("中职生还能读本科吗？", "zh"),
    ("读职校是不是就没有出路了？", "zh"),
    ("专升本要考什么？", "zh"),
    ("职业本科和普通本科有什么区别？", "zh"),
    ("大专毕业可以考研究生吗？", "zh"),
    ("技校毕业算什么学历？", "zh"),
    ("五年一贯制是什么意思？", "zh"),
    ("3+2是什么？", "zh"),
    ("中职能转到普高吗？", "zh"),
    ("山东普职互转有什么条件？", "zh"),
    ("成都的综合高中怎么选方向？", "zh"),
    ("职教高考考什么？", "zh"),
    ("高中毕业没考上本科，还有什么路？", "zh"),
    ("技师可以评工程师吗？", "zh"),
    ("职业教育法说职校生和普通学校学生平等吗？", "zh"),
    ("中职毕业生就业率高吗？", "zh"),
    ("我喜欢修车，适合学什么专业？", "zh"),
    ("我喜欢画画，读什么专业好？", "zh"),
    ("学护理要考什么证？", "zh"),
    ("德国双元制是什么？", "zh"),
    ("芬兰的应用科技大学怎么样？", "zh"),
    ("孩子中考沒考上普高怎麼辦？", "zh"),
    ("職業本科可以考研嗎？", "zh"),
    ("讀職校以後能上大學嗎？", "zh"),
    ("技工學校畢業能評職稱嗎？", "zh"),
    ("What can my child do after junior high school?", "en"),
    ("Can a vocational student get a bachelor's degree?", "en"),
    ("Is vocational school a dead end?", "en"),
    ("How does the associate-to-bachelor upgrade work?", "en"),
    ("What is the difference between a vocational and a general bachelor's degree?", "en"),
    ("Can I do a master's degree after a higher vocational college?", "en"),
    ("What is the vocational college entrance exam?", "en"),
    ("Can I transfer from a vocational school to a general high school?", "en"),
    ("What is a 3+2 programme?", "en"),
    ("Does the law treat vocational students equally?", "en"),
    ("What jobs do vocational graduates get?", "en"),
    ("I like computers, what should I study?", "en"),
    ("What certificate do I need to work as a nurse?", "en"),
    ("How does the German dual system compare?", "en"),
    ("My son failed the zhongkao. What now?", "en"),
    ("Which route leads to a professional master's degree?", "en"),
    ("今天天气怎么样？", "zh"),
    ("帮我写一下数学作业", "zh"),
    ("What's the stock price of Tencent today?", "en"),
    ("Tell me a joke", "en"),
]

_ZH_PROG = [
    "读{p}以后能做什么工作？",
    "{p}专业怎么样？",
    "{p}毕业能升本科吗？",
    "{p}对口什么职业？",
]
_EN_PROG = [
    "What jobs can I get with {p}?",
    "Is {p} a good programme?",
    "Can I continue {p} at bachelor level?",
]
_ZH_OCC = ["想当{o}应该学什么专业？", "怎样才能成为{o}？"]
_EN_OCC = ["How do I become a {o}?", "What should I study to work as a {o}?"]
_ZH_STAGE = ["{a}毕业后能读{b}吗？", "从{a}到{b}要几年？", "{a}怎么升{b}？"]
_EN_STAGE = ["Can I go from {a} to {b}?", "How many years from {a} to {b}?"]
_STAGES = [
    ("初中", "junior high school"),
    ("中职", "secondary vocational school"),
    ("普高", "general high school"),
    ("高职", "higher vocational college"),
    ("大专", "associate degree"),
    ("技校", "technical school"),
    ("职业本科", "vocational bachelor's degree"),
    ("本科", "bachelor's degree"),
    ("专业硕士", "professional master's degree"),
    ("研究生", "master's degree"),
]


def _read(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


def questions(n: int = 240, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` (message, lang) pairs: the fixed list first, then filled templates, shuffled."""
    rng = random.Random(seed)
    programmes = _read(IMPORTS / "en-labels" / "programmes.csv")
    occupations = _read(IMPORTS / "en-labels" / "occupations-part1.csv") + _read(
        IMPORTS / "en-labels" / "occupations-part2.csv"
    )
    out = list(FIXED)
    while len(out) < n:
        roll = rng.random()
        if roll < 0.35 and programmes:
            row = rng.choice(programmes)
            if rng.random() < 0.6:
                out.append((rng.choice(_ZH_PROG).format(p=row["zh"]), "zh"))
            else:
                out.append((rng.choice(_EN_PROG).format(p=row["en"]), "en"))
        elif roll < 0.6 and occupations:
            row = rng.choice(occupations)
            if rng.random() < 0.6:
                out.append((rng.choice(_ZH_OCC).format(o=row["zh"]), "zh"))
            else:
                out.append((rng.choice(_EN_OCC).format(o=row["en"].lower()), "en"))
        else:
            a, b = rng.sample(_STAGES, 2)
            if rng.random() < 0.6:
                out.append((rng.choice(_ZH_STAGE).format(a=a[0], b=b[0]), "zh"))
            else:
                out.append((rng.choice(_EN_STAGE).format(a=a[1], b=b[1]), "en"))
    fixed, rest = out[: len(FIXED)], out[len(FIXED) : n]
    mixed = fixed + rest
    rng.shuffle(mixed)
    return mixed[:n]
