"""The catalogs: shipped content meets the course's needs, and every broken file is a clear error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from careerkit.catalog import COMPETENCY_IDS, load_catalog
from careerkit.errors import DataError, UnknownCareerError, UnknownCompetencyError

from conftest import DATA

BROKEN = DATA / "catalog"
NON_TRADITIONAL_SECTORS = (
    "business_development", "regulatory_affairs", "quality", "finance_investment", "consulting",
    "policy_government", "communication_media", "intellectual_property", "sales_marketing",
    "data_technology", "entrepreneurship", "clinical_health", "education_outreach",
)


def test_at_least_80_careers_biased_to_non_traditional(catalog):
    """The catalog has 80+ careers, most of them non-traditional, and some traditional ones marked."""
    assert len(catalog) >= 80
    traditional = [c for c in catalog if c.traditional]
    assert 3 <= len(traditional) <= len(catalog) // 5
    assert all(c.sector == "academic_research" for c in traditional)


def test_every_non_traditional_sector_has_careers(catalog):
    """Each sector the course is about offers at least five careers."""
    counts = Counter(c.sector for c in catalog if not c.traditional)
    for sector in NON_TRADITIONAL_SECTORS:
        assert counts[sector] >= 5, sector


def test_careers_have_all_fields(catalog):
    """Every career has title, two-sentence description, entry routes and eight weights 0-3."""
    for c in catalog:
        assert c.title and c.entry_routes
        assert c.description.count(". ") + 1 >= 2 or c.description.count(".") >= 2, c.id
        assert set(c.competencies) == set(COMPETENCY_IDS)
        assert all(0 <= w <= 3 for w in c.competencies.values())
        assert c.disciplines


def test_every_discipline_has_non_traditional_options(catalog):
    """Every discipline can reach at least ten non-traditional careers."""
    for d in catalog.discipline_ids:
        eligible = [c for c in catalog if not c.traditional and c.draws_on(d)]
        assert len(eligible) >= 10, d


def test_competencies_have_definitions_and_indicators(catalog):
    """The eight NACE competencies come with a definition and observable indicators."""
    assert tuple(c.id for c in catalog.competencies) == COMPETENCY_IDS
    for comp in catalog.competencies:
        assert comp.definition and len(comp.indicators) >= 5


def test_discipline_aliases_resolve(catalog):
    """Roster spellings such as 'Biology' or 'mechanical engineering' map to discipline ids."""
    assert catalog.resolve_discipline("Biology") == "life_sciences"
    assert catalog.resolve_discipline("  HISTORY ") == "humanities"
    assert catalog.resolve_discipline("Mechanical Engineering") == "engineering"
    assert catalog.resolve_discipline("underwater basket weaving") is None


def test_unknown_career_suggests_the_closest(catalog):
    """Looking up a misspelt career id raises UnknownCareerError (also a LookupError) with a suggestion."""
    some = catalog.careers[0].id
    with pytest.raises(LookupError, match=f"did you mean '{some}'"):
        catalog.career(some[:-1] + "x")
    with pytest.raises(UnknownCareerError):
        catalog.career("no-such-career-at-all")


def test_unknown_competency_is_an_error(catalog):
    """Asking a career for a competency that does not exist is an error, not a zero."""
    with pytest.raises(UnknownCompetencyError, match="did you mean 'teamwork'"):
        catalog.careers[0].weight("team_work")


def test_small_fixture_catalog_loads(small_catalog):
    """The six-career fixture loads with the shipped sectors and disciplines."""
    assert [c.id for c in small_catalog][:2] == ["alpha-analyst", "beta-writer"]
    assert small_catalog.career("zeta-professor").traditional


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("unknown_sector.yaml", r"entry 1 \(id 'alpha-analyst'\) field 'sector': unknown sector 'consultancy'; did you mean 'consulting'"),
        ("duplicate_id.yaml", r"entry 2 \(id 'alpha-analyst'\): duplicate id 'alpha-analyst' \(first used by entry 1\)"),
        ("unknown_competency.yaml", r"field 'competencies': unknown competency 'team_work'; did you mean 'teamwork'"),
        ("weight_out_of_range.yaml", r"field 'competencies.communication': weight 5 out of range; use a whole number 0-3"),
        ("missing_weight.yaml", r"field 'competencies': no weight for technology"),
        ("unknown_discipline.yaml", r"field 'disciplines': unknown id 'biologee'"),
        ("missing_title.yaml", r"field 'title': missing or empty"),
        ("bad_slug.yaml", r"field 'id': 'Alpha_Analyst' is not a slug"),
        ("bad_onet.yaml", r"field 'onet_soc': '13-1111' is not an O\*NET-SOC code"),
        ("not_a_list.yaml", r"expected a non-empty list of entries"),
        ("bad_yaml.yaml", r"bad_yaml.yaml line \d+: not valid YAML"),
        ("not_boolean_traditional.yaml", r"field 'traditional': expected true or false"),
        ("unknown_value.yaml", r"field 'values_met': unknown id 'fame'"),
    ],
)
def test_broken_careers_file_is_a_clear_error(fixture: str, message: str):
    """Each kind of broken careers file names the file, the entry, the field and the problem."""
    with pytest.raises(DataError, match=message) as info:
        load_catalog(careers=BROKEN / fixture)
    assert fixture in str(info.value)


def test_missing_catalog_file_is_a_clear_error(tmp_path: Path):
    """A catalog folder without sectors.yaml is a DataError naming the file, not a traceback."""
    with pytest.raises(DataError, match="sectors.yaml: file not found"):
        load_catalog(tmp_path)


def test_default_catalog_is_cached():
    """Loading the shipped catalog twice returns the same object (cheap in notebooks)."""
    assert load_catalog() is load_catalog()
