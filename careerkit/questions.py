"""The informational-interview question bank and the builder of a student's interview guide.

The bank (``data/questions.yaml``) holds open questions by category, each with the
competencies and values it probes, realistic minutes for question plus answer, and
templates of *why I am asking* and *what I hope to hear*. :func:`build_guide` draws
a guide that fits a time budget:

1. a short self-introduction from the profile (discipline, one strength with its
   evidence, why this career);
2. one question each of ``path``, ``skills`` and ``network_luck`` and a closing
   referral question ("who else should I talk to?"), always;
3. more questions while time is left, by weighted sampling without replacement
   (Efraimidis-Spirakis keys from a seeded ``random.Random``): a question weighs more
   when it probes the student's biggest competency gaps for the career or their top
   values. At most a few per category, never a near-duplicate of one already chosen.

The guide is ordered path first, closing last, and is the same for the same
profile, career, budget, seed and bank.
"""

from __future__ import annotations

import functools
import json
import math
import os
import random
import re
import string
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from careerkit.catalog import COMPETENCY_IDS, Career, Catalog, _entries, load_catalog
from careerkit.errors import DataError, UsageError, did_you_mean
from careerkit.files import data_path
from careerkit.guide import GuideQuestion, InterviewGuide, Introduction, similarity
from careerkit.outreach import lower_title, with_article
from careerkit.profile import Gap, Profile, gap, load_profile, neutral_profile

