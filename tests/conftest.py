"""Shared fixtures: catalogs, rosters and a way to run the CLI in-process."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from careerkit.catalog import Catalog, load_catalog
from careerkit.cli import main

DATA = Path(__file__).parent / "data"
SMALL_CAREERS = DATA / "catalog" / "careers_small.yaml"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped catalog."""
    return load_catalog()


@pytest.fixture(scope="session")
def small_catalog() -> Catalog:
    """Six careers: four for any discipline, one humanities-only, one traditional."""
    return load_catalog(careers=SMALL_CAREERS)


@pytest.fixture(scope="session")
def kit() -> Catalog:
    """The interview-toolkit fixture catalog: six careers, alpha-analyst and alpha-strategist in consulting, flat-generalist weighing every competency 2."""
    return load_catalog(DATA / "profile" / "catalog")


@pytest.fixture
def write_roster(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts) to a roster CSV in tmp_path and return its path."""

    def write(rows: list[dict[str, str]], name: str = "roster.csv") -> Path:
        path = tmp_path / name
        fields = list(dict.fromkeys(k for row in rows for k in row)) or ["student_id"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``careerkit ARGS...`` in-process and capture exit code, stdout and stderr."""

    def run(*args: object) -> CliResult:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
