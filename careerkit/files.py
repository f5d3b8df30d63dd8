"""Finding the shipped data files, reading CSV/YAML/JSON with clear errors, writing atomically.

Data files live in the top-level ``data/`` folder of a checkout; an installed wheel
carries the same folder as ``careerkit/data`` (a link in the checkout), so both are
found the same way: through the package directory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerkit.errors import DataError

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder holding careerkit's catalogs (``data/`` of the checkout or the wheel)."""
    for candidate in (PACKAGE_DIR / "data", PACKAGE_DIR.parent / "data"):
        if (candidate / "careers.yaml").is_file():
            return candidate
    raise DataError(f"careerkit's data folder is missing: looked in {PACKAGE_DIR / 'data'} and {PACKAGE_DIR.parent / 'data'}")


def data_path(name: str) -> Path:
    """Path of one shipped data file, e.g. ``data_path("careers.yaml")``."""
    return data_dir() / name


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file; a clear error if it is not."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{p}: is a folder, not a file") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{p} line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(f"{p} line {line}: contains a NUL byte; is this a binary file?")
    return text


def read_yaml(path: str | os.PathLike[str]) -> Any:
    """Parse a YAML (or JSON) file; syntax errors name the file and line."""
    import yaml  # deferred: only catalog loading needs it

    text = read_text(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}{line}: not valid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({exc})") from None


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file; syntax errors name the file, line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} line {exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply") from None


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row of a CSV file, with the physical line it started on."""

    line: int
    values: dict[str, str]


def read_csv(path: str | os.PathLike[str], *, required: tuple[str, ...] = ()) -> tuple[list[str], list[CsvRow]]:
    """Read a CSV file into its header and rows; cells are stripped strings.

    Blank lines are skipped. Errors (missing required columns, duplicate or empty
    header names, rows with too many cells) name the file and line.
    """
    text = read_text(path)
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))  # a pasted 1 MB reflection is one cell
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}: the file is empty; expected a header line with {', '.join(required) or 'column names'}") from None
    except csv.Error as exc:
        raise DataError(f"{path} line 1: not valid CSV ({exc})") from None
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise DataError(f"{path} line 1: column '{name}' appears twice in the header")
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        raise DataError(f"{path} line 1: missing column {', '.join(repr(m) for m in missing)}; the header has {', '.join(repr(h) for h in header if h) or 'no names'}")
    rows: list[CsvRow] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                line = reader.line_num + 1
                continue
            if len(cells) > len(header):
                extra = [c for c in cells[len(header):] if c.strip()]
                if extra:
                    raise DataError(f"{path} line {line}: {len(cells)} cells but the header has {len(header)} columns (check for an unquoted comma)")
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}
            rows.append(CsvRow(line=line, values=values))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"{path} line {line}: not valid CSV ({exc})") from None
    return header, rows


def neutralise_formula(cell: str) -> str:
    """Defuse spreadsheet formula injection: a cell starting with = + - @ or a control char gets a leading quote."""
    if cell and cell[0] in "=+-@\t\r" and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def csv_text(header: list[str], rows: list[list[object]], *, safe: bool = True) -> str:
    """Render rows as CSV text (``\\n`` line ends); ``safe`` neutralises formula injection."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        writer.writerow([neutralise_formula(c) for c in cells] if safe else cells)
    return buf.getvalue()


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) so that readers see the old file or the new one, never half of it."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def iter_nonempty(items: list[str]) -> Iterator[str]:
    """Yield stripped, non-empty strings."""
    for item in items:
        item = item.strip()
        if item:
            yield item
