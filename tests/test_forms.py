"""Forms build for any answers and save every change to answers.json."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from careerkit import answers, forms
from careerkit.forms_entries import entry_to_line, line_to_entry

ROOT = Path(__file__).resolve().parent.parent
FORMS: list[Callable[..., widgets.VBox]] = [
    forms.competencies, forms.values_interests, forms.research, forms.question_guide, forms.outreach,
    forms.meeting, forms.interview_log, forms.storyboard, forms.canvas, forms.reflection, forms.student_id_field,
]  # fmt: skip


def saved(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "answers.json").read_text())


@pytest.fixture
def m2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> answers.AnswerBook:
    """An m2 book for student s002 in a folder with the demo careers.csv."""
    shutil.copy(ROOT / "course" / "source" / "m2-career" / "careers.csv", tmp_path)
    monkeypatch.chdir(tmp_path)
    book = answers.open_book("m2-career", tmp_path)
    book["student_id"] = "s002"
    return book


@pytest.mark.parametrize("module", answers.MODULES)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_forms_build_for_empty_and_example_books(module: str, form: Callable[..., widgets.VBox], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every form builds from nothing, from the worked example and from junk, without writing anything."""
    monkeypatch.chdir(tmp_path)
    junk = answers.AnswerBook(module, dict.fromkeys(["profile", "research", "guide", "messages", "meeting", "interviews", "storyboard", "canvas", "reflection"], 5))
    for book in (answers.open_book(module, tmp_path), answers.example_book(module), junk):
        box = form(book)
        assert isinstance(box, widgets.VBox) and isinstance(box.fields, dict)  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


def test_competency_slider_and_evidence_save(tmp_path: Path) -> None:
    """Moving a slider or typing evidence writes a loadable profile at once."""
    from careerkit.profile import profile_from_dict

    book = answers.open_book("m1-skills", tmp_path)
    form = forms.competencies(book)
    form.fields["ratings"]["technology"].value = 3
    form.fields["evidence"]["technology"].value = "I wrote the lab's data pipeline in Python."
    profile = profile_from_dict(saved(tmp_path)["profile"])
    assert profile.rating("technology") == 3 and profile.evidence("technology").startswith("I wrote")
    values = forms.values_interests(answers.open_book("m1-skills", tmp_path))
    values.fields["values"].value = ["impact", "learning"]
    values.fields["discipline"].value = "chemistry"
    data = saved(tmp_path)["profile"]
    assert data["values"] == ["impact", "learning"] and data["discipline"] == "chemistry"
    assert data["competencies"]["technology"]["rating"] == 3  # the other form's answers are kept


def test_reflection_saves_on_every_change_with_a_word_count(tmp_path: Path) -> None:
    """Typing in a reflection box saves it and updates the count."""
    form = forms.reflection(answers.open_book("m4-storyboard", tmp_path), "reflection")
    form.fields["text"].value = "one two three"
    assert saved(tmp_path)["reflection"] == "one two three"
    assert "3 words" in form.fields["count"].value


def test_a_failed_save_is_shown_not_raised(tmp_path: Path) -> None:
    """When answers.json cannot be written the form says so in red instead of raising."""
    book = answers.open_book("m1-skills", tmp_path)
    (tmp_path / "answers.json").mkdir()  # a folder where the file should go
    form = forms.reflection(book)
    form.fields["text"].value = "kept in the box"
    assert "Not saved" in form.children[-1].value


def test_guide_builds_edits_reorders_and_removes(m2: answers.AnswerBook) -> None:
    """The guide editor builds from the assigned career, then every edit is saved."""
    form = forms.question_guide(m2)
    form.fields["do_build"](None)
    guide = saved(m2.directory)["guide"]
    assert len(guide) >= 6 and {"question_id", "text", "why", "hope"} <= set(guide[0])
    rows = form.fields["rows"]
    rows[0]["why"].value = "Because my advisor doubts this path."
    assert saved(m2.directory)["guide"][0]["why"] == "Because my advisor doubts this path."
    first, second = guide[0]["question_id"], guide[1]["question_id"]
    form.fields["rows"][0]["down"].click()
    assert [q["question_id"] for q in saved(m2.directory)["guide"][:2]] == [second, first]
    form.fields["rows"][0]["remove"].click()
    assert len(saved(m2.directory)["guide"]) == len(guide) - 1
    form.fields["do_build"](None)  # asks before replacing edits
    assert len(saved(m2.directory)["guide"]) == len(guide) - 1


