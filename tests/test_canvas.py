"""Business model canvases: loading, linking checks that teach, scoring, the printable layout, Markdown, figure."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from careerkit import canvas
from careerkit.canvas import BLOCKS, BUSINESS_BLOCKS, LEAN_BLOCKS, LEAN_REPLACES, Canvas, DrawsOn, Entry
from careerkit.canvas_review import DEFAULT_MAX_POINTS, is_vague
from careerkit.drafts import has_errors
from careerkit.errors import DataError, UsageError
from careerkit.files import data_path

from conftest import DATA

CANVASES = DATA / "canvas"
EXAMPLE = data_path("examples/canvas.json")


class _Blocks(HTMLParser):
    """Collects the data-block of every block section, the tags and the text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "ck-block" in (a.get("class") or "").split():
            self.blocks.append(a.get("data-block") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html_text: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(html_text)
    return parser


def test_example_canvas_passes_every_check_and_scores_full_marks():
    """The shipped example (biotech regulatory consulting) has no findings; its score is 10 of 10, criterion by criterion."""
    cv = canvas.load(EXAMPLE)
    assert canvas.check(cv) == ()
    result = canvas.score(cv)
    assert result.to_dict()["criteria"] == {
        "completeness": {"points": 4.0, "max": 4.0},
        "coherence": {"points": 3.0, "max": 3.0},
        "specificity": {"points": 3.0, "max": 3.0},
    }
    assert (result.total, result.max) == (10.0, 10.0) and len(result.feedback) == 1
    assert cv.draws_on.competencies == ("critical_thinking", "communication", "professionalism")


@pytest.mark.parametrize("name", ["valid.json", "lean_variant.json", "implied_links.json"])
def test_complete_canvases_have_no_findings(name):
    """A linked canvas, a Lean Canvas, and a one-segment canvas of plain texts (links implied) pass every check."""
    assert canvas.check_file(CANVASES / name) == ()


@pytest.mark.parametrize(
    ("name", "severity", "field", "words"),
    [
        ("empty_block.json", "error", "key_partners", "The Key partners block is empty: Who helps you"),
        ("unserved_segment.json", "warning", "customer_segments[1]", "No value proposition serves 'Town councils"),
        ("unreached_segment.json", "warning", "customer_segments[1]", "No channel reaches 'Town councils"),
        ("revenue_without_payer.json", "warning", "revenue_streams[1]", "Say who pays for 'Subscription"),
        ("revenue_without_mechanism.json", "warning", "revenue_streams[1]", "Say how they pay"),
        ("costs_miss_activity.json", "warning", "key_activities[1]", "No cost covers 'Writing site reports"),
        ("wrong_block_link.json", "error", "cost_structure[0].covers", "'seg-councils' is in Customer segments, not a key activity"),
        ("empty_entry.json", "error", "key_resources[1]", "is empty; write it or delete it"),
        ("overlong_entry.json", "error", "key_resources[1]", "keep entries to 160"),
        ("too_many_entries.json", "warning", "key_partners", "keep the 6 that matter most"),
        ("lean_unsolved_problem.json", "warning", "problem[1]", "No solution solves 'Private plant labs"),
    ],
)
def test_each_broken_canvas_gives_exactly_its_finding(name, severity, field, words):
    """Each broken fixture yields one finding, on the right field, saying what to do."""
    (finding,) = canvas.check_file(CANVASES / name)
    assert (finding.severity, finding.field) == (severity, field)
    assert words in finding.message
    assert str(finding) == f"{field}: {finding.message}"


def test_unknown_link_is_an_error_with_a_suggestion():
    """A link to an id that does not exist is an error naming the closest id; the segment it meant goes unserved."""
    findings = canvas.check_file(CANVASES / "unknown_link.json")
    assert [(f.severity, f.field) for f in findings] == [("error", "value_propositions[0].segments"), ("warning", "customer_segments[0]")]
    assert "'seg-gardener' names no entry; did you mean 'seg-gardeners'?" in findings[0].message
    assert has_errors(findings)


def test_vague_entries_are_flagged_one_by_one():
    """'Social media', 'Marketing' and 'Stuff' are each flagged as too vague to act on."""
    findings = canvas.check_file(CANVASES / "vague_entries.json")
    assert [f.field for f in findings] == ["channels[0]", "channels[1]", "key_resources[0]"]
    assert all(f.severity == "warning" and "too vague" in f.message for f in findings)
    assert not has_errors(findings)


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("people", True), ("Everyone", True), ("All our customers", True), ("social media marketing", True), ("Money", True), ("", True),
        ("LinkedIn", False), ("Diagnostics startups of 2-15 people", False), ("Talks at incubator demo days", False),
    ],
)
def test_vagueness_means_every_word_is_generic(text, vague):
    """An entry is vague when all its words are generic or filler; one specific word is enough to act on."""
    assert is_vague(text) is vague


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("not_json.json", "line 1: not valid JSON"),
        ("wrong_types.json", "field 'channels[0]': expected text or an object"),
        ("block_not_a_list.json", "field 'channels': expected a list"),
        ("misplaced_link.json", "field 'channels[0].covers': unknown field; 'covers' is only for cost_structure entries"),
        ("unknown_block.json", "field 'customer_segment': unknown field; did you mean 'customer_segments'?"),
        ("bad_variant.json", "field 'variant': 'lean canvas' is not a canvas variant"),
        ("lean_block_in_business.json", "'problem' is a Lean Canvas block; set \"variant\": \"lean\" or use 'key_partners'"),
        ("business_block_in_lean.json", "'key_partners' is a Business Model Canvas block, not a Lean Canvas one"),
        ("duplicate_id.json", "field 'key_activities[1].id': id 'act-diagnose' is already used by key_activities[0]"),
        ("bad_id.json", "field 'customer_segments[0].id': \"Seg Gardeners\" is not an id"),
        ("bad_draws_on.json", "field 'draws_on.values': unknown value 'wealth'"),
        ("bad_draws_on_competency.json", "field 'draws_on.competencies': unknown competency 'comunication'; did you mean 'communication'?"),
    ],
)
def test_structural_problems_raise_a_data_error_naming_file_and_field(name, words):
    """Not JSON, wrong types, misplaced or misspelt keys, duplicate ids and unknown draws_on ids stop loading."""
    with pytest.raises(DataError) as info:
        canvas.load(CANVASES / name)
    assert str(info.value).startswith(str(CANVASES / name))
    assert words in str(info.value)


