"""The answer store: answers.json beside each notebook, saved atomically, never silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerkit import answers
from careerkit.errors import DataError, UsageError


def test_open_book_without_a_file_is_empty_and_writes_nothing(tmp_path: Path) -> None:
    """Opening a book creates no file: only a change does."""
    book = answers.open_book("m1-skills", tmp_path)
    assert dict(book) == {} and book.problem is None
    assert list(tmp_path.iterdir()) == []


def test_every_change_is_saved_and_reloads(tmp_path: Path) -> None:
    """Setting, updating and deleting answers rewrite answers.json; reopening gives the same answers."""
    book = answers.open_book("m1-skills", tmp_path)
    book["reflection"] = "first"
    book.set("student_id", "s007")
    book.update_many({"profile": {"values": ["impact"]}})
    del book["student_id"]
    assert json.loads((tmp_path / "answers.json").read_text()) == {"reflection": "first", "profile": {"values": ["impact"]}}
    assert answers.open_book("m1-skills", tmp_path).to_dict() == book.to_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]  # no temporary files left behind


@pytest.mark.parametrize("content", [b'{"reflection": "unfinished', b"[1, 2]", b"\xff\xfe not utf-8", b""])
def test_a_corrupt_file_is_moved_aside_never_overwritten(tmp_path: Path, content: bytes) -> None:
    """An unreadable answers.json is kept byte for byte as answers.json.bad-<timestamp> and reported."""
    (tmp_path / "answers.json").write_bytes(content)
    book = answers.open_book("m2-career", tmp_path)
    bad = list(tmp_path.glob("answers.json.bad-*"))
    assert len(bad) == 1 and bad[0].read_bytes() == content
    assert book.problem and bad[0].name in book.problem and "answers.json" in book.problem
    assert dict(book) == {} and not (tmp_path / "answers.json").exists()
    book["reflection"] = "new start"
    assert bad[0].read_bytes() == content
    assert "Attention" in book._repr_html_()


def test_two_corrupt_files_in_the_same_second_both_survive(tmp_path: Path) -> None:
    """A second bad file does not replace the first one set aside."""
    for text in ("{bad", "{worse"):
        (tmp_path / "answers.json").write_text(text)
        answers.open_book("m1-skills", tmp_path)
    assert sorted(p.read_text() for p in tmp_path.glob("answers.json.bad-*")) == ["{bad", "{worse"]


def test_example_book_never_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The instructor's example lives in memory; saving it writes nothing anywhere."""
    monkeypatch.chdir(tmp_path)
    for module in answers.MODULES:
        book = answers.example_book(module)
        assert book.is_example and book.path is None and len(book) >= 2
        book["reflection"] = "changed"
        assert book.save() is None
    assert list(tmp_path.iterdir()) == []


def test_example_books_are_independent_copies() -> None:
    """Editing one example book does not change the next one."""
    first = answers.example_book("m3-interviews")
    first["interviews"] = []
    assert answers.example_book("m3-interviews")["interviews"]


def test_values_must_be_plain_json(tmp_path: Path) -> None:
    """A value JSON cannot hold is refused with a clear error, and the file is untouched."""
    book = answers.open_book("m1-skills", tmp_path)
    with pytest.raises(DataError, match="plain JSON"):
        book["profile"] = {1, 2}
    assert not (tmp_path / "answers.json").exists()


def test_unknown_module_is_refused() -> None:
    """A typo in a module id names the modules."""
    with pytest.raises(UsageError, match="did you mean 'm1-skills'"):
        answers.open_book("m1-skill")


def test_student_id_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """book["student_id"], then nbgrader's autograded/submitted folder, then JUPYTERHUB_USER, else None."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    plain = tmp_path / "work" / "m1-skills"
    plain.mkdir(parents=True)
    assert answers.student_id(answers.open_book("m1-skills", plain)) is None
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    assert answers.student_id(directory=plain) == "hubuser"
    for step in ("autograded", "submitted"):
        graded = tmp_path / "course" / step / "s014" / "m1-skills"
        graded.mkdir(parents=True)
        book = answers.open_book("m1-skills", graded)
        assert answers.student_id(book) == "s014"
        assert answers.grading_step_of(graded) == step
        book["student_id"] = "s099"
        assert answers.student_id(book) == "s099"


def test_peek_reads_without_moving(tmp_path: Path) -> None:
    """Reading another module's answers never moves or writes anything."""
    (tmp_path / "answers.json").write_text("{bad")
    assert answers.peek("m1-skills", tmp_path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]
