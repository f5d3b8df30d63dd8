"""The generated pages in a real browser (Debian's Chromium): they render, stay offline and never run student text.

One small demo course is built for the module (~35 s), one student's answers are made
hostile (:func:`browser.inject_hostile`), and the pages are built in module fixtures,
before any browser opens (a kernel run inside Playwright's sync API hangs).
"""

from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import (
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    TIMEOUT_MS,
    BrowserPage,
    browser_context,  # noqa: F401 - a fixture
    browser_page,  # noqa: F401 - a fixture
    first_student_with_interviews,
    inject_hostile,
    personal_values,
)

from careerkit.assignment import load_assignments
from careerkit.catalog import load_catalog
from careerkit.symposium import build_booklet

pytestmark = pytest.mark.slow
STUDENTS = 6
#: True once the page has its figures (at least one when any is expected) and every one has drawn its SVG.
RENDERED = """n => { const plots = document.querySelectorAll('.plotly-graph-div, .js-plotly-plot');
    return plots.length >= Math.min(n, 1) && [...plots].every(el => el._fullLayout && el.querySelector('svg.main-svg')); }"""

#: Elements the hostile text would have created had it been parsed as HTML.
INJECTED = """() => [...document.querySelectorAll('script, img[onerror]')]
    .filter(el => (el.textContent || '').includes('__pwned') || (el.getAttribute('onerror') || '').includes('__pwned'))
    .map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def hostile_course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A graded demo course of six students, one of whom typed script tags into every free-text field."""
    from careerkit.demo import run_demo

    course = tmp_path_factory.mktemp("browser") / "course"
    run_demo(course, students=STUDENTS, progress=False)
    sid = first_student_with_interviews(course)
    inject_hostile(course, sid)
    return course, sid


@dataclass(frozen=True)
class Dashboard:
    path: Path
    expected: list[int]


@pytest.fixture(scope="module")
def booklet(hostile_course: tuple[Path, str]) -> Path:
    """The symposium booklet of the hostile course (built before any browser starts)."""
    return build_booklet(hostile_course[0], out=hostile_course[0] / "reports" / "symposium-browser.html")


@pytest.fixture(scope="module")
def dashboard(hostile_course: tuple[Path, str]) -> Dashboard:
    """The cohort dashboard of the hostile course and its promised traces per figure (built before any browser starts)."""
    if importlib.util.find_spec("careerkit.report") is None:
        pytest.fail("careerkit.report is not written yet; this test checks its build_dashboard/expected_traces contract", pytrace=False)
    from careerkit import report

    course = hostile_course[0]
    _hostile_name_for_a_nudged_student(course)
    expected = report.expected_traces(course)
    return Dashboard(report.build_dashboard(course, out=course / "reports" / "dashboard-browser.html"), expected)


def _hostile_name_for_a_nudged_student(course: Path) -> str:
    """The dashboard shows no reflection text, but it shows names (from the roster) in its nudge table:
    give a student who needs a nudge a name with script and image tags in it."""
    import csv
    import io

    from careerkit.dashboard import load_cohort, nudges

    sid = str(nudges(load_cohort(course)).iloc[0]["student_id"])
    rows = list(csv.DictReader(io.StringIO((course / "roster.csv").read_text(encoding="utf-8"))))
    for row in rows:
        if row["student_id"] == sid:
            row["name"] = f"Eve {HOSTILE_SCRIPT} {HOSTILE_IMG}"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (course / "roster.csv").write_text(buf.getvalue(), encoding="utf-8")
    return sid


def explored_careers(course: Path) -> set[str]:
    """Assigned careers plus the catalog careers of every logged interview, read straight from the files."""
    catalog = load_catalog()
    careers = {a.career_id for a in load_assignments(course / "assignments.csv")}
    for path in course.glob("*/*/m3-interviews/answers.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        careers |= {e["career_id"] for e in data.get("interviews", []) if e.get("career_id") in catalog}
    return careers


def test_browser_symposium_booklet(hostile_course: tuple[Path, str], booklet: Path, browser_page: BrowserPage) -> None:
    """The booklet shows one section per explored career, no JS errors, hostile text as inert text, no interviewee data."""
    course, path = hostile_course[0], booklet
    browser_page.open(path)
    page = browser_page.page

    sections = page.locator("section.career")
    shown = [sections.nth(i).get_attribute("data-career") for i in range(sections.count())]
    assert sorted(shown) == sorted(explored_careers(course))  # each once
    assert all(sections.nth(i).locator("h2").inner_text().strip() for i in range(sections.count()))

    assert browser_page.pwned() == "undefined", "student text ran as a script"
    assert page.evaluate(INJECTED) == [], "student text became page elements"
    text = browser_page.text()
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text
    assert page.evaluate("document.scripts.length") == 0

    source = path.read_text(encoding="utf-8")
    leaked = sorted(v for v in personal_values(course) if v.lower() in text.lower() or v in source)
    assert leaked == []

    page.emulate_media(media="print")
    assert sections.first.evaluate("el => getComputedStyle(el).breakBefore") == "page"
    assert browser_page.errors == []
    assert browser_page.remote_requests() == []


def test_browser_cohort_dashboard(dashboard: Dashboard, browser_page: BrowserPage) -> None:
    """Every dashboard figure renders with its expected traces, offline, with no JS errors and hostile text inert."""
    expected = dashboard.expected
    assert dashboard.path.is_file()
    browser_page.open(dashboard.path)
    page = browser_page.page

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(RENDERED, len(expected)):  # plotly draws each figure as its script runs
        if browser_page.errors or time.monotonic() > deadline:
            pytest.fail(
                f"the dashboard's figures did not all render; page errors: {browser_page.errors}; "
                f"requests leaving file://: {browser_page.remote_requests()}",
                pytrace=False,
            )
        page.wait_for_timeout(100)
    count = page.locator(".js-plotly-plot").count()
    assert count == len(expected), f"{count} figures rendered, expected_traces() promised {len(expected)}"
    figures = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
              traces: (el.data || []).length,
              svg: el.querySelectorAll('svg.main-svg').length,
              marks: el.querySelectorAll('g.trace, g.hm, g.slice, g.table, g.sankey, .indicatorlayer g').length,
           }))"""
    )
    assert [f["traces"] for f in figures] == list(expected)
    for i, f in enumerate(figures):
        assert f["svg"] > 0, f"figure {i} drew no SVG"
        if expected[i]:
            assert f["marks"] > 0, f"figure {i} has {expected[i]} traces but drew none of them"

    assert browser_page.pwned() == "undefined", "student text ran as a script"
    assert page.evaluate(INJECTED) == [], "student text became page elements"
    assert browser_page.errors == []
    assert browser_page.remote_requests() == []
    assert HOSTILE_SCRIPT in browser_page.text(), "a student's name with script tags is not shown as text in the nudge table"
