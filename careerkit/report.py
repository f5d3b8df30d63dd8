"""The cohort dashboard as one self-contained HTML file: run the notebook with papermill, export offline.

:func:`build_dashboard` executes ``notebooks/cohort_dashboard.ipynb`` (papermill's Python
API, kernel ``python3``) on a course and turns the result into a single page that opens
without a network: plotly's JavaScript is embedded once (its few built-in CDN defaults,
used only by map traces, are blanked), and nbconvert's lab template is used without
require.js, MathJax, Mermaid or the widget manager. A static page cannot run widgets, so
the filter controls are replaced by a short note. Every student text reaches the page
escaped: tables through :func:`careerkit.dashboard.table_html`, figures as JSON with
``<``, ``>`` and ``&`` written as unicode escapes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

from careerkit.course import Course
from careerkit.errors import CareerkitError, CourseError
from careerkit.files import PACKAGE_DIR, atomic_write_text

NOTEBOOK = PACKAGE_DIR / "notebooks" / "cohort_dashboard.ipynb"
REPORTS_DIR = "reports"
DASHBOARD_FILE = "cohort-dashboard.html"
KERNEL = "python3"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGETS_NOTE = ("<p class=\"ck-widgets-note\"><em>The module, discipline and sector filters work when the dashboard notebook "
                "is open in JupyterLab (notebooks/cohort_dashboard.ipynb); this page is a static copy showing the whole cohort.</em></p>")  # fmt: skip
#: Anything that would make the page load from the network.
FORBIDDEN = re.compile(r"<script[^>]*\ssrc\s*=\s*[\"']?\s*(?:https?:)?//|https?://cdn", re.I)
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}<script>{{ resources.careerkit_plotly_js }}</script>{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style>.ck-sortable{border-collapse:collapse;font-size:.9em}.ck-sortable th,.ck-sortable td{border:1px solid #ddd;padding:3px 8px;text-align:left}
.ck-sortable th{background:#f3f3f3}.ck-sortable caption{text-align:left;font-weight:bold;padding:4px 0}</style>{%- endblock extra_css -%}
"""


def build_dashboard(course_dir: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *, anonymise: bool = False, target: int = 3) -> Path:
    """Execute the dashboard notebook on a course and write it as one offline HTML file; returns its path.

    Default: ``<course_dir>/reports/cohort-dashboard.html`` (written atomically).
    """
    course = _open(course_dir)
    _check_target(target)
    nb = execute(course, anonymise=anonymise, target=target)
    html = to_html(nb)
    path = Path(out) if out is not None else course.root / REPORTS_DIR / DASHBOARD_FILE
    return atomic_write_text(path, html)


def expected_traces(course_dir: str | os.PathLike[str], *, anonymise: bool = False, target: int = 3) -> list[int]:
    """The number of traces of each plotly figure in the report, in page order (for the browser tests)."""
    from careerkit.dashboard import load_cohort
    from careerkit.dashboard_figures import figures

    course = _open(course_dir)
    _check_target(target)
    return [len(fig.data) for fig in figures(load_cohort(course, anonymise=anonymise), target=target).values()]


def _open(course_dir: str | os.PathLike[str]) -> Course:
    root = Path(course_dir)
    if not root.exists():
        raise CourseError(f"{course_dir} does not exist; give the folder of a course made with careerkit course init")
    if not root.is_dir():
        raise CourseError(f"{course_dir} is a file, not a course folder")
    return Course.open(root)


def _check_target(target: int) -> None:
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise CourseError(f"the interview target is a whole number, 1 or more; got {target!r}")


