"""Grading checks: plain floats in range, never an error, hidden rules only lower, student text escaped."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from careerkit import answers, grading
from careerkit import reflection as reflection_scorer
from careerkit.catalog import load_catalog
from careerkit.answers import AnswerBook

ROOT = Path(__file__).resolve().parent.parent
ALL_CHECKS = [(module, check) for module, checks in grading.TESTS.items() for check in checks]
IDS = [f"{m}:{c.grade_id}" for m, c in ALL_CHECKS]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML the checks display."""
    seen: list[str] = []
    monkeypatch.setattr(grading, "_display", seen.append)
    return seen


@pytest.fixture
def m2_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An m2 folder with the demo careers.csv, as the course releases it; the current folder."""
    folder = tmp_path / "m2-career"
    folder.mkdir()
    shutil.copy(ROOT / "course" / "source" / "m2-career" / "careers.csv", folder)
    monkeypatch.chdir(folder)
    return folder


OWN_REFLECTION = (
    "The data scientist I interviewed spends half her week cleaning hospital records before any model is trained, which "
    "surprised me because I pictured the job as building clever algorithms. I realised that my patience with messy "
    "field data from my ecology thesis is a real strength here, and that I value careful work more than speed. I had "
    "assumed I would need a computer science degree, but she said a portfolio matters more. By the end of March I will "
    "finish the SQL course at the library and post one cleaned dataset with a short write-up on my GitHub profile."
)


def run(check: grading.Check, book: object) -> float:
    return getattr(grading, check.name)(book, **check.kwargs, points=check.points)


@pytest.mark.parametrize(("module", "check"), ALL_CHECKS, ids=IDS)
def test_example_scores_are_plain_floats_in_range(module: str, check: grading.Check, m2_dir: Path, shown: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """The worked example scores a plain float between 0 and the cell's points (most at full marks), silently on stderr."""
    score = run(check, answers.example_book(module))
    assert type(score) is float and 0.0 <= score <= check.points
    assert score >= 0.5 * check.points
    assert shown and capsys.readouterr().err == ""


