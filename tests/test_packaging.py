"""Packaging: one list of dependencies, mirrored for conda users; generated state stays out of git."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_pins() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for spec in meta["dependencies"] + [d for extra in meta["optional-dependencies"].values() for d in extra]:
        name, _, version = spec.partition("==")
        assert version, f"{spec} is not pinned with =="
        pins[_norm(name)] = version
    return pins


def _conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep.split("=")[0] not in ("python", "pip"):
            name, _, version = dep.partition("=")
            pins[_norm(name)] = version
    return pins


def test_environment_yml_matches_pyproject():
    """environment.yml lists exactly pyproject's dependencies, at the same versions."""
    assert _conda_pins() == _pyproject_pins()


def test_jupyter_stack_is_pinned_together():
    """nbgrader and the JupyterLab it supports are pinned exactly (its extension breaks across minors)."""
    pins = _pyproject_pins()
    assert pins["nbgrader"] == "0.9.6"
    assert pins["jupyterlab"].startswith("4.")
    assert pins["notebook"].startswith("7.")


def test_ci_runs_the_readme_test_command():
    """.ci/run runs `make test`, the README's second command."""
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("make demo") < readme.index("make test") < 600


def test_generated_course_state_is_ignored_by_git():
    """release/, submitted/, autograded/, feedback/, gradebooks and .venv are ignored by git."""
    paths = ["course/release/x", "course/submitted/x", "course/autograded/x", "course/feedback/x", "course/gradebook.db", ".venv/x", "demo-course/x"]
    proc = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True, check=False)
    assert sorted(proc.stdout.split()) == sorted(paths)


def test_data_folder_is_reachable_from_the_package():
    """The package finds data/ through careerkit/data, as an installed wheel would."""
    from careerkit.files import data_dir

    assert (data_dir() / "careers.yaml").is_file()
    assert (ROOT / "careerkit" / "data" / "careers.yaml").exists()


def test_course_template_is_reachable_from_the_package():
    """The nbgrader course ships with the package (careerkit/course_template links to course/)."""
    from careerkit.course import MODULES, template_dir

    assert (template_dir() / "nbgrader_config.py").is_file()
    assert (ROOT / "careerkit" / "course_template" / "nbgrader_config.py").exists()
    assert all((template_dir() / "source" / m / f"{m}.ipynb").is_file() for m in MODULES)
