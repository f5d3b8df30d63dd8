"""The cohort dashboard's tables, nudges and figures, on a small synthetic course with broken parts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from careerkit.course import Course
from careerkit.dashboard import ANSWERS_INVALID, ANSWERS_MISSING, NOT_SUBMITTED, Cohort, load_cohort, nudges, table_html
from careerkit.dashboard_figures import FIGURES, figures, title_of
from careerkit.errors import CareerkitError
from careerkit.interviews import OUTCOMES

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "dashboard.py"
SECRET_NAME, SECRET_CONTACT = "Wilhelmina Secretperson", "wilhelmina@secret.example"
EVIL = "<script>alert('owned')</script> I realised that I love talking to people, so I will email two more analysts by Friday."


def _bench():
    spec = importlib.util.spec_from_file_location("bench_dashboard", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make_test_course(root: Path) -> Course:
    """Eight students; s00001 invalid m1 JSON, s00002 empty m3 and an .invalid m2 notebook, s00003 hostile text
    and interviewee names, s00008 on the roster with nothing."""
    course = _bench().make_course(root, 8, absent=frozenset({"s00008"}))
    (course.path("autograded", "s00001", "m1-skills") / "answers.json").write_text("{not json", encoding="utf-8")
    for step in ("autograded", "submitted"):
        (course.path(step, "s00002", "m3-interviews") / "answers.json").unlink(missing_ok=True)
    course.path("submitted", "s00002", "m2-career", "m2-career.ipynb.invalid").write_text("{", encoding="utf-8")
    m3 = course.path("autograded", "s00003", "m3-interviews", "answers.json")
    data = json.loads(m3.read_text(encoding="utf-8")) if m3.is_file() else {"student_id": "s00003"}
    entry = {"date": "2026-10-05", "career_id": "patent-agent", "format": "video", "minutes": 30, "outcomes": ["lead", "offer"],
             "consent_to_share": True, "interviewee_name": SECRET_NAME, "interviewee_contact": SECRET_CONTACT, "reflection": EVIL}
    data["interviews"] = [entry, {**entry, "date": "not a date", "minutes": "lots", "outcomes": "referral;bogus"}]
    m3.write_text(json.dumps(data), encoding="utf-8")
    m1 = course.path("autograded", "s00003", "m1-skills", "answers.json")
    answers = json.loads(m1.read_text(encoding="utf-8")) if m1.is_file() else {"student_id": "s00003"}
    answers["reflection"] = EVIL
    m1.write_text(json.dumps(answers), encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return make_test_course(tmp_path_factory.mktemp("dash") / "course")


@pytest.fixture(scope="module")
def cohort(course: Course) -> Cohort:
    return load_cohort(course)


TABLES = ("students", "grades", "cells", "work", "status", "ratings", "interviews", "reflections", "shown")


def test_students_have_careers_and_sectors(cohort: Cohort) -> None:
    """Every roster student is a row with an assigned career, its title and sector."""
    assert list(cohort.students["student_id"]) == [f"s{i:05d}" for i in range(1, 9)]
    assert cohort.students["career_title"].notna().all() and cohort.students["sector_name"].notna().all()


def test_grades_match_cell_sums_and_missing_is_nan(cohort: Cohort) -> None:
    """A module's score is the sum of its cell grades; a student with nothing has NaN, not 0."""
    sums = cohort.cells.groupby(["student_id", "module"])["score"].sum()
    g = cohort.grades.set_index(["student_id", "module"])
    for key, total in sums.items():
        assert g.loc[key, "score"] == pytest.approx(total)
    assert g.loc[("s00008", "m1-skills"), "score"] != g.loc[("s00008", "m1-skills"), "score"]
    assert (cohort.grades["max_score"] > 0).all()
    work = cohort.work.set_index("student_id")
    assert work.loc["s00001", "storyboard_max"] == 6 and work.loc["s00001", "canvas_max"] == 10
    assert pd.isna(work.loc["s00008", "storyboard"])


