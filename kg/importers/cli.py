"""``rongtong import-catalogue``, ``import-occupations`` and ``derive-links``.

``kg/cli.py`` calls :func:`register` with its subparsers. Every command takes ``--ontology DIR``
(default: the ``RONGTONG_ONTOLOGY`` environment variable, else the repo's ``ontology/``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def _ontology_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ontology",
        metavar="DIR",
        type=Path,
        default=None,
        help="ontology directory (default: $RONGTONG_ONTOLOGY or the repo's ontology/)",
    )
    p.add_argument(
        "--en-labels",
        metavar="DIR",
        type=Path,
        default=None,
        help="folder of the English-label CSVs (default: ONTOLOGY/imports/en-labels)",
    )


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import-catalogue",
        help="import a vocational programme catalogue CSV into Turtle; report added/renamed/removed",
        description="Import a programme catalogue CSV (format of moe_vocational_major_catalog_2021.csv) "
        "into ONTOLOGY/catalogue/programmes-EDITION.ttl, comparing it first with the current graph: "
        "added, renamed and removed programmes and classes are reported; English labels, hand-added "
        "aliases and other hand-added properties are carried over by code. See kg/importers/README.md.",
    )
    p.add_argument("csv", type=Path, metavar="CSV", help="the catalogue CSV")
    p.add_argument("--edition", default="2021", help="catalogue edition (default 2021)")
    p.add_argument(
        "--as-of",
        default=None,
        help="rt:asOf of the edition (default: 2021-03 for 2021, else EDITION)",
    )
    p.add_argument(
        "--source",
        default=None,
        help="rtd: local name of the rt:Source (default src-moe-catalogue-EDITION)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output file (default ONTOLOGY/catalogue/programmes-EDITION.ttl)",
    )
    p.add_argument("--report-only", action="store_true", help="print the report; write nothing")
    _ontology_arg(p)
    p.set_defaults(func=_import_catalogue)

    p = subparsers.add_parser(
        "import-occupations",
        help="import the 2022 occupation classification CSVs into Turtle",
        description="Import occupation_classification_2022_draft.csv and its hierarchy CSV into "
        "ONTOLOGY/catalogue/occupations-2022.ttl; damaged-looking rows are kept and marked with rt:dataIssue.",
    )
    p.add_argument(
        "csv",
        type=Path,
        nargs="?",
        metavar="CSV",
        help="occupations CSV (default ONTOLOGY/imports/occupation_classification_2022_draft.csv)",
    )
    p.add_argument(
        "hierarchy",
        type=Path,
        nargs="?",
        metavar="HIERARCHY_CSV",
        help="hierarchy CSV (default ONTOLOGY/imports/occupation_classification_2022_hierarchy.csv)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output file (default ONTOLOGY/catalogue/occupations-2022.ttl)",
    )
    p.add_argument("--check", action="store_true", help="print the report; write nothing")
    _ontology_arg(p)
    p.set_defaults(func=_import_occupations)

    p = subparsers.add_parser(
        "derive-links",
        help="derive candidate programme → occupation links (lexical method, marked derived)",
        description="Write ONTOLOGY/links/occupation-links-derived.ttl: for every programme without a "
        "curated or official link, up to 3 candidate occupations by an explainable lexical method.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output file (default ONTOLOGY/links/occupation-links-derived.ttl)",
    )
    p.add_argument("--check", action="store_true", help="print the coverage; write nothing")
    p.add_argument(
        "--all",
        action="store_true",
        help="derive candidates for programmes with curated links too (default: skip them)",
    )
    _ontology_arg(p)
    p.set_defaults(func=_derive_links)


def _dir(args) -> Path:
    if args.ontology is not None:
        return args.ontology.resolve()
    from kg.importers.common import default_ontology_dir

    return default_ontology_dir()


def _fail(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 2


def _import_catalogue(args) -> int:
    from kg.importers.catalogue import import_catalogue
    from kg.importers.common import ImportError_

    try:
        result = import_catalogue(
            args.csv,
            ontology_dir=_dir(args),
            edition=args.edition,
            out=args.out,
            as_of=args.as_of,
            source=args.source,
            en_dir=args.en_labels,
            report_only=args.report_only,
        )
    except ImportError_ as exc:
        return _fail(exc)
    print(result.summary())
    return 0


def _import_occupations(args) -> int:
    from kg.importers.common import ImportError_
    from kg.importers.occupations import import_occupations

    onto = _dir(args)
    occ = args.csv or onto / "imports" / "occupation_classification_2022_draft.csv"
    hier = args.hierarchy or onto / "imports" / "occupation_classification_2022_hierarchy.csv"
    try:
        result = import_occupations(
            occ, hier, ontology_dir=onto, out=args.out, en_dir=args.en_labels, write=not args.check
        )
    except ImportError_ as exc:
        return _fail(exc)
    print(result.summary())
    return 0


def _derive_links(args) -> int:
    from kg.importers.common import ImportError_
    from kg.importers.derive_links import derive_links

    try:
        result = derive_links(
            ontology_dir=_dir(args),
            out=args.out,
            en_dir=args.en_labels,
            write=not args.check,
            skip_curated=not args.all,
        )
    except ImportError_ as exc:
        return _fail(exc)
    print(result.summary())
    return 0
