"""A student's interview guide: introduction, ordered questions with *why* and *hope*, and its exports.

Built by :func:`careerkit.questions.build_guide`; shown in notebooks, printed on paper
(:meth:`InterviewGuide.to_html`), saved as Markdown or JSON records. Guides are
immutable: :meth:`InterviewGuide.edit` returns a new guide with a question's *why*
or *hope* rewritten in the student's own words, and :meth:`InterviewGuide.check`
says what is still missing.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from careerkit.errors import DataError, UnknownIdError, did_you_mean

CATEGORY_TITLES = {
    "path": "Your path",
    "day": "A typical day",
    "skills": "Skills",
    "industry": "The industry",
    "culture": "Culture and people",
    "discipline_bridge": "From my discipline to yours",
    "advice": "Advice",
    "network_luck": "Networks and luck",
    "closing": "Closing",
}
EMPTY_REASON = "a student who cannot say what they hope the answer will be should not ask the question"
# Words that carry no content when comparing two questions.
STOPWORDS = frozenset(
    """a about after all am an and any anything are as at be been before being but by can could did do does doing
    for from get had has have how i if in into is it its just me might more most much my of on one or other our
    out over should so some than that the their them then there these they this those to up us was we were what
    when where which who whom why will with would you your yours""".split()
)
_WORD = re.compile(r"[a-z]+")


def content_words(text: str) -> frozenset[str]:
    """Lower-case content words of a text, with plural and -ing/-ed endings trimmed."""
    words = set()
    for w in _WORD.findall(text.lower()):
        if w in STOPWORDS:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                break
        words.add(w)
    return frozenset(words)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two texts' content words (1.0 = same words)."""
    wa, wb = content_words(a), content_words(b)
    if not wa and not wb:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    return len(wa & wb) / len(wa | wb)


@dataclass(frozen=True, slots=True, kw_only=True)
class Introduction:
    """What the student says first: who they are, one strength, why this career."""

    text: str
    minutes: float

    def __post_init__(self) -> None:
        if not self.text.strip() or self.minutes < 0:
            raise DataError("an introduction needs a text and a non-negative time")


