"""The maintainers' file commands of ``rongtong``: ``fmt`` and ``diff``.

``kg/cli.py`` calls :func:`register` with its subparsers (``rongtong validate`` is kg.cli's;
live reload is part of ``rongtong serve``, see kg/reload.py and web/reload.py).
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``fmt`` and ``diff``."""
    from kg import diff, fmt

    fmt.register(subparsers)
    diff.register(subparsers)
