"""The alumni directory and matching: willing contacts only, capacity never exceeded, sector fallback, even load."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from careerkit.assignment import assign
from careerkit.catalog import Catalog
from careerkit.errors import DataError, UnknownCareerError, UsageError
from careerkit.files import data_path
from careerkit.network import Contact, Directory, load_directory, match, match_files
from careerkit.roster import load_roster

from conftest import DATA

NETWORK = DATA / "network"


@pytest.fixture(scope="module")
def directory(kit: Catalog) -> Directory:
    """Ten contacts: three unwilling or without capacity, one alumni mentor with no career."""
    return load_directory(NETWORK / "directory.csv", catalog=kit)


def _rows(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"student_id": s, "career_id": c} for s, c in pairs]


def test_directory_loads_and_fills_the_sector_from_the_career(directory):
    """Yes/no/true/false in any case are read; a blank sector comes from the career; channels are normalised."""
    assert len(directory) == 10
    assert directory.get("n02").sector == "consulting"
    assert directory.get("n04").career_id is None and directory.get("n04").channels == ("phone", "in_person")
    assert [c.willing_to_talk for c in directory][:5] == [True, True, True, True, False]
    assert directory.get("n08").willing_to_talk is False


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        ("unknown_career.csv", ["line 3 (career_id)", "did you mean 'alpha-analyst'"]),
        ("bad_willing.csv", ["line 3 (willing_to_talk)", "'maybe'"]),
        ("negative_capacity.csv", ["line 3 (max_students)", "-1"]),
        ("capacity_not_a_number.csv", ["line 3 (max_students)", "'two'"]),
        ("sector_mismatch.csv", ["line 3 (sector)", "is in sector 'consulting'"]),
        ("unknown_sector.csv", ["line 3 (sector)", "did you mean 'consulting'"]),
        ("duplicate_id.csv", ["line 3 (contact_id)", "first on line 2"]),
        ("unknown_channel.csv", ["line 3 (channels)", "did you mean 'linkedin'"]),
        ("empty_name.csv", ["line 3 (name)", "empty"]),
        ("missing_column.csv", ["line 1", "missing column 'willing_to_talk'"]),
    ],
)
def test_broken_directory_is_a_clear_error(kit, fixture: str, fragments: list[str]):
    """Each broken directory raises a DataError naming the file, line and column."""
    with pytest.raises(DataError) as info:
        load_directory(NETWORK / fixture, catalog=kit)
    message = str(info.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message


def test_career_contacts_first_then_the_same_sector(kit, directory):
    """A student gets willing contacts for their own career first, then falls back to the same sector."""
    m = match(_rows([("s1", "alpha-analyst")]), directory, per_student=4, catalog=kit)
    picks = m.for_student("s1")
    assert [p.via for p in picks] == ["career", "career", "sector", "sector"]
    assert {p.contact.contact_id for p in picks[:2]} == {"n01", "n02"}
    assert {p.contact.contact_id for p in picks[2:]} == {"n03", "n04"}
    assert "n05" not in {p.contact.contact_id for p in picks}  # unwilling


def test_career_without_contacts_falls_back_to_its_sector(kit, directory):
    """A career nobody in the directory holds is matched with contacts of its sector only."""
    picks = match(_rows([("s1", "alpha-strategist"), ("s2", "flat-generalist")]), directory, per_student=3, catalog=kit)
    vias = {p.contact.contact_id: p.via for p in picks.for_student("s1")}
    assert vias["n03"] == "career" and {vias.get("n01"), vias.get("n02"), vias.get("n04")} - {None} == {"sector"}
    assert [p.contact.contact_id for p in picks.for_student("s2")] == ["n10"]


def test_contacts_without_willingness_or_capacity_are_never_suggested(kit, directory):
    """Unwilling contacts and contacts with max_students 0 are never suggested; students short of contacts are listed."""
    m = match(_rows([(f"s{i}", "delta-scientist") for i in range(3)]), directory, per_student=2, catalog=kit)
    assert m.suggestions == () and m.short() == ("s0", "s1", "s2")
    assert "3 students got fewer than 2" in str(m)


def _random_case(seed: int, kit: Catalog) -> tuple[list[dict[str, str]], Directory, int]:
    rng = random.Random(seed)
    careers = [c for c in kit]
    contacts = []
    for i in range(rng.randint(3, 25)):
        career = rng.choice(careers)
        contacts.append(
            Contact(
                contact_id=f"c{i}",
                name=f"Person {i}",
                role="Role",
                organisation="Org",
                career_id=career.id if rng.random() < 0.8 else None,
                sector=career.sector,
                willing_to_talk=rng.random() < 0.8,
                max_students=rng.randint(0, 4),
            )
        )
    students = _rows([(f"s{i:02d}", rng.choice(careers).id) for i in range(rng.randint(1, 30))])
    return students, Directory(tuple(contacts)), rng.randint(1, 4)


@pytest.mark.parametrize("seed", range(40))
def test_matching_properties_hold_for_random_directories(kit, seed: int):
    """For random directories and classes: capacity never exceeded, only willing contacts, no repeats, career before sector, nothing left unused for a short student."""
    students, directory, k = _random_case(seed, kit)
    m = match(students, directory, per_student=k, seed=seed, catalog=kit)
    loads = m.loads()
    for contact in directory:
        assert loads[contact.contact_id] <= contact.max_students
    career_of = {s["student_id"]: kit.career(s["career_id"]) for s in students}
    for sid in m.students:
        picks = m.for_student(sid)
        career = career_of[sid]
        assert len(picks) <= k and [p.rank for p in picks] == list(range(1, len(picks) + 1))
        assert len({p.contact.contact_id for p in picks}) == len(picks)
        vias = [p.via for p in picks]
        assert vias == sorted(vias)  # "career" < "sector": every career contact comes first
        for p in picks:
            assert p.contact.willing_to_talk
            assert (p.contact.career_id == career.id) if p.via == "career" else (p.contact.sector == career.sector and p.contact.career_id != career.id)
        if sid in m.short():
            mine = {p.contact.contact_id for p in picks}
            for c in directory:
                if c.willing_to_talk and c.sector == career.sector and c.contact_id not in mine:
                    assert loads[c.contact_id] >= c.max_students


def test_load_is_spread_evenly(kit):
    """With spare capacity, the least-loaded contact is chosen: three contacts share nine picks three each."""
    contacts = tuple(
        Contact(contact_id=f"c{i}", name=f"P{i}", role="r", organisation="o", career_id="beta-writer", sector="communication_media", max_students=10) for i in range(3)
    )
    m = match(_rows([(f"s{i}", "beta-writer") for i in range(9)]), Directory(contacts), per_student=1, seed=5, catalog=kit)
    assert sorted(m.loads().values()) == [3, 3, 3]


def test_same_seed_same_matches_whatever_the_input_order(kit):
    """The result depends on the seed, never on the order of the assignment rows."""
    students, directory, k = _random_case(11, kit)
    first = match(students, directory, per_student=k, seed=3, catalog=kit)
    shuffled = list(students)
    random.Random(0).shuffle(shuffled)
    assert match(shuffled, directory, per_student=k, seed=3, catalog=kit) == first
    results = {tuple((s.student_id, s.contact.contact_id) for s in match(students, directory, per_student=k, seed=s, catalog=kit).suggestions) for s in range(8)}
    assert len(results) > 1


def test_bad_assignments_are_refused(kit, directory):
    """An unknown career, a student listed twice or a per-student count under 1 is an error."""
    with pytest.raises(UnknownCareerError, match="did you mean 'alpha-analyst'"):
        match(_rows([("s1", "alpha-analist")]), directory, catalog=kit)
    with pytest.raises(DataError, match="assigned twice"):
        match(_rows([("s1", "alpha-analyst"), ("s1", "beta-writer")]), directory, catalog=kit)
    with pytest.raises(UsageError, match="per_student"):
        match(_rows([("s1", "alpha-analyst")]), directory, per_student=0, catalog=kit)


def test_matches_export_and_print(kit, directory, tmp_path: Path):
    """Matches print one block per student and write a CSV with one row per suggestion."""
    m = match(_rows([("s1", "alpha-analyst"), ("s2", "beta-writer")]), directory, per_student=2, catalog=kit)
    text = str(m)
    assert text.startswith("s1:") and "[career]" in text and "suggestions for 2 students" in text
    csv_text = m.write_csv(tmp_path / "matches.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("student_id,career_id,rank,via,contact_id")
    assert len(csv_text.splitlines()) == 1 + len(m.suggestions)


def test_example_directory_and_demo_assignment_match(catalog, tmp_path: Path):
    """The shipped example directory (~30 fictional contacts) matches the demo class's assignment CSV within capacity."""
    directory = load_directory(data_path("examples/directory.csv"), catalog=catalog)
    assert 25 <= len(directory) <= 40 and len({c.sector for c in directory}) >= 8
    roster = load_roster(data_path("demo_roster.csv"), catalog)
    path = assign(roster, 2026, catalog=catalog).write_csv(tmp_path / "assignments.csv")
    m = match_files(path, data_path("examples/directory.csv"), per_student=3, seed=1, catalog=catalog)
    assert set(m.students) == {s.student_id for s in roster}
    for contact in directory:
        assert m.loads()[contact.contact_id] <= contact.max_students
