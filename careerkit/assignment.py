"""Fair, reproducible random assignment of one career per student.

The rule, in order:

1. Students in ``previous`` who are still on the roster keep their career (rule
   ``kept``), unless that career left the catalog or the student now avoids it
   (then they are drawn again, rule ``redrawn``, with the reason recorded).
2. Every other student is drawn (rule ``drawn``), those with the most eligible
   careers first and ties in an order fixed by a hash of the seed and their
   ``student_id`` (so the roster's row order never matters), uniformly at random
   among their *eligible* careers that have been given least often so far. So no career is given twice before every career eligible for
   that student has been given once, and counts stay within one of each other.

A career is eligible for a student when it draws on the student's discipline (or
on any), is not traditional (unless asked for), and is not in their ``avoid`` list
(by career id or by sector). Each student's draw uses its own ``random.Random``
seeded from the seed and the student id, so adding or removing a student never
changes anyone else's draw.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from careerkit.catalog import Career, Catalog, load_catalog
from careerkit.errors import AssignmentError, DataError, did_you_mean, where
from careerkit.files import atomic_write_text, csv_text, read_csv, restore_formula
from careerkit.roster import Roster, Student
from careerkit.tables import text_table

RULE_DRAWN = "drawn"
RULE_KEPT = "kept"
RULE_REDRAWN = "redrawn"
RULES = (RULE_DRAWN, RULE_KEPT, RULE_REDRAWN)
COLUMNS = ("student_id", "career_id", "career_title", "sector", "name", "discipline", "seed", "rule", "reason")


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """One student's career, with the seed and the rule that produced it (for audit)."""

    student_id: str
    career_id: str
    career_title: str
    sector: str
    name: str = ""
    discipline: str = ""
    seed: int | None = None
    rule: str = RULE_DRAWN
    reason: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise DataError(f"rule '{self.rule}' is not one of {', '.join(RULES)}")

    def row(self) -> list[object]:
        return [getattr(self, c) for c in COLUMNS]


@dataclass(frozen=True, slots=True)
class AssignmentSet:
    """All assignments of a course, sorted by ``student_id``."""

    assignments: tuple[Assignment, ...]

    def __iter__(self) -> Iterator[Assignment]:
        return iter(self.assignments)

    def __len__(self) -> int:
        return len(self.assignments)

    def get(self, student_id: str) -> Assignment | None:
        return next((a for a in self.assignments if a.student_id == student_id), None)

    def counts(self) -> Counter[str]:
        """How many students each career was given to."""
        return Counter(a.career_id for a in self.assignments)

    def to_csv(self) -> str:
        return csv_text(list(COLUMNS), [a.row() for a in self.assignments])

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the CSV atomically: the old file stays whole until the new one is complete."""
        return atomic_write_text(path, self.to_csv())

    def table(self) -> str:
        """A plain-text table for terminals and notebooks."""
        cols = ("student_id", "name", "discipline", "career_title", "sector", "rule")
        return text_table(cols, [[getattr(a, c) or "" for c in cols] for a in self.assignments])

    def __str__(self) -> str:
        return self.table()


def eligible_careers(student: Student, catalog: Catalog, *, include_traditional: bool = False) -> tuple[Career, ...]:
    """The careers this student may be assigned, in catalog order."""
    avoid = set(student.avoid)
    return tuple(
        c
        for c in catalog
        if (include_traditional or not c.traditional)
        and c.draws_on(student.discipline)
        and c.id not in avoid
        and c.sector not in avoid
    )


def assign(
    roster: Roster,
    seed: int,
    *,
    catalog: Catalog | None = None,
    previous: AssignmentSet | None = None,
    include_traditional: bool = False,
) -> AssignmentSet:
    """Assign a career to every student on the roster (see the module docstring for the rule)."""
    catalog = catalog or load_catalog()
    kept, to_draw = _keep_previous(roster, catalog, previous, include_traditional)
    counts = Counter(a.career_id for a in kept.values())
    result = dict(kept)
    reasons = {student.student_id: reason for student, reason in to_draw}
    students = {student.student_id: student for student, _ in to_draw}
    for sid, career in _draw_all(students, catalog, counts, seed, include_traditional, roster.source).items():
        result[sid] = _make(students[sid], career, seed, RULE_REDRAWN if reasons[sid] else RULE_DRAWN, reasons[sid])
    return AssignmentSet(tuple(result[s.student_id] for s in roster))


def redraw(
    roster: Roster,
    seed: int,
    *,
    previous: AssignmentSet,
    student_id: str,
    reason: str,
    catalog: Catalog | None = None,
    include_traditional: bool = False,
) -> AssignmentSet:
    """Draw a new career for one student, leaving everyone else's untouched; the reason is recorded."""
    catalog = catalog or load_catalog()
    if not reason.strip():
        raise AssignmentError("a redraw needs a reason (--reason), so that the change can be audited")
    student = roster.get(student_id)
    old = previous.get(student_id)
    if old is None:
        raise AssignmentError(f"student '{student_id}' has no career in the previous assignment; run assign without --redraw to draw one")
    base = assign(roster, seed, catalog=catalog, previous=previous, include_traditional=include_traditional)
    counts = base.counts()
    counts[old.career_id] -= 1
    rng = random.Random(f"careerkit:{seed}:{student_id}:redraw:{old.career_id}")
    career = _draw(student, catalog, counts, rng, include_traditional, exclude=(old.career_id,), source=roster.source)
    note = f"{' '.join(reason.split())} (was {old.career_id})"
    new = _make(student, career, seed, RULE_REDRAWN, note)
    return AssignmentSet(tuple(new if a.student_id == student_id else a for a in base))


