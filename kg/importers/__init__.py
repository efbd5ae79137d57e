"""Importers: build the generated Turtle files of ``ontology/`` from the CSVs in ``ontology/imports/``.

- :mod:`kg.importers.catalogue` — ``import_catalogue``: the MOE vocational programme catalogue
  (and its yearly update report)
- :mod:`kg.importers.occupations` — ``import_occupations``: the 2022 occupation classification
- :mod:`kg.importers.derive_links` — ``derive_links``: derived programme → occupation candidates
- :mod:`kg.importers.cli` — ``register(subparsers)`` for ``rongtong import-catalogue``,
  ``import-occupations`` and ``derive-links``

(The functions are not re-exported here: their names equal the module names.)
"""
