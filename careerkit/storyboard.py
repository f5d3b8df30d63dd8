"""Business storyboards: "if you could not find a job, what business would you start?"

A student tells the idea as a comic strip of 4 to 10 panels. Each panel has a
*scene* (what we see, optionally a picture the student drew or photographed),
*direction* (what happens, who does what) and *dialogue* (what people say or think,
or a caption). The first panel shows the customer's problem; the last shows how
their life is better. The student shares it with a trusted adviser and records
the feedback and their own response (a reflection). Stored as JSON::

    {"title": "Ready for the regulator",
     "persona": "Priya, co-founder of a five-person diagnostics startup",
     "panels": [{"scene": "...", "image": "panel1.svg", "direction": "...", "dialogue": "..."}, ...],
     "feedback": [{"role": "regulatory affairs manager", "date": "2025-03-14",
                   "resonated": "...", "confusing": "...", "suggestions": "...",
                   "response": "..."}]}

``image`` is a path relative to the JSON file's folder. Drafts load with empty text;
:func:`check` then lists every content problem as a :class:`~careerkit.drafts.Finding`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from careerkit import storyboard_render
from careerkit.drafts import FieldReader, Finding, text_problem
from careerkit.errors import DataError
from careerkit.files import atomic_write_text, read_json
from careerkit.pages import IMAGE_KINDS, image_problem

if TYPE_CHECKING:
    import plotly.graph_objects as go

MIN_PANELS, MAX_PANELS = 4, 10
TITLE_LIMIT = 80
#: Characters per panel field and for the persona: a panel is read at a glance.
TEXT_LIMIT = 300
FEEDBACK_LIMIT = 1000
RESPONSE_LIMIT = 3000
PANEL_FIELDS = ("scene", "direction", "dialogue")
FEEDBACK_FIELDS = ("resonated", "confusing", "suggestions")
STORYBOARD_KEYS = ("title", "persona", "panels", "feedback")
PANEL_KEYS = ("scene", "image", "direction", "dialogue")
FEEDBACK_KEYS = ("role", "date", *FEEDBACK_FIELDS, "response")
_NAME_HINT = "record the adviser's role only (e.g. 'former lab manager'), never their name"

#: Cues that a panel states a problem / shows an outcome; matched at word starts, any case.
PROBLEM_CUES = (
    "problem", "struggl", "can't", "cannot", "can not", "unable", "frustrat", "waste", "wasting", "hard to", "no way to",
    "stuck", "worried", "worry", "expensive", "slow", "confus", "overwhelm", "lost", "delay", "reject", "fail", "costly",
    "too much", "too long", "don't know", "doesn't know", "not sure", "afraid", "stress", "risk", "missing", "difficult",
)
OUTCOME_CUES = (
    "now", "finally", "saves", "saved", "saving", "faster", "happy", "relieved", "better", "able to", "easier", "solved",
    "on time", "approved", "accepted", "confident", "success", "celebrat", "smil", "ready", "cleared", "launch", "grows",
    "thanks to", "at last", "no longer", "less time", "more time",
)
#: "Dr. Okafor", "Prof Lee", an e-mail address: a name where only a role belongs.
_NAME_RE = re.compile(r"\b(?i:dr|mr|mrs|ms|mx|prof|professor|sir|dame)\.?\s+[A-Z]|@")


def _cue_re(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = (r"\s+".join(re.escape(word) for word in cue.split()) for cue in cues)
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


_PROBLEM_RE = _cue_re(PROBLEM_CUES)
_OUTCOME_RE = _cue_re(OUTCOME_CUES)


def _need_text(owner: str, obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        problem = text_problem(getattr(obj, name))
        if problem:
            raise DataError(f"{owner} field '{name}': {problem}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Panel:
    """One panel of the strip; ``image`` is relative to the storyboard's folder (or absolute)."""

    scene: str = ""
    direction: str = ""
    dialogue: str = ""
    image: str | None = None

    def __post_init__(self) -> None:
        _need_text("panel", self, PANEL_FIELDS)
        if self.image is not None and (not isinstance(self.image, str) or not self.image.strip()):
            raise DataError(f"panel field 'image': expected a file path or null, got {self.image!r}")

    @property
    def text(self) -> str:
        return " ".join((self.scene, self.direction, self.dialogue))

    def __str__(self) -> str:
        picture = f" [picture: {self.image}]" if self.image else ""
        return f"{self.scene}{picture} / {self.direction} / \u201c{self.dialogue}\u201d"


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviserFeedback:
    """What a trusted adviser (named by role only) said, and the student's reflective ``response``."""

    role: str
    date: dt.date
    resonated: str = ""
    confusing: str = ""
    suggestions: str = ""
    response: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.date, str):
            object.__setattr__(self, "date", _parse_date(self.date, "feedback field 'date'"))
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise DataError(f"feedback field 'date': expected a date like 2025-03-14, got {self.date!r}")
        _need_text("feedback", self, ("role", *FEEDBACK_FIELDS, "response"))

    def __str__(self) -> str:
        lines = [f"Feedback from a {self.role or '(role not given)'} on {self.date.isoformat()}"]
        for label, text in (("Resonated", self.resonated), ("Confusing", self.confusing), ("Suggested", self.suggestions), ("My response", self.response)):
            lines.append(f"  {label}: {text or '-'}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class Storyboard:
    """A storyboard; ``folder`` is where relative picture paths start (the JSON file's folder)."""

    title: str = ""
    persona: str = ""
    panels: tuple[Panel, ...] = ()
    feedback: tuple[AdviserFeedback, ...] = ()
    folder: Path | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        _need_text("storyboard", self, ("title", "persona"))
        for name, kind in (("panels", Panel), ("feedback", AdviserFeedback)):
            items = tuple(getattr(self, name))
            bad = [i for i, item in enumerate(items) if not isinstance(item, kind)]
            if bad:
                raise DataError(f"storyboard field '{name}[{bad[0]}]': expected a {kind.__name__}, got {items[bad[0]]!r}")
            object.__setattr__(self, name, items)

    def image_path(self, panel: Panel) -> Path | None:
        """Where a panel's picture is on disk (None when the panel has none)."""
        if panel.image is None:
            return None
        path = Path(panel.image)
        return path if path.is_absolute() else (self.folder or Path.cwd()) / path

    @property
    def responses(self) -> tuple[str, ...]:
        """The student's responses to adviser feedback: reflections to score with careerkit.reflection."""
        return tuple(f.response for f in self.feedback if f.response.strip())

    def check(self, *, today: dt.date | None = None) -> tuple[Finding, ...]:
        return check(self, today=today)

    def to_dict(self) -> dict[str, object]:
        """The JSON form (see the module docstring)."""
        return {
            "title": self.title,
            "persona": self.persona,
            "panels": [{"scene": p.scene, **({"image": p.image} if p.image else {}), "direction": p.direction, "dialogue": p.dialogue} for p in self.panels],
            "feedback": [
                {"role": f.role, "date": f.date.isoformat(), **{k: getattr(f, k) for k in FEEDBACK_FIELDS}, "response": f.response} for f in self.feedback
            ],
        }

    def to_html(self, *, feedback: bool = False) -> str:
        return storyboard_render.to_html(self, feedback=feedback)

    def to_markdown(self) -> str:
        return storyboard_render.to_markdown(self)

    def figure(self) -> go.Figure:
        return storyboard_render.figure(self)

    def __str__(self) -> str:
        lines = [self.title or "(untitled storyboard)", f"Customer: {self.persona or '(not given)'}"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.panels, start=1)]
        lines += [str(f) for f in self.feedback]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return storyboard_render.to_fragment(self, feedback=True)


