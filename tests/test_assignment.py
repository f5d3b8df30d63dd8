"""Random career assignment: reproducible, order-free, stable, evenly spread, fair, auditable."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from careerkit.assignment import assign, eligible_careers, load_assignments, redraw
from careerkit.errors import AssignmentError, DataError
from careerkit.files import data_path
from careerkit.roster import load_roster

from conftest import DATA

NON_TRAD_ANY = {"alpha-analyst", "beta-writer", "gamma-officer", "delta-scientist"}


@pytest.fixture
def demo_roster(catalog):
    return load_roster(data_path("demo_roster.csv"), catalog)


def _roster(write_roster, catalog, rows):
    return load_roster(write_roster(rows), catalog)


def test_same_inputs_give_byte_identical_output(catalog, demo_roster):
    """Same roster, catalog and seed give the same CSV, byte for byte."""
    assert assign(demo_roster, 7, catalog=catalog).to_csv() == assign(demo_roster, 7, catalog=catalog).to_csv()


def test_different_seeds_give_different_assignments(catalog, demo_roster):
    """Another seed gives another draw (the seed is really used)."""
    assert assign(demo_roster, 1, catalog=catalog).to_csv() != assign(demo_roster, 2, catalog=catalog).to_csv()


def test_roster_row_order_changes_nothing(catalog, write_roster):
    """Shuffling the roster's rows gives exactly the same assignment file."""
    rows = [{"student_id": f"st{i:02d}", "discipline": d} for i, d in enumerate(["biology", "history", "physics", "nursing", "english"] * 4)]
    expected = assign(_roster(write_roster, catalog, rows), 11, catalog=catalog).to_csv()
    for k in range(5):
        shuffled = rows[:]
        random.Random(k).shuffle(shuffled)
        assert assign(_roster(write_roster, catalog, shuffled), 11, catalog=catalog).to_csv() == expected


def test_adding_and_removing_students_keeps_everyone_else(catalog, write_roster, tmp_path):
    """With the previous file, remaining students keep their career; only newcomers are drawn."""
    rows = [{"student_id": f"st{i:02d}", "discipline": "biology"} for i in range(12)]
    first = assign(_roster(write_roster, catalog, rows), 3, catalog=catalog)
    prev_path = first.write_csv(tmp_path / "prev.csv")
    previous = load_assignments(prev_path)
    changed = rows[2:] + [{"student_id": "new1", "discipline": "history"}, {"student_id": "new2", "discipline": "chemistry"}]
    second = assign(_roster(write_roster, catalog, changed), 3, catalog=catalog, previous=previous)
    for a in second:
        if a.student_id.startswith("new"):
            assert a.rule == "drawn"
        else:
            assert a.career_id == first.get(a.student_id).career_id
            assert a.rule == "kept" and a.seed == 3
    assert second.get("st00") is None and second.get("st01") is None


def test_newcomer_draw_does_not_depend_on_other_newcomers_order(catalog, write_roster):
    """A student's own random stream depends only on the seed and their id."""
    base = [{"student_id": f"st{i:02d}"} for i in range(3)]
    a = assign(_roster(write_roster, catalog, base), 5, catalog=catalog)
    b = assign(_roster(write_roster, catalog, list(reversed(base))), 5, catalog=catalog)
    assert a.to_csv() == b.to_csv()


def test_no_career_twice_before_all_given_once(small_catalog, write_roster):
    """With four eligible careers and four students, all four careers are used."""
    roster = _roster(write_roster, small_catalog, [{"student_id": f"s{i}", "discipline": "biology"} for i in range(4)])
    for seed in range(30):
        assert {a.career_id for a in assign(roster, seed, catalog=small_catalog)} == NON_TRAD_ANY


@pytest.mark.parametrize("n_students", [5, 9, 13, 30])
def test_counts_differ_by_at_most_one(small_catalog, write_roster, n_students):
    """Careers shared by all students are given evenly: counts differ by at most one."""
    roster = _roster(write_roster, small_catalog, [{"student_id": f"s{i:02d}", "discipline": "biology"} for i in range(n_students)])
    for seed in range(10):
        counts = assign(roster, seed, catalog=small_catalog).counts()
        assert set(counts) == NON_TRAD_ANY
        assert max(counts.values()) - min(counts.values()) <= 1


