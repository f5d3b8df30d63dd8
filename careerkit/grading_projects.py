"""The checks of what students make outside the notebook's text boxes: the interview log and
thank-you notes (m3), the storyboard and its adviser feedback (m4), the business model
canvas (m5). Same contract as :mod:`careerkit.grading_checks`: answers in, a
:class:`~careerkit.grading_checks.Result` out, odd input may raise.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from careerkit import answers as _answers
from careerkit.grading_checks import (
    RESPONSE_MIN_WORDS,
    TAKEAWAY_MIN_WORDS,
    Line,
    Result,
    _catalog,
    _dict,
    _list,
    _result,
    _share,
    _similar,
    _words,
)


# --- m3: interview log ---------------------------------------------------------------------


def _valid_interviews(book: Mapping[str, Any], strict: bool) -> tuple[list[Any], list[Line]]:
    from careerkit.errors import DataError
    from careerkit.interviews import _parse  # the log's own field-by-field validation

    today = dt.date.today() if strict else dt.date.max
    valid, lines = [], []
    for n, raw in enumerate(_list(book.get("interviews")), start=1):
        entry = {k: v for k, v in _dict(raw).items() if k != "reflection"}
        try:
            valid.append(_parse(Path("answers.json"), "entry", n, entry, _catalog(), today))
        except DataError as exc:
            lines.append((False, f"Interview {n} is not counted yet: {exc}"))
    return valid, lines


def interview_log(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    name = "interview_log"
    valid, lines = _valid_interviews(book, strict)
    if not valid and not lines:
        return _result(name, points, 0.0, [(False, "Log your first interview with the form above (add one entry per conversation).")])
    with_takeaways = [i for i in valid if _words(i.takeaways) >= TAKEAWAY_MIN_WORDS]
    lines.insert(0, (len(valid) >= 3, f"{len(valid)} complete interview{'s' * (len(valid) != 1)} logged (3 or more earn full marks)."))
    lines.append((bool(valid) and len(with_takeaways) == len(valid), f"{len(with_takeaways)} of {len(valid)} have takeaways of {TAKEAWAY_MIN_WORDS}+ words."))
    outcomes = sorted({o for i in valid for o in i.outcomes})
    lines.append((None, f"Champion outcomes so far: {', '.join(outcomes) or 'none yet (that is fine: they come with time)'}."))
    lines.append((None, f"{sum(i.consent_to_share for i in valid)} of {len(valid)} interviews may be shared anonymously with the class."))
    earned = points * (0.75 * _share(len(valid), 3) + 0.25 * (len(with_takeaways) / len(valid) if valid else 0.0))
    return _result(name, points, earned, lines)


def thank_you_notes(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    name = "thank_you_notes"
    valid, _ = _valid_interviews(book, strict)
    if not valid:
        return _result(name, points, 0.0, [(False, "Log an interview first; then record the day you sent your thank-you note.")])
    lines: list[Line] = []
    on_time = 0
    for i in valid:
        label = f"{i.date.isoformat()} ({i.interviewee_role})"
        if i.thank_you_date is None:
            lines.append((False, f"{label}: no thank-you date yet; send one within 24 hours of an interview."))
        elif (i.thank_you_date - i.date).days <= 1:
            on_time += 1
            lines.append((True, f"{label}: thanked on {i.thank_you_date.isoformat()}."))
        else:
            lines.append((False, f"{label}: thanked {(i.thank_you_date - i.date).days} days later; aim for within 24 hours."))
    return _result(name, points, points * on_time / len(valid), lines)


# --- m4 and m5: storyboard and canvas --------------------------------------------------


def _load_draft(kind: str, data: object, folder: Path | None = None) -> Any:
    """Load a storyboard or canvas dict through the module's own file loader (same checks, same messages)."""
    from careerkit.errors import DataError

    module = __import__(f"careerkit.{kind}", fromlist=["load"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        try:
            draft = module.load(path)
        except DataError as exc:
            raise DataError(str(exc).replace(str(path), f"answers.json ({kind})")) from None
    if kind == "storyboard":
        import dataclasses

        draft = dataclasses.replace(draft, folder=folder or Path.cwd())
    return draft


def storyboard(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit import storyboard as sb_mod

    name = "storyboard"
    if not book.get("storyboard"):
        return _result(name, points, 0.0, [(False, "Tell your business idea as a storyboard with the form above (4 to 10 panels).")])
    raw = _dict(book.get("storyboard"))
    board = _load_draft("storyboard", {**raw, "feedback": []}, getattr(book, "directory", None))  # feedback: its own check
    findings = board.check()
    n = len(board.panels)
    complete = sum(all(getattr(p, k).strip() and len(getattr(p, k)) <= sb_mod.TEXT_LIMIT for k in sb_mod.PANEL_FIELDS) for p in board.panels)
    count_share = 1.0 if sb_mod.MIN_PANELS <= n <= sb_mod.MAX_PANELS else (0.5 if n > sb_mod.MAX_PANELS else n / sb_mod.MIN_PANELS)
    shape = 0.5 * (n > 0 and sb_mod.states_problem(board.panels[0])) + 0.5 * (n > 1 and sb_mod.shows_outcome(board.panels[-1]))
    basics = 0.5 * bool(board.title.strip()) + 0.5 * bool(board.persona.strip())
    lines: list[Line] = [(count_share == 1.0, f"{n} panels ({sb_mod.MIN_PANELS} to {sb_mod.MAX_PANELS})."), (complete == n > 0, f"{complete} of {n} panels have a scene, direction and dialogue.")]
    lines += [(False, f.message) for f in findings] or [(True, "No problems found in the story.")]
    earned = points / 4 * (basics + count_share + (complete / max(n, sb_mod.MIN_PANELS)) + shape)
    return _result(name, points, earned, lines)


def adviser_feedback(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.errors import DataError
    from careerkit.storyboard import FEEDBACK_FIELDS

    name = "adviser_feedback"
    entries = _list(_dict(book.get("storyboard")).get("feedback"))
    if not entries:
        return _result(name, points, 0.0, [(False, "Share your storyboard with an adviser, then record their role, the date, what they said and your response.")])
    best, lines = 0.0, []
    for j, raw in enumerate(entries, start=1):
        try:  # each entry on its own, so one unfinished entry does not hide the others
            board = _load_draft("storyboard", {"title": "", "persona": "", "panels": [], "feedback": [raw]})
        except DataError as exc:
            lines.append((False, f"Feedback {j} is not complete yet: {str(exc).replace('feedback[0]', f'feedback[{j - 1}]')}"))
            continue
        fb = board.feedback[0]
        errors = [f.message for f in board.check() if f.field.startswith("feedback") and f.is_error and ".response" not in f.field]
        recorded = not errors and any(getattr(fb, k).strip() for k in FEEDBACK_FIELDS)
        best = max(best, 0.5 * recorded + 0.5 * _share(_words(fb.response), RESPONSE_MIN_WORDS))
        lines += [(False, f"Feedback {j}: {m}") for m in errors]
        lines.append((recorded, f"Feedback {j} from a {fb.role or '(role missing)'}: {'recorded' if recorded else 'incomplete'}; your response has {_words(fb.response)} words ({RESPONSE_MIN_WORDS}+ earn full marks)."))
    return _result(name, points, points * best, lines)


def canvas(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    name = "canvas"
    if not book.get("canvas"):
        return _result(name, points, 0.0, [(False, "Fill in your business model canvas with the form above.")])
    draft = _load_draft("canvas", book.get("canvas"))
    if strict and not getattr(book, "is_example", False):
        example = _load_draft("canvas", _answers.example_answers("m5-canvas")["canvas"])
        mine = " ".join(e.text for es in draft.blocks.values() for e in es)
        if _similar(mine, " ".join(e.text for es in example.blocks.values() for e in es)) >= 0.6:
            return _result(name, points, 0.0, [(False, "This canvas is (nearly) the worked example: lay out your own business idea.")])
    result = draft.score(max_points=points)
    lines: list[Line] = [(c.points >= c.max, f"{c.name}: {c.points:g} of {c.max:g}") for c in result.criteria.values()]
    lines += [(None, tip) for tip in result.feedback]
    findings = draft.check()
    lines += [(False, f"{f.severity}: {f}") for f in findings[:8]]
    if len(findings) > 8:
        lines.append((None, f"...and {len(findings) - 8} more problems."))
    return _result(name, points, result.total, lines)


def draws_on(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.catalog import COMPETENCY_IDS

    name = "draws_on"
    raw = _dict(_dict(book.get("canvas")).get("draws_on"))
    comps = [c for c in _list(raw.get("competencies")) if c in COMPETENCY_IDS]
    values = [v for v in _list(raw.get("values")) if isinstance(v, str) and v in _catalog().value_ids]
    lines: list[Line] = [
        (bool(comps), f"Competencies the business uses: {', '.join(comps) or 'none chosen yet'}."),
        (bool(values), f"Values it serves: {', '.join(values) or 'none chosen yet'}."),
    ]
    return _result(name, points, points * (0.5 * bool(comps) + 0.5 * bool(values)), lines)
