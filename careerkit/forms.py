"""ipywidgets forms of the graded notebooks; each is bound to an AnswerBook and saves on every change.

Every form function returns a ``VBox`` whose ``fields`` attribute names its widgets
(tests and curious students can reach them). A save that fails (a read-only folder,
a full disk) is shown in red under the form instead of raising inside a callback.
Forms hold no state of their own: the book is the truth, so re-running a cell
shows what was saved.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from careerkit.answers import AnswerBook, peek, student_id
from careerkit.errors import CareerkitError

WIDE = widgets.Layout(width="95%")
_SENTINEL = ""


def _catalog() -> Any:
    from careerkit.catalog import load_catalog

    return load_catalog()


def _form(children: list[widgets.Widget], fields: dict[str, Any], status: widgets.HTML) -> widgets.VBox:
    box = widgets.VBox([*children, status])
    box.fields = fields  # type: ignore[attr-defined]
    return box


def _saver(book: AnswerBook, status: widgets.HTML) -> Callable[[str, Any], None]:
    def save(key: str, value: Any) -> None:
        try:
            book[key] = value
        except CareerkitError as exc:
            status.value = f'<p style="color:#a00">Not saved: {html.escape(str(exc))}</p>'
        else:
            status.value = "" if not book.problem else f'<p style="color:#a00">{html.escape(book.problem)}</p>'

    return save


def _status(book: AnswerBook) -> widgets.HTML:
    return widgets.HTML("" if not book.problem else f'<p style="color:#a00">{html.escape(book.problem)}</p>')


def _textarea(value: str, placeholder: str = "", rows: int = 3) -> widgets.Textarea:
    return widgets.Textarea(value=value if isinstance(value, str) else "", placeholder=placeholder, rows=rows, layout=WIDE)


def _on(widget: widgets.Widget, fn: Callable[[], None]) -> None:
    widget.observe(lambda _change: fn(), names="value")


def _words(text: str) -> int:
    from careerkit.outreach import word_count

    return word_count(text)


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# --- reflections and simple text ------------------------------------------------------


def reflection(book: AnswerBook, key: str = "reflection", prompt: str = "", rows: int = 12) -> widgets.VBox:
    """A reflection box with a live word count."""
    status = _status(book)
    save = _saver(book, status)
    text = _textarea(book.get(key, ""), "Write your reflection here: what happened, what it means for you, what you will do next.", rows)
    count = widgets.HTML()

    def changed() -> None:
        n = _words(text.value)
        count.value = f"<small>{n} words{' (aim for 150-300)' if n < 150 else ''}</small>"
        save(key, text.value)

    _on(text, changed)
    count.value = f"<small>{_words(text.value)} words</small>"
    head = [widgets.HTML(f"<p><b>{html.escape(prompt)}</b></p>")] if prompt else []
    return _form([*head, text, count], {"text": text, "count": count}, status)


# --- m1: competencies, values and interests ------------------------------------------


def _profile(book: AnswerBook) -> dict[str, Any]:
    """The saved profile with every competency present (neutral rating 1 where missing)."""
    from careerkit.catalog import COMPETENCY_IDS

    raw = book.get("profile")
    profile = dict(raw) if isinstance(raw, dict) else {}
    comps = profile.get("competencies") if isinstance(profile.get("competencies"), dict) else {}
    fixed = {}
    for cid in COMPETENCY_IDS:
        c = comps.get(cid)
        c = c if isinstance(c, dict) else {"rating": c}
        rating = c.get("rating")
        fixed[cid] = {"rating": rating if isinstance(rating, int) and not isinstance(rating, bool) and 0 <= rating <= 3 else 1, "evidence": c.get("evidence") if isinstance(c.get("evidence"), str) else ""}
    profile["competencies"] = fixed
    for name in ("values", "interests", "sectors"):
        profile[name] = [v for v in profile.get(name, []) if isinstance(v, str)] if isinstance(profile.get(name), list) else []
    profile.setdefault("discipline", None)
    profile["student_id"] = student_id(book)
    return profile


def competencies(book: AnswerBook) -> widgets.VBox:
    """Eight 0-3 sliders, each with a "where did I show this?" evidence box."""
    status = _status(book)
    save = _saver(book, status)
    catalog = _catalog()
    start = _profile(book)["competencies"]
    sliders, boxes, rows = {}, {}, []
    for c in catalog.competencies:
        sliders[c.id] = widgets.IntSlider(value=start[c.id]["rating"], min=0, max=3, description="", layout=widgets.Layout(width="180px"))
        boxes[c.id] = widgets.Text(value=start[c.id]["evidence"], placeholder="Where did I show this? One concrete example.", layout=widgets.Layout(width="60%"))
        label = widgets.HTML(f'<b title="{html.escape(c.definition)}">{html.escape(c.name)}</b>', layout=widgets.Layout(width="200px"))
        rows.append(widgets.HBox([label, sliders[c.id], boxes[c.id]]))

    def changed() -> None:
        profile = _profile(book)
        profile["competencies"] = {cid: {"rating": int(sliders[cid].value), "evidence": boxes[cid].value.strip()} for cid in sliders}
        save("profile", profile)

    for w in (*sliders.values(), *boxes.values()):
        _on(w, changed)
    legend = widgets.HTML("<small>0 = not yet, 1 = a little, 2 = often and well, 3 = a real strength others rely on. Hover a name for its definition.</small>")
    return _form([legend, *rows], {"ratings": sliders, "evidence": boxes}, status)


def values_interests(book: AnswerBook) -> widgets.VBox:
    """Discipline, values in order of importance (from the catalog), interests and sectors."""
    status = _status(book)
    save = _saver(book, status)
    catalog = _catalog()
    start = _profile(book)
    options = [("(choose your discipline)", _SENTINEL), *((d.name, d.id) for d in catalog.disciplines)]
    disc = catalog.resolve_discipline(start["discipline"]) if isinstance(start["discipline"], str) else None
    discipline = widgets.Dropdown(options=options, value=disc or _SENTINEL, description="Discipline")
    values = widgets.TagsInput(value=[v for v in start["values"] if v in catalog.value_ids], allowed_tags=list(catalog.value_ids), allow_duplicates=False)
    interests = widgets.TagsInput(value=start["interests"], allow_duplicates=False)
    sectors = widgets.TagsInput(value=[s for s in start["sectors"] if s in catalog.sector_ids], allowed_tags=list(catalog.sector_ids), allow_duplicates=False)

    def changed() -> None:
        profile = _profile(book)
        profile.update(discipline=discipline.value or None, values=list(values.value), interests=list(interests.value), sectors=list(sectors.value))
        save("profile", profile)

    for w in (discipline, values, interests, sectors):
        _on(w, changed)
    value_help = "; ".join(f"{v.id}: {v.description}" for v in catalog.values)
    return _form(
        [
            discipline,
            widgets.HTML("<b>Values</b>, most important first (type an id, drag to reorder):"),
            values,
            widgets.HTML(f"<details><summary><small>What the values mean</small></summary><small>{html.escape(value_help)}</small></details>"),
            widgets.HTML("<b>Interests</b> (free words, e.g. <i>science writing</i>):"),
            interests,
            widgets.HTML(f"<b>Sectors</b> you are curious about: <small>{html.escape(', '.join(catalog.sector_ids))}</small>"),
            sectors,
        ],
        {"discipline": discipline, "values": values, "interests": interests, "sectors": sectors},
        status,
    )


# --- m2: student id, research, guide, messages, meeting ---------------------------------


def student_id_field(book: AnswerBook, on_change: Callable[[], None] | None = None) -> widgets.VBox:
    """A box for the student's id, for when the folder and login do not say who they are."""
    status = _status(book)
    save = _saver(book, status)
    box = widgets.Text(value=book.get("student_id", "") if isinstance(book.get("student_id"), str) else "", placeholder=student_id(book) or "e.g. s014", description="Student id")
    out = widgets.Output()

    def changed() -> None:
        save("student_id", box.value.strip())
        if on_change is not None:
            out.clear_output()
            with out:
                on_change()

    _on(box, changed)
    if on_change is not None:
        with out:
            on_change()
    return _form([box, out], {"student_id": box, "output": out}, status)


