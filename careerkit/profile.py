"""A student's profile (discipline, values, interests, competency self-ratings) and the gap to a career.

The profile is the student's own view of themselves: values ordered by importance,
free interest tags plus sector ids, and a 0-3 self-rating of each of the eight NACE
competencies, each with an optional evidence sentence ("where did I show this?").
:func:`gap` compares it with a career: the competencies the career leans on most
where the student rates themselves lowest, and which of the student's values the
career is likely to meet or strain. Profiles are stored as JSON::

    {"student_id": "s01", "discipline": "chemistry",
     "values": ["impact", "learning"], "interests": ["science writing"],
     "sectors": ["communication_media"],
     "competencies": {"communication": {"rating": 2, "evidence": "I ran..."},
                      "technology": 1, ...}}
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from careerkit.catalog import COMPETENCY_IDS, ID_RE, Career, Catalog, load_catalog
from careerkit.errors import DataError, did_you_mean, where
from careerkit.files import atomic_write_text, read_json

RATING_MIN, RATING_MAX = 0, 3
#: The rating a neutral profile gives every competency ("I have done this a little").
NEUTRAL_RATING = 1
PROFILE_FIELDS = ("student_id", "discipline", "values", "interests", "sectors", "competencies")
STUDENT_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")

Fit = Literal["met", "strained", "unknown"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SelfRating:
    """How well a student thinks they show one competency (0-3), and where they showed it."""

    competency: str
    rating: int
    evidence: str = ""

    def __post_init__(self) -> None:
        if self.competency not in COMPETENCY_IDS:
            raise DataError(f"unknown competency '{self.competency}'{did_you_mean(self.competency, COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
        if isinstance(self.rating, bool) or not isinstance(self.rating, int) or not RATING_MIN <= self.rating <= RATING_MAX:
            raise DataError(f"self-rating of {self.competency} is {self.rating!r}; use a whole number {RATING_MIN}-{RATING_MAX}")
        object.__setattr__(self, "evidence", " ".join(str(self.evidence).split()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """One student's profile. ``ratings`` holds one :class:`SelfRating` per competency, in catalog order."""

    ratings: tuple[SelfRating, ...]
    discipline: str | None = None
    values: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    student_id: str | None = None

    def __post_init__(self) -> None:
        if self.student_id is not None and not STUDENT_ID_RE.match(self.student_id):
            raise DataError(f"student_id '{self.student_id}' may only use letters, digits, '_', '-' and '.'")
        for name in ("values", "sectors"):
            ids = tuple(getattr(self, name))
            bad = [i for i in ids if not isinstance(i, str) or not ID_RE.match(i)]
            if bad:
                raise DataError(f"profile {name}: {bad[0]!r} is not an id (lowercase letters, digits, underscores)")
            if len(set(ids)) != len(ids):
                raise DataError(f"profile {name}: lists the same id twice")
            object.__setattr__(self, name, ids)
        object.__setattr__(self, "interests", tuple(" ".join(t.split()) for t in self.interests if t.strip()))
        by_id = {r.competency: r for r in self.ratings}
        if len(by_id) != len(self.ratings):
            raise DataError("profile ratings: a competency is rated twice")
        missing = [c for c in COMPETENCY_IDS if c not in by_id]
        if missing:
            raise DataError(f"profile ratings: no self-rating for {', '.join(missing)}; rate all eight competencies 0-3")
        object.__setattr__(self, "ratings", tuple(by_id[c] for c in COMPETENCY_IDS))

    def rating(self, competency: str) -> int:
        """The student's self-rating of one competency, 0-3."""
        return self._get(competency).rating

    def evidence(self, competency: str) -> str:
        """The student's evidence sentence for one competency ("" if none)."""
        return self._get(competency).evidence

    def strengths(self, n: int = 3) -> tuple[SelfRating, ...]:
        """The ``n`` highest self-ratings; at equal rating those with evidence first, then catalog order."""
        return tuple(sorted(self.ratings, key=lambda r: (-r.rating, not r.evidence))[:n])

    def to_dict(self) -> dict[str, object]:
        """The JSON form (see the module docstring)."""
        return {
            "student_id": self.student_id,
            "discipline": self.discipline,
            "values": list(self.values),
            "interests": list(self.interests),
            "sectors": list(self.sectors),
            "competencies": {r.competency: {"rating": r.rating, "evidence": r.evidence} for r in self.ratings},
        }

    def _get(self, competency: str) -> SelfRating:
        for r in self.ratings:
            if r.competency == competency:
                return r
        raise DataError(f"unknown competency '{competency}'{did_you_mean(competency, COMPETENCY_IDS)}")

    def __str__(self) -> str:
        lines = [
            f"Student:    {self.student_id or '(anonymous)'}",
            f"Discipline: {self.discipline or '(not given)'}",
            f"Values:     {', '.join(self.values) or '(none ranked)'}",
            f"Interests:  {', '.join((*self.interests, *self.sectors)) or '(none)'}",
        ]
        for r in self.ratings:
            lines.append(f"  {r.competency:<19} {'#' * r.rating:<3} {r.rating}/3  {r.evidence}".rstrip())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(r.competency)}</td><td>{r.rating}/3</td><td>{html.escape(r.evidence)}</td></tr>" for r in self.ratings
        )
        head = html.escape(f"{self.student_id or 'Profile'} · {self.discipline or 'no discipline given'} · values: {', '.join(self.values) or 'none'}")
        return f"<div><strong>{head}</strong><table><tr><th>competency</th><th>self-rating</th><th>evidence</th></tr>{rows}</table></div>"


