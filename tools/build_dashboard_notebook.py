"""Write notebooks/cohort_dashboard.ipynb (run after changing the cells below; the notebook is generated).

The notebook stays thin: every cell calls careerkit.dashboard / careerkit.dashboard_figures.
papermill fills the ``parameters`` cell; careerkit.report finds the ``widgets`` cell by its tag.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parent.parent / "notebooks" / "cohort_dashboard.ipynb"


def build() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Cohort dashboard\n\nWhere the cohort stands: careers and interviews, champion outcomes, "
                          "the skills-awareness gap, reflection depth and grades. Run all cells; set the course folder below."),
        new_code_cell('course_dir = "."\ntarget_interviews = 3\nanonymise = False', metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from IPython.display import HTML, display\n\n"
            "from careerkit.dashboard import headline, load_cohort, nudges, table_html\n"
            "from careerkit.dashboard_figures import controls, figures, show\n\n"
            "cohort = load_cohort(course_dir, anonymise=anonymise)\n"
            "display(HTML(f'<p class=\"ck-headline\"><b>{headline(cohort, target_interviews)}</b></p>'))",
            metadata={"tags": ["setup"]},
        ),
        new_markdown_cell("## The cohort at a glance"),
        new_code_cell("for fig in figures(cohort, target=target_interviews).values():\n    show(fig)", metadata={"tags": ["figures"]}),
        new_markdown_cell("## Who needs a nudge\n\nClick a column header to sort."),
        new_code_cell("display(HTML(table_html(nudges(cohort, target_interviews), caption='Students who need a nudge, most reasons first')))",
                      metadata={"tags": ["nudges"]}),
        new_markdown_cell("## Explore\n\nNarrow every figure to one module, discipline or sector."),
        new_code_cell("controls(cohort, target=target_interviews)", metadata={"tags": ["widgets"]}),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"dashboard-{i:02d}"
    return nb


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(build(), OUT)
    print(f"wrote {OUT}")
