"""The question bank and the interview-guide builder: budget, coverage, steering, no repeats, exports."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from careerkit.catalog import COMPETENCY_IDS, Catalog
from careerkit.errors import DataError, UnknownIdError, UsageError
from careerkit.files import data_path
from careerkit.guide import EMPTY_REASON, similarity
from careerkit.profile import Profile, SelfRating, load_profile, neutral_profile
from careerkit.questions import (
    CATEGORIES,
    NEAR_DUPLICATE,
    ORDER,
    REQUIRED,
    QuestionBank,
    build_guide,
    load_bank,
    render_guide,
)

from conftest import DATA

BANKS = DATA / "questions"
SEEDS = range(8)
LOW_A = frozenset({"communication", "teamwork", "leadership"})
LOW_B = frozenset({"technology", "critical_thinking", "professionalism"})


@pytest.fixture(scope="module")
def bank(kit: Catalog) -> QuestionBank:
    """The shipped question bank, validated against the fixture catalog."""
    return load_bank(data_path("questions.yaml"), catalog=kit)


@pytest.fixture(scope="module")
def small(kit: Catalog) -> QuestionBank:
    """Fourteen questions with near-duplicate pairs."""
    return load_bank(BANKS / "small_bank.yaml", catalog=kit)


@pytest.fixture(scope="module")
def student(kit: Catalog) -> Profile:
    """A chemistry student with evidence for two strengths."""
    return load_profile(DATA / "profile" / "valid.json", catalog=kit)


def _low(low: frozenset[str], high: frozenset[str]) -> Profile:
    ratings = tuple(SelfRating(competency=c, rating=0 if c in low else 3 if c in high else 2) for c in COMPETENCY_IDS)
    return Profile(ratings=ratings)


def test_shipped_bank_is_valid_and_covers_every_category():
    """data/questions.yaml loads against the shipped catalog, with questions in every category and referral questions."""
    bank = load_bank()
    counts = bank.counts()
    assert set(counts) == set(CATEGORIES) and all(counts[c] >= 5 for c in CATEGORIES)
    assert len(bank) >= 150
    assert any(q.is_referral for q in bank)


@pytest.mark.parametrize("minutes", [10, 15, 25, 40, 60])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_guide_fits_the_time_budget_and_covers_required_categories(bank, kit, student, minutes, seed):
    """Intro plus questions fit the budget; path first, then the rest, closing last; required categories present."""
    guide = build_guide(student, kit.career("alpha-analyst"), minutes, seed, bank, catalog=kit)
    assert guide.total_minutes <= minutes
    assert guide.total_minutes >= minutes - 3, "the budget should be nearly used"
    cats = [q.category for q in guide]
    assert set(REQUIRED) <= set(cats)
    assert cats[0] == "path" and cats[-1] == "closing"
    assert cats == sorted(cats, key=ORDER.index)
    closing = [q for q in guide if q.category == "closing"]
    assert closing[0].id in {q.id for q in bank if q.is_referral}
    assert guide.check() == ()


@pytest.mark.parametrize("minutes", [9, 9.5, 61, 0, -25, True])
def test_budget_outside_10_to_60_minutes_is_an_error(bank, kit, student, minutes):
    """A budget under 10 or over 60 minutes is refused with the allowed range."""
    with pytest.raises(UsageError, match="10 to 60 minutes"):
        build_guide(student, kit.career("alpha-analyst"), minutes, 0, bank, catalog=kit)


def test_default_budget_is_25_minutes(bank, kit, student):
    """Without a budget the guide is for 25 minutes."""
    assert build_guide(student, kit.career("beta-writer"), bank=bank, catalog=kit).minutes == 25


def test_gap_competencies_steer_the_selection(bank, kit):
    """Students with opposite gaps get guides leaning toward their own gap competencies, over many seeds."""
    career = kit.career("flat-generalist")
    a_profile, b_profile = _low(LOW_A, LOW_B), _low(LOW_B, LOW_A)

    def tagged(profile: Profile, competencies: frozenset[str]) -> int:
        return sum(bool(competencies & set(q.competencies)) for s in range(12) for q in build_guide(profile, career, 25, s, bank, catalog=kit))

    assert tagged(a_profile, LOW_A) > 2 * tagged(b_profile, LOW_A)
    assert tagged(b_profile, LOW_B) > 2 * tagged(a_profile, LOW_B)


def test_top_values_steer_the_selection(bank, kit):
    """A student who puts balance first gets more balance questions than one who puts income first."""
    career = kit.career("flat-generalist")
    ratings = tuple(SelfRating(competency=c, rating=2) for c in COMPETENCY_IDS)
    by_value = {v: Profile(ratings=ratings, values=(v,)) for v in ("balance", "income")}

    def count(profile: Profile, value: str) -> int:
        return sum(value in q.values for s in range(12) for q in build_guide(profile, career, 25, s, bank, catalog=kit))

    assert count(by_value["balance"], "balance") > count(by_value["income"], "balance")
    assert count(by_value["income"], "income") > count(by_value["balance"], "income")


def test_no_question_or_near_duplicate_is_repeated(bank, kit, student):
    """No guide asks the same question twice or two questions with mostly the same content words."""
    for seed, minutes in itertools.product(SEEDS, (25, 60)):
        guide = build_guide(student, kit.career("delta-scientist"), minutes, seed, bank, catalog=kit)
        assert len({q.id for q in guide}) == len(guide)
        for a, b in itertools.combinations(guide.questions, 2):
            assert similarity(a.text, b.text) < NEAR_DUPLICATE, (a.text, b.text)


def test_near_duplicates_in_the_bank_never_appear_together(small, kit, student):
    """Of each near-duplicate pair in a bank only one is asked, even when time would allow both."""
    pairs = [("path-01", "path-02"), ("day-01", "day-02"), ("skills-01", "skills-02"), ("closing-01", "closing-02")]
    for seed in range(20):
        ids = {q.id for q in build_guide(student, kit.career("alpha-analyst"), 60, seed, small, catalog=kit)}
        for a, b in pairs:
            assert not {a, b} <= ids, (seed, a, b)


def test_similarity_ignores_stopwords_and_plurals():
    """Similarity compares content words: re-worded questions score high, different ones low."""
    assert similarity("What does a typical day look like for you?", "What does your typical day look like?") == 1.0
    assert similarity("Which skills matter most?", "Which skill matters the most?") == 1.0
    assert similarity("How much did luck shape your path?", "Which groups are worth joining?") == 0.0


def test_same_seed_same_guide_other_seeds_differ(bank, kit, student):
    """A seed always gives the same guide; different seeds give different guides."""
    career = kit.career("epsilon-curator")
    first = build_guide(student, career, 30, 3, bank, catalog=kit)
    assert build_guide(student, career, 30, 3, bank, catalog=kit) == first
    others = {tuple(q.id for q in build_guide(student, career, 30, s, bank, catalog=kit)) for s in range(6)}
    assert len(others) >= 4


def test_why_and_hope_are_prefilled_and_name_the_gap(bank, kit):
    """Every question has a why and a hope; a question that probes a gap competency says so in its why."""
    profile = _low(frozenset({"technology"}), frozenset())
    guide = build_guide(profile, kit.career("delta-scientist"), 40, 0, bank, catalog=kit)
    assert all(q.why.strip() and q.hope.strip() for q in guide)
    probing = [q for q in guide if "technology" in q.probes]
    assert probing, "a student weak in technology should be asked about it"
    assert all("technology" in q.why.lower() and "0/3" in q.why for q in probing)
    assert not any("{" in text for q in guide for text in (q.text, q.why, q.hope))


def test_introduction_draws_on_the_profile(bank, kit, student):
    """The introduction names the discipline, one strength with its evidence and why this career."""
    intro = build_guide(student, kit.career("alpha-analyst"), 25, 0, bank, catalog=kit).intro.text
    assert "Chemistry" in intro
    assert "critical thinking: I found the bug in our group's fitting code." in intro
    assert "variety" in intro  # alpha-analyst meets the student's value 'variety'


def test_neutral_profile_guide_has_no_discipline_questions(bank, kit):
    """Without a discipline, no question needing {discipline} is asked and the intro invents no strength."""
    guide = build_guide(neutral_profile(), kit.career("beta-writer"), 40, 2, bank, catalog=kit)
    discipline_ids = {q.id for q in bank if "discipline" in q.placeholders}
    assert not discipline_ids & {q.id for q in guide}
    assert "strength" not in guide.intro.text


def test_edit_returns_a_new_guide_and_check_flags_empty_why_or_hope(bank, kit, student):
    """Editing replaces one question's why/hope in a copy; an empty hope is flagged in plain words."""
    guide = build_guide(student, kit.career("alpha-analyst"), 25, 0, bank, catalog=kit)
    target = guide.questions[2]
    edited = guide.edit(target.id, why="I want to hear it in my own words.")
    assert edited.questions[2].why == "I want to hear it in my own words." and guide.questions[2].why == target.why
    blank = edited.edit(3, hope="   ")
    problems = blank.check()
    assert len(problems) == 1 and target.id in problems[0] and EMPTY_REASON in problems[0]
    assert blank.edit(3, hope="A concrete example.").check() == ()
    with pytest.raises(UnknownIdError, match="did you mean"):
        guide.edit(target.id + "x", why="x")
    with pytest.raises(UnknownIdError, match="out of range"):
        guide.edit(99, why="x")