def test_outreach_template_and_live_limits(m2: answers.AnswerBook) -> None:
    """The template fills empty boxes; the counters show words and characters and the problems."""
    form = forms.outreach(m2)
    form.fields["template"].click()
    msgs = saved(m2.directory)["messages"]
    assert "[your name]" in msgs["email"]["body"] and msgs["linkedin"]["body"]
    form.fields["linkedin"].value = "x " * 200
    assert "400 / 300 characters" in form.fields["linkedin_info"].value and "over LinkedIn" in form.fields["linkedin_info"].value


def test_meeting_shows_safety(tmp_path: Path) -> None:
    """Choosing a private home warns at once; the choice is saved."""
    form = forms.meeting(answers.open_book("m2-career", tmp_path))
    form.fields["location"].value = "private_home"
    assert "NOT SAFE" in form.fields["verdict"].value
    assert saved(tmp_path)["meeting"]["location"] == "private_home"


def test_interview_log_entries(tmp_path: Path) -> None:
    """Adding an interview and filling it saves an entry with the log's columns and a reflection."""
    from careerkit.interviews import COLUMNS

    form = forms.interview_log(answers.open_book("m3-interviews", tmp_path))
    editor = form.fields["editor"]
    editor.add.click()
    editor.add.click()
    row = editor.rows[1]
    row["date"].value = dt.date(2026, 11, 2)
    row["format"].value = "phone"
    row["outcomes"].value = ["referral"]
    row["consent_to_share"].value = True
    row["reflection"].value = "It went well."
    entries = saved(tmp_path)["interviews"]
    assert len(entries) == 2
    assert set(entries[1]) == (set(COLUMNS) - {"student_id"}) | {"reflection"}
    assert entries[1]["date"] == "2026-11-02" and entries[1]["location"] == "phone" and entries[1]["consent_to_share"] is True
    editor.rows[0]["remove"].click()
    assert len(saved(tmp_path)["interviews"]) == 1


def test_storyboard_panels_and_feedback(tmp_path: Path) -> None:
    """Panels and feedback are edited in place and saved as the storyboard JSON shape."""
    form = forms.storyboard(answers.open_book("m4-storyboard", tmp_path))
    form.fields["title"].value = "FirstFile"
    form.fields["panels"].rows[0]["scene"].value = "A cramped office."
    form.fields["feedback"].add.click()
    form.fields["feedback"].rows[0]["response"].value = "I will change panel 5."
    board = saved(tmp_path)["storyboard"]
    assert board["title"] == "FirstFile" and len(board["panels"]) == 4
    assert board["panels"][0]["scene"] == "A cramped office." and board["feedback"][0]["response"] == "I will change panel 5."


def test_canvas_lines_round_trip_the_example() -> None:
    """Every entry of the example canvas survives being shown as a line and read back."""
    canvas = answers.example_answers("m5-canvas")["canvas"]
    for block, entries in canvas.items():
        if isinstance(entries, list):
            for entry in entries:
                assert line_to_entry(entry_to_line(entry, block), block) == entry


def test_canvas_form_saves(tmp_path: Path) -> None:
    """Typing a block's lines saves parsed entries; draws_on is kept."""
    form = forms.canvas(answers.open_book("m5-canvas", tmp_path))
    form.fields["blocks"]["customer_segments"].value = "[seg-a] Small labs\nHospitals"
    form.fields["blocks"]["cost_structure"].value = "My time, 4,000 EUR a month -> act-a, act-b"
    form.fields["competencies"].value = ["communication"]
    data = saved(tmp_path)["canvas"]
    assert data["customer_segments"] == [{"id": "seg-a", "text": "Small labs"}, "Hospitals"]
    assert data["cost_structure"] == [{"text": "My time, 4,000 EUR a month", "covers": ["act-a", "act-b"]}]
    assert data["draws_on"]["competencies"] == ["communication"]


def test_interview_log_asks_whether_to_name_the_student_in_the_booklet(tmp_path: Path) -> None:
    """The symposium names a student only if they tick the box; unticked, share_name is saved as false."""
    form = forms.interview_log(answers.open_book("m3-interviews", tmp_path))
    box = form.fields["share_name"]
    assert box.value is False
    box.value = True
    saved = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    assert saved["share_name"] is True
    box.value = False
    assert json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))["share_name"] is False
