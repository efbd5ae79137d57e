"""Rongtong's chat advisor: bilingual question understanding, hybrid search and grounded answers.

Public API (web codes against it)::

    from advisor import Advisor, Reply
    adv = Advisor(graph, settings=None, encoder=None, index_dir=None, session_store=None)
    reply = adv.ask("还能读本科吗", session_id=None, lang=None)   # -> Reply; reply.to_json()
    adv.search("护士", lang="zh", k=10)                          # -> [{"iri","label","type","score"}]

Errors for bad input: :class:`advisor.errors.InputError` (``code``, ``message``).
Sessions: :mod:`advisor.sessions`; encoders: :func:`advisor.encoders.get_encoder`;
CLI: :func:`advisor.cli.register`. This package never imports Flask or ``web``.
"""

from __future__ import annotations

from advisor.errors import InputError
from advisor.reply import Reply

__all__ = ["Advisor", "Reply", "InputError"]


def __getattr__(name: str):
    # Advisor pulls in numpy, faiss and jieba: import it on first use, not with the package.
    if name == "Advisor":
        from advisor.core import Advisor

        return Advisor
    raise AttributeError(name)
