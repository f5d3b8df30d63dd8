"""Autograde a course's submissions in parallel; one bad submission never stops the batch.

nbgrader grades one submission at a time and stops at the first that breaks it. Here a
pool of worker processes (``jobs``) each loads the course's configuration once and calls
nbgrader's own ``autograde`` (its real preprocessors and gradebook) per submission, and
each submission ends with a status and the reasons behind it:

- a notebook that is not valid JSON is kept aside as ``<name>.ipynb.invalid`` and scores 0
  (nbgrader's rule for a missing notebook), so the rest of the batch is graded;
- a cell that runs past the per-cell timeout is interrupted and scores 0, the rest runs;
- a kernel that dies (``os._exit``, out of memory) is restarted by :class:`SafeExecute`,
  the cells before are replayed, the cell that killed it scores 0, the rest runs;
- a deleted or edited test cell is put back from the release version by nbgrader
  (its checksums); the reason is reported;
- anything nbgrader itself cannot grade is ``failed``: the run exits non-zero.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import functools
import json
import multiprocessing
import os
import signal
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerkit.course import Course, select_modules
from careerkit.errors import CareerkitError
from careerkit.files import atomic_write_text, csv_text, read_csv
from careerkit.tables import text_table

GRADED, WITH_PROBLEMS, FAILED = "graded", "graded with problems", "failed"
REPORT_FILE = "autograde-report.csv"
REPORT_COLUMNS = ["module", "student_id", "status", "score", "max_score", "seconds", "reasons"]
DEAD_KERNEL_MARK = "careerkit: the kernel died in cell"



@dataclass(frozen=True, slots=True)
class Outcome:
    module: str
    student_id: str
    status: str
    score: float | None = None
    max_score: float | None = None
    reasons: tuple[str, ...] = ()
    seconds: float = 0.0

    def row(self) -> list[object]:
        score = "" if self.score is None else f"{self.score:g}"
        max_score = "" if self.max_score is None else f"{self.max_score:g}"
        return [self.module, self.student_id, self.status, score, max_score, f"{self.seconds:.2f}", "; ".join(self.reasons)]


@dataclass(slots=True)
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1
    total: int = 0
    interrupted: bool = False

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def per_minute(self) -> float:
        return 60.0 * len(self.outcomes) / self.seconds if self.seconds > 0 else 0.0

    def to_csv(self) -> str:
        return csv_text(REPORT_COLUMNS, [o.row() for o in self.outcomes])

    def summary(self) -> str:
        """The table printed at the end of a run: per module, then every problem with its reason."""
        by_module: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_module.setdefault(o.module, []).append(o)
        head = ["module", "submissions", "graded", "with problems", "failed", "mean score"]
        rows = []
        for module, outs in by_module.items():
            counts = Counter(o.status for o in outs)
            scored = [o for o in outs if o.score is not None and o.max_score]
            mean = f"{sum(o.score or 0 for o in scored) / len(scored):.1f} / {scored[0].max_score:g}" if scored else "-"
            rows.append([module, str(len(outs)), str(counts[GRADED]), str(counts[WITH_PROBLEMS]), str(counts[FAILED]), mean])
        lines = [text_table(head, rows)]
        problems = [o for o in self.outcomes if o.status != GRADED]
        if problems:
            lines += ["", "Problems (each submission was still graded unless it says failed):"]
            lines += [f"  {o.student_id} {o.module} [{o.status}]: {'; '.join(o.reasons)}" for o in problems]
        lines.append("")
        lines.append(f"{len(self.outcomes)} notebooks in {self.seconds:.1f} s with {self.jobs} job(s): {self.per_minute:.1f} notebooks per minute.")
        if self.interrupted:
            lines.append(f"Interrupted: {len(self.outcomes)} of {self.total} graded (each finished one is in the gradebook); run the same command again to finish.")
        return "\n".join(lines)


# --- the execute preprocessor that survives a dying kernel --------------------------------

MEMORY_LIMIT_MB = 2048
CPU_LIMIT_S = 300
MAX_FORKS = 32
#: Run silently in every grading kernel before the student's first cell (see SafeExecute).
LIMITS_SNIPPET = """
def _careerkit_limits(mem, cpu, forks):
    import os, resource
    if mem:
        resource.setrlimit(resource.RLIMIT_AS, (mem * 2**20, mem * 2**20))
    if cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    if forks:
        real_fork, count = os.fork, [0]
        def fork():
            count[0] += 1
            if count[0] > forks:
                raise RuntimeError(f"careerkit: more than {{forks}} processes started; stopped by the autograde limit")
            return real_fork()
        os.fork = fork
