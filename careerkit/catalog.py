"""The catalogs: careers, sectors, disciplines, values and the eight NACE competencies.

Everything is validated on load; an error names the file, the entry (index and id),
the field and what is allowed. ``load_catalog()`` with no argument loads the shipped
catalogs once and caches them.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from careerkit.errors import DataError, UnknownCareerError, UnknownCompetencyError, did_you_mean
from careerkit.files import data_dir, read_yaml

#: The eight NACE career-readiness competencies (2021); ids fixed by the course rubric.
COMPETENCY_IDS: tuple[str, ...] = (
    "career_development",
    "communication",
    "critical_thinking",
    "equity_inclusion",
    "leadership",
    "professionalism",
    "teamwork",
    "technology",
)
ANY_DISCIPLINE = "any"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ONET_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Sector:
    id: str
    name: str
    description: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Discipline:
    id: str
    name: str
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Value:
    id: str
    name: str
    description: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Competency:
    id: str
    name: str
    definition: str
    indicators: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.id not in COMPETENCY_IDS:
            raise UnknownCompetencyError(f"Unknown competency '{self.id}'{did_you_mean(self.id, COMPETENCY_IDS)}")

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class Career:
    """One career a student can be assigned to explore."""

    id: str
    title: str
    sector: str
    disciplines: tuple[str, ...]
    traditional: bool
    competencies: Mapping[str, int]
    description: str
    entry_routes: tuple[str, ...]
    onet_soc: str | None = None
    values_met: tuple[str, ...] = ()
    values_strained: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not SLUG_RE.match(self.id):
            raise DataError(f"career id '{self.id}' is not a slug (lowercase letters, digits and single hyphens)")
        missing = [c for c in COMPETENCY_IDS if c not in self.competencies]
        if missing:
            raise DataError(f"career '{self.id}' has no weight for {', '.join(missing)}")
        object.__setattr__(self, "competencies", MappingProxyType(dict(self.competencies)))

    def weight(self, competency: str) -> int:
        """How much this career relies on a competency, 0-3."""
        try:
            return self.competencies[competency]
        except KeyError:
            raise UnknownCompetencyError(f"Unknown competency '{competency}'{did_you_mean(competency, COMPETENCY_IDS)}") from None

    def draws_on(self, discipline: str | None) -> bool:
        """True when the career draws on ``discipline`` (an id) or on any discipline."""
        return discipline is None or ANY_DISCIPLINE in self.disciplines or discipline in self.disciplines

    def top_competencies(self, n: int = 3) -> tuple[str, ...]:
        """The ``n`` competencies the career leans on most (ties in catalog order)."""
        ranked = sorted(COMPETENCY_IDS, key=lambda c: -self.competencies[c])
        return tuple(ranked[:n])

    def __str__(self) -> str:
        return f"{self.title} ({self.id})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """All catalogs, cross-validated; look things up by id with helpful errors."""

    careers: tuple[Career, ...]
    sectors: tuple[Sector, ...]
    disciplines: tuple[Discipline, ...]
    values: tuple[Value, ...]
    competencies: tuple[Competency, ...]
    source: str = ""
    _careers_by_id: Mapping[str, Career] = field(init=False, repr=False, compare=False)
    _alias_index: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_careers_by_id", MappingProxyType({c.id: c for c in self.careers}))
        index: dict[str, str] = {}
        for d in self.disciplines:
            for key in (d.id, d.name, *d.aliases):
                index[_norm(key)] = d.id
        object.__setattr__(self, "_alias_index", MappingProxyType(index))

    def __iter__(self) -> Iterator[Career]:
        return iter(self.careers)

    def __len__(self) -> int:
        return len(self.careers)

    def __contains__(self, career_id: object) -> bool:
        return career_id in self._careers_by_id

    def career(self, career_id: str) -> Career:
        """The career with this id; ``UnknownCareerError`` with a suggestion otherwise."""
        try:
            return self._careers_by_id[career_id]
        except KeyError:
            raise UnknownCareerError(f"Unknown career '{career_id}'{did_you_mean(career_id, self._careers_by_id)}") from None

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.values)

    @property
    def discipline_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.disciplines)

    def sector(self, sector_id: str) -> Sector:
        for s in self.sectors:
            if s.id == sector_id:
                return s
        raise DataError(f"Unknown sector '{sector_id}'{did_you_mean(sector_id, self.sector_ids)}; sectors are {', '.join(self.sector_ids)}")

    def value(self, value_id: str) -> Value:
        for v in self.values:
            if v.id == value_id:
                return v
        raise DataError(f"Unknown value '{value_id}'{did_you_mean(value_id, self.value_ids)}; values are {', '.join(self.value_ids)}")

    def competency(self, competency_id: str) -> Competency:
        for c in self.competencies:
            if c.id == competency_id:
                return c
        raise UnknownCompetencyError(f"Unknown competency '{competency_id}'{did_you_mean(competency_id, COMPETENCY_IDS)}")

    def in_sector(self, sector_id: str) -> tuple[Career, ...]:
        """Careers of one sector (validates the sector id)."""
        self.sector(sector_id)
        return tuple(c for c in self.careers if c.sector == sector_id)

    def resolve_discipline(self, text: str) -> str | None:
        """Map a roster's discipline text (id, name or alias, any case) to a discipline id; None if unknown."""
        return self._alias_index.get(_norm(text))

    def discipline_choices(self) -> tuple[str, ...]:
        return tuple(self._alias_index)

    def discipline_name(self, discipline_id: str | None) -> str:
        for d in self.disciplines:
            if d.id == discipline_id:
                return d.name
        return discipline_id or "any discipline"


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-&/]+", " ", text.strip().lower()).replace(" and ", " ").strip()