def test_even_spread_on_the_real_catalog(catalog, demo_roster):
    """On the shipped catalog the demo roster gets 24 different careers."""
    result = assign(demo_roster, 2026, catalog=catalog)
    assert max(result.counts().values()) == 1


def _chi_square(observed: Counter, categories: list[str]) -> float:
    total = sum(observed[c] for c in categories)
    expected = total / len(categories)
    return sum((observed[c] - expected) ** 2 / expected for c in categories)


# Critical values of the chi-square distribution at p = 0.001 (degrees of freedom -> value).
CHI2_CRIT_001 = {3: 16.27, 4: 18.47}


def test_fair_each_student_equally_likely_to_get_each_eligible_career(small_catalog, write_roster):
    """Over 600 fixed seeds, each student's career counts pass a chi-square test of uniformity."""
    rows = [{"student_id": f"s{i}", "discipline": "biology"} for i in range(3)] + [{"student_id": "h0", "discipline": "history"}]
    roster = _roster(write_roster, small_catalog, rows)
    per_student: dict[str, Counter] = {r["student_id"]: Counter() for r in rows}
    for seed in range(600):
        for a in assign(roster, seed, catalog=small_catalog):
            per_student[a.student_id][a.career_id] += 1
    for sid, counts in per_student.items():
        cats = sorted(NON_TRAD_ANY | ({"epsilon-curator"} if sid == "h0" else set()))
        assert set(counts) == set(cats), sid
        assert _chi_square(counts, cats) < CHI2_CRIT_001[len(cats) - 1], (sid, counts)


def test_fair_when_choices_overlap_unevenly(small_catalog, write_roster):
    """A student with a narrow, unusual choice is not pushed onto the careers nobody else can take."""
    rows = [
        {"student_id": "h0", "discipline": "history", "avoid": ""},
        {"student_id": "b1", "discipline": "biology", "avoid": ""},
        {"student_id": "z", "discipline": "history", "avoid": "gamma-officer;delta-scientist"},
    ]
    roster = _roster(write_roster, small_catalog, rows)
    counts = Counter(assign(roster, seed, catalog=small_catalog).get("z").career_id for seed in range(900))
    cats = ["alpha-analyst", "beta-writer", "epsilon-curator"]
    assert set(counts) == set(cats)
    assert _chi_square(counts, cats) < 13.82, counts  # df 2, p = 0.001


def _chi2_critical(df: int, z: float = 3.09) -> float:
    """Chi-square critical value at p = 0.001 (Wilson-Hilferty approximation)."""
    return df * (1 - 2 / (9 * df) + z * (2 / (9 * df)) ** 0.5) ** 3


def test_fair_on_the_real_catalog_for_the_demo_roster(catalog, demo_roster):
    """Over 300 seeds every demo student's draws are uniform over their eligible careers (pooled chi-square)."""
    seeds = 300
    counts = {s.student_id: Counter() for s in demo_roster}
    for seed in range(seeds):
        for a in assign(demo_roster, seed, catalog=catalog):
            counts[a.student_id][a.career_id] += 1
    chi2, df = 0.0, 0
    for student in demo_roster:
        eligible = [c.id for c in eligible_careers(student, catalog)]
        got = counts[student.student_id]
        assert set(got) <= set(eligible)
        assert len(got) >= 0.8 * len(eligible), student.student_id
        chi2 += _chi_square(got, eligible)
        df += len(eligible) - 1
    assert chi2 < _chi2_critical(df), (chi2, df)


def test_traditional_careers_only_when_asked(small_catalog, write_roster):
    """Traditional careers are never drawn by default and can be with include_traditional."""
    roster = _roster(write_roster, small_catalog, [{"student_id": f"s{i}"} for i in range(6)])
    assert all(a.career_id != "zeta-professor" for seed in range(20) for a in assign(roster, seed, catalog=small_catalog))
    with_trad = assign(roster, 0, catalog=small_catalog, include_traditional=True)
    assert "zeta-professor" in with_trad.counts()


