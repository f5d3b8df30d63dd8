"""The alumni and mentor directory, and matching students to people they could interview.

Directory CSV columns: ``contact_id, name, role, organisation, career_id, sector,
channels`` (``;``-separated: email, linkedin, phone, video, in_person),
``willing_to_talk`` (yes/no/true/false) and ``max_students`` (per term). A contact
may name no career (then a sector is required); a career's sector must agree with
the catalog.

:func:`match` suggests up to ``per_student`` contacts to each student for their
assigned career, falling back to contacts in the same sector. Only willing contacts,
never more students than a contact's ``max_students``. Students are served in
rounds, one contact each per round, in an order fixed by a hash of the seed and
their id (so the input order never matters) that reverses every round (a snake
draft, so nobody always picks first); each pick takes the least-loaded eligible
contact, ties broken by a seeded hash.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from careerkit.assignment import load_assignments
from careerkit.catalog import Catalog, load_catalog
from careerkit.errors import DataError, UnknownIdError, UsageError, did_you_mean, where
from careerkit.files import atomic_write_text, csv_text, read_csv

COLUMNS = ("contact_id", "name", "role", "organisation", "career_id", "sector", "channels", "willing_to_talk", "max_students")
CHANNELS = ("email", "linkedin", "phone", "video", "in_person")
MAX_STUDENTS_LIMIT = 50
DEFAULT_PER_STUDENT = 3
CONTACT_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_BOOLEANS = {"yes": True, "true": True, "no": False, "false": False}
Via = Literal["career", "sector"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A person in the directory who may talk with students."""

    contact_id: str
    name: str = field(metadata={"personal": True})
    role: str
    organisation: str
    sector: str
    career_id: str | None = None
    channels: tuple[str, ...] = ()
    willing_to_talk: bool = True
    max_students: int = 1
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not CONTACT_ID_RE.match(self.contact_id):
            raise DataError(f"contact_id '{self.contact_id}' may only use letters, digits, '_', '-' and '.'")
        if isinstance(self.max_students, bool) or not isinstance(self.max_students, int) or not 0 <= self.max_students <= MAX_STUDENTS_LIMIT:
            raise DataError(f"contact '{self.contact_id}': max_students {self.max_students!r} must be a whole number 0-{MAX_STUDENTS_LIMIT}")
        for channel in self.channels:
            if channel not in CHANNELS:
                raise DataError(f"contact '{self.contact_id}': unknown channel '{channel}'{did_you_mean(channel, CHANNELS)}")
        object.__setattr__(self, "channels", tuple(self.channels))

    def __str__(self) -> str:
        return f"{self.name}, {self.role} at {self.organisation}"


@dataclass(frozen=True, slots=True)
class Directory:
    """All contacts, in file order."""

    contacts: tuple[Contact, ...]
    source: str = ""

    def __post_init__(self) -> None:
        ids = Counter(c.contact_id for c in self.contacts)
        dupes = [i for i, n in ids.items() if n > 1]
        if dupes:
            raise DataError(f"{self.source or 'directory'}: contact_id '{dupes[0]}' is used twice")

    def __iter__(self) -> Iterator[Contact]:
        return iter(self.contacts)

    def __len__(self) -> int:
        return len(self.contacts)

    def get(self, contact_id: str) -> Contact:
        for c in self.contacts:
            if c.contact_id == contact_id:
                return c
        raise UnknownIdError(f"Unknown contact '{contact_id}'{did_you_mean(contact_id, [c.contact_id for c in self.contacts])}")