# --- the gap to a career --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CompetencyGap:
    """How much a career leans on a competency (``weight``) against the student's ``rating``."""

    competency: str
    name: str
    weight: int
    rating: int

    @property
    def size(self) -> int:
        return self.weight - self.rating


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueFit:
    """Whether a career is likely to meet or strain one of the student's values (``rank`` 1 = most important)."""

    value: str
    name: str
    rank: int
    fit: Fit


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """A student's gap to one career: competencies ranked biggest gap first, values in the student's order."""

    career_id: str
    career_title: str
    ranked: tuple[CompetencyGap, ...]
    values: tuple[ValueFit, ...]

    @property
    def competencies(self) -> tuple[str, ...]:
        """Ids of the competencies where the career asks more than the student rates themselves, biggest first."""
        return tuple(g.competency for g in self.ranked if g.size > 0)

    def top(self, n: int = 3) -> tuple[CompetencyGap, ...]:
        """The ``n`` competencies to work on for this career (the career must use them at all)."""
        return tuple(g for g in self.ranked if g.weight > 0)[:n]

    def _with(self, fit: Fit) -> tuple[str, ...]:
        return tuple(v.value for v in self.values if v.fit == fit)

    @property
    def met(self) -> tuple[str, ...]:
        return self._with("met")

    @property
    def strained(self) -> tuple[str, ...]:
        return self._with("strained")

    @property
    def unknown(self) -> tuple[str, ...]:
        return self._with("unknown")

    def __str__(self) -> str:
        lines = [f"Gap to {self.career_title} ({self.career_id})", f"  {'competency':<26} career  me  gap"]
        for g in self.ranked:
            lines.append(f"  {g.name:<26} {g.weight:>6} {g.rating:>3} {g.size:>4}")
        for label, ids in (("likely met", self.met), ("likely strained", self.strained), ("unknown", self.unknown)):
            if ids:
                lines.append(f"  Values {label}: {', '.join(ids)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(g.name)}</td><td>{g.weight}</td><td>{g.rating}</td><td><strong>{g.size}</strong></td></tr>" for g in self.ranked
        )
        fits = "".join(f"<li>{html.escape(v.name)}: {v.fit}</li>" for v in self.values)
        title = html.escape(f"Gap to {self.career_title}")
        return (
            f"<div><strong>{title}</strong><table><tr><th>competency</th><th>career</th><th>me</th><th>gap</th></tr>{rows}</table>"
            f"<ul>{fits}</ul></div>"
        )


def gap(profile: Profile, career: Career, *, catalog: Catalog | None = None) -> Gap:
    """Rank competencies by career weight minus self-rating (ties: heavier weight, then catalog order)."""
    catalog = catalog or load_catalog()
    ranked = sorted(
        (
            CompetencyGap(competency=c, name=catalog.competency(c).name, weight=career.weight(c), rating=profile.rating(c))
            for c in COMPETENCY_IDS
        ),
        key=lambda g: (-g.size, -g.weight, COMPETENCY_IDS.index(g.competency)),
    )
    fits = []
    for rank, value in enumerate(profile.values, start=1):
        fit: Fit = "met" if value in career.values_met else "strained" if value in career.values_strained else "unknown"
        fits.append(ValueFit(value=value, name=catalog.value(value).name, rank=rank, fit=fit))
    return Gap(career_id=career.id, career_title=career.title, ranked=tuple(ranked), values=tuple(fits))


# --- building, loading and saving -----------------------------------------------------


def neutral_profile() -> Profile:
    """A profile with no discipline, values or interests and every competency rated the same."""
    return Profile(discipline=None, ratings=tuple(SelfRating(competency=c, rating=NEUTRAL_RATING) for c in COMPETENCY_IDS))


