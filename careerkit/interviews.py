"""The interview log: one row per informational interview, and progress toward the course's target.

CSV or JSON (a list of objects) with the columns of :data:`COLUMNS`. ``outcomes`` is
``;``-separated in CSV; ``consent_to_share`` is yes/no (blank means no: consent is
given, never assumed). Every problem is an error naming the file, line (CSV) or
entry (JSON) and field. The interviewee's name and contact are personal data: they
are marked ``personal`` and never leave the student's own log
(:meth:`InterviewLog.to_public_records` drops them, and drops the takeaways of
anyone who did not consent to share them).
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
import datetime as dt
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast, get_args

from careerkit.catalog import SLUG_RE, Catalog, load_catalog
from careerkit.errors import DataError, UsageError, did_you_mean, where
from careerkit.files import atomic_write_text, csv_text, read_csv, read_json
from careerkit.outreach import LOCATION_TYPES, meeting_safety, normalise_location

Source = Literal["peer", "alumni", "linkedin", "referral", "cold"]
Format = Literal["in_person", "phone", "video"]
Outcome = Literal["lead", "referral", "letter", "mentoring", "shadowing", "internship", "offer"]
SOURCES: tuple[str, ...] = get_args(Source)
FORMATS: tuple[str, ...] = get_args(Format)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
COLUMNS = (
    "date", "student_id", "career_id", "interviewee_role", "organisation", "interviewee_name", "interviewee_contact",
    "source", "format", "location", "minutes", "takeaways", "thank_you_date", "outcomes", "consent_to_share",
)  # fmt: skip
REQUIRED_COLUMNS = ("date", "career_id", "interviewee_role", "organisation", "source", "format", "location", "minutes")
MIN_MINUTES, MAX_MINUTES = 1, 180
DEFAULT_TARGET = 100
#: A thank-you note is due within 24 hours; with dates only, it is overdue two days after.
THANKS_OVERDUE_AFTER = dt.timedelta(days=1)
_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")


def _invalid(field_name: str, problem: str) -> DataError:
    """An error about one field; the loader puts the file and line in front: ``log.csv line 3 (minutes): ...``."""
    return DataError(f"({field_name}): {problem}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Interview:
    """One informational interview. Fields with ``metadata["personal"]`` never leave the student's log."""

    date: dt.date
    career_id: str
    interviewee_role: str
    organisation: str
    source: Source
    format: Format
    location: str
    minutes: int
    takeaways: str = ""
    thank_you_date: dt.date | None = None
    outcomes: tuple[Outcome, ...] = ()
    consent_to_share: bool = False
    interviewee_name: str = field(default="", metadata={"personal": True})
    interviewee_contact: str = field(default="", metadata={"personal": True})
    student_id: str = ""
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("interviewee_role", "organisation"):
            if not getattr(self, name).strip():
                raise _invalid(name, "empty; say who you talked to (their role) and where they work")
        if not SLUG_RE.match(self.career_id):
            raise _invalid("career_id", f"'{self.career_id}' is not a career id (like 'data-scientist')")
        for name, value, allowed in (("source", self.source, SOURCES), ("format", self.format, FORMATS), ("location", self.location, LOCATION_TYPES)):
            if value not in allowed:
                raise _invalid(name, f"unknown {name} '{value}'{did_you_mean(value, allowed)}; use one of {', '.join(allowed)}")
        remote = self.format in ("phone", "video")
        if (remote and self.location != self.format) or (not remote and self.location in ("phone", "video")):
            raise _invalid(
                "location",
                f"location '{self.location}' does not fit format '{self.format}' "
                "(a phone or video interview has location phone or video; an in-person one a place)",
            )
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int) or not MIN_MINUTES <= self.minutes <= MAX_MINUTES:
            raise _invalid("minutes", f"{self.minutes!r} is not a plausible length; use whole minutes from {MIN_MINUTES} to {MAX_MINUTES}")
        if self.thank_you_date is not None and self.thank_you_date < self.date:
            raise _invalid("thank_you_date", f"{self.thank_you_date} is before the interview on {self.date}; a thank-you follows the interview")
        for outcome in self.outcomes:
            if outcome not in OUTCOMES:
                raise _invalid("outcomes", f"unknown outcome '{outcome}'{did_you_mean(outcome, OUTCOMES)}; outcomes are {', '.join(OUTCOMES)}")
        if len(set(self.outcomes)) != len(self.outcomes):
            raise _invalid("outcomes", "lists the same outcome twice")
        object.__setattr__(self, "outcomes", tuple(self.outcomes))

    @property
    def safe(self) -> bool:
        """True when the meeting place was safe (public place, workplace, phone or video)."""
        return bool(meeting_safety(self.location))

    def thanks_overdue(self, today: dt.date) -> bool:
        """No thank-you date and the interview is more than 24 hours old."""
        return self.thank_you_date is None and today - self.date > THANKS_OVERDUE_AFTER

    def to_record(self) -> dict[str, object]:
        """Every field, JSON-ready (personal data included: the student's own copy)."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            if f.name == "line":
                continue
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, dt.date) else list(value) if isinstance(value, tuple) else value
        return out

    def to_public_record(self) -> dict[str, object]:
        """The record without personal fields; takeaways only with consent, the interviewee's name blanked out."""
        record = {k: v for k, v in self.to_record().items() if k not in PERSONAL_FIELDS}
        record["takeaways"] = _scrub(self.takeaways, self.interviewee_name) if self.consent_to_share else ""
        return record


