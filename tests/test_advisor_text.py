"""Normalisation, language detection, entity linking (aliases, typos, traditional, full-width)."""

from __future__ import annotations

import pytest

from advisor.normalize import detect_lang, en_tokens, normalize

RTD = "https://w3id.org/rongtong/id/"


def test_normalize_traditional_fullwidth_case_control():
    assert normalize("職業教育") == "职业教育"
    assert normalize("ＷＨＡＴ ＩＳ　１＋Ｘ？") == "what is 1+x?"
    assert normalize("a\x00b\u200bc\x1f d") == "a b c d"
    assert normalize("  中職  畢業 ") == "中职 毕业"


def test_detect_lang():
    assert detect_lang("高职毕业能读本科吗") == "zh"
    assert detect_lang("Can I get a bachelor's degree?") == "en"
    assert detect_lang("what is 专升本?") == "zh"
    assert detect_lang("1+X") == "en"


def test_en_tokens_stem():
    assert en_tokens("bachelor's degrees") == ["bachelor", "degree"]
    assert en_tokens("industrial robotics programs") == ["industrial", "robot", "programme"]
    assert en_tokens("loves fixing machines") == ["love", "fix", "machine"]


@pytest.fixture(scope="module")
def aliases():
    from advisor.testing import shared_advisor

    return shared_advisor("hash").aliases


def _linked(aliases, text):
    return [iri for m in aliases.link(normalize(text)) for iri in m.iris[:1]]


@pytest.mark.parametrize(
    "text,local",
    [
        ("职高", "stage-secondary-vocational"),
        ("中专", "stage-secondary-vocational"),
        ("技校", "stage-secondary-vocational"),
        ("大专", "stage-higher-vocational"),
        ("高职", "stage-higher-vocational"),
        ("专科", "stage-higher-vocational"),
        ("academic high school", "stage-general-senior"),
        ("Academic High School", "stage-general-senior"),
        ("vocational gaokao", "mech-vocational-gaokao"),
        ("職高", "stage-secondary-vocational"),
        ("專升本", "mech-zhuanshengben"),
        ("ＶＯＣＡＴＩＯＮＡＬ ＧＡＯＫＡＯ", "mech-vocational-gaokao"),
    ],
)
def test_aliases_resolve(aliases, text, local):
    assert RTD + local in _linked(aliases, text)


@pytest.mark.parametrize(
    "text,local",
    [
        ("what is the vocatinal gaokao", "mech-vocational-gaokao"),  # English, edit distance 1
        ("vocational gaokoa", "mech-vocational-gaokao"),  # transposition
        ("专生本要考什么", "mech-zhuanshengben"),  # Chinese homophone
        ("职业教育高烤", "mech-vocational-gaokao"),  # one character wrong in a 6-character alias
    ],
)
def test_typos_resolve(aliases, text, local):
    assert RTD + local in _linked(aliases, text)


def test_longest_match_wins(aliases):
    mentions = aliases.link(normalize("工业机器人系统操作员的职业代码是什么"))
    assert mentions[0].surface == "工业机器人系统操作员"
    assert mentions[0].iris[0] == RTD + "occ-6-31-07-03"


def test_no_false_typo_on_short_words(aliases):
    assert _linked(aliases, "the weather is fine") == []
