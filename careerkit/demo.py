"""The demo: everything the kit can do so far, on the embedded defaults, in a fresh folder.

Returns a :class:`DemoReport` (what was done, where the results are); the CLI prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from careerkit.assignment import AssignmentSet, assign
from careerkit.catalog import load_catalog
from careerkit.files import data_path
from careerkit.roster import load_roster

DEMO_SEED = 2026
DEMO_OUT = "demo-course"


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
    return DemoReport(out=out_dir, assignments=result, files=files)
