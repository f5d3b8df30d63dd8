"""Business model canvases (and the Lean Canvas variant): model, JSON files, checks that teach.

A canvas lays a business idea out in nine blocks, each a list of short entries.
Stored as JSON, one top-level key per block::

    {"title": "ReadySub: first regulatory submissions for diagnostics startups",
     "variant": "business",
     "customer_segments": [{"id": "seg-startups", "text": "Diagnostics startups of 2-15 people"}],
     "value_propositions": [{"text": "A submission-ready file in 8 weeks", "segments": ["seg-startups"]}],
     "channels": [{"text": "Talks at incubator demo days", "segments": ["seg-startups"]}],
     "customer_relationships": ["A named consultant for each client"],
     "revenue_streams": [{"text": "Fixed fee of 9,500 EUR per dossier", "segments": ["seg-startups"], "how": "fixed fee"}],
     "key_resources": ["..."], "key_partners": ["..."],
     "key_activities": [{"id": "act-gap", "text": "Gap analysis of the client's evidence"}],
     "cost_structure": [{"text": "Standards library, 1,200 EUR a year", "covers": ["act-gap"]}],
     "draws_on": {"competencies": ["communication"], "values": ["autonomy"]}}

An entry is plain text, or an object with ``text`` and optionally:

- ``id``: a slug (``seg-startups``) other entries can link to; unique in the canvas.
- ``segments``: customer-segment ids the entry is for. A value proposition *serves*
  them, a channel *reaches* them, a relationship is *with* them, a revenue stream is
  *paid by* them (value_propositions, channels, customer_relationships,
  revenue_streams; Lean: problem).
- ``how`` (revenue_streams): how they pay: subscription, fee, licence, per unit, commission...
- ``covers`` (cost_structure): ids of the key activities (or resources, partners) it pays for.
- ``solves`` (Lean solution): ids of the problems it solves.

When a canvas has exactly one customer segment (one key activity, one problem), an
entry that names none is taken to mean that one, so a simple canvas needs no ids.

``"variant": "lean"`` makes it a Lean Canvas (Ash Maurya): each new block takes the
place of one Business Model Canvas block, so the layout stays the same: problem for
key_partners, solution for key_activities, key_metrics for key_resources,
unfair_advantage for customer_relationships. ``draws_on`` names the student's own
competencies (:data:`~careerkit.catalog.COMPETENCY_IDS`) and values (catalog ids) the
business would use; :func:`draws_on_from_profile` builds it from a profile.

Structural problems raise DataError on :func:`load`; content problems are Findings
from :func:`check`, and :func:`score` turns the same review into points (both live in
:mod:`careerkit.canvas_review`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, cast, get_args

from careerkit.catalog import COMPETENCY_IDS, ID_RE, SLUG_RE, Catalog, load_catalog
from careerkit.drafts import FieldReader, Finding, describe, text_problem
from careerkit.errors import DataError, did_you_mean
from careerkit.files import atomic_write_text, read_json

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from careerkit.canvas_review import CanvasScore

Variant = Literal["business", "lean"]
VARIANTS: tuple[str, ...] = get_args(Variant)
BUSINESS_BLOCKS = (
    "customer_segments", "value_propositions", "channels", "customer_relationships", "revenue_streams",
    "key_resources", "key_activities", "key_partners", "cost_structure",
)
#: Lean Canvas block -> the Business Model Canvas block whose place it takes.
LEAN_REPLACES = MappingProxyType({"problem": "key_partners", "solution": "key_activities", "key_metrics": "key_resources", "unfair_advantage": "customer_relationships"})
LEAN_BLOCKS = tuple(next((lean for lean, bmc in LEAN_REPLACES.items() if bmc == b), b) for b in BUSINESS_BLOCKS)
BLOCKS: Mapping[str, tuple[str, ...]] = MappingProxyType({"business": BUSINESS_BLOCKS, "lean": LEAN_BLOCKS})
BLOCK_TITLES = MappingProxyType({
    "customer_segments": "Customer segments", "value_propositions": "Value propositions", "channels": "Channels",
    "customer_relationships": "Customer relationships", "revenue_streams": "Revenue streams", "key_resources": "Key resources",
    "key_activities": "Key activities", "key_partners": "Key partners", "cost_structure": "Cost structure",
    "problem": "Problem", "solution": "Solution", "key_metrics": "Key metrics", "unfair_advantage": "Unfair advantage",
})
BLOCK_QUESTIONS = MappingProxyType({
    "customer_segments": "Who are you creating value for? Name your most important customers.",
    "value_propositions": "What problem do you solve for each segment, and why would they choose you?",
    "channels": "How do customers hear about you, buy from you and get what you deliver?",
    "customer_relationships": "How do you win, keep and grow each customer?",
    "revenue_streams": "Who pays you, for what, and how (subscription, fee, licence...)?",
    "key_resources": "What must you have: skills, equipment, data, money?",
    "key_activities": "What must you do well, week after week, to deliver the value?",
    "key_partners": "Who helps you do what you cannot or should not do alone?",
    "cost_structure": "What are the biggest costs, and which activities do they pay for?",
    "problem": "What are your customers' top one to three problems, and how do they cope today?",
    "solution": "What is the simplest thing that solves each problem?",
    "key_metrics": "Which few numbers tell you the business is working?",
    "unfair_advantage": "What do you have that others cannot easily copy or buy?",
})
#: Which blocks may carry which link key.
LINK_BLOCKS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "segments": ("value_propositions", "channels", "customer_relationships", "revenue_streams", "problem"),
    "how": ("revenue_streams",),
    "covers": ("cost_structure",),
    "solves": ("solution",),
})
#: What ``covers`` may name, and the block every entry of which some cost must cover.
COVER_TARGETS = MappingProxyType({"business": ("key_activities", "key_resources", "key_partners"), "lean": ("solution", "key_metrics")})
MUST_COVER = MappingProxyType({"business": "key_activities", "lean": "solution"})
ENTRY_LIMIT = 160
TITLE_LIMIT = 80
#: More entries than this in one block is a list, not a choice.
MAX_ENTRIES = 6


def block_title(block: str, variant: str = "business") -> str:
    """A block's heading; the Lean Canvas calls value propositions the *unique* value proposition."""
    return "Unique value proposition" if variant == "lean" and block == "value_propositions" else BLOCK_TITLES[block]


