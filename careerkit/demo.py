"""The demo: a complete course on the embedded defaults, in a fresh folder.

One call creates a course for the demo roster (careers assigned at random), releases the
five modules, writes a submission per student and module at a spread of quality (strong,
average, weak, empty, plus a few broken on purpose), autogrades them in parallel with
nbgrader, generates feedback and exports the grades. :func:`run_demo` returns a
:class:`DemoReport` (what was done, how long each step took, where the results are);
the CLI prints it.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from careerkit.catalog import Catalog, load_catalog
from careerkit.errors import CourseError, UsageError
from careerkit.files import atomic_write_text, csv_text, data_path
from careerkit.roster import KNOWN_COLUMNS, load_roster

DEMO_SEED = 2026
DEMO_OUT = "demo-course"
DEMO_JOBS = 2
DEMO_TIMEOUT = 10  # seconds per cell: the demo's looping submission is stopped after this
DEMO_GUIDE_STUDENT = "s002"  # the example profile (data/examples/profile.json) is this chemistry student's
MARKER = ".careerkit-demo"  # a folder holding this file was made by the demo and may be replaced by it
#: (kind, module) of the submissions the demo breaks on purpose, one student each.
BROKEN = (
    ("invalid_json", "m1-skills"),
    ("infinite_loop", "m2-career"),
    ("kernel_death", "m3-interviews"),
    ("deleted_test", "m4-storyboard"),
    ("edited_test", "m5-canvas"),
)


@dataclass(slots=True)
class DemoReport:
    out: Path
    students: int = 0
    steps: list[tuple[str, float]] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    qualities: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)
    autograde_summary: str = ""
    grade_table: str = ""
    failed: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"careerkit demo: a complete course for {self.students} students in {self.out}", ""]
        for i, (what, secs) in enumerate(self.steps, 1):
            lines.append(f"[{i}/{len(self.steps)}] {what} ({secs:.1f} s)")
        lines.append("")
        quality = ", ".join(f"{k} {v}" for k, v in sorted(self.qualities.items()))
        lines.append(f"Submission quality (students): {quality}")
        if self.broken:
            lines.append("Broken on purpose: " + "; ".join(self.broken))
        lines += ["", "Autograde:", self.autograde_summary, "", "Grades (points per module):", self.grade_table, ""]
        lines.append("Results:")
        lines += [f"  {label}: {path}" for label, path in self.files.items()]
        lines.append("")
        lines.append(f"Done in {self.seconds:.0f} s. Open the gradebook with: cd {self.out} && nbgrader formgrader")
        return "\n".join(lines)


def demo_roster(students: int, dest: Path) -> Path:
    """The shipped demo roster, cut to ``students`` or extended with made-up students of the same disciplines."""
    from careerkit.files import read_csv

    header, rows = read_csv(data_path("demo_roster.csv"))
    base = [dict(r.values) for r in rows]
    if students < 1:
        raise UsageError(f"--students must be at least 1, not {students}")
    out = base[:students]
    for n in range(len(base) + 1, students + 1):
        like = base[(n - 1) % len(base)]
        out.append({"student_id": f"s{n:03d}", "name": f"Demo Student {n}", "email": f"student{n}@example.edu", "discipline": like.get("discipline", ""), "avoid": "", "sis_id": str(1000000 + n)})
    cols = [c for c in KNOWN_COLUMNS if c in header]
    return atomic_write_text(dest, csv_text(cols, [[r.get(c, "") for c in cols] for r in out]))


def _fresh(out_dir: Path) -> None:
    """Make room for the demo: an earlier demo folder is replaced, anything else is left alone."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MARKER).is_file():
            raise CourseError(f"{out_dir} exists and was not made by careerkit demo; choose another --out")
        shutil.rmtree(out_dir)