@dataclass(frozen=True, slots=True, kw_only=True)
class GuideQuestion:
    """One question as the student will ask it; ``probes`` names the gap competency or value it targets."""

    id: str
    category: str
    text: str
    competencies: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    minutes: float
    why: str
    hope: str
    probes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise DataError(f"question '{self.id}' has no text")
        if self.category not in CATEGORY_TITLES:
            raise DataError(f"question '{self.id}': unknown category '{self.category}'{did_you_mean(self.category, CATEGORY_TITLES)}")
        if not self.minutes > 0:
            raise DataError(f"question '{self.id}': minutes must be positive, got {self.minutes!r}")
        for name in ("competencies", "values", "probes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True, slots=True, kw_only=True)
class InterviewGuide:
    """An introduction and ordered questions for one informational interview, within ``minutes``."""

    career_id: str
    career_title: str
    minutes: float
    seed: int
    intro: Introduction
    questions: tuple[GuideQuestion, ...]
    student_id: str | None = None

    def __post_init__(self) -> None:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise DataError("an interview guide asks each question once")
        object.__setattr__(self, "questions", tuple(self.questions))

    def __iter__(self) -> Iterator[GuideQuestion]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def total_minutes(self) -> float:
        """Introduction plus every question's realistic minutes."""
        return self.intro.minutes + sum(q.minutes for q in self.questions)

    def edit(self, question: str | int, *, why: str | None = None, hope: str | None = None) -> InterviewGuide:
        """A copy with one question's *why* and/or *hope* replaced; ``question`` is its id or its number (1, 2...)."""
        index = self._index(question)
        old = self.questions[index]
        new = dataclasses.replace(
            old,
            why=" ".join(why.split()) if why is not None else old.why,
            hope=" ".join(hope.split()) if hope is not None else old.hope,
        )
        return dataclasses.replace(self, questions=(*self.questions[:index], new, *self.questions[index + 1 :]))

    def check(self) -> tuple[str, ...]:
        """Plain-language problems to fix before the interview (empty when the guide is ready)."""
        problems = []
        for n, q in enumerate(self.questions, start=1):
            for name, label in (("why", "why you are asking"), ("hope", "what you hope to hear")):
                if not getattr(q, name).strip():
                    problems.append(f"Question {n} ({q.id}) has no '{label}': write it, or drop the question; {EMPTY_REASON}.")
        if self.total_minutes > self.minutes + 1e-9:
            problems.append(f"The guide takes {self.total_minutes:g} minutes but you asked for {self.minutes:g}: drop a question.")
        return tuple(problems)

    def to_records(self) -> list[dict[str, object]]:
        """One JSON-ready dict per question, in order."""
        return [
            {
                "number": n,
                "id": q.id,
                "category": q.category,
                "text": q.text,
                "why": q.why,
                "hope": q.hope,
                "minutes": q.minutes,
                "competencies": list(q.competencies),
                "values": list(q.values),
                "probes": list(q.probes),
            }
            for n, q in enumerate(self.questions, start=1)
        ]

    def _sections(self) -> list[tuple[str, list[tuple[int, GuideQuestion]]]]:
        sections: list[tuple[str, list[tuple[int, GuideQuestion]]]] = []
        for n, q in enumerate(self.questions, start=1):
            if not sections or sections[-1][0] != q.category:
                sections.append((q.category, []))
            sections[-1][1].append((n, q))
        return sections

    def _heading(self) -> str:
        return f"{self.total_minutes:g} of {self.minutes:g} minutes, {len(self.questions)} questions (seed {self.seed})"

    def to_markdown(self) -> str:
        """The guide as Markdown, one section per category."""
        lines = [f"# Informational interview: {self.career_title}", "", f"*{self._heading()}*", ""]
        lines += [f"## Introduction (about {self.intro.minutes:g} min)", "", self.intro.text, ""]
        for category, items in self._sections():
            lines += [f"## {CATEGORY_TITLES[category]}", ""]
            for n, q in items:
                lines.append(f"{n}. **{q.text}** ({q.minutes:g} min)")
                lines.append(f"    - *Why I am asking:* {q.why}")
                lines.append(f"    - *What I hope to hear:* {q.hope}")
            lines.append("")
        return "\n".join(lines)

    def _body_html(self) -> str:
        e = html.escape
        parts = [f"<h1>Informational interview: {e(self.career_title)}</h1>", f'<p class="meta">{e(self._heading())}</p>']
        parts.append(f"<h2>Introduction (about {self.intro.minutes:g} min)</h2><p>{e(self.intro.text)}</p>")
        for category, items in self._sections():
            parts.append(f"<h2>{e(CATEGORY_TITLES[category])}</h2>")
            parts.append(f'<ol start="{items[0][0]}">')
            for _, q in items:
                parts.append(
                    f'<li><p class="q">{e(q.text)} <span class="meta">({q.minutes:g} min)</span></p>'
                    f'<p class="why"><em>Why I am asking:</em> {e(q.why)}</p>'
                    f'<p class="hope"><em>What I hope to hear:</em> {e(q.hope)}</p>'
                    '<div class="notes"></div></li>'
                )
            parts.append("</ol>")
        return "\n".join(parts)

    def to_html(self) -> str:
        """A standalone HTML page that prints well on paper (room for notes under each question)."""
        title = html.escape(f"Informational interview: {self.career_title}")
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Georgia, "Times New Roman", serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; color: #111; }}
h1 {{ font-size: 1.5rem; margin-bottom: 0.2rem; }}
h2 {{ font-size: 1.1rem; border-bottom: 1px solid #999; margin-top: 1.4rem; break-after: avoid; page-break-after: avoid; }}
li {{ margin-bottom: 0.9rem; break-inside: avoid; page-break-inside: avoid; }}
p {{ margin: 0.15rem 0; }}
.q {{ font-weight: bold; }}
.meta {{ color: #555; font-size: 0.9rem; font-weight: normal; }}
.notes {{ height: 2.6rem; border-bottom: 1px dotted #888; }}
@media print {{
  @page {{ size: A4; margin: 16mm; }}
  body {{ max-width: none; margin: 0; padding: 0; font-size: 11pt; }}
  .meta {{ color: #333; }}
}}
</style>
</head>
<body>
{self._body_html()}
</body>
</html>
"""

    def _repr_html_(self) -> str:
        return f"<div>{self._body_html()}</div>"

    def __str__(self) -> str:
        lines = [f"Informational interview: {self.career_title} ({self._heading()})", "", f"Introduction: {self.intro.text}", ""]
        for n, q in enumerate(self.questions, start=1):
            lines.append(f"{n:>2}. [{q.category}] {q.text} ({q.minutes:g} min)")
            lines.append(f"    why:  {q.why}")
            lines.append(f"    hope: {q.hope}")
        return "\n".join(lines)

    def _index(self, question: str | int) -> int:
        if isinstance(question, int) and not isinstance(question, bool):
            if not 1 <= question <= len(self.questions):
                raise UnknownIdError(f"question number {question} out of range; this guide has questions 1 to {len(self.questions)}")
            return question - 1
        for i, q in enumerate(self.questions):
            if q.id == question:
                return i
        ids = [q.id for q in self.questions]
        raise UnknownIdError(f"no question '{question}' in this guide{did_you_mean(str(question), ids)}; its ids are {', '.join(ids)}")