def test_lean_blocks_take_the_places_maurya_gave_them():
    """problem/solution/key_metrics/unfair_advantage replace key_partners/key_activities/key_resources/customer_relationships."""
    assert dict(LEAN_REPLACES) == {"problem": "key_partners", "solution": "key_activities", "key_metrics": "key_resources", "unfair_advantage": "customer_relationships"}
    assert [LEAN_REPLACES.get(b, b) for b in LEAN_BLOCKS] == list(BUSINESS_BLOCKS)
    cv = canvas.load(CANVASES / "lean_variant.json")
    assert cv.variant == "lean" and tuple(cv.blocks) == BLOCKS["lean"]
    assert "Unique value proposition" in cv.to_html()


def test_missing_blocks_load_as_empty_and_are_reported():
    """A draft that leaves out a block still loads; check reports the block as empty."""
    cv = Canvas(title="Draft", blocks={"customer_segments": ["Allotment gardeners with recurring plant disease"]})  # type: ignore[dict-item]
    assert tuple(cv.blocks) == BUSINESS_BLOCKS and cv.block("channels") == ()
    empty = [f.field for f in cv.check() if "block is empty" in f.message]
    assert empty == list(BUSINESS_BLOCKS[1:])


def test_score_points_are_plain_floats_within_their_maxima():
    """Every fixture's points are Python floats between 0 and each criterion's maximum, and add up to the total."""
    for path in sorted(CANVASES.glob("*.json")):
        try:
            result = canvas.score_file(path)
        except DataError:
            continue
        for c in result.criteria.values():
            assert type(c.points) is float and 0.0 <= c.points <= c.max
        assert type(result.total) is float and 0.0 <= result.total <= result.max == DEFAULT_MAX_POINTS
        assert abs(sum(result.points.values()) - result.total) < 0.02