def load_directory(path: str | os.PathLike[str], *, catalog: Catalog | None = None) -> Directory:
    """Read and validate a directory CSV; errors name the file, line and column."""
    catalog = catalog or load_catalog()
    p = Path(path)
    _, rows = read_csv(p, required=COLUMNS)
    seen: dict[str, int] = {}
    contacts = []
    for row in rows:
        v = row.values

        def fail(name: str, problem: str, line: int = row.line) -> DataError:
            return DataError(f"{where(p, line, name)}: {problem}")

        cid = v["contact_id"]
        if not cid or not CONTACT_ID_RE.match(cid):
            raise fail("contact_id", f"'{cid}' is not a contact id (letters, digits, '_', '-', '.')")
        if cid in seen:
            raise fail("contact_id", f"duplicate contact_id '{cid}' (first on line {seen[cid]})")
        seen[cid] = row.line
        for name in ("name", "role", "organisation"):
            if not v[name]:
                raise fail(name, "empty")
        career_id, sector = v["career_id"] or None, v["sector"]
        if career_id is not None:
            if career_id not in catalog:
                raise fail("career_id", f"unknown career '{career_id}'{did_you_mean(career_id, [c.id for c in catalog])} (or leave it blank)")
            expected = catalog.career(career_id).sector
            if sector and sector != expected:
                raise fail("sector", f"'{sector}' but career '{career_id}' is in sector '{expected}'")
            sector = expected
        if sector not in catalog.sector_ids:
            raise fail("sector", f"unknown sector '{sector}'{did_you_mean(sector, catalog.sector_ids)}; sectors are {', '.join(catalog.sector_ids)}")
        channels = tuple(ch.strip().lower().replace(" ", "_") for ch in v["channels"].split(";") if ch.strip())
        for ch in channels:
            if ch not in CHANNELS:
                raise fail("channels", f"unknown channel '{ch}'{did_you_mean(ch, CHANNELS)}; channels are {', '.join(CHANNELS)}")
        willing = _BOOLEANS.get(v["willing_to_talk"].lower())
        if willing is None:
            raise fail("willing_to_talk", f"'{v['willing_to_talk']}' is not yes, no, true or false")
        try:
            capacity = int(v["max_students"])
        except ValueError:
            raise fail("max_students", f"'{v['max_students']}' is not a whole number") from None
        if not 0 <= capacity <= MAX_STUDENTS_LIMIT:
            raise fail("max_students", f"{capacity} is out of range; use 0-{MAX_STUDENTS_LIMIT} students per term")
        contacts.append(
            Contact(
                contact_id=cid,
                name=v["name"],
                role=v["role"],
                organisation=v["organisation"],
                career_id=career_id,
                sector=sector,
                channels=channels,
                willing_to_talk=willing,
                max_students=capacity,
                line=row.line,
            )
        )
    return Directory(tuple(contacts), source=str(p))


# --- matching ---------------------------------------------------------------------------


class Assigned(Protocol):
    """Anything with a student id and a career id (an :class:`~careerkit.assignment.Assignment`)."""

    @property
    def student_id(self) -> str: ...

    @property
    def career_id(self) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion:
    """One contact suggested to one student; ``via`` says whether for the career itself or its sector."""

    student_id: str
    career_id: str
    contact: Contact
    via: Via
    rank: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Matches:
    """All suggestions, by student then rank, and the students who got fewer than asked."""

    suggestions: tuple[Suggestion, ...]
    students: tuple[str, ...]
    per_student: int
    seed: int

    def for_student(self, student_id: str) -> tuple[Suggestion, ...]:
        if student_id not in self.students:
            raise UnknownIdError(f"Unknown student '{student_id}'{did_you_mean(student_id, self.students)}")
        return tuple(s for s in self.suggestions if s.student_id == student_id)

    def loads(self) -> Counter[str]:
        """How many students each contact was suggested to."""
        return Counter(s.contact.contact_id for s in self.suggestions)

    def short(self) -> tuple[str, ...]:
        """Students who got fewer than ``per_student`` suggestions (the directory ran out)."""
        got = Counter(s.student_id for s in self.suggestions)
        return tuple(sid for sid in self.students if got[sid] < self.per_student)

    def to_records(self) -> list[dict[str, object]]:
        return [
            {
                "student_id": s.student_id,
                "career_id": s.career_id,
                "rank": s.rank,
                "via": s.via,
                "contact_id": s.contact.contact_id,
                "name": s.contact.name,
                "role": s.contact.role,
                "organisation": s.contact.organisation,
                "channels": ";".join(s.contact.channels),
            }
            for s in self.suggestions
        ]

    def to_csv(self) -> str:
        records = self.to_records()
        header = ["student_id", "career_id", "rank", "via", "contact_id", "name", "role", "organisation", "channels"]
        return csv_text(header, [[r[h] for h in header] for r in records])

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        return atomic_write_text(path, self.to_csv())

    def __str__(self) -> str:
        lines = []
        for sid in self.students:
            picks = self.for_student(sid)
            lines.append(f"{sid}:" + ("" if picks else " (no contact available)"))
            lines += [f"  {s.rank}. {s.contact} [{s.via}] via {', '.join(s.contact.channels) or 'the course office'}" for s in picks]
        short = self.short()
        lines.append("")
        lines.append(
            f"{len(self.suggestions)} suggestions for {len(self.students)} students "
            f"(up to {self.per_student} each, seed {self.seed}); {len(self.loads())} contacts used."
        )
        if short:
            lines.append(f"{len(short)} students got fewer than {self.per_student}: {', '.join(short)}. Add willing contacts in their sectors.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(s.student_id)}</td><td>{s.rank}</td><td>{e(str(s.contact))}</td><td>{s.via}</td></tr>" for s in self.suggestions
        )
        return f"<table><tr><th>student</th><th>#</th><th>contact</th><th>via</th></tr>{rows}</table>"


