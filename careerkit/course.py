"""An nbgrader course directory for careerkit: create it, release the modules, make feedback.

A course directory is an ordinary nbgrader course (``nbgrader_config.py``, ``source/``,
``release/``, ``submitted/``, ``autograded/``, ``feedback/``, ``gradebook.db``) plus
careerkit's own files beside it: ``roster.csv`` (the roster it was made from) and
``assignments.csv`` (each student's randomly assigned career). nbgrader's own commands keep
working in it (``cd DIR && nbgrader formgrader``); careerkit's commands drive nbgrader's
Python API and its real gradebook.

Autograding lives in :mod:`careerkit.autograde`, grade export in :mod:`careerkit.grades`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerkit.errors import CourseError, UsageError, did_you_mean
from careerkit.files import PACKAGE_DIR, atomic_write_text, csv_text, data_path

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from careerkit.assignment import AssignmentSet
    from careerkit.roster import Roster

MODULES = ("m1-skills", "m2-career", "m3-interviews", "m4-storyboard", "m5-canvas")
MODULE_TITLES = {
    "m1-skills": "Module 1: Skills and values inventory",
    "m2-career": "Module 2: Your assigned career and interview preparation",
    "m3-interviews": "Module 3: Interview log and reflection",
    "m4-storyboard": "Module 4: Storyboard a business",
    "m5-canvas": "Module 5: Business model canvas",
}
CAREERS_MODULE = "m2-career"  # the module that shows each student their assigned career
CAREERS_FILE = "careers.csv"  # released with CAREERS_MODULE: student_id,career_id only
CONFIG_FILE = "nbgrader_config.py"
ROSTER_FILE = "roster.csv"
ASSIGNMENTS_FILE = "assignments.csv"
PASSWORD_FILE = ".gradebook-password"  # the database password, kept out of nbgrader_config.py
DEFAULT_SEED = 2026
STATE_DIRS = ("release", "submitted", "autograded", "feedback")
#: What never goes from the template into a new course: generated state and students' answers.
TEMPLATE_IGNORE = shutil.ignore_patterns(*STATE_DIRS, "*.db", "answers.json", ".ipynb_checkpoints", "__pycache__", "*.pyc")


def template_dir() -> Path:
    """The shipped course (``course/`` of the checkout, ``careerkit/course_template`` in a wheel)."""
    for candidate in (PACKAGE_DIR / "course_template", PACKAGE_DIR.parent / "course"):
        if (candidate / CONFIG_FILE).is_file() and (candidate / "source").is_dir():
            return candidate
    raise CourseError(f"careerkit's course template is missing: looked in {PACKAGE_DIR / 'course_template'} and {PACKAGE_DIR.parent / 'course'}")


def select_modules(which: str) -> tuple[str, ...]:
    """``all`` or one module id (``m1-skills``; ``m1``, ``1`` and the id without its prefix also work)."""
    if which == "all":
        return MODULES
    for module in MODULES:
        short = module.split("-", 1)
        if which in (module, short[0], short[0][1:], short[1]):
            return (module,)
    raise UsageError(f"no module '{which}'{did_you_mean(which, MODULES)}; the modules are: all, {', '.join(MODULES)}")


@dataclass(frozen=True, slots=True)
class Course:
    """An existing course directory."""

    root: Path

    @classmethod
    def open(cls, path: str | os.PathLike[str] = ".") -> Course:
        root = Path(path).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{path} is not a course directory (no {CONFIG_FILE}); create one with: careerkit course init {path}")
        return cls(root)

    # --- files ------------------------------------------------------------------------
    @property
    def source(self) -> Path:
        return self.root / "source"

    def path(self, kind: str, *parts: str) -> Path:
        """``path("submitted", "s001", "m1-skills")`` and friends."""
        return self.root.joinpath(kind, *parts)

    def released_modules(self) -> tuple[str, ...]:
        return tuple(m for m in MODULES if (self.root / "release" / m).is_dir())

    def submissions(self, module: str) -> tuple[str, ...]:
        """Student ids with a submission folder for ``module``, sorted."""
        base = self.root / "submitted"
        if not base.is_dir():
            return ()
        return tuple(sorted(p.name for p in base.iterdir() if (p / module).is_dir()))

    def roster(self) -> Roster:
        from careerkit.roster import load_roster

        path = self.root / ROSTER_FILE
        if not path.is_file():
            raise CourseError(f"{self.root} has no {ROSTER_FILE}; it was not made by careerkit course init")
        return load_roster(path)

    def assignments(self) -> AssignmentSet:
        from careerkit.assignment import load_assignments

        path = self.root / ASSIGNMENTS_FILE
        if not path.is_file():
            raise CourseError(f"{self.root} has no {ASSIGNMENTS_FILE}; assign careers with careerkit course init or careerkit assign")
        return load_assignments(path)

    # --- nbgrader -----------------------------------------------------------------------
    def config(self) -> Config:
        """The course's nbgrader configuration with paths made absolute.

        nbgrader resolves ``root`` and a relative SQLite URL against the working directory;
        careerkit's commands may run from anywhere, so both are pinned to the course here.
        """
        from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

        try:
            config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        except ConfigFileNotFound as exc:
            raise CourseError(f"cannot read {self.root / CONFIG_FILE}: {exc}") from exc
        except Exception as exc:  # a syntax error in the user's config file
            raise CourseError(f"{self.root / CONFIG_FILE} has an error: {type(exc).__name__}: {exc}") from exc
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = self.db_url(config)
        return config

    def db_url(self, config: Config | None = None) -> str:
        config = config if config is not None else self.config()
        url = str(config.CourseDirectory.get("db_url", "") or "sqlite:///gradebook.db")
        match = re.match(r"^sqlite:///(?!/)(.+)$", url)
        if match:  # relative SQLite path: relative to the course, not to the caller's directory
            url = f"sqlite:///{self.root / match.group(1)}"
        return url

    def course_id(self) -> str:
        return str(self.config().CourseDirectory.get("course_id", "") or "default_course")

    def api(self, config: Config | None = None) -> NbGraderAPI:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        _tools_on_path()
        _cache_notebook_validators()
        config = config if config is not None else self.config()
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    @contextlib.contextmanager
    def gradebook(self) -> Iterator[Gradebook]:
        from nbgrader.api import Gradebook

        _tools_on_path()
        config = self.config()
        with Gradebook(self.db_url(config), str(config.CourseDirectory.get("course_id", "") or "default_course")) as gb:
            yield gb


def _cache_notebook_validators() -> None:
    """Build each notebook JSON-schema validator once per process instead of once per call.

    nbconvert validates the notebook after every preprocessor with ``relax_add_props=True``,
    and nbformat 5.10 compiles a fresh schema validator for every such call: about 0.35 s
    of CPU per graded notebook, a quarter of the whole. The validators are immutable, so
    memoising ``get_validator`` changes nothing but the time.
    """
    from nbformat import validator

    if not hasattr(validator.get_validator, "cache_info"):
        validator.get_validator = functools.lru_cache(maxsize=32)(validator.get_validator)  # type: ignore[assignment]


def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` as a command when it creates a gradebook: find the one beside
    this Python even when the environment is not activated (``.venv/bin/careerkit ...``)."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        os.environ["PATH"] = bindir + (os.pathsep + path if path else "")


# --- init -------------------------------------------------------------------------------


def init(
    dest: str | os.PathLike[str],
    *,
    roster: str | os.PathLike[str] | None = None,
    seed: int = DEFAULT_SEED,
    db_url: str | None = None,
    timeout: int | None = None,
) -> Course:
    """Create a ready course directory: template, roster, assigned careers, students in the gradebook."""
    from careerkit.assignment import assign
    from careerkit.catalog import load_catalog
    from careerkit.roster import load_roster

    root = Path(dest)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CourseError(f"{dest} already exists and is not empty; choose a new folder (a course is never created over existing files)")
    roster_path = Path(roster) if roster is not None else data_path("demo_roster.csv")
    catalog = load_catalog()
    students = load_roster(roster_path, catalog)  # validate before anything is written
    if len(students) == 0:
        raise CourseError(f"{roster_path} lists no students")
    result = assign(students, seed, catalog=catalog)

    template = template_dir()
    # Build beside the destination and move it in place at the end: a failed init leaves nothing.
    root.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        _build(building, template, roster_path, students, result, db_url, timeout)
        if root.exists():
            root.rmdir()
        os.replace(building, root)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Course.open(root)


def _build(root: Path, template: Path, roster_path: Path, students: Roster, result: AssignmentSet, db_url: str | None, timeout: int | None) -> None:
    shutil.copytree(template / "source", root / "source", ignore=TEMPLATE_IGNORE, dirs_exist_ok=True)
    config_text = (template / CONFIG_FILE).read_text(encoding="utf-8")
    extra = []
    if db_url:
        stored, password = _without_password(db_url)
        extra.append(f"c.CourseDirectory.db_url = {stored!r}")
        if password is not None:
            _write_secret(root / PASSWORD_FILE, password)
            extra.append(_PASSWORD_FROM_FILE)
    if timeout:
        extra.append(f"c.Execute.timeout = {int(timeout)}\nc.ExecutePreprocessor.timeout = {int(timeout)}")
    if extra:
        config_text += "\n# Set by careerkit course init\n" + "\n".join(extra) + "\n"
    atomic_write_text(root / CONFIG_FILE, config_text)
    shutil.copyfile(roster_path, root / ROSTER_FILE)
    result.write_csv(root / ASSIGNMENTS_FILE)
    course = Course.open(root)
    write_careers_file(course, result)
    add_students(course, students)


# nbgrader_config.py is shared and copied around; the password stays in a file only its owner reads.
_PASSWORD_FROM_FILE = f"""\
# The database password is in {PASSWORD_FILE} beside this file (readable by its owner only).
# Delete that file to use PostgreSQL's own PGPASSWORD or ~/.pgpass instead.
import pathlib as _pathlib

