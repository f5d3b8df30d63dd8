"""The dashboard report: one offline HTML page from the executed notebook, clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from careerkit import report
from careerkit.course import Course
from careerkit.errors import CareerkitError
from test_dashboard import EVIL, SECRET_CONTACT, SECRET_NAME, make_test_course


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return make_test_course(tmp_path_factory.mktemp("report") / "course")


@pytest.fixture(scope="module")
def page(course: Course) -> str:
    path = report.build_dashboard(course.root, target=3)
    assert path == course.root / "reports" / "cohort-dashboard.html"
    return path.read_text(encoding="utf-8")


def test_page_has_no_network_references(page: str) -> None:
    """No script loads from anywhere and no CDN is named: the page opens offline."""
    assert not re.search(r"<script[^>]*\ssrc=", page, re.I)
    assert "https://cdn" not in page and "http://cdn" not in page
    assert "unpkg.com" not in page and "cdnjs" not in page and "jsdelivr" not in page  # widget manager, MathJax, Mermaid


def test_plotly_embedded_once_and_every_figure_drawn(course: Course, page: str) -> None:
    """plotly.js is in the page once; there is one newPlot per figure, as expected_traces says."""
    assert page.count("Plotly.newPlot(\"ck-figure-") == len(report.expected_traces(course.root))
    assert page.count("plotly.js v") <= 2  # the library's banner, embedded once
    assert report.expected_traces(course.root) == [1, 2, 2, 1, 2, 4, 5]


def test_student_text_is_escaped(page: str) -> None:
    """A <script> typed by a student never appears as markup; personal fields never appear at all."""
    assert "<script>alert('owned')</script>" not in page
    assert SECRET_NAME not in page and SECRET_CONTACT not in page
    assert EVIL[:10] not in page  # reflection texts are not in the dashboard at all


def test_widgets_replaced_by_a_note(page: str) -> None:
    """The static page explains where the filters work instead of loading a widget manager."""
    assert "ck-widgets-note" in page and "application/vnd.jupyter.widget" not in page


def test_anonymised_page_has_no_names(course: Course, tmp_path: Path) -> None:
    """With anonymise, no roster name or id is in the page."""
    text = report.build_dashboard(course.root, tmp_path / "anon.html", anonymise=True).read_text(encoding="utf-8")
    assert "Student Name3" not in text and "s00003" not in text and "Student 0" in text


@pytest.mark.parametrize("kind", ["missing", "file", "not_course"])
def test_not_a_course_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    """A missing folder, a file or a folder without nbgrader_config.py is a one-line CareerkitError."""
    target = tmp_path / "nope"
    if kind == "file":
        target.write_text("x")
    elif kind == "not_course":
        target.mkdir()
    with pytest.raises(CareerkitError) as err:
        report.build_dashboard(target)
    assert "\n" not in str(err.value) and "nope" in str(err.value)


def test_failed_execution_names_the_cell(course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell that raises makes one line naming the cell and the error; nothing is written."""
    nb = new_notebook(cells=[new_code_cell("course_dir = '.'\ntarget_interviews = 3\nanonymise = False", metadata={"tags": ["parameters"]}),
                             new_code_cell("raise ValueError('boom in the cohort')", metadata={"tags": ["setup"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    monkeypatch.setattr(report, "NOTEBOOK", bad)
    out = tmp_path / "out.html"
    with pytest.raises(CareerkitError) as err:
        report.build_dashboard(course.root, out)
    message = str(err.value)
    assert "\n" not in message and "cell 2 ('setup')" in message and "ValueError: boom in the cohort" in message
    assert not out.exists()