# --- loading ---------------------------------------------------------------------------


class _Entry:
    """Reads fields of one YAML mapping, raising errors that say file, entry and field."""

    def __init__(self, path: Path, index: int, raw: Any) -> None:
        self.path = path
        self.index = index
        if not isinstance(raw, dict):
            raise DataError(f"{path.name} entry {index}: expected a mapping of fields, got {type(raw).__name__}")
        self.raw = raw
        ident = raw.get("id")
        self.label = f"{path.name} entry {index}" + (f" (id '{ident}')" if isinstance(ident, str) else "")

    def fail(self, name: str, problem: str) -> DataError:
        return DataError(f"{self.label} field '{name}': {problem}")

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(name, "missing or empty")
            return ""
        if not isinstance(value, str):
            raise self.fail(name, f"expected text, got {value!r}")
        return " ".join(value.split())

    def texts(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.fail(name, "missing; expected a list")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, f"expected a list of non-empty texts, got {value!r}")
        if required and not value:
            raise self.fail(name, "empty list")
        return tuple(" ".join(v.split()) for v in value)

    def ids(self, name: str, allowed: tuple[str, ...], *, required: bool = True) -> tuple[str, ...]:
        values = self.texts(name, required=required)
        for v in values:
            if v not in allowed:
                raise self.fail(name, f"unknown id '{v}'{did_you_mean(v, allowed)}; allowed: {', '.join(allowed)}")
        if len(set(values)) != len(values):
            raise self.fail(name, "lists the same id twice")
        return values

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        if not isinstance(value, bool):
            raise self.fail(name, f"expected true or false, got {value!r}")
        return value


def _entries(path: Path) -> list[_Entry]:
    data = read_yaml(path)
    if not isinstance(data, list) or not data:
        raise DataError(f"{path}: expected a non-empty list of entries")
    entries = [_Entry(path, i, raw) for i, raw in enumerate(data, start=1)]
    seen: dict[str, int] = {}
    for e in entries:
        ident = e.text("id")
        if ident in seen:
            raise DataError(f"{e.label}: duplicate id '{ident}' (first used by entry {seen[ident]})")
        seen[ident] = e.index
    return entries


def _simple(path: Path, kind: type, extra: tuple[str, ...]) -> tuple[Any, ...]:
    out = []
    for e in _entries(path):
        ident = e.text("id")
        if not ID_RE.match(ident):
            raise e.fail("id", f"'{ident}' must be lowercase letters, digits and underscores")
        kwargs: dict[str, Any] = {"id": ident, "name": e.text("name")}
        for name in extra:
            kwargs[name] = e.texts(name) if name in ("aliases", "indicators") else e.text(name)
        out.append(kind(**kwargs))
    return tuple(out)