def test_a_half_empty_canvas_scores_lower_and_says_what_to_improve():
    """Four empty blocks, a vague channel and unreached segments cost points, and the feedback names them."""
    full, half = canvas.score_file(CANVASES / "valid.json"), canvas.score_file(CANVASES / "half_empty.json")
    assert half.total < full.total - 2
    assert half.criteria["completeness"].points == pytest.approx(4 * 5 / 9, abs=0.01)
    assert half.criteria["coherence"].points < 3 and half.criteria["specificity"].points < 3
    text = " ".join(half.feedback)
    assert "Fill in the empty blocks: Customer relationships, Key resources, Key partners, Cost structure." in text
    assert "'Marketing'" in text and "No channel reaches" in text


def test_an_empty_canvas_scores_zero_with_a_first_step():
    """A canvas with nothing in it scores 0 and the feedback says where to start."""
    result = canvas.score(Canvas())
    assert result.total == 0.0 and all(p == 0.0 for p in result.points.values())
    assert any("start with who your customers are" in s for s in result.feedback)


def test_money_entries_without_a_number_and_short_entries_lose_a_little_specificity():
    """A revenue stream with no amount earns 0.75 of an entry; a two-word entry 0.5; the feedback says why."""
    cv = canvas.load(CANVASES / "valid.json")
    blocks = dict(cv.blocks)
    blocks["revenue_streams"] = (Entry(text="Fee per sample, paid by the gardener"), blocks["revenue_streams"][1])
    blocks["key_resources"] = (Entry(text="Microscope bench"),)
    result = canvas.score(Canvas(title=cv.title, blocks=blocks))
    n = sum(len(e) for e in blocks.values())
    assert result.criteria["specificity"].points == pytest.approx(3 * (n - 0.75) / n, abs=0.01)
    assert any("rough number" in s for s in result.feedback) and any("'Microscope bench'" in s for s in result.feedback)


def test_weights_and_max_points_are_configurable():
    """Weights override the default shares and are scaled so the criteria add up to max_points."""
    result = canvas.score_file(CANVASES / "half_empty.json", {"completeness": 1, "coherence": 1, "specificity": 2}, max_points=20)
    assert result.max == 20.0
    assert [c.max for c in result.criteria.values()] == [5.0, 5.0, 10.0]
    only = canvas.score_file(CANVASES / "half_empty.json", {"coherence": 0, "specificity": 0})
    assert only.criteria["completeness"].max == 10.0 and only.total == pytest.approx(10 * 5 / 9, abs=0.01)


@pytest.mark.parametrize(
    ("weights", "max_points", "words"),
    [({"coherance": 1}, None, "did you mean .coherence."), ({"coherence": -1}, None, ">= 0"), ({"completeness": 0, "coherence": 0, "specificity": 0}, None, "above 0"), (None, 0, "positive")],
)
def test_bad_weights_are_refused(weights, max_points, words):
    """Unknown criteria, negative weights, all-zero weights and a non-positive maximum are usage errors."""
    with pytest.raises(UsageError, match=words):
        canvas.score(canvas.load(CANVASES / "valid.json"), weights, max_points=max_points)


def test_score_to_dict_is_json_ready_for_the_cli():
    """to_dict() gives total, max, per-criterion points and max, and feedback, and serialises to JSON."""
    data = json.loads(json.dumps(canvas.score_file(CANVASES / "half_empty.json").to_dict()))
    assert set(data) == {"total", "max", "criteria", "feedback"}
    assert set(data["criteria"]) == {"completeness", "coherence", "specificity"}
    assert all(set(v) == {"points", "max"} for v in data["criteria"].values())


def test_rendered_page_draws_the_nine_blocks_in_the_classic_layout():
    """The standalone page has nine blocks, each placed in its grid area, the entries' text, and print CSS."""
    cv = canvas.load(EXAMPLE)
    page = canvas.render_file(EXAMPLE)
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "landscape" in page
    assert sorted(parsed.blocks) == sorted(BUSINESS_BLOCKS)
    assert '"kp kp ka ka vp vp cr cr cs cs"' in page and ".ck-at-key_partners { grid-area: kp; }" in page
    assert parsed.tags.count("li") == sum(len(e) for e in cv.blocks.values())
    assert any("Diagnostics startups of 2-15 people" in t for t in parsed.text)


