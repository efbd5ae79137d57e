"""The ``rongtong`` command: one entry point whose subcommands come from each package.

kg registers the maintainer and counselor commands, advisor the conversational ones, web ``serve``.
Each package's ``register(subparsers)`` adds its subcommands with ``set_defaults(func=...)``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    from advisor import cli as advisor_cli
    from kg import cli as kg_cli
    from web import serve as web_serve

    parser = argparse.ArgumentParser(
        prog="rongtong",
        description="Rongtong (融通): education pathways knowledge graph and advisor",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    kg_cli.register(sub)
    advisor_cli.register(sub)
    web_serve.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
