"""The cohort dashboard's plotly figures, built from :class:`careerkit.dashboard.Cohort` tables.

:func:`figures` returns them in a fixed order (:data:`FIGURES`), each titled with what to
look at. Filters (module, discipline, sector) narrow the cohort first. :func:`controls`
wraps them in ipywidgets dropdowns for JupyterLab; :func:`show` displays one figure as
plotly's MIME bundle, which JupyterLab renders and :mod:`careerkit.report` turns into a
static page.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from careerkit.catalog import COMPETENCY_IDS, load_catalog
from careerkit.course import MODULE_TITLES
from careerkit.dashboard import Cohort
from careerkit.interviews import OUTCOMES
from careerkit.reflection import LEVEL_NAMES

#: Figure keys in page order.
FIGURES = ("careers", "interviews", "pace", "outcomes", "skills_gap", "reflection_levels", "grades")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
_LEVEL_COLOURS = ("#d62728", "#ff9f40", "#7fb3d5", "#1f77b4")
_LAYOUT: dict[str, Any] = {"template": "plotly_white", "margin": {"t": 70, "l": 60, "r": 20, "b": 50}, "height": 430}


def figures(cohort: Cohort, *, target: int = 3, module: str | None = None, discipline: str | None = None, sector: str | None = None) -> dict[str, go.Figure]:
    """Every dashboard figure for the (filtered) cohort, keyed by :data:`FIGURES`, in that order."""
    c = cohort.where(module=module, discipline=discipline, sector=sector)
    built = {
        "careers": careers_figure(c),
        "interviews": interviews_figure(c, target),
        "pace": pace_figure(c, target),
        "outcomes": outcomes_figure(c),
        "skills_gap": skills_gap_figure(c),
        "reflection_levels": reflection_levels_figure(c),
        "grades": grades_figure(c),
    }
    for fig in built.values():
        fig.update_layout(**_LAYOUT)
    return {k: built[k] for k in FIGURES}


def _title(text: str, hint: str) -> dict[str, Any]:
    return {"text": f"{text}<br><sup>{hint}</sup>", "x": 0.01}


def careers_figure(c: Cohort) -> go.Figure:
    """Assigned careers by sector (sunburst); colour: the share of their students who logged an interview about it."""
    s = c.students.dropna(subset=["career_id"])
    interviewed = set(zip(c.interviews["student_id"], c.interviews["career_id"], strict=True)) if len(c.interviews) else set()
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []
    for (sector, sector_name), group in s.groupby(["sector", "sector_name"], dropna=False, sort=True):
        sec_id = f"sector:{sector}"
        done = sum((sid, car) in interviewed for sid, car in zip(group["student_id"], group["career_id"], strict=True))
        ids.append(sec_id), labels.append(str(sector_name if isinstance(sector_name, str) else "unknown sector")), parents.append("")
        values.append(len(group)), colours.append(done / len(group)), hover.append(f"{done} of {len(group)} interviewed their career")
        for (career, title), g in group.groupby(["career_id", "career_title"], dropna=False, sort=True):
            d = sum((sid, career) in interviewed for sid in g["student_id"])
            ids.append(f"{sec_id}/{career}"), labels.append(str(title if isinstance(title, str) else career)), parents.append(sec_id)
            values.append(len(g)), colours.append(d / len(g)), hover.append(f"{d} of {len(g)} interviewed")
    fig = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total", hovertext=hover,
        hovertemplate="%{label}<br>%{value} student(s)<br>%{hovertext}<extra></extra>",
        marker={"colors": colours, "colorscale": "RdYlGn", "cmin": 0, "cmax": 1, "colorbar": {"title": "interviewed"}},
    ))  # fmt: skip
    fig.update_layout(title=_title("Careers assigned, by sector", "Red wedges: careers nobody has interviewed yet"), height=520)
    return fig


def _interview_counts(c: Cohort) -> pd.Series:
    counts = c.interviews.groupby("student_id").size() if len(c.interviews) else pd.Series(dtype=int)
    return c.students["student_id"].map(counts).fillna(0).astype(int)


def interviews_figure(c: Cohort, target: int) -> go.Figure:
    """How many students logged 0, 1, 2... interviews; below the target in red."""
    counts = _interview_counts(c)
    top = max([target, *counts.tolist()])
    xs = list(range(top + 1))
    n = counts.value_counts()
    below = [int(n.get(x, 0)) if x < target else 0 for x in xs]
    above = [int(n.get(x, 0)) if x >= target else 0 for x in xs]
    fig = go.Figure([
        go.Bar(x=xs, y=below, name="below the target", marker_color="#d62728"),
        go.Bar(x=xs, y=above, name="at or above the target", marker_color="#2ca02c"),
    ])  # fmt: skip
    fig.add_vline(x=target - 0.5, line_dash="dash", annotation_text=f"target {target}")
    short = int((counts < target).sum())
    fig.update_layout(barmode="stack", xaxis_title="interviews logged", yaxis_title="students",
                      title=_title("Interviews per student against the target", f"{short} of {len(counts)} students are below {target}: see the nudge table"))  # fmt: skip
    return fig


def pace_figure(c: Cohort, target: int) -> go.Figure:
    """Interviews logged over time (cumulative) against an even pace to the cohort's target."""
    dates = c.interviews["date"].dropna().sort_values() if len(c.interviews) else pd.Series(dtype="datetime64[ns]")
    goal = target * len(c.students)
    traces = []
    if len(dates):
        daily = dates.dt.normalize().value_counts().sort_index().cumsum()
        traces.append(go.Scatter(x=list(daily.index), y=daily.tolist(), mode="lines+markers", name="logged", line_shape="hv"))
        start, end = daily.index[0], max(daily.index[-1], daily.index[0] + pd.Timedelta(days=1))
        traces.append(go.Scatter(x=[start, end], y=[0, goal], mode="lines", name=f"even pace to {goal}", line={"dash": "dot", "color": "grey"}))
    else:
        traces += [go.Scatter(x=[], y=[], mode="lines+markers", name="logged"), go.Scatter(x=[], y=[], mode="lines", name=f"even pace to {goal}")]
    fig = go.Figure(traces)
    fig.update_layout(xaxis_title="date", yaxis_title="interviews (cumulative)",
                      title=_title("The cohort's pace: interviews logged over time", "Below the dotted line, the cohort is behind an even pace to the target"))  # fmt: skip
    return fig


