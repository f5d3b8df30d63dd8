"""The symposium booklet: one page per explored career, built only from what students consented to share."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from careerkit.assignment import Assignment, AssignmentSet
from careerkit.course import Course
from careerkit.errors import CareerkitError, CourseError
from careerkit.files import csv_text
from careerkit.interviews import OUTCOMES
from careerkit.symposium import NAME_MASK, build_booklet, collect, scrub

A, B, C, D = "alliance-manager", "innovation-scout", "corporate-development-analyst", "research-development-officer"
ROSTER = [  # student_id, name, discipline, assigned career
    ("s1", "Ana Lima", "Biology", A),
    ("s2", "Ben Okoro", "Chemistry", B),
    ("s3", "Cleo Marchetti", "Physics", C),
    ("s4", "Dev Anand", "History", D),
    ("s5", "Eva Novak", "", A),
    ("s6", "Finn Berg", "Mathematics", B),
]
HOSTILE = "<script>window.__pwned=1</script> <img src=x onerror=alert(1)>"
LONG_REFLECTION = "First sentence about the role. Second sentence about me. THIRD-SENTENCE-NOT-QUOTED."


def interview(career_id: object, *, consent: object = True, takeaways: object = "", reflection: object = "", outcomes: object = (), name: str = "Pat Doe", contact: str = "pat@example.org") -> dict[str, Any]:
    return {
        "date": "2026-10-05", "career_id": career_id, "interviewee_role": "Manager", "organisation": "Acme",
        "interviewee_name": name, "interviewee_contact": contact, "source": "alumni", "format": "video", "location": "video",
        "minutes": 30, "takeaways": takeaways, "thank_you_date": None, "outcomes": list(outcomes) if isinstance(outcomes, tuple) else outcomes,
        "consent_to_share": consent, "reflection": reflection,
    }  # fmt: skip


ANSWERS: dict[str, object] = {
    "s1": {
        "share_name": True,
        "interviews": [
            interview(A, takeaways="Dr. Priya Raman (priya.raman@example.org, +1 555 0142) said Priya learned negotiation on the job.",
                      reflection=LONG_REFLECTION, outcomes=("referral", "mentoring"), name="Dr. Priya Raman", contact="priya.raman@example.org"),
            interview(B, consent=False, takeaways="UNSHARED-TAKEAWAY", reflection="UNSHARED-REFLECTION", outcomes=("lead",)),
        ],
    },  # fmt: skip
    "s2": {"interviews": [interview(B, takeaways=f"SHARED-B with Cleo Marchetti and Ana Lima {HOSTILE}", reflection=HOSTILE, outcomes=("referral",), name="Sam Lee", contact="+44 20 7946 0958")]},
    "s3": {"share_name": "yes", "interviews": [interview(C, consent="yes", takeaways="SHARED-C from a yes in words", outcomes=("lead", "lead", "unknown"))]},
    # s4: no submission at all; s5: a file that is not JSON
    "s5": "{ not json",
    "s6": {"interviews": [
        "not an object", 7, interview("no-such-career", takeaways="UNKNOWN-CAREER"), interview(42),
        interview(A, takeaways=["a", "list"], reflection={"x": 1}, outcomes="referral;offer", consent=1),
    ]},  # fmt: skip
}


def make_course(root: Path, answers: dict[str, object]) -> Path:
    """A careerkit course folder with a roster, assignments and autograded m3 answers (no nbgrader needed)."""
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n", encoding="utf-8")
    rows = [[sid, name, f"{sid}@example.edu", discipline] for sid, name, discipline, _ in ROSTER]
    (root / "roster.csv").write_text(csv_text(["student_id", "name", "email", "discipline"], rows), encoding="utf-8")
    assigned = AssignmentSet(tuple(Assignment(student_id=sid, career_id=cid, career_title="", sector="", name=name) for sid, name, _, cid in ROSTER))
    assigned.write_csv(root / "assignments.csv")
    for sid, data in answers.items():
        path = root / "autograded" / sid / "m3-interviews" / "answers.json"
        path.parent.mkdir(parents=True)
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return root


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course", ANSWERS)


@pytest.fixture
def booklet(course: Path) -> str:
    return build_booklet(course).read_text(encoding="utf-8")


def sections(html: str) -> dict[str, str]:
    """Career id -> the HTML of its page."""
    return dict(re.findall(r'<section class="career" id="career-[^"]+" data-career="([^"]+)">(.*?)</section>', html, re.S))


def test_default_path_is_reports_symposium_html(course: Path) -> None:
    """Without ``out`` the booklet goes to <course>/reports/symposium.html, with no temporary file left behind."""
    path = build_booklet(course)
    assert path == course.resolve() / "reports" / "symposium.html"
    assert [p.name for p in path.parent.iterdir()] == ["symposium.html"]


def test_out_path_is_respected(course: Path, tmp_path: Path) -> None:
    """``out`` names the file written."""
    out = tmp_path / "elsewhere" / "booklet.html"
    assert build_booklet(course, out=out) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_one_page_per_explored_career(booklet: str) -> None:
    """Each assigned or interviewed catalog career gets exactly one page; unknown career ids get none."""
    assert re.findall(r'data-career="([^"]+)"', booklet) == list(sections(booklet))
    assert set(sections(booklet)) == {A, B, C, D}
    assert "UNKNOWN-CAREER" not in booklet


def test_pages_break_when_printed(booklet: str) -> None:
    """Every career starts a new printed page."""
    print_css = booklet[booklet.index("@media print") :]
    assert re.search(r"section\.career \{[^}]*break-before: page", print_css)


def test_catalog_summary_on_each_page(booklet: str, catalog: Any) -> None:
    """A career's page carries its catalog title and description."""
    page = sections(booklet)[A]
    career = catalog.career(A)
    assert career.title in page
    assert html.escape(" ".join(career.description.split())) in page