def run_demo(out: str | os.PathLike[str] = DEMO_OUT, *, seed: int = DEMO_SEED, students: int = 24, jobs: int = DEMO_JOBS, progress: bool = True) -> DemoReport:
    """Run the whole course on the demo roster; see the module docstring."""
    from careerkit import autograde, course, grades, submissions, symposium
    from careerkit import report as dashboard_report

    start = time.perf_counter()
    out_dir = Path(out)
    report = DemoReport(out=out_dir.resolve())
    _fresh(out_dir)

    def step(what: str, t0: float) -> None:
        report.steps.append((what, time.perf_counter() - t0))

    t0 = time.perf_counter()
    staging = out_dir.parent / f".{out_dir.name}-roster.csv"
    try:
        c = course.init(out_dir, roster=demo_roster(students, staging), seed=seed, timeout=DEMO_TIMEOUT)
    finally:
        staging.unlink(missing_ok=True)
    atomic_write_text(c.root / MARKER, "made by careerkit demo; careerkit demo replaces this folder\n")
    assignments = c.assignments()
    report.students = len(assignments)
    step(f"course created, careers assigned at random (seed {seed}) to {len(assignments)} students: {c.root / course.ASSIGNMENTS_FILE}", t0)

    t0 = time.perf_counter()
    released = course.release(c, "all")
    bad = [r for r in released if not r.ok]
    if bad:
        raise CourseError(f"release of {bad[0].module} failed: {bad[0].message}")
    step(f"released {len(released)} modules to {c.root / 'release'}", t0)

    t0 = time.perf_counter()
    roster = c.roster()
    plan = submissions.plan_cohort(list(roster), seed=seed)
    report.qualities = Counter(plan.values())
    for student in roster:
        career = assignments.get(student.student_id)
        for module in course.MODULES:
            submissions.write_submission(
                c.root / "release", c.path("submitted", student.student_id, module), module,
                student_id=student.student_id, discipline=student.discipline, career_id=career.career_id,
                quality=plan[student.student_id], seed=seed,
            )
    rng = random.Random(seed)
    victims = rng.sample([s.student_id for s in roster], k=min(len(BROKEN), len(roster)))
    for sid, (kind, module) in zip(victims, BROKEN, strict=False):
        what = submissions.break_submission(c.path("submitted", sid, module), module, kind)
        report.broken.append(f"{sid} {module}: {what}")
    step(f"wrote {len(roster) * len(course.MODULES)} submissions to {c.root / 'submitted'}", t0)

    t0 = time.perf_counter()
    graded = autograde.autograde(c, "all", jobs=jobs, progress=progress)
    report.autograde_summary = graded.summary()
    report.failed = len(graded.failed)
    step(f"autograded {len(graded.outcomes)} notebooks with {jobs} job(s): {graded.per_minute:.0f} notebooks per minute", t0)

    t0 = time.perf_counter()
    fb = course.feedback(c, "all")
    pages = len(list(c.path("feedback").glob("*/*/*.html")))
    step(f"feedback: {pages} pages in {c.path('feedback')} ({sum(not r.ok for r in fb)} module(s) failed)", t0)

    t0 = time.perf_counter()
    report.files["grades (CSV)"] = grades.export(c, "csv")
    report.files["grades for Canvas import"] = grades.export(c, "canvas")
    report.grade_table = grades.grade_table(c).table()
    step("grades exported", t0)

    t0 = time.perf_counter()
    report.files["cohort dashboard (HTML, opens offline)"] = dashboard_report.build_dashboard(c.root)
    report.files["symposium booklet (HTML)"] = symposium.build_booklet(c.root)
    step("cohort dashboard and symposium booklet", t0)

    t0 = time.perf_counter()
    catalog = load_catalog()
    report.files.update(_sample_guide(c.root / "examples", assignments, catalog))
    report.files.update(_sample_business(c.root / "examples"))
    step("example interview guide, storyboard and canvas pages", t0)

    report.files["course (nbgrader)"] = c.root
    report.files["career assignments"] = c.root / course.ASSIGNMENTS_FILE
    report.files["autograde report"] = c.root / autograde.REPORT_FILE
    report.seconds = time.perf_counter() - start
    return report


def _sample_guide(out_dir: Path, result: object, catalog: Catalog) -> dict[str, Path]:
    """An interview guide (HTML, prints on paper) for the demo student whose profile ships as an example."""
    from careerkit.profile import load_profile
    from careerkit.questions import build_guide

    profile = load_profile(data_path("examples/profile.json"), catalog=catalog)
    assignment = result.get(DEMO_GUIDE_STUDENT)  # type: ignore[attr-defined]
    if assignment is None:
        return {}
    guide = build_guide(profile, catalog.career(assignment.career_id), minutes=25, seed=DEMO_SEED, catalog=catalog)
    path = atomic_write_text(out_dir / f"{DEMO_GUIDE_STUDENT}-interview-guide.html", guide.to_html())
    return {f"interview guide for {DEMO_GUIDE_STUDENT} ({assignment.career_title})": path}


def _sample_business(out_dir: Path) -> dict[str, Path]:
    """Render the example storyboard and business model canvas (a biotech consulting idea)."""
    from careerkit import canvas, storyboard

    board = atomic_write_text(out_dir / "storyboard.html", storyboard.render_file(data_path("examples/storyboard.json")))
    layout = atomic_write_text(out_dir / "canvas.html", canvas.render_file(data_path("examples/canvas.json")))
    result = canvas.score_file(data_path("examples/canvas.json"))
    return {"example storyboard (HTML)": board, f"example canvas (HTML, scored {result.total:g}/{result.max:g})": layout}