def profile_from_dict(data: object, *, catalog: Catalog | None = None, source: str = "profile") -> Profile:
    """Validate a profile's JSON form against the catalog; errors name ``source`` and the field."""
    catalog = catalog or load_catalog()
    if not isinstance(data, Mapping):
        raise DataError(f"{source}: expected a JSON object with fields {', '.join(PROFILE_FIELDS)}, got {type(data).__name__}")
    for key in data:
        if key not in PROFILE_FIELDS:
            raise DataError(f"{where(source, field=str(key))}: unknown field{did_you_mean(str(key), PROFILE_FIELDS)}; fields are {', '.join(PROFILE_FIELDS)}")
    student_id = data.get("student_id")
    if student_id is not None and (not isinstance(student_id, str) or not STUDENT_ID_RE.match(student_id)):
        raise DataError(f"{where(source, field='student_id')}: {student_id!r} may only use letters, digits, '_', '-' and '.' (or be null)")
    return Profile(
        student_id=student_id,
        discipline=_discipline(data.get("discipline"), catalog, source),
        values=_ids(data, "values", catalog.value_ids, source),
        sectors=_ids(data, "sectors", catalog.sector_ids, source),
        interests=_texts(data, "interests", source),
        ratings=_ratings(data.get("competencies"), source),
    )


def load_profile(path: str | os.PathLike[str], *, catalog: Catalog | None = None) -> Profile:
    """Read and validate a profile JSON file."""
    return profile_from_dict(read_json(path), catalog=catalog, source=str(path))


def save_profile(profile: Profile, path: str | os.PathLike[str]) -> Path:
    """Write the profile as JSON, atomically."""
    return atomic_write_text(path, json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) + "\n")


def _discipline(raw: object, catalog: Catalog, source: str) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise DataError(f"{where(source, field='discipline')}: expected text, got {raw!r}")
    resolved = catalog.resolve_discipline(raw)
    if resolved is None:
        hint = did_you_mean(raw.lower(), catalog.discipline_choices())
        raise DataError(f"{where(source, field='discipline')}: unknown discipline '{raw}'{hint}; use one of {', '.join(catalog.discipline_ids)} (or null)")
    return resolved


def _list(data: Mapping[str, object], name: str, source: str) -> Sequence[object]:
    raw = data.get(name, [])
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DataError(f"{where(source, field=name)}: expected a list, got {raw!r}")
    return raw


def _ids(data: Mapping[str, object], name: str, allowed: tuple[str, ...], source: str) -> tuple[str, ...]:
    out: list[str] = []
    for i, item in enumerate(_list(data, name, source)):
        field = f"{name}[{i}]"
        if not isinstance(item, str) or item not in allowed:
            hint = did_you_mean(item, allowed) if isinstance(item, str) else ""
            raise DataError(f"{where(source, field=field)}: unknown {name[:-1]} {item!r}{hint}; allowed: {', '.join(allowed)}")
        if item in out:
            raise DataError(f"{where(source, field=field)}: '{item}' is listed twice")
        out.append(item)
    return tuple(out)


def _texts(data: Mapping[str, object], name: str, source: str) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(_list(data, name, source)):
        if not isinstance(item, str) or not item.strip():
            raise DataError(f"{where(source, field=f'{name}[{i}]')}: expected a non-empty text, got {item!r}")
        out.append(item)
    return tuple(out)


def _ratings(raw: object, source: str) -> tuple[SelfRating, ...]:
    if not isinstance(raw, Mapping):
        raise DataError(f"{where(source, field='competencies')}: expected an object rating each of {', '.join(COMPETENCY_IDS)} 0-3")
    out = []
    for key, value in raw.items():
        field = f"competencies.{key}"
        if key not in COMPETENCY_IDS:
            raise DataError(f"{where(source, field=field)}: unknown competency{did_you_mean(str(key), COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
        rating, evidence = value, ""
        if isinstance(value, Mapping):
            unknown = [k for k in value if k not in ("rating", "evidence")]
            if unknown:
                raise DataError(f"{where(source, field=f'{field}.{unknown[0]}')}: unknown field; use 'rating' and 'evidence'")
            rating, evidence = value.get("rating"), value.get("evidence") or ""
        if isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
            raise DataError(f"{where(source, field=field)}: rating {rating!r} out of range; use a whole number {RATING_MIN}-{RATING_MAX}")
        if not isinstance(evidence, str):
            raise DataError(f"{where(source, field=f'{field}.evidence')}: expected a sentence, got {evidence!r}")
        out.append(SelfRating(competency=key, rating=rating, evidence=evidence))
    missing = [c for c in COMPETENCY_IDS if c not in raw]
    if missing:
        raise DataError(f"{where(source, field='competencies')}: no self-rating for {', '.join(missing)}; rate all eight 0-3")
    return tuple(out)
