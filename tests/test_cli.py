"""The CLI contracts, called exactly as the issues write them."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from careerkit.files import data_path

from conftest import DATA, SMALL_CAREERS

ROSTERS = DATA / "roster"
DEMO_ROSTER = data_path("demo_roster.csv")


def test_careers_csv_has_the_contract_columns(cli, catalog):
    """`careers --format csv` prints id,title,sector,traditional,disciplines and one row per career."""
    r = cli("careers", "--format", "csv")
    assert r.code == 0
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert {"id", "title", "sector", "traditional", "disciplines"} <= set(rows[0])
    assert len(rows) == len(catalog)


def test_careers_filtered_by_sector(cli):
    """`careers --sector S` lists only that sector, as JSON when asked."""
    r = cli("careers", "--sector", "regulatory_affairs", "--format", "json")
    assert r.code == 0
    records = json.loads(r.out)
    assert records and {c["sector"] for c in records} == {"regulatory_affairs"}
    assert set(records[0]["competencies"]) >= {"communication", "teamwork"}


def test_careers_unknown_sector_is_one_line_error(cli):
    """An unknown sector exits 1 with a one-line message suggesting the right id."""
    r = cli("careers", "--sector", "consultng")
    assert r.code == 1
    assert r.err.count("\n") == 1 and "did you mean 'consulting'" in r.err


def test_careers_table_is_readable(cli):
    """The default table format names the count at the end."""
    r = cli("careers")
    assert r.code == 0 and r.out.rstrip().endswith("careers")


def test_assign_writes_sorted_csv_with_contract_columns(cli, tmp_path):
    """`assign ROSTER --seed N --out OUT` writes one row per student sorted by student_id."""
    out = tmp_path / "out.csv"
    r = cli("assign", DEMO_ROSTER, "--seed", "42", "--out", out)
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {"student_id", "career_id", "career_title", "sector"} <= set(rows[0])
    ids = [row["student_id"] for row in rows]
    assert ids == sorted(ids) and len(ids) == 24


def test_assign_without_out_prints_a_table(cli):
    """Without --out the assignment is a readable table on stdout, non-ASCII names intact."""
    r = cli("assign", DEMO_ROSTER, "--seed", "42")
    assert r.code == 0
    assert "José Hernández" in r.out and "career_title" in r.out


def test_assign_is_byte_identical_across_runs(cli, tmp_path):
    """Two runs with the same seed write byte-identical files."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    cli("assign", DEMO_ROSTER, "--seed", "5", "--out", a)
    cli("assign", DEMO_ROSTER, "--seed", "5", "--out", b)
    assert a.read_bytes() == b.read_bytes()


def test_assign_previous_and_redraw(cli, tmp_path):
    """--previous keeps careers; --redraw changes one student and records the reason."""
    prev, nxt = tmp_path / "prev.csv", tmp_path / "next.csv"
    assert cli("assign", DEMO_ROSTER, "--seed", "8", "--out", prev).code == 0
    r = cli("assign", DEMO_ROSTER, "--seed", "8", "--previous", prev, "--redraw", "s003", "--reason", "conflict of interest", "--out", nxt)
    assert r.code == 0, r.err
    before = {row["student_id"]: row for row in csv.DictReader(io.StringIO(prev.read_text(encoding="utf-8")))}
    after = {row["student_id"]: row for row in csv.DictReader(io.StringIO(nxt.read_text(encoding="utf-8")))}
    changed = [sid for sid in before if before[sid]["career_id"] != after[sid]["career_id"]]
    assert changed == ["s003"]
    assert after["s003"]["rule"] == "redrawn" and "conflict of interest" in after["s003"]["reason"]


def test_redraw_without_previous_is_refused(cli, tmp_path):
    """--redraw without --previous/--reason/--out is a one-line error."""
    r = cli("assign", DEMO_ROSTER, "--seed", "8", "--redraw", "s003")
    assert r.code == 1 and "--redraw needs" in r.err


@pytest.mark.parametrize(
    ("fixture", "catalog", "needle"),
    [
        ("duplicate_id.csv", None, "line 4"),
        ("missing_student_id_column.csv", None, "missing column 'student_id'"),
        ("header_only.csv", None, "empty"),
        ("zero_bytes.csv", None, "empty"),
        ("latin1.csv", None, "not UTF-8"),
        ("bad_avoid.csv", SMALL_CAREERS, "'vc-analist' names no career or sector"),
        ("no_eligible.csv", SMALL_CAREERS, "no eligible career left"),
    ],
)
def test_bad_input_exits_nonzero_and_writes_nothing(cli, tmp_path, fixture, catalog, needle):
    """Bad rosters exit 1 with one line naming the file and problem; --out is never created."""
    out = tmp_path / "out.csv"
    args = ["assign", ROSTERS / fixture, "--seed", "1", "--out", out]
    if catalog:
        args += ["--catalog", catalog]
    r = cli(*args)
    assert r.code == 1
    assert r.err.count("\n") == 1 and needle in r.err and fixture in r.err
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_failed_run_leaves_previous_output_intact(cli, tmp_path):
    """An error never replaces an existing --out file."""
    out = tmp_path / "out.csv"
    out.write_text("keep me\n", encoding="utf-8")
    assert cli("assign", ROSTERS / "duplicate_id.csv", "--seed", "1", "--out", out).code == 1
    assert out.read_text(encoding="utf-8") == "keep me\n"


