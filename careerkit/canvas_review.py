"""Reviewing a business model canvas: checks that teach, and a score built on the same review.

Three criteria, each a fraction from 0 to 1 turned into points:

- **completeness**: the share of blocks with at least one entry;
- **coherence**: the share of links that hold: every customer segment is served by a
  value proposition and reached by a channel, every revenue stream says who pays and
  how, every key activity (Lean: solution) is covered by a cost, every Lean problem
  has a solution, and every named id exists in the right block;
- **specificity**: the average over entries of how actionable each one is: 0 for a
  vague one ("customers", "marketing"), 0.5 for one or two words, 0.75 for a money
  entry (revenue, cost) without a number, 1 otherwise.

:func:`check` returns the problems as :class:`~careerkit.drafts.Finding` objects;
:func:`score` weighs the fractions (default 4 + 3 + 3 = 10 points) and explains
in ``feedback`` what would raise the score.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from careerkit.canvas import BLOCK_QUESTIONS, COVER_TARGETS, ENTRY_LIMIT, MAX_ENTRIES, MUST_COVER, TITLE_LIMIT, Canvas, Entry, block_title
from careerkit.drafts import Finding, Severity
from careerkit.errors import UsageError, did_you_mean

CRITERIA = ("completeness", "coherence", "specificity")
#: Relative weights; :func:`score` scales them so the criteria add up to ``max_points``.
DEFAULT_WEIGHTS = MappingProxyType({"completeness": 4.0, "coherence": 3.0, "specificity": 3.0})
DEFAULT_MAX_POINTS = 10.0
#: Words that, alone, name nothing a founder could act on.
GENERIC_WORDS = frozenset("""
people person persons stuff thing things money cash everyone everybody anyone anybody customer customers client clients user users
consumer consumers public marketing market sales sale selling advertising ads ad promotion social media internet online web website
app partner partners supplier suppliers business businesses company companies service services product products quality value good
great best cheap revenue revenues profit profits income cost costs expense expenses fee fees payment payments pay staff team employees
resources resource activities activity operations misc miscellaneous other others various tbd todo general help support relationship
relationships network networking word mouth channels channel segment segments needs need growth
""".split())
_STOPWORDS = frozenset("a an the all any our my their your some of and or for to with in on by from etc lots many more new who that who's".split())
_WORD_RE = re.compile(r"\w+(?:['\u2019-]\w+)*")
PAYER_RE = re.compile(r"\b(?:pays?|paid|paying|payer|billed|charged|invoiced|funded|sponsored|from|by)\b", re.IGNORECASE)
MECHANISM_RE = re.compile(
    r"\b(?:subscri\w*|fees?|licen[cs]\w*|per\b|commission\w*|grants?|ads|advertis\w*|sponsor\w*|donat\w*|retainer\w*|royalt\w*|"
    r"rent\w*|leas\w*|sales?|sell\w*|sold|membership\w*|tuition|hourly|daily|day rates?|price\w*|pricing|freemium|usage|"
    r"pay-as-you-go|charges?|contracts?|packages?|tickets?|instal?lments?)",
    re.IGNORECASE,
)
_MONEY_BLOCKS = ("revenue_streams", "cost_structure")
_SINGULAR = MappingProxyType({
    "customer_segments": "customer segment", "key_activities": "key activity", "key_resources": "key resource",
    "key_partners": "key partner", "solution": "solution", "key_metrics": "key metric", "problem": "problem",
})


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def is_vague(text: str) -> bool:
    """True when every word of the entry is generic or filler ("All customers", "social media marketing")."""
    content = [w for w in words(text) if w not in _STOPWORDS]
    return all(w in GENERIC_WORDS for w in content)


@dataclass
class _Tally:
    """Findings of one criterion and, for coherence, how many of its requirements hold."""

    findings: list[Finding] = field(default_factory=list)
    passed: float = 0.0
    total: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, severity: Severity, where: str, message: str) -> None:
        self.findings.append(Finding(severity=severity, field=where, message=message))

    def require(self, ok: bool, where: str, message: str, *, report: bool = True) -> None:
        self.total += 1
        if ok:
            self.passed += 1
        elif report:
            self.add("warning", where, message)

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0


def _review(canvas: Canvas) -> dict[str, _Tally]:
    return {"completeness": _completeness(canvas), "coherence": _coherence(canvas), "specificity": _specificity(canvas)}


def check(canvas: Canvas) -> tuple[Finding, ...]:
    """Every content problem at once: empty blocks, broken or missing links, vague, empty or long entries."""
    return tuple(f for tally in _review(canvas).values() for f in tally.findings)


# --- completeness ---------------------------------------------------------------------


def _completeness(c: Canvas) -> _Tally:
    t = _Tally()
    if not c.title.strip():
        t.add("warning", "title", "Give the business a name that says what it does.")
    elif len(c.title) > TITLE_LIMIT:
        t.add("error", "title", f"The title has {len(c.title)} characters; keep it to {TITLE_LIMIT}.")
    empty = []
    for name in c.block_ids:
        title = block_title(name, c.variant)
        entries = c.blocks[name]
        t.require(any(e.text for e in entries), name, "", report=False)
        if not any(e.text for e in entries):
            empty.append(title)
            t.add("error", name, f"The {title} block is empty: {BLOCK_QUESTIONS[name]}")
        elif len(entries) > MAX_ENTRIES:
            t.add("warning", name, f"{title} has {len(entries)} entries; keep the {MAX_ENTRIES} that matter most, a canvas is about choices.")
    if empty:
        t.notes.append(f"Fill in the empty block{'s' * (len(empty) > 1)}: {', '.join(empty)}.")
    return t


# --- coherence ------------------------------------------------------------------------


def _key(block: str, i: int, entry: Entry) -> str:
    return entry.id or f"{block}[{i}]"


def _linked(c: Canvas, entry: Entry, key: str, target: str) -> set[str]:
    """Keys of ``target`` entries the entry links to; with none named and one target entry, that one."""
    targets = c.blocks[target]
    named = getattr(entry, key)
    if named:
        return {t for t in named if any(e.id == t for e in targets)}
    return {_key(target, 0, targets[0])} if len(targets) == 1 else set()


def _suggest_id(prefix: str, text: str) -> str:
    content = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS][:2]
    return "-".join([prefix, *content]) if content else f"{prefix}-1"


def _coherence(c: Canvas) -> _Tally:
    t = _Tally()
    _check_links(c, t)
    segments = c.blocks["customer_segments"]
    for rel_block, verb, noun in (("value_propositions", "serves", "value proposition"), ("channels", "reaches", "channel")):
        sources = c.blocks[rel_block]
        for i, seg in enumerate(segments):
            ok = any(_key("customer_segments", i, seg) in _linked(c, s, "segments", "customer_segments") for s in sources)
            if seg.id:
                fix = f"Add \"segments\": [\"{seg.id}\"] to the {noun} that {verb} them, or drop this segment."
            else:
                fix = f"Give this segment an id (e.g. \"{_suggest_id('seg', seg.text)}\") and name it in the \"segments\" of a {noun}."
            t.require(ok, f"customer_segments[{i}]", f"No {noun} {verb} '{seg.text}'. {fix}", report=bool(sources))
    for i, r in enumerate(c.blocks["revenue_streams"]):
        said = f"{r.text} {r.how}"
        payer = bool(_linked(c, r, "segments", "customer_segments")) or bool(PAYER_RE.search(said))
        t.require(payer, f"revenue_streams[{i}]", f"Say who pays for '{r.text}': name the paying segment in \"segments\", or write it in ('paid by the startup').")
        t.require(bool(MECHANISM_RE.search(said)), f"revenue_streams[{i}]",
                  f"Say how they pay for '{r.text}': a subscription, a fixed fee, a licence, per unit, a commission, a grant, ads... (in the text or in \"how\").")
    costs = c.blocks["cost_structure"]
    must = MUST_COVER[c.variant]
    for i, a in enumerate(c.blocks[must]):
        ok = any(_key(must, i, a) in _linked(c, cost, "covers", must) for cost in costs)
        if a.id:
            fix = f"Add \"covers\": [\"{a.id}\"] to the cost that pays for it."
        else:
            fix = f"Give it an id (e.g. \"{_suggest_id(must[:3], a.text)}\") and name it in the \"covers\" of the cost that pays for it."
        t.require(ok, f"{must}[{i}]", f"No cost covers '{a.text}': doing it takes time or money. {fix}", report=bool(costs))
    if c.variant == "lean":
        solutions = c.blocks["solution"]
        for i, p in enumerate(c.blocks["problem"]):
            ok = any(_key("problem", i, p) in _linked(c, s, "solves", "problem") for s in solutions)
            fix = f"Add \"solves\": [\"{p.id}\"] to the solution that solves it." if p.id else f"Give it an id (e.g. \"{_suggest_id('prob', p.text)}\") and name it in a solution's \"solves\"."
            t.require(ok, f"problem[{i}]", f"No solution solves '{p.text}'. {fix}", report=bool(solutions))
    if not t.total:
        t.notes.append("Nothing links up yet: add customer segments, then the value propositions, channels and revenue streams for them.")
    shown = [f.message for f in t.findings[:3]]
    t.notes += shown + ([f"...and {len(t.findings) - 3} more links to fix (run check to see them all)."] if len(t.findings) > 3 else [])
    return t


def _check_links(c: Canvas, t: _Tally) -> None:
    expected = {"segments": ("customer_segments",), "covers": COVER_TARGETS[c.variant], "solves": ("problem",)}
    for name, entries in c.blocks.items():
        for i, entry in enumerate(entries):
            for key, target in entry.links():
                allowed = expected[key]
                if any(b not in c.blocks for b in allowed):
                    continue  # a link key this variant does not use; the loader refuses it, Python callers get no credit
                want = " or ".join(_SINGULAR[b] for b in allowed)
                found = c.locate(target)
                ids = [e.id for b in allowed for e in c.blocks[b] if e.id]
                where = f"{name}[{i}].{key}"
                if found is None:
                    known = f"the ids you can use are {', '.join(ids)}" if ids else f"no {want} has an \"id\" yet; give one an id to link to it"
                    t.require(False, where, "", report=False)
                    t.add("error", where, f"'{target}' names no entry{did_you_mean(target, ids)}; {known}.")
                elif found[0] not in allowed:
                    t.require(False, where, "", report=False)
                    t.add("error", where, f"'{target}' is in {block_title(found[0], c.variant)}, not a {want}.")
                else:
                    t.require(True, where, "")


# --- specificity ----------------------------------------------------------------------


def _specificity(c: Canvas) -> _Tally:
    t = _Tally()
    vague, short, no_number = [], [], []
    for name, entries in c.blocks.items():
        for i, e in enumerate(entries):
            where = f"{name}[{i}]"
            t.total += 1
            if not e.text:
                t.add("error", where, f"An entry in {block_title(name, c.variant)} is empty; write it or delete it.")
                continue
            if len(e.text) > ENTRY_LIMIT:
                t.add("error", where, f"This entry has {len(e.text)} characters; keep entries to {ENTRY_LIMIT} (cut {len(e.text) - ENTRY_LIMIT}): a canvas entry is a note, not a paragraph.")
            if is_vague(e.text):
                vague.append(e.text)
                t.add("warning", where, f"'{e.text}' is too vague to act on: say exactly who, what, where or how much (e.g. 'diagnostics startups of 2-15 people', not 'customers').")
            elif len(words(e.text)) < 3:
                short.append(e.text)
                t.passed += 0.5
            elif name in _MONEY_BLOCKS and not re.search(r"\d", f"{e.text} {e.how}"):
                no_number.append(e.text)
                t.passed += 0.75
            else:
                t.passed += 1
    if not t.total:
        t.notes.append("Write your first entries: start with who your customers are and what you do for them.")
    if vague:
        t.notes.append(f"Make these entries concrete (who exactly, which channel, what price): {_quoted(vague)}.")
    if short:
        t.notes.append(f"Say a little more in these short entries (three words or more): {_quoted(short)}.")
    if no_number:
        t.notes.append(f"Put a rough number on these money entries (a price, a yearly cost): {_quoted(no_number)}.")
    return t


def _quoted(texts: list[str], n: int = 4) -> str:
    shown = ", ".join(f"'{x}'" for x in texts[:n])
    return shown + (f" and {len(texts) - n} more" if len(texts) > n else "")


# --- score ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CriterionScore:
    """Points for one criterion (plain floats, ready for nbgrader partial credit)."""

    name: str
    points: float
    max: float
    feedback: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name:<13} {self.points:5.2f} / {self.max:g}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CanvasScore:
    """A canvas's score: ``total`` of ``max``, per-criterion ``criteria``, and what to improve."""

    total: float
    max: float
    criteria: Mapping[str, CriterionScore]
    feedback: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", MappingProxyType(dict(self.criteria)))

    @property
    def points(self) -> dict[str, float]:
        return {name: c.points for name, c in self.criteria.items()}

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``total``, ``max``, ``criteria`` (name -> points, max) and ``feedback``."""
        return {
            "total": self.total,
            "max": self.max,
            "criteria": {name: {"points": c.points, "max": c.max} for name, c in self.criteria.items()},
            "feedback": list(self.feedback),
        }

    def __str__(self) -> str:
        lines = [f"Canvas score: {self.total:.2f} / {self.max:g}", *(f"  {c}" for c in self.criteria.values())]
        return "\n".join([*lines, *(f"- {s}" for s in self.feedback)])

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{c.name}</td><td>{c.points:.2f}</td><td>{c.max:g}</td></tr>" for c in self.criteria.values())
        tips = "".join(f"<li>{html.escape(s)}</li>" for s in self.feedback)
        return f"<div><strong>Canvas score: {self.total:.2f} / {self.max:g}</strong><table>{rows}</table><ul>{tips}</ul></div>"


def score(canvas: Canvas, weights: Mapping[str, float] | None = None, *, max_points: float | None = None) -> CanvasScore:
    """Score completeness, coherence and specificity; ``weights`` override the default shares, scaled to ``max_points``."""
    total_max = DEFAULT_MAX_POINTS if max_points is None else float(max_points)
    if not math.isfinite(total_max) or total_max <= 0:
        raise UsageError(f"max_points must be a positive number, got {max_points!r}")
    shares = dict(DEFAULT_WEIGHTS)
    for name, w in (weights or {}).items():
        if name not in CRITERIA:
            raise UsageError(f"unknown criterion '{name}'{did_you_mean(name, CRITERIA)}; criteria are {', '.join(CRITERIA)}")
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise UsageError(f"weight of {name} must be a number >= 0, got {w!r}")
        shares[name] = float(w)
    if sum(shares.values()) <= 0:
        raise UsageError("at least one criterion needs a weight above 0")
    review = _review(canvas)
    criteria, exact_total = {}, 0.0
    for name in CRITERIA:
        cmax = total_max * shares[name] / sum(shares.values())
        exact_total += review[name].fraction * cmax
        criteria[name] = CriterionScore(name=name, points=round(review[name].fraction * cmax, 2), max=round(cmax, 2), feedback=tuple(review[name].notes))
    feedback = tuple(s for name in CRITERIA for s in review[name].notes if shares[name] > 0)
    if not feedback:
        feedback = ("Every block is filled, linked and concrete: this canvas is ready to test with real customers.",)
    return CanvasScore(total=round(exact_total, 2), max=round(total_max, 2), criteria=criteria, feedback=feedback)