_secret = _pathlib.Path(__file__).with_name({PASSWORD_FILE!r})
if _secret.is_file():
    from sqlalchemy.engine import make_url as _make_url

    _url = _make_url(c.CourseDirectory.db_url).set(password=_secret.read_text(encoding="utf-8").strip())
    c.CourseDirectory.db_url = _url.render_as_string(hide_password=False)"""


def _without_password(url: str) -> tuple[str, str | None]:
    """The database URL without its password, and the password (None if it has none)."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"--db {url.split('@')[-1]!r} is not a database URL ({exc}); for example postgresql://USER@HOST:5432/gradebook") from None
    if parsed.password is None:
        return url, None
    bare = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def write_careers_file(course: Course, result: AssignmentSet | None = None) -> Path:
    """The file module 2 reads to show each student their career: ids only, no names or emails."""
    result = result if result is not None else course.assignments()
    rows = [[a.student_id, a.career_id] for a in result]
    return atomic_write_text(course.source / CAREERS_MODULE / CAREERS_FILE, csv_text(["student_id", "career_id"], rows))


def add_students(course: Course, students: Roster) -> int:
    """Put every roster student in the gradebook (names and emails kept, nothing blanked)."""
    with course.gradebook() as gb:
        for s in students:
            first, _, last = s.name.strip().partition(" ")
            fields: dict[str, Any] = {}
            if first:
                fields["first_name"] = first
            if last:
                fields["last_name"] = last
            if s.email:
                fields["email"] = s.email
            gb.update_or_create_student(s.student_id, **fields)
    return len(students)