# --- checks ---------------------------------------------------------------------------


def check(storyboard: Storyboard, *, today: dt.date | None = None) -> tuple[Finding, ...]:
    """Every content problem at once: panel count, empty or over-long text, pictures, story shape, feedback."""
    found: list[Finding] = []

    def add(severity: str, where: str, message: str) -> None:
        found.append(Finding(severity=severity, field=where, message=message))  # type: ignore[arg-type]

    sb = storyboard
    if not sb.title.strip():
        add("error", "title", "Give your storyboard a title that names the business idea.")
    if not sb.persona.strip():
        add("error", "persona", "Say who your customer is, e.g. 'a founder of a five-person diagnostics startup'.")
    found += _length("title", "The title", sb.title, TITLE_LIMIT)
    found += _length("persona", "The persona", sb.persona, TEXT_LIMIT)
    n = len(sb.panels)
    if not MIN_PANELS <= n <= MAX_PANELS:
        add("error", "panels", f"Your storyboard has {n} panel{'s' * (n != 1)}; tell the story in {MIN_PANELS} to {MAX_PANELS} panels.")
    for i, panel in enumerate(sb.panels):
        found += _check_panel(sb, i, panel)
    if n and panel_has_text(sb.panels[0]) and not states_problem(sb.panels[0]):
        add("warning", "panels[0]", "The first panel should show your customer's problem: say what is hard, slow, expensive or frustrating for them.")
    if n >= 2 and panel_has_text(sb.panels[-1]) and not shows_outcome(sb.panels[-1]):
        add("warning", f"panels[{n - 1}]", "The last panel should show how your customer's life is better now: what is faster, easier or finally possible?")
    today = today or dt.date.today()
    for j, fb in enumerate(sb.feedback):
        found += _check_feedback(j, fb, today)
    return tuple(found)