def _ids(owner: str, values: object) -> tuple[str, ...]:
    items = tuple(values) if isinstance(values, list | tuple) else None
    if items is None or not all(isinstance(v, str) and v for v in items):
        raise DataError(f"{owner}: expected a list of ids, got {describe(values)}")
    return items


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One entry of a block; links name other entries by ``id`` (see the module docstring)."""

    text: str
    id: str | None = None
    segments: tuple[str, ...] = ()
    how: str = ""
    covers: tuple[str, ...] = ()
    solves: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("text", "how"):
            problem = text_problem(getattr(self, name))
            if problem:
                raise DataError(f"entry field '{name}': {problem}")
            object.__setattr__(self, name, " ".join(getattr(self, name).split()))
        if self.id is not None and (not isinstance(self.id, str) or not SLUG_RE.match(self.id)):
            raise DataError(f"entry field 'id': {describe(self.id)} is not a slug like \"seg-startups\" (lowercase letters, digits, single hyphens)")
        for name in ("segments", "covers", "solves"):
            object.__setattr__(self, name, _ids(f"entry field '{name}'", getattr(self, name)))

    def links(self) -> Iterator[tuple[str, str]]:
        """``(link key, id)`` for every id this entry names."""
        for key in ("segments", "covers", "solves"):
            for target in getattr(self, key):
                yield key, target

    def to_json(self) -> str | dict[str, object]:
        """Plain text when the entry has no id or links, else an object."""
        extra = {k: list(getattr(self, k)) for k in ("segments", "covers", "solves") if getattr(self, k)}
        if self.id is None and not extra and not self.how:
            return self.text
        return {**({"id": self.id} if self.id else {}), "text": self.text, **extra, **({"how": self.how} if self.how else {})}

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawsOn:
    """The student's competencies and values a business would use (ids; values are checked against the catalog on load)."""

    competencies: tuple[str, ...] = ()
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("competencies", "values"):
            ids = _ids(f"draws_on field '{name}'", getattr(self, name))
            bad = [i for i in ids if not ID_RE.match(i)]
            if bad:
                raise DataError(f"draws_on field '{name}': '{bad[0]}' is not an id (lowercase letters, digits, underscores)")
            if len(set(ids)) != len(ids):
                raise DataError(f"draws_on field '{name}': lists the same id twice")
            object.__setattr__(self, name, ids)
        unknown = [c for c in self.competencies if c not in COMPETENCY_IDS]
        if unknown:
            raise DataError(f"draws_on field 'competencies': unknown competency '{unknown[0]}'{did_you_mean(unknown[0], COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")

    def __bool__(self) -> bool:
        return bool(self.competencies or self.values)

    def to_json(self) -> dict[str, list[str]]:
        return {"competencies": list(self.competencies), "values": list(self.values)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Canvas:
    """A business model canvas; ``blocks`` maps every block id of the variant to its entries, in canvas order."""

    title: str = ""
    variant: Variant = "business"
    blocks: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    draws_on: DrawsOn = field(default_factory=DrawsOn)

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise DataError(f"canvas variant '{self.variant}' is not one of {', '.join(VARIANTS)}{did_you_mean(str(self.variant), VARIANTS)}")
        problem = text_problem(self.title)
        if problem:
            raise DataError(f"field 'title': {problem}")
        allowed = BLOCKS[self.variant]
        for name in self.blocks:
            if name not in allowed:
                raise DataError(f"field '{name}': {_not_a_block(name, self.variant)}")
        blocks: dict[str, tuple[Entry, ...]] = {}
        seen: dict[str, str] = {}
        for name in allowed:
            entries = tuple(Entry(text=e) if isinstance(e, str) else e for e in self.blocks.get(name, ()))
            for i, e in enumerate(entries):
                if not isinstance(e, Entry):
                    raise DataError(f"field '{name}[{i}]': expected text or an Entry, got {e!r}")
                if e.id is not None and e.id in seen:
                    raise DataError(f"field '{name}[{i}].id': id '{e.id}' is already used by {seen[e.id]}; ids must be unique")
                if e.id is not None:
                    seen[e.id] = f"{name}[{i}]"
            blocks[name] = entries
        object.__setattr__(self, "blocks", MappingProxyType(blocks))

    @property
    def block_ids(self) -> tuple[str, ...]:
        return BLOCKS[self.variant]

    def block(self, name: str) -> tuple[Entry, ...]:
        """The entries of one block (an error names the blocks of this variant)."""
        if name not in self.blocks:
            raise DataError(f"'{name}' {_not_a_block(name, self.variant)}")
        return self.blocks[name]

    def locate(self, entry_id: str) -> tuple[str, int, Entry] | None:
        """``(block, index, entry)`` of the entry with this id, or None."""
        for name, entries in self.blocks.items():
            for i, e in enumerate(entries):
                if e.id == entry_id:
                    return name, i, e
        return None

    def to_dict(self) -> dict[str, object]:
        """The JSON form (see the module docstring)."""
        data: dict[str, object] = {"title": self.title, "variant": self.variant}
        data.update({name: [e.to_json() for e in entries] for name, entries in self.blocks.items()})
        if self.draws_on:
            data["draws_on"] = self.draws_on.to_json()
        return data

    def check(self) -> tuple[Finding, ...]:
        return check(self)

    def score(self, weights: Mapping[str, float] | None = None, *, max_points: float | None = None) -> CanvasScore:
        return score(self, weights, max_points=max_points)

    def to_html(self) -> str:
        """A standalone, printable HTML page (see :mod:`careerkit.canvas_render`)."""
        from careerkit import canvas_render  # deferred: rendering builds on this module

        return canvas_render.to_html(self)

    def to_markdown(self) -> str:
        from careerkit import canvas_render

        return canvas_render.to_markdown(self)

    def figure(self) -> go.Figure:
        """A plotly figure with one box and one text per block."""
        from careerkit import canvas_render

        return canvas_render.figure(self)

    def __str__(self) -> str:
        lines = [f"{self.title or '(untitled canvas)'}{' (Lean Canvas)' if self.variant == 'lean' else ''}"]
        for name, entries in self.blocks.items():
            lines.append(f"  {block_title(name, self.variant)}:" + ("" if entries else " (empty)"))
            lines += [f"    - {e.text}" + (f"  [{e.id}]" if e.id else "") for e in entries]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from careerkit import canvas_render

        return canvas_render.to_fragment(self)


def _not_a_block(name: str, variant: str) -> str:
    other = "lean" if variant == "business" else "business"
    if name in BLOCKS[other]:
        instead = LEAN_REPLACES.get(name) or next(k for k, v in LEAN_REPLACES.items() if v == name)
        kind = "a Lean Canvas block" if other == "lean" else "a Business Model Canvas block, not a Lean Canvas one"
        return f"'{name}' is {kind}; set \"variant\": \"{other}\" or use '{instead}'"
    return f"is not a block{did_you_mean(name, BLOCKS[variant])}; the blocks are {', '.join(BLOCKS[variant])}"


# --- files ----------------------------------------------------------------------------


def load(path: str | os.PathLike[str], *, catalog: Catalog | None = None) -> Canvas:
    """Read a canvas JSON file; structural problems raise DataError naming the file and field."""
    p = Path(path)
    root = FieldReader(read_json(p), source=str(p))
    variant = root.text("variant", default="business")
    if variant not in VARIANTS:
        raise root.fail("variant", f"'{variant}' is not a canvas variant{did_you_mean(variant, VARIANTS)}; use \"business\" or \"lean\"")
    blocks = BLOCKS[variant]
    root.reject_unknown(("title", "variant", "draws_on", *blocks), {k: _not_a_block(k, variant) for k in BLOCKS["lean" if variant == "business" else "business"] if k not in blocks})
    entries = {name: tuple(_entry(root, name, where, item) for where, item in root.items(name, required=False)) for name in blocks}
    draws = root.child("draws_on")
    draws_on = _draws_on(draws, catalog) if draws is not None else DrawsOn()
    title = root.text("title", default="")
    try:  # the model checks what spans blocks (unique ids); say which file
        return Canvas(title=title, variant=cast(Variant, variant), blocks=entries, draws_on=draws_on)
    except DataError as exc:
        raise DataError(f"{p} {exc}") from None


def _entry(root: FieldReader, block: str, where: str, item: object) -> Entry:
    if isinstance(item, str):
        return Entry(text=item)
    if not isinstance(item, dict):
        raise DataError(f"{root.source} field '{where}': expected text or an object {{\"text\": ...}}, got {describe(item)}")
    f = FieldReader(item, source=root.source, path=where)
    allowed = ("id", "text", *(k for k, blocks in LINK_BLOCKS.items() if block in blocks))
    hints = {k: f"'{k}' is only for {' and '.join(LINK_BLOCKS[k])} entries" for k in LINK_BLOCKS if k not in allowed}
    f.reject_unknown(allowed, hints)
    ident = f.raw.get("id")
    if ident is not None and (not isinstance(ident, str) or not SLUG_RE.match(ident)):
        raise f.fail("id", f"{describe(ident)} is not an id like \"seg-startups\" (lowercase letters, digits, single hyphens)")
    return Entry(text=f.text("text"), id=ident, segments=f.texts("segments"), how=f.text("how", default=""), covers=f.texts("covers"), solves=f.texts("solves"))


def _draws_on(f: FieldReader, catalog: Catalog | None) -> DrawsOn:
    f.reject_unknown(("competencies", "values"))
    competencies, values = f.texts("competencies"), f.texts("values")
    for c in competencies:
        if c not in COMPETENCY_IDS:
            raise f.fail("competencies", f"unknown competency '{c}'{did_you_mean(c, COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
    _check_values(values, catalog, lambda problem: f.fail("values", problem))
    return DrawsOn(competencies=competencies, values=values)


def _check_values(values: Sequence[str], catalog: Catalog | None, fail: Callable[[str], DataError]) -> None:
    if not values:
        return
    allowed = (catalog or load_catalog()).value_ids
    for v in values:
        if v not in allowed:
            raise fail(f"unknown value '{v}'{did_you_mean(v, allowed)}; values are {', '.join(allowed)}")


def save(canvas: Canvas, path: str | os.PathLike[str]) -> Path:
    """Write the canvas as JSON (atomically)."""
    return atomic_write_text(path, json.dumps(canvas.to_dict(), indent=2, ensure_ascii=False) + "\n")


# --- the student behind the business ------------------------------------------------

#: Competencies rated at least this (0-3 self-rating) count as ones the business can draw on.
DRAW_ON_MIN_RATING = 2


def draws_on_from_profile(
    competency_ratings: Mapping[str, int | Mapping[str, object]],
    values: Sequence[str],
    *,
    top: int = 3,
    catalog: Catalog | None = None,
) -> DrawsOn:
    """The student's strongest competencies (rated 2+, best first) and most important values, ``top`` of each.

    ``competency_ratings`` maps competency ids to a 0-3 rating or to ``{"rating": n, ...}``
    (the profile JSON shape); ``values`` are value ids, most important first.
    """
    ratings: dict[str, int] = {}
    for cid, raw in competency_ratings.items():
        if cid not in COMPETENCY_IDS:
            raise DataError(f"profile competencies: unknown competency '{cid}'{did_you_mean(cid, COMPETENCY_IDS)}; ids are {', '.join(COMPETENCY_IDS)}")
        rating = raw.get("rating") if isinstance(raw, Mapping) else raw
        if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 3:
            raise DataError(f"profile competencies: rating of {cid} is {rating!r}; use a whole number 0-3")
        ratings[cid] = rating
    strongest = sorted((c for c in COMPETENCY_IDS if ratings.get(c, 0) >= DRAW_ON_MIN_RATING), key=lambda c: -ratings[c])
    chosen = tuple(dict.fromkeys(values))[:top]

    def fail(problem: str) -> DataError:
        return DataError(f"profile values: {problem}")

    _check_values(chosen, catalog, fail)
    return DrawsOn(competencies=tuple(strongest[:top]), values=chosen)


def check(canvas: Canvas) -> tuple[Finding, ...]:
    """Every content problem at once (see :func:`careerkit.canvas_review.check`)."""
    from careerkit import canvas_review  # deferred: canvas_review builds on this module

    return canvas_review.check(canvas)


def score(canvas: Canvas, weights: Mapping[str, float] | None = None, *, max_points: float | None = None) -> CanvasScore:
    """Points for completeness, coherence and specificity (see :func:`careerkit.canvas_review.score`)."""
    from careerkit import canvas_review

    return canvas_review.score(canvas, weights, max_points=max_points)


def check_file(path: str | os.PathLike[str]) -> tuple[Finding, ...]:
    """Load and check in one call (``careerkit canvas check``)."""
    return load(path).check()


def render_file(path: str | os.PathLike[str]) -> str:
    """Load and render the standalone HTML canvas in one call (``careerkit canvas render``)."""
    return load(path).to_html()


def score_file(path: str | os.PathLike[str], weights: Mapping[str, float] | None = None, *, max_points: float | None = None) -> CanvasScore:
    """Load and score in one call (``careerkit canvas score``)."""
    return score(load(path), weights, max_points=max_points)