# --- release and feedback ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepResult:
    module: str
    ok: bool
    message: str


def _last_error(result: dict[str, Any]) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    lines = [ln.strip() for ln in text if ln.strip()]
    errors = [ln for ln in lines if "ERROR" in ln or "Error" in ln]
    return (errors or lines or ["nbgrader gave no reason"])[-1][:300]


def release(course: Course, which: str = "all") -> list[StepResult]:
    """``nbgrader generate_assignment`` for the modules, with the files students need."""
    modules = select_modules(which)
    if CAREERS_MODULE in modules and (course.root / ASSIGNMENTS_FILE).is_file():
        write_careers_file(course)
    api = course.api()
    results = []
    for module in modules:
        if not (course.source / module).is_dir():
            results.append(StepResult(module, False, f"no source folder {course.source / module}"))
            continue
        out = api.generate_assignment(module, force=True, create=True)
        if out.get("success"):
            results.append(StepResult(module, True, f"released to {course.path('release', module)}"))
        else:
            results.append(StepResult(module, False, _last_error(out)))
    return results


def feedback(course: Course, which: str = "all") -> list[StepResult]:
    """``nbgrader generate_feedback``: one HTML page per autograded notebook."""
    api = course.api()
    results = []
    for module in select_modules(which):
        graded = [p.name for p in course.path("autograded").glob(f"*/{module}") if p.is_dir()] if course.path("autograded").is_dir() else []
        if not graded:
            results.append(StepResult(module, True, "nothing autograded yet"))
            continue
        out = api.generate_feedback(module, force=True)
        pages = len(list(course.path("feedback").glob(f"*/{module}/*.html")))
        if out.get("success"):
            results.append(StepResult(module, True, f"{pages} feedback pages in {course.path('feedback')}/<student>/{module}/"))
        else:
            results.append(StepResult(module, False, _last_error(out)))
    return results
