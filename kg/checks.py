"""Violation queries: ``ontology/checks/*.rq``. Each row a query returns is one failure.

Header::

    # severity: error            (error fails validation; warning is printed)
    # message: {name} has no source (dcterms:source); add one
    # twin: rts:SourcedShape     (optional: when SHACL ran and that shape already reported the
    #                             resource, the row is not reported twice)

``{var}`` placeholders take the row's values (IRIs shown as ``rtd:local-name``); ``{name}`` is the
resource with its label and ``{label}`` its label. The variable
``?resource`` (or the first IRI in the row) names the resource, to find the file that defines it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from kg.terms import RT_NS, RTD_NS

__all__ = ["Check", "load_checks", "format_message", "short"]

_HEADER = re.compile(r"^#\s*(severity|message|description|twin)\s*:\s*(.*)$", re.I)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Check:
    name: str
    text: str
    severity: str
    message: str
    path: Path
    twin: str | None = None  # a SHACL node shape that reports the same problem (validate shows one)


def load_checks(root: Path) -> list[Check]:
    """Every ``checks/*.rq`` under the ontology directory, sorted by name."""
    out = []
    for path in sorted((root / "checks").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        severity, message, twin = "error", "", None
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                if stripped:
                    break
                continue
            m = _HEADER.match(stripped)
            if m and m.group(1).lower() == "severity":
                severity = m.group(2).strip().lower()
            elif m and m.group(1).lower() == "message":
                message = m.group(2).strip()
            elif m and m.group(1).lower() == "twin":
                twin = m.group(2).strip() or None
        if severity not in ("error", "warning"):
            raise ValueError(f"{path.name}: severity must be error or warning, not {severity!r}")
        out.append(
            Check(path.stem, text, severity, message or f"fails check {path.stem}", path, twin)
        )
    return out


def short(term: Node | str) -> str:
    """An IRI as rtd:/rt: prefixed name when it is ours, else as given."""
    text = str(term)
    if isinstance(term, URIRef) or text.startswith("http"):
        if text.startswith(RTD_NS):
            return "rtd:" + text[len(RTD_NS) :]
        if text.startswith(RT_NS):
            return "rt:" + text[len(RT_NS) :]
    return text


def format_message(template: str, row: dict[str, Node], extra: dict[str, str] | None = None) -> str:
    """Fill ``{var}`` placeholders from a result row (missing ones become '?')."""
    values = {k: short(v) for k, v in row.items()}
    values.update(extra or {})
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "?"), template)
