"""The exceptions kg raises. Each says in plain words what went wrong and where."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "KGError",
    "OntologyParseError",
    "StoreError",
    "RemoteStoreError",
    "QueryNotFound",
    "QueryParamError",
    "SparqlError",
    "SparqlSyntaxError",
    "SparqlForbidden",
    "SparqlTimeout",
    "UnknownPlace",
    "SettingsError",
]


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class SettingsError(KGError, ValueError):
    """A setting has an unknown name or a value of the wrong kind."""


class OntologyParseError(KGError):
    """A Turtle file does not parse. Carries the file and the line (1-based) when known."""

    def __init__(self, file: Path | str, line: int | None, message: str, column: int | None = None):
        self.file = str(file)
        self.line = line
        self.column = column
        self.detail = message.strip()
        where = self.file if line is None else f"{self.file}:{line}"
        if line is not None and column is not None:
            where += f":{column}"
        super().__init__(f"{where}: {self.detail}")


class StoreError(KGError):
    """The store could not be opened or a query failed inside it."""


class RemoteStoreError(StoreError):
    """A remote SPARQL endpoint failed, timed out or answered with a malformed body."""


class QueryNotFound(KGError, KeyError):
    """No named query has this name."""

    def __str__(self) -> str:  # KeyError quotes its argument; say it plainly instead
        return str(self.args[0]) if self.args else "unknown query"


class QueryParamError(KGError, ValueError):
    """A parameter passed to a named query is not one it declares, or has an unusable value."""


class SparqlError(KGError):
    """A user SPARQL query was refused or failed. ``code`` is a short machine-readable reason."""

    code = "sparql_error"


class SparqlSyntaxError(SparqlError):
    code = "sparql_syntax"


class SparqlForbidden(SparqlError):
    code = "sparql_forbidden"


class SparqlTimeout(SparqlError):
    code = "sparql_timeout"


class UnknownPlace(KGError, LookupError):
    """A pathway endpoint (label, alias, IRI) matches nothing. ``suggestions`` holds close labels."""

    def __init__(self, text: str, suggestions: list[str] | None = None, role: str = "place"):
        self.text = text
        self.role = role
        self.suggestions = list(suggestions or [])
        message = f"no stage or programme called {text!r} was found"
        if role in ("from", "to"):
            message = f"{role}: {message}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])
