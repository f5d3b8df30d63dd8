"""The five graded notebooks: the source runs cleanly (nbval), the release hides solutions and runs on empty answers.

Both executions are slow-ish (a kernel per notebook), so they run once per module, in
parallel subprocesses started by one fixture, on copies in a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from careerkit.answers import MODULES
from careerkit.grading import TESTS, total_points

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"

RELEASE_SCRIPT = r'''
import json, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

course = Path(sys.argv[1])
config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
config.CourseDirectory.root = str(course)
api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
report = {}
for module in sys.argv[2:]:
    result = api.generate_assignment(module)
    if not result["success"]:
        report[module] = {"generate_error": result["error"] or result["log"]}
        continue
    folder = course / "release" / module
    (folder / "answers.json").write_text("{}")
    path = folder / f"{module}.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(folder)}}).execute()
    errors, scores = [], {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                errors.append(f"{grade_id}: {out.get('ename', '')} {out.get('evalue', '')} {out.get('text', '')}")
            if out.output_type == "execute_result" and cell.metadata.get("nbgrader", {}).get("grade"):
                scores[grade_id] = out["data"]["text/plain"]
    report[module] = {"errors": errors, "scores": scores, "files": sorted(p.name for p in folder.iterdir())}
print(json.dumps(report))
'''


@dataclass
class Runs:
    nbval: subprocess.CompletedProcess[str]
    release: dict[str, dict[str, object]]
    release_raw: subprocess.CompletedProcess[str]
    copy: Path
    seconds: float


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")  # nbgrader calls `alembic`
    env.pop("JUPYTERHUB_USER", None)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    """Run nbval on copies of the source notebooks and generate + execute the release, in parallel."""
    base = tmp_path_factory.mktemp("course")
    shutil.copytree(COURSE, base / "nbval", ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "*.db"))
    shutil.copytree(COURSE, base / "release", ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "*.db"))
    start = time.perf_counter()
    nbval = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", "source"],
        cwd=base / "nbval", env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    release = subprocess.Popen(
        [sys.executable, "-c", RELEASE_SCRIPT, str(base / "release"), *MODULES],
        cwd=base / "release", env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    out, _ = nbval.communicate(timeout=600)
    rel_out, rel_err = release.communicate(timeout=600)
    seconds = time.perf_counter() - start
    nbval_result = subprocess.CompletedProcess(nbval.args, nbval.returncode, out, "")
    release_result = subprocess.CompletedProcess(release.args, release.returncode, rel_out, rel_err)
    report = json.loads(rel_out.strip().splitlines()[-1]) if release.returncode == 0 and rel_out.strip() else {}
    yield Runs(nbval=nbval_result, release=report, release_raw=release_result, copy=base, seconds=seconds)


@pytest.mark.slow
def test_source_notebooks_pass_nbval(runs: Runs) -> None:
    """Every cell of every source (solution) notebook executes without error."""
    assert runs.nbval.returncode == 0, runs.nbval.stdout[-4000:]
    print(f"notebook runs (nbval and release in parallel): {runs.seconds:.1f} s")


@pytest.mark.slow
def test_source_notebooks_write_nothing(runs: Runs) -> None:
    """Running the solution versions never creates answers.json, in the copy or in course/source."""
    for root in (COURSE / "source", runs.copy / "nbval" / "source"):
        assert not list(root.rglob("answers.json*"))


@pytest.mark.slow
def test_release_generates_and_runs_on_empty_answers(runs: Runs) -> None:
    """nbgrader generates each module; with an empty answers.json every cell runs and every test scores 0.0."""
    assert runs.release_raw.returncode == 0, runs.release_raw.stderr[-4000:]
    assert sorted(runs.release) == sorted(MODULES)
    for module, report in runs.release.items():
        assert "generate_error" not in report, report
        assert report["errors"] == [], (module, report["errors"])
        expected = {c.grade_id: "0.0" for c in TESTS[module]}
        assert report["scores"] == expected
        if module == "m2-career":
            assert "careers.csv" in report["files"]  # type: ignore[operator]


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_release_has_no_solution_text(runs: Runs, module: str) -> None:
    """The released notebook keeps open_book and loses the example, the solution markers and the hidden tests."""
    text = (runs.copy / "release" / "release" / module / f"{module}.ipynb").read_text()
    assert f'answers.open_book(\\"{module}\\")' in text
    for secret in ("example_book", "BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden_check"):
        assert secret not in text


def _notebook(module: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE / "source" / module / f"{module}.ipynb", as_version=4)


@pytest.mark.parametrize("module", MODULES)
def test_notebook_metadata(module: str) -> None:
    """Unique grade ids, locked intro and test cells, test points as in grading.TESTS, total stated at the top, no outputs."""
    nb = _notebook(module)
    meta = [c.metadata.get("nbgrader") for c in nb.cells]
    assert all(m and m["schema_version"] == 3 for m in meta)
    ids = [m["grade_id"] for m in meta]
    assert len(ids) == len(set(ids))
    assert meta[0]["locked"] and f"worth {total_points(module):g} points" in nb.cells[0].source
    tests = {m["grade_id"]: m for m in meta if m["grade"]}
    assert {k: v["points"] for k, v in tests.items()} == {c.grade_id: c.points for c in TESTS[module]}
    assert all(m["locked"] and not m["solution"] for m in tests.values())
    answers_cell = nb.cells[1]
    assert answers_cell.metadata["nbgrader"] == {"grade": False, "grade_id": "answers", "locked": False, "schema_version": 3, "solution": True, "task": False}
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    assert any("self_check" in c.source for c in nb.cells)


def test_committed_notebooks_match_the_generator(tmp_path: Path) -> None:
    """course/source is exactly what tools/build_course_notebooks.py writes (re-run it after changing the text)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_course_notebooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    build_course_notebooks.main(tmp_path)
    for module in MODULES:
        assert (tmp_path / module / f"{module}.ipynb").read_text() == (COURSE / "source" / module / f"{module}.ipynb").read_text(), module
    assert (tmp_path / "m2-career" / "careers.csv").read_text() == (COURSE / "source" / "m2-career" / "careers.csv").read_text()