def research(book: AnswerBook) -> widgets.VBox:
    status = _status(book)
    save = _saver(book, status)
    start = book.get("research") if isinstance(book.get("research"), dict) else {}
    summary = _textarea(start.get("summary", ""), "What does the work involve, who hires, how do people get in? (in your own words)", 6)
    surprises = _textarea(start.get("surprises", ""), "What surprised you?", 3)
    sources = _textarea("\n".join(s for s in start.get("sources", []) if isinstance(s, str)), "One source per line (a web page, an article, a person)", 3)

    def changed() -> None:
        save("research", {"summary": summary.value, "surprises": surprises.value, "sources": [s.strip() for s in sources.value.splitlines() if s.strip()]})

    for w in (summary, surprises, sources):
        _on(w, changed)
    return _form(
        [widgets.HTML("<b>Summary</b>"), summary, widgets.HTML("<b>Surprises</b>"), surprises, widgets.HTML("<b>Sources</b>"), sources],
        {"summary": summary, "surprises": surprises, "sources": sources},
        status,
    )


def question_guide(book: AnswerBook, minutes: int = 25, seed: int = 0) -> widgets.VBox:
    """Build a guide with careerkit.questions.build_guide, then edit why/hope, reorder and remove questions."""
    status = _status(book)
    save = _saver(book, status)
    length = widgets.IntSlider(value=minutes, min=10, max=60, step=5, description="Minutes")
    build = widgets.Button(description="Build my guide", button_style="primary", tooltip="Draws questions that fit your profile and career")
    message = widgets.HTML()
    listing = widgets.VBox()
    fields: dict[str, Any] = {"minutes": length, "build": build, "questions": listing, "rows": []}

    def items() -> list[dict[str, str]]:
        raw = book.get("guide")
        return [dict(q) for q in raw if isinstance(q, dict)] if isinstance(raw, list) else []

    def render() -> None:
        rows = []
        fields["rows"] = []
        current = items()
        for i, q in enumerate(current):
            why = _textarea(q.get("why", ""), "Why I ask (in my own words)", 2)
            hope = _textarea(q.get("hope", ""), "What I hope to hear", 2)
            up, down, drop = (widgets.Button(description=d, layout=widgets.Layout(width="40px")) for d in ("\u2191", "\u2193", "\u2715"))

            def edit(i: int = i, why: widgets.Textarea = why, hope: widgets.Textarea = hope) -> None:
                now = items()
                if i < len(now):
                    now[i].update(why=why.value, hope=hope.value)
                    save("guide", now)

            def move(_b: object, i: int = i, step: int = 0) -> None:
                now = items()
                j = i + step
                if step == 0:
                    now.pop(i)
                elif 0 <= j < len(now):
                    now[i], now[j] = now[j], now[i]
                save("guide", now)
                render()

            _on(why, edit)
            _on(hope, edit)
            up.on_click(lambda b, i=i: move(b, i, -1))
            down.on_click(lambda b, i=i: move(b, i, 1))
            drop.on_click(lambda b, i=i: move(b, i, 0))
            head = widgets.HTML(f"<b>{i + 1}. {html.escape(q.get('text', ''))}</b> <small>({html.escape(q.get('question_id', ''))})</small>")
            rows.append(widgets.VBox([widgets.HBox([head, up, down, drop]), why, hope]))
            fields["rows"].append({"why": why, "hope": hope, "up": up, "down": down, "remove": drop})
        listing.children = rows

    def do_build(_b: object) -> None:
        from careerkit.grading_checks import assigned_career
        from careerkit.profile import neutral_profile, profile_from_dict
        from careerkit.questions import build_guide

        career, why_not = assigned_career(book)
        if career is None:
            message.value = f"<p>{html.escape(why_not)}</p>"
            return
        if items() and build.description != "Replace my guide":
            build.description = "Replace my guide"
            message.value = "<p>You already have a guide: click again to replace it (your edits will be lost).</p>"
            return
        m1 = peek("m1-skills", (book.directory or Path(".")) / ".." / "m1-skills")
        try:
            profile = profile_from_dict((m1 or {}).get("profile"))
        except CareerkitError:
            profile = neutral_profile()
        guide = build_guide(profile, career, minutes=length.value, seed=seed)
        save("guide", [{"question_id": q.id, "text": q.text, "why": q.why, "hope": q.hope} for q in guide])
        build.description = "Build my guide"
        message.value = f"<p>{len(guide)} questions for {html.escape(career.title)}. Now rewrite each <i>why</i> and <i>hope</i> in your own words.</p>"
        render()

    build.on_click(do_build)
    fields["do_build"] = do_build
    render()
    return _form([widgets.HBox([length, build]), message, listing], fields, status)


