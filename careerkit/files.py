"""Finding the shipped data files, reading CSV/YAML/JSON with clear errors, writing atomically.

Data files live in the top-level ``data/`` folder of a checkout; an installed wheel
carries the same folder as ``careerkit/data`` (a link in the checkout), so both are
found the same way: through the package directory.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerkit.errors import DataError

PACKAGE_DIR = Path(__file__).resolve().parent
#: A YAML file whose anchors and aliases expand to more values than this is refused (a "billion laughs" bomb).
YAML_MAX_VALUES = 1_000_000


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
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}{line}: not valid YAML ({_one_line(exc.problem)})") from None
    except yaml.YAMLError as exc:  # e.g. a control character, whose message spans lines
        raise DataError(f"{path}: not valid YAML ({_one_line(exc)})") from None
    except ValueError as exc:  # a scalar its tag cannot hold: 2024-02-30, !!int abc, a 5,000-digit number
        raise DataError(f"{path}: not valid YAML ({_value_problem(exc)})") from None
    except RecursionError:
        raise DataError(f"{path}: YAML nested too deeply") from None
    _check_expansion(data, path)
    return data


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _value_problem(exc: ValueError) -> str:
    """The parser's complaint, without its advice to programmers ("use sys.set_int_max_str_digits()...")."""
    return _one_line(str(exc).split(";")[0])


def _check_expansion(data: Any, path: str | os.PathLike[str]) -> None:
    """Refuse aliases that refer to themselves or expand past :data:`YAML_MAX_VALUES` values.

    The loader shares an anchored value between its aliases, so a bomb loads in
    microseconds; whatever walks or prints it later (an error message's repr) would
    not finish. Sizes are counted once per shared value, so the check is linear.
    """
    sizes: dict[int, int] = {}
    path_ids: set[int] = set()  # the containers between the root and the one being walked
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        key = id(node)
        if done:
            path_ids.discard(key)
            sizes[key] = 1 + len(children) + sum(sizes.get(id(c), 0) for c in children)
            if sizes[key] > YAML_MAX_VALUES:
                raise DataError(f"{path}: expands to more than {YAML_MAX_VALUES:,} values (an alias counts each time it is used); write the entries out")
            continue
        if key in sizes:
            continue
        if key in path_ids:
            raise DataError(f"{path}: an alias refers to its own anchor (a value that contains itself)")
        path_ids.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list) and id(c) not in sizes)


#: A JSON \uD800-\uDFFF escape: a pair makes one character, a lone one is no text at all.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file; syntax errors name the file, line and column."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} line {exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    except ValueError as exc:  # a number over Python's 4,300-digit limit
        raise DataError(f"{path}: not valid JSON ({_value_problem(exc)})") from None
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise DataError(f"{path}: JSON nested too deeply") from None
        except UnicodeEncodeError as exc:
            raise DataError(f"{path}: a \\u escape names half a character (U+{ord(exc.object[exc.start]):04X}); it cannot be saved or shown as text") from None
    return data


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
        names = [_clip(h) for h in header if h]
        has = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        raise DataError(f"{path} line 1: missing column {', '.join(repr(m) for m in missing)}; the header has {has or 'no names'}")
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


def _clip(name: str, limit: int = 40) -> str:
    """A header name for an error message: quoted, escaped, and cut short (a binary file's "header" can be a megabyte)."""
    return repr(name if len(name) <= limit else name[: limit - 3] + "...")


def neutralise_formula(cell: str) -> str:
    """Defuse spreadsheet formula injection: a cell starting with = + - @ or a control char gets a leading quote."""
    if cell and cell[0] in "=+-@\t\r" and not _is_number(cell):
        return "'" + cell
    return cell


def restore_formula(cell: str) -> str:
    """Undo :func:`neutralise_formula` on a cell read back (a quote before = + - @), so a written file loads unchanged."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@" else cell


#: A plain number as a spreadsheet reads it; float() would also take " 1", "\t1", "1_0", "nan" and non-ASCII digits.
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def _is_number(cell: str) -> bool:
    return _NUMBER_RE.fullmatch(cell) is not None


def csv_text(header: list[str], rows: list[list[object]], *, safe: bool = True) -> str:
    """Render rows as CSV text (``\\n`` line ends); ``safe`` neutralises formula injection."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    for row in [header, *rows]:  # the header too: score-reflections copies input column names into it
        cells = ["" if v is None else str(v) for v in row]
        writer.writerow([_one_cell(neutralise_formula(c) if safe else c) for c in cells])
    return buf.getvalue()


def _one_cell(cell: str) -> str:
    """A lone CR as LF: the writer quotes LF but not CR, and a reader (or spreadsheet) starts a new row at a bare CR."""
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) so that readers see the old file or the new one, never half of it."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; give what a plain open() would
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from exc
        raise
    return target


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or the umask's default for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(target: Path, exc: OSError) -> DataError:
    """A failed write as a DataError (the cause keeps the OSError); the file, if any, is untouched."""
    if isinstance(exc, IsADirectoryError):
        return DataError(f"{target}: is a folder; give a file name to write to")
    return DataError(f"{target}: cannot write ({exc.strerror or exc})")


def iter_nonempty(items: list[str]) -> Iterator[str]:
    """Yield stripped, non-empty strings."""
    for item in items:
        item = item.strip()
        if item:
            yield item
