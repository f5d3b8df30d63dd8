"""The class roster: who is in the course, their discipline and what they want to avoid.

Roster CSV: ``student_id`` required (letters, digits, ``_``, ``-``, ``.``); optional
``name``, ``email``, ``discipline``, ``avoid`` (career ids or sector ids separated by
``;``) and ``sis_id``; any other column is kept and ignored. UTF-8 with or without BOM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from careerkit.catalog import Catalog, load_catalog
from careerkit.errors import DataError, did_you_mean, where
from careerkit.files import read_csv

STUDENT_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
KNOWN_COLUMNS = ("student_id", "name", "email", "discipline", "avoid", "sis_id")


@dataclass(frozen=True, slots=True, kw_only=True)
class Student:
    """One roster row. ``discipline`` is a catalog discipline id, or None when the roster left it blank."""

    student_id: str
    name: str = ""
    email: str = ""
    discipline: str | None = None
    avoid: tuple[str, ...] = ()
    sis_id: str = ""
    line: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not STUDENT_ID_RE.match(self.student_id):
            raise DataError(f"student_id '{self.student_id}' may only use letters, digits, '_', '-' and '.'")
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def __str__(self) -> str:
        return f"{self.student_id} ({self.name})" if self.name else self.student_id


@dataclass(frozen=True, slots=True)
class Roster:
    """Students in a stable order (sorted by ``student_id``), whatever the file's row order."""

    students: tuple[Student, ...]
    source: str = ""

    def __iter__(self) -> Iterator[Student]:
        return iter(self.students)

    def __len__(self) -> int:
        return len(self.students)

    def __contains__(self, student_id: object) -> bool:
        return any(s.student_id == student_id for s in self.students)

    def get(self, student_id: str) -> Student:
        for s in self.students:
            if s.student_id == student_id:
                return s
        ids = [s.student_id for s in self.students]
        raise DataError(f"Unknown student '{student_id}' in {self.source or 'the roster'}{did_you_mean(student_id, ids)}")


def load_roster(path: str | os.PathLike[str], catalog: Catalog | None = None) -> Roster:
    """Read and validate a roster CSV against the catalog (disciplines, avoid entries)."""
    catalog = catalog or load_catalog()
    p = Path(path)
    _, rows = read_csv(p, required=("student_id",))
    if not rows:
        raise DataError(f"{p}: the roster is empty (a header but no students)")
    seen: dict[str, int] = {}
    students = []
    avoidable = set(catalog.sector_ids) | {c.id for c in catalog}
    for row in rows:
        v = row.values
        sid = v.get("student_id", "")
        if not sid:
            raise DataError(f"{where(p, row.line, 'student_id')}: empty student_id")
        if not STUDENT_ID_RE.match(sid):
            raise DataError(f"{where(p, row.line, 'student_id')}: '{sid}' may only use letters, digits, '_', '-' and '.'")
        if sid in seen:
            raise DataError(f"{where(p, row.line, 'student_id')}: duplicate student_id '{sid}' (first on line {seen[sid]})")
        seen[sid] = row.line
        discipline = None
        raw_disc = v.get("discipline", "")
        if raw_disc:
            discipline = catalog.resolve_discipline(raw_disc)
            if discipline is None:
                hint = did_you_mean(raw_disc.lower(), catalog.discipline_choices())
                raise DataError(
                    f"{where(p, row.line, 'discipline')}: unknown discipline '{raw_disc}'{hint}; "
                    f"use one of {', '.join(catalog.discipline_ids)} (or leave it blank)"
                )
        avoid = tuple(a.strip() for a in v.get("avoid", "").split(";") if a.strip())
        for a in avoid:
            if a not in avoidable:
                raise DataError(
                    f"{where(p, row.line, 'avoid')}: '{a}' names no career or sector{did_you_mean(a, sorted(avoidable))}"
                )
        extra = {k: val for k, val in v.items() if k not in KNOWN_COLUMNS}
        students.append(
            Student(
                student_id=sid,
                name=v.get("name", ""),
                email=v.get("email", ""),
                discipline=discipline,
                avoid=avoid,
                sis_id=v.get("sis_id", ""),
                line=row.line,
                extra=extra,
            )
        )
    return Roster(tuple(sorted(students, key=lambda s: s.student_id)), source=str(p))
