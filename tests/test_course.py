"""The course lifecycle on the real modules: init, release, autograde (with broken submissions), feedback, export.

One small cohort is graded once per test session (module fixture) and every test reads it
through nbgrader's own API (``nbgrader.api.Gradebook``) or the files nbgrader wrote.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from careerkit import autograde, course, grades, submissions
from careerkit.demo import demo_roster
from careerkit.errors import CourseError, UsageError
from gradebook_kit import MODULE
from gradebook_kit import grade_of as _grade
from gradebook_kit import make_course as _make_course
from gradebook_kit import manual_grade as _manual_grade

pytestmark = pytest.mark.slow

QUALITY = {"s001": "strong", "s002": "average", "s003": "weak", "s004": "empty", "s005": "strong", "s006": "average"}
BROKEN = {("s005", "m1-skills"): "invalid_json", ("s005", "m3-interviews"): "kernel_death", ("s006", "m2-career"): "infinite_loop",
          ("s006", "m4-storyboard"): "deleted_test", ("s006", "m5-canvas"): "edited_test"}  # fmt: skip


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A six-student course, released, submitted (one of each quality, five broken), autograded with 2 jobs, with feedback."""
    base = tmp_path_factory.mktemp("lifecycle")
    roster = demo_roster(len(QUALITY), base / "roster.csv")
    c = course.init(base / "course", roster=roster, seed=7, timeout=5)
    released = course.release(c, "all")
    assignments = c.assignments()
    for student in c.roster():
        for module in course.MODULES:
            submissions.write_submission(
                c.root / "release", c.path("submitted", student.student_id, module), module, student_id=student.student_id,
                discipline=student.discipline, career_id=assignments.get(student.student_id).career_id, quality=QUALITY[student.student_id], seed=7,
            )  # fmt: skip
    for (sid, module), kind in BROKEN.items():
        submissions.break_submission(c.path("submitted", sid, module), module, kind)
    report = autograde.autograde(c, "all", jobs=2, progress=False)
    fb = course.feedback(c, "all")
    return c, released, report, fb


def _outcome(report, sid, module):
    return next(o for o in report.outcomes if o.student_id == sid and o.module == module)


def _totals(c):
    with Gradebook(c.db_url(), c.course_id()) as gb:
        return {s.id: sum(sub.score for sub in s.submissions) for s in gb.students}


def test_init_writes_a_ready_course(graded):
    """init: nbgrader config, roster, assignments, module 2's careers file (ids only), students in the gradebook."""
    c, *_ = graded
    assert (c.root / "nbgrader_config.py").is_file() and (c.root / "roster.csv").is_file()
    careers = list(csv.DictReader(io.StringIO((c.source / "m2-career" / "careers.csv").read_text(encoding="utf-8"))))
    assert [r["student_id"] for r in careers] == sorted(QUALITY)
    assert set(careers[0]) == {"student_id", "career_id"}
    with Gradebook(c.db_url(), c.course_id()) as gb:
        s1 = gb.find_student("s001")
        assert s1.first_name == "Amara" and s1.email == "amara.okafor@example.edu"


def test_init_refuses_a_folder_in_use_and_leaves_nothing_on_a_bad_roster(tmp_path, write_roster):
    """A non-empty folder is never overwritten; a roster error leaves no half-made course."""
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CourseError, match="not empty"):
        course.init(tmp_path / "used")
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "mine"
    bad = write_roster([{"student_id": "s 1", "name": "Bad Id"}])
    with pytest.raises(Exception, match="student_id"):
        course.init(tmp_path / "new", roster=bad)
    assert not (tmp_path / "new").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_database_password_is_split_from_the_url_and_a_bad_url_is_a_usage_error(tmp_path):
    split = course._without_password
    assert split("postgresql://ta@db.example.edu:5432/gradebook") == ("postgresql://ta@db.example.edu:5432/gradebook", None)
    assert split("postgresql://ta:p%40ss:w0rd@db.example.edu/gb") == ("postgresql://ta@db.example.edu/gb", "p@ss:w0rd")
    assert split("sqlite:///gradebook.db") == ("sqlite:///gradebook.db", None)
    with pytest.raises(UsageError, match="not a database URL") as info:
        course.init(tmp_path / "c", db_url="not a url:secret@host")
    assert "secret" not in str(info.value)
    assert not (tmp_path / "c").exists()