def panel_has_text(panel: Panel) -> bool:
    return bool(panel.text.strip())


def states_problem(panel: Panel) -> bool:
    """True when the panel's words name a problem (see PROBLEM_CUES)."""
    return bool(_PROBLEM_RE.search(panel.text.replace("\u2019", "'")))


def shows_outcome(panel: Panel) -> bool:
    """True when the panel's words show a better life (see OUTCOME_CUES)."""
    return bool(_OUTCOME_RE.search(panel.text.replace("\u2019", "'")))


def _length(where: str, label: str, text: str, limit: int) -> list[Finding]:
    if len(text) <= limit:
        return []
    return [Finding(severity="error", field=where, message=f"{label} has {len(text)} characters; keep it to {limit} (cut {len(text) - limit}).")]


def _check_panel(sb: Storyboard, i: int, panel: Panel) -> list[Finding]:
    found: list[Finding] = []
    number = i + 1
    hints = {
        "scene": "describe what we see (it is also the picture's description for readers who cannot see it)",
        "direction": "say what happens and who does what",
        "dialogue": "write what people say or think, or a caption",
    }
    for name in PANEL_FIELDS:
        text = getattr(panel, name)
        where = f"panels[{i}].{name}"
        if not text.strip():
            found.append(Finding(severity="error", field=where, message=f"Panel {number} has no {name}: {hints[name]}."))
        found += _length(where, f"Panel {number}'s {name}", text, TEXT_LIMIT)
    path = sb.image_path(panel)
    if path is not None:
        problem = image_problem(path)
        if problem == "was not found":
            problem = f"was not found next to the storyboard (looked for {path})"
        if problem:
            advice = f" Use a {IMAGE_KINDS} file." if "not a picture" in problem else ""
            found.append(Finding(severity="error", field=f"panels[{i}].image", message=f"Panel {number}'s picture '{panel.image}' {problem}.{advice}"))
    return found


