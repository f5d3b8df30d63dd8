"""Demo submissions: answers per module and tier, checked with the library, and broken notebooks."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
import pytest

from careerkit import canvas, outreach, reflection, storyboard, submissions
from careerkit.assignment import AssignmentSet, assign
from careerkit.errors import DataError, UnknownIdError, UsageError
from careerkit.files import data_path
from careerkit.interviews import COLUMNS, load_log
from careerkit.profile import profile_from_dict
from careerkit.questions import build_guide
from careerkit.roster import Roster, Student, load_roster

TODAY = dt.date(2026, 12, 3)
SEED = 2026
TIERS = ("strong", "average", "weak")


@pytest.fixture(scope="module")
def roster() -> Roster:
    return load_roster(data_path("demo_roster.csv"))


@pytest.fixture(scope="module")
def assignments(roster: Roster) -> AssignmentSet:
    return assign(roster, SEED)


def _kw(student: Student, assignments: AssignmentSet, quality: str, seed: int = SEED) -> dict[str, Any]:
    a = assignments.get(student.student_id)
    assert a is not None
    return {"student_id": student.student_id, "discipline": student.discipline, "career_id": a.career_id, "quality": quality, "seed": seed}


@pytest.fixture(scope="module")
def cohort(roster: Roster, assignments: AssignmentSet) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(student_id, module, tier) -> answers, for all 24 demo students at the three written tiers."""
    return {
        (s.student_id, m, q): submissions.answers_for(m, **_kw(s, assignments, q))
        for s in roster
        for q in TIERS
        for m in submissions.MODULES
    }


def _answers(cohort: dict[tuple[str, str, str], dict[str, Any]], module: str, quality: str) -> list[dict[str, Any]]:
    return [a for (_, m, q), a in cohort.items() if m == module and q == quality]


def _reflections(cohort: dict[tuple[str, str, str], dict[str, Any]], quality: str) -> list[str]:
    out = [a["reflection"] for a in _answers(cohort, "m1-skills", quality)]
    out += [i["reflection"] for a in _answers(cohort, "m3-interviews", quality) for i in a["interviews"]]
    for a in _answers(cohort, "m4-storyboard", quality):
        out += [a["reflection"], *(f["response"] for f in a["storyboard"]["feedback"])]
    return out


# --- answers ----------------------------------------------------------------------------


def test_answers_are_deterministic(roster: Roster, assignments: AssignmentSet) -> None:
    """The same arguments give the same answers; another seed gives other text."""
    s = roster.get("s004")
    for m in submissions.MODULES:
        assert submissions.answers_for(m, **_kw(s, assignments, "strong")) == submissions.answers_for(m, **_kw(s, assignments, "strong"))
    assert submissions.answers_for("m1-skills", **_kw(s, assignments, "average")) != submissions.answers_for("m1-skills", **_kw(s, assignments, "average", seed=7))


@pytest.mark.parametrize(
    ("module", "keys"),
    [
        ("m1-skills", {"student_id", "profile", "reflection"}),
        ("m2-career", {"student_id", "research", "guide", "messages", "meeting"}),
        ("m3-interviews", {"student_id", "interviews"}),
        ("m4-storyboard", {"student_id", "storyboard", "reflection"}),
        ("m5-canvas", {"student_id", "canvas"}),
    ],
)
def test_answers_have_the_module_keys(cohort: dict[tuple[str, str, str], dict[str, Any]], module: str, keys: set[str]) -> None:
    """Every written tier answers with exactly the module's keys, as JSON."""
    for q in TIERS:
        for a in _answers(cohort, module, q):
            assert set(a) == keys
            assert json.loads(json.dumps(a)) == a


def test_empty_quality_answers_nothing(roster: Roster, assignments: AssignmentSet) -> None:
    """An empty submission has no answers at all."""
    for m in submissions.MODULES:
        assert submissions.answers_for(m, **_kw(roster.get("s001"), assignments, "empty")) == {}


def test_unknown_module_or_quality_is_refused(roster: Roster, assignments: AssignmentSet) -> None:
    """A misspelt module or tier is an error that names the allowed ones."""
    kw = _kw(roster.get("s001"), assignments, "strong")
    with pytest.raises(UsageError, match="m1-skills"):
        submissions.answers_for("m1-skill", **kw)
    with pytest.raises(UsageError, match="did you mean 'strong'"):
        submissions.answers_for("m1-skills", **{**kw, "quality": "strnog"})
    with pytest.raises(UnknownIdError):
        submissions.answers_for("m1-skills", **{**kw, "career_id": "no-such-career"})


