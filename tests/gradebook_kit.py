"""Shared by the gradebook tests on SQLite (test_course) and PostgreSQL (test_postgres): a small graded course and a TA's manual grade."""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook

from careerkit import course, submissions
from careerkit.demo import demo_roster

QUALITY = {"s001": "strong", "s002": "average", "s003": "weak", "s004": "empty"}
MODULE = "m1-skills"


def make_course(root: Path, db_url: str | None) -> course.Course:
    c = course.init(root / "course", roster=demo_roster(len(QUALITY), root / "roster.csv"), seed=3, db_url=db_url, timeout=5)
    assert all(r.ok for r in course.release(c, MODULE))
    assignments = c.assignments()
    for s in c.roster():
        submissions.write_submission(
            c.root / "release", c.path("submitted", s.student_id, MODULE), MODULE, student_id=s.student_id, discipline=s.discipline,
            career_id=assignments.get(s.student_id).career_id, quality=QUALITY[s.student_id], seed=3,
        )  # fmt: skip
    return c


def manual_grade(c: course.Course, sid: str, score: float, comment: str) -> str:
    """What a TA does in formgrader: a manual score on the reflection cell, a comment on the notebook's first answer cell."""
    with Gradebook(c.db_url(), c.course_id()) as gb:
        sub = gb.find_submission(MODULE, sid)
        grade = next(g for nb in sub.notebooks for g in nb.grades if "reflection" in g.name)
        grade.manual_score = score
        comment_row = next(cm for nb in sub.notebooks for cm in nb.comments)
        comment_row.manual_comment = comment
        gb.db.commit()
        return grade.name


def grade_of(c: course.Course, sid: str, name: str) -> tuple[float | None, float, str | None]:
    with Gradebook(c.db_url(), c.course_id()) as gb:
        sub = gb.find_submission(MODULE, sid)
        g = next(g for nb in sub.notebooks for g in nb.grades if g.name == name)
        cm = next(cm for nb in sub.notebooks for cm in nb.comments)
        return g.manual_score, g.score, cm.manual_comment