def outreach(book: AnswerBook) -> widgets.VBox:
    """A cold email and a LinkedIn note, with live word and character limits (careerkit.outreach)."""
    from careerkit.outreach import LINKEDIN_CHARS, WORD_LIMITS, Message

    status = _status(book)
    save = _saver(book, status)
    start = book.get("messages") if isinstance(book.get("messages"), dict) else {}
    email, note = start.get("email") or {}, start.get("linkedin") or {}
    subject = widgets.Text(value=email.get("subject", ""), placeholder="Subject", layout=WIDE)
    body = _textarea(email.get("body", ""), "Your email (under 100 words; lead with your connection; never ask for a job)", 8)
    linkedin = _textarea(note.get("body", ""), "Your LinkedIn connection note (300 characters at most)", 3)
    email_info, note_info = widgets.HTML(), widgets.HTML()
    template = widgets.Button(description="Start from a template", tooltip="Fills the empty boxes with a draft for your assigned career")

    def info(kind: str, subj: str, text: str) -> str:
        if not text.strip():
            return ""
        msg = Message(kind=kind, subject=subj, body=text)
        limit = f"{msg.word_count} / {WORD_LIMITS['email']} words" if kind == "email" else f"{msg.char_count} / {LINKEDIN_CHARS} characters"
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in msg.check())
        return f"<small>{limit}</small>" + (f'<ul style="color:#a00">{problems}</ul>' if problems else " <small>&#10003; ready</small>")

    def changed() -> None:
        email_info.value = info("email", subject.value, body.value)
        note_info.value = info("linkedin", "", linkedin.value)
        save("messages", {"email": {"subject": subject.value, "body": body.value}, "linkedin": {"body": linkedin.value}})

    def fill(_b: object) -> None:
        from careerkit.grading_checks import assigned_career
        from careerkit.outreach import cold_email, linkedin_note
        from careerkit.profile import neutral_profile

        career, why_not = assigned_career(book)
        if career is None:
            email_info.value = f"<p>{html.escape(why_not)}</p>"
            return
        if not body.value.strip():
            draft = cold_email(neutral_profile(), career)
            subject.value, body.value = subject.value or draft.subject, draft.body
        if not linkedin.value.strip():
            linkedin.value = linkedin_note(neutral_profile(), career).body

    for w in (subject, body, linkedin):
        _on(w, changed)
    template.on_click(fill)
    email_info.value = info("email", subject.value, body.value)
    note_info.value = info("linkedin", "", linkedin.value)
    return _form(
        [template, widgets.HTML("<b>Email</b>"), subject, body, email_info, widgets.HTML("<b>LinkedIn note</b>"), linkedin, note_info],
        {"subject": subject, "email": body, "linkedin": linkedin, "template": template, "email_info": email_info, "linkedin_info": note_info},
        status,
    )