def test_release_has_no_solutions_and_ships_the_careers_file(graded):
    """Released notebooks keep no solution or hidden-test text; module 2 carries careers.csv."""
    c, released, *_ = graded
    assert [r.ok for r in released] == [True] * 5
    for module in course.MODULES:
        text = (c.root / "release" / module / f"{module}.ipynb").read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "example_book" not in text
        assert not (c.root / "release" / module / "answers.json").exists()
    assert (c.root / "release" / "m2-career" / "careers.csv").is_file()


def test_every_submission_is_in_the_gradebook_with_quality_ordering(graded):
    """Each student has five graded submissions; strong > average > weak > empty in total points."""
    c, _, report, _ = graded
    assert len(report.outcomes) == len(QUALITY) * 5 and not report.failed
    with Gradebook(c.db_url(), c.course_id()) as gb:
        for sid in QUALITY:
            assert sorted(s.assignment.name for s in gb.find_student(sid).submissions) == sorted(course.MODULES)
    totals = _totals(c)
    assert totals["s001"] > totals["s002"] > totals["s003"] > totals["s004"]
    assert totals["s004"] <= 0.1 * totals["s001"]


def test_reflections_get_partial_credit_from_the_scorer(graded):
    """Reflection cells score fractions of their points (the scorer's level), read by nbgrader from the cell's output."""
    c, *_ = graded
    partial = []
    with Gradebook(c.db_url(), c.course_id()) as gb:
        for sid in ("s001", "s002", "s003"):
            for sub in gb.find_student(sid).submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if "reflection" in grade.name and grade.max_score:
                            partial.append((sid, grade.score / grade.max_score))
    assert partial, "no reflection cells were graded"
    assert any(0 < frac < 1 for _, frac in partial)
    strong = [f for s, f in partial if s == "s001"]
    weak = [f for s, f in partial if s == "s003"]
    assert sum(strong) / len(strong) > sum(weak) / len(weak)


def test_the_tas_see_the_scorers_evidence_in_the_autograded_notebook(graded):
    """The reflection cell's output names the level, the competencies with evidence and the feedback."""
    c, *_ = graded
    nb = nbformat.read(c.path("autograded", "s001", "m1-skills", "m1-skills.ipynb"), as_version=4)
    html = "".join(
        o.get("data", {}).get("text/html", "") for cell in nb.cells if "reflection" in cell.metadata.get("nbgrader", {}).get("grade_id", "")
        for o in cell.get("outputs", [])
    )  # fmt: skip
    assert "Level" in html or "level" in html
    assert "Competencies shown" in html and "Feedback" in html and "override in formgrader" in html


def test_broken_submissions_are_graded_with_their_reasons(graded):
    """Invalid JSON, a looping cell, a dying kernel, a deleted and an edited test cell: recorded, graded, batch done."""
    c, _, report, _ = graded
    bad_json = _outcome(report, "s005", "m1-skills")
    assert bad_json.status == autograde.WITH_PROBLEMS and bad_json.score == 0 and "not a valid notebook" in bad_json.reasons[0]
    assert c.path("submitted", "s005", "m1-skills", "m1-skills.ipynb.invalid").is_file()
    dead = _outcome(report, "s005", "m3-interviews")
    assert any("stopped the kernel" in r for r in dead.reasons) and dead.score > 0
    loop = _outcome(report, "s006", "m2-career")
    assert any("time limit" in r for r in loop.reasons) and loop.score > 0
    deleted = _outcome(report, "s006", "m4-storyboard")
    assert any("deleted" in r for r in deleted.reasons)
    edited = _outcome(report, "s006", "m5-canvas")
    assert any("edited" in r for r in edited.reasons)
    assert edited.score < edited.max_score  # the cheat ("full points") was not run
    rows = list(csv.DictReader(io.StringIO((c.root / autograde.REPORT_FILE).read_text(encoding="utf-8"))))
    assert len(rows) == 30 and {r["status"] for r in rows} == {autograde.GRADED, autograde.WITH_PROBLEMS}


def test_feedback_pages_for_every_autograded_notebook(graded):
    """generate_feedback wrote one HTML page per autograded notebook."""
    c, _, _, fb = graded
    assert all(r.ok for r in fb)
    pages = sorted(c.path("feedback").glob("*/*/*.html"))
    assert len(pages) == 29  # 30 submissions, one of them an unreadable notebook
    assert "Feedback" in pages[0].read_text(encoding="utf-8") or "feedback" in pages[0].read_text(encoding="utf-8").lower()


