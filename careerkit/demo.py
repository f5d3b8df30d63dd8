"""The demo: everything the kit can do so far, on the embedded defaults, in a fresh folder.

Returns a :class:`DemoReport` (what was done, where the results are); the CLI prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from careerkit.assignment import AssignmentSet, assign
from careerkit.catalog import Catalog, load_catalog
from careerkit.files import atomic_write_text, data_path
from careerkit.roster import load_roster

DEMO_SEED = 2026
DEMO_OUT = "demo-course"
DEMO_GUIDE_STUDENT = "s002"  # the example profile (data/examples/profile.json) is this chemistry student's


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoReport:
    out: Path
    assignments: AssignmentSet
    files: dict[str, Path] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [self.assignments.table(), ""]
        lines.append(f"Demo roster: {len(self.assignments)} students, {len(self.assignments.counts())} careers, seed {DEMO_SEED}.")
        for label, path in self.files.items():
            lines.append(f"  {label}: {path}")
        return "\n".join(lines)


def run_demo(out: str | os.PathLike[str] = DEMO_OUT, *, seed: int = DEMO_SEED) -> DemoReport:
    """Assign careers to the demo roster and write the results under ``out``."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    roster = load_roster(data_path("demo_roster.csv"), catalog)
    result = assign(roster, seed, catalog=catalog)
    files = {"career assignments (CSV)": result.write_csv(out_dir / "assignments.csv")}
    files.update(_sample_guide(out_dir, result, catalog))
    files.update(_sample_business(out_dir))
    return DemoReport(out=out_dir, assignments=result, files=files)


def _sample_guide(out_dir: Path, result: AssignmentSet, catalog: Catalog) -> dict[str, Path]:
    """An interview guide (HTML, prints on paper) for the demo student whose profile ships as an example."""
    from careerkit.profile import load_profile
    from careerkit.questions import build_guide

    profile = load_profile(data_path("examples/profile.json"), catalog=catalog)
    assignment = result.get(DEMO_GUIDE_STUDENT)
    if assignment is None:
        return {}
    guide = build_guide(profile, catalog.career(assignment.career_id), minutes=25, seed=DEMO_SEED, catalog=catalog)
    path = atomic_write_text(out_dir / "guides" / f"{DEMO_GUIDE_STUDENT}-interview-guide.html", guide.to_html())
    return {f"interview guide for {DEMO_GUIDE_STUDENT} ({assignment.career_title})": path}


def _sample_business(out_dir: Path) -> dict[str, Path]:
    """Render the example storyboard and business model canvas (a biotech consulting idea)."""
    from careerkit import canvas, storyboard

    board = atomic_write_text(out_dir / "business" / "storyboard.html", storyboard.render_file(data_path("examples/storyboard.json")))
    layout = atomic_write_text(out_dir / "business" / "canvas.html", canvas.render_file(data_path("examples/canvas.json")))
    result = canvas.score_file(data_path("examples/canvas.json"))
    return {"example storyboard (HTML)": board, f"example canvas (HTML, scored {result.total:g}/{result.max:g})": layout}
