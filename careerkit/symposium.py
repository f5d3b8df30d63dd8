"""The symposium booklet: "What can you be with a grad degree?", one printed page per career.

The cohort's careers (each student's assigned career, and every career someone logged an
interview about) each get a page: the catalog's summary, what the students who explored
it learned, and how often their interviews led somewhere (:data:`interviews.OUTCOMES`).

The booklet is shared beyond the class, so it is built from consent:

- an interview's ``takeaways`` and a sentence or two of its ``reflection`` appear only
  when that interview has ``consent_to_share`` set;
- a student is named only when their module 3 answers say ``"share_name": true``;
  otherwise they are "a student in <discipline>";
- the interviewee's personal fields (:data:`interviews.PERSONAL_FIELDS`) are never shown:
  they are read only to mask them (and any e-mail address or phone number) where a student
  typed them into shared text, as "[name]" / "[contact]"; the name of a classmate who did
  not choose to be named is masked the same way.

Every piece of text is HTML-escaped; the page has no scripts and loads nothing.
Answers come from ``autograded/<student>/m3-interviews/answers.json`` (``submitted/`` when
there is no readable autograded copy); a missing or broken file only means that student
has nothing to share.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerkit.answers import FILENAME as ANSWERS_FILE
from careerkit.answers import GRADING_STEPS
from careerkit.catalog import Career, Catalog, load_catalog
from careerkit.course import Course
from careerkit.errors import CareerkitError
from careerkit.files import atomic_write_text
from careerkit.interviews import OUTCOMES, PERSONAL_FIELDS
from careerkit.pages import esc, page

MODULE = "m3-interviews"
REPORTS_DIR = "reports"
BOOKLET_FILE = "symposium.html"
TITLE = "What can you be with a grad degree?"
#: How much of a consented reflection the booklet quotes.
EXCERPT_SENTENCES, EXCERPT_CHARS = 2, 400
NAME_MASK, CONTACT_MASK = "[name]", "[contact]"
_YES = ("yes", "y", "true", "1")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
#: A phone number has a leading + or at least this many digits (an ISO date has 8).
PHONE_DIGITS = 9
_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})
#: How an unnamed student is shown ("a student in Chemistry" when the discipline is known).
_ANONYMOUS = "a student"

CSS = """
body { margin: 0; }
.ck-root { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
.cover h1 { font-size: 2rem; }
.cover ol { columns: 2; column-gap: 2.5rem; padding-left: 2rem; }
.cover li { break-inside: avoid; }
section.career { border-top: 2px solid #222; margin-top: 2rem; padding-top: 1rem; }
section.career h2 { font-size: 1.4rem; }
.sector { text-transform: uppercase; letter-spacing: .05em; font-size: .8rem; color: #555; }
.summary { margin: .6rem 0 1rem; }
table.outcomes { border-collapse: collapse; margin: .4rem 0 1rem; }
table.outcomes th, table.outcomes td { border: 1px solid #bbb; padding: .15rem .5rem; text-align: left; }
table.outcomes caption { text-align: left; font-weight: 600; margin-bottom: .2rem; }
table.outcomes td.n { text-align: center; }
.voice { margin: .8rem 0; padding-left: .8rem; border-left: 3px solid #ccc; }
.voice .who { font-weight: 600; }
.voice blockquote { margin: .3rem 0; font-style: italic; }
.empty { color: #555; }
@media print {
  .ck-root { max-width: none; padding: 0; }
  section.career { break-before: page; page-break-before: always; border-top: none; margin-top: 0; }
  .voice, table.outcomes { break-inside: avoid; page-break-inside: avoid; }
}
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Voice:
    """What one student shared about one career (only consented text, already scrubbed)."""

    student: str  # the student's name, or "a student in <discipline>"
    takeaways: tuple[str, ...] = ()
    reflections: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class CareerPage:
    """One career's page: who explored it, what they shared, where their interviews led."""

    career: Career
    assigned: set[str] = field(default_factory=set)
    interviewed: set[str] = field(default_factory=set)
    interviews: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    voices: list[Voice] = field(default_factory=list)

    @property
    def students(self) -> int:
        return len(self.assigned | self.interviewed)


def build_booklet(course_dir: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> Path:
    """Write the booklet (default ``<course>/reports/symposium.html``) atomically and return its path."""
    course = Course.open(course_dir)
    catalog = load_catalog()
    pages = collect(course, catalog)
    target = Path(out) if out is not None else course.root / REPORTS_DIR / BOOKLET_FILE
    return atomic_write_text(target, render(pages, catalog))


def collect(course: Course, catalog: Catalog | None = None) -> list[CareerPage]:
    """Every explored career's page, in sector then title order; nothing personal leaves here."""
    catalog = catalog or load_catalog()
    assignments = course.assignments()
    people = _people(course, assignments)
    pages: dict[str, CareerPage] = {}

    def page_for(career_id: object) -> CareerPage | None:
        if not isinstance(career_id, str) or career_id not in catalog:
            return None  # an unknown or mistyped career has no catalog summary to show
        if career_id not in pages:
            pages[career_id] = CareerPage(career=catalog.career(career_id))
        return pages[career_id]

    for a in assignments:
        p = page_for(a.career_id)
        if p is not None:
            p.assigned.add(a.student_id)

    logs = {sid: _interviews(course, sid) for sid in sorted(set(people) | _students_with_work(course))}
    # Any interviewee's name or contact may turn up in anyone's text (classmates share contacts),
    # and so may the name of a classmate who did not choose to be named.
    private = {t for entries, _ in logs.values() for e in entries for f in PERSONAL_FIELDS if (t := _text(e.get(f)))}
    private |= {name for sid, (name, _) in people.items() if name and not logs.get(sid, ([], False))[1]}
    hide = sorted(private)

    for sid, (entries, share_name) in logs.items():
        name, discipline = people.get(sid, ("", None))
        who = name if share_name and name else (f"{_ANONYMOUS} in {catalog.discipline_name(discipline)}" if discipline else _ANONYMOUS)
        shared: dict[str, tuple[list[str], list[str]]] = {}
        for entry in entries:
            p = page_for(entry.get("career_id"))
            if p is None:
                continue
            p.interviewed.add(sid)
            p.interviews += 1
            p.outcomes.update(o for o in _list(entry.get("outcomes")) if o in OUTCOMES)
            if not _yes(entry.get("consent_to_share")):
                continue
            takeaways, reflections = shared.setdefault(p.career.id, ([], []))
            text = scrub(_text(entry.get("takeaways")), hide)
            if text:
                takeaways.append(text)
            excerpt = _excerpt(scrub(_text(entry.get("reflection")), hide))  # scrub first: a cut must not leave half a name
            if excerpt:
                reflections.append(excerpt)
        for career_id, (takeaways, reflections) in shared.items():
            if takeaways or reflections:
                pages[career_id].voices.append(Voice(student=who, takeaways=tuple(takeaways), reflections=tuple(reflections)))

    sector_names = {s.id: s.name for s in catalog.sectors}
    return sorted(pages.values(), key=lambda p: (sector_names.get(p.career.sector, p.career.sector), p.career.title))


def render(pages: list[CareerPage], catalog: Catalog) -> str:
    """The booklet as one self-contained HTML document (no scripts, nothing loaded)."""
    students = len(set().union(*(p.assigned | p.interviewed for p in pages))) if pages else 0
    interviews = sum(p.interviews for p in pages)
    contents = "".join(f'<li><a href="#career-{esc(p.career.id)}">{esc(p.career.title)}</a></li>' for p in pages)
    cover = (
        f'<header class="cover"><h1>{esc(TITLE)}</h1>'
        f"<p>{students} graduate students explored {len(pages)} careers beyond the bench and the lectern, "
        f"in {interviews} informational interviews. Here is what they learned, in their own words, shared with their consent.</p>"
        f"<ol>{contents}</ol></header>"
    )
    body = cover + "".join(_career_html(p, catalog) for p in pages)
    if not pages:
        body += '<p class="empty">No careers have been explored yet.</p>'
    return page(title=TITLE, body=body, css=CSS)


def scrub(text: str, private: Iterable[str]) -> str:
    """``text`` with e-mail addresses, phone numbers and the private names and contacts masked.

    A contact (anything with a digit or an ``@``) is masked whole; a name also part by part
    ("Dr. Lena Weber" masks "Lena" and "Weber" on their own), as interviews._scrub does.
    """
    text = _EMAIL.sub(CONTACT_MASK, text)
    masks: dict[str, str] = {}
    for item in private:
        item = " ".join(item.split())
        if "@" in item or any(ch.isdigit() for ch in item):
            masks[item] = CONTACT_MASK
        else:
            for part in (item, *re.split(r"[\s,]+", item)):
                if len(part.strip(".")) >= 2 and part.strip(".").lower() not in _HONORIFICS:
                    masks.setdefault(part, NAME_MASK)
    for value in sorted(masks, key=len, reverse=True):  # whole names before their parts
        words = r"\s+".join(re.escape(w) for w in value.split())
        text = re.sub(rf"(?<!\w){words}(?!\w)", masks[value], text, flags=re.IGNORECASE)
    return _PHONE.sub(lambda m: CONTACT_MASK if m.group(0).startswith("+") or sum(ch.isdigit() for ch in m.group(0)) >= PHONE_DIGITS else m.group(0), text)


# --- rendering --------------------------------------------------------------------------


def _career_html(p: CareerPage, catalog: Catalog) -> str:
    c = p.career
    try:
        sector = catalog.sector(c.sector).name
    except CareerkitError:
        sector = c.sector
    plural = "s" if p.students != 1 else ""
    explored = f"Explored by {p.students} student{plural}; {p.interviews} interview{'s' if p.interviews != 1 else ''} logged."
    heads = "".join(f"<th>{esc(o)}</th>" for o in OUTCOMES)
    counts = "".join(f'<td class="n" data-outcome="{esc(o)}">{p.outcomes.get(o, 0)}</td>' for o in OUTCOMES)
    outcomes = f'<table class="outcomes"><caption>Where the interviews led</caption><tr>{heads}</tr><tr>{counts}</tr></table>'
    if p.voices:
        learned = "".join(_voice_html(v) for v in p.voices)
    else:
        learned = '<p class="empty">No one has shared takeaways about this career yet.</p>'
    return (
        f'<section class="career" id="career-{esc(c.id)}" data-career="{esc(c.id)}">'
        f'<p class="sector">{esc(sector)}</p><h2>{esc(c.title)}</h2>'
        f'<p class="summary">{esc(" ".join(c.description.split()))}</p>'
        f'<p class="ck-muted">{esc(explored)}</p>{outcomes}'
        f"<h3>What they learned</h3>{learned}</section>"
    )


def _voice_html(v: Voice) -> str:
    items = "".join(f"<li>{esc(t)}</li>" for t in v.takeaways)
    quotes = "".join(f"<blockquote>{esc(r)}</blockquote>" for r in v.reflections)
    who = v.student[:1].upper() + v.student[1:]
    return f'<div class="voice"><p class="who">{esc(who)}</p>' + (f"<ul>{items}</ul>" if items else "") + quotes + "</div>"


# --- reading the course, leniently: a broken file means nothing shared ---------------------


def _people(course: Course, assignments: Iterable[Any]) -> dict[str, tuple[str, str | None]]:
    """student id -> (name, discipline id); the roster when readable, else assignments.csv."""
    people: dict[str, tuple[str, str | None]] = {a.student_id: (a.name, a.discipline or None) for a in assignments}
    try:
        roster = course.roster()
    except CareerkitError:
        return people
    for s in roster:
        people[s.student_id] = (s.name, s.discipline)
    return people


def _students_with_work(course: Course) -> set[str]:
    found: set[str] = set()
    for step in GRADING_STEPS:
        base = course.path(step)
        if base.is_dir():
            found.update(p.parent.name for p in base.glob(f"*/{MODULE}") if p.is_dir())
    return found


def _interviews(course: Course, student_id: str) -> tuple[list[Mapping[str, Any]], bool]:
    """The student's interview entries (objects only) and whether they chose to be named."""
    for step in GRADING_STEPS:
        data = _read_answers(course.path(step, student_id, MODULE, ANSWERS_FILE))
        if data is not None:
            entries = data.get("interviews")
            rows = [e for e in entries if isinstance(e, Mapping)] if isinstance(entries, list) else []
            return rows, data.get("share_name") is True
    return [], False


def _read_answers(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _yes(value: object) -> bool:
    """Consent is given, never assumed: True, or a yes in words."""
    return value is True or (isinstance(value, str) and value.strip().lower() in _YES)


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(o.strip().lower() for o in value if isinstance(o, str) and o.strip()))


def _excerpt(text: str) -> str:
    """The first sentence or two, cut at a word near :data:`EXCERPT_CHARS`."""
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    excerpt = " ".join(sentences[:EXCERPT_SENTENCES])
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    return excerpt