def test_profiles_load_and_weak_ones_lack_evidence(cohort: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """Profiles load with profile_from_dict; strong ones give evidence, weak ones rate high without it."""
    for q in TIERS:
        for a in _answers(cohort, "m1-skills", q):
            profile = profile_from_dict(a["profile"])
            assert profile.student_id == a["student_id"]
            with_evidence = sum(bool(r.evidence) and len(r.evidence.split()) > 4 for r in profile.ratings)
            if q == "strong":
                assert with_evidence >= 5
            if q == "weak":
                assert with_evidence == 0 and min(r.rating for r in profile.ratings) >= 2


def test_discipline_may_be_unknown(assignments: AssignmentSet) -> None:
    """A student with no discipline on the roster still gets a loadable profile and a guide."""
    kw = {"student_id": "x1", "discipline": None, "career_id": "data-scientist", "quality": "strong", "seed": 1}
    profile_from_dict(submissions.answers_for("m1-skills", **kw)["profile"])
    assert submissions.answers_for("m2-career", **kw)["guide"]


# --- quality, measured with the library -----------------------------------------------


def test_reflection_levels_follow_quality(cohort: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """Strong reflections score level 3 (at least 2), average ones 2, weak ones 0-1."""
    levels = {q: [reflection.score(t).level for t in _reflections(cohort, q)] for q in TIERS}
    assert min(levels["strong"]) >= 2 and Counter(levels["strong"])[3] >= 0.8 * len(levels["strong"])
    assert statistics.median(levels["average"]) == 2 and Counter(levels["average"])[2] >= 0.8 * len(levels["average"])
    assert max(levels["weak"]) <= 1


def test_texts_vary_across_students(cohort: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """24 students do not hand in the same reflection, and write in more than one voice."""
    texts = [a["reflection"] for a in _answers(cohort, "m1-skills", "average")]
    assert len(set(texts)) == len(texts)
    assert any(t == t.lower() for t in texts) and any(t != t.lower() for t in texts)
    responses = [a["storyboard"]["feedback"][0]["response"] for a in _answers(cohort, "m4-storyboard", "strong")]
    assert len(set(responses)) == len(responses)


def test_storyboards_pass_or_fail_checks_by_quality(cohort: dict[tuple[str, str, str], dict[str, Any]], tmp_path: Path) -> None:
    """Strong and average storyboards have no errors (strong ones no warnings either); weak ones do."""
    for q in TIERS:
        for i, a in enumerate(_answers(cohort, "m4-storyboard", q)):
            path = tmp_path / f"{q}-{i}.json"
            path.write_text(json.dumps(a["storyboard"]), encoding="utf-8")
            findings = storyboard.check_file(path, today=TODAY)
            errors = [f for f in findings if f.is_error]
            if q == "strong":
                assert not findings, findings
            elif q == "average":
                assert not errors, errors
            else:
                assert errors


def test_canvases_score_by_quality(cohort: dict[tuple[str, str, str], dict[str, Any]], tmp_path: Path) -> None:
    """Strong canvases score 8+/10, average ones less, weak ones clearly lower; every canvas loads."""
    scores: dict[str, list[float]] = {}
    for q in TIERS:
        for i, a in enumerate(_answers(cohort, "m5-canvas", q)):
            path = tmp_path / f"{q}-{i}.json"
            path.write_text(json.dumps(a["canvas"]), encoding="utf-8")
            scores.setdefault(q, []).append(canvas.score_file(path).total)
    assert min(scores["strong"]) >= 8
    assert max(scores["average"]) < min(scores["strong"])
    assert max(scores["weak"]) <= 5 and max(scores["weak"]) < min(scores["average"])


def test_storyboard_and_canvas_share_the_business_idea(cohort: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """A student's canvas is for the business of their storyboard."""
    for (sid, m, q), a in cohort.items():
        if m == "m5-canvas" and q != "weak":
            assert a["canvas"]["title"] == cohort[(sid, "m4-storyboard", q)]["storyboard"]["title"]


def test_messages_respect_limits_by_quality(cohort: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """Strong and average messages pass Message.check; weak ones ask for a job and break the limits."""
    for q in TIERS:
        for a in _answers(cohort, "m2-career", q):
            msgs = a["messages"]
            email = outreach.Message(kind="email", subject=msgs["email"]["subject"], body=msgs["email"]["body"])
            note = outreach.Message(kind="linkedin", subject="", body=msgs["linkedin"]["body"])
            problems = email.check() + note.check()
            assert bool(problems) == (q == "weak"), problems
            assert a["meeting"]["location"] in outreach.LOCATION_TYPES
            if q == "strong":
                assert outreach.meeting_safety(a["meeting"]["location"]).safe


def test_guide_follows_build_guide(roster: Roster, assignments: AssignmentSet, catalog: Any) -> None:
    """The guide lists build_guide's questions for the student's profile and career; strong students fill why/hope."""
    s = roster.get("s013")
    kw = _kw(s, assignments, "strong")
    profile = profile_from_dict(submissions.answers_for("m1-skills", **kw)["profile"])
    expected = build_guide(profile, catalog.career(kw["career_id"]), minutes=25, seed=SEED)
    rows = submissions.answers_for("m2-career", **kw)["guide"]
    assert [r["question_id"] for r in rows] == [q.id for q in expected]
    assert all(r["why"] and r["hope"] and set(r) == {"question_id", "text", "why", "hope"} for r in rows)


def test_interviews_load_as_a_log(cohort: dict[tuple[str, str, str], dict[str, Any]], tmp_path: Path) -> None:
    """Interview rows (without reflection, with student_id) load with load_log; counts and outcomes follow the tier."""
    for q, (lo, hi) in {"strong": (3, 5), "average": (2, 3), "weak": (1, 1)}.items():
        answers = _answers(cohort, "m3-interviews", q)
        path = tmp_path / f"{q}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for a in answers:
                assert lo <= len(a["interviews"]) <= hi
                for row in a["interviews"]:
                    assert set(row) == {*COLUMNS, "reflection"} - {"student_id"}
                    cells = {k: v for k, v in row.items() if k != "reflection"}
                    cells.update(student_id=a["student_id"], outcomes=";".join(row["outcomes"]), thank_you_date=row["thank_you_date"] or "")
                    writer.writerow(cells)
        log = load_log(path, today=TODAY)
        assert len(log) == sum(len(a["interviews"]) for a in answers)
        assert all(dt.date(2026, 9, 1) <= i.date < TODAY for i in log)
        with_outcomes = sum(bool(i.outcomes) for i in log) / len(log)
        assert with_outcomes >= 0.6 if q == "strong" else True
        assert with_outcomes == 0 if q == "weak" else True


# --- files ------------------------------------------------------------------------------


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A released module folder holding a tiny nbgrader notebook and a data file in a subfolder."""
    folder = tmp_path / "release" / "m1-skills"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "hint.txt").write_text("hint\n", encoding="utf-8")
    _notebook(folder / "m1-skills.ipynb")
    return tmp_path / "release"


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()

    def meta(grade_id: str, *, grade: bool, solution: bool, points: float = 0) -> dict[str, Any]:
        return {"nbgrader": {"grade": grade, "solution": solution, "locked": not solution, "grade_id": grade_id, "points": points, "schema_version": 3}}

    nb.cells = [
        nbformat.v4.new_markdown_cell("# Skills"),
        nbformat.v4.new_code_cell("import json", metadata={}),
        nbformat.v4.new_code_cell("answers = json.load(open('answers.json'))", metadata=meta("load", grade=False, solution=True)),
        nbformat.v4.new_code_cell("assert 'profile' in answers", metadata=meta("test-profile", grade=True, solution=False, points=3)),
        nbformat.v4.new_code_cell("assert 'reflection' in answers", metadata=meta("test-reflection", grade=True, solution=False, points=4)),
    ]
    nbformat.write(nb, path)


def _graded_tests(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def test_write_submission_copies_release_and_writes_answers(release: Path, tmp_path: Path, roster: Roster, assignments: AssignmentSet) -> None:
    """The submission folder holds every released file plus answers.json with the student's answers."""
    out = tmp_path / "submitted" / "s002" / "m1-skills"
    kw = _kw(roster.get("s002"), assignments, "average")
    assert submissions.write_submission(release, out, "m1-skills", **kw) == out
    assert (out / "data" / "hint.txt").read_text(encoding="utf-8") == "hint\n"
    assert (out / "m1-skills.ipynb").read_bytes() == (release / "m1-skills" / "m1-skills.ipynb").read_bytes()
    assert json.loads((out / "answers.json").read_text(encoding="utf-8")) == submissions.answers_for("m1-skills", **kw)


def test_empty_submission_has_no_answers_file(release: Path, tmp_path: Path, roster: Roster, assignments: AssignmentSet) -> None:
    """An empty submission is the release untouched: no answers.json."""
    out = tmp_path / "submitted" / "s003" / "m1-skills"
    submissions.write_submission(release, out, "m1-skills", **_kw(roster.get("s003"), assignments, "empty"))
    assert (out / "m1-skills.ipynb").is_file() and not (out / "answers.json").exists()


def test_write_submission_needs_a_release(tmp_path: Path, roster: Roster, assignments: AssignmentSet) -> None:
    """A module that was not released is an error naming the folder."""
    with pytest.raises(DataError, match="m2-career"):
        submissions.write_submission(tmp_path, tmp_path / "out", "m2-career", **_kw(roster.get("s001"), assignments, "strong"))


# --- breakages --------------------------------------------------------------------------


def test_invalid_json_truncates_the_notebook(release: Path) -> None:
    """invalid_json leaves a notebook that is not JSON any more."""
    folder = release / "m1-skills"
    size = len((folder / "m1-skills.ipynb").read_text(encoding="utf-8"))
    assert "truncated" in submissions.break_submission(folder, "m1-skills", "invalid_json")
    text = (folder / "m1-skills.ipynb").read_text(encoding="utf-8")
    assert 0 < len(text) < size
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


@pytest.mark.parametrize(("kind", "source"), [("infinite_loop", "while True: pass"), ("kernel_death", "import os; os._exit(1)")])
def test_bad_cell_goes_before_the_first_test(release: Path, kind: str, source: str) -> None:
    """A plain code cell, without nbgrader metadata, is inserted right before the first graded test; the notebook stays valid."""
    folder = release / "m1-skills"
    before = nbformat.read(folder / "m1-skills.ipynb", as_version=4)
    assert "test-profile" in submissions.break_submission(folder, "m1-skills", kind)
    after = nbformat.read(folder / "m1-skills.ipynb", as_version=4)
    nbformat.validate(after)
    assert len(after.cells) == len(before.cells) + 1
    new = after.cells[3]
    assert new.cell_type == "code" and new.source == source and "nbgrader" not in new.metadata
    assert after.cells[4].metadata["nbgrader"]["grade_id"] == "test-profile"


def test_deleted_test_removes_exactly_one_graded_cell(release: Path) -> None:
    """deleted_test removes the first graded test cell and nothing else."""
    folder = release / "m1-skills"
    before = nbformat.read(folder / "m1-skills.ipynb", as_version=4)
    submissions.break_submission(folder, "m1-skills", "deleted_test")
    after = nbformat.read(folder / "m1-skills.ipynb", as_version=4)
    assert _graded_tests(folder / "m1-skills.ipynb") == ["test-reflection"]
    assert [c.source for c in after.cells] == [c.source for i, c in enumerate(before.cells) if i != 3]


def test_edited_test_evaluates_to_full_points(release: Path) -> None:
    """edited_test keeps the cell and its metadata but its source now just evaluates to the cell's points."""
    folder = release / "m1-skills"
    submissions.break_submission(folder, "m1-skills", "edited_test")
    cell = nbformat.read(folder / "m1-skills.ipynb", as_version=4).cells[3]
    assert cell.metadata["nbgrader"]["grade_id"] == "test-profile"
    assert "assert" not in cell.source
    assert eval(cell.source.splitlines()[-1]) == 3  # noqa: S307 - our own one-line literal


def test_break_needs_a_graded_test_and_a_known_kind(tmp_path: Path) -> None:
    """A notebook without graded tests, a missing notebook or an unknown kind are clear errors."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, tmp_path / "m5-canvas.ipynb")
    with pytest.raises(DataError, match="no graded test cell"):
        submissions.break_submission(tmp_path, "m5-canvas", "deleted_test")
    with pytest.raises(DataError, match="does not exist"):
        submissions.break_submission(tmp_path, "m4-storyboard", "edited_test")
    with pytest.raises(UsageError, match="infinite_loop"):
        submissions.break_submission(tmp_path, "m5-canvas", "infinite-loop")


# --- the cohort -------------------------------------------------------------------------


def test_plan_cohort_spreads_tiers(roster: Roster) -> None:
    """24 students: mostly average, 6 strong, 5 weak, 2 empty; the same for the same seed, shuffled for another."""
    plan = submissions.plan_cohort(roster, seed=SEED)
    assert list(plan) == sorted(s.student_id for s in roster)
    assert Counter(plan.values()) == {"average": 11, "strong": 6, "weak": 5, "empty": 2}
    assert submissions.plan_cohort(list(reversed(roster.students)), seed=SEED) == plan
    assert submissions.plan_cohort(roster, seed=SEED + 1) != plan


def test_plan_cohort_small_classes() -> None:
    """A tiny class has no empty submission; one student is simply average."""
    assert submissions.plan_cohort([Student(student_id="a")], seed=1) == {"a": "average"}
    plan = submissions.plan_cohort([Student(student_id=f"s{i}") for i in range(8)], seed=1)
    assert Counter(plan.values())["empty"] == 1 and Counter(plan.values())["average"] >= 3
