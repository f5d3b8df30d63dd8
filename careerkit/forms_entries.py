"""Forms made of repeated entries: the interview log, the storyboard and the canvas (see careerkit.forms)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from careerkit.answers import AnswerBook
from careerkit.forms import WIDE, _catalog, _date, _form, _iso, _on, _saver, _status, _textarea, _words

Row = tuple[widgets.Widget, dict[str, Any]]


class ListEditor:
    """A list of dict entries, one row of widgets each, with add and remove buttons; every change saves the list."""

    def __init__(
        self,
        get: Callable[[], list[dict[str, Any]]],
        put: Callable[[list[dict[str, Any]]], None],
        row: Callable[[int, dict[str, Any], Callable[[dict[str, Any]], None]], Row],
        blank: Callable[[], dict[str, Any]],
        add_label: str,
    ) -> None:
        self.get, self.put, self.row, self.blank = get, put, row, blank
        self.rows: list[dict[str, Any]] = []
        self.list = widgets.VBox()
        self.add = widgets.Button(description=add_label, icon="plus")
        self.add.on_click(lambda _b: self.append())
        self.box = widgets.VBox([self.list, self.add])
        self.render()

    def append(self) -> None:
        self.put([*self.get(), self.blank()])
        self.render()

    def remove(self, i: int) -> None:
        items = self.get()
        if i < len(items):
            items.pop(i)
            self.put(items)
        self.render()

    def render(self) -> None:
        children, self.rows = [], []
        for i, item in enumerate(self.get()):

            def update(new: dict[str, Any], i: int = i) -> None:
                items = self.get()
                if i < len(items):
                    items[i] = {**items[i], **new}
                    self.put(items)

            widget, fields = self.row(i, item, update)
            drop = widgets.Button(description="Remove", icon="trash", layout=widgets.Layout(width="110px"))
            drop.on_click(lambda _b, i=i: self.remove(i))
            self.rows.append({**fields, "remove": drop})
            children.append(widgets.VBox([widget, drop], layout=widgets.Layout(border="1px solid #ddd", padding="4px", margin="4px 0")))
        self.list.children = children


def _dicts(value: object) -> list[dict[str, Any]]:
    return [dict(v) for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _s(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _watch(fields: dict[str, widgets.Widget], read: Callable[[], dict[str, Any]], update: Callable[[dict[str, Any]], None]) -> None:
    for w in fields.values():
        if isinstance(w, widgets.ValueWidget):
            _on(w, lambda: update(read()))


# --- interview log ------------------------------------------------------------------------


def interview_log(book: AnswerBook) -> widgets.VBox:
    from careerkit.grading_checks import assigned_career
    from careerkit.interviews import FORMATS, OUTCOMES, SOURCES
    from careerkit.outreach import LOCATION_TYPES

    status = _status(book)
    save = _saver(book, status)
    careers = sorted(_catalog(), key=lambda c: c.title)
    career_options = [("(choose the career)", ""), *((c.title, c.id) for c in careers)]
    known = {c.id for c in careers}

    def blank() -> dict[str, Any]:
        career, _ = assigned_career(book)
        return {
            "date": "", "career_id": career.id if career is not None else "", "interviewee_role": "", "organisation": "",
            "interviewee_name": "", "interviewee_contact": "", "source": "peer", "format": "video", "location": "video",
            "minutes": 30, "takeaways": "", "thank_you_date": "", "outcomes": [], "consent_to_share": False, "reflection": "",
        }  # fmt: skip

    def row(i: int, item: dict[str, Any], update: Callable[[dict[str, Any]], None]) -> Row:
        minutes = item.get("minutes")
        f: dict[str, Any] = {
            "date": widgets.DatePicker(value=_date(item.get("date")), description="Date"),
            "career_id": widgets.Dropdown(options=career_options, value=_s(item, "career_id") if _s(item, "career_id") in known else "", description="Career"),
            "interviewee_role": widgets.Text(value=_s(item, "interviewee_role"), description="Their role"),
            "organisation": widgets.Text(value=_s(item, "organisation"), description="Organisation"),
            "interviewee_name": widgets.Text(value=_s(item, "interviewee_name"), description="Name", placeholder="stays private"),
            "interviewee_contact": widgets.Text(value=_s(item, "interviewee_contact"), description="Contact", placeholder="stays private"),
            "source": widgets.Dropdown(options=SOURCES, value=_s(item, "source") if _s(item, "source") in SOURCES else "peer", description="Found via"),
            "format": widgets.Dropdown(options=FORMATS, value=_s(item, "format") if _s(item, "format") in FORMATS else "video", description="Format"),
            "location": widgets.Dropdown(options=LOCATION_TYPES, value=_s(item, "location") if _s(item, "location") in LOCATION_TYPES else "video", description="Location"),
            "minutes": widgets.BoundedIntText(value=minutes if isinstance(minutes, int) and 1 <= minutes <= 180 else 30, min=1, max=180, description="Minutes"),
            "takeaways": _textarea(_s(item, "takeaways"), "Takeaways: the advice and facts you want to remember", 3),
            "thank_you_date": widgets.DatePicker(value=_date(item.get("thank_you_date")), description="Thanked on"),
            "outcomes": widgets.TagsInput(value=[o for o in item.get("outcomes") or [] if o in OUTCOMES], allowed_tags=list(OUTCOMES), allow_duplicates=False),
            "consent_to_share": widgets.Checkbox(value=item.get("consent_to_share") is True, description="I consent to share my takeaways anonymously with the class"),
            "reflection": _textarea(_s(item, "reflection"), "Reflect: what did you learn about the career, and about yourself? What will you do next?", 8),
        }
        count = widgets.HTML(f"<small>{_words(f['reflection'].value)} words</small>")

        def read() -> dict[str, Any]:
            if f["format"].value in ("phone", "video") and f["location"].value != f["format"].value:
                f["location"].value = f["format"].value  # a call's location is the call
            count.value = f"<small>{_words(f['reflection'].value)} words</small>"
            out = {k: w.value for k, w in f.items()}
            out.update(date=_iso(f["date"].value), thank_you_date=_iso(f["thank_you_date"].value), outcomes=list(f["outcomes"].value), minutes=int(f["minutes"].value))
            return out

        _watch(f, read, update)
        grid = widgets.VBox(
            [
                widgets.HTML(f"<b>Interview {i + 1}</b>"),
                widgets.HBox([f["date"], f["career_id"]]),
                widgets.HBox([f["interviewee_role"], f["organisation"]]),
                widgets.HBox([f["interviewee_name"], f["interviewee_contact"]]),
                widgets.HBox([f["source"], f["format"], f["location"], f["minutes"]]),
                f["takeaways"],
                widgets.HBox([f["thank_you_date"], widgets.HTML("Champion outcomes:"), f["outcomes"]]),
                f["consent_to_share"],
                f["reflection"],
                count,
            ]
        )
        return grid, f

    editor = ListEditor(lambda: _dicts(book.get("interviews")), lambda items: save("interviews", items), row, blank, "Add an interview")
    share_name = widgets.Checkbox(
        value=book.get("share_name") is True,
        description="Name me in the class symposium booklet (otherwise I appear as 'a student in <my discipline>')",
        layout=WIDE,
    )
    _on(share_name, lambda: save("share_name", bool(share_name.value)))
    return _form([editor.box, share_name], {"editor": editor, "share_name": share_name}, status)


# --- storyboard ---------------------------------------------------------------------------


def storyboard(book: AnswerBook) -> widgets.VBox:
    status = _status(book)
    save = _saver(book, status)

    def board() -> dict[str, Any]:
        raw = book.get("storyboard")
        out = dict(raw) if isinstance(raw, dict) else {}
        out.setdefault("title", "")
        out.setdefault("persona", "")
        out["panels"] = _dicts(out.get("panels")) if "panels" in out else [_blank_panel() for _ in range(4)]
        out["feedback"] = _dicts(out.get("feedback"))
        return out

    def put(key: str, value: Any) -> None:
        save("storyboard", {**board(), key: value})

    start = board()
    title = widgets.Text(value=_s(start, "title"), description="Title", placeholder="Name the business idea", layout=WIDE)
    persona = widgets.Text(value=_s(start, "persona"), description="Customer", placeholder="Who is your customer? e.g. a founder of a five-person startup", layout=WIDE)
    _on(title, lambda: put("title", title.value))
    _on(persona, lambda: put("persona", persona.value))

    def panel_row(i: int, item: dict[str, Any], update: Callable[[dict[str, Any]], None]) -> Row:
        hint = " (the customer's problem)" if i == 0 else ""
        f = {
            "scene": _textarea(_s(item, "scene"), "Scene: what we see", 2),
            "direction": _textarea(_s(item, "direction"), "Direction: what happens, who does what", 2),
            "dialogue": _textarea(_s(item, "dialogue"), "Dialogue or caption", 2),
        }
        _watch(f, lambda: {k: w.value for k, w in f.items()}, update)
        return widgets.VBox([widgets.HTML(f"<b>Panel {i + 1}{hint}</b>"), *f.values()]), f

    def feedback_row(i: int, item: dict[str, Any], update: Callable[[dict[str, Any]], None]) -> Row:
        f: dict[str, Any] = {
            "role": widgets.Text(value=_s(item, "role"), description="Their role", placeholder="e.g. former lab manager (never a name)"),
            "date": widgets.DatePicker(value=_date(item.get("date")), description="Date"),
            "resonated": _textarea(_s(item, "resonated"), "What resonated with them", 2),
            "confusing": _textarea(_s(item, "confusing"), "What confused them", 2),
            "suggestions": _textarea(_s(item, "suggestions"), "What they suggested", 2),
            "response": _textarea(_s(item, "response"), "Your response: what will you change, and what did you learn?", 5),
        }
        _watch(f, lambda: {**{k: w.value for k, w in f.items()}, "date": _iso(f["date"].value)}, update)
        return widgets.VBox([widgets.HTML(f"<b>Feedback {i + 1}</b>"), widgets.HBox([f["role"], f["date"]]), *list(f.values())[2:]]), f

    panels = ListEditor(lambda: board()["panels"], lambda items: put("panels", items), panel_row, _blank_panel, "Add a panel")
    feedback = ListEditor(lambda: board()["feedback"], lambda items: put("feedback", items), feedback_row, _blank_feedback, "Add adviser feedback")
    return _form(
        [title, persona, widgets.HTML("<h4>Panels (4 to 10)</h4>"), panels.box, widgets.HTML("<h4>Adviser feedback</h4>"), feedback.box],
        {"title": title, "persona": persona, "panels": panels, "feedback": feedback},
        status,
    )


def _blank_panel() -> dict[str, Any]:
    return {"scene": "", "direction": "", "dialogue": ""}


def _blank_feedback() -> dict[str, Any]:
    return {"role": "", "date": "", "resonated": "", "confusing": "", "suggestions": "", "response": ""}


# --- canvas ---------------------------------------------------------------------------------

CANVAS_HELP = (
    "One entry per line. Optional: an id in brackets at the start, <code>[seg-startups] Diagnostics startups of 2-15 people</code>; "
    "links at the end after <code>-&gt;</code>, <code>A submission-ready file in 8 weeks -&gt; seg-startups</code> (the segments it serves; "
    "for costs, the activities it covers); for revenue, how they pay after <code>; how:</code>."
)
_LINK_KEY = {"cost_structure": "covers", "solution": "solves"}
_LINE_RE = re.compile(r"^\s*(?:\[(?P<id>[^\]]+)\]\s*)?(?P<text>.*?)(?:\s*->\s*(?P<links>[^;]*?))?(?:\s*;\s*how:\s*(?P<how>.*))?\s*$")


def entry_to_line(entry: object, block: str) -> str:
    """A canvas entry (text or object) as one editable line."""
    if isinstance(entry, str):
        return entry
    e = entry if isinstance(entry, dict) else {}
    line = f"[{e['id']}] " if isinstance(e.get("id"), str) and e.get("id") else ""
    line += e.get("text", "") if isinstance(e.get("text"), str) else ""
    links = e.get(_LINK_KEY.get(block, "segments")) or []
    if links:
        line += " -> " + ", ".join(str(x) for x in links)
    if isinstance(e.get("how"), str) and e["how"]:
        line += f" ; how: {e['how']}"
    return line


def line_to_entry(line: str, block: str) -> str | dict[str, Any]:
    """One line back to a canvas entry: plain text, or an object with id, links and how."""
    m = _LINE_RE.match(line)
    if m is None or not (m["id"] or m["links"] or m["how"]):
        return line.strip()
    out: dict[str, Any] = {}
    if m["id"]:
        out["id"] = m["id"].strip()
    out["text"] = m["text"].strip()
    if m["links"]:
        out[_LINK_KEY.get(block, "segments")] = list(dict.fromkeys(x.strip() for x in m["links"].split(",") if x.strip()))
    if m["how"]:
        out["how"] = m["how"].strip()
    return out


def canvas(book: AnswerBook) -> widgets.VBox:
    from careerkit.canvas import BLOCK_QUESTIONS, BLOCKS, block_title
    from careerkit.catalog import COMPETENCY_IDS

    status = _status(book)
    save = _saver(book, status)
    raw = book.get("canvas")
    start = dict(raw) if isinstance(raw, dict) else {}
    variant = start.get("variant") if start.get("variant") in BLOCKS else "business"
    title = widgets.Text(value=_s(start, "title"), description="Title", placeholder="The business in one line", layout=WIDE)
    blocks = {
        b: _textarea("\n".join(entry_to_line(e, b) for e in start.get(b) or [] if isinstance(e, str | dict)), BLOCK_QUESTIONS[b], 4)
        for b in BLOCKS[variant]
    }
    draws = start.get("draws_on") if isinstance(start.get("draws_on"), dict) else {}
    comps = widgets.TagsInput(value=[c for c in draws.get("competencies") or [] if c in COMPETENCY_IDS], allowed_tags=list(COMPETENCY_IDS), allow_duplicates=False)
    values = widgets.TagsInput(value=[v for v in draws.get("values") or [] if v in _catalog().value_ids], allowed_tags=list(_catalog().value_ids), allow_duplicates=False)

    def changed() -> None:
        data: dict[str, Any] = {"title": title.value, "variant": variant}
        for b, w in blocks.items():
            data[b] = [line_to_entry(line, b) for line in w.value.splitlines() if line.strip()]
        data["draws_on"] = {"competencies": list(comps.value), "values": list(values.value)}
        save("canvas", data)

    for w in (title, *blocks.values(), comps, values):
        _on(w, changed)
    parts: list[widgets.Widget] = [title, widgets.HTML(f"<small>{CANVAS_HELP}</small>")]
    for b, w in blocks.items():
        parts += [widgets.HTML(f"<b>{html.escape(block_title(b, variant))}</b>"), w]
    parts += [widgets.HTML("<b>Your competencies this business draws on</b>"), comps, widgets.HTML("<b>Your values it serves</b>"), values]
    return _form(parts, {"title": title, "blocks": blocks, "competencies": comps, "values": values}, status)
