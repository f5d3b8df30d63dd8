"""Storyboards: loading with clear errors, checks that teach, the printable comic strip, Markdown, figure."""

from __future__ import annotations

import datetime as dt
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from careerkit import storyboard
from careerkit.drafts import Finding, findings_text, has_errors
from careerkit.errors import DataError
from careerkit.files import data_path
from careerkit.pages import IMAGE_MAX_BYTES, data_uri, sniff_image
from careerkit.storyboard import MAX_PANELS, MIN_PANELS, TEXT_LIMIT, AdviserFeedback, Panel, Storyboard

from conftest import DATA

BOARDS = DATA / "storyboard"
EXAMPLE = data_path("examples/storyboard.json")
TODAY = dt.date(2026, 11, 1)


class _Tags(HTMLParser):
    """Collects (tag, attrs) of every start tag, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if name in (a.get("class") or "").split()]


def _parse(html_text: str) -> _Tags:
    parser = _Tags()
    parser.feed(html_text)
    return parser


def _check(name: str) -> tuple[Finding, ...]:
    return storyboard.check_file(BOARDS / name, today=TODAY)


def test_example_storyboard_passes_every_check():
    """The shipped example (biotech regulatory consulting) has no errors and no warnings."""
    sb = storyboard.load(EXAMPLE)
    assert storyboard.check(sb) == ()
    assert MIN_PANELS <= len(sb.panels) <= MAX_PANELS
    assert sb.panels[0].image == "panel1.svg" and sb.feedback[0].date <= dt.date.today()


def test_valid_fixture_loads_with_feedback_and_exposes_the_response():
    """A storyboard with adviser feedback loads; the student's response is exposed for reflection scoring."""
    sb = storyboard.load(BOARDS / "valid.json")
    assert _check("valid.json") == ()
    assert sb.feedback[0].role == "community garden coordinator"
    assert sb.feedback[0].date == dt.date(2026, 9, 1)
    assert sb.responses == (sb.feedback[0].response,) and sb.responses[0].startswith("I had not thought")


@pytest.mark.parametrize(
    ("name", "severity", "field", "words"),
    [
        ("too_few_panels.json", "error", "panels", "3 panels"),
        ("too_many_panels.json", "error", "panels", "11 panels"),
        ("empty_dialogue.json", "error", "panels[1].dialogue", "Panel 2 has no dialogue"),
        ("no_problem_first_panel.json", "warning", "panels[0]", "customer's problem"),
        ("no_outcome_last_panel.json", "warning", "panels[3]", "life is better"),
        ("missing_image.json", "error", "panels[0].image", "was not found"),
        ("not_an_image.json", "error", "panels[0].image", "is not a picture"),
        ("overlong_text.json", "error", "panels[2].direction", f"keep it to {TEXT_LIMIT}"),
        ("adviser_role_is_a_name.json", "error", "feedback[0].role", "role only"),
        ("future_feedback.json", "error", "feedback[0].date", "in the future"),
        ("no_response.json", "warning", "feedback[0].response", "Write your response"),
    ],
)
def test_each_broken_storyboard_gives_exactly_its_finding(name, severity, field, words):
    """Each broken fixture yields one finding, on the right field, in words a student understands."""
    (finding,) = _check(name)
    assert (finding.severity, finding.field) == (severity, field)
    assert words in finding.message
    assert str(finding) == f"{field}: {finding.message}" and "\n" not in str(finding)