PERSONAL_FIELDS = tuple(f.name for f in dataclasses.fields(Interview) if f.metadata.get("personal"))


def _scrub(text: str, name: str) -> str:
    """Replace the interviewee's name (and each part of it) with "[name]"."""
    for part in sorted({name.strip(), *name.split()}, key=len, reverse=True):
        if len(part) >= 2:
            text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


@dataclass(frozen=True, slots=True)
class InterviewLog:
    """A student's (or a cohort's) interviews in file order."""

    interviews: tuple[Interview, ...]
    source: str = ""

    def __iter__(self) -> Iterator[Interview]:
        return iter(self.interviews)

    def __len__(self) -> int:
        return len(self.interviews)

    def to_records(self) -> list[dict[str, object]]:
        return [i.to_record() for i in self.interviews]

    def to_public_records(self) -> list[dict[str, object]]:
        """For cohort exports and the symposium booklet: no personal data, takeaways only with consent."""
        return [i.to_public_record() for i in self.interviews]

    def to_csv(self) -> str:
        rows = []
        for i in self.interviews:
            cells: dict[str, object] = {c: getattr(i, c) for c in COLUMNS}
            cells.update(outcomes=";".join(i.outcomes), consent_to_share="yes" if i.consent_to_share else "no")
            rows.append([cells[c] for c in COLUMNS])
        return csv_text(list(COLUMNS), rows)

    def to_json(self) -> str:
        return json.dumps(self.to_records(), indent=2, ensure_ascii=False) + "\n"


def load_log(path: str | os.PathLike[str], *, catalog: Catalog | None = None, today: dt.date | None = None) -> InterviewLog:
    """Read and validate a log (``.csv`` or ``.json``); career ids are checked against the catalog."""
    catalog = catalog or load_catalog()
    today = today or dt.date.today()
    p = Path(path)
    entries: list[tuple[str, int, Mapping[str, object]]]
    if p.suffix.lower() == ".json":
        data = read_json(p)
        if not isinstance(data, list):
            raise DataError(f"{p}: expected a JSON list of interviews, got {type(data).__name__}")
        entries = [("entry", n, raw) for n, raw in enumerate(data, start=1)]
    else:
        _, rows = read_csv(p, required=REQUIRED_COLUMNS)
        entries = [("line", row.line, row.values) for row in rows]
    return InterviewLog(tuple(_parse(p, kind, n, raw, catalog, today) for kind, n, raw in entries), source=str(p))


def save_log(log: InterviewLog, path: str | os.PathLike[str]) -> Path:
    """Write the log atomically, as JSON for a ``.json`` path and CSV otherwise."""
    return atomic_write_text(path, log.to_json() if Path(path).suffix.lower() == ".json" else log.to_csv())


def _parse(path: Path, kind: str, n: int, raw: object, catalog: Catalog, today: dt.date) -> Interview:
    def fail(name: str, problem: str) -> DataError:
        at = where(path, n, name) if kind == "line" else f"{path} entry {n} ({name})"
        return DataError(f"{at}: {problem}")

    if not isinstance(raw, Mapping):
        raise fail("entry", f"expected an object with fields {', '.join(REQUIRED_COLUMNS)}")
    unknown = [k for k in raw if k not in COLUMNS]
    if unknown and kind == "entry":
        raise fail(str(unknown[0]), f"unknown field{did_you_mean(str(unknown[0]), COLUMNS)}; fields are {', '.join(COLUMNS)}")

    def text(name: str) -> str:
        value = raw.get(name, "")
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise fail(name, f"expected text, got {value!r}")
        value = " ".join(str(value).split())
        # Undo files.neutralise_formula (a quote before = + - @) so that a saved log loads back unchanged.
        return value[1:] if kind == "line" and len(value) > 1 and value[0] == "'" and value[1] in "=+-@" else value

    def day(name: str) -> dt.date | None:
        value = text(name)
        if not value:
            return None
        try:
            parsed = dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value).date()
        except ValueError:
            raise fail(name, f"'{value}' is not a date; write it as YYYY-MM-DD") from None
        if parsed > today:
            raise fail(name, f"{parsed} is in the future (today is {today}); log an interview after it happens")
        return parsed

    career_id = text("career_id")
    if career_id not in catalog:
        raise fail("career_id", f"unknown career '{career_id}'{did_you_mean(career_id, [c.id for c in catalog])}")
    minutes_text = text("minutes")
    try:
        minutes = int(minutes_text)
    except ValueError:
        raise fail("minutes", f"'{minutes_text}' is not a whole number of minutes") from None
    consent = raw.get("consent_to_share", False)
    if not isinstance(consent, bool):
        if text("consent_to_share").lower() not in (*_YES, *_NO):
            raise fail("consent_to_share", f"'{text('consent_to_share')}' is not yes or no")
        consent = text("consent_to_share").lower() in _YES
    outcomes_raw = raw.get("outcomes", "")
    if isinstance(outcomes_raw, list):
        outcomes = tuple(str(o).strip() for o in outcomes_raw if str(o).strip())
    else:
        outcomes = tuple(o.strip().lower() for o in text("outcomes").split(";") if o.strip())
    interview_date = day("date")
    if interview_date is None:
        raise fail("date", "empty; give the date as YYYY-MM-DD")
    try:
        return Interview(
            date=interview_date,
            student_id=text("student_id"),
            career_id=career_id,
            interviewee_role=text("interviewee_role"),
            organisation=text("organisation"),
            interviewee_name=text("interviewee_name"),
            interviewee_contact=text("interviewee_contact"),
            source=cast(Source, text("source").lower()),  # checked in Interview.__post_init__
            format=cast(Format, text("format").lower().replace("-", "_").replace(" ", "_")),
            location=normalise_location(text("location")),
            minutes=minutes,
            takeaways=text("takeaways"),
            thank_you_date=day("thank_you_date"),
            outcomes=cast(tuple[Outcome, ...], outcomes),
            consent_to_share=consent,
            line=n,
        )
    except DataError as exc:  # from Interview.__post_init__, which names the field
        at = where(path, n) if kind == "line" else f"{path} entry {n}"
        raise DataError(f"{at} {exc}") from None