def test_personal_fields_never_in_any_table(course: Course) -> None:
    """Interviewee names and contacts appear in no column name and no cell of any table."""
    c = load_cohort(course, with_text=True)
    for name in TABLES:
        df = getattr(c, name)
        assert "interviewee_name" not in df.columns and "interviewee_contact" not in df.columns
        text = df.astype(str).to_csv()
        assert SECRET_NAME not in text and SECRET_CONTACT not in text and "Wilhelmina" not in text


def test_reflection_text_only_on_request(course: Course, cohort: Cohort) -> None:
    """Reflection texts stay out of the tables unless with_text=True."""
    assert "text" not in cohort.reflections.columns
    assert not any("alert(" in getattr(cohort, n).astype(str).to_csv() for n in TABLES)
    assert "text" in load_cohort(course, with_text=True).reflections.columns


def test_broken_and_missing_submissions_are_missing_values(cohort: Cohort) -> None:
    """Invalid JSON, an empty submission, an .invalid notebook and an absent student become statuses, not crashes."""
    st = cohort.status.set_index(["student_id", "module"])
    assert st.loc[("s00001", "m1-skills"), "answers"] == ANSWERS_INVALID
    assert st.loc[("s00002", "m3-interviews"), "answers"] == ANSWERS_MISSING
    assert bool(st.loc[("s00002", "m2-career"), "notebook_invalid"])
    assert st.loc[("s00008", "m1-skills"), "answers"] == NOT_SUBMITTED
    assert "s00001" not in set(cohort.ratings["student_id"])
    assert "s00002" not in set(cohort.interviews["student_id"])


def test_interviews_are_tidy_and_lenient(cohort: Cohort) -> None:
    """Bad dates and minutes become NaT/NaN; unknown outcomes are dropped; one bool column per outcome."""
    iv = cohort.interviews[cohort.interviews["student_id"] == "s00003"].reset_index(drop=True)
    assert len(iv) == 2
    assert iv.loc[0, "date"] == pd.Timestamp("2026-10-05") and pd.isna(iv.loc[1, "date"]) and pd.isna(iv.loc[1, "minutes"])
    assert iv.loc[0, "outcomes"] == "lead;offer" and iv.loc[1, "outcomes"] == "referral"
    assert all(o in iv.columns for o in OUTCOMES) and bool(iv.loc[0, "offer"]) and iv.loc[0, "sector"] == "intellectual_property"


def test_reflections_are_rescored(cohort: Cohort) -> None:
    """Each reflection gets a rubric level 0-3 and the competencies it showed."""
    r = cohort.reflections
    assert set(r["module"]) <= {"m1-skills", "m3-interviews", "m4-storyboard"}
    assert r["level"].between(0, 3).all()
    assert set(cohort.shown["competency"]) <= set(load_catalog_ids())


def load_catalog_ids() -> tuple[str, ...]:
    from careerkit.catalog import COMPETENCY_IDS

    return COMPETENCY_IDS


def test_anonymise_replaces_names_and_ids_stably(course: Course, cohort: Cohort) -> None:
    """Pseudonyms replace every id and name, are the same on every load and keep the data."""
    a, b = load_cohort(course, anonymise=True), load_cohort(course, anonymise=True)
    assert list(a.students["name"]) == [f"Student {i:02d}" for i in range(1, 9)]
    assert a.students.equals(b.students)
    real = set(cohort.students["student_id"]) | set(cohort.students["name"])
    for name in TABLES:
        assert not real & set(getattr(a, name)["student_id"])
    assert len(a.interviews) == len(cohort.interviews) and a.grades["score"].sum() == pytest.approx(cohort.grades["score"].sum())