def test_an_empty_draft_loads_and_lists_every_problem_at_once():
    """A draft with empty fields loads; check reports the title, persona, panel count and each empty field."""
    findings = _check("empty_draft.json")
    assert [f.field for f in findings] == ["title", "persona", "panels", "panels[0].scene", "panels[0].direction", "panels[0].dialogue"]
    assert has_errors(findings) and all(f.is_error for f in findings)
    assert findings_text(findings).splitlines()[0].startswith("error: title: ")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("not_json.json", "line 3: not valid JSON"),
        ("wrong_types.json", "field 'panels[3].direction': expected text, got 42"),
        ("missing_key.json", "field 'panels[2].dialogue': missing"),
        ("unknown_field.json", "field 'panels[1].dialog': unknown field; did you mean 'dialogue'?"),
        ("panels_not_a_list.json", "field 'panels': expected a list"),
        ("adviser_name.json", "role only"),
        ("bad_date.json", "field 'feedback[0].date': '1 March 2026' is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_structural_problems_raise_a_data_error_naming_file_and_field(name, words):
    """Not JSON, wrong types, missing or misspelt keys and bad dates stop loading with the file and field named."""
    with pytest.raises(DataError) as info:
        storyboard.load(BOARDS / name)
    assert str(info.value).startswith(str(BOARDS / name))
    assert words in str(info.value)


def test_cue_lexicon_recognises_problems_and_outcomes_in_any_field():
    """Problem and outcome cues match whole-word starts in scene, direction or dialogue, any case, curly apostrophes too."""
    assert storyboard.states_problem(Panel(scene="", direction="She STRUGGLES with forms", dialogue=""))
    assert storyboard.states_problem(Panel(scene="", direction="", dialogue="I can\u2019t find the rules"))
    assert storyboard.states_problem(Panel(scene="There is no way  to check", direction="", dialogue=""))
    assert not storyboard.states_problem(Panel(scene="A sunny lab", direction="She smiles", dialogue="Hello"))
    assert storyboard.shows_outcome(Panel(scene="", direction="", dialogue="Now we are able to sell"))
    assert not storyboard.shows_outcome(Panel(scene="", direction="", dialogue="The unable team"))


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        (b"\xef\xbb\xbf  <svg viewBox='0 0 1 1'></svg>", "image/svg+xml"),
        (b"<html><body>not a picture</body></html>", None),
        (b"%PDF-1.7", None),
        (b"\x00\x01\x02\xff\xfe", None),
    ],
)
def test_pictures_are_recognised_by_their_content_not_their_name(head, mime):
    """PNG, JPEG, GIF, WebP and SVG are recognised from their first bytes; anything else is not a picture."""
    assert sniff_image(head) == mime


def test_a_picture_over_the_size_limit_is_refused(tmp_path):
    """A picture above IMAGE_MAX_BYTES is an error that says how big it is and what to do."""
    big = tmp_path / "huge.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * IMAGE_MAX_BYTES)
    sb = Storyboard(title="t", persona="p", panels=(Panel(scene="s", direction="d", dialogue="d", image="huge.png"),), folder=tmp_path)
    image_findings = [f for f in storyboard.check(sb) if f.field == "panels[0].image"]
    assert len(image_findings) == 1 and "MB" in image_findings[0].message and data_uri(big) is None


def test_rendered_page_draws_one_numbered_panel_per_panel_with_print_css():
    """The HTML page is standalone, has one numbered panel per panel, italic direction, speech bubbles and print CSS."""
    sb = storyboard.load(EXAMPLE)
    page = storyboard.render_file(EXAMPLE)
    tags = _parse(page)
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "page-break-inside: avoid" in page
    assert len(tags.with_class("ck-panel")) == len(sb.panels) == 6
    assert [t for t in tags.text if t.strip().isdigit()][:6] == ["1", "2", "3", "4", "5", "6"]
    assert len(tags.with_class("ck-dialogue")) == len(tags.with_class("ck-direction")) == 6
    assert ".ck-direction { font-style: italic" in page
    assert "Feedback" not in page and sb.feedback[0].response not in page


def test_a_picture_is_embedded_as_a_data_uri_and_others_get_a_placeholder():
    """Panel 1's SVG is inlined as a data: URI with the scene as alt text; panels without a picture get a placeholder box."""
    sb = storyboard.load(EXAMPLE)
    tags = _parse(sb.to_html())
    images = [a for t, a in tags.tags if t == "img"]
    assert len(images) == 1 and (images[0]["src"] or "").startswith("data:image/svg+xml;base64,")
    assert images[0]["alt"] == sb.panels[0].scene
    assert len(tags.with_class("ck-placeholder")) == 5
    png = _parse(storyboard.render_file(BOARDS / "with_png.json"))
    assert [(a["src"] or "")[:22] for t, a in png.tags if t == "img"] == ["data:image/png;base64,"]


def test_student_text_is_escaped_in_the_page():
    """A <script> in a student's dialogue shows as text and never becomes a tag."""
    page = storyboard.render_file(BOARDS / "script_text.json")
    tags = _parse(page)
    assert not any(t == "script" for t, _ in tags.tags)
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in page
    assert any("<script>alert('hi')</script>" in t for t in tags.text)