def match(
    assignments: Iterable[Assigned | Mapping[str, str]],
    directory: Directory,
    per_student: int = DEFAULT_PER_STUDENT,
    seed: int = 0,
    *,
    catalog: Catalog | None = None,
) -> Matches:
    """Suggest contacts to every student (see the module docstring for the rule)."""
    if isinstance(per_student, bool) or not isinstance(per_student, int) or per_student < 1:
        raise UsageError(f"per_student must be a whole number 1 or more; got {per_student!r}")
    catalog = catalog or load_catalog()
    careers: dict[str, str] = {}
    for row in assignments:
        sid, cid = (row.get("student_id", ""), row.get("career_id", "")) if isinstance(row, Mapping) else (row.student_id, row.career_id)
        if not sid:
            raise DataError("an assignment row has no student_id")
        if sid in careers:
            raise DataError(f"student '{sid}' is assigned twice")
        catalog.career(cid)  # UnknownCareerError with a suggestion
        careers[sid] = cid
    order = sorted(careers, key=lambda sid: _hash(seed, "student", sid))
    willing = [c for c in directory if c.willing_to_talk and c.max_students > 0]
    load: Counter[str] = Counter()
    given: dict[str, list[Suggestion]] = {sid: [] for sid in careers}
    for round_no in range(per_student):
        made = 0
        for sid in order if round_no % 2 == 0 else reversed(order):
            career = catalog.career(careers[sid])
            taken = {s.contact.contact_id for s in given[sid]}
            best: tuple[tuple[int, int, str], Contact, Via] | None = None
            for c in willing:
                if c.contact_id in taken or load[c.contact_id] >= c.max_students:
                    continue
                via: Via | None = "career" if c.career_id == career.id else "sector" if c.sector == career.sector else None
                if via is None:
                    continue
                key = (0 if via == "career" else 1, load[c.contact_id], _hash(seed, "contact", c.contact_id))
                if best is None or key < best[0]:
                    best = (key, c, via)
            if best is not None:
                _, contact, via = best
                load[contact.contact_id] += 1
                given[sid].append(Suggestion(student_id=sid, career_id=career.id, contact=contact, via=via, rank=len(given[sid]) + 1))
                made += 1
        if not made:  # loads only grow, so no later round can give anything either (a huge per_student ends here)
            break
    students = tuple(sorted(careers))
    return Matches(suggestions=tuple(s for sid in students for s in given[sid]), students=students, per_student=per_student, seed=seed)


def match_files(
    assignments_path: str | os.PathLike[str],
    directory_path: str | os.PathLike[str],
    *,
    per_student: int = DEFAULT_PER_STUDENT,
    seed: int = 0,
    catalog: Catalog | None = None,
) -> Matches:
    """One call for ``careerkit match ASSIGNMENTS.csv DIRECTORY.csv``."""
    catalog = catalog or load_catalog()
    assignments = load_assignments(assignments_path)
    for a in assignments:
        if a.career_id not in catalog:
            raise DataError(f"{assignments_path} ({a.student_id}): unknown career '{a.career_id}'{did_you_mean(a.career_id, [c.id for c in catalog])}")
    return match(assignments, load_directory(directory_path, catalog=catalog), per_student, seed, catalog=catalog)


def _hash(seed: int, kind: str, ident: str) -> str:
    return hashlib.sha256(f"careerkit-match:{seed}:{kind}:{ident}".encode()).hexdigest()
