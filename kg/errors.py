"""One exception hierarchy; the CLI maps each class to an exit code and prints
its message as one line (``kg/cli.py``)."""

from __future__ import annotations


class GeokgError(Exception):
    """Base class of every error geokg reports to a user."""

    exit_code = 1


class InputError(GeokgError):
    """A source file cannot be read as documents.

    The message names the file (and line, for JSON Lines) and the problem.
    """

    exit_code = 2

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class StoreError(GeokgError):
    """The store cannot be opened, read or written."""

    exit_code = 3


class QueryError(GeokgError):
    """A named query is missing, malformed, or got bad parameters."""

    exit_code = 4


class ValidationFailed(GeokgError):
    """SHACL validation found violations."""

    exit_code = 5


class NotImplementedYet(GeokgError):
    """A feature that is designed but not built: fail loudly, never pretend."""

    exit_code = 6
