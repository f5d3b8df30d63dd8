"""The cohort dashboard's data: one tidy set of pandas tables per course, and who needs a nudge.

:func:`load_cohort` reads a course directory once: the roster and assigned careers, the
grades from nbgrader's gradebook (module totals and the cells behind the storyboard and
canvas scores), every student's ``answers.json`` (``autograded/`` first, ``submitted/``
when there is no readable autograded copy) and ``autograde-report.csv``. Anything missing
or broken (no submission, an empty one, invalid JSON, a notebook set aside as
``.invalid``) becomes a missing value and a status, never an exception.

Privacy: interview entries are read field by field from an allow-list, so the
interviewee's personal fields (:data:`careerkit.interviews.PERSONAL_FIELDS`) never reach
a table; reflection texts are re-scored with :func:`careerkit.reflection.score` and kept
out of the tables unless ``with_text=True`` (the symposium's use, never the dashboard's).

Figures live in :mod:`careerkit.dashboard_figures` so that this module imports without plotly.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from careerkit.answers import FILENAME as ANSWERS_FILE
from careerkit.answers import GRADING_STEPS
from careerkit.autograde import REPORT_FILE
from careerkit.catalog import COMPETENCY_IDS, Catalog, load_catalog
from careerkit.course import MODULES, Course
from careerkit.errors import CareerkitError, UsageError, did_you_mean
from careerkit.interviews import OUTCOMES, PERSONAL_FIELDS

#: The gradebook cells behind the storyboard and canvas scores (module 4 and module 5).
STORYBOARD_CELLS = ("test-storyboard", "test-feedback")
CANVAS_CELLS = ("test-canvas",)
#: The only interview fields read into a table; personal fields are never among them.
INTERVIEW_FIELDS = ("date", "career_id", "format", "minutes", "outcomes", "consent_to_share")
assert not set(INTERVIEW_FIELDS) & set(PERSONAL_FIELDS)
#: Answer states per submission, in the order a TA cares about them.
ANSWERS_OK, ANSWERS_MISSING, ANSWERS_INVALID, NOT_SUBMITTED = "ok", "no answers", "invalid answers", "not submitted"
_YES = ("yes", "y", "true", "1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cohort:
    """A course's tables, one row per thing (student, grade, interview, reflection...).

    ``students``: student_id, name, discipline, discipline_name, career_id, career_title, sector, sector_name
    ``grades``: student_id, module, score (NaN when nothing was submitted), max_score, percent
    ``cells``: student_id, module, cell, score, max_score (gradebook cell grades)
    ``work``: student_id, storyboard, storyboard_max, canvas, canvas_max
    ``status``: student_id, module, submitted, answers, notebook_invalid, autograde, reasons
    ``ratings``: student_id, competency, rating, has_evidence (the module 1 self-ratings)
    ``interviews``: student_id, interview, date, career_id, sector, format, minutes, consent, outcomes, one bool column per outcome
    ``reflections``: student_id, module, item, level, level_name, competencies, n_competencies, words, confidence (+ text on request)
    ``shown``: student_id, module, item, competency (a competency a reflection showed with evidence)
    """

    root: Path
    modules: tuple[str, ...]
    students: pd.DataFrame
    grades: pd.DataFrame
    cells: pd.DataFrame
    work: pd.DataFrame
    status: pd.DataFrame
    ratings: pd.DataFrame
    interviews: pd.DataFrame
    reflections: pd.DataFrame
    shown: pd.DataFrame
    anonymised: bool = False

    def __str__(self) -> str:
        return (f"Cohort of {len(self.students)} students in {self.root}: {len(self.interviews)} interviews, "
                f"{len(self.reflections)} reflections, modules {', '.join(self.modules)}")  # fmt: skip

    def where(self, *, module: str | None = None, discipline: str | None = None, sector: str | None = None) -> Cohort:
        """The same cohort narrowed to one module, discipline and/or sector (ids or names, any case)."""
        keep = self.students
        if discipline:
            keep = keep[_matches(keep, ("discipline", "discipline_name"), discipline, "discipline")]
        if sector:
            keep = keep[_matches(keep, ("sector", "sector_name"), sector, "sector")]
        ids = set(keep["student_id"])
        tables = {name: _rows_of(getattr(self, name), ids) for name in ("grades", "cells", "work", "status", "ratings", "interviews", "reflections", "shown")}
        modules = self.modules
        if module:
            module = _pick_module(module, self.modules)
            modules = (module,)
            for name in ("grades", "cells", "status", "reflections", "shown"):
                tables[name] = tables[name][tables[name]["module"] == module].reset_index(drop=True)
        return replace(self, students=keep.reset_index(drop=True), modules=modules, **tables)

    def choices(self) -> dict[str, list[str]]:
        """The values the dashboard's dropdowns offer: modules, discipline names, sector names."""
        return {
            "module": list(self.modules),
            "discipline": sorted({d for d in self.students["discipline_name"].dropna() if d}),
            "sector": sorted({s for s in self.students["sector_name"].dropna() if s}),
        }


