"""The rules behind each graded check (see :mod:`careerkit.grading`, which runs them safely):
the reflections, the skills inventory (m1) and the career research (m2) here; the interview
log, storyboard and canvas in :mod:`careerkit.grading_projects`.

Each check reads a module's answers (a plain mapping of JSON values), returns a
:class:`Result` (points and the lines explaining them) and may raise on odd input:
:func:`careerkit.grading.evaluate` turns any exception into 0 points and a message.
``strict=True`` adds the rules a visible test could be gamed around: template text
left unedited, copies of the worked example, near-identical reflections, dates in
the future.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerkit import answers as _answers

Line = tuple[bool | None, str]
TITLES = {
    "competencies": "Competency self-ratings",
    "evidence": "Evidence for each competency",
    "values_interests": "Discipline, values and interests",
    "reflection": "Reflection",
    "research": "Research notes on your career",
    "guide": "Interview guide",
    "messages": "Outreach messages",
    "meeting": "Safe meeting plan",
    "interview_log": "Interview log",
    "thank_you_notes": "Thank-you notes",
    "interview_reflection": "Interview reflection",
    "storyboard": "Storyboard",
    "adviser_feedback": "Adviser feedback and your response",
    "canvas": "Business model canvas",
    "draws_on": "What the business draws on (competencies and values)",
}
TA_NOTE = "Automatic first pass: TAs, override in formgrader if you disagree."
EVIDENCE_MIN_WORDS = 6
TAKEAWAY_MIN_WORDS = 10
RESPONSE_MIN_WORDS = 25
#: Content-word similarity at or above which two texts count as the same text.
SAME_TEXT = 0.7


@dataclass
class Result:
    """Points for one check and the lines that explain them (``ok``: True met, False missed, None information)."""

    title: str
    points: float
    max_points: float
    lines: list[Line] = field(default_factory=list)
    extra_html: str = ""

    def html(self) -> str:
        colour = "#2a7" if self.points >= self.max_points else "#c80" if self.points > 0 else "#c33"
        marks = {True: "&#10003;", False: "&#10007;", None: "&#8226;"}
        items = "".join(f"<li>{marks[ok]} {html.escape(text)}</li>" for ok, text in self.lines)
        return (
            f'<div class="careerkit-check" style="border-left:4px solid {colour};padding:.2em .8em;margin:.4em 0">'
            f"<p><b>{html.escape(self.title)}</b>: <b>{self.points:g}</b> / {self.max_points:g} points</p>"
            f"{f'<ul>{items}</ul>' if items else ''}{self.extra_html}</div>"
        )


def _result(name: str, points: float, earned: float, lines: list[Line], extra_html: str = "") -> Result:
    return Result(title=TITLES[name], points=earned, max_points=points, lines=lines, extra_html=extra_html)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _words(text: str) -> int:
    from careerkit.outreach import word_count

    return word_count(text)


def _similar(a: str, b: str) -> float:
    from careerkit.guide import similarity

    return similarity(a, b) if a.strip() and b.strip() else 0.0


def _catalog() -> Any:
    from careerkit.catalog import load_catalog

    return load_catalog()


def _share(n: float, of: float) -> float:
    return min(1.0, n / of) if of > 0 else 0.0


def _copies_example(book: Mapping[str, Any], text: str, examples: list[str]) -> bool:
    return not getattr(book, "is_example", False) and any(_similar(text, e) >= SAME_TEXT - 0.1 for e in examples if e)


# --- reflections ----------------------------------------------------------------------


def reflection_html(rs: Any) -> str:
    """Level, competencies with their evidence sentences, feedback and confidence, labelled for a TA."""
    e = html.escape
    catalog = _catalog()
    items = "".join(
        f"<li><b>{e(catalog.competency(cid).name)}</b>: &ldquo;{e(sentences[0])}&rdquo;</li>" for cid, sentences in rs.competencies.items()
    )
    return (
        f"<p>Level <b>{rs.level}</b> of 3: {e(rs.level_name)} &middot; {rs.words} words &middot; confidence {rs.confidence:.2f}</p>"
        f"<p>Competencies shown, with the sentence that shows each:</p><ul>{items or '<li>none yet</li>'}</ul>"
        f"<p><b>Feedback:</b> {e(rs.feedback)}</p><p><i>{e(TA_NOTE)}</i></p>"
    )


def _score_text(text: str, points: float) -> Any:
    from careerkit.reflection import ScoreConfig, score

    return score(text, config=ScoreConfig(max_points=points))


def reflection(book: Mapping[str, Any], points: float, *, strict: bool = False, key: str = "reflection") -> Result:
    raw = book.get(key)
    if raw is not None and not isinstance(raw, str):
        return _result("reflection", points, 0.0, [(False, f"The reflection should be text, but '{key}' holds a {type(raw).__name__}.")])
    text = raw or ""
    if not text.strip():
        return _result("reflection", points, 0.0, [(False, "You have not written this reflection yet: write it in the box above (it saves as you type).")])
    if strict:
        module = getattr(book, "module_id", "")
        examples = [_answers.EXAMPLE_TEXTS.get(module, ""), *_answers.EXAMPLE_TEXTS.values()]
        if _copies_example(book, text, examples):
            return _result("reflection", points, 0.0, [(False, "This reflection is (nearly) the worked example: write about your own experience.")])
    rs = _score_text(text, points)
    lines: list[Line] = [(rs.level >= 2, f"Level {rs.level}: {rs.level_name}; {rs.score:g} of {points:g} points.")]
    return _result("reflection", points, rs.score, lines, reflection_html(rs))


def interview_reflection(book: Mapping[str, Any], points: float, *, strict: bool = False, slot: int = 1) -> Result:
    """Slot 1 is the best-scored reflection of any interview, slot 2 the next... (strict: copies count once)."""
    name = "interview_reflection"
    texts = [(n, _text(_dict(i).get("reflection"))) for n, i in enumerate(_list(book.get("interviews")), start=1)]
    texts = [(n, t) for n, t in texts if t]
    if strict:
        kept: list[tuple[int, str]] = []
        examples = list(_answers.EXAMPLE_INTERVIEW_REFLECTIONS)
        for n, t in texts:
            if not any(_similar(t, k) >= SAME_TEXT for _, k in kept) and not _copies_example(book, t, examples):
                kept.append((n, t))
        texts = kept
    scored = sorted(((n, t, _score_text(t, points)) for n, t in texts), key=lambda x: (-x[2].score, x[0]))
    title = f"{TITLES[name]} {slot} (your {_ordinal(slot)} best)"
    if len(scored) < slot:
        why = "Only distinct reflections count: the same text in two interviews counts once. " if strict else ""
        msg = f"{why}You have {len(scored)} reflection{'s' * (len(scored) != 1)} so far; this slot takes your {_ordinal(slot)} best. Log another interview and reflect on it."
        return Result(title=title, points=0.0, max_points=points, lines=[(False, msg)])
    n, _, rs = scored[slot - 1]
    lines: list[Line] = [(rs.level >= 2, f"Your reflection on interview {n}: level {rs.level}, {rs.score:g} of {points:g} points.")]
    return Result(title=title, points=rs.score, max_points=points, lines=lines, extra_html=reflection_html(rs))


def _ordinal(n: int) -> str:
    return {1: "", 2: "second", 3: "third"}.get(n, f"{n}th").strip() or "very"


# --- m1: skills and values inventory ---------------------------------------------------


def competencies(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.profile import profile_from_dict

    name = "competencies"
    raw = book.get("profile")
    if raw is None:
        return _result(name, points, 0.0, [(False, "Rate yourself on the eight competencies with the sliders above.")])
    try:
        profile = profile_from_dict(raw, source="answers.json profile")
    except ValueError as exc:
        return _result(name, points, 0.0, [(False, f"Your profile could not be read: {exc}")])
    spread = len({r.rating for r in profile.ratings})
    lines: list[Line] = [(True, "All eight competencies are rated 0-3.")]
    lines.append((spread >= 2, "Your ratings show strengths and gaps." if spread >= 2 else "Every rating is the same: an honest inventory shows where you are stronger and weaker."))
    return _result(name, points, points / 2 + (points / 2 if spread >= 2 else 0.0), lines)


def evidence(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.catalog import COMPETENCY_IDS

    name = "evidence"
    comps = _dict(_dict(book.get("profile")).get("competencies"))
    catalog = _catalog()
    lines: list[Line] = []
    counted: list[str] = []
    for cid in COMPETENCY_IDS:
        label = catalog.competency(cid).name
        text = _text(_dict(comps.get(cid)).get("evidence"))
        ok, why = _words(text) >= EVIDENCE_MIN_WORDS, ""
        if strict and ok:
            c = catalog.competency(cid)
            if any(_similar(text, ref) >= 0.6 for ref in (c.definition, *c.indicators)):
                ok, why = False, " (it repeats the competency's definition: say where *you* showed it)"
            elif any(_similar(text, other) >= SAME_TEXT + 0.1 for other in counted):
                ok, why = False, " (the same evidence as another competency: give a different example)"
        if ok:
            counted.append(text)
            lines.append((True, f"{label}: evidence given."))
        else:
            lines.append((False, f"{label}: {'write where you showed it (a sentence of ' + str(EVIDENCE_MIN_WORDS) + '+ words)' if not why else 'not counted'}{why}."))
    return _result(name, points, points * len(counted) / len(COMPETENCY_IDS), lines)


def values_interests(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    name = "values_interests"
    profile = _dict(book.get("profile"))
    catalog = _catalog()
    discipline = _text(profile.get("discipline"))
    ok_discipline = bool(discipline) and catalog.resolve_discipline(discipline) is not None
    values = list(dict.fromkeys(v for v in _list(profile.get("values")) if isinstance(v, str) and v in catalog.value_ids))
    extras = [t for t in (*_list(profile.get("interests")), *_list(profile.get("sectors"))) if _text(t)]
    lines: list[Line] = [
        (ok_discipline, "Discipline chosen." if ok_discipline else "Choose your discipline."),
        (len(values) >= 3, f"{len(values)} value{'s' * (len(values) != 1)} ranked (3 or more earn full marks)."),
        (bool(extras), "Interests or sectors named." if extras else "Add at least one interest or sector you are curious about."),
    ]
    earned = points * (0.25 * ok_discipline + 0.5 * _share(len(values), 3) + 0.25 * bool(extras))
    return _result(name, points, earned, lines)


# --- m2: the assigned career ----------------------------------------------------------


def assigned_career(book: object) -> tuple[Any, str]:
    """(career, "") or (None, a friendly message saying what is missing)."""
    from careerkit.files import read_csv

    directory = getattr(book, "directory", None) or Path(".")
    sid = _answers.student_id(book if isinstance(book, _answers.AnswerBook) else None, directory=directory)
    if sid is None and isinstance(book, Mapping):
        sid = _text(book.get("student_id")) or None
    path = Path(directory) / "careers.csv"
    if not path.is_file():
        return None, "There is no careers.csv beside this notebook yet, so your assigned career cannot be shown. Your instructor adds it when the module is released: ask them."
    if sid is None:
        return None, "We don't know your student id yet. Type it in the box below (the id on your course roster, e.g. s014), then run this cell again."
    _, rows = read_csv(path, required=("student_id", "career_id"))
    match = next((r.values for r in rows if r.values["student_id"] == sid), None)
    if match is None:
        return None, f"Your student id '{sid}' is not in careers.csv. Check it for typos in the box below, or ask your instructor to add you."
    catalog = _catalog()
    if match["career_id"] not in catalog:
        return None, f"careers.csv assigns you '{match['career_id']}', which careerkit does not know. Ask your instructor."
    return catalog.career(match["career_id"]), ""


def career_html(career: Any) -> str:
    e = html.escape
    catalog = _catalog()
    top = ", ".join(catalog.competency(c).name for c in career.top_competencies(3))
    routes = "".join(f"<li>{e(r)}</li>" for r in career.entry_routes)
    return (
        f'<div style="border-left:4px solid #27a;padding:.3em .8em"><h4>Your assigned career: {e(career.title)}</h4>'
        f"<p><i>{e(catalog.sector(career.sector).name)}</i></p><p>{e(career.description)}</p>"
        f"<p>It leans most on: {e(top)}.</p>{f'<p>Common ways in:</p><ul>{routes}</ul>' if routes else ''}</div>"
    )


def research(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    name = "research"
    notes = _dict(book.get("research"))
    summary, surprises = _text(notes.get("summary")), _text(notes.get("surprises"))
    sources = [s for s in _list(notes.get("sources")) if len(_text(s)) >= 3]
    summary_share, lines = _share(_words(summary), 40), []
    if strict and summary:
        career, _ = assigned_career(book)
        careers = [career] if career is not None else list(_catalog())
        if any(_similar(summary, c.description) >= 0.6 for c in careers):
            summary_share = 0.0
            lines.append((False, "Your summary repeats the catalog's description: write what you found in your own research, in your own words."))
    lines += [
        (summary_share >= 1, f"Summary: {_words(summary)} words (40 or more earn full marks)."),
        (_words(surprises) >= 15, f"What surprised you: {_words(surprises)} words (15 or more)."),
        (bool(sources), f"{len(sources)} source{'s' * (len(sources) != 1)} listed (at least one)."),
    ]
    earned = points * (0.5 * summary_share + 0.25 * _share(_words(surprises), 15) + 0.25 * bool(sources))
    return _result(name, points, earned, lines)


_GENERATED = re.compile(r"\s(?:It also probes|A concrete example of|How newcomers build|An honest sense of|[A-Z][\w -]+ is one of my top values;).*$", re.S)


def _is_template(text: str, template: str, strict: bool) -> bool:
    """True when ``text`` is the bank's template (placeholders filled in) rather than the student's own words."""
    text = " ".join(text.split())
    pattern = "".join(".+?" if i % 2 else re.escape(part) for i, part in enumerate(re.split(r"\{\w+\}", template)))
    if re.match(pattern, text):
        return True
    if not strict:
        return False
    from careerkit.guide import content_words

    mine, theirs = content_words(_GENERATED.sub("", text)), content_words(re.sub(r"\{\w+\}", " ", template))
    return bool(theirs) and len(mine & theirs) / len(theirs) >= 0.8 and len(mine - theirs) <= 4


def guide(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.errors import DataError
    from careerkit.questions import REQUIRED, load_bank

    name = "guide"
    items = [_dict(q) for q in _list(book.get("guide")) if _text(_dict(q).get("text"))]
    if not items:
        return _result(name, points, 0.0, [(False, "Build your interview guide with the form above, then edit why you ask each question and what you hope to hear.")])
    bank = load_bank()
    categories = {re.sub(r"-\d+$", "", _text(q.get("question_id"))) for q in items}
    filled = [q for q in items if _words(_text(q.get("why"))) >= 3 and _words(_text(q.get("hope"))) >= 3]
    own = 0
    for q in items:
        try:
            template = bank.get(_text(q.get("question_id")))
        except DataError:
            own += 1  # a question of the student's own
            continue
        if not (_is_template(_text(q.get("why")), template.why, strict) and _is_template(_text(q.get("hope")), template.hope, strict)):
            own += 1
    missing = [c for c in REQUIRED if c not in categories]
    lines: list[Line] = [
        (len(items) >= 6, f"{len(items)} questions (6 or more earn full marks)."),
        (not missing, "Your path, skills, networks-and-luck and a closing referral question are all there." if not missing else f"Add a question of each kind: missing {', '.join(missing)}."),
        (len(filled) == len(items), f"{len(filled)} of {len(items)} questions say why you ask and what you hope to hear."),
        (own * 2 >= len(items), f"{own} of {len(items)} questions are in your own words (edit at least half of the generated 'why' and 'hope' lines)."),
    ]
    earned = points / 4 * (_share(len(items), 6) + 1 - len(missing) / len(REQUIRED) + len(filled) / len(items) + _share(own * 2, len(items)))
    return _result(name, points, earned, lines)


def messages(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.outreach import Message

    name = "messages"
    msgs = _dict(book.get("messages"))
    email, linkedin = _dict(msgs.get("email")), _dict(msgs.get("linkedin"))
    subject, email_body, note = _text(email.get("subject")), _text(email.get("body")), _text(linkedin.get("body"))
    lines: list[Line] = [(_words(subject) >= 2, "The email has a subject line." if _words(subject) >= 2 else "Give the email a subject line.")]
    earned = points * 0.125 * (_words(subject) >= 2)
    templates = _templates(book) if strict else {}
    for kind, label, body in (("email", "email", email_body), ("linkedin", "LinkedIn note", note)):
        if not body:
            lines.append((False, f"Write your {label} (start from the template in the form, then make it yours)."))
            continue
        problems = Message(kind=kind, subject=subject if kind == "email" else "", body=body).check()
        if strict and any(_similar(body, t) >= 0.75 for t in templates.get(kind, ())):
            problems = (*problems, "It is still the generated template: make it personal (how you found them, what you want to learn from them).")
        lines += [(False, f"Your {label}: {p}") for p in problems] or [(True, f"Your {label} is within the limits and ready to send.")]
        earned += points * 0.375 * (not problems)
    signed = bool(email_body and note) and "[your name]" not in email_body + note
    lines.append((signed, "Both messages are signed with your name." if signed else "Sign both messages with your name (replace '[your name]')."))
    return _result(name, points, earned + points * 0.125 * signed, lines)


def _templates(book: Mapping[str, Any]) -> dict[str, list[str]]:
    from careerkit.outreach import cold_email, linkedin_note
    from careerkit.profile import neutral_profile

    career, _ = assigned_career(book)
    careers = [career] if career is not None else list(_catalog())
    profile = neutral_profile()
    return {"email": [cold_email(profile, c).body for c in careers], "linkedin": [linkedin_note(profile, c).body for c in careers]}


def meeting(book: Mapping[str, Any], points: float, *, strict: bool = False) -> Result:
    from careerkit.outreach import meeting_safety

    name = "meeting"
    plan = _dict(book.get("meeting"))
    location, text = _text(plan.get("location")), _text(plan.get("plan"))
    if not location:
        return _result(name, points, 0.0, [(False, "Choose where you will meet (or call) in the form above.")])
    safety = meeting_safety(location)
    lines: list[Line] = [(safety.safe, safety.reason), (_words(text) >= 12, f"Your plan: {_words(text)} words (12 or more: when, how, and who knows about it).")]
    return _result(name, points, points * (0.5 * safety.safe + 0.5 * _share(_words(text), 12)), lines)