def load_assignments(path: str | os.PathLike[str]) -> AssignmentSet:
    """Read an assignment CSV written by :func:`assign` (``student_id`` and ``career_id`` required)."""
    p = Path(path)
    _, rows = read_csv(p, required=("student_id", "career_id"))
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        v = {k: restore_formula(cell) for k, cell in row.values.items()}  # a student id like '-x' was written as "'-x"
        sid, cid = v["student_id"], v["career_id"]
        if not sid or not cid:
            raise DataError(f"{where(p, row.line)}: student_id and career_id must both be filled")
        if sid in seen:
            raise DataError(f"{where(p, row.line, 'student_id')}: duplicate student_id '{sid}' (first on line {seen[sid]})")
        seen[sid] = row.line
        raw_seed = v.get("seed", "")
        try:
            seed = int(raw_seed) if raw_seed else None
        except ValueError:
            raise DataError(f"{where(p, row.line, 'seed')}: '{raw_seed}' is not a whole number") from None
        rule = v.get("rule") or RULE_DRAWN
        if rule not in RULES:
            raise DataError(f"{where(p, row.line, 'rule')}: '{rule}' is not one of {', '.join(RULES)}{did_you_mean(rule, RULES)}")
        out.append(
            Assignment(
                student_id=sid,
                career_id=cid,
                career_title=v.get("career_title", ""),
                sector=v.get("sector", ""),
                name=v.get("name", ""),
                discipline=v.get("discipline", ""),
                seed=seed,
                rule=rule,
                reason=v.get("reason", ""),
            )
        )
    return AssignmentSet(tuple(sorted(out, key=lambda a: a.student_id)))


# --- internals --------------------------------------------------------------------------


def _order_key(seed: int, student_id: str) -> str:
    return hashlib.sha256(f"careerkit:{seed}:{student_id}".encode()).hexdigest()


def _keep_previous(
    roster: Roster, catalog: Catalog, previous: AssignmentSet | None, include_traditional: bool
) -> tuple[dict[str, Assignment], list[tuple[Student, str]]]:
    kept: dict[str, Assignment] = {}
    to_draw: list[tuple[Student, str]] = []
    for student in roster:
        old = previous.get(student.student_id) if previous is not None else None
        if old is None:
            to_draw.append((student, ""))
            continue
        if old.career_id not in catalog:
            to_draw.append((student, f"career '{old.career_id}' is no longer in the catalog"))
            continue
        career = catalog.career(old.career_id)
        if career.id in student.avoid or career.sector in student.avoid:
            to_draw.append((student, f"the roster now lists '{old.career_id}' under avoid"))
            continue
        kept[student.student_id] = Assignment(
            student_id=student.student_id,
            career_id=career.id,
            career_title=career.title,
            sector=career.sector,
            name=student.name,
            discipline=student.discipline or "",
            seed=old.seed,
            rule=RULE_KEPT if old.rule == RULE_DRAWN else old.rule,
            reason=old.reason,
        )
    return kept, to_draw


def _draw_all(
    students: dict[str, Student],
    catalog: Catalog,
    counts: Counter[str],
    seed: int,
    include_traditional: bool,
    source: str,
) -> dict[str, Career]:
    """Draw every student at once, exactly fair when the careers are enough to go round.

    Each student's candidates are their eligible careers given least often so far. When
    no career is expected to be wanted by more than one student (the sum over students of
    1/len(candidates) is at most 1 for every career), dependent rounding picks a whole
    assignment in which each student gets each candidate with probability exactly
    1/len(candidates) and no career is given twice. Otherwise (a cohort larger than the
    catalog) students draw one by one, widest choice first, among the least-given careers.
    """
    if not students:
        return {}
    candidates: dict[str, list[Career]] = {}
    for sid in sorted(students):
        pool = eligible_careers(students[sid], catalog, include_traditional=include_traditional)
        if not pool:
            _draw(students[sid], catalog, counts, random.Random(0), include_traditional, exclude=(), source=source)  # raises
        least = min(counts[c.id] for c in pool)
        candidates[sid] = sorted((c for c in pool if counts[c.id] == least), key=lambda c: c.id)
    load: dict[str, float] = {}
    for cands in candidates.values():
        for c in cands:
            load[c.id] = load.get(c.id, 0.0) + 1.0 / len(cands)
    if max(load.values()) <= 1 + 1e-9:
        picks = _dependent_round({sid: [c.id for c in cands] for sid, cands in candidates.items()}, random.Random(f"careerkit:{seed}"))
        return {sid: catalog.career(cid) for sid, cid in picks.items()}
    out: dict[str, Career] = {}
    order = sorted(students, key=lambda sid: (-len(candidates[sid]), _order_key(seed, sid)))
    for sid in order:
        career = _draw(students[sid], catalog, counts, random.Random(f"careerkit:{seed}:{sid}"), include_traditional, exclude=(), source=source)
        counts[career.id] += 1
        out[sid] = career
    return out


