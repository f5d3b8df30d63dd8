"""Every exception careerkit raises.

All inherit :class:`CareerkitError`; each also inherits the matching builtin so
callers can catch either (``except LookupError`` keeps working). Messages say what
is wrong, the offending value, where (file, line, field) and what is allowed.
The CLI turns any of them into one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CareerkitError(Exception):
    """Base class of every careerkit error."""


class DataError(CareerkitError, ValueError):
    """A data file (catalog, roster, profile, log...) is malformed or invalid."""


class UnknownIdError(CareerkitError, LookupError):
    """An id that names nothing in the catalog it should come from."""


class UnknownCareerError(UnknownIdError):
    """A career id that is not in the careers catalog."""


class UnknownCompetencyError(UnknownIdError):
    """A competency id that is not one of the eight NACE ids."""


class AssignmentError(CareerkitError, ValueError):
    """A career assignment cannot be made (e.g. no eligible career left)."""


class LimitError(CareerkitError, ValueError):
    """A text is over a hard limit (characters, words)."""


class CourseError(CareerkitError, RuntimeError):
    """A course directory or an nbgrader step is not in the state a command needs."""


class UsageError(CareerkitError, ValueError):
    """A combination of command options that does not make sense."""


def where(path: object = None, line: int | None = None, field: str | None = None) -> str:
    """Format a location like ``roster.csv line 7 (avoid)`` for error messages."""
    parts = []
    if path is not None:
        parts.append(str(path))
    if line is not None:
        parts.append(f"line {line}")
    text = " ".join(parts)
    if field:
        text = f"{text} ({field})" if text else f"({field})"
    return text


def did_you_mean(value: str, allowed: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest allowed value, or ``""``."""
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