def outcomes_figure(c: Cohort) -> go.Figure:
    """Champion outcomes (leads to offers) summed over every logged interview."""
    counts = [int(c.interviews[o].sum()) if len(c.interviews) else 0 for o in OUTCOMES]
    fig = go.Figure(go.Funnel(y=list(OUTCOMES), x=counts, textinfo="value"))
    share = f"{int((c.interviews['outcomes'] != '').sum())} of {len(c.interviews)} interviews led somewhere" if len(c.interviews) else "no interviews yet"
    fig.update_layout(title=_title("Where interviews led: champion outcomes, from leads to offers", share))
    return fig


def skills_gap_figure(c: Cohort) -> go.Figure:
    """Per competency: the share of students rating themselves 2-3 beside the share whose reflections showed it."""
    names = {comp.id: comp.name for comp in load_catalog().competencies}
    rated = c.ratings.dropna(subset=["rating"])
    raters = rated["student_id"].nunique()
    writers = c.reflections["student_id"].nunique()
    confident, shown = [], []
    for cid in COMPETENCY_IDS:
        r = rated[rated["competency"] == cid]
        confident.append(100.0 * int((r["rating"] >= 2).sum()) / raters if raters else 0.0)
        showed = c.shown.loc[c.shown["competency"] == cid, "student_id"].nunique() if len(c.shown) else 0
        shown.append(100.0 * showed / writers if writers else 0.0)
    labels = [names.get(cid, cid) for cid in COMPETENCY_IDS]
    fig = go.Figure([
        go.Bar(x=labels, y=confident, name="rate themselves 2-3 (module 1)", marker_color="#9467bd"),
        go.Bar(x=labels, y=shown, name="showed it in a reflection", marker_color="#17becf"),
    ])  # fmt: skip
    fig.update_layout(barmode="group", yaxis_title="% of students", yaxis_range=[0, 100],
                      title=_title("The skills-awareness gap, per competency", "Tall purple beside short teal: confident, but no evidence yet"))  # fmt: skip
    return fig


def reflection_levels_figure(c: Cohort) -> go.Figure:
    """Reflections per module by rubric level (0 not a reflection ... 3 a concrete next step)."""
    modules = [m for m in c.modules if m in ("m1-skills", "m3-interviews", "m4-storyboard")] or list(c.modules)
    r = c.reflections
    traces = []
    for level, name in enumerate(LEVEL_NAMES):
        ys = [int(((r["module"] == m) & (r["level"] == level)).sum()) if len(r) else 0 for m in modules]
        traces.append(go.Bar(x=modules, y=ys, name=f"{level}: {name}", marker_color=_LEVEL_COLOURS[level]))
    fig = go.Figure(traces)
    fig.update_layout(barmode="stack", yaxis_title="reflections",
                      title=_title("Reflection depth per module", "Red and orange (levels 0-1) are the reflections to talk about"))  # fmt: skip
    return fig


def grades_figure(c: Cohort) -> go.Figure:
    """Grade distribution per module, in % of the module's points; missing submissions are left out."""
    g = c.grades.dropna(subset=["percent"])
    traces = [go.Box(y=g.loc[g["module"] == m, "percent"].tolist(), name=m, boxpoints="all", jitter=0.4, pointpos=0,
                     hovertext=MODULE_TITLES.get(m, m)) for m in c.modules]  # fmt: skip
    missing = int(c.grades["score"].isna().sum())
    fig = go.Figure(traces)
    fig.update_layout(yaxis_title="% of points", yaxis_range=[0, 105], showlegend=False,
                      title=_title("Grade distributions per module", f"Each dot is a student; {missing} missing submission(s) not shown"))  # fmt: skip
    return fig


def title_of(fig: go.Figure) -> str:
    """The figure's headline (without the hint line)."""
    return str(fig.layout.title.text or "").split("<br>", 1)[0]


def show(fig: go.Figure) -> None:
    """Display a figure as plotly's MIME bundle (JupyterLab renders it; the report makes it static)."""
    from IPython.display import display

    display({PLOTLY_MIME: fig.to_plotly_json(), "text/plain": f"<Figure: {title_of(fig)}>"}, raw=True)


def controls(cohort: Cohort, *, target: int = 3) -> Any:
    """Module, discipline and sector dropdowns that redraw every figure in JupyterLab (an ipywidgets VBox)."""
    import ipywidgets as widgets

    choices = cohort.choices()
    drops = {k: widgets.Dropdown(options=[("all", None), *[(v, v) for v in choices[k]]], value=None, description=k) for k in ("module", "discipline", "sector")}
    out = widgets.Output()

    def redraw(_: object = None) -> None:
        out.clear_output(wait=True)
        with out:
            for fig in figures(cohort, target=target, **{k: d.value for k, d in drops.items()}).values():
                show(fig)

    for d in drops.values():
        d.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(drops.values())), out])
