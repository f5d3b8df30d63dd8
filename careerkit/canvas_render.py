"""Showing a canvas: the classic one-page layout as printable HTML, Markdown, and a plotly figure.

The layout is Osterwalder's: key partners | key activities over key resources | value
propositions | customer relationships over channels | customer segments, with cost
structure and revenue streams along the bottom. A Lean Canvas block sits where the
block it replaces would (see :data:`careerkit.canvas.LEAN_REPLACES`). Student text is
escaped everywhere.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from careerkit.canvas import BLOCK_QUESTIONS, LEAN_REPLACES, Canvas, Entry, block_title
from careerkit.pages import esc, fragment, page

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Grid area and figure box (x0, x1, y0, y1 on a 10 x 3 board) of each Business Model Canvas position.
POSITIONS = {
    "key_partners": ("kp", (0, 2, 1, 3)),
    "key_activities": ("ka", (2, 4, 2, 3)),
    "key_resources": ("kr", (2, 4, 1, 2)),
    "value_propositions": ("vp", (4, 6, 1, 3)),
    "customer_relationships": ("cr", (6, 8, 2, 3)),
    "channels": ("ch", (6, 8, 1, 2)),
    "customer_segments": ("cs", (8, 10, 1, 3)),
    "cost_structure": ("co", (0, 5, 0, 1)),
    "revenue_streams": ("rs", (5, 10, 0, 1)),
}

CSS = """
.ck-canvas-head p { margin: .1rem 0 .8rem; }
.ck-canvas { display: grid; grid-template-columns: repeat(10, 1fr); grid-template-rows: minmax(10rem, auto) minmax(10rem, auto) minmax(7rem, auto); gap: 0;
  grid-template-areas: "kp kp ka ka vp vp cr cr cs cs" "kp kp kr kr vp vp ch ch cs cs" "co co co co co rs rs rs rs rs";
  border: 2px solid #111; }
.ck-block { border: 1px solid #111; padding: .5rem .6rem; min-width: 0; overflow-wrap: anywhere; }
.ck-block h2 { font-size: .95rem; text-transform: uppercase; letter-spacing: .03em; }
.ck-block ul { margin: 0; padding-left: 1.1rem; }
.ck-entry { margin: 0 0 .35rem; font-size: .9rem; }
.ck-id, .ck-links { display: inline-block; font-size: .75rem; color: #444; margin-left: .3rem; }
.ck-id { border: 1px solid #777; border-radius: 3px; padding: 0 .25rem; font-family: ui-monospace, monospace; }
.ck-empty { color: #555; font-style: italic; font-size: .85rem; border: 1px dashed #777; padding: .4rem; margin: 0; }
""" + "".join(f".ck-at-{name} {{ grid-area: {area}; }}\n" for name, (area, _) in POSITIONS.items()) + """
@media screen and (max-width: 720px) {
  .ck-canvas { grid-template-columns: 1fr; grid-template-rows: none; grid-template-areas: none; }
  .ck-block { grid-area: auto !important; }
}
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  .ck-block { break-inside: avoid; page-break-inside: avoid; }
  .ck-canvas { grid-template-rows: minmax(5cm, auto) minmax(5cm, auto) minmax(3.5cm, auto); }
}
"""


def _position(canvas: Canvas, block: str) -> str:
    return LEAN_REPLACES.get(block, block) if canvas.variant == "lean" else block


def to_html(canvas: Canvas) -> str:
    """A standalone HTML page of the canvas (landscape when printed)."""
    return page(title=canvas.title or "Business model canvas", body=_body(canvas), css=CSS)


def to_fragment(canvas: Canvas) -> str:
    """The canvas as a piece of HTML for a notebook cell."""
    return fragment(_body(canvas), CSS)


def _kind(canvas: Canvas) -> str:
    return "Lean Canvas" if canvas.variant == "lean" else "Business model canvas"


def _pretty(ids: tuple[str, ...]) -> str:
    return ", ".join(i.replace("_", " ").capitalize() for i in ids)


def _body(canvas: Canvas) -> str:
    head = [f'<header class="ck-canvas-head"><h1>{esc(canvas.title or "Untitled business")}</h1><p class="ck-muted">{_kind(canvas)}</p>']
    d = canvas.draws_on
    if d:
        head.append(f"<p><strong>Draws on my</strong> competencies: {esc(_pretty(d.competencies)) or '-'}; values: {esc(_pretty(d.values)) or '-'}</p>")
    head.append("</header>")
    blocks = []
    for name, entries in canvas.blocks.items():
        items = "".join(_entry(e) for e in entries)
        inner = f"<ul>{items}</ul>" if entries else f'<p class="ck-empty">{esc(BLOCK_QUESTIONS[name])}</p>'
        blocks.append(f'<section class="ck-block ck-at-{_position(canvas, name)}" data-block="{name}"><h2>{esc(block_title(name, canvas.variant))}</h2>{inner}</section>')
    return "\n".join([*head, '<div class="ck-canvas">', *blocks, "</div>"])


def _links(e: Entry) -> str:
    parts = [f"{label} {', '.join(ids)}" for label, ids in (("for", e.segments), ("covers", e.covers), ("solves", e.solves)) if ids]
    if e.how:
        parts.append(f"how: {e.how}")
    return "; ".join(parts)


def _entry(e: Entry) -> str:
    ident = f'<span class="ck-id">{esc(e.id)}</span>' if e.id else ""
    links = _links(e)
    meta = f'<span class="ck-links">({esc(links)})</span>' if links else ""
    return f'<li class="ck-entry">{esc(e.text)}{ident}{meta}</li>'


def to_markdown(canvas: Canvas) -> str:
    """The canvas as Markdown, one section per block."""
    lines = [f"# {canvas.title or 'Untitled business'}", "", f"*{_kind(canvas)}*", ""]
    if canvas.draws_on:
        lines += [f"**Draws on my** competencies: {_pretty(canvas.draws_on.competencies) or '-'}; values: {_pretty(canvas.draws_on.values) or '-'}", ""]
    for name, entries in canvas.blocks.items():
        lines += [f"## {block_title(name, canvas.variant)}", ""]
        for e in entries:
            extra = "".join(part for part in (f" `{e.id}`" if e.id else "", f" ({_links(e)})" if _links(e) else ""))
            lines.append(f"- {e.text}{extra}")
        lines += (["_(empty)_"] if not entries else []) + [""]
    return "\n".join(lines).rstrip() + "\n"


def figure(canvas: Canvas) -> go.Figure:
    """A plotly figure of the canvas: one rectangle (shape) and one text (annotation) per block."""
    import plotly.graph_objects as go  # deferred: plotly is slow to import and only figures need it

    shapes, annotations = [], []
    for name, entries in canvas.blocks.items():
        x0, x1, y0, y1 = POSITIONS[_position(canvas, name)][1]
        shapes.append({"type": "rect", "x0": x0, "x1": x1, "y0": y0, "y1": y1, "line": {"color": "#111", "width": 1.5}, "layer": "below"})
        width = 26 if x1 - x0 <= 2 else 70
        bullets = [_wrap(f"\u2022 {e.text}", width) for e in entries] or ["<i>(empty)</i>"]
        annotations.append({
            "x": x0 + 0.06, "y": y1 - 0.05, "xref": "x", "yref": "y", "xanchor": "left", "yanchor": "top", "align": "left", "showarrow": False,
            "text": "<br>".join([f"<b>{esc(block_title(name, canvas.variant))}</b>", *bullets]), "font": {"size": 10},
        })
    fig = go.Figure()
    fig.update_layout(
        title={"text": esc(canvas.title or _kind(canvas))}, shapes=shapes, annotations=annotations,
        xaxis={"range": [0, 10], "visible": False}, yaxis={"range": [0, 3], "visible": False},
        plot_bgcolor="white", paper_bgcolor="white", width=1200, height=720, margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def _wrap(text: str, width: int) -> str:
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width=width, subsequent_indent="  ")) or ""