def _matches(df: pd.DataFrame, columns: tuple[str, ...], value: str, what: str) -> pd.Series:
    want = value.strip().lower()
    hit = pd.Series(False, index=df.index)
    for c in columns:
        hit |= df[c].fillna("").astype(str).str.lower() == want
    return hit


def _rows_of(df: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    return df[df["student_id"].isin(ids)].reset_index(drop=True)


def _pick_module(which: str, modules: Iterable[str]) -> str:
    modules = tuple(modules)
    for m in modules:
        if which in (m, m.split("-", 1)[0]):
            return m
    raise UsageError(f"no module '{which}'{did_you_mean(which, modules)}; the modules are {', '.join(modules)}")


# --- loading --------------------------------------------------------------------------


def load_cohort(course: Course | str | os.PathLike[str], *, anonymise: bool = False, with_text: bool = False) -> Cohort:
    """Every table of the dashboard for one course; ``anonymise`` swaps names and ids for stable pseudonyms."""
    course = course if isinstance(course, Course) else Course.open(course)
    catalog = load_catalog()
    gradebook = _read_gradebook(course)
    students = _students(course, catalog, gradebook["people"])
    ids = list(students["student_id"])
    modules = tuple(m for m in MODULES if m in gradebook["max_scores"] or course.path("release", m).is_dir())
    modules += tuple(sorted(m for m in gradebook["max_scores"] if m not in modules))
    answers, status = _answers(course, ids, modules)
    grades = _grades(ids, modules, gradebook)
    cells = _frame(gradebook["cells"], ["student_id", "module", "cell", "score", "max_score"])
    careers_sector = {c.id: c.sector for c in catalog}
    cohort = Cohort(
        root=course.root,
        modules=modules,
        students=students,
        grades=grades,
        cells=cells,
        work=_work(ids, cells, gradebook["cell_max"]),
        status=status,
        ratings=_ratings(answers),
        interviews=_interviews(answers, careers_sector),
        reflections=(refl := _reflections(answers, with_text))[0],
        shown=refl[1],
    )
    return anonymised(cohort) if anonymise else cohort


def _frame(rows: list[dict[str, Any]] | list[list[Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _read_gradebook(course: Course) -> dict[str, Any]:
    """Module maxima, submissions, cell grades and students, in a handful of queries (fast for big cohorts)."""
    import warnings

    from nbgrader.api import Assignment, BaseCell, Grade, GradeCell, Notebook, Student, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import select

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's harmless SAWarnings from nbgrader's models (STACK-NOTES)
        with course.gradebook() as gb:
            db = gb.db
            max_scores = {name: float(score or 0.0) for name, score in db.execute(select(Assignment.name, Assignment.max_score)).all()}
            submitted = {(sid, name) for sid, name in db.execute(
                select(SubmittedAssignment.student_id, Assignment.name).join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)).all()}  # fmt: skip
            cell_max = {(a, c): float(m or 0.0) for a, c, m in db.execute(
                select(Assignment.name, GradeCell.name, GradeCell.max_score)
                .join(Notebook, GradeCell.notebook_id == Notebook.id)
                .join(Assignment, Notebook.assignment_id == Assignment.id)).all()}  # fmt: skip
            rows = db.execute(
                select(SubmittedAssignment.student_id, Assignment.name, BaseCell.name, Grade.score)
                .select_from(Grade).join(BaseCell, Grade.cell_id == BaseCell.id)
                .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            ).all()  # fmt: skip
            people = {sid: " ".join(p for p in (first, last) if p) for sid, first, last in db.execute(select(Student.id, Student.first_name, Student.last_name)).all()}
    cells = [{"student_id": sid, "module": a, "cell": c, "score": float(s or 0.0), "max_score": cell_max.get((a, c), float("nan"))} for sid, a, c, s in rows]
    return {"max_scores": max_scores, "submitted": submitted, "cells": cells, "cell_max": cell_max, "people": people}


def _students(course: Course, catalog: Catalog, people: Mapping[str, str]) -> pd.DataFrame:
    rows: dict[str, dict[str, Any]] = {}
    try:
        for a in course.assignments():
            rows[a.student_id] = {"student_id": a.student_id, "name": a.name, "discipline": a.discipline or None, "career_id": a.career_id}
    except CareerkitError:
        pass  # a course without assignments.csv still has a roster and a gradebook
    try:
        for s in course.roster():
            row = rows.setdefault(s.student_id, {"student_id": s.student_id, "career_id": None})
            row.update(name=s.name or row.get("name") or "", discipline=s.discipline or row.get("discipline"))
    except CareerkitError:
        pass
    for sid, name in people.items():
        rows.setdefault(sid, {"student_id": sid, "name": name, "discipline": None, "career_id": None})
    sectors = {s.id: s.name for s in catalog.sectors}
    out = []
    for sid in sorted(rows):
        r = rows[sid]
        career = catalog.career(r["career_id"]) if r.get("career_id") in catalog else None
        disc = catalog.resolve_discipline(r["discipline"]) if r.get("discipline") else None
        out.append({
            "student_id": sid, "name": r.get("name") or "", "discipline": disc,
            "discipline_name": catalog.discipline_name(disc) if disc else None,
            "career_id": career.id if career else r.get("career_id"), "career_title": career.title if career else None,
            "sector": career.sector if career else None, "sector_name": sectors.get(career.sector) if career else None,
        })  # fmt: skip
    return _frame(out, ["student_id", "name", "discipline", "discipline_name", "career_id", "career_title", "sector", "sector_name"])


def _grades(ids: list[str], modules: tuple[str, ...], gradebook: Mapping[str, Any]) -> pd.DataFrame:
    totals: dict[tuple[str, str], float] = {}
    for c in gradebook["cells"]:
        key = (c["student_id"], c["module"])
        totals[key] = totals.get(key, 0.0) + c["score"]
    rows = []
    for sid in ids:
        for m in modules:
            got = (sid, m) in gradebook["submitted"]
            score = totals.get((sid, m), 0.0) if got else float("nan")
            top = gradebook["max_scores"].get(m, float("nan"))
            rows.append({"student_id": sid, "module": m, "score": score, "max_score": top, "percent": 100.0 * score / top if top else float("nan")})
    return _frame(rows, ["student_id", "module", "score", "max_score", "percent"])


def _work(ids: list[str], cells: pd.DataFrame, cell_max: Mapping[tuple[str, str], float]) -> pd.DataFrame:
    """Storyboard (module 4) and canvas (module 5) points from their gradebook cells."""
    work = pd.DataFrame({"student_id": ids})
    for label, module, names in (("storyboard", "m4-storyboard", STORYBOARD_CELLS), ("canvas", "m5-canvas", CANVAS_CELLS)):
        part = cells[(cells["module"] == module) & cells["cell"].isin(names)] if len(cells) else cells
        sums = part.groupby("student_id")["score"].sum() if len(part) else pd.Series(dtype=float)
        work[label] = work["student_id"].map(sums).astype(float)
        top = sum(cell_max.get((module, n), 0.0) for n in names)
        work[f"{label}_max"] = top if top else float("nan")
    return work


def _read_answers(path: Path) -> tuple[str, dict[str, Any] | None]:
    if not path.is_file():
        return ANSWERS_MISSING, None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return ANSWERS_INVALID, None
    return (ANSWERS_OK, data) if isinstance(data, dict) else (ANSWERS_INVALID, None)


def _answers(course: Course, ids: list[str], modules: tuple[str, ...]) -> tuple[dict[tuple[str, str], dict[str, Any]], pd.DataFrame]:
    report = _autograde_report(course)
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    rows = []
    for sid in ids:
        for m in modules:
            folder = course.path("submitted", sid, m)
            submitted = folder.is_dir()
            state = NOT_SUBMITTED
            for step in GRADING_STEPS:
                found, data = _read_answers(course.path(step, sid, m, ANSWERS_FILE))
                if data is not None:
                    state = found
                    answers[(sid, m)] = data
                    break
                if found == ANSWERS_INVALID or (found == ANSWERS_MISSING and submitted and state == NOT_SUBMITTED):
                    state = found
            invalid_nb = submitted and any(folder.glob("*.ipynb.invalid"))
            status, reasons = report.get((sid, m), (None, None))
            rows.append({"student_id": sid, "module": m, "submitted": submitted, "answers": state,
                         "notebook_invalid": invalid_nb, "autograde": status, "reasons": reasons})  # fmt: skip
    return answers, _frame(rows, ["student_id", "module", "submitted", "answers", "notebook_invalid", "autograde", "reasons"])


def _autograde_report(course: Course) -> dict[tuple[str, str], tuple[str, str]]:
    path = course.root / REPORT_FILE
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return {(r.get("student_id", ""), r.get("module", "")): (r.get("status") or None, r.get("reasons") or "") for r in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}


def _ratings(answers: Mapping[tuple[str, str], dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for (sid, module), data in answers.items():
        profile = data.get("profile") if module == "m1-skills" else None
        comps = profile.get("competencies") if isinstance(profile, dict) else None
        if not isinstance(comps, dict):
            continue
        for cid in COMPETENCY_IDS:
            entry = comps.get(cid)
            rating = entry.get("rating") if isinstance(entry, dict) else None
            ok = isinstance(rating, int | float) and not isinstance(rating, bool) and 0 <= rating <= 3
            evidence = entry.get("evidence") if isinstance(entry, dict) else None
            rows.append({"student_id": sid, "competency": cid, "rating": float(rating) if ok else float("nan"),
                         "has_evidence": isinstance(evidence, str) and len(evidence.split()) >= 3})  # fmt: skip
    return _frame(sorted(rows, key=lambda r: (r["student_id"], COMPETENCY_IDS.index(r["competency"]))), ["student_id", "competency", "rating", "has_evidence"])


def _interview_entries(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = data.get("interviews")
    return [e for e in entries if isinstance(e, Mapping)] if isinstance(entries, list) else []


def _interviews(answers: Mapping[tuple[str, str], dict[str, Any]], careers_sector: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    for (sid, module), data in sorted(answers.items()):
        if module != "m3-interviews":
            continue
        for n, raw in enumerate(_interview_entries(data), start=1):
            entry = {k: raw.get(k) for k in INTERVIEW_FIELDS}  # the allow-list: nothing personal is ever read
            outcomes = entry["outcomes"].split(";") if isinstance(entry["outcomes"], str) else entry["outcomes"]
            outcomes = [o.strip().lower() for o in outcomes if isinstance(o, str)] if isinstance(outcomes, list) else []
            minutes = entry["minutes"]
            career = entry["career_id"] if isinstance(entry["career_id"], str) else None
            consent = entry["consent_to_share"]
            row = {
                "student_id": sid, "interview": n, "date": pd.to_datetime(entry["date"], errors="coerce") if isinstance(entry["date"], str) else pd.NaT,
                "career_id": career, "sector": careers_sector.get(career or ""), "format": entry["format"] if isinstance(entry["format"], str) else None,
                "minutes": float(minutes) if isinstance(minutes, int | float) and not isinstance(minutes, bool) else float("nan"),
                "consent": consent is True or (isinstance(consent, str) and consent.strip().lower() in _YES),
                "outcomes": ";".join(o for o in OUTCOMES if o in outcomes),
            }  # fmt: skip
            row.update({o: o in outcomes for o in OUTCOMES})
            rows.append(row)
    cols = ["student_id", "interview", "date", "career_id", "sector", "format", "minutes", "consent", "outcomes", *OUTCOMES]
    df = _frame(rows, cols)
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    return df


def _reflection_texts(module: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(item, text) of every reflection a module's answers hold."""
    if module == "m3-interviews":
        return [(f"interview {n}", e.get("reflection")) for n, e in enumerate(_interview_entries(data), start=1) if isinstance(e.get("reflection"), str)]
    if module in ("m1-skills", "m4-storyboard") and isinstance(data.get("reflection"), str):
        return [("reflection", data["reflection"])]
    return []


def _reflections(answers: Mapping[tuple[str, str], dict[str, Any]], with_text: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    from careerkit.reflection import score

    rows, shown = [], []
    for (sid, module), data in sorted(answers.items()):
        for item, text in _reflection_texts(module, data):
            verdict = score(text)
            row = {"student_id": sid, "module": module, "item": item, "level": verdict.level, "level_name": verdict.level_name,
                   "competencies": ";".join(verdict.competency_ids), "n_competencies": len(verdict.competency_ids),
                   "words": verdict.words, "confidence": verdict.confidence}  # fmt: skip
            if with_text:
                row["text"] = text
            rows.append(row)
            shown += [{"student_id": sid, "module": module, "item": item, "competency": c} for c in verdict.competency_ids]
    cols = ["student_id", "module", "item", "level", "level_name", "competencies", "n_competencies", "words", "confidence"]
    return _frame(rows, cols + (["text"] if with_text else [])), _frame(shown, ["student_id", "module", "item", "competency"])


# --- anonymising ----------------------------------------------------------------------


def pseudonyms(student_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """student_id -> (pseudonymous id, "Student 07"): stable for a cohort, in an order unrelated to ids or names."""
    ids = sorted(set(student_ids), key=lambda s: hashlib.sha256(f"careerkit-dashboard:{s}".encode()).hexdigest())
    width = max(2, len(str(len(ids))))
    return {sid: (f"student-{n:0{width}d}", f"Student {n:0{width}d}") for n, sid in enumerate(ids, start=1)}


def anonymised(cohort: Cohort) -> Cohort:
    """The cohort with every id and name replaced by its pseudonym (tables re-sorted by pseudonym)."""
    names = pseudonyms(cohort.students["student_id"])
    new_id = {sid: p for sid, (p, _) in names.items()}
    students = cohort.students.assign(name=cohort.students["student_id"].map(lambda s: names[s][1]), student_id=cohort.students["student_id"].map(new_id))
    tables = {}
    for name in ("grades", "cells", "work", "status", "ratings", "interviews", "reflections", "shown"):
        df = getattr(cohort, name)
        df = df.assign(student_id=df["student_id"].map(new_id))
        df = df[df["student_id"].notna()]
        tables[name] = df.sort_values("student_id", kind="stable").reset_index(drop=True)
    return replace(cohort, students=students.sort_values("student_id").reset_index(drop=True), anonymised=True, **tables)


# --- nudges ---------------------------------------------------------------------------


def nudges(cohort: Cohort, target: int = 3) -> pd.DataFrame:
    """Students who need a nudge (no or too few interviews, missing work, only level-0 reflections), worst first."""
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise UsageError(f"the interview target is a whole number, 1 or more; got {target!r}")
    counts = cohort.interviews.groupby("student_id").size() if len(cohort.interviews) else pd.Series(dtype=int)
    levels = cohort.reflections.groupby("student_id")["level"].max() if len(cohort.reflections) else pd.Series(dtype=float)
    problems: dict[str, list[str]] = {sid: [] for sid in cohort.students["student_id"]}
    for r in cohort.status.itertuples(index=False):
        if not r.submitted:
            problems[r.student_id].append(f"nothing submitted for {r.module}")
        elif r.notebook_invalid:
            problems[r.student_id].append(f"{r.module} notebook could not be read (scored 0)")
        elif r.answers == ANSWERS_INVALID:
            problems[r.student_id].append(f"{r.module} answers are not valid JSON")
        elif r.answers == ANSWERS_MISSING:
            problems[r.student_id].append(f"{r.module} submitted empty")
    rows = []
    for s in cohort.students.itertuples(index=False):
        reasons = []
        n = int(counts.get(s.student_id, 0))
        if n == 0:
            reasons.append("no interview logged")
        elif n < target:
            reasons.append(f"{n} of {target} interviews logged")
        reasons += problems.get(s.student_id, [])
        if s.student_id in levels.index and levels[s.student_id] == 0:
            reasons.append("only level-0 reflections")
        if reasons:
            rows.append({"student_id": s.student_id, "name": s.name, "discipline": s.discipline_name, "interviews": n,
                         "best_reflection_level": levels.get(s.student_id, float("nan")), "n_reasons": len(reasons), "reasons": "; ".join(reasons)})  # fmt: skip
    df = _frame(rows, ["student_id", "name", "discipline", "interviews", "best_reflection_level", "n_reasons", "reasons"])
    return df.sort_values(["n_reasons", "interviews", "student_id"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


SORT_SCRIPT = """<script>(function(){var t=document.currentScript.previousElementSibling;if(!t)return;
t.querySelectorAll('th').forEach(function(th,i){th.style.cursor='pointer';th.title='Click to sort';th.addEventListener('click',function(){
var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent,
p=parseFloat(a),q=parseFloat(c);var r=(!isNaN(p)&&!isNaN(q))?p-q:a.localeCompare(c);return asc?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});});})();</script>"""


def table_html(df: pd.DataFrame, *, caption: str = "", css_class: str = "ck-sortable") -> str:
    """A table whose headers sort it on click; every cell HTML-escaped (student text is never markup)."""
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for v in row:
            shown = "" if v is None or (isinstance(v, float) and v != v) else (f"{v:g}" if isinstance(v, float) else str(v))
            cells.append(f'<td data-v="{e(shown)}">{e(shown)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f'<table class="{e(css_class)}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{SORT_SCRIPT}'


def headline(cohort: Cohort, target: int = 3) -> str:
    """One line for the top of the dashboard."""
    n = len(cohort.students)
    counts = cohort.interviews.groupby("student_id").size() if len(cohort.interviews) else pd.Series(dtype=int)
    at_target = int((counts >= target).sum())
    return (f"{n} students, {len(cohort.interviews)} interviews logged, {at_target} of {n} students at the target of {target}; "
            f"{len(nudges(cohort, target))} need a nudge.")  # fmt: skip
