"""How fast is the cohort dashboard on a big course? Prints table time, report time and HTML size.

Builds a synthetic course (default 2,000 students, five modules) without running autograde:
``careerkit.course.init`` for the roster, careers and gradebook students; the modules, their
graded cells and every submission's cell grades written straight into nbgrader's gradebook
tables in bulk (nbgrader's per-submission API would take minutes); ``answers.json`` from
``careerkit.submissions.answers_for`` at a spread of qualities; an ``autograde-report.csv``.
Goals: tables < 10 s, whole report < 60 s, HTML < 20 MB.

    python benchmarks/dashboard.py [--students 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from careerkit.course import MODULES, Course, init
from careerkit.submissions import QUALITIES, answers_for

SEED = 2026
DISCIPLINES = ("Biology", "Chemistry", "Physics", "History", "Computer Science", "Mechanical Engineering", "Psychology", "")
#: A spread of qualities: mostly average, some strong and weak, a few empty.
QUALITY_WEIGHTS = {"strong": 25, "average": 50, "weak": 20, "empty": 5}


def _source_cells(course: Course, module: str) -> list[tuple[str, float]]:
    nb = json.loads((course.source / module / f"{module}.ipynb").read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            cells.append((meta["grade_id"], float(meta.get("points", 0))))
    return cells


def make_course(root: Path, students: int, *, seed: int = SEED, absent: frozenset[str] = frozenset()) -> Course:
    """A course with grades, answers and an autograde report for ``students`` students (no autograde run).

    Students in ``absent`` are on the roster with nothing submitted at all.
    """
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import insert

    rng = random.Random(seed)
    roster = root.parent / f"{root.name}-roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", "name", "email", "discipline"])
        for i in range(1, students + 1):
            w.writerow([f"s{i:05d}", f"Student Name{i}", f"s{i}@example.edu", DISCIPLINES[i % len(DISCIPLINES)]])
    course = init(root, roster=roster, seed=seed)
    assignments = {a.student_id: a for a in course.assignments()}
    qualities = {sid: rng.choices(list(QUALITY_WEIGHTS), weights=list(QUALITY_WEIGHTS.values()))[0] for sid in assignments}
    share = {"strong": 0.95, "average": 0.7, "weak": 0.35, "empty": 0.0}
    report = []
    with course.gradebook() as gb:
        notebook_ids, cell_ids = {}, {}
        for module in MODULES:
            gb.add_assignment(module)
            nb = gb.add_notebook(module, module)
            notebook_ids[module] = nb.id
            for name, points in _source_cells(course, module):
                cell = gb.add_grade_cell(name, module, module, max_score=points, cell_type="code")
                cell_ids[(module, name)] = (cell.id, points)
        assignment_ids = {a.name: a.id for a in gb.assignments}
        subs, nbs, grades = [], [], []
        for sid in assignments:
            if sid in absent:
                continue
            q = qualities[sid]
            for module in MODULES:
                sub_id, nb_id = uuid.uuid4().hex, uuid.uuid4().hex
                subs.append({"id": sub_id, "assignment_id": assignment_ids[module], "student_id": sid})
                nbs.append({"id": nb_id, "assignment_id": sub_id, "notebook_id": notebook_ids[module], "flagged": False})
                total = 0.0
                for (m, _name), (cell_id, points) in cell_ids.items():
                    if m == module:
                        got = round(points * min(1.0, max(0.0, rng.gauss(share[q], 0.1))), 2)
                        total += got
                        grades.append({"id": uuid.uuid4().hex, "notebook_id": nb_id, "cell_id": cell_id, "auto_score": got, "needs_manual_grade": False})
                report.append([module, sid, "graded", f"{total:g}", "", "1.00", ""])
        gb.db.execute(insert(SubmittedAssignment.__table__), subs)
        gb.db.execute(insert(SubmittedNotebook.__table__), nbs)
        gb.db.execute(insert(Grade.__table__), grades)
        gb.db.commit()
    for sid, a in assignments.items():
        for module in MODULES if sid not in absent else ():
            folder = course.path("autograded", sid, module)
            folder.mkdir(parents=True, exist_ok=True)
            course.path("submitted", sid, module).mkdir(parents=True, exist_ok=True)
            answers = answers_for(module, student_id=sid, discipline=a.discipline or None, career_id=a.career_id, quality=qualities[sid], seed=seed)
            if answers:
                (folder / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    with (course.root / "autograde-report.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["module", "student_id", "status", "score", "max_score", "seconds", "reasons"])
        w.writerows(report)
    roster.unlink()
    return course


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=2000)
    ap.add_argument("--keep", help="build the course in this (new) folder and keep it")
    args = ap.parse_args(argv)
    assert set(QUALITY_WEIGHTS) == set(QUALITIES)
    tmp = Path(tempfile.mkdtemp(prefix="careerkit-bench-dashboard-"))
    root = Path(args.keep) if args.keep else tmp / "course"
    try:
        t = time.perf_counter()
        course = make_course(root, args.students)
        print(f"synthetic course: {args.students} students x {len(MODULES)} modules in {time.perf_counter() - t:.1f} s ({root})")

        from careerkit.dashboard import load_cohort, nudges

        t = time.perf_counter()
        cohort = load_cohort(course)
        nudges(cohort)
        tables = time.perf_counter() - t
        print(f"tables (load_cohort + nudges): {tables:.2f} s  [{cohort}]  goal < 10 s")

        from careerkit.report import build_dashboard

        t = time.perf_counter()
        page = build_dashboard(course.root, tmp / "dashboard.html")
        report = time.perf_counter() - t
        size = page.stat().st_size / 1e6
        print(f"report (build_dashboard): {report:.1f} s  goal < 60 s")
        print(f"HTML size: {size:.1f} MB  goal < 20 MB")
        ok = tables < 10 and report < 60 and size < 20
        print("all goals met" if ok else "GOAL MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