_careerkit_limits({mem}, {cpu}, {forks})
del _careerkit_limits
"""


@functools.cache
def _shared_zmq_context() -> Any:
    import zmq.asyncio

    return zmq.asyncio.Context()


@functools.cache
def _preprocessor_classes() -> tuple[type, type]:
    """Built on first use so that importing this module does not import nbgrader."""
    from nbclient.exceptions import DeadKernelError
    from nbclient.util import run_sync
    from nbformat.v4 import new_output
    from nbgrader.preprocessors import Execute, OverwriteCells
    from traitlets import Integer

    class SafeExecute(Execute):  # type: ignore[misc, valid-type]
        """nbgrader's Execute, plus limits on student code, and a dead kernel is restarted.

        Before the first cell the kernel gets an address-space limit (memory), a CPU-time
        limit and a cap on ``os.fork`` (set ``c.SafeExecute.memory_limit_mb`` and friends in
        nbgrader_config.py; 0 turns one off). The cell that killed the kernel gets an error
        output (so a test cell scores 0); the code cells that ran fine before it are
        replayed on the new kernel so later cells see the same state; cells that timed out
        are not replayed.
        """

        memory_limit_mb = Integer(MEMORY_LIMIT_MB, help="address-space limit of a grading kernel, in MiB (0: none)").tag(config=True)
        cpu_limit_s = Integer(CPU_LIMIT_S, help="CPU seconds a grading kernel may use in all (0: none)").tag(config=True)
        max_forks = Integer(MAX_FORKS, help="os.fork calls allowed per notebook (0: no cap)").tag(config=True)

        def create_kernel_manager(self) -> Any:
            # One zmq context per worker process, shared by every kernel it starts: a
            # context of its own per kernel costs ~0.15 s to tear down, twice per notebook.
            km = super().create_kernel_manager()
            km.context = _shared_zmq_context()
            km.client = functools.partial(km.client, context=km.context)
            return km

        def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
            self._careerkit_ok: list[int] = []
            self._careerkit_limited = False
            return super().preprocess(nb, resources, km)

        def _careerkit_limits(self) -> None:
            code = LIMITS_SNIPPET.format(mem=self.memory_limit_mb, cpu=self.cpu_limit_s, forks=self.max_forks)
            self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False))
            self._careerkit_limited = True

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> Any:
            if not self._careerkit_limited and cell.cell_type == "code":
                self._careerkit_limits()
            try:
                cell, resources = super().preprocess_cell(cell, resources, index)
            except DeadKernelError:
                self.log.warning("%s %d; restarted it, the cell scores 0", DEAD_KERNEL_MARK, index)
                cell.outputs = [new_output("error", ename="DeadKernelError", evalue="the kernel died while running this cell",
                                           traceback=["DeadKernelError: the kernel died while running this cell (it was restarted; the cells after it were still graded)"])]
                self._careerkit_restart(index)
                return cell, self.resources
            if cell.cell_type == "code" and not any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", ())):
                self._careerkit_ok.append(index)
            return cell, resources

        def _careerkit_restart(self, index: int) -> None:
            run_sync(self.km.restart_kernel)(now=True)
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
            self._careerkit_limits()
            for j in self._careerkit_ok:
                if j < index:
                    self.execute_cell(copy.deepcopy(self.nb.cells[j]), j, store_history=False)

    class SafeOverwriteCells(OverwriteCells):  # type: ignore[misc, valid-type]
        """nbgrader's OverwriteCells, with deleted test cells put back wherever they were.

        nbgrader 0.9.6 puts a deleted grade cell after the source cell before it, but only
        finds that cell if it is a grade or solution cell: a read-only markdown cell before a
        test cell makes it fail with a KeyError and the whole submission is not graded.
        """

        def add_missing_grade_cells(self, nb: Any, resources: Any) -> Any:
            source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            order = [c.name for c in source_nb.source_cells]
            solutions = {c.name for c in source_nb.solution_cells}

            def position(grade_id: str) -> int | None:
                return next((i for i, c in enumerate(nb.cells) if (c.metadata.get("nbgrader") or {}).get("grade_id") == grade_id), None)

            for grade_cell in source_nb.grade_cells:
                if position(grade_cell.name) is not None or grade_cell.name not in order:
                    continue
                self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
                at = order.index(grade_cell.name)
                cell = self.missing_cell_transform(source_nb.source_cells[at], grade_cell.max_score, is_solution=grade_cell.name in solutions)
                before = (position(name) for name in reversed(order[:at]))
                nb.cells.insert(next((i + 1 for i in before if i is not None), 0), cell)
            return nb, resources

    return SafeExecute, SafeOverwriteCells


def autograde_config(course: Course, timeout: int | None = None) -> Any:
    """The course config with careerkit's execute preprocessor in nbgrader's autograde chain."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute, OverwriteCells

    config = course.config()
    safe_execute, safe_overwrite = _preprocessor_classes()
    chain = list(config.Autograde.get("autograde_preprocessors", Autograde.autograde_preprocessors.default()))
    config.Autograde.autograde_preprocessors = [safe_execute if p is Execute else p for p in chain]
    chain = list(config.Autograde.get("sanitize_preprocessors", Autograde.sanitize_preprocessors.default()))
    config.Autograde.sanitize_preprocessors = [safe_overwrite if p is OverwriteCells else p for p in chain]
    if timeout:
        config.Execute.timeout = int(timeout)
    # quiet kernels: their start-up notices would scribble over the progress bar
    config.Execute.extra_arguments = [*config.Execute.get("extra_arguments", []), "--IPKernelApp.log_level=ERROR"]
    # SafeExecute reads Execute's settings (timeout, ...): traitlets applies a parent class's section
    return config


