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

import pg
from gradebook_kit import MODULE, grade_of as _grade, make_course as _make_course, manual_grade as _manual_grade
from careerkit import autograde, course, grades
from careerkit.dashboard import load_cohort
from careerkit.demo import demo_roster

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def pg_server():
    server = pg.start()
    yield server
    server.stop()


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
    # The password stays out of nbgrader_config.py (shared, copied) in a file only its owner reads.
    assert pg_server.password not in (c.root / "nbgrader_config.py").read_text(encoding="utf-8")
    secret = c.root / course.PASSWORD_FILE
    assert secret.read_text(encoding="utf-8").strip() == pg_server.password
    assert secret.stat().st_mode & 0o777 == 0o600
    assert c.db_url() == url
    exe = Path(sys.executable).with_name("nbgrader")
    proc = subprocess.run([str(exe), "db", "student", "list"], cwd=c.root, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "s001" in proc.stdout and "s003" in proc.stdout