def test_a_missing_picture_renders_as_a_placeholder_not_a_crash():
    """A panel whose picture is missing still renders, with a note that the picture was not found."""
    tags = _parse(storyboard.render_file(BOARDS / "missing_image.json"))
    assert not any(t == "img" for t, _ in tags.tags) and len(tags.with_class("ck-placeholder")) == 4
    assert any("not found" in t for t in tags.text)


def test_notebook_view_includes_adviser_feedback():
    """_repr_html_ is a fragment (no <html>) that also shows the adviser feedback and the student's response."""
    sb = storyboard.load(BOARDS / "valid.json")
    fragment = sb._repr_html_()
    assert "<html" not in fragment and "ck-feedback" in fragment and "I had not thought about price" in fragment
    assert "community garden coordinator" in str(sb) and "1. Sam kneels" in str(sb)


def test_markdown_export_has_a_section_per_panel_and_links_the_picture():
    """to_markdown() has the title, one '## Panel n' per panel, the picture link, blockquoted dialogue and the feedback."""
    md = storyboard.load(EXAMPLE).to_markdown()
    assert md.startswith("# FirstFile")
    assert [line for line in md.splitlines() if line.startswith("## Panel")] == [f"## Panel {i}" for i in range(1, 7)]
    assert "](<panel1.svg>)" in md and "> Priya (thinking):" in md and "## Feedback from a regulatory affairs manager" in md


def test_figure_has_one_box_and_one_text_per_panel_and_the_picture():
    """The plotly figure has a shape and an annotation per panel, and panel 1's picture as a layout image."""
    fig = storyboard.load(EXAMPLE).figure()
    assert len(fig.layout.shapes) == 6 and len(fig.layout.annotations) == 6
    assert len(fig.layout.images) == 1 and fig.layout.images[0].source.startswith("data:image/svg+xml")
    assert fig.layout.annotations[0].text.startswith("<b>1</b>")


def test_plotly_is_not_imported_with_the_module():
    """Importing careerkit.storyboard does not import plotly (it is slow; only figures need it)."""
    import subprocess

    code = "import sys, careerkit.storyboard, careerkit.canvas; print('plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_save_then_load_round_trips_and_rebases_picture_paths(tmp_path):
    """save() writes JSON that loads back equal; a relative picture path is rewritten for the new folder."""
    sb = storyboard.load(EXAMPLE)
    out = storyboard.save(sb, tmp_path / "copy" / "storyboard.json")
    again = storyboard.load(out)
    assert again.title == sb.title and again.feedback == sb.feedback
    assert [p.scene for p in again.panels] == [p.scene for p in sb.panels]
    moved, original = again.image_path(again.panels[0]), sb.image_path(sb.panels[0])
    assert moved is not None and original is not None and moved.resolve() == original.resolve()
    assert storyboard.check(again) == ()
    assert json.loads(out.read_text(encoding="utf-8"))["panels"][1].get("image") is None


def test_models_validate_types_and_dates_when_built_in_python():
    """Panel and AdviserFeedback refuse non-text fields; a feedback date may be given as ISO text."""
    with pytest.raises(DataError, match="field 'dialogue': expected text, got 3"):
        Panel(scene="s", direction="d", dialogue=3)  # type: ignore[arg-type]
    fb = AdviserFeedback(role="mentor", date="2026-01-05")  # type: ignore[arg-type]
    assert fb.date == dt.date(2026, 1, 5)
    with pytest.raises(DataError, match="YYYY-MM-DD"):
        AdviserFeedback(role="mentor", date="next Tuesday")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="panels\\[0\\]"):
        Storyboard(title="t", persona="p", panels=("not a panel",))  # type: ignore[arg-type]


def test_finding_refuses_an_unknown_severity():
    """A Finding is an error or a warning, nothing else."""
    with pytest.raises(DataError, match="severity"):
        Finding(severity="info", field="title", message="x")  # type: ignore[arg-type]


def test_picture_paths_resolve_against_the_json_files_folder(tmp_path, monkeypatch):
    """A relative picture path is looked up next to the JSON file, not in the current folder."""
    monkeypatch.chdir(tmp_path)
    sb = storyboard.load(BOARDS / "with_png.json")
    assert sb.image_path(sb.panels[0]) == BOARDS / "tiny.png"
    assert storyboard.check(sb) == ()
    assert isinstance(sb.folder, Path)
