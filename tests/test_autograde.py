"""Autograde's limits on student code, on a one-cell-test module (fast): memory, processes, CPU, re-runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from careerkit import autograde, course
from careerkit.demo import demo_roster

pytestmark = pytest.mark.slow

MODULE = "m1-skills"


def _meta(grade_id: str, **kw: object) -> dict[str, object]:
    meta: dict[str, object] = {"schema_version": 3, "grade": False, "solution": False, "locked": True, "task": False, "grade_id": grade_id}
    meta.update(kw)
    return {"nbgrader": meta}


def _mini_module() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_markdown_cell("# A tiny module (3 points)", metadata=_meta("intro")),
        new_code_cell('import json, pathlib\np = pathlib.Path("answers.json")\nans = json.loads(p.read_text()) if p.exists() else {}\n'
                      '### BEGIN SOLUTION\nans = {"x": 2}\n### END SOLUTION', metadata=_meta("answers", solution=True, locked=False)),  # fmt: skip
        new_code_cell('float(min(ans.get("x", 0), 2))', metadata=_meta("test-x", grade=True, points=2)),
        new_code_cell('assert ans.get("x") == 2', metadata=_meta("test-y", grade=True, points=1)),
    ]
    return nb


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """A course whose m1-skills is the tiny module, with limits low enough to hit quickly."""
    base = tmp_path_factory.mktemp("limits")
    c = course.init(base / "course", roster=demo_roster(8, base / "roster.csv"), timeout=10)  # the CPU limit (3 s) must come first
    shutil.rmtree(c.source)
    (c.source / MODULE).mkdir(parents=True)
    nbformat.write(_mini_module(), c.source / MODULE / f"{MODULE}.ipynb")
    with (c.root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write("c.SafeExecute.cpu_limit_s = 3\nc.SafeExecute.memory_limit_mb = 1024\nc.SafeExecute.max_forks = 10\n")
    assert course.release(c, MODULE)[0].ok
    return c


def _submit(c, sid: str, extra_code: str | None = None, x: int = 2) -> None:
    folder = c.path("submitted", sid, MODULE)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    nb = nbformat.read(c.path("release", MODULE, f"{MODULE}.ipynb"), as_version=4)
    if extra_code:
        nb.cells.insert(2, new_code_cell(extra_code))
    nbformat.write(nb, folder / f"{MODULE}.ipynb")
    (folder / "answers.json").write_text(json.dumps({"x": x}), encoding="utf-8")


def test_limits_stop_memory_forks_and_cpu_and_the_batch_goes_on(mini):
    """A memory hog, a fork loop and a CPU burner are each stopped with a reason; their tests still score."""
    _submit(mini, "s001")
    _submit(mini, "s002", "x = bytearray(4 * 1024**3)")
    _submit(mini, "s003", "import os\nfor i in range(50):\n    pid = os.fork()\n    if pid == 0:\n        os._exit(0)\n    os.waitpid(pid, 0)")
    _submit(mini, "s004", "import time\nt = time.process_time()\nwhile time.process_time() - t < 600:\n    pass")
    report = autograde.autograde(mini, MODULE, jobs=2, progress=False)
    by = {o.student_id: o for o in report.outcomes}
    assert by["s001"].status == autograde.GRADED and by["s001"].score == 3
    assert "out of memory" in by["s002"].reasons[0] and by["s002"].score == 3
    assert "too many processes" in by["s003"].reasons[0] and by["s003"].score == 3
    assert "stopped the kernel" in by["s004"].reasons[0] and by["s004"].score == 3
    assert not report.failed


def test_an_invalid_notebook_stays_scored_zero_on_a_rerun(mini):
    """A notebook set aside as .invalid is scored 0 again by the next run (not 'failed'), until resubmitted."""
    folder = mini.path("submitted", "s005", MODULE)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{MODULE}.ipynb").write_text('{"cells": [', encoding="utf-8")
    for _ in range(2):
        out = autograde.autograde(mini, MODULE, jobs=1, students=["s005"], progress=False)
        s5 = next(o for o in out.outcomes if o.student_id == "s005")
        assert s5.status == autograde.WITH_PROBLEMS and s5.score == 0 and "not a valid notebook" in s5.reasons[0]
    assert (folder / f"{MODULE}.ipynb.invalid").read_text(encoding="utf-8") == '{"cells": ['
    _submit(mini, "s005")  # the student resubmits a good notebook
    out = autograde.autograde(mini, MODULE, jobs=1, students=["s005"], progress=False)
    assert next(o for o in out.outcomes if o.student_id == "s005").score == 3


def test_summary_counts_and_throughput_line(mini):
    """The end-of-run table has one row per module and the notebooks-per-minute line."""
    _submit(mini, "s006", x=1)
    report = autograde.autograde(mini, MODULE, jobs=2, students=["s001", "s006"], progress=False)
    text = report.summary()
    assert text.splitlines()[0].split()[:3] == ["module", "submissions", "graded"]
    assert f"{len(report.outcomes)} notebooks in" in text and "notebooks per minute" in text
    assert next(o for o in report.outcomes if o.student_id == "s006").score == 1


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(mini):
    """SIGINT to the whole process group (a terminal's Ctrl-C) mid-run: exit 130, finished ones kept, a re-run grades the rest."""
    sids = [f"s00{i}" for i in range(1, 9)]
    for sid in sids:
        _submit(mini, sid, "import time\ntime.sleep(1.5)")
    for sid in sids:  # start from nothing graded
        shutil.rmtree(mini.path("autograded", sid), ignore_errors=True)
    cmd = [sys.executable, "-m", "careerkit.cli", "course", "autograde", MODULE, "--course", str(mini.root), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(mini.path("autograded").glob(f"*/{MODULE}/{MODULE}.ipynb"))) < 1:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    assert "Interrupted:" in out and "run the same command again" in out
    assert "Traceback" not in err
    done = len(list(mini.path("autograded").glob(f"*/{MODULE}/{MODULE}.ipynb")))
    assert 1 <= done < len(sids)
    with Gradebook(mini.db_url(), mini.course_id()) as gb:  # every finished submission is whole in the gradebook
        for sub in gb.find_assignment(MODULE).submissions:
            if mini.path("autograded", sub.student.id, MODULE).is_dir():
                assert all(g.auto_score is not None for nb in sub.notebooks for g in nb.grades)
    rerun = autograde.autograde(mini, MODULE, jobs=2, students=sids, progress=False)
    assert not rerun.interrupted and not rerun.failed
    assert [o.score for o in rerun.outcomes] == [3.0] * len(sids)