def test_outcome_counts(course: Path) -> None:
    """Outcomes are counted per career over every logged interview (shared or not); unknown outcomes are ignored."""
    pages = {p.career.id: p for p in collect(Course.open(course))}
    assert dict(pages[A].outcomes) == {"referral": 2, "mentoring": 1, "offer": 1}
    assert dict(pages[B].outcomes) == {"lead": 1, "referral": 1}
    assert dict(pages[C].outcomes) == {"lead": 1}
    assert (pages[A].interviews, pages[B].interviews, pages[C].interviews, pages[D].interviews) == (2, 2, 1, 0)
    assert (pages[A].students, pages[B].students, pages[D].students) == (3, 3, 1)


def test_outcome_table_lists_every_outcome(booklet: str) -> None:
    """The page shows a count for each of interviews.OUTCOMES, zeros included."""
    cells = dict(re.findall(r'data-outcome="([a-z]+)">(\d+)<', sections(booklet)[A]))
    assert cells == {o: {"referral": "2", "mentoring": "1", "offer": "1"}.get(o, "0") for o in OUTCOMES}


def test_takeaways_and_reflections_only_with_consent(booklet: str) -> None:
    """An interview without consent contributes counts only: neither its takeaways nor its reflection."""
    assert "UNSHARED-TAKEAWAY" not in booklet and "UNSHARED-REFLECTION" not in booklet
    assert "SHARED-B" in sections(booklet)[B]
    assert "SHARED-C from a yes in words" in sections(booklet)[C]


def test_reflection_quoted_a_sentence_or_two(booklet: str) -> None:
    """Only the first two sentences of a consented reflection are quoted."""
    assert "First sentence about the role. Second sentence about me." in booklet
    assert "THIRD-SENTENCE-NOT-QUOTED" not in booklet


def test_student_named_only_with_share_name(booklet: str) -> None:
    """share_name true shows the name; absent or anything but true shows 'a student in <discipline>'."""
    assert "Ana Lima" in sections(booklet)[A]
    for name in ("Ben Okoro", "Cleo Marchetti", "Dev Anand", "Eva Novak", "Finn Berg"):
        assert name not in booklet
    assert "A student in Chemistry" in sections(booklet)[B]
    assert "A student in Physics" in sections(booklet)[C]
    assert f"with {NAME_MASK} and Ana Lima" in booklet  # a classmate's name typed in is masked unless they share it


def test_no_interviewee_personal_data(booklet: str) -> None:
    """Interviewee names and contacts never appear, even typed into shared takeaways."""
    for value in ("Priya", "Raman", "priya.raman@example.org", "555 0142", "Pat Doe", "pat@example.org", "Sam Lee", "7946 0958"):
        assert value not in booklet
    assert f"{NAME_MASK} learned negotiation" in booklet


def test_student_text_is_escaped(booklet: str) -> None:
    """A student's markup shows as text: the page has no script or img element at all."""
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in booklet
    assert "&lt;img src=x onerror=alert(1)&gt;" in booklet
    assert "<script" not in booklet.lower() and "<img" not in booklet.lower()


def test_self_contained(booklet: str) -> None:
    """Nothing is loaded from elsewhere: no links, external sources or URLs."""
    assert not re.search(r"<link|<[^>]*\ssrc=|https?://|@import|url\(", booklet, re.I)


def test_missing_and_broken_submissions_do_not_crash(booklet: str) -> None:
    """No submission, a file that is not JSON and malformed entries leave a page that says nothing was shared."""
    assert "No one has shared takeaways about this career yet." in sections(booklet)[D]


@pytest.mark.parametrize("answers", [{}, {"s1": "[]"}, {"s1": '{"interviews": {"a": 1}}'}, {"s1": "\u00ff\u00fe"}])
def test_degenerate_answers(tmp_path: Path, answers: dict[str, object]) -> None:
    """A course with no answers, or answers of the wrong shape, still gets one page per assigned career."""
    text = build_booklet(make_course(tmp_path / "c", answers)).read_text(encoding="utf-8")
    assert set(sections(text)) == {A, B, C, D}


def test_works_without_roster(course: Path) -> None:
    """Without roster.csv the names and disciplines come from assignments.csv."""
    (course / "roster.csv").unlink()
    text = build_booklet(course).read_text(encoding="utf-8")
    assert "Ana Lima" in text and "Ben Okoro" not in text


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_not_a_course(tmp_path: Path, make: Any) -> None:
    """A folder that is not a course is a CourseError naming it and saying how to make one."""
    with pytest.raises(CourseError, match=r"is not a course directory .*careerkit course init") as info:
        build_booklet(make(tmp_path))
    assert isinstance(info.value, CareerkitError)


@pytest.mark.parametrize(
    ("text", "private", "expected"),
    [
        ("Met Dr. Lena Weber today", ["Dr. Lena Weber"], "Met [name] today"),
        ("lena said weber was kind", ["Dr. Lena Weber"], "[name] said [name] was kind"),
        ("Dr. Who is not Lena", ["Dr. Lena Weber"], "Dr. Who is not [name]"),
        ("write to lw@x.org or +1 555 0142", ["Lena Weber", "+1 555 0142"], "write to [contact] or [contact]"),
        ("call 020 7946 0958 by 2026-10-01, 30-45 min", [], "call [contact] by 2026-10-01, 30-45 min"),
        ("Lenalee is another word", ["Lena"], "Lenalee is another word"),
    ],
)
def test_scrub(text: str, private: list[str], expected: str) -> None:
    """Names (whole and by part), e-mails and phone numbers are masked; dates and other words are not."""
    assert scrub(text, private) == expected
