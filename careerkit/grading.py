"""What the test and self-check cells of the graded notebooks call.

Every check takes a module's :class:`~careerkit.answers.AnswerBook` and the cell's
``points`` and returns a plain Python ``float`` in ``[0, points]`` (nbgrader reads
partial credit from the cell's first result), after ``display``-ing a short HTML
explanation in words a student understands. Checks never raise and never write to
stderr: an empty, missing or malformed answer scores 0.0 with a message.

Some rules could be gamed if they were visible (a template edited by one letter, a
reflection pasted into several slots, a date in the future). The test cells run
them in a hidden region through :func:`hidden_check`, which re-runs a check in
*strict* mode and can only lower the score. :func:`self_check` shows a student the
points of every check of a module, strict rules included, before they submit.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from careerkit import answers as _answers
from careerkit import grading_checks as _checks
from careerkit import grading_projects as _projects
from careerkit.grading_checks import Result

__all__ = ["TESTS", "Check", "Result", "hidden_check", "reflection", "self_check", "show_assignment", "assigned_career"]

TA_NOTE = "Automatic first pass: TAs, override in formgrader if you disagree."


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One graded test cell: ``grading.<name>(book, **kwargs, points=points)``, strict rules in a hidden region when ``hidden``."""

    grade_id: str
    name: str
    points: float
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    hidden: bool = False

    def call(self) -> str:
        """The check's call as it appears in the notebook."""
        args = "".join(f"{k}={v!r}, " for k, v in self.kwargs.items())
        return f"grading.{self.name}(book, {args}points={self.points!r})"

    def hidden_call(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        return f"grading.hidden_check(score, book, {self.name!r}{args}, points={self.points!r})"


#: The graded checks of each module, in notebook order; the notebook generator builds test cells from these.
TESTS: Mapping[str, tuple[Check, ...]] = {
    "m1-skills": (
        Check(grade_id="test-competencies", name="competencies", points=2.0),
        Check(grade_id="test-evidence", name="evidence", points=4.0, hidden=True),
        Check(grade_id="test-values", name="values_interests", points=2.0),
        Check(grade_id="test-reflection", name="reflection", points=4.0, kwargs={"key": "reflection"}, hidden=True),
    ),
    "m2-career": (
        Check(grade_id="test-research", name="research", points=2.0, hidden=True),
        Check(grade_id="test-guide", name="guide", points=4.0, hidden=True),
        Check(grade_id="test-messages", name="messages", points=4.0, hidden=True),
        Check(grade_id="test-meeting", name="meeting", points=2.0),
    ),
    "m3-interviews": (
        Check(grade_id="test-log", name="interview_log", points=4.0, hidden=True),
        Check(grade_id="test-thanks", name="thank_you_notes", points=2.0, hidden=True),
        *(Check(grade_id=f"test-reflection-{k}", name="interview_reflection", points=3.0, kwargs={"slot": k}, hidden=True) for k in (1, 2, 3)),
    ),
    "m4-storyboard": (
        Check(grade_id="test-storyboard", name="storyboard", points=4.0),
        Check(grade_id="test-feedback", name="adviser_feedback", points=2.0),
        Check(grade_id="test-reflection", name="reflection", points=4.0, kwargs={"key": "reflection"}, hidden=True),
    ),
    "m5-canvas": (
        Check(grade_id="test-canvas", name="canvas", points=10.0, hidden=True),
        Check(grade_id="test-draws-on", name="draws_on", points=2.0),
    ),
}


def total_points(module_id: str) -> float:
    """The module's total, as stated at the top of its notebook."""
    return float(sum(c.points for c in TESTS[module_id]))


# --- running a check safely -----------------------------------------------------------

_CHECKS: dict[str, Callable[..., Result]] = {
    "competencies": _checks.competencies,
    "evidence": _checks.evidence,
    "values_interests": _checks.values_interests,
    "reflection": _checks.reflection,
    "research": _checks.research,
    "guide": _checks.guide,
    "messages": _checks.messages,
    "meeting": _checks.meeting,
    "interview_log": _projects.interview_log,
    "thank_you_notes": _projects.thank_you_notes,
    "interview_reflection": _checks.interview_reflection,
    "storyboard": _projects.storyboard,
    "adviser_feedback": _projects.adviser_feedback,
    "canvas": _projects.canvas,
    "draws_on": _projects.draws_on,
}


def _clamp(value: object, points: float) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    if math.isnan(v):
        return 0.0
    return float(round(min(max(v, 0.0), points), 2))


def _points(points: object) -> float:
    p = _clamp(points, math.inf)
    return p if p > 0 else 0.0


def evaluate(name: str, book: object, *, points: float, strict: bool = False, **kwargs: Any) -> Result:
    """Run one check and never raise: anything unexpected becomes 0 points and a plain message."""
    points = _points(points)
    title = _checks.TITLES.get(name, name)
    fn = _CHECKS.get(name)
    if fn is None:
        return Result(title=title, points=0.0, max_points=points, lines=[(False, f"There is no check called '{name}'.")])
    if not isinstance(book, Mapping):
        return Result(title=title, points=0.0, max_points=points, lines=[(False, "The answers were not loaded: run the answers cell near the top of the notebook first.")])
    if getattr(book, "is_example", False) and _answers.grading_step_of(".") is not None:
        # A submission graded from the instructor's example instead of its own answers.json.
        return Result(title=title, points=0.0, max_points=points, lines=[(False, "These answers are the worked example, not yours: grading reads your answers.json.")])
    try:
        result = fn(book, points, strict=strict, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a grading cell must never fail; the message says what happened
        result = Result(title=title, points=0.0, max_points=points, lines=[(False, f"Your answer could not be checked ({type(exc).__name__}: {exc}). Ask your TA to look at it.")])
    result.points = _clamp(result.points, points)
    result.max_points = points
    problem = getattr(book, "problem", None)
    if problem:
        result.lines.insert(0, (False, problem))
    return result


def _display(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def run(name: str, book: object, *, points: float, **kwargs: Any) -> float:
    """Run one check, show its explanation, return the points as a plain float."""
    result = evaluate(name, book, points=points, **kwargs)
    _display(result.html())
    return result.points


def hidden_check(score: object, book: object, name: str, *, points: float, **kwargs: Any) -> float:
    """Re-run a check with its strict rules; returns ``min(score, strict score)`` (it can only lower the score)."""
    points = _points(points)
    score = _clamp(score, points)
    strict = evaluate(name, book, points=points, strict=True, **kwargs)
    if strict.points < score:
        strict.title = f"{strict.title}: a grading-time check lowered this score"
        _display(strict.html())
        return strict.points
    return score


# --- the public checks (one per test cell) ----------------------------------------------


def competencies(book: object, *, points: float = 2.0) -> float:
    """All eight competencies rated 0-3, with an honest spread."""
    return run("competencies", book, points=points)


def evidence(book: object, *, points: float = 4.0) -> float:
    """One piece of evidence ("where did I show this?") per competency."""
    return run("evidence", book, points=points)


def values_interests(book: object, *, points: float = 2.0) -> float:
    """Discipline, three or more ranked values, interests or sectors."""
    return run("values_interests", book, points=points)


def reflection(book: object, key: str = "reflection", *, points: float = 4.0) -> float:
    """A written reflection scored by the course rubric (careerkit.reflection), with the evidence shown."""
    return run("reflection", book, key=key, points=points)


def research(book: object, *, points: float = 2.0) -> float:
    return run("research", book, points=points)


def guide(book: object, *, points: float = 4.0) -> float:
    return run("guide", book, points=points)


def messages(book: object, *, points: float = 4.0) -> float:
    return run("messages", book, points=points)


def meeting(book: object, *, points: float = 2.0) -> float:
    return run("meeting", book, points=points)


def interview_log(book: object, *, points: float = 4.0) -> float:
    return run("interview_log", book, points=points)


def thank_you_notes(book: object, *, points: float = 2.0) -> float:
    return run("thank_you_notes", book, points=points)


def interview_reflection(book: object, slot: int = 1, *, points: float = 3.0) -> float:
    """The ``slot``-th best interview reflection (1 = best)."""
    return run("interview_reflection", book, slot=slot, points=points)


def storyboard(book: object, *, points: float = 4.0) -> float:
    return run("storyboard", book, points=points)


def adviser_feedback(book: object, *, points: float = 2.0) -> float:
    return run("adviser_feedback", book, points=points)


def canvas(book: object, *, points: float = 10.0) -> float:
    return run("canvas", book, points=points)


def draws_on(book: object, *, points: float = 2.0) -> float:
    return run("draws_on", book, points=points)


# --- self-check and the assigned career -------------------------------------------------


def self_check(book: object, module_id: str) -> float:
    """Show every check of the module with the points the tests will give (strict rules included); returns the total."""
    checks = TESTS.get(module_id)
    if checks is None:
        _display(f"<p>Unknown module {html.escape(str(module_id))}; modules are {html.escape(', '.join(TESTS))}.</p>")
        return 0.0
    rows, details, total = [], [], 0.0
    for check in checks:
        result = evaluate(check.name, book, points=check.points, **check.kwargs)
        if check.hidden:
            strict = evaluate(check.name, book, points=check.points, strict=True, **check.kwargs)
            if strict.points < result.points:
                result = strict
        total += result.points
        rows.append(f"<tr><td>{html.escape(result.title)}</td><td><code>{check.grade_id}</code></td><td style='text-align:right'><b>{result.points:g}</b> / {check.points:g}</td></tr>")
        details.append(f"<details><summary>{html.escape(result.title)}: {result.points:g} / {check.points:g}</summary>{result.html()}</details>")
    top = total_points(module_id)
    total = float(round(total, 2))
    _display(
        f"<div><h4>Self-check for {html.escape(module_id)}: {total:g} of {top:g} points</h4>"
        "<p>These are the points the graded tests below will give for the answers saved right now. "
        "Reflections are scored automatically first; a TA reads them and may change the score.</p>"
        f"<table><tr><th>part</th><th>test</th><th>points</th></tr>{''.join(rows)}</table>{''.join(details)}</div>"
    )
    return total


def assigned_career(book: object) -> Any:
    """The student's assigned Career from ``careers.csv`` beside the notebook, or None (see :func:`show_assignment`)."""
    career, _ = _checks.assigned_career(book)
    return career


def show_assignment(book: object) -> None:
    """Show the assigned career, or a friendly message saying what is missing and what to do."""
    try:
        career, message = _checks.assigned_career(book)
    except Exception as exc:  # noqa: BLE001 - an info cell must never fail in a student's notebook
        career, message = None, f"The career list could not be read ({exc}). Ask your instructor."
    if career is None:
        _display(f'<div style="border-left:4px solid #c80;padding:.3em .8em"><p>{html.escape(message)}</p></div>')
        return
    _display(_checks.career_html(career))



def canvas_preview(book: object) -> None:
    """Show the canvas laid out in its nine blocks, with the checker's findings (nothing is scored here)."""
    try:
        raw = book.get("canvas") if isinstance(book, Mapping) else None
        if not raw:
            _display("<p>Your canvas is empty so far: fill in the blocks above, then run this cell again.</p>")
            return
        draft = _projects._load_draft("canvas", raw)
        findings = "".join(f"<li>{html.escape(f.severity)}: {html.escape(str(f))}</li>" for f in draft.check())
        _display(draft._repr_html_() + (f"<p>What the checker found:</p><ul>{findings}</ul>" if findings else "<p>The checker found no problems.</p>"))
    except Exception as exc:  # noqa: BLE001 - a preview cell must never fail in a student's notebook
        _display(f"<p>Your canvas cannot be shown yet: {html.escape(str(exc))}</p>")