def test_nudges_name_the_reasons(cohort: Cohort) -> None:
    """Absent, empty and broken work and too few interviews are nudged, most reasons first."""
    n = nudges(cohort, 3).set_index("student_id")
    assert "no interview logged" in n.loc["s00008", "reasons"] and "nothing submitted for m1-skills" in n.loc["s00008", "reasons"]
    assert "m3-interviews submitted empty" in n.loc["s00002", "reasons"] and "m2-career notebook could not be read" in n.loc["s00002", "reasons"]
    assert "m1-skills answers are not valid JSON" in n.loc["s00001", "reasons"]
    assert "2 of 3 interviews logged" in n.loc["s00003", "reasons"]
    assert list(nudges(cohort, 3)["n_reasons"]) == sorted(nudges(cohort, 3)["n_reasons"], reverse=True)
    with pytest.raises(CareerkitError):
        nudges(cohort, 0)


def test_only_level_zero_reflections_is_a_nudge(cohort: Cohort) -> None:
    """A student whose every reflection scores 0 is nudged for it."""
    zero = cohort.reflections.groupby("student_id")["level"].max()
    nudged = nudges(cohort, 1).set_index("student_id")
    for sid in zero[zero == 0].index:
        assert "only level-0 reflections" in nudged.loc[sid, "reasons"]


def test_table_html_escapes_and_sorts(cohort: Cohort) -> None:
    """Cells are escaped; the table carries its sort script."""
    df = pd.DataFrame({"student_id": ["x"], "reasons": ["<script>alert(1)</script>"]})
    out = table_html(df)
    assert "<script>alert(1)" not in out and "&lt;script&gt;" in out and "addEventListener('click'" in out


def test_figures_order_titles_and_traces(cohort: Cohort) -> None:
    """Seven figures in a fixed order, each titled, with the expected number of traces."""
    figs = figures(cohort, target=3)
    assert tuple(figs) == FIGURES
    assert all(title_of(f) for f in figs.values())
    assert [len(f.data) for f in figs.values()] == [1, 2, 2, 1, 2, 4, len(cohort.modules)]
    assert "skills-awareness gap" in title_of(figs["skills_gap"])
    funnel = figs["outcomes"].data[0]
    assert list(funnel.y) == list(OUTCOMES) and sum(funnel.x) == int(cohort.interviews[list(OUTCOMES)].to_numpy().sum())


def test_filters_narrow_the_data(cohort: Cohort) -> None:
    """A sector filter keeps only its students; a module filter keeps one module's grades."""
    sector = cohort.students["sector_name"].iloc[0]
    narrowed = cohort.where(sector=sector, module="m3")
    assert set(narrowed.students["sector_name"]) == {sector} and set(narrowed.grades["module"]) == {"m3-interviews"}
    figs = figures(cohort, sector=sector, module="m3-interviews")
    assert len(figs["grades"].data) == 1 and sum(figs["interviews"].data[0].y) + sum(figs["interviews"].data[1].y) == len(narrowed.students)
    with pytest.raises(CareerkitError):
        cohort.where(module="m9")


def test_dropdowns_redraw_every_figure_with_the_chosen_filter(cohort: Cohort, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook's controls: one dropdown per filter ("all" first); choosing a value redraws every figure narrowed to it."""
    from careerkit import dashboard_figures

    drawn: list[object] = []
    monkeypatch.setattr(dashboard_figures, "show", drawn.append)
    box = dashboard_figures.controls(cohort)
    drops = {d.description: d for d in box.children[0].children}
    assert set(drops) == {"module", "discipline", "sector"} and all(d.value is None and d.options[0][0] == "all" for d in drops.values())
    assert len(drawn) == len(FIGURES)  # drawn once, unfiltered
    sector = cohort.students["sector_name"].iloc[0]
    drawn.clear()
    drops["sector"].value = sector
    assert len(drawn) == len(FIGURES)
    expected = figures(cohort, sector=sector)
    assert [f.to_plotly_json() for f in drawn] == [f.to_plotly_json() for f in expected.values()]
    assert [f.to_plotly_json() for f in drawn] != [f.to_plotly_json() for f in figures(cohort).values()]  # it did narrow
    drops["sector"].value = None
    assert [f.to_plotly_json() for f in drawn[len(FIGURES):]] == [f.to_plotly_json() for f in figures(cohort).values()]