def test_avoid_by_career_and_by_sector(small_catalog, write_roster):
    """A student's avoid list excludes careers named by id and careers of a named sector."""
    roster = _roster(write_roster, small_catalog, [{"student_id": "s1", "discipline": "biology", "avoid": "alpha-analyst;communication_media"}])
    got = {assign(roster, seed, catalog=small_catalog).get("s1").career_id for seed in range(40)}
    assert got == {"gamma-officer", "delta-scientist"}


def test_eligibility_follows_discipline(small_catalog, write_roster):
    """Only a humanities student can draw the humanities-only career."""
    roster = _roster(write_roster, small_catalog, [{"student_id": "bio", "discipline": "biology"}, {"student_id": "hist", "discipline": "history"}])
    seen: dict[str, set[str]] = {"bio": set(), "hist": set()}
    for seed in range(60):
        for a in assign(roster, seed, catalog=small_catalog):
            seen[a.student_id].add(a.career_id)
    assert "epsilon-curator" not in seen["bio"]
    assert "epsilon-curator" in seen["hist"]


def test_redraw_changes_one_student_only(catalog, demo_roster, tmp_path):
    """A redraw gives the student another career, records the reason, and touches nobody else."""
    first = assign(demo_roster, 4, catalog=catalog)
    previous = load_assignments(first.write_csv(tmp_path / "a.csv"))
    after = redraw(demo_roster, 4, previous=previous, student_id="s005", reason="already works in this field", catalog=catalog)
    for a in after:
        if a.student_id == "s005":
            assert a.career_id != first.get("s005").career_id
            assert a.rule == "redrawn" and "already works in this field" in a.reason
            assert first.get("s005").career_id in a.reason
        else:
            assert a.career_id == first.get(a.student_id).career_id


def test_redraw_needs_a_reason_and_a_previous_career(catalog, demo_roster, tmp_path):
    """A redraw without a reason, or of a student with no previous career, is refused."""
    previous = load_assignments(assign(demo_roster, 4, catalog=catalog).write_csv(tmp_path / "a.csv"))
    with pytest.raises(AssignmentError, match="needs a reason"):
        redraw(demo_roster, 4, previous=previous, student_id="s001", reason="  ", catalog=catalog)
    with pytest.raises(DataError, match="Unknown student 's999'"):
        redraw(demo_roster, 4, previous=previous, student_id="s999", reason="x", catalog=catalog)


def test_every_row_records_seed_and_rule(catalog, demo_roster):
    """The CSV carries the seed and the rule of each assignment so it can be audited."""
    text = assign(demo_roster, 99, catalog=catalog).to_csv()
    header, *rows = text.splitlines()
    assert header.startswith("student_id,career_id,career_title,sector")
    assert "seed" in header and "rule" in header
    assert all(",99,drawn," in r for r in rows)


def test_no_eligible_career_is_a_clear_error(small_catalog):
    """A student whose avoid list leaves nothing eligible gets an error naming them and the line."""
    roster = load_roster(DATA / "roster" / "no_eligible.csv", small_catalog)
    with pytest.raises(AssignmentError, match=r"no_eligible.csv line 2 \(avoid\): student 'h1' has no eligible career left"):
        assign(roster, 1, catalog=small_catalog)


def test_career_gone_from_catalog_is_redrawn_with_reason(small_catalog, write_roster, tmp_path):
    """A previous career that left the catalog is redrawn, and the file says why."""
    roster = _roster(write_roster, small_catalog, [{"student_id": "s1"}, {"student_id": "s2"}])
    prev = tmp_path / "prev.csv"
    prev.write_text("student_id,career_id,seed,rule\ns1,retired-career,3,drawn\ns2,beta-writer,3,drawn\n", encoding="utf-8")
    result = assign(roster, 3, catalog=small_catalog, previous=load_assignments(prev))
    assert result.get("s1").rule == "redrawn" and "no longer in the catalog" in result.get("s1").reason
    assert result.get("s2").career_id == "beta-writer"


def test_previous_file_with_duplicates_is_an_error(tmp_path):
    """A previous assignment file listing a student twice is refused with the line."""
    prev = tmp_path / "prev.csv"
    prev.write_text("student_id,career_id\ns1,a\ns1,b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"prev.csv line 3 \(student_id\): duplicate"):
        load_assignments(prev)
