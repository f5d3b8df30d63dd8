"""Autograde throughput: nbgrader's own serial command against `careerkit course autograde --jobs 1|2`.

Builds a course with N submissions of one module (default 40 of m1-skills, average
quality), then times, in one run on the same machine:
  1. `nbgrader autograde MODULE` run in the course folder (serial, nbgrader's CLI),
  2. careerkit's autograde with --jobs 1 and with --jobs 2,
and prints the ratios, notebooks per minute, and the import time of what graded
notebooks import.

    python benchmarks/autograde.py [--students 40] [--module m1-skills]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from careerkit import autograde, course, submissions
from careerkit.demo import demo_roster

GRADED_IMPORTS = ("careerkit.reflection", "careerkit.grading", "careerkit.answers", "careerkit.forms")


def build(root: Path, students: int, module: str) -> course.Course:
    c = course.init(root / "course", roster=demo_roster(students, root / "roster.csv"), seed=1)
    course.release(c, module)
    assignments = c.assignments()
    for s in c.roster():
        submissions.write_submission(
            c.root / "release", c.path("submitted", s.student_id, module), module, student_id=s.student_id,
            discipline=s.discipline, career_id=assignments.get(s.student_id).career_id, quality="average", seed=1,
        )  # fmt: skip
    return c


def import_seconds(module: str) -> float:
    """Cumulative import time of ``module`` in a fresh interpreter (python -X importtime)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True)
    total = 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+(\S+)$", line.strip())
        if m and m.group(2) == module:
            total = int(m.group(1))
    return total / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--module", default="m1-skills")
    args = ap.parse_args()
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    with tempfile.TemporaryDirectory() as tmp:
        c = build(Path(tmp), args.students, args.module)
        n = len(c.submissions(args.module))
        t0 = time.perf_counter()
        proc = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", args.module, "--force"], cwd=c.root, env=env, capture_output=True, text=True, check=False)
        serial = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
        runs = {}
        for jobs in (1, 2):
            report = autograde.autograde(c, args.module, jobs=jobs, progress=False)
            assert not report.failed, report.summary()
            runs[jobs] = report.seconds

    print(f"submissions: {n} x {args.module} (cpu count {os.cpu_count()})")
    print(f"nbgrader autograde (serial CLI): {serial:6.1f} s  {60 * n / serial:6.1f} notebooks/min  {serial / n:.2f} s/notebook")
    for jobs, secs in runs.items():
        print(f"careerkit --jobs {jobs}:            {secs:6.1f} s  {60 * n / secs:6.1f} notebooks/min  {serial / secs:.2f}x nbgrader serial")
    print(f"--jobs 2 vs --jobs 1: {runs[1] / runs[2]:.2f}x")

    for module in GRADED_IMPORTS:
        print(f"import {module}: {import_seconds(module):.3f} s (python -X importtime, cumulative)")


if __name__ == "__main__":
    main()