# --- workers ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(root: str, timeout: int | None, pool: bool = False) -> None:
    import logging

    if pool:  # Ctrl-C is the parent's to handle: it lets running submissions finish, then stops
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    course = Course(Path(root))
    config = autograde_config(course, timeout)
    _WORKER.update(course=course, api=course.api(config))


def _set_aside_invalid(course: Course, module: str, student_id: str) -> list[str]:
    """Move notebooks that are not valid JSON out of nbgrader's way (kept, never deleted)."""
    import nbformat

    reasons = []
    folder = course.path("submitted", student_id, module)
    for nb_path in sorted(folder.glob("*.ipynb")):
        try:
            nbformat.read(nb_path, as_version=4)
        except Exception as exc:  # invalid JSON, wrong schema, unreadable bytes
            kept = nb_path.with_name(nb_path.name + ".invalid")
            os.replace(nb_path, kept)
            text = " ".join(str(exc).split())
            detail = "not valid JSON" if "not appear to be JSON" in text else (text[:100] or type(exc).__name__)
            reasons.append(f"{nb_path.name} is not a valid notebook ({detail}); kept as {kept.name}, scored 0")
    return reasons


def _locked_cells(nb: dict[str, Any]) -> dict[str, str]:
    cells = {}
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            source = cell.get("source", "")
            cells[str(meta.get("grade_id"))] = "".join(source) if isinstance(source, list) else str(source)
    return cells