CATEGORIES = ("path", "day", "skills", "industry", "culture", "advice", "network_luck", "discipline_bridge", "closing")
#: The order of a guide's sections: the story first, the referral and thanks last.
ORDER = ("path", "day", "skills", "industry", "culture", "discipline_bridge", "advice", "network_luck", "closing")
REQUIRED = ("path", "skills", "network_luck", "closing")
PLACEHOLDERS = ("career", "sector", "discipline")
MIN_MINUTES, MAX_MINUTES, DEFAULT_MINUTES = 10, 60, 25
QUESTION_MINUTES = (0.5, 10.0)
INTRO_MINUTES = 1.0
#: Token Jaccard over content words at or above which two questions count as the same question.
NEAR_DUPLICATE = 0.5
CLOSING_CAP = 2
MENTION_CAP = 2
FORMATS = ("md", "html", "json")
ID_RE = re.compile(r"^(?P<category>[a-z_]+)-\d{2,}$")
#: A closing question that asks for names: "who else should I talk to?"
REFERRAL_RE = re.compile(
    r"\bwho else\b|\btalk to\b|\bspeak (?:to|with)\b|\bsuggest (?:someone|anyone)\b|\bis there someone\b|\brecommend (?:someone|anyone)\b",
    re.IGNORECASE,
)
# Weight of a question = 1 + these factors times the focus scores (3, 2, 1 for the top three gaps / values).
GAP_FACTOR, VALUE_FACTOR = 2.0, 1.0
FOCUS_SCORES = (3, 2, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One bank entry; ``text``, ``why`` and ``hope`` may hold {career}, {sector} and {discipline}."""

    id: str
    category: str
    text: str
    competencies: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    minutes: float
    why: str
    hope: str

    def __post_init__(self) -> None:
        texts = {"text": self.text, "why": self.why, "hope": self.hope}
        for name, problem in _problems(self.id, self.category, self.minutes, self.competencies, texts):
            raise DataError(f"question '{self.id}' field '{name}': {problem}")

    @property
    def is_referral(self) -> bool:
        """A closing question that asks for the names of other people to talk to."""
        return self.category == "closing" and bool(REFERRAL_RE.search(self.text))

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(n for t in (self.text, self.why, self.hope) for n in _fields(t))


@dataclass(frozen=True, slots=True)
class QuestionBank:
    """All questions of a bank, in file order; complete enough to build any guide."""

    questions: tuple[Question, ...]
    source: str = ""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise DataError(f"{self.source or 'question bank'}: duplicate id '{q.id}'")
            seen.add(q.id)
        counts = self.counts()
        missing = [c for c in REQUIRED if not counts[c]]
        if missing:
            raise DataError(f"{self.source or 'question bank'}: no '{missing[0]}' question; every guide needs one of each of {', '.join(REQUIRED)}")
        if not any(q.is_referral for q in self.questions):
            raise DataError(f"{self.source or 'question bank'}: no closing referral question (like 'Who else should I talk to?'); every guide ends with one")

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise DataError(f"Unknown question '{question_id}'{did_you_mean(question_id, [q.id for q in self.questions])}")

    def counts(self) -> Counter[str]:
        """Questions per category (every category present, zero if empty)."""
        counts = Counter({c: 0 for c in CATEGORIES})
        counts.update(q.category for q in self.questions)
        return counts


def load_bank(path: str | os.PathLike[str] | None = None, *, catalog: Catalog | None = None) -> QuestionBank:
    """Read and validate a question bank (default: the shipped ``data/questions.yaml``)."""
    if path is None and (catalog is None or catalog is load_catalog()):
        return _default_bank()  # parsed once per process
    catalog = catalog or load_catalog()
    p = Path(path) if path is not None else data_path("questions.yaml")
    questions = []
    for e in _entries(p):
        category = e.text("category")
        if category not in CATEGORIES:
            raise e.fail("category", f"unknown category '{category}'{did_you_mean(category, CATEGORIES)}; categories are {', '.join(CATEGORIES)}")
        minutes = e.raw.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float):
            raise e.fail("minutes", f"expected a number of minutes, got {minutes!r}")
        ident, text, why, hope = e.text("id"), e.text("text"), e.text("why"), e.text("hope")
        competencies = e.ids("competencies", COMPETENCY_IDS, required=False)
        for name, problem in _problems(ident, category, float(minutes), competencies, {"text": text, "why": why, "hope": hope}):
            raise e.fail(name, problem)
        values = e.ids("values", catalog.value_ids, required=False)
        q = Question(id=ident, category=category, text=text, competencies=competencies, values=values, minutes=float(minutes), why=why, hope=hope)
        questions.append(q)
    return QuestionBank(tuple(questions), source=p.name)


@functools.cache
def _default_bank() -> QuestionBank:
    return load_bank(data_path("questions.yaml"), catalog=load_catalog())


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _problems(ident: str, category: str, minutes: float, competencies: tuple[str, ...], texts: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(field, problem) for everything wrong with a question; shared by the loader and the class."""
    m = ID_RE.match(ident)
    if not m or m["category"] != category:
        yield "id", f"'{ident}' should be the category and a number, like '{category}-01'"
    if category not in CATEGORIES:
        yield "category", f"unknown category '{category}'{did_you_mean(category, CATEGORIES)}; categories are {', '.join(CATEGORIES)}"
    lo, hi = QUESTION_MINUTES
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not lo <= minutes <= hi:
        yield "minutes", f"{minutes!r} is not a realistic time for one question and its answer; use {lo:g} to {hi:g} minutes"
    for c in competencies:
        if c not in COMPETENCY_IDS:
            yield "competencies", f"unknown competency '{c}'{did_you_mean(c, COMPETENCY_IDS)}"
    for name, text in texts.items():
        if not text.strip():
            yield name, "missing or empty"
        try:
            fields = _fields(text)
        except ValueError as exc:
            yield name, f"unbalanced braces ({exc}); placeholders are {{career}}, {{sector}}, {{discipline}}"
            continue
        for f in fields:
            if f not in PLACEHOLDERS:
                yield name, f"unknown placeholder '{{{f}}}'{did_you_mean(f, PLACEHOLDERS)}; placeholders are {{career}}, {{sector}}, {{discipline}}"


# --- the builder ----------------------------------------------------------------------


def build_guide(
    profile: Profile,
    career: Career,
    minutes: float = DEFAULT_MINUTES,
    seed: int = 0,
    bank: QuestionBank | None = None,
    *,
    catalog: Catalog | None = None,
) -> InterviewGuide:
    """Build an interview guide for ``profile`` talking to someone in ``career`` (see the module docstring)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UsageError(f"an interview guide is for {MIN_MINUTES} to {MAX_MINUTES} minutes; got {minutes!r}")
    catalog = catalog or load_catalog()
    bank = bank if bank is not None else load_bank(catalog=catalog)
    the_gap = gap(profile, career, catalog=catalog)
    context = {
        "career": lower_title(career.title),
        "sector": catalog.sector(career.sector).name.lower(),
        "discipline": catalog.discipline_name(profile.discipline) if profile.discipline else "",
    }
    focus = {g.competency: s for g, s in zip(the_gap.top(len(FOCUS_SCORES)), FOCUS_SCORES, strict=False)}
    top_values = {v: s for v, s in zip(profile.values, FOCUS_SCORES, strict=False)}
    rng = random.Random(f"careerkit-guide:{seed}:{career.id}")
    # One key per bank question, drawn in bank order so the draw does not depend on anything else.
    keys = {q.id: math.log(1.0 - rng.random()) / _weight(q, focus, top_values) for q in bank}
    usable = [q for q in bank if profile.discipline or "discipline" not in q.placeholders]
    ranked = sorted(usable, key=lambda q: (-keys[q.id], q.id))
    texts = {q.id: q.text.format(**context) for q in usable}

    budget = float(minutes) - INTRO_MINUTES
    required = [[q for q in ranked if q.category == c and (c != "closing" or q.is_referral)] for c in REQUIRED]
    floor = [min((q.minutes for q in pool), default=math.inf) for pool in required]
    if sum(floor) > budget:
        raise UsageError(f"{minutes:g} minutes is too short for the required questions of this bank ({sum(floor) + INTRO_MINUTES:g} minutes at least)")
    chosen: list[Question] = []
    used = 0.0
    for i, pool in enumerate(required):
        rest = sum(floor[i + 1 :])
        pick = next((q for q in pool if used + q.minutes + rest <= budget and not _near(texts[q.id], chosen, texts)), None)
        if pick is None:
            raise DataError(f"{bank.source or 'the question bank'}: no '{REQUIRED[i]}' question fits a {minutes:g}-minute guide")
        chosen.append(pick)
        used += pick.minutes
    cap = _category_cap(minutes)
    per_category = Counter(q.category for q in chosen)
    for q in ranked:
        limit = CLOSING_CAP if q.category == "closing" else cap
        if q in chosen or q.is_referral or per_category[q.category] >= limit or used + q.minutes > budget + 1e-9:
            continue
        if _near(texts[q.id], chosen, texts):
            continue
        chosen.append(q)
        used += q.minutes
        per_category[q.category] += 1
    opener = chosen[0]  # the required path question opens the guide
    chosen.sort(key=lambda q: (ORDER.index(q.category), q is not opener, q.category == "closing" and not q.is_referral, q.id))
    mentioned: Counter[str] = Counter()
    questions = tuple(_guide_question(q, context, the_gap, mentioned) for q in chosen)
    return InterviewGuide(
        career_id=career.id,
        career_title=career.title,
        minutes=float(minutes),
        seed=seed,
        student_id=profile.student_id,
        intro=_introduction(profile, career, the_gap, catalog),
        questions=questions,
    )


def _weight(q: Question, focus: Mapping[str, int], top_values: Mapping[str, int]) -> float:
    return 1.0 + GAP_FACTOR * sum(focus.get(c, 0) for c in q.competencies) + VALUE_FACTOR * sum(top_values.get(v, 0) for v in q.values)


def _category_cap(minutes: float) -> int:
    """At most this many questions of one category: 2 in a short guide, 5 in an hour."""
    return max(2, round(minutes / 12))


def _near(text: str, chosen: list[Question], texts: Mapping[str, str]) -> bool:
    return any(similarity(text, texts[c.id]) >= NEAR_DUPLICATE for c in chosen)


def _guide_question(q: Question, context: Mapping[str, str], the_gap: Gap, mentioned: Counter[str]) -> GuideQuestion:
    """Fill the bank's templates; add a line on the gap competency or top value the question probes.

    Logistics at the close get no such line, and one competency or value is named at most
    ``MENTION_CAP`` times per guide, so the notes stay worth reading.
    """
    why, hope = q.why.format(**context), q.hope.format(**context)
    probes: tuple[str, ...] = ()
    gaps = [g for g in the_gap.top(len(FOCUS_SCORES)) if g.competency in q.competencies and g.size > 0]
    values = [v for v in the_gap.values[: len(FOCUS_SCORES)] if v.value in q.values]
    logistics = q.category == "closing"
    gap_hit = None if logistics else next((g for g in gaps if mentioned[g.competency] < MENTION_CAP), None)
    value_hit = None if logistics else next((v for v in values if mentioned[v.value] < MENTION_CAP), None)
    if gap_hit is not None:
        name = gap_hit.name.lower()
        why += f" It also probes {name}, where I rate myself {gap_hit.rating}/3 and this career asks for {gap_hit.weight}/3."
        hope += f" A concrete example of {name} in this work that I could practise." if not mentioned[gap_hit.competency] else f" How newcomers build {name} on the job."
        probes = (gap_hit.competency,)
    elif value_hit is not None:
        fit = {
            "met": "this career usually offers it, and I want to check that",
            "strained": "this career can strain it, and I want to hear how people manage",
            "unknown": "I do not know yet whether this career offers it",
        }[value_hit.fit]
        why += f" {value_hit.name} is one of my top values; {fit}."
        hope += f" An honest sense of how much {value_hit.name.lower()} the work allows."
        probes = (value_hit.value,)
    mentioned.update(probes)
    return GuideQuestion(
        id=q.id,
        category=q.category,
        text=q.text.format(**context),
        competencies=q.competencies,
        values=q.values,
        minutes=q.minutes,
        why=why,
        hope=hope,
        probes=probes,
    )


def _introduction(profile: Profile, career: Career, the_gap: Gap, catalog: Catalog) -> Introduction:
    parts = ["Thank you for making time to talk with me."]
    if profile.discipline:
        parts.append(f"I am a graduate student in {catalog.discipline_name(profile.discipline)}, exploring work as {with_article(lower_title(career.title))}.")
    else:
        parts.append(f"I am a graduate student exploring work as {with_article(lower_title(career.title))}.")
    strengths = sorted(profile.ratings, key=lambda r: (-bool(r.evidence), -r.rating, -career.weight(r.competency)))
    best = strengths[0]
    if best.evidence or best.rating >= 2:
        name = catalog.competency(best.competency).name.lower()
        evidence = best.evidence.rstrip(".!") + "." if best.evidence else ""
        parts.append(f"One strength I bring is {name}: {evidence}" if evidence else f"One strength I bring is {name}.")
    met = [catalog.value(v).name.lower() for v in the_gap.met]
    if met:
        parts.append(f"I am curious about this work because it seems to offer {_join(met)}, which {'matters' if len(met) == 1 else 'matter'} a lot to me.")
    elif career.sector in profile.sectors:
        parts.append(f"I am curious about this work because I am drawn to {catalog.sector(career.sector).name.lower()}.")
    elif profile.discipline:
        parts.append(f"I am curious about how my {catalog.discipline_name(profile.discipline)} training could be used in this work.")
    else:
        parts.append("I would like to understand what the work is really like before I choose my next step.")
    return Introduction(text=" ".join(parts), minutes=INTRO_MINUTES)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- one call for the command line ----------------------------------------------------


def render_guide(
    career_id: str,
    *,
    profile: str | os.PathLike[str] | None = None,
    minutes: float = DEFAULT_MINUTES,
    seed: int = 0,
    fmt: str = "md",
    catalog: Catalog | None = None,
) -> str:
    """The guide for ``careerkit questions`` as Markdown, standalone HTML or JSON records."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}; use one of {', '.join(FORMATS)}")
    catalog = catalog or load_catalog()
    student = load_profile(profile, catalog=catalog) if profile is not None else neutral_profile()
    guide = build_guide(student, catalog.career(career_id), minutes, seed, catalog=catalog)
    if fmt == "json":
        return json.dumps(guide.to_records(), indent=2, ensure_ascii=False) + "\n"
    return guide.to_html() if fmt == "html" else guide.to_markdown()
