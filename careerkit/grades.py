"""Grades out of nbgrader's gradebook: one table per course, CSV and Canvas exports.

Scores come from the gradebook (autograde plus any manual grades a TA entered in
formgrader), never from files. A student with no submission for a module has an empty
cell, not a zero: the instructor decides what a missing submission is worth.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from careerkit.course import MODULE_TITLES, MODULES, Course
from careerkit.errors import CourseError, UsageError
from careerkit.files import atomic_write_text, csv_text
from careerkit.tables import text_table

FORMATS = ("csv", "canvas")
DEFAULT_NAMES = {"csv": "grades.csv", "canvas": "grades-canvas.csv"}
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass(frozen=True, slots=True)
class StudentGrades:
    student_id: str
    name: str
    email: str
    sis_id: str
    scores: dict[str, float | None]

    @property
    def total(self) -> float:
        return sum(v for v in self.scores.values() if v is not None)


@dataclass(frozen=True, slots=True)
class GradeTable:
    modules: tuple[str, ...]
    max_scores: dict[str, float]
    students: tuple[StudentGrades, ...]

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())

    def to_csv(self) -> str:
        head = ["student_id", "name", "email", *self.modules, "total", "max_total", "percent"]
        rows = []
        for s in self.students:
            cells: list[object] = [s.student_id, s.name, s.email]
            cells += [_num(s.scores[m]) for m in self.modules]
            pct = 100.0 * s.total / self.max_total if self.max_total else 0.0
            cells += [_num(s.total), _num(self.max_total), f"{pct:.1f}"]
            rows.append(cells)
        return csv_text(head, rows)

    def to_canvas(self) -> str:
        """Canvas's gradebook import: identity columns, one column per module, a Points Possible row."""
        unmatched = [s.student_id for s in self.students if not (s.email or s.sis_id)]
        if unmatched:
            raise CourseError(
                f"Canvas cannot match {len(unmatched)} student(s) without an email or sis_id in the roster: {', '.join(unmatched[:5])}"
                + (" ..." if len(unmatched) > 5 else "")
            )
        head = CANVAS_ID_COLUMNS + [MODULE_TITLES.get(m, m) for m in self.modules]
        rows: list[list[object]] = [["Points Possible", "", "", "", ""] + [_num(self.max_scores[m]) for m in self.modules]]
        for s in self.students:
            rows.append([_canvas_name(s.name) or s.student_id, "", s.sis_id, s.email, ""] + [_num(s.scores[m]) for m in self.modules])
        return csv_text(head, rows)

    def table(self) -> str:
        """Plain text for the terminal: one row per student, one column per module."""
        short = [m.split("-", 1)[0] for m in self.modules]
        head = ["student_id", *short, "total"]
        rows = [[s.student_id, *[_num(s.scores[m]) or "-" for m in self.modules], _num(s.total)] for s in self.students]
        rows.append(["(max)", *[_num(self.max_scores[m]) for m in self.modules], _num(self.max_total)])
        return text_table(head, rows, right=range(1, len(head)))


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{round(value, 2):g}"


def _canvas_name(name: str) -> str:
    first, _, last = name.strip().rpartition(" ")
    return f"{last}, {first}" if first and last else name.strip()


def grade_table(course: Course) -> GradeTable:
    """Every roster student (and anyone else in the gradebook) with their score per module."""
    roster = {s.student_id: s for s in course.roster()} if (course.root / "roster.csv").is_file() else {}
    scores: dict[tuple[str, str], float] = {}
    max_scores: dict[str, float] = {}
    known: dict[str, tuple[str, str]] = {}
    with course.gradebook() as gb:
        for a in gb.assignments:
            max_scores[a.name] = float(a.max_score)
            for sub in a.submissions:
                scores[(sub.student.id, a.name)] = float(sub.score)
        for st in gb.students:
            known[st.id] = (" ".join(p for p in (st.first_name, st.last_name) if p), st.email or "")
    modules = tuple([m for m in MODULES if m in max_scores] + sorted(m for m in max_scores if m not in MODULES))
    ids = list(roster) + sorted(sid for sid in known if sid not in roster)
    students = []
    for sid in ids:
        r = roster.get(sid)
        name, email = (r.name, r.email) if r else known.get(sid, ("", ""))
        students.append(StudentGrades(sid, name, email, r.sis_id if r else "", {m: scores.get((sid, m)) for m in modules}))
    return GradeTable(modules, {m: max_scores[m] for m in modules}, tuple(students))


def export(course: Course, fmt: str = "csv", out: str | os.PathLike[str] | None = None) -> Path:
    """Write the grade table as ``csv`` or ``canvas`` (default file names in the course folder)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    table = grade_table(course)
    if not table.modules:
        raise CourseError(f"{course.root}: the gradebook has no modules yet; release and autograde first")
    text = table.to_canvas() if fmt == "canvas" else table.to_csv()
    return atomic_write_text(Path(out) if out else course.root / DEFAULT_NAMES[fmt], text)