@pytest.mark.parametrize(("module", "check"), ALL_CHECKS, ids=IDS)
def test_empty_answers_score_zero_with_a_message(module: str, check: grading.Check, tmp_path: Path, shown: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A student who wrote nothing gets 0.0 and a sentence saying what to do."""
    score = run(check, answers.open_book(module, tmp_path))
    assert type(score) is float and score == 0.0
    assert "points" in shown[-1] and "<li>" in shown[-1]
    assert capsys.readouterr().err == ""


GARBAGE: list[Any] = [None, 7, "text", [1, "x", None], {"a": {"b": []}}, [{"date": 5, "minutes": "many", "outcomes": "x"}], {"panels": "no", "feedback": [3]}]


@pytest.mark.parametrize(("module", "check"), ALL_CHECKS, ids=IDS)
def test_malformed_answers_never_raise(module: str, check: grading.Check, tmp_path: Path, shown: list[str]) -> None:
    """Any JSON value under any key gives a float in range, never an exception."""
    keys = [k for k in answers.example_answers(module) if k != "student_id"]
    for junk in GARBAGE:
        book = AnswerBook(module, {k: junk for k in keys}, path=tmp_path / "answers.json")
        score = run(check, book)
        assert type(score) is float and 0.0 <= score <= check.points
        score = grading.hidden_check(check.points, book, check.name, **check.kwargs, points=check.points)
        assert type(score) is float and 0.0 <= score <= check.points


def test_not_a_book_scores_zero(shown: list[str]) -> None:
    """A notebook whose answers cell was not run gets 0.0 and says so."""
    assert grading.reflection(None, points=4.0) == 0.0
    assert "answers cell" in shown[-1]


def test_reflection_shows_level_competencies_feedback_confidence_for_a_ta(shown: list[str]) -> None:
    """The reflection check shows what a TA needs to confirm or override the automatic score."""
    book = answers.example_book("m1-skills")
    score = grading.reflection(book, "reflection", points=4.0)
    assert score == 4.0
    html = shown[-1]
    for needle in ("Level <b>3</b>", "Now what?", "confidence", "Feedback:", "override in formgrader"):
        assert needle in html
    verdict = reflection_scorer.score(book.get("reflection"))
    assert verdict.competencies
    for cid in verdict.competencies:
        assert load_catalog().competency(cid).name.split(" ")[0] in html, cid


def test_reflection_points_follow_the_cell(shown: list[str]) -> None:
    """ScoreConfig gets the cell's points: a 2-point cell never gives more than 2."""
    assert grading.reflection(answers.example_book("m1-skills"), points=2.0) == 2.0


def test_student_text_is_escaped(tmp_path: Path, shown: list[str]) -> None:
    """A <script> in any answer is shown as text, never run."""
    evil = "<script>alert('x')</script> " * 3
    book = answers.example_book("m4-storyboard")
    board = book["storyboard"]
    board["feedback"][0]["role"] = evil
    board["panels"][0]["scene"] = ""
    book.update_many({"reflection": evil + answers.EXAMPLE_TEXTS["m4-storyboard"], "storyboard": board})
    for name in ("reflection", "storyboard", "adviser_feedback"):
        getattr(grading, name)(book, points=4.0)
    interviews = answers.example_book("m3-interviews")
    entries = interviews["interviews"]
    entries[0]["interviewee_role"] = evil
    entries[1]["date"] = evil
    interviews["interviews"] = entries
    grading.interview_log(interviews, points=4.0)
    grading.thank_you_notes(interviews, points=2.0)
    assert len(shown) == 5
    for html in shown:
        assert "<script>" not in html
    assert any("&lt;script&gt;" in html for html in shown)


def test_hidden_checks_lower_a_copied_reflection(tmp_path: Path, shown: list[str]) -> None:
    """The worked example pasted into a student's book scores full visibly, 0 in the hidden check."""
    book = answers.open_book("m1-skills", tmp_path)
    book["reflection"] = answers.EXAMPLE_TEXTS["m1-skills"]
    visible = grading.reflection(book, points=4.0)
    assert visible == 4.0
    assert grading.hidden_check(visible, book, "reflection", key="reflection", points=4.0) == 0.0
    assert "lowered" in shown[-1]


def test_hidden_checks_never_raise_a_score(shown: list[str]) -> None:
    """hidden_check returns min(score, strict score): it can only lower."""
    book = answers.example_book("m1-skills")
    assert grading.hidden_check(1.0, book, "reflection", key="reflection", points=4.0) == 1.0
    assert grading.hidden_check(99, book, "reflection", key="reflection", points=4.0) == 4.0


def test_same_reflection_in_several_slots_counts_once(tmp_path: Path, shown: list[str]) -> None:
    """Pasting one reflection into three interviews fills one slot once the hidden check runs."""
    module = answers.example_book("m3-interviews")
    entries = module["interviews"][:3]
    text = OWN_REFLECTION
    for e in entries:
        e["reflection"] = text
    book = AnswerBook("m3-interviews", {"interviews": entries}, path=tmp_path / "answers.json")
    visible = [grading.interview_reflection(book, slot=k, points=3.0) for k in (1, 2, 3)]
    assert visible[1] == visible[0] > 2
    hidden = [grading.hidden_check(v, book, "interview_reflection", slot=k, points=3.0) for k, v in zip((1, 2, 3), visible)]
    assert hidden[0] == visible[0] and hidden[1:] == [0.0, 0.0]


def test_future_interview_dates_are_caught_by_the_hidden_check(tmp_path: Path, shown: list[str]) -> None:
    """An interview dated in the future counts in the visible check only."""
    entries = answers.example_book("m3-interviews")["interviews"][:3]
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    entries[2].update(date=future, thank_you_date=future)
    book = AnswerBook("m3-interviews", {"interviews": entries}, path=tmp_path / "answers.json")
    visible = grading.interview_log(book, points=4.0)
    assert visible == 4.0
    strict = grading.hidden_check(visible, book, "interview_log", points=4.0)
    assert strict < visible and "in the future" in shown[-1]


def test_unedited_outreach_templates_are_caught(m2_dir: Path, shown: list[str]) -> None:
    """The generated email and note, merely signed, pass the visible check but lose their points in the hidden one."""
    from careerkit.catalog import load_catalog
    from careerkit.outreach import cold_email, linkedin_note
    from careerkit.profile import neutral_profile

    career = load_catalog().career("pharmacovigilance-scientist")
    email, note = cold_email(neutral_profile(), career), linkedin_note(neutral_profile(), career)
    book = answers.open_book("m2-career", m2_dir)
    book.update_many({
        "student_id": "s002",
        "messages": {"email": {"subject": email.subject, "body": email.body.replace("[your name]", "Ana")}, "linkedin": {"body": note.body + " Ana"}},
    })
    visible = grading.messages(book, points=4.0)
    assert visible == 4.0
    assert grading.hidden_check(visible, book, "messages", points=4.0) == 1.0


def test_guide_templates_edited_by_one_letter_are_caught(m2_dir: Path, shown: list[str]) -> None:
    """Generated why/hope lines with a trivial edit count as own words visibly, not in the hidden check."""
    from careerkit.catalog import load_catalog
    from careerkit.profile import neutral_profile
    from careerkit.questions import build_guide

    guide = build_guide(neutral_profile(), load_catalog().career("pharmacovigilance-scientist"))
    items = [{"question_id": q.id, "text": q.text, "why": q.why.replace("I want", "I really want", 1) + " ", "hope": q.hope + "!"} for q in guide]
    book = AnswerBook("m2-career", {"guide": items}, path=m2_dir / "answers.json")
    visible = grading.guide(book, points=4.0)
    assert visible == 4.0
    assert grading.hidden_check(visible, book, "guide", points=4.0) == 3.0


def test_copied_example_canvas_scores_zero_in_hidden_check(tmp_path: Path, shown: list[str]) -> None:
    """The worked example's canvas in a student's book is caught by the hidden check."""
    book = AnswerBook("m5-canvas", copy.deepcopy(answers.example_answers("m5-canvas")), path=tmp_path / "answers.json")
    visible = grading.canvas(book, points=10.0)
    assert visible == 10.0 and grading.hidden_check(visible, book, "canvas", points=10.0) == 0.0


def test_example_book_under_autograded_scores_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: list[str]) -> None:
    """A submission that swapped its answers for the worked example gets nothing at autograde."""
    folder = tmp_path / "autograded" / "s001" / "m1-skills"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    assert grading.reflection(answers.example_book("m1-skills"), points=4.0) == 0.0
    assert "worked example" in shown[-1]


