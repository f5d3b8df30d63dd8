"""Bad input, tried on purpose: every loader and command gets broken, hostile and random files.

The contract: a loader returns or raises a one-line :class:`CareerkitError`; a command
exits 0, 1 (one ``careerkit: error:`` line on stderr) or 2 (argparse usage), never with
a traceback; every CSV the kit writes defuses spreadsheet formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerkit import answers, canvas, storyboard
from careerkit.assignment import load_assignments
from careerkit.catalog import load_catalog
from careerkit.errors import CareerkitError
from careerkit.files import csv_text, data_dir, data_path, neutralise_formula, read_json, read_yaml
from careerkit.grades import GradeTable, StudentGrades
from careerkit.interviews import load_log
from careerkit.network import load_directory
from careerkit.profile import load_profile
from careerkit.questions import load_bank
from careerkit.reflection import score, score_csv
from careerkit.roster import load_roster

from conftest import DATA, SMALL_CAREERS, CliResult

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DEMO_ROSTER = data_path("demo_roster.csv")
STORYBOARD = data_path("examples/storyboard.json")
CANVAS = data_path("examples/canvas.json")
DIRECTORY = data_path("examples/directory.csv")
CAREER = next(iter(load_catalog()))

#: Cells a spreadsheet would run as a formula (or that smuggle one behind a control character).
FORMULAS = ('=HYPERLINK("http://x","y")', "+cmd", "-1+1", "@SUM(1)", "=1+1", "\t=1+1", "\r=1+1", "-cmd|' /C calc'!A0", "+-1")
#: What a plain number looks like; only these may start with + or -.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def _yaml_bomb(levels: int = 9) -> bytes:
    """The "billion laughs": each anchor is nine aliases of the previous one (9**9 strings)."""
    lines = ['- &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"- &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return ("\n".join(lines) + "\n").encode()


#: One file per way a file can be broken (bytes), plus "folder" and "missing".
BROKEN: dict[str, bytes | str] = {
    "empty": b"",
    "bom_only": b"\xef\xbb\xbf",
    "blank_lines": b" \n\n\t\r\n",
    "utf16_with_bom": "student_id,name\ns1,Ann\n".encode("utf-16"),
    "latin1": "student_id,name\ns1,Jos\xe9\n".encode("latin-1"),
    "invalid_utf8": b"student_id,name\ns1,\xc3\x28\xff\xfe\n",
    "nul_byte": b"student_id,name\ns1,A\x00nn\n",
    "cut_mid_row": b"student_id,name,email\ns1,Ann,ann@example.org\ns2,Bo",
    "cut_mid_quoted_field": b'student_id,name\ns1,"Ann, the',
    "stray_quote": b'student_id,name\ns1,An"n\n"s2',
    "megabyte_field": b"student_id,name,text\ns1,Ann," + b"x" * 1_000_000 + b"\n",
    "megabyte_line": b"y" * 1_000_000,
    "deep_json_list": b"[" * 10_000 + b"]" * 10_000,
    "deep_json_object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "json_list_not_object": b'[1, "two", null, {"three": 3}]',
    "json_scalar": b'"just text"',
    "json_null": b"null",
    "json_huge_number": b'{"minutes": ' + b"9" * 5000 + b"}",
    "json_lone_surrogate": b'{"title": "\\ud800", "persona": "x"}',
    "json_nan": b'{"rating": NaN, "minutes": Infinity}',
    "yaml_bomb": _yaml_bomb(),
    "yaml_self_alias": b"- &a [*a]\n",
    "yaml_impossible_date": b"- id: x\n  name: X\n  when: 2024-02-30\n",
    "yaml_bad_int_tag": b"- !!int abc\n",
    "yaml_python_tag": b"- !!python/object/apply:os.system ['echo pwned']\n",
    "yaml_huge_int": b"- " + b"9" * 5000 + b"\n",
    "binary": bytes(range(256)) * 4,
    "folder": "folder",
    "missing": "missing",
}


def _materialise(tmp_path: Path, kind: str, suffix: str) -> Path:
    """Write the broken file ``kind`` as ``tmp_path/broken<suffix>`` (a folder, or nothing, for those kinds)."""
    path = tmp_path / f"broken{suffix}"
    content = BROKEN[kind]
    if content == "folder":
        path.mkdir()
    elif content != "missing":
        path.write_bytes(content)  # type: ignore[arg-type]
    return path


def _catalog_dir_with_broken_sectors(path: Path) -> object:
    """A catalog folder whose sectors.yaml is ``path`` (whatever it is), the rest shipped."""
    folder = path.parent / "catalog"
    folder.mkdir(exist_ok=True)
    for name in ("careers.yaml", "disciplines.yaml", "values.yaml", "competencies.yaml"):
        shutil.copy(data_dir() / name, folder / name)
    if path.is_dir():
        (folder / "sectors.yaml").mkdir(exist_ok=True)
    elif path.exists():
        shutil.copy(path, folder / "sectors.yaml")
    return load_catalog(folder)


#: Every file loader: (suffix it expects, how to call it).
LOADERS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "roster": (".csv", lambda p: load_roster(p)),
    "assignments": (".csv", load_assignments),
    "directory": (".csv", lambda p: load_directory(p)),
    "interview_log_csv": (".csv", lambda p: load_log(p, today=dt.date(2026, 3, 20))),
    "interview_log_json": (".json", lambda p: load_log(p, today=dt.date(2026, 3, 20))),
    "profile": (".json", lambda p: load_profile(p)),
    "storyboard": (".json", storyboard.load),
    "canvas": (".json", lambda p: canvas.load(p)),
    "reflections_csv": (".csv", lambda p: score_csv(str(p))),
    "question_bank": (".yaml", lambda p: load_bank(p)),
    "careers_yaml": (".yaml", lambda p: load_catalog(careers=p)),
    "catalog_folder": (".yaml", _catalog_dir_with_broken_sectors),
    "read_json": (".json", read_json),
    "read_yaml": (".yaml", read_yaml),
}


def _clean_or_careerkit_error(load: Callable[[Path], object], path: Path, *, one_line: bool = True) -> None:
    """``load(path)`` returns or raises a CareerkitError of reasonable length (and one line, unless told otherwise).

    ``one_line=False`` for random cells: a message quotes an offending value as it is, newline
    included (see test_a_newline_inside_an_offending_value_stays_one_line).
    """
    try:
        load(path)
    except CareerkitError as exc:
        message = str(exc)
        assert message
        assert not one_line or ("\n" not in message and "\r" not in message), f"not one line: {message[:300]!r}"
        assert len(message) < 5000, f"a {len(message)}-character error message"


# --- the corpus through every loader ----------------------------------------------------


@pytest.mark.parametrize("kind", list(BROKEN))
@pytest.mark.parametrize("loader", list(LOADERS))
def test_broken_file_gives_a_clean_result_or_one_line_error(tmp_path: Path, loader: str, kind: str) -> None:
    """Every loader, every broken file: a result or a one-line CareerkitError, never another exception."""
    suffix, load = LOADERS[loader]
    _clean_or_careerkit_error(load, _materialise(tmp_path, kind, suffix))


@pytest.mark.parametrize("kind", [k for k in BROKEN if BROKEN[k] not in ("folder", "missing")])
def test_unreadable_answers_file_is_set_aside_never_raised(tmp_path: Path, kind: str) -> None:
    """open_book never raises on a broken answers.json; anything not a JSON object is moved aside, not overwritten."""
    (tmp_path / answers.FILENAME).write_bytes(BROKEN[kind])  # type: ignore[arg-type]
    book = answers.open_book("m1-skills", tmp_path)
    if book.problem:
        assert len(book) == 0
        assert list(tmp_path.glob(f"{answers.FILENAME}.bad-*"))
    book["student_id"] = "s1"
    assert json.loads((tmp_path / answers.FILENAME).read_text(encoding="utf-8"))["student_id"] == "s1"


def test_answers_path_that_is_a_folder_is_reported(tmp_path: Path) -> None:
    """An answers.json that is a folder gives a book with a problem, no OSError; saving works or is a clean error."""
    (tmp_path / answers.FILENAME).mkdir()
    book = answers.open_book("m1-skills", tmp_path)
    assert book.problem and len(book) == 0
    try:
        book["x"] = 1
    except CareerkitError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize("kind", ["yaml_bomb", "yaml_self_alias", "yaml_impossible_date", "yaml_bad_int_tag", "yaml_huge_int"])
def test_yaml_that_only_explodes_later_is_refused_on_read(tmp_path: Path, kind: str) -> None:
    """Alias bombs, self-referring aliases and scalars their tag cannot hold are a DataError from read_yaml itself."""
    with pytest.raises(CareerkitError, match="YAML|alias"):
        read_yaml(_materialise(tmp_path, kind, ".yaml"))


def test_yaml_bomb_inside_a_career_fails_fast(tmp_path: Path) -> None:
    """A careers entry whose field is a billion-laughs alias fails at once (it used to hang in an error message's repr)."""
    anchors = ['    l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    anchors += [f"    l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 8)]
    path = tmp_path / "careers.yaml"
    path.write_text("- id: bomb-career\n  title: Bomb\n  sector: consulting\n  anchors:\n" + "\n".join(anchors) + "\n  disciplines: [*l7, *l7, *l7]\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(CareerkitError, match="expands to more than"):
        load_catalog(careers=path)
    assert time.perf_counter() - start < 2


def test_shared_yaml_anchors_still_load(tmp_path: Path) -> None:
    """Ordinary anchors and aliases (a value used twice) are still fine."""
    path = tmp_path / "ok.yaml"
    path.write_text("- &a {x: 1}\n- *a\n- [*a, *a]\n", encoding="utf-8")
    assert read_yaml(path) == [{"x": 1}, {"x": 1}, [{"x": 1}, {"x": 1}]]


# --- random bytes and random structure -------------------------------------------------

CSV_ALPHABET = st.sampled_from(list('ab1,;"\'\n\r\t =+-@|\\ é\u2028\ufeff\x00'))


@pytest.mark.parametrize("loader", list(LOADERS))
@FUZZ
@given(data=st.one_of(st.binary(max_size=400), st.text(CSV_ALPHABET, max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_random_bytes_never_escape_as_another_exception(tmp_path: Path, loader: str, data: bytes) -> None:
    """Random bytes and CSV-ish noise: a result or a CareerkitError, never another exception."""
    suffix, load = LOADERS[loader]
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _clean_or_careerkit_error(load, path, one_line=False)


HOSTILE_TEXT = st.one_of(st.sampled_from(FORMULAS), st.text(CSV_ALPHABET, max_size=30), st.text(max_size=30))
ROSTER_HEADER = ["student_id", "name", "email", "discipline", "avoid", "sis_id"]


@pytest.mark.parametrize("loader", ["roster", "assignments", "directory", "interview_log_csv", "reflections_csv"])
@FUZZ
@given(rows=st.lists(st.lists(HOSTILE_TEXT, min_size=0, max_size=10), max_size=6), header=st.sampled_from(["roster", "assignments", "directory", "interviews", "reflections", "random"]))
def test_random_csv_rows_load_or_fail_cleanly(tmp_path: Path, loader: str, rows: list[list[str]], header: str) -> None:
    """Well-quoted CSV with hostile cells under a plausible header: a result or a CareerkitError, never another exception."""
    headers = {
        "roster": ROSTER_HEADER,
        "assignments": ["student_id", "career_id", "career_title", "sector", "name", "discipline", "seed", "rule", "reason"],
        "directory": ["contact_id", "name", "role", "organisation", "career_id", "sector", "channels", "willing_to_talk", "max_students"],
        "interviews": ["date", "career_id", "interviewee_role", "organisation", "source", "format", "location", "minutes", "takeaways"],
        "reflections": ["id", "text", "error", "level"],
        "random": ["=x", "+y", "id", "text", "student_id"],
    }
    suffix, load = LOADERS[loader]
    path = tmp_path / f"rows{suffix}"
    # st.text() may hold a lone surrogate: written as is, the file is not UTF-8, which is bad input too
    path.write_text(csv_text(headers[header], rows, safe=False), encoding="utf-8", errors="surrogatepass")
    _clean_or_careerkit_error(load, path, one_line=False)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | HOSTILE_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["title", "persona", "panels", "feedback", "scene", "text", "image", "date", "values", "competencies", "rating", "evidence", "student_id", "variant", "draws_on", "customer_segments", "minutes", "career_id", "x"]), children, max_size=5),
    max_leaves=20,
)


@pytest.mark.parametrize("loader", ["profile", "storyboard", "canvas", "interview_log_json"])
@FUZZ
@given(document=JSON_VALUES)
def test_random_json_documents_load_or_fail_cleanly(tmp_path: Path, loader: str, document: object) -> None:
    """Any JSON value of any shape (lists for objects, numbers for text...): a result or a CareerkitError, never another exception."""
    suffix, load = LOADERS[loader]
    path = tmp_path / f"doc{suffix}"
    try:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    except UnicodeEncodeError:
        path.write_text(json.dumps(document), encoding="utf-8")  # a lone surrogate, as a \u escape
    _clean_or_careerkit_error(load, path, one_line=False)
    if loader in ("storyboard", "canvas"):
        try:
            (storyboard.check_file if loader == "storyboard" else canvas.check_file)(path)
        except CareerkitError:
            pass


@settings(max_examples=50, deadline=None)
@given(text=st.one_of(st.text(max_size=400), st.text(CSV_ALPHABET, max_size=400), st.sampled_from(FORMULAS)))
def test_reflection_scorer_takes_any_text(text: str) -> None:
    """The scorer never raises on odd text and always gives a level 0-3."""
    assert score(text).level in (0, 1, 2, 3)


@pytest.mark.parametrize("filler", [" ", "\t", " \t", "\u00a0", "&nbsp;"])
def test_reflection_scorer_is_not_quadratic_in_whitespace(filler: str) -> None:
    """A 60,000-character run of spaces between two words is scored in well under a second (it took 15 s)."""
    start = time.perf_counter()
    score("a" + filler * (60_000 // len(filler)) + "b")
    assert time.perf_counter() - start < 3


# --- spreadsheet formula injection ------------------------------------------------------


def _assert_csv_is_defused(text: str) -> list[list[str]]:
    """No cell (header included) starts with = + - @ tab or CR unless it is a plain number."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            assert not (cell[:1] and cell[0] in "=+-@\t\r" and not PLAIN_NUMBER.fullmatch(cell)), f"formula left live: {cell!r}"
    return rows


@settings(max_examples=200, deadline=None)
@given(cell=st.one_of(st.text(), st.sampled_from(FORMULAS), st.from_regex(r"[+-]?\d+(\.\d+)?", fullmatch=True)))
def test_neutralise_formula_defuses_everything_but_plain_numbers(cell: str) -> None:
    """neutralise_formula quotes every dangerous start; plain numbers (-3, +1.5) stay numbers."""
    out = neutralise_formula(cell)
    assert not (out[:1] and out[0] in "=+-@\t\r" and not PLAIN_NUMBER.fullmatch(out))
    if PLAIN_NUMBER.fullmatch(cell):
        assert out == cell
    assert out in (cell, "'" + cell)


@pytest.mark.parametrize("cell", ["\t1", "\r1", "\t-1", "-1\n", " -1", "-\u0661", "-inf", "+nan", "-1_000"])
def test_control_characters_and_look_alike_numbers_are_not_plain_numbers(cell: str) -> None:
    """float() accepts these, a spreadsheet does not see a plain number: a dangerous start is quoted."""
    out = neutralise_formula(cell)
    assert out == ("'" + cell if cell[0] in "=+-@\t\r" else cell)


@settings(max_examples=50, deadline=None)
@given(header=st.lists(HOSTILE_TEXT, min_size=1, max_size=5), rows=st.lists(st.lists(HOSTILE_TEXT, max_size=5), max_size=5))
def test_csv_text_defuses_header_and_cells(header: list[str], rows: list[list[str]]) -> None:
    """csv_text neutralises every cell, the header too (score-reflections copies input column names into it)."""
    try:
        text = csv_text(header, rows)
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # st.text() may hold a lone surrogate; no reader produces one
    _assert_csv_is_defused(text)


@pytest.mark.parametrize("cell", ["Ann\r=HYPERLINK(\"http://x\",\"y\")", "\r=1+1", "a\r\n=1", "x\n@SUM(1)"])
def test_a_carriage_return_inside_a_cell_cannot_start_a_row(cell: str) -> None:
    """csv.writer leaves a bare CR unquoted, and readers start a new row there, with the formula first: csv_text quotes it."""
    rows = _assert_csv_is_defused(csv_text(["name", "n"], [[cell, "1"]]))
    assert len(rows) == 2 and rows[1][1] == "1"


def _hostile_roster(write_roster: Callable[..., Path], names: list[str]) -> Path:
    rows = [{"student_id": f"s{i:02d}", "name": n, "email": f"{n}@example.org", "discipline": "", "sis_id": n} for i, n in enumerate(names)]
    rows.append({"student_id": "-dash", "name": "Dash", "email": "", "discipline": "", "sis_id": ""})
    return write_roster(rows)


def test_assign_out_defuses_names_titles_and_reasons(cli, write_roster, tmp_path: Path) -> None:
    """assign --out (and a redraw's reason) never writes a live formula, whatever the roster and catalog hold."""
    roster = _hostile_roster(write_roster, list(FORMULAS))
    careers = tmp_path / "careers.yaml"
    text = SMALL_CAREERS.read_text(encoding="utf-8")
    text = text.replace("title: Alpha Analyst", "title: '=HYPERLINK(\"http://x\",\"y\")'").replace("title: Beta Writer", "title: '@SUM(1)'")
    careers.write_text(text, encoding="utf-8")
    out = tmp_path / "assigned.csv"
    r = cli("assign", roster, "--seed", "7", "--catalog", careers, "--out", out)
    assert r.code == 0, r.err
    rows = _assert_csv_is_defused(out.read_text(encoding="utf-8"))
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    r = cli("assign", roster, "--seed", "7", "--catalog", careers, "--previous", out, "--redraw", "s00", "--reason", "=cmd|' /C calc'!A0", "--out", out)
    assert r.code == 0, r.err
    rows = _assert_csv_is_defused(out.read_text(encoding="utf-8"))
    assert any("(was " in cell for row in rows for cell in row)


def test_defused_student_id_round_trips_through_previous(cli, write_roster, tmp_path: Path) -> None:
    """A student id written as "'-dash" is read back as -dash, so --previous keeps that student's career."""
    roster = _hostile_roster(write_roster, ["Ann", "Bo"])
    out = tmp_path / "assigned.csv"
    assert cli("assign", roster, "--seed", "3", "--out", out).code == 0
    assert "'-dash" in out.read_text(encoding="utf-8")
    first = {a.student_id: a.career_id for a in load_assignments(out)}
    assert "-dash" in first
    r = cli("assign", roster, "--seed", "99", "--previous", out, "--out", tmp_path / "again.csv")
    assert r.code == 0, r.err
    again = load_assignments(tmp_path / "again.csv")
    assert {a.student_id: a.career_id for a in again} == first
    assert {a.rule for a in again} == {"kept"}


@FEW
@given(names=st.lists(HOSTILE_TEXT.filter(lambda t: t.strip() and "\x00" not in t), min_size=1, max_size=6))
def test_assign_out_defuses_any_random_names(cli, write_roster, tmp_path: Path, names: list[str]) -> None:
    """Random hostile names: assign exits 0 or 1 cleanly, and a written CSV is defused."""
    try:
        roster = _hostile_roster(write_roster, names)
    except UnicodeEncodeError:
        return
    out = tmp_path / "assigned.csv"
    out.unlink(missing_ok=True)
    r = cli("assign", roster, "--seed", "1", "--out", out)
    _assert_clean_exit(r)
    if r.code == 0:
        _assert_csv_is_defused(out.read_text(encoding="utf-8"))


def test_score_reflections_out_defuses_ids_columns_and_header(cli, tmp_path: Path) -> None:
    """score-reflections --out defuses ids, copied columns and hostile column names; an input 'error' column never hides ours."""
    src = tmp_path / "in.csv"
    header = ["id", "text", '=HYPERLINK("http://x","y")', "error", "@cohort"]
    rows = [[f, f"I learned {f} and then I decided to email my mentor by Friday.", f, "=1+1", "+x"] for f in FORMULAS]
    rows.append(["bad", "x" * 1_000_000, "-1+1", "", "@SUM(1)"])
    src.write_text(csv_text(header, rows, safe=False), encoding="utf-8")
    out = tmp_path / "scored.csv"
    r = cli("score-reflections", src, "--out", out)
    _assert_clean_exit(r)
    assert r.code == 0
    parsed = _assert_csv_is_defused(out.read_text(encoding="utf-8"))
    assert parsed[0].count("error") == 1
    column = parsed[0].index("error")
    assert all(row[column] == "" or row[column].startswith("line ") for row in parsed[1:])
    _assert_csv_is_defused(cli("score-reflections", src).out)


def test_match_out_defuses_directory_and_assignment_text(cli, tmp_path: Path) -> None:
    """match --out defuses hostile student ids, contact names, roles and organisations."""
    career = CAREER
    assigned = tmp_path / "assigned.csv"
    assigned.write_text(csv_text(["student_id", "career_id"], [[f, career.id] for f in ("=cmd", "@SUM(1)", "+x", "-1+1")], safe=False), encoding="utf-8")
    directory = tmp_path / "directory.csv"
    header = ["contact_id", "name", "role", "organisation", "career_id", "sector", "channels", "willing_to_talk", "max_students"]
    rows = [[f"c{i}", f, FORMULAS[-1 - i], f, career.id, "", "email", "yes", "5"] for i, f in enumerate(FORMULAS)]
    directory.write_text(csv_text(header, rows, safe=False), encoding="utf-8")
    out = tmp_path / "matches.csv"
    r = cli("match", assigned, directory, "--out", out)
    assert r.code == 0, r.err
    parsed = _assert_csv_is_defused(out.read_text(encoding="utf-8"))
    assert len(parsed) > 1


def test_match_with_an_absurd_per_student_finishes(cli, tmp_path: Path) -> None:
    """--per-student 1000000000 stops once the directory is used up instead of looping a billion rounds."""
    assigned = tmp_path / "assigned.csv"
    assert cli("assign", DEMO_ROSTER, "--seed", "1", "--out", assigned).code == 0
    start = time.perf_counter()
    r = cli("match", assigned, DIRECTORY, "--per-student", "1000000000")
    assert r.code == 0, r.err
    assert time.perf_counter() - start < 10


def test_interview_log_csv_defuses_and_round_trips(tmp_path: Path) -> None:
    """A log with formula-like text is written defused and loads back unchanged."""
    career = CAREER
    header = ["date", "career_id", "interviewee_role", "organisation", "interviewee_name", "source", "format", "location", "minutes", "takeaways"]
    rows = [["2026-01-10", career.id, "+cmd", "@SUM(1)", "-1+1", "peer", "video", "video", "30", '=HYPERLINK("http://x","y")']]
    src = tmp_path / "log.csv"
    src.write_text(csv_text(header, rows, safe=False), encoding="utf-8")
    log = load_log(src, today=dt.date(2026, 3, 20))
    written = log.to_csv()
    _assert_csv_is_defused(written)
    again = tmp_path / "again.csv"
    again.write_text(written, encoding="utf-8")
    assert load_log(again, today=dt.date(2026, 3, 20)).interviews == log.interviews


@pytest.mark.parametrize("name", [*FORMULAS, "Ann =1+1", " =1+1", "Lee, @Ann"])
def test_grades_exports_defuse_names_ids_and_emails(name: str) -> None:
    """GradeTable.to_csv and to_canvas never write a live formula from a roster name, id, email or SIS id."""
    student = StudentGrades(student_id=name, name=name, email=name, sis_id=name, scores={"m1-skills": -1.5, "m2-career": None})
    table = GradeTable(("m1-skills", "m2-career"), {"m1-skills": 10.0, "m2-career": 5.0}, (student,))
    rows = _assert_csv_is_defused(table.to_csv())
    assert "-1.5" in rows[1]  # a negative score stays a number
    _assert_csv_is_defused(table.to_canvas())


def test_careers_csv_defuses_catalog_titles(cli, tmp_path: Path) -> None:
    """careers --format csv with a hostile careers file prints a defused CSV."""
    careers = tmp_path / "careers.yaml"
    careers.write_text(SMALL_CAREERS.read_text(encoding="utf-8").replace("title: Alpha Analyst", "title: '=HYPERLINK(\"http://x\",\"y\")'"), encoding="utf-8")
    r = cli("careers", "--catalog", careers, "--format", "csv")
    assert r.code == 0, r.err
    assert "'=HYPERLINK" in r.out
    _assert_csv_is_defused(r.out)


# --- every command, every broken input ---------------------------------------------------


def _assert_clean_exit(r: CliResult) -> None:
    """Exit 0, 1 with at most one error line, or 2 with argparse's usage; never a traceback."""
    assert "Traceback" not in r.err and "Traceback" not in r.out
    assert r.code in (0, 1, 2), r.code
    lines = r.err.splitlines()
    if r.code == 2:
        assert r.err.startswith("usage: careerkit") and lines[-1].startswith("careerkit") and ": error: " in lines[-1]
        return
    errors = [line for line in lines if line.startswith("careerkit: error:")]
    assert len(errors) <= 1, r.err[:500]
    if errors:
        assert r.code == 1 and lines == errors, r.err[:500]
    for line in lines:
        assert line.startswith(("careerkit:", "Scored ", "wrote ")), f"stray stderr line {line[:200]!r}"


def _commands(broken: Path, suffix: str, tmp_path: Path) -> list[list[object]]:
    out = tmp_path / "out.csv"
    if suffix == ".csv":
        return [
            ["assign", broken, "--seed", "1", "--out", out],
            ["assign", DEMO_ROSTER, "--seed", "1", "--previous", broken],
            ["score-reflections", broken, "--out", out],
            ["interviews", "summary", broken],
            ["match", broken, DIRECTORY],
            ["match", broken, broken, "--out", out],
            ["course", "init", tmp_path / "course", "--roster", broken],
        ]
    if suffix == ".json":
        return [
            ["questions", "--career", CAREER.id, "--profile", broken],
            ["outreach", "--kind", "email", "--career", CAREER.id, "--profile", broken],
            ["interviews", "summary", broken],
            ["storyboard", "check", broken],
            ["storyboard", "render", broken, "--out", tmp_path / "s.html"],
            ["canvas", "check", broken],
            ["canvas", "render", broken],
            ["canvas", "score", broken, "--format", "json"],
        ]
    return [
        ["careers", "--catalog", broken],
        ["assign", DEMO_ROSTER, "--seed", "1", "--catalog", broken],
    ]


@pytest.mark.parametrize("kind", list(BROKEN))
@pytest.mark.parametrize("suffix", [".csv", ".json", ".yaml"])
def test_every_command_on_a_broken_file_exits_cleanly(cli, tmp_path: Path, suffix: str, kind: str) -> None:
    """Each command that reads a file, given each broken file: exit 1 with one error line (or a clean 0), no traceback."""
    broken = _materialise(tmp_path, kind, suffix)
    for args in _commands(broken, suffix, tmp_path):
        r = cli(*args)
        _assert_clean_exit(r)
        assert r.code in (0, 1), (args, r.err[:300])


@pytest.mark.parametrize(
    "args",
    [
        ["assign", DEMO_ROSTER],
        ["assign", DEMO_ROSTER, "--seed", "abc"],
        ["assign", DEMO_ROSTER, "--seed", "9" * 5000],
        ["match", "a.csv", "b.csv", "--per-student", "many"],
        ["questions", "--career", "x", "--minutes", "soon"],
        ["outreach", "--kind", "telegram", "--career", "x"],
        ["outreach", "--kind", "thanks", "--career", "x", "--date", "2026-02-30"],
        ["storyboard", "explode", "x.json"],
        ["interviews", "summary", "log.csv", "--target", "1e9"],
        ["course", "autograde", "m1", "--jobs", "two"],
        ["nonsense"],
        [],
    ],
)
def test_usage_errors_exit_2_with_argparse_usage(cli, args: list[object]) -> None:
    """Malformed arguments are argparse's business: exit 2 and its usage, no traceback."""
    r = cli(*args)
    assert r.code == 2
    _assert_clean_exit(r)


@pytest.mark.parametrize(
    "args",
    [
        ["questions", "--career", "x", "--minutes", "nan"],
        ["questions", "--career", "x", "--minutes", "inf"],
        ["questions", "--career", "x", "--minutes", "-5"],
        ["interviews", "summary", DATA / "interviews" / "valid.csv", "--target", "0"],
        ["match", DATA / "network" / "directory.csv", DIRECTORY, "--per-student", "-3"],
        ["assign", DEMO_ROSTER, "--seed", "1", "--redraw", "s001"],
        ["careers", "--sector", "=cmd"],
        ["course", "export", "--course", "/nonexistent/careerkit-course"],
        ["course", "release", "m9", "--course", "/nonexistent/careerkit-course"],
    ],
)
def test_odd_values_are_one_line_errors(cli, args: list[object]) -> None:
    """Values argparse accepts but the library refuses: exit 1 and one error line."""
    r = cli(*args)
    assert r.code == 1, r.err
    _assert_clean_exit(r)


@pytest.mark.parametrize("where", ["folder", "under_a_file", "missing_parent_in_a_file"])
@pytest.mark.parametrize("command", ["assign", "score-reflections", "match", "storyboard", "questions"])
def test_out_that_cannot_be_written_is_a_one_line_error(cli, tmp_path: Path, command: str, where: str) -> None:
    """--out naming a folder, or a path under a file: exit 1 with one line, and nothing replaced."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("keep me", encoding="utf-8")
    out = {"folder": tmp_path, "under_a_file": blocker / "out.csv", "missing_parent_in_a_file": blocker / "a" / "b" / "out.csv"}[where]
    reflections = tmp_path / "r.csv"
    reflections.write_text("id,text\n1,I learned a lot.\n", encoding="utf-8")
    assigned = tmp_path / "assigned.csv"
    assert cli("assign", DEMO_ROSTER, "--seed", "1", "--out", assigned).code == 0
    args = {
        "assign": ["assign", DEMO_ROSTER, "--seed", "1", "--out", out],
        "score-reflections": ["score-reflections", reflections, "--out", out],
        "match": ["match", assigned, DIRECTORY, "--out", out],
        "storyboard": ["storyboard", "render", STORYBOARD, "--out", out],
        "questions": ["questions", "--career", CAREER.id, "--out", out],
    }[command]
    r = cli(*args)
    assert r.code == 1, r.err
    _assert_clean_exit(r)
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("image", ["x" * 5000 + ".png", "a/" + "b" * 300 + "/c.png", "pic\u0000.png", "/", ".", "..", "/dev/null", "\U0001f600.png"])
def test_storyboard_odd_picture_paths_are_findings_or_errors(cli, tmp_path: Path, image: str) -> None:
    """A picture path that no file system can hold, a folder or a device: a finding or a one-line error, no OSError."""
    board = json.loads(STORYBOARD.read_text(encoding="utf-8"))
    board["panels"][0]["image"] = image
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board), encoding="utf-8")
    for action in ("check", "render"):
        _assert_clean_exit(cli("storyboard", action, path))


def test_lone_surrogate_in_json_is_refused_before_it_reaches_output(tmp_path: Path) -> None:
    """A JSON "\\ud800" escape (half a character) is a DataError on read, not a UnicodeEncodeError on print or save."""
    board = STORYBOARD.read_text(encoding="utf-8").replace('"title": "', '"title": "\\ud800', 1)
    path = tmp_path / "board.json"
    path.write_text(board, encoding="utf-8")
    with pytest.raises(CareerkitError, match="half a character"):
        storyboard.load(path)
    paired = tmp_path / "paired.json"
    paired.write_text(STORYBOARD.read_text(encoding="utf-8").replace('"title": "', '"title": "\\ud83d\\ude00 ', 1), encoding="utf-8")
    assert storyboard.load(paired).title.startswith("\U0001f600")


def _multiline_cases(tmp_path: Path) -> dict[str, list[object]]:
    roster = tmp_path / "roster.csv"
    roster.write_text(csv_text(["student_id", "discipline"], [["s1", "Bio\nlogy\x1b[2J"]]), encoding="utf-8")
    board = json.loads(STORYBOARD.read_text(encoding="utf-8"))
    board["panels"][0]["dialog\nue"] = "x"
    story = tmp_path / "board.json"
    story.write_text(json.dumps(board), encoding="utf-8")
    return {"roster_discipline": ["assign", roster, "--seed", "1"], "storyboard_key": ["storyboard", "check", story]}


@pytest.mark.parametrize("case", ["roster_discipline", "storyboard_key"])
def test_a_newline_inside_an_offending_value_stays_one_line(cli, tmp_path: Path, case: str) -> None:
    """A value with a newline or an escape sequence still gives exactly one printable error line."""
    r = cli(*_multiline_cases(tmp_path)[case])
    assert r.code == 1
    assert len(r.err.splitlines()) == 1 and "\x1b" not in r.err


# --- a real process: nothing but one line reaches the terminal --------------------------


@pytest.mark.parametrize(
    ("kind", "argv"),
    [
        ("utf16_with_bom", ["assign", "{path}.csv", "--seed", "1"]),
        ("deep_json_list", ["storyboard", "check", "{path}.json"]),
        ("json_huge_number", ["canvas", "score", "{path}.json"]),
        ("json_lone_surrogate", ["storyboard", "render", "{path}.json"]),
        ("yaml_bomb", ["careers", "--catalog", "{path}.yaml"]),
        ("yaml_impossible_date", ["careers", "--catalog", "{path}.yaml"]),
        ("folder", ["score-reflections", "{path}.csv"]),
        ("empty", ["assign", DEMO_ROSTER, "--seed", "1", "--out", "{tmp}"]),
    ],
)
def test_subprocess_prints_one_line_and_no_traceback(tmp_path: Path, kind: str, argv: list[object]) -> None:
    """Run as `python -m careerkit.cli`: exit 1, exactly one `careerkit: error:` line on stderr, no traceback."""
    base = tmp_path / "broken"
    for suffix in (".csv", ".json", ".yaml"):
        _materialise(tmp_path, kind, suffix)
    args = [str(a).format(path=base, tmp=tmp_path) for a in argv]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "careerkit.cli", *args], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("careerkit: error: "), proc.stderr[:500]