def test_records_markdown_and_html_exports(bank, kit, student):
    """Records carry category, text, why, hope, minutes, competencies; Markdown and HTML contain every question."""
    guide = build_guide(student, kit.career("alpha-analyst"), 25, 0, bank, catalog=kit)
    records = guide.to_records()
    assert len(records) == len(guide)
    assert {"category", "text", "why", "hope", "minutes", "competencies"} <= set(records[0])
    json.dumps(records)
    md = guide.to_markdown()
    page = guide.to_html()
    assert md.startswith("# Informational interview: Alpha Analyst")
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "break-inside: avoid" in page
    for q in guide:
        assert q.text in md
        assert q.why.replace("'", "&#x27;") in page
    assert guide._repr_html_().startswith("<div>") and "Alpha Analyst" in str(guide)


def test_html_escapes_profile_text(bank, kit):
    """Text from the student (evidence in the introduction) is escaped in the HTML page."""
    ratings = tuple(SelfRating(competency=c, rating=3 if c == "teamwork" else 1, evidence="<script>alert(1)</script>" if c == "teamwork" else "") for c in COMPETENCY_IDS)
    page = build_guide(Profile(ratings=ratings), kit.career("alpha-analyst"), 25, 0, bank, catalog=kit).to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        ("unknown_category.yaml", ["entry 1", "field 'category'", "did you mean 'path'"]),
        ("id_mismatch.yaml", ["field 'id'", "'day-01'", "path-01"]),
        ("bad_placeholder.yaml", ["field 'text'", "{carrer}", "did you mean 'career'"]),
        ("unbalanced_brace.yaml", ["field 'text'", "unbalanced braces"]),
        ("minutes_absurd.yaml", ["field 'minutes'", "45", "0.5 to 10"]),
        ("minutes_not_a_number.yaml", ["field 'minutes'", "'two'"]),
        ("unknown_competency.yaml", ["field 'competencies'", "did you mean 'communication'"]),
        ("unknown_value.yaml", ["field 'values'", "did you mean 'autonomy'"]),
        ("empty_hope.yaml", ["field 'hope'", "missing or empty"]),
        ("duplicate_id.yaml", ["entry 2", "duplicate id 'path-01'"]),
        ("no_referral.yaml", ["no closing referral question"]),
        ("no_network_luck.yaml", ["no 'network_luck' question"]),
    ],
)
def test_broken_bank_is_a_clear_error(kit, fixture, fragments):
    """Each broken bank raises a DataError naming the file, the entry and the field."""
    with pytest.raises(DataError) as info:
        load_bank(BANKS / fixture, catalog=kit)
    message = str(info.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message


def test_render_guide_for_the_command_line(catalog, tmp_path):
    """render_guide gives Markdown, HTML or a JSON list of question objects, for the example profile or none."""
    career = catalog.careers[0].id
    records = json.loads(render_guide(career, profile=data_path("examples/profile.json"), minutes=30, seed=2, fmt="json"))
    assert records and {"category", "text", "why", "hope", "minutes", "competencies"} <= set(records[0])
    assert sum(r["minutes"] for r in records) <= 30
    assert render_guide(career, fmt="html").startswith("<!DOCTYPE html>")
    assert render_guide(career).startswith("# Informational interview")
    with pytest.raises(UsageError, match="did you mean 'html'"):
        render_guide(career, fmt="htm")


def test_every_shipped_career_gets_a_complete_guide(catalog):
    """For the example profile and every shipped career, a 25-minute guide fits, is complete and has no placeholders left."""
    profile = load_profile(data_path("examples/profile.json"), catalog=catalog)
    for career in catalog:
        guide = build_guide(profile, career, catalog=catalog)
        assert guide.total_minutes <= 25 and guide.check() == ()
        assert set(REQUIRED) <= {q.category for q in guide}
        assert not re.search(r"[{}]", guide.to_markdown())