@pytest.mark.parametrize("module", answers.MODULES)
def test_self_check_gives_the_points_the_tests_give(module: str, m2_dir: Path, shown: list[str]) -> None:
    """The self-check total equals the sum of the test cells (visible then hidden) for the same answers."""
    book = answers.example_book(module)
    total = grading.self_check(book, module)
    expected = 0.0
    for check in grading.TESTS[module]:
        score = run(check, book)
        if check.hidden:
            score = grading.hidden_check(score, book, check.name, **check.kwargs, points=check.points)
        expected += score
    assert type(total) is float and total == pytest.approx(expected)
    assert f"of {grading.total_points(module):g} points" in shown[0]


def test_assigned_career_messages(tmp_path: Path, m2_dir: Path, shown: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The assigned career shows for a known id; a missing file, id or roster entry gives a friendly message."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    book = answers.open_book("m2-career", m2_dir)
    grading.show_assignment(book)
    assert "know your student id yet" in shown[-1]
    book["student_id"] = "nobody"
    grading.show_assignment(book)
    assert "not in careers.csv" in shown[-1]
    book["student_id"] = "s002"
    grading.show_assignment(book)
    assert "Pharmacovigilance Scientist" in shown[-1]
    assert grading.assigned_career(book).id == "pharmacovigilance-scientist"
    grading.show_assignment(answers.open_book("m2-career", tmp_path))
    assert "no careers.csv" in shown[-1]


def test_m2_careers_csv_matches_the_demo_assignment() -> None:
    """The shipped careers.csv is what `careerkit assign data/demo_roster.csv --seed 2026` draws."""
    from careerkit.assignment import assign
    from careerkit.catalog import load_catalog
    from careerkit.files import data_path, read_csv
    from careerkit.roster import load_roster

    catalog = load_catalog()
    drawn = {a.student_id: a.career_id for a in assign(load_roster(data_path("demo_roster.csv"), catalog), 2026, catalog=catalog)}
    _, rows = read_csv(ROOT / "course" / "source" / "m2-career" / "careers.csv", required=("student_id", "career_id"))
    assert {r.values["student_id"]: r.values["career_id"] for r in rows} == drawn


def test_graded_imports_stay_light() -> None:
    """The modules graded notebooks import pull in neither pandas nor plotly."""
    import subprocess
    import sys

    code = "import sys, careerkit.answers, careerkit.grading, careerkit.forms; print('pandas' in sys.modules, 'plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
