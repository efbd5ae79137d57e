"""Helpers the advisor tests share."""

from __future__ import annotations


def text_of(reply) -> str:
    """An answer with the labels of its entities and path steps, lower-cased: what a reader sees."""
    parts = [reply.answer] + [e["label"] for e in reply.entities]
    for p in reply.pathways:
        for s in p.get("steps", []):
            for k in ("from", "to", "via"):
                if isinstance(s.get(k), dict):
                    parts.append(s[k].get("label") or "")
    return "\n".join(parts).lower()
