"""Showing a storyboard: a printable HTML comic strip, Markdown, and a plotly figure.

Each panel carries its number, the student's picture inlined as a ``data:`` URI (or
a dashed box holding the scene text when there is none), the direction in italics
and the dialogue in a speech bubble. Borders, not colours, carry the layout, so a
black-and-white print reads the same. All student text is escaped.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from careerkit.pages import data_uri, esc, esc_lines, fragment, page

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from careerkit.storyboard import AdviserFeedback, Panel, Storyboard

CSS = """
.ck-storyboard .ck-persona { margin: 0 0 1.2rem; }
.ck-panels { list-style: none; margin: 0; padding: .8rem 0 0 .8rem; display: grid; gap: 1.4rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.ck-panel { position: relative; border: 2px solid #111; border-radius: 4px; padding: .7rem; display: flex; flex-direction: column; gap: .55rem; background: #fff; }
.ck-number { position: absolute; top: -.85rem; left: -.85rem; width: 1.7rem; height: 1.7rem; border: 2px solid #111; border-radius: 50%;
  background: #fff; font-weight: 700; text-align: center; line-height: 1.7rem; }
.ck-picture { margin: 0; }
.ck-picture img { display: block; width: 100%; height: 11rem; object-fit: contain; border: 1px solid #111; }
.ck-picture figcaption, .ck-scene { font-size: .9em; margin: .3rem 0 0; }
.ck-placeholder { height: 11rem; border: 2px dashed #666; display: flex; flex-direction: column; align-items: center; justify-content: center;
  text-align: center; padding: .6rem; overflow: hidden; }
.ck-direction { font-style: italic; margin: 0; }
.ck-dialogue { position: relative; margin: 0 0 .7rem; padding: .5rem .75rem; border: 2px solid #111; border-radius: 1rem; background: #fff; }
.ck-dialogue::after { content: ""; position: absolute; bottom: -.65rem; left: 1.4rem; border-style: solid;
  border-width: .65rem .45rem 0 .45rem; border-color: #111 transparent transparent transparent; }
.ck-feedback { margin-top: 1.6rem; border-top: 2px solid #111; padding-top: .8rem; }
.ck-feedback dt { font-weight: 700; margin-top: .4rem; }
.ck-feedback dd { margin: 0 0 0 1rem; }
@media print {
  .ck-panels { grid-template-columns: repeat(2, 1fr); }
  .ck-panel, .ck-feedback-item { break-inside: avoid; page-break-inside: avoid; }
  .ck-dialogue::after { border-color: #000 transparent transparent transparent !important; }
}
"""


def to_html(storyboard: Storyboard, *, feedback: bool = False) -> str:
    """A standalone HTML page of the strip (adviser feedback too when ``feedback``)."""
    return page(title=storyboard.title or "Storyboard", body=_body(storyboard, feedback=feedback), css=CSS)


def to_fragment(storyboard: Storyboard, *, feedback: bool = True) -> str:
    """The strip as a piece of HTML for a notebook cell."""
    return fragment(_body(storyboard, feedback=feedback), CSS)


def _body(sb: Storyboard, *, feedback: bool) -> str:
    parts = [
        '<article class="ck-storyboard">',
        f"<header><h1>{esc(sb.title or 'Untitled storyboard')}</h1>",
        f'<p class="ck-persona"><strong>Customer:</strong> {esc(sb.persona) or "<em>not given yet</em>"}</p></header>',
        '<ol class="ck-panels">',
        *(_panel(sb, i, p) for i, p in enumerate(sb.panels, start=1)),
        "</ol>",
    ]
    if feedback and sb.feedback:
        parts += ['<section class="ck-feedback"><h2>Adviser feedback</h2>', *(_feedback(f) for f in sb.feedback), "</section>"]
    parts.append("</article>")
    return "\n".join(parts)


def _panel(sb: Storyboard, number: int, panel: Panel) -> str:
    path = sb.image_path(panel)
    uri = data_uri(path) if path is not None else None
    scene = esc_lines(panel.scene) or "<em>scene not described yet</em>"
    if uri is not None:
        picture = f'<figure class="ck-picture"><img src="{uri}" alt="{esc(panel.scene)}"><figcaption class="ck-scene">{scene}</figcaption></figure>'
    else:
        missing = f'<p class="ck-muted">(picture \u2018{esc(panel.image)}\u2019 not found)</p>' if panel.image else ""
        picture = f'<div class="ck-placeholder"><p class="ck-scene">{scene}</p>{missing}</div>'
    return (
        f'<li class="ck-panel" id="panel-{number}" aria-label="Panel {number}">'
        f'<div class="ck-number">{number}</div>{picture}'
        f'<p class="ck-direction">{esc_lines(panel.direction)}</p>'
        f'<p class="ck-dialogue">{esc_lines(panel.dialogue)}</p></li>'
    )


def _feedback(fb: AdviserFeedback) -> str:
    rows = [("What resonated", fb.resonated), ("What was confusing", fb.confusing), ("Suggested changes", fb.suggestions), ("My response", fb.response)]
    items = "".join(f"<dt>{label}</dt><dd>{esc_lines(text) or '-'}</dd>" for label, text in rows)
    return f'<div class="ck-feedback-item"><h3>From: {esc(fb.role) or "an adviser"} ({fb.date.isoformat()})</h3><dl>{items}</dl></div>'


def to_markdown(sb: Storyboard) -> str:
    """The storyboard as Markdown (pictures linked by their relative path)."""
    lines = [f"# {sb.title or 'Untitled storyboard'}", "", f"**Customer:** {sb.persona}", ""]
    for i, p in enumerate(sb.panels, start=1):
        lines += [f"## Panel {i}", ""]
        if p.image:
            alt = _one_line(p.scene).replace("[", "\\[").replace("]", "\\]")
            lines += [f"![{alt}](<{p.image}>)", ""]
        lines += [f"**Scene:** {_one_line(p.scene)}", "", f"*{_one_line(p.direction)}*" if p.direction.strip() else "", ""]
        lines += [*(f"> {line}" for line in (p.dialogue.splitlines() or [""])), ""]
    for fb in sb.feedback:
        lines += [f"## Feedback from a {fb.role} ({fb.date.isoformat()})", ""]
        for label, text in (("What resonated", fb.resonated), ("What was confusing", fb.confusing), ("Suggested changes", fb.suggestions), ("My response", fb.response)):
            lines += [f"- **{label}:** {_one_line(text) or '-'}"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def figure(sb: Storyboard) -> go.Figure:
    """A plotly figure: one framed box (shape) and one text (annotation) per panel, pictures as layout images."""
    import plotly.graph_objects as go  # deferred: plotly is slow to import and only figures need it

    n = len(sb.panels)
    cols = max(1, min(n, 4))
    rows = max(1, math.ceil(n / cols))
    shapes, annotations, images = [], [], []
    for i, panel in enumerate(sb.panels):
        x0, top = (i % cols) * 1.0, rows - (i // cols) * 1.0
        shapes.append({"type": "rect", "x0": x0 + 0.03, "x1": x0 + 0.97, "y0": top - 0.97, "y1": top - 0.03, "line": {"color": "#111", "width": 2}})
        path = sb.image_path(panel)
        uri = data_uri(path) if path is not None else None
        if uri is not None:
            images.append({"source": uri, "xref": "x", "yref": "y", "x": x0 + 0.08, "y": top - 0.08, "sizex": 0.84, "sizey": 0.42,
                           "xanchor": "left", "yanchor": "top", "layer": "above", "sizing": "contain"})
        words = [f"<b>{i + 1}</b>"]
        if uri is None:
            words.append(_wrap(panel.scene))
        words += [f"<i>{_wrap(panel.direction)}</i>", f"\u201c{_wrap(panel.dialogue)}\u201d"]
        annotations.append({"x": x0 + 0.5, "y": top - (0.55 if uri is not None else 0.08), "xref": "x", "yref": "y", "text": "<br>".join(words),
                            "showarrow": False, "xanchor": "center", "yanchor": "top", "align": "left", "font": {"size": 10}})
    fig = go.Figure()
    fig.update_layout(
        title={"text": esc(sb.title or "Storyboard")}, shapes=shapes, annotations=annotations, images=images,
        xaxis={"range": [0, cols], "visible": False}, yaxis={"range": [0, rows], "visible": False, "scaleanchor": "x"},
        plot_bgcolor="white", paper_bgcolor="white", margin={"l": 10, "r": 10, "t": 50, "b": 10}, height=260 * rows + 60,
    )
    return fig


def _wrap(text: str, width: int = 34, max_lines: int = 6) -> str:
    lines = textwrap.wrap(_one_line(text), width=width) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " \u2026"]
    return "<br>".join(esc(line) for line in lines)
