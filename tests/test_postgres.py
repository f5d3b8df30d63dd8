"""The course against a real PostgreSQL gradebook (a throw-away server started by the tests).

Also the "nothing lost" rules on both databases: a TA's manual grade and comment survive
re-running autograde, including a manual grade written while autograde runs.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

import pg
from careerkit import autograde, course, grades, submissions
from careerkit.dashboard import load_cohort
from careerkit.demo import demo_roster

pytestmark = pytest.mark.slow

QUALITY = {"s001": "strong", "s002": "average", "s003": "weak", "s004": "empty"}
MODULE = "m1-skills"


@pytest.fixture(scope="module")
def pg_server():
    server = pg.start()
    yield server
    server.stop()


def _make_course(root: Path, db_url: str | None) -> course.Course:
    c = course.init(root / "course", roster=demo_roster(len(QUALITY), root / "roster.csv"), seed=3, db_url=db_url, timeout=5)
    assert all(r.ok for r in course.release(c, MODULE))
    assignments = c.assignments()
    for s in c.roster():
        submissions.write_submission(
            c.root / "release", c.path("submitted", s.student_id, MODULE), MODULE, student_id=s.student_id, discipline=s.discipline,
            career_id=assignments.get(s.student_id).career_id, quality=QUALITY[s.student_id], seed=3,
        )  # fmt: skip
    return c


def _manual_grade(c: course.Course, sid: str, score: float, comment: str) -> str:
    """What a TA does in formgrader: a manual score on the reflection cell, a comment on the notebook's first answer cell."""
    with Gradebook(c.db_url(), c.course_id()) as gb:
        sub = gb.find_submission(MODULE, sid)
        grade = next(g for nb in sub.notebooks for g in nb.grades if "reflection" in g.name)
        grade.manual_score = score
        comment_row = next(cm for nb in sub.notebooks for cm in nb.comments)
        comment_row.manual_comment = comment
        gb.db.commit()
        return grade.name


def _grade(c: course.Course, sid: str, name: str) -> tuple[float | None, float, str | None]:
    with Gradebook(c.db_url(), c.course_id()) as gb:
        sub = gb.find_submission(MODULE, sid)
        g = next(g for nb in sub.notebooks for g in nb.grades if g.name == name)
        cm = next(cm for nb in sub.notebooks for cm in nb.comments)
        return g.manual_score, g.score, cm.manual_comment


def test_postgres_course_lifecycle_with_a_manual_grade_during_parallel_autograde(pg_server, tmp_path):
    """init --db postgresql://..., release, autograde with two worker processes while a TA grades; nothing lost."""
    url = pg_server.create_db("lifecycle")
    c = _make_course(tmp_path, url)
    assert c.db_url() == url and not (c.root / "gradebook.db").exists()
    first = autograde.autograde(c, MODULE, jobs=2, progress=False)
    assert not first.failed and len(first.outcomes) == 4
    name = _manual_grade(c, "s003", 1.5, "Good start - see my note on evidence.")

    # autograde again in another process (two workers) while the TA writes a second manual grade
    proc = subprocess.Popen([sys.executable, "-m", "careerkit.cli", "course", "autograde", MODULE, "--course", str(c.root), "--jobs", "2", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    ta = threading.Thread(target=lambda: (time.sleep(1.0), _manual_grade(c, "s002", 2.0, "Level 2 is right here.")))
    ta.start()
    out, err = proc.communicate(timeout=300)
    ta.join()
    assert proc.returncode == 0, err[-2000:]
    assert "m1-skills" in out

    assert _grade(c, "s003", name)[0] == 1.5 and _grade(c, "s003", name)[2] == "Good start - see my note on evidence."
    assert _grade(c, "s002", name)[:2] == (2.0, 2.0)
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(grades.export(c, "csv").read_text(encoding="utf-8")))}
    assert float(rows["s001"]["m1-skills"]) > float(rows["s004"]["m1-skills"])
    fb = course.feedback(c, MODULE)
    assert fb[0].ok and len(list(c.path("feedback").glob(f"*/{MODULE}/*.html"))) == 4
    cohort = load_cohort(c)  # the dashboard's tables read the same PostgreSQL gradebook
    m1 = cohort.grades[cohort.grades["module"] == MODULE].set_index("student_id")["score"]
    assert m1["s002"] == pytest.approx(float(rows["s002"]["m1-skills"])) and m1["s001"] > m1["s004"]


def test_postgres_nbgrader_own_command_reads_the_same_gradebook(pg_server, tmp_path):
    """`nbgrader db student list` in the course folder talks to the PostgreSQL gradebook."""
    url = pg_server.create_db("owncmd")
    c = course.init(tmp_path / "c", roster=demo_roster(3, tmp_path / "r.csv"), db_url=url)
    exe = Path(sys.executable).with_name("nbgrader")
    proc = subprocess.run([str(exe), "db", "student", "list"], cwd=c.root, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "s001" in proc.stdout and "s003" in proc.stdout
