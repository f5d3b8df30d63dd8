"""Student profiles: loading with clear errors, strengths, and the gap to a career."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerkit.catalog import COMPETENCY_IDS
from careerkit.errors import DataError
from careerkit.files import data_path
from careerkit.profile import Profile, SelfRating, gap, load_profile, neutral_profile, profile_from_dict, save_profile

from conftest import DATA

PROFILES = DATA / "profile"


def _profile(ratings: dict[str, int], values: tuple[str, ...] = (), **kwargs: object) -> Profile:
    return Profile(ratings=tuple(SelfRating(competency=c, rating=r) for c, r in ratings.items()), values=values, **kwargs)  # type: ignore[arg-type]


def test_valid_profile_loads_and_resolves_the_discipline_alias(kit):
    """A profile file loads; 'Chem' resolves to the discipline id 'chemistry'; ratings come in catalog order."""
    p = load_profile(PROFILES / "valid.json", catalog=kit)
    assert p.student_id == "p01" and p.discipline == "chemistry"
    assert p.values == ("impact", "variety", "balance")
    assert [r.competency for r in p.ratings] == list(COMPETENCY_IDS)
    assert p.rating("critical_thinking") == 3 and p.evidence("leadership") == "I chair the student seminar committee."
    assert p.evidence("teamwork") == ""


def test_shipped_example_profile_loads(catalog):
    """data/examples/profile.json is a valid demo student with evidence for several competencies."""
    p = load_profile(data_path("examples/profile.json"), catalog=catalog)
    assert p.discipline in catalog.discipline_ids
    assert len(p.values) >= 3 and sum(bool(r.evidence) for r in p.ratings) >= 3


def test_save_then_load_round_trips(kit, tmp_path: Path):
    """Saving a profile and loading it back gives an equal profile."""
    p = load_profile(PROFILES / "valid.json", catalog=kit)
    path = save_profile(p, tmp_path / "me.json")
    assert load_profile(path, catalog=kit) == p


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        ("unknown_value.json", ["(values[1])", "'varity'", "did you mean 'variety'"]),
        ("duplicate_value.json", ["(values[3])", "listed twice"]),
        ("unknown_discipline.json", ["(discipline)", "'chemistri'", "did you mean 'chemistry'"]),
        ("unknown_sector.json", ["(sectors[0])", "did you mean 'consulting'"]),
        ("rating_out_of_range.json", ["(competencies.teamwork)", "4", "0-3"]),
        ("rating_not_a_number.json", ["(competencies.technology)", "'high'"]),
        ("missing_competency.json", ["(competencies)", "leadership"]),
        ("unknown_competency.json", ["(competencies.teamwrok)", "did you mean 'teamwork'"]),
        ("unknown_field.json", ["(valeus)", "did you mean 'values'"]),
        ("bad_student_id.json", ["(student_id)", "'p 01'"]),
        ("not_json.json", ["line 2", "not valid JSON"]),
        ("not_an_object.json", ["expected a JSON object"]),
    ],
)
def test_broken_profile_is_a_clear_error(kit, fixture: str, fragments: list[str]):
    """Each broken profile file raises a DataError naming the file, the field and the problem."""
    with pytest.raises(DataError) as info:
        load_profile(PROFILES / fixture, catalog=kit)
    message = str(info.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message


def test_missing_profile_file_is_a_clear_error(kit, tmp_path: Path):
    """A missing file is a DataError that says so, not a FileNotFoundError traceback."""
    with pytest.raises(DataError, match="file not found"):
        load_profile(tmp_path / "nobody.json", catalog=kit)


@pytest.mark.parametrize("rating", [-1, 4, True, 1.5])
def test_self_rating_outside_0_to_3_is_rejected(rating: object):
    """A self-rating must be a whole number 0-3."""
    with pytest.raises(DataError, match="0-3"):
        SelfRating(competency="teamwork", rating=rating)  # type: ignore[arg-type]


def test_profile_needs_all_eight_ratings():
    """A profile rating only some competencies names the missing ones."""
    with pytest.raises(DataError, match="technology"):
        Profile(discipline=None, ratings=tuple(SelfRating(competency=c, rating=1) for c in COMPETENCY_IDS[:-1]))


def test_gap_ranks_by_weight_minus_rating_with_deterministic_ties(kit):
    """The biggest (career weight - self-rating) comes first; ties go to the heavier weight, then catalog order."""
    # alpha-analyst weights: cd 1, comm 3, ct 3, ei 1, lead 2, prof 2, team 2, tech 1
    p = _profile(dict(zip(COMPETENCY_IDS, (0, 1, 1, 0, 0, 2, 2, 3), strict=True)))
    g = gap(p, kit.career("alpha-analyst"), catalog=kit)
    assert [x.competency for x in g.ranked[:5]] == ["communication", "critical_thinking", "leadership", "career_development", "equity_inclusion"]
    assert [x.size for x in g.ranked[:5]] == [2, 2, 2, 1, 1]
    assert g.competencies == ("communication", "critical_thinking", "leadership", "career_development", "equity_inclusion")
    assert [x.competency for x in g.top(2)] == ["communication", "critical_thinking"]
    assert g.ranked[-1].competency == "technology" and g.ranked[-1].size == -2


def test_gap_top_skips_competencies_the_career_does_not_use(kit):
    """top() never names a competency the career weighs 0, even for a student who rates it 0."""
    p = _profile({c: 3 for c in COMPETENCY_IDS} | {"leadership": 0})
    top = gap(p, kit.career("beta-writer"), catalog=kit).top(8)  # beta-writer: leadership 0
    assert "leadership" not in [x.competency for x in top]


def test_gap_sorts_values_into_met_strained_and_unknown(kit):
    """Values the career meets, strains, or says nothing about are told apart, in the student's order."""
    p = _profile({c: 1 for c in COMPETENCY_IDS}, values=("balance", "learning", "impact", "variety"))
    g = gap(p, kit.career("alpha-analyst"), catalog=kit)
    assert g.met == ("learning", "variety") and g.strained == ("balance",) and g.unknown == ("impact",)
    assert [v.rank for v in g.values] == [1, 2, 3, 4]
    assert "Values likely strained: balance" in str(g)
    assert "<table>" in g._repr_html_()


def test_strengths_prefer_high_ratings_with_evidence(kit):
    """Strengths are the highest ratings; at equal rating the one with evidence comes first."""
    p = profile_from_dict(
        {
            "discipline": None,
            "competencies": {c: 1 for c in COMPETENCY_IDS} | {"teamwork": 3, "technology": {"rating": 3, "evidence": "I wrote our lab's pipeline."}},
        },
        catalog=kit,
    )
    assert [r.competency for r in p.strengths(2)] == ["technology", "teamwork"]


def test_neutral_profile_rates_everything_the_same():
    """The neutral profile has no discipline, values or interests and equal ratings."""
    p = neutral_profile()
    assert p.discipline is None and p.values == () and p.sectors == ()
    assert len({r.rating for r in p.ratings}) == 1


def test_profile_html_escapes_evidence():
    """Evidence text is escaped in the notebook view."""
    ratings = tuple(SelfRating(competency=c, rating=1, evidence="<b>bold</b>" if c == "teamwork" else "") for c in COMPETENCY_IDS)
    p = Profile(discipline=None, ratings=ratings)
    assert "<b>bold</b>" not in p._repr_html_() and "&lt;b&gt;" in p._repr_html_()
    assert "teamwork" in str(p)