def test_lean_blocks_sit_where_the_blocks_they_replace_would():
    """In a Lean Canvas page, the problem block carries the key partners' grid position."""
    page = canvas.load(CANVASES / "lean_variant.json").to_html()
    assert 'class="ck-block ck-at-key_partners" data-block="problem"' in page
    assert sorted(_parse(page).blocks) == sorted(LEAN_BLOCKS)


def test_student_text_is_escaped_in_the_page_and_markdown_keeps_it_verbatim():
    """A <script> in an entry is escaped in HTML and in the figure; Markdown keeps the student's words."""
    cv = canvas.load(CANVASES / "script_text.json")
    page = cv.to_html()
    assert "script" not in _parse(page).tags and "&lt;script&gt;" in page
    assert "<script>" not in cv._repr_html_()
    assert all("<script>" not in a.text for a in cv.figure().layout.annotations)


def test_markdown_export_has_a_section_per_block_with_ids_and_links():
    """to_markdown() has the title, one '## ' section per block and each entry's id and links."""
    md = canvas.load(EXAMPLE).to_markdown()
    assert md.startswith("# FirstFile")
    assert sum(line.startswith("## ") for line in md.splitlines()) == 9
    assert "`seg-startups`" in md and "(for seg-startups; how: fixed fee per project)" in md


def test_figure_has_one_shape_and_one_annotation_per_block():
    """The plotly figure has nine rectangles and nine texts, each text headed by its block title."""
    fig = canvas.load(EXAMPLE).figure()
    assert len(fig.layout.shapes) == 9 and len(fig.layout.annotations) == 9
    assert {a.text.split("<br>")[0] for a in fig.layout.annotations} >= {"<b>Customer segments</b>", "<b>Cost structure</b>"}


def test_save_then_load_round_trips(tmp_path):
    """save() writes JSON that loads back to an equal canvas; plain entries stay plain text."""
    cv = canvas.load(EXAMPLE)
    out = canvas.save(cv, tmp_path / "canvas.json")
    assert canvas.load(out) == cv
    assert isinstance(json.loads(out.read_text(encoding="utf-8"))["key_partners"][0], str)


def test_draws_on_from_profile_takes_strong_competencies_and_top_values():
    """Competencies rated 2+ (best first, catalog order on ties) and the first values are kept, three of each."""
    ratings: dict[str, int | dict[str, object]] = {"communication": 3, "critical_thinking": {"rating": 3, "evidence": "..."}, "teamwork": 2, "leadership": 2, "technology": 0}
    d = canvas.draws_on_from_profile(ratings, ["impact", "learning", "autonomy", "balance"])
    assert d == DrawsOn(competencies=("communication", "critical_thinking", "leadership"), values=("impact", "learning", "autonomy"))
    with pytest.raises(DataError, match="unknown value 'wealth'"):
        canvas.draws_on_from_profile({}, ["wealth"])
    with pytest.raises(DataError, match="did you mean 'teamwork'"):
        canvas.draws_on_from_profile({"temwork": 2}, [])
    with pytest.raises(DataError, match="0-3"):
        canvas.draws_on_from_profile({"teamwork": 5}, [])


def test_models_validate_when_built_in_python():
    """Entries need text and slug ids; duplicate ids and blocks of the other variant are refused."""
    with pytest.raises(DataError, match="not a slug"):
        Entry(text="x", id="Bad Id")
    with pytest.raises(DataError, match="already used"):
        Canvas(blocks={"channels": (Entry(text="a", id="x"),), "key_partners": (Entry(text="b", id="x"),)})
    with pytest.raises(DataError, match="Lean Canvas block"):
        Canvas(blocks={"problem": ("x",)})  # type: ignore[dict-item]
    with pytest.raises(DataError, match="did you mean 'communication'"):
        DrawsOn(competencies=("comunication",))
    assert "Key partners: (empty)" in str(Canvas())