LOCATION_LABELS = {"public_place": "A public place (café, library)", "workplace": "Their workplace", "phone": "Phone call", "video": "Video call", "private_home": "A private home", "other": "Somewhere else"}


def meeting(book: AnswerBook) -> widgets.VBox:
    """Where you will meet, with a live safety check, and the plan."""
    from careerkit.outreach import LOCATION_TYPES, meeting_safety

    status = _status(book)
    save = _saver(book, status)
    start = book.get("meeting") if isinstance(book.get("meeting"), dict) else {}
    loc = start.get("location") if start.get("location") in LOCATION_TYPES else _SENTINEL
    location = widgets.Dropdown(options=[("(choose)", _SENTINEL), *((LOCATION_LABELS.get(t, t), t) for t in LOCATION_TYPES)], value=loc, description="Meet at")
    plan = _textarea(start.get("plan", ""), "When, how long, and who knows where you will be?", 3)
    verdict = widgets.HTML()

    def show() -> None:
        if location.value:
            check = meeting_safety(location.value)
            verdict.value = f'<p style="color:{"#2a7" if check.safe else "#a00"}">{html.escape(str(check))}</p>'

    def changed() -> None:
        show()
        save("meeting", {"location": location.value, "plan": plan.value})

    for w in (location, plan):
        _on(w, changed)
    show()
    return _form([location, verdict, plan], {"location": location, "plan": plan, "verdict": verdict}, status)


# --- m3, m4, m5: lists of entries (careerkit.forms_entries keeps this module readable) ----


def interview_log(book: AnswerBook) -> widgets.VBox:
    """One entry per interview (several over the term), each with its reflection."""
    from careerkit.forms_entries import interview_log as form

    return form(book)


def storyboard(book: AnswerBook) -> widgets.VBox:
    """Title, customer, 4-10 panels, and each adviser's feedback with your response."""
    from careerkit.forms_entries import storyboard as form

    return form(book)


def canvas(book: AnswerBook) -> widgets.VBox:
    """The nine blocks of a business model canvas, one entry per line, and what the business draws on."""
    from careerkit.forms_entries import canvas as form

    return form(book)