def test_export_csv_and_canvas(graded, tmp_path):
    """CSV: one row per student, a column per module; Canvas: identity columns, Points Possible, SIS Login ID = email."""
    c, *_ = graded
    rows = list(csv.DictReader(io.StringIO(grades.export(c, "csv").read_text(encoding="utf-8"))))
    assert [r["student_id"] for r in rows] == sorted(QUALITY)
    assert set(course.MODULES) <= set(rows[0]) and float(rows[0]["total"]) == pytest.approx(_totals(c)["s001"], abs=0.01)
    canvas = list(csv.reader(io.StringIO(grades.export(c, "canvas", tmp_path / "canvas.csv").read_text(encoding="utf-8"))))
    assert canvas[0][:5] == grades.CANVAS_ID_COLUMNS and canvas[0][5] == course.MODULE_TITLES["m1-skills"]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) > 0
    assert canvas[2][0] == "Okafor, Amara" and canvas[2][3] == "amara.okafor@example.edu" and canvas[2][2] == "1000001"


def test_canvas_export_needs_an_email_or_sis_id(tmp_path, write_roster):
    """A student Canvas cannot match is a clear error, not a silent bad row."""
    roster = write_roster([{"student_id": "x1", "name": "No Contact"}])
    c = course.init(tmp_path / "c", roster=roster)
    with c.gradebook() as gb:
        gb.update_or_create_assignment("m1-skills")
    with pytest.raises(CourseError, match="Canvas cannot match"):
        grades.export(c, "canvas")


def test_nbgraders_own_commands_work_on_the_course(graded):
    """`nbgrader db student list` run in the course folder reads the same gradebook."""
    c, *_ = graded
    exe = Path(sys.executable).with_name("nbgrader")
    proc = subprocess.run([str(exe), "db", "student", "list"], cwd=c.root, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "s001" in proc.stdout and "Okafor" in proc.stdout


def test_a_submission_nbgrader_cannot_grade_fails_alone(graded, cli):
    """Corrupt nbgrader metadata: that submission is 'failed', the rest graded, and the CLI exits 1."""
    c, *_ = graded
    nb_path = c.path("submitted", "s003", "m5-canvas", "m5-canvas.ipynb")
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta and meta.get("grade"):
            meta["points"] = "lots"
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    r = cli("course", "autograde", "m5", "--course", c.root, "--jobs", "2", "--quiet")
    assert r.code == 1
    assert "s003 m5-canvas [failed]" in r.out and "graded" in r.out
    rows = [r for r in csv.DictReader(io.StringIO((c.root / autograde.REPORT_FILE).read_text(encoding="utf-8"))) if r["module"] == "m5-canvas"]
    assert [r["status"] for r in rows].count(autograde.FAILED) == 1 and len(rows) == len(QUALITY)
    assert len(list(csv.DictReader(io.StringIO((c.root / autograde.REPORT_FILE).read_text(encoding="utf-8"))))) == 30  # other modules' rows kept


def test_module_names_and_bad_options():
    """Modules by id, short id or number; unknown ones and --jobs 0 are clear errors."""
    assert course.select_modules("m3") == ("m3-interviews",)
    assert course.select_modules("4") == ("m4-storyboard",)
    assert course.select_modules("canvas") == ("m5-canvas",)
    with pytest.raises(UsageError, match="no module 'm9'"):
        course.select_modules("m9")


def test_course_commands_need_a_course(cli, tmp_path):
    """Pointing a course command at a plain folder is one line with the fix."""
    r = cli("course", "release", "all", "--course", tmp_path)
    assert r.code == 1 and "is not a course directory" in r.err and "careerkit course init" in r.err


def test_manual_grades_survive_reautograde_on_sqlite(tmp_path):
    """The same rule on the embedded SQLite gradebook: re-running autograde keeps the TA's score and comment."""
    c = _make_course(tmp_path, None)
    assert not autograde.autograde(c, MODULE, jobs=2, progress=False).failed
    name = _manual_grade(c, "s001", 0.5, "Please expand.")
    assert not autograde.autograde(c, MODULE, jobs=2, progress=False).failed
    manual, score, comment = _grade(c, "s001", name)
    assert (manual, score, comment) == (0.5, 0.5, "Please expand.")
