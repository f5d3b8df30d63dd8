"""Student drafts kept as JSON (storyboards, canvases): findings and field-by-field reading.

A draft has two kinds of problem. A *structural* one (not JSON, a number where text
belongs, a missing or misspelt key) stops loading: :class:`FieldReader` raises a
:class:`~careerkit.errors.DataError` naming the file and the field, e.g.
``storyboard.json field 'panels[3].direction': expected text, got 42``. A *content*
one (an empty box, too many panels, a vague entry) is a :class:`Finding`: checks
return all of them at once, so a student in a notebook can fix everything in one go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from careerkit.errors import DataError, did_you_mean

Severity = Literal["error", "warning"]
SEVERITIES: tuple[str, ...] = get_args(Severity)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One content problem: ``field`` is the JSON path (``panels[2].dialogue``), ``message`` plain words."""

    severity: Severity
    field: str
    message: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise DataError(f"finding severity '{self.severity}' is not one of {', '.join(SEVERITIES)}")
        object.__setattr__(self, "message", " ".join(self.message.split()))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error (the CLI's ``check`` then exits non-zero)."""
    return any(f.is_error for f in findings)


def findings_text(findings: Iterable[Finding]) -> str:
    """One line per finding, ``error``/``warning`` first; ``"No problems found."`` when there are none."""
    lines = [f"{f.severity}: {f}" for f in findings]
    return "\n".join(lines) if lines else "No problems found."


def describe(value: object) -> str:
    """A JSON value as a student wrote it, shortened: ``42``, ``"text"``, ``[1, 2]``."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text_problem(value: object) -> str | None:
    """Why ``value`` is not text, or None when it is."""
    return None if isinstance(value, str) else f"expected text, got {describe(value)}"


class FieldReader:
    """Reads one JSON object of a draft file; every error names the file and the field path."""

    def __init__(self, raw: object, *, source: str, path: str = "") -> None:
        self.source = source
        self.path = path
        if not isinstance(raw, dict):
            what = f"field '{path}'" if path else "the top level"
            raise DataError(f"{source} {what}: expected an object {{...}} of fields, got {describe(raw)}")
        self.raw: Mapping[str, Any] = raw

    def where(self, name: str) -> str:
        if not name:
            return self.path
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, problem: str) -> DataError:
        field = self.where(name)
        return DataError(f"{self.source} field '{field}': {problem}" if field else f"{self.source}: {problem}")

    def reject_unknown(self, allowed: Iterable[str], hints: Mapping[str, str] | None = None) -> None:
        """Refuse keys outside ``allowed`` (a typo like ``dialog`` would otherwise be lost silently)."""
        allowed = tuple(allowed)
        for key in self.raw:
            if key in allowed:
                continue
            hint = (hints or {}).get(key)
            if hint:
                raise self.fail(key, f"unknown field; {hint}")
            raise self.fail(key, f"unknown field{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}")

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self.raw:
                raise self.fail(name, "missing (it may be empty text, \"\", while you draft)")

    def text(self, name: str, *, default: str | None = None) -> str:
        """A text field, stripped; empty text is allowed (drafts). Absent: ``default`` or an error."""
        if name not in self.raw or self.raw[name] is None:
            if default is None:
                raise self.fail(name, "missing (it may be empty text, \"\", while you draft)")
            return default
        problem = text_problem(self.raw[name])
        if problem:
            raise self.fail(name, problem)
        return str(self.raw[name]).strip()

    def texts(self, name: str) -> tuple[str, ...]:
        """A list of non-empty texts (ids); absent means empty."""
        value = self.raw.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(name, f"expected a list of texts, got {describe(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{name}[{i}]", f"expected non-empty text, got {describe(item)}")
        if len(set(value)) != len(value):
            raise self.fail(name, "lists the same id twice")
        return tuple(v.strip() for v in value)

    def items(self, name: str, *, required: bool = True) -> Iterator[tuple[str, object]]:
        """``(field path, raw item)`` for each element of a list field."""
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.fail(name, "missing; expected a list [...]")
            return
        if not isinstance(value, list):
            raise self.fail(name, f"expected a list [...], got {describe(value)}")
        for i, item in enumerate(value):
            yield f"{self.where(name)}[{i}]", item

    def objects(self, name: str, *, required: bool = True) -> Iterator[FieldReader]:
        """A reader for each element of a list of objects."""
        for path, item in self.items(name, required=required):
            yield FieldReader(item, source=self.source, path=path)

    def child(self, name: str) -> FieldReader | None:
        """A reader for an object field, or None when it is absent."""
        value = self.raw.get(name)
        return None if value is None else FieldReader(value, source=self.source, path=self.where(name))