def _check_feedback(j: int, fb: AdviserFeedback, today: dt.date) -> list[Finding]:
    found: list[Finding] = []
    at = f"feedback[{j}]"
    if not fb.role.strip():
        found.append(Finding(severity="error", field=f"{at}.role", message="Say what kind of adviser gave the feedback, e.g. 'mentor' or 'former lab manager'."))
    elif _NAME_RE.search(fb.role):
        found.append(Finding(severity="error", field=f"{at}.role", message=f"'{fb.role}' looks like a name or an address: {_NAME_HINT}."))
    found += _length(f"{at}.role", "The adviser's role", fb.role, TITLE_LIMIT)
    if fb.date > today:
        found.append(Finding(severity="error", field=f"{at}.date", message=f"The feedback date {fb.date.isoformat()} is in the future; give the day you talked."))
    if not any(getattr(fb, k).strip() for k in FEEDBACK_FIELDS):
        found.append(Finding(severity="warning", field=at, message="Write down what your adviser said: what resonated, what was confusing, what they would change."))
    for name in FEEDBACK_FIELDS:
        found += _length(f"{at}.{name}", f"'{name}'", getattr(fb, name), FEEDBACK_LIMIT)
    if not fb.response.strip():
        found.append(Finding(severity="warning", field=f"{at}.response", message="Write your response: what will you change after this feedback, and what did you learn?"))
    found += _length(f"{at}.response", "Your response", fb.response, RESPONSE_LIMIT)
    return found


# --- files ----------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Storyboard:
    """Read a storyboard JSON file; structural problems raise DataError naming the file and field."""
    p = Path(path)
    root = FieldReader(read_json(p), source=str(p))
    root.reject_unknown(STORYBOARD_KEYS)
    panels = []
    for f in root.objects("panels"):
        f.reject_unknown(PANEL_KEYS, {"dialog": "did you mean 'dialogue'?", "picture": "did you mean 'image'?"})
        image = f.raw.get("image")
        if image is not None and (not isinstance(image, str) or not image.strip()):
            raise f.fail("image", f"expected a file path like \"panel1.png\" (or null), got {json.dumps(image)}")
        if image is not None and _too_long_for_a_path(image):
            raise f.fail("image", f"is not a file path like \"panel1.png\": {len(image)} characters; no file system has names that long")
        panels.append(Panel(scene=f.text("scene"), direction=f.text("direction"), dialogue=f.text("dialogue"), image=image.strip() if image else None))
    feedback = []
    for f in root.objects("feedback", required=False):
        f.reject_unknown(FEEDBACK_KEYS, {k: _NAME_HINT for k in ("name", "adviser", "adviser_name", "email")})
        kwargs = {k: f.text(k, default="") for k in (*FEEDBACK_FIELDS, "response")}
        feedback.append(AdviserFeedback(role=f.text("role"), date=_parse_date(f.text("date"), f"{p} field '{f.where('date')}'"), **kwargs))
    return Storyboard(title=root.text("title"), persona=root.text("persona"), panels=tuple(panels), feedback=tuple(feedback), folder=p.parent)


def save(storyboard: Storyboard, path: str | os.PathLike[str]) -> Path:
    """Write the storyboard as JSON; picture paths are rewritten relative to the new folder."""
    target = Path(path)
    data = storyboard.to_dict()
    for panel, raw in zip(storyboard.panels, cast(list[dict[str, str]], data["panels"]), strict=True):
        src = storyboard.image_path(panel)
        if src is not None and not Path(panel.image or "").is_absolute():
            raw["image"] = Path(os.path.relpath(src.resolve(), target.resolve().parent)).as_posix()
    return atomic_write_text(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def check_file(path: str | os.PathLike[str], *, today: dt.date | None = None) -> tuple[Finding, ...]:
    """Load and check in one call (``careerkit storyboard check``)."""
    return check(load(path), today=today)


def render_file(path: str | os.PathLike[str], *, feedback: bool = False) -> str:
    """Load and render the standalone HTML comic strip in one call (``careerkit storyboard render``)."""
    return load(path).to_html(feedback=feedback)


def _too_long_for_a_path(text: str) -> bool:
    """Longer than any file system allows (4096 bytes, or 255 per name): stat() would fail, not say "not found"."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) > 4096 or any(len(part) > 255 for part in data.replace(b"\\", b"/").split(b"/"))


def _parse_date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DataError(f"{where}: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2025-03-14") from None