def load_careers(
    path: str | os.PathLike[str],
    *,
    sectors: tuple[str, ...],
    disciplines: tuple[str, ...],
    values: tuple[str, ...],
) -> tuple[Career, ...]:
    """Load and validate a careers file against the given id sets."""
    p = Path(path)
    careers = []
    for e in _entries(p):
        ident = e.text("id")
        if not SLUG_RE.match(ident):
            raise e.fail("id", f"'{ident}' is not a slug (lowercase letters, digits, single hyphens)")
        sector = e.text("sector")
        if sector not in sectors:
            raise e.fail("sector", f"unknown sector '{sector}'{did_you_mean(sector, sectors)}; sectors are {', '.join(sectors)}")
        disc = e.ids("disciplines", (ANY_DISCIPLINE, *disciplines))
        if ANY_DISCIPLINE in disc and len(disc) > 1:
            raise e.fail("disciplines", "'any' must stand alone")
        onet = e.raw.get("onet_soc")
        if onet is not None and (not isinstance(onet, str) or not ONET_RE.match(onet)):
            raise e.fail("onet_soc", f"'{onet}' is not an O*NET-SOC code like 13-1041.07 (or null)")
        weights = e.raw.get("competencies")
        if not isinstance(weights, dict):
            raise e.fail("competencies", "expected a mapping of the eight competency ids to 0-3")
        for key, w in weights.items():
            if key not in COMPETENCY_IDS:
                raise e.fail("competencies", f"unknown competency '{key}'{did_you_mean(str(key), COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
            if isinstance(w, bool) or not isinstance(w, int) or not 0 <= w <= 3:
                raise e.fail(f"competencies.{key}", f"weight {w!r} out of range; use a whole number 0-3")
        missing = [c for c in COMPETENCY_IDS if c not in weights]
        if missing:
            raise e.fail("competencies", f"no weight for {', '.join(missing)}")
        met = e.ids("values_met", values, required=False)
        strained = e.ids("values_strained", values, required=False)
        both = set(met) & set(strained)
        if both:
            raise e.fail("values_strained", f"{', '.join(sorted(both))} also listed in values_met")
        careers.append(
            Career(
                id=ident,
                title=e.text("title"),
                sector=sector,
                onet_soc=onet,
                disciplines=disc,
                traditional=e.flag("traditional"),
                competencies=weights,
                values_met=met,
                values_strained=strained,
                description=e.text("description"),
                entry_routes=e.texts("entry_routes"),
            )
        )
    return tuple(careers)


def load_catalog(directory: str | os.PathLike[str] | None = None, *, careers: str | os.PathLike[str] | None = None) -> Catalog:
    """Load all catalogs from ``directory`` (default: the shipped data), optionally another careers file."""
    if directory is None and careers is None:
        return _default_catalog()
    return _load(Path(directory) if directory is not None else data_dir(), Path(careers) if careers is not None else None)


@functools.cache
def _default_catalog() -> Catalog:
    return _load(data_dir(), None)


def _load(directory: Path, careers_path: Path | None) -> Catalog:
    sectors = _simple(directory / "sectors.yaml", Sector, ("description",))
    disciplines = _simple(directory / "disciplines.yaml", Discipline, ("aliases",))
    values = _simple(directory / "values.yaml", Value, ("description",))
    competencies = _load_competencies(directory / "competencies.yaml")
    cpath = careers_path or directory / "careers.yaml"
    careers = load_careers(
        cpath,
        sectors=tuple(s.id for s in sectors),
        disciplines=tuple(d.id for d in disciplines),
        values=tuple(v.id for v in values),
    )
    return Catalog(careers=careers, sectors=sectors, disciplines=disciplines, values=values, competencies=competencies, source=str(cpath))


def _load_competencies(path: Path) -> tuple[Competency, ...]:
    comps = []
    for e in _entries(path):
        ident = e.text("id")
        if ident not in COMPETENCY_IDS:
            raise e.fail("id", f"unknown competency '{ident}'{did_you_mean(ident, COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
        comps.append(Competency(id=ident, name=e.text("name"), definition=e.text("definition"), indicators=e.texts("indicators")))
    missing = [c for c in COMPETENCY_IDS if c not in {x.id for x in comps}]
    if missing:
        raise DataError(f"{path.name}: missing competencies {', '.join(missing)}")
    return tuple(sorted(comps, key=lambda c: COMPETENCY_IDS.index(c.id)))