def test_successful_run_replaces_output_atomically(cli, tmp_path):
    """A successful write replaces the file whole (no temporary files left beside it)."""
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    assert cli("assign", DEMO_ROSTER, "--seed", "1", "--out", out).code == 0
    assert out.read_text(encoding="utf-8").startswith("student_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_missing_roster_file_is_one_line_error(cli, tmp_path):
    """A roster path that does not exist exits 1 with one line."""
    r = cli("assign", tmp_path / "nope.csv", "--seed", "1")
    assert r.code == 1 and "file not found" in r.err and r.err.count("\n") == 1


def test_missing_seed_is_a_usage_error(cli):
    """--seed is required: argparse exits 2 with usage."""
    r = cli("assign", DEMO_ROSTER)
    assert r.code == 2 and "--seed" in r.err


def test_console_script_runs(tmp_path):
    """The installed `careerkit` console script runs from a shell (as tests outside the project call it)."""
    exe = shutil.which("careerkit", path=str(Path(sys.executable).parent)) or shutil.which("careerkit")
    assert exe, "careerkit console script not installed"
    out = tmp_path / "o.csv"
    proc = subprocess.run([exe, "assign", str(DEMO_ROSTER), "--seed", "3", "--out", str(out)], capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 25


@pytest.mark.slow
def test_demo_runs_a_whole_course(cli, tmp_path):
    """`careerkit demo --students 5` creates, releases, submits (five broken), autogrades, gives feedback and exports."""
    out = tmp_path / "demo"
    r = cli("demo", "--out", out, "--students", "5", "--quiet")
    assert r.code == 0, r.err
    assert "Amara Okafor" in (out / "assignments.csv").read_text(encoding="utf-8")
    for what in ("Autograde:", "Grades (points per module):", "grades.csv", "grades-canvas.csv", "Broken on purpose"):
        assert what in r.out
    assert "[failed]" not in r.out and r.out.count("[graded with problems]") == 5
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 5 and all(row["m1-skills"] != "" for row in rows)
    assert len(list((out / "feedback").glob("*/*/*.html"))) == 24  # 25 submissions, one not a notebook any more
    again = cli("demo", "--out", out, "--students", "2", "--quiet")  # an earlier demo folder is replaced
    assert again.code == 0, again.err
    assert len(list(csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))) == 2


def test_demo_never_replaces_a_folder_it_did_not_make(cli, tmp_path):
    """A non-empty folder without the demo's marker is left alone: one-line error, exit 1."""
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    r = cli("demo", "--out", tmp_path, "--quiet")
    assert r.code == 1 and "not made by careerkit demo" in r.err
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"


# --- interview toolkit (issue 4) ---------------------------------------------------------

EXAMPLES = data_path("examples")


def test_questions_json_has_contract_fields(cli):
    """`questions --format json` prints objects with category, text, why, hope, minutes, competencies within the time."""
    r = cli("questions", "--career", "medical-science-liaison", "--profile", EXAMPLES / "profile.json", "--minutes", "30", "--seed", "4", "--format", "json")
    assert r.code == 0, r.err
    items = json.loads(r.out)
    assert items and all({"category", "text", "why", "hope", "minutes", "competencies"} <= set(q) for q in items)
    assert sum(q["minutes"] for q in items) <= 30
    assert all(q["why"].strip() and q["hope"].strip() for q in items)
    cats = {q["category"] for q in items}
    assert {"path", "skills", "network_luck", "closing"} <= cats


def test_questions_html_to_file(cli, tmp_path):
    """`questions --format html --out FILE` writes a standalone page with print styles."""
    out = tmp_path / "guide.html"
    r = cli("questions", "--career", "patent-agent", "--format", "html", "--out", out)
    assert r.code == 0, r.err
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "@media print" in page


def test_questions_unknown_career_is_one_line_error(cli):
    """A misspelt career id exits 1 with a suggestion."""
    r = cli("questions", "--career", "patent-agnt")
    assert r.code == 1 and "did you mean 'patent-agent'" in r.err and r.err.count("\n") == 1


@pytest.mark.parametrize("kind", ["email", "linkedin", "peer", "followup"])
def test_outreach_kinds(cli, kind):
    """Each outreach kind prints a message that passes its own checks (exit 0)."""
    r = cli("outreach", "--kind", kind, "--career", "patent-agent", "--to-role", "patent agent")
    assert r.code == 0, r.err
    assert r.out.strip()


def test_outreach_thanks_needs_advice(cli):
    """A thank-you note without the advice it names is a one-line error; with it, it prints."""
    r = cli("outreach", "--kind", "thanks", "--career", "patent-agent")
    assert r.code == 1 and "--advice" in r.err
    r = cli("outreach", "--kind", "thanks", "--career", "patent-agent", "--advice", "take the patent bar practice exam before applying")
    assert r.code == 0 and "patent bar" in r.out


def test_interviews_summary(cli):
    """`interviews summary LOG.csv --target N` prints progress toward the target."""
    r = cli("interviews", "summary", EXAMPLES / "interview_log.csv", "--target", "10")
    assert r.code == 0, r.err
    assert "of 10 interviews" in r.out


def test_match_never_exceeds_capacity(cli, tmp_path):
    """`match` suggests up to --per-student contacts per student, never more than a contact's capacity."""
    assigned = tmp_path / "a.csv"
    assert cli("assign", DEMO_ROSTER, "--seed", "1", "--out", assigned).code == 0
    out = tmp_path / "m.csv"
    r = cli("match", assigned, EXAMPLES / "directory.csv", "--per-student", "2", "--seed", "3", "--out", out)
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    per_student: dict[str, int] = {}
    per_contact: dict[str, int] = {}
    for row in rows:
        per_student[row["student_id"]] = per_student.get(row["student_id"], 0) + 1
        per_contact[row["contact_id"]] = per_contact.get(row["contact_id"], 0) + 1
    assert max(per_student.values()) <= 2
    capacity = {row["contact_id"]: int(row["max_students"]) for row in csv.DictReader(io.StringIO((EXAMPLES / "directory.csv").read_text(encoding="utf-8")))}
    assert all(n <= capacity[c] for c, n in per_contact.items())


# --- storyboard and canvas (issue 5) -------------------------------------------------------

STORY_FIXTURES = DATA / "storyboard"
CANVAS_FIXTURES = DATA / "canvas"


def test_storyboard_check_example_passes(cli):
    """The shipped example storyboard passes `storyboard check` (exit 0)."""
    r = cli("storyboard", "check", EXAMPLES / "storyboard.json")
    assert r.code == 0 and "No problems found" in r.out


def test_storyboard_check_reports_each_error_on_one_line(cli):
    """A storyboard with too few panels exits 1, one line per problem."""
    r = cli("storyboard", "check", STORY_FIXTURES / "too_few_panels.json")
    assert r.code == 1
    assert r.out.strip() and all(line.startswith(("error", "warning")) for line in r.out.strip().splitlines())


def test_storyboard_render_writes_html(cli, tmp_path):
    """`storyboard render --out` writes a standalone HTML comic strip with the panels' text."""
    out = tmp_path / "sb.html"
    assert cli("storyboard", "render", EXAMPLES / "storyboard.json", "--out", out).code == 0
    page = out.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "data:image/svg+xml" in page


def test_storyboard_not_json_is_one_line_error(cli):
    """A storyboard file that is not JSON is a one-line error naming the file."""
    r = cli("storyboard", "check", STORY_FIXTURES / "not_json.json")
    assert r.code == 1 and "not_json.json" in r.err and r.err.count("\n") == 1


def test_canvas_score_json_contract(cli):
    """`canvas score --format json` prints total, max and per-criterion points."""
    r = cli("canvas", "score", EXAMPLES / "canvas.json", "--format", "json")
    assert r.code == 0
    result = json.loads(r.out)
    assert result["max"] == 10.0 and 0 <= result["total"] <= result["max"]
    assert set(result["criteria"]) == {"completeness", "coherence", "specificity"}
    assert sum(c["points"] for c in result["criteria"].values()) == pytest.approx(result["total"])


def test_canvas_check_and_render(cli, tmp_path):
    """`canvas check` exits 1 on an empty block; `canvas render --out` writes the nine-block layout."""
    r = cli("canvas", "check", CANVAS_FIXTURES / "empty_block.json")
    assert r.code == 1 and "error" in r.out
    out = tmp_path / "c.html"
    assert cli("canvas", "render", EXAMPLES / "canvas.json", "--out", out).code == 0
    assert "value" in out.read_text(encoding="utf-8").lower()
