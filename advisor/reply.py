"""The reply of one chat turn, in the shape of the HTTP API (DESIGN.md, ``POST /api/chat``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Reply"]


@dataclass
class Reply:
    session_id: str
    lang: str
    intent: str
    answer: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    pathways: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    debug: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "lang": self.lang,
            "intent": self.intent,
            "answer": self.answer,
            "citations": [dict(c) for c in self.citations],
            "entities": [dict(e) for e in self.entities],
            "pathways": [dict(p) for p in self.pathways],
            "suggestions": list(self.suggestions),
        }