def _tampering(course: Course, module: str, student_id: str) -> list[str]:
    """Test and instruction cells deleted or edited, against the released version.

    (nbgrader puts them back from its gradebook; its own log cannot tell an edit from the
    harmless checksum notice every hidden test gives, so the comparison is made here.)
    """
    reasons = []
    for released in sorted(course.path("release", module).glob("*.ipynb")):
        submitted = course.path("submitted", student_id, module, released.name)
        try:
            want = _locked_cells(json.loads(released.read_text(encoding="utf-8")))
            got = _locked_cells(json.loads(submitted.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        for grade_id, source in want.items():
            if grade_id not in got:
                reasons.append(f"cell {grade_id} was deleted; nbgrader put it back and ran it")
            elif got[grade_id].strip() != source.strip():
                reasons.append(f"cell {grade_id} was edited; the released version was run instead")
    return reasons


def _zero_submission(course: Course, module: str, student_id: str) -> tuple[float, float]:
    """nbgrader's rule for a missing notebook, applied when no notebook of a submission can be read."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        gb.update_or_create_student(student_id)
        try:
            sub = gb.find_submission(module, student_id)
        except MissingEntry:
            sub = gb.add_submission(module, student_id)
        for nb in sub.notebooks:
            for grade in nb.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()
        sub = gb.find_submission(module, student_id)
        return float(sub.score), float(sub.max_score)


def _reasons_from_run(course: Course, module: str, student_id: str) -> list[str]:
    reasons = []
    for nb_path in sorted(course.path("autograded", student_id, module).glob("*.ipynb")):
        try:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for i, cell in enumerate(nb.get("cells", [])):
            for out in cell.get("outputs", []):
                if out.get("ename") == "CellTimeoutError":
                    reasons.append(f"cell {i} ran past the time limit and was stopped (scored 0)")
                elif out.get("ename") == "MemoryError":
                    reasons.append(f"cell {i} ran out of memory (the autograde memory limit) and was stopped")
                elif "stopped by the autograde limit" in str(out.get("evalue", "")):
                    reasons.append(f"cell {i} started too many processes and was stopped")
                elif out.get("ename") == "DeadKernelError":
                    reasons.append(f"cell {i} stopped the kernel (a crash, os._exit or the CPU-time limit); it was restarted and the rest graded (cell scored 0)")
    return reasons


def grade_one(module: str, student_id: str) -> Outcome:
    """Autograde one submission in this worker; never raises."""
    course: Course = _WORKER["course"]
    api = _WORKER["api"]
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy's harmless SAWarning on a first submission (STACK-NOTES)
            reasons = _set_aside_invalid(course, module, student_id)
            folder = course.path("submitted", student_id, module)
            if not reasons:  # set aside by an earlier run and not resubmitted since
                reasons = [f"{p.name} is not a valid notebook; scored 0" for p in sorted(folder.glob("*.ipynb.invalid")) if not p.with_suffix("").exists()]
            if reasons and not any(folder.glob("*.ipynb")):
                score, max_score = _zero_submission(course, module, student_id)
                return Outcome(module, student_id, WITH_PROBLEMS, score, max_score, tuple(reasons), time.perf_counter() - start)
            reasons += _tampering(course, module, student_id)
            result = api.autograde(module, student_id, force=True, create=True)
            if not result.get("success"):
                detail = _last_line(str(result.get("error") or result.get("log") or ""))
                return Outcome(module, student_id, FAILED, reasons=(*reasons, f"nbgrader could not grade it: {detail}"), seconds=time.perf_counter() - start)
            reasons += _reasons_from_run(course, module, student_id)
            score, max_score = _submission_score(course, module, student_id)
        status = WITH_PROBLEMS if reasons else GRADED
        return Outcome(module, student_id, status, score, max_score, tuple(reasons), time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one submission must never stop the batch
        return Outcome(module, student_id, FAILED, reasons=(f"{type(exc).__name__}: {exc}",), seconds=time.perf_counter() - start)


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return (lines or ["no reason given"])[-1][:300]


def _submission_score(course: Course, module: str, student_id: str) -> tuple[float | None, float | None]:
    with course.gradebook() as gb:
        sub = gb.find_submission(module, student_id)
        return float(sub.score), float(sub.max_score)


# --- the batch ----------------------------------------------------------------------------


def pending(course: Course, which: str = "all", students: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(module, student_id) for every submission of the selected modules (and students, if given)."""
    wanted = set(students) if students is not None else None
    return [(m, sid) for m in select_modules(which) for sid in course.submissions(m) if wanted is None or sid in wanted]


def autograde(
    course: Course,
    which: str = "all",
    *,
    jobs: int = 1,
    timeout: int | None = None,
    students: Iterable[str] | None = None,
    progress: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Report:
    """Grade every submission of the selected modules with ``jobs`` worker processes."""
    from tqdm import tqdm

    from careerkit.errors import CourseError, UsageError

    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    todo = pending(course, which, students)
    missing = [m for m in select_modules(which) if not course.path("release", m).is_dir()]
    if missing and any(m in missing for m, _ in todo):
        raise CourseError(f"release the module(s) first: careerkit course release {missing[0]}")
    autograde_config(course, timeout)  # a broken course config is one clear error here, not N failed workers
    report = Report(jobs=jobs, total=len(todo))
    start = time.perf_counter()
    bar = tqdm(total=len(todo), unit="nb", desc="autograde", disable=not progress, dynamic_ncols=True)
    try:
        with contextlib.closing(_run(course, todo, jobs, timeout)) as outcomes:
            for outcome in outcomes:
                report.outcomes.append(outcome)
                bar.update(1)
                bar.set_postfix_str(f"{outcome.student_id} {outcome.module}: {outcome.status}", refresh=False)
                if on_outcome:
                    on_outcome(outcome)
    except KeyboardInterrupt:
        # Running submissions were allowed to finish (each is one gradebook transaction in
        # nbgrader); the rest were never started. Re-running the command grades everything.
        report.interrupted = True
    finally:
        bar.close()
        report.seconds = time.perf_counter() - start
        report.outcomes.sort(key=lambda o: (o.module, o.student_id))
        if report.outcomes:
            _write_report(course, report)
    return report


def _write_report(course: Course, report: Report) -> None:
    """Merge this run's rows into autograde-report.csv: other submissions' rows are kept."""
    path = course.root / REPORT_FILE
    rows: dict[tuple[str, str], list[object]] = {}
    if path.is_file():
        try:
            header, old = read_csv(path)
            if header == REPORT_COLUMNS:
                rows = {(r.values["module"], r.values["student_id"]): [r.values[c] for c in REPORT_COLUMNS] for r in old}
        except CareerkitError:
            rows = {}  # an unreadable old report is replaced, not merged
    rows.update({(o.module, o.student_id): o.row() for o in report.outcomes})
    atomic_write_text(path, csv_text(REPORT_COLUMNS, [rows[k] for k in sorted(rows)]))


def _run(course: Course, todo: list[tuple[str, str]], jobs: int, timeout: int | None) -> Iterable[Outcome]:
    if not todo:
        return
    if jobs == 1:
        _init_worker(str(course.root), timeout)
        for module, sid in todo:
            yield grade_one(module, sid)
        return
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=_init_worker, initargs=(str(course.root), timeout, True)) as pool:
        futures = {pool.submit(grade_one, m, sid): (m, sid) for m, sid in todo}
        try:
            for fut in cf.as_completed(futures):
                module, sid = futures[fut]
                try:
                    yield fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died (e.g. killed by the OS)
                    yield Outcome(module, sid, FAILED, reasons=(f"the grading worker died: {type(exc).__name__}: {exc}",))
        except BaseException:
            for f in futures:
                f.cancel()
            raise
