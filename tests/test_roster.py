"""Roster loading: the columns a real roster has, and a clear one-line error for each bad input."""

from __future__ import annotations

import pytest

from careerkit.errors import DataError
from careerkit.roster import load_roster

from conftest import DATA

ROSTERS = DATA / "roster"


def test_demo_roster_loads_with_non_ascii_names(catalog):
    """The demo roster has about 24 students over several disciplines, some with non-ASCII names."""
    from careerkit.files import data_path

    roster = load_roster(data_path("demo_roster.csv"), catalog)
    assert 20 <= len(roster) <= 30
    assert len({s.discipline for s in roster}) >= 6
    assert any(not s.name.isascii() for s in roster)


def test_bom_and_extra_columns_are_accepted(catalog):
    """A UTF-8 file with a BOM loads; extra columns are kept; a blank discipline means 'any'."""
    roster = load_roster(ROSTERS / "bom_extra_columns.csv", catalog)
    s1 = roster.get("s1")
    assert s1.name == "Zoë Ångström" and s1.discipline == "physics"
    assert s1.extra["notes"] == 'likes "quotes", commas'
    s2 = roster.get("s2")
    assert s2.discipline is None and s2.avoid == ("consulting",)


def test_students_are_sorted_by_id(catalog, write_roster):
    """The roster's order is by student_id whatever the file's row order."""
    path = write_roster([{"student_id": "b"}, {"student_id": "a"}, {"student_id": "c"}])
    assert [s.student_id for s in load_roster(path, catalog)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("duplicate_id.csv", r"duplicate_id.csv line 4 \(student_id\): duplicate student_id 'a1' \(first on line 2\)"),
        ("missing_student_id_column.csv", r"line 1: missing column 'student_id'"),
        ("header_only.csv", r"the roster is empty"),
        ("zero_bytes.csv", r"the file is empty"),
        ("latin1.csv", r"latin1.csv line 2: not UTF-8 text"),
        ("bad_student_id.csv", r"line 2 \(student_id\): 'a 1' may only use letters"),
        ("unknown_discipline.csv", r"line 2 \(discipline\): unknown discipline 'biologee'"),
        ("empty_student_id.csv", r"line 3 \(student_id\): empty student_id"),
    ],
)
def test_bad_roster_is_a_clear_error(catalog, fixture: str, message: str):
    """Each bad roster raises a DataError naming the file, the line and the problem."""
    with pytest.raises(DataError, match=message) as info:
        load_roster(ROSTERS / fixture, catalog)
    assert "\n" not in str(info.value)


def test_avoid_entry_naming_nothing_is_an_error(small_catalog):
    """An avoid entry that is neither a career nor a sector is an error with a suggestion."""
    with pytest.raises(DataError, match=r"line 3 \(avoid\): 'vc-analist' names no career or sector"):
        load_roster(ROSTERS / "bad_avoid.csv", small_catalog)


def test_missing_file_is_a_clear_error(catalog, tmp_path):
    """A roster path that does not exist is a DataError, not a traceback."""
    with pytest.raises(DataError, match="file not found"):
        load_roster(tmp_path / "nope.csv", catalog)