def execute(course: Course, *, anonymise: bool = False, target: int = 3) -> Any:
    """The dashboard notebook run by papermill on ``course`` (a NotebookNode); failures name the cell."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if not NOTEBOOK.is_file():
        raise CareerkitError(f"the dashboard notebook is missing: {NOTEBOOK}")
    params = {"course_dir": str(course.root), "target_interviews": int(target), "anonymise": bool(anonymise)}
    with tempfile.TemporaryDirectory(prefix="careerkit-dashboard-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # papermill/jupyter deprecation notices are not the user's business
        source = Path(tmp) / "cohort_dashboard.ipynb"
        nbformat.write(static_source(), source)
        try:
            return pm.execute_notebook(str(source), str(Path(tmp) / "executed.ipynb"), parameters=params, kernel_name=KERNEL,
                                       progress_bar=False, log_output=False, cwd=str(course.root),
                                       extra_arguments=["--IPKernelApp.log_level=ERROR"])  # a quiet kernel: no start-up notices on the terminal  # fmt: skip
        except PapermillExecutionError as exc:
            raise CareerkitError(f"the dashboard notebook failed in cell {exc.cell_index} ({_cell_label(exc.cell_index)}): "
                                 f"{exc.ename}: {_one_line(exc.evalue)}") from None  # fmt: skip
        except CareerkitError:
            raise
        except Exception as exc:  # noqa: BLE001 - kernel could not start, timeouts...: one clear line
            raise CareerkitError(f"the dashboard notebook could not be run: {type(exc).__name__}: {_one_line(str(exc))}") from None


def static_source() -> Any:
    """The dashboard notebook with its widget cells replaced by a note.

    A static page cannot run widgets, and executing them headless only leaves widget state
    behind (which nbconvert would load a widget manager from a CDN for).
    """
    import nbformat
    from nbformat.v4 import new_markdown_cell

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for i, cell in enumerate(nb.cells):
        if "widgets" in cell.metadata.get("tags", []):
            nb.cells[i] = new_markdown_cell(WIDGETS_NOTE, metadata={"tags": ["widgets"]}, id=cell.get("id", f"widgets-{i}"))
    return nb


def _cell_label(index: int) -> str:
    import nbformat

    try:
        cells = static_source().cells
        # papermill inserts an injected-parameters cell after the parameters cell
        tagged = [c for c in cells for _ in ([0, 1] if "parameters" in c.metadata.get("tags", []) else [0])]
        tags = tagged[index].metadata.get("tags", [])
        return f"'{tags[0]}'" if tags and index < len(tagged) else "untagged"
    except (IndexError, OSError, ValueError):
        return "unknown"


def _one_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text))
    return " ".join(text.split())[:300]


# --- the static page ----------------------------------------------------------------------


def _safe_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no tag, comment or entity can start in it."""
    from plotly.utils import PlotlyJSONEncoder

    text = json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def plotly_js() -> str:
    """plotly.js, with the CDN defaults it carries for map traces (not used here) blanked out."""
    from plotly.offline import get_plotlyjs

    return re.sub(r"https?://cdn[^\"'`\s)]*", "", get_plotlyjs()).replace("</script", "<\\/script")


def static_notebook(nb: Any) -> Any:
    """Plotly bundles turned into static ``<div>`` + ``Plotly.newPlot`` outputs; widgets into a note."""
    from nbformat.v4 import new_output

    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "widgets" in cell.metadata.get("tags", []) or any(WIDGET_MIME in o.get("data", {}) for o in cell.outputs):
            cell.outputs = [new_output("display_data", data={"text/html": WIDGETS_NOTE})]
            continue
        for i, out in enumerate(cell.outputs):
            fig = out.get("data", {}).get(PLOTLY_MIME)
            if fig is None:
                continue
            n += 1
            div = f"ck-figure-{n}"
            data, layout = _safe_json(fig.get("data", [])), _safe_json(fig.get("layout", {}))
            markup = (f'<div id="{div}" class="ck-figure" style="width:100%;min-height:{int(fig.get("layout", {}).get("height", 450) or 450)}px"></div>'
                      f'<script>Plotly.newPlot("{div}",{data},{layout},{{"responsive":true,"displaylogo":false}});</script>')  # fmt: skip
            cell.outputs[i] = new_output("display_data", data={"text/html": markup})
    nb.metadata.pop("widgets", None)
    return nb


def to_html(nb: Any) -> str:
    """One HTML document: nbconvert's lab template without code, require.js, MathJax or the widget manager."""
    import jinja2
    from nbconvert import HTMLExporter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"careerkit_dashboard.html.j2": TEMPLATE})],
                                template_file="careerkit_dashboard.html.j2", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)  # fmt: skip
        body, _ = exporter.from_notebook_node(static_notebook(nb), resources={"careerkit_plotly_js": plotly_js(), "metadata": {"name": "Cohort dashboard"}})
    found = FORBIDDEN.search(body)
    if found:
        raise CareerkitError(f"the dashboard page would load from the network ({body[max(0, found.start() - 40):found.end() + 40]!r}); not written")
    return body