# --- progress ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    """Counts toward the target, and what needs doing (overdue thank-you notes, unsafe meetings)."""

    total: int
    target: int
    minutes: int
    by_career: Mapping[str, int]
    by_outcome: Mapping[str, int]
    by_source: Mapping[str, int]
    overdue: tuple[Interview, ...]
    unsafe: tuple[Interview, ...]
    today: dt.date

    def __post_init__(self) -> None:
        for name in ("by_career", "by_outcome", "by_source"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def percent(self) -> float:
        """Interviews done as a percentage of the target (may pass 100)."""
        return 100.0 * self.total / self.target

    def _tables(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [
            ("career", list(self.by_career.items())),
            ("contact source", list(self.by_source.items())),
            ("champion outcome", list(self.by_outcome.items())),
        ]

    def __str__(self) -> str:
        lines = [f"{self.total} of {self.target} interviews ({self.percent:.0f}%), {self.minutes} minutes in all", ""]
        for title, rows in self._tables():
            width = max([len(title), *(len(k) for k, _ in rows)])
            lines += [f"{title:<{width}}  count", f"{'-' * width}  -----"]
            lines += [f"{k:<{width}}  {v:>5}" for k, v in rows]
            lines.append("")
        if self.overdue:
            lines.append(f"Thank-you notes overdue ({len(self.overdue)}): send them today.")
            lines += [f"  {i.date}  {i.interviewee_role} at {i.organisation}" + (f" (line {i.line})" if i.line else "") for i in self.overdue]
        else:
            lines.append("No thank-you note is overdue.")
        for i in self.unsafe:
            lines.append(f"Unsafe meeting place on {i.date} ({i.location}): {meeting_safety(i.location).reason}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [f"<p><strong>{self.total} of {self.target} interviews ({self.percent:.0f}%)</strong></p>"]
        for title, rows in self._tables():
            body = "".join(f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in rows)
            parts.append(f"<table><tr><th>{e(title)}</th><th>count</th></tr>{body}</table>")
        overdue = "".join(f"<li>{i.date}: {e(i.interviewee_role)} at {e(i.organisation)}</li>" for i in self.overdue)
        parts.append(f"<p>Thank-you notes overdue: {len(self.overdue)}</p><ul>{overdue}</ul>")
        return "<div>" + "".join(parts) + "</div>"


def summary(log: InterviewLog, target: int = DEFAULT_TARGET, *, today: dt.date | None = None) -> Progress:
    """Counts by career, outcome and contact source; overdue thank-you notes as of ``today``."""
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise UsageError(f"the target is a whole number of interviews, 1 or more; got {target!r}")
    today = today or dt.date.today()
    careers = Counter(i.career_id for i in log)
    return Progress(
        total=len(log),
        target=target,
        minutes=sum(i.minutes for i in log),
        by_career=dict(sorted(careers.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_outcome={o: sum(o in i.outcomes for i in log) for o in OUTCOMES},
        by_source={s: sum(i.source == s for i in log) for s in SOURCES},
        overdue=tuple(i for i in log if i.thanks_overdue(today)),
        unsafe=tuple(i for i in log if not i.safe),
        today=today,
    )


def summarise_log(path: str | os.PathLike[str], *, target: int = DEFAULT_TARGET, today: dt.date | None = None, catalog: Catalog | None = None) -> Progress:
    """One call for ``careerkit interviews summary LOG.csv [--target N]``."""
    return summary(load_log(path, catalog=catalog, today=today), target, today=today)