def _dependent_round(candidates: dict[str, list[str]], rng: random.Random) -> dict[str, str]:
    """Round x[s, c] = 1/len(candidates[s]) to one career per student, keeping E[X] = x.

    Dependent rounding on a bipartite graph (Gandhi, Khuller, Parthasarathy & Srinivasan,
    J. ACM 2006): repeatedly take a cycle or maximal path of fractional edges, split it
    into alternate edges and shift weight between the two halves at random so that the
    expectation is unchanged and at least one edge becomes 0 or 1. Each student keeps a
    total of exactly 1; each career's total stays within the floor and ceiling of its
    start (here at most 1, so no career is given twice). Vertices are numbered and
    neighbours kept in insertion-ordered dicts, so the walk is the same on every run.
    """
    students = list(candidates)
    careers = sorted({c for cands in candidates.values() for c in cands})
    cindex = {c: len(students) + i for i, c in enumerate(careers)}
    x: dict[tuple[int, int], float] = {}
    adj: dict[int, dict[int, None]] = {}
    for si, sid in enumerate(students):
        cands = candidates[sid]
        for cid in cands:
            ci = cindex[cid]
            x[(si, ci)] = 1.0 / len(cands)
            if len(cands) > 1:
                adj.setdefault(si, {})[ci] = None
                adj.setdefault(ci, {})[si] = None

    def walk_from(start: int) -> list[int]:
        path, seen, prev = [start], {start: 0}, -1
        while True:
            here = path[-1]
            nxt = next((v for v in adj[here] if v != prev), None)
            if nxt is None:
                return path
            if nxt in seen:
                return path[seen[nxt]:] + [nxt]
            seen[nxt] = len(path)
            prev = here
            path.append(nxt)

    eps = 1e-12
    while adj:
        path = walk_from(next(iter(adj)))
        if path[0] != path[-1]:
            path = walk_from(path[-1])  # from a true end, the walk is a cycle or a maximal path
        edges = [(min(a, b), max(a, b)) for a, b in zip(path, path[1:])]
        first, second = edges[0::2], edges[1::2]
        alpha = min([1 - x[e] for e in first] + [x[e] for e in second])
        beta = min([x[e] for e in first] + [1 - x[e] for e in second])
        step = alpha if rng.random() < beta / (alpha + beta) else -beta
        for e in first:
            x[e] += step
        for e in second:
            x[e] -= step
        for e in edges:
            if x[e] < eps or x[e] > 1 - eps:
                x[e] = round(x[e])
                a, b = e
                adj[a].pop(b, None)
                adj[b].pop(a, None)
                for node in (a, b):
                    if not adj[node]:
                        del adj[node]
    return {students[si]: careers[ci - len(students)] for (si, ci), value in x.items() if value == 1}


def _draw(
    student: Student,
    catalog: Catalog,
    counts: Counter[str],
    rng: random.Random,
    include_traditional: bool,
    exclude: Iterable[str],
    source: str = "",
) -> Career:
    excluded = set(exclude)
    pool = [c for c in eligible_careers(student, catalog, include_traditional=include_traditional) if c.id not in excluded]
    if not pool:
        why = []
        if student.discipline:
            why.append(f"discipline '{student.discipline}'")
        if student.avoid:
            why.append(f"avoid '{';'.join(student.avoid)}'")
        if not include_traditional:
            why.append("traditional careers excluded")
        place = where(source or "roster", student.line, "avoid" if student.avoid else None)
        raise AssignmentError(f"{place}: student '{student.student_id}' has no eligible career left ({', '.join(why) or 'empty catalog'})")
    least = min(counts[c.id] for c in pool)
    candidates = sorted((c for c in pool if counts[c.id] == least), key=lambda c: c.id)
    return rng.choice(candidates)


def _make(student: Student, career: Career, seed: int, rule: str, reason: str) -> Assignment:
    return Assignment(
        student_id=student.student_id,
        career_id=career.id,
        career_title=career.title,
        sector=career.sector,
        name=student.name,
        discipline=student.discipline or "",
        seed=seed,
        rule=rule,
        reason=reason,
    )
