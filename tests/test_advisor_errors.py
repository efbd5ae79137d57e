"""Every bad input raises InputError (web maps it to 400); unknown sessions start new ones."""

from __future__ import annotations

import pytest

from advisor.errors import InputError


@pytest.fixture(scope="module")
def adv():
    from advisor.testing import shared_advisor

    return shared_advisor("hash")


@pytest.mark.parametrize(
    "message,lang,code",
    [
        ("", None, "empty_message"),
        ("   \n\t ", None, "empty_message"),
        (None, None, "invalid_message"),
        (42, None, "invalid_message"),
        (["中职"], None, "invalid_message"),
        ("中职能考大学吗", "fr", "bad_lang"),
        ("中职能考大学吗", "", "bad_lang"),
        ("中职能考大学吗", 1, "bad_lang"),
    ],
)
def test_bad_input(adv, message, lang, code):
    with pytest.raises(InputError) as err:
        adv.ask(message, lang=lang)
    assert err.value.code == code
    assert err.value.message


def test_too_long_is_bounded_by_the_setting(adv):
    limit = adv.max_message_length
    adv.ask("职" * limit)  # exactly at the bound is fine
    with pytest.raises(InputError) as err:
        adv.ask("职" * (limit + 1))
    assert err.value.code == "message_too_long"


def test_explicit_lang_accepts_case(adv):
    assert adv.ask("What is 专升本?", lang="EN").lang == "en"


def test_search_bad_input(adv):
    for q in ("", "  ", None):
        with pytest.raises(InputError):
            adv.search(q)
    with pytest.raises(InputError):
        adv.search("护士", lang="de")
    with pytest.raises(InputError):
        adv.search("护士", k=0)


@pytest.mark.parametrize(
    "sid", ["nonexistent-but-well-formed-id", "!!bad!!", "a" * 500, "", "<script>"]
)
def test_unknown_or_malformed_session_starts_new(adv, sid):
    reply = adv.ask("中职能考大学吗？", session_id=sid)
    assert reply.session_id != sid
    assert len(reply.session_id) >= 16
    again = adv.ask("还能读研究生吗？", session_id=reply.session_id)
    assert again.session_id == reply.session_id


def test_user_text_is_never_echoed(adv):
    reply = adv.ask("<script>alert(1)</script> 中职能考大学吗")
    body = str(reply.to_json())
    assert "<script>" not in body and "alert(1)" not in body
    reply = adv.ask("<img src=x onerror=alert(1)> what is the weather")
    assert "<img" not in str(reply.to_json())
