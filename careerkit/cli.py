"""The ``careerkit`` command: parse arguments, make one library call, print, exit.

Library errors (:class:`~careerkit.errors.CareerkitError`) become one line on
stderr and exit status 1; usage errors exit 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from careerkit import __version__
from careerkit.errors import CareerkitError, UsageError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``careerkit`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except CareerkitError as exc:
        print(f"careerkit: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("careerkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _one_line(message: str) -> str:
    """An error is one line on the terminal: whitespace runs become one space, control characters are escaped."""
    flat = " ".join(message.split())
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in flat)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerkit", description="Career exploration course kit: catalogs, fair career assignment, interviews, reflections, storyboards, canvases, nbgrader course.")
    parser.add_argument("--version", action="version", version=f"careerkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_careers(sub)
    _add_assign(sub)
    _add_score_reflections(sub)
    _add_questions(sub)
    _add_outreach(sub)
    _add_interviews(sub)
    _add_match(sub)
    _add_storyboard(sub)
    _add_canvas(sub)
    _add_course(sub)
    _add_dashboard(sub)
    _add_demo(sub)
    return parser


def _write_or_print(text: str, out: str | None) -> None:
    from careerkit.files import atomic_write_text

    if out:
        atomic_write_text(out, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- careers ----------------------------------------------------------------------------


def _add_careers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("careers", help="list the careers catalog")
    p.add_argument("--sector", help="only careers of this sector id")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--catalog", help="another careers YAML file to validate and list")
    p.set_defaults(handler=_careers)


def _careers(args: argparse.Namespace) -> int:
    from careerkit.catalog import load_catalog
    from careerkit.files import csv_text

    catalog = load_catalog(careers=args.catalog) if args.catalog else load_catalog()
    careers = catalog.in_sector(args.sector) if args.sector else catalog.careers
    if args.format == "json":
        records = [
            {
                "id": c.id,
                "title": c.title,
                "sector": c.sector,
                "onet_soc": c.onet_soc,
                "traditional": c.traditional,
                "disciplines": list(c.disciplines),
                "competencies": dict(c.competencies),
                "values_met": list(c.values_met),
                "values_strained": list(c.values_strained),
                "description": c.description,
                "entry_routes": list(c.entry_routes),
            }
            for c in careers
        ]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return EXIT_OK
    header = ["id", "title", "sector", "traditional", "disciplines", "onet_soc"]
    rows = [[c.id, c.title, c.sector, str(c.traditional).lower(), ";".join(c.disciplines), c.onet_soc or ""] for c in careers]
    if args.format == "csv":
        sys.stdout.write(csv_text(header, rows))
        return EXIT_OK
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    print(f"\n{len(rows)} careers" + (f" in sector {args.sector}" if args.sector else ""))
    return EXIT_OK


# --- assign -----------------------------------------------------------------------------


def _add_assign(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assign", help="assign a career to every student on a roster, at random, fairly")
    p.add_argument("roster", metavar="ROSTER.csv")
    p.add_argument("--seed", type=int, required=True, help="random seed (same roster, catalog and seed give the same result)")
    p.add_argument("--previous", metavar="PREV.csv", help="earlier assignment: students in it keep their career")
    p.add_argument("--include-traditional", action="store_true", help="also draw traditional careers (faculty, postdoc...)")
    p.add_argument("--catalog", metavar="FILE", help="careers YAML file to draw from instead of the shipped catalog")
    p.add_argument("--out", metavar="OUT.csv", help="write the assignment CSV here (atomically) instead of printing a table")
    p.add_argument("--redraw", metavar="STUDENT_ID", help="draw a new career for this student only (needs --previous, --reason, --out)")
    p.add_argument("--reason", metavar="TEXT", help="why the student is redrawn (recorded in the file)")
    p.set_defaults(handler=_assign)


def _assign(args: argparse.Namespace) -> int:
    from careerkit.assignment import assign, load_assignments, redraw
    from careerkit.catalog import load_catalog
    from careerkit.roster import load_roster

    if args.redraw and not (args.previous and args.reason and args.out):
        raise UsageError("--redraw needs --previous PREV.csv, --reason TEXT and --out OUT.csv")
    catalog = load_catalog(careers=args.catalog) if args.catalog else load_catalog()
    roster = load_roster(args.roster, catalog)
    previous = load_assignments(args.previous) if args.previous else None
    if args.redraw:
        assert previous is not None
        result = redraw(roster, args.seed, previous=previous, student_id=args.redraw, reason=args.reason, catalog=catalog, include_traditional=args.include_traditional)
    else:
        result = assign(roster, args.seed, catalog=catalog, previous=previous, include_traditional=args.include_traditional)
    if args.out:
        path = result.write_csv(args.out)
        rules = {r: sum(1 for a in result if a.rule == r) for r in ("drawn", "kept", "redrawn")}
        summary = ", ".join(f"{n} {r}" for r, n in rules.items() if n)
        print(f"Assigned {len(result)} students to {len(result.counts())} careers ({summary}); wrote {path}")
    else:
        print(result.table())
        print(f"\n{len(result)} students, {len(result.counts())} careers, seed {args.seed}")
    return EXIT_OK


# --- score-reflections ----------------------------------------------------------------


def _add_score_reflections(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score-reflections", help="score written reflections against the course rubric (level 0-3, competencies)")
    p.add_argument("input", metavar="IN.csv")
    p.add_argument("--out", metavar="OUT.csv", help="write here (atomically) instead of stdout")
    p.add_argument("--text-column", default="text")
    p.add_argument("--id-column", default="id")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(handler=_score_reflections)


def _score_reflections(args: argparse.Namespace) -> int:
    from careerkit.files import csv_text
    from careerkit.reflection import score_csv

    header, records = score_csv(args.input, text_column=args.text_column, id_column=args.id_column)
    if args.format == "json":
        text = json.dumps(records, indent=2, ensure_ascii=False)
    else:
        text = csv_text(header, [[r.get(h, "") for h in header] for r in records])
    _write_or_print(text, args.out)
    failed = sum(1 for r in records if r["error"])
    if args.out:
        levels = [r["level"] for r in records if r["level"] != ""]
        counts = ", ".join(f"level {k}: {levels.count(k)}" for k in range(4))
        print(f"Scored {len(levels)} of {len(records)} reflections ({counts}); wrote {args.out}", file=sys.stderr)
    if failed:
        print(f"careerkit: {failed} row(s) could not be scored; see the error column", file=sys.stderr)
    return EXIT_OK


# --- interview toolkit ----------------------------------------------------------------


def _add_questions(sub: argparse._SubParsersAction) -> None:
    from careerkit.questions import DEFAULT_MINUTES, FORMATS

    p = sub.add_parser("questions", help="build an informational-interview guide for a career")
    p.add_argument("--career", required=True, metavar="CAREER_ID")
    p.add_argument("--profile", metavar="PROFILE.json", help="the student's profile (default: a neutral one)")
    p.add_argument("--minutes", type=float, default=DEFAULT_MINUTES, help=f"interview length (default {DEFAULT_MINUTES:g})")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=FORMATS, default="md")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(handler=_questions)


def _questions(args: argparse.Namespace) -> int:
    from careerkit.questions import render_guide

    text = render_guide(args.career, profile=args.profile, minutes=args.minutes, seed=args.seed, fmt=args.format)
    _write_or_print(text, args.out)
    if args.out:
        print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _add_outreach(sub: argparse._SubParsersAction) -> None:
    from careerkit.outreach import KINDS

    p = sub.add_parser("outreach", help="draft an outreach message (email, LinkedIn note, peer, follow-up, thank-you)")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--career", required=True, metavar="CAREER_ID")
    p.add_argument("--profile", metavar="PROFILE.json")
    p.add_argument("--to-role", metavar="ROLE", help="the recipient's role, e.g. 'regulatory affairs manager'")
    p.add_argument("--connection", default="", help="how you are connected (leads the message)")
    p.add_argument("--sender", default="", help="your name, to sign with")
    p.add_argument("--advice", help="thanks only: the one piece of advice you will act on")
    p.add_argument("--date", type=_iso_date, help="thanks only: the interview date (YYYY-MM-DD, default today)")
    p.set_defaults(handler=_outreach)


def _iso_date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-23") from None


def _outreach(args: argparse.Namespace) -> int:
    from careerkit.outreach import compose_message

    msg = compose_message(args.kind, args.career, profile=args.profile, to_role=args.to_role, connection=args.connection, sender=args.sender, advice=args.advice, interviewed_at=args.date)
    print(msg)
    problems = msg.check()
    for problem in problems:
        print(f"careerkit: warning: {problem}", file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_OK


def _add_interviews(sub: argparse._SubParsersAction) -> None:
    from careerkit.interviews import DEFAULT_TARGET

    p = sub.add_parser("interviews", help="interview logs")
    isub = p.add_subparsers(dest="interviews_command", required=True, metavar="ACTION")
    s = isub.add_parser("summary", help="progress toward the interview target, outcomes, overdue thank-you notes")
    s.add_argument("log", metavar="LOG.csv")
    s.add_argument("--target", type=int, default=DEFAULT_TARGET, help=f"interviews to aim for (default {DEFAULT_TARGET})")
    s.set_defaults(handler=_interviews_summary)


def _interviews_summary(args: argparse.Namespace) -> int:
    from careerkit.interviews import summarise_log

    print(summarise_log(args.log, target=args.target))
    return EXIT_OK


def _add_match(sub: argparse._SubParsersAction) -> None:
    from careerkit.network import DEFAULT_PER_STUDENT

    p = sub.add_parser("match", help="suggest alumni and mentors to contact for each student's career")
    p.add_argument("assignments", metavar="ROSTER_ASSIGNMENTS.csv")
    p.add_argument("directory", metavar="DIRECTORY.csv")
    p.add_argument("--per-student", type=int, default=DEFAULT_PER_STUDENT)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="OUT.csv", help="write the suggestions as CSV (atomically)")
    p.set_defaults(handler=_match)


def _match(args: argparse.Namespace) -> int:
    from careerkit.network import match_files

    matches = match_files(args.assignments, args.directory, per_student=args.per_student, seed=args.seed)
    if args.out:
        matches.write_csv(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    print(matches)
    return EXIT_OK


# --- storyboard and canvas ------------------------------------------------------------


def _add_storyboard(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("storyboard", help="check or render a business storyboard (JSON)")
    p.add_argument("action", choices=("check", "render"))
    p.add_argument("path", metavar="STORYBOARD.json")
    p.add_argument("--out", metavar="FILE.html", help="render: write the comic strip here (default: stdout)")
    p.set_defaults(handler=_storyboard)


def _storyboard(args: argparse.Namespace) -> int:
    from careerkit import storyboard

    if args.action == "check":
        return _print_findings(storyboard.check_file(args.path))
    _write_or_print(storyboard.render_file(args.path), args.out)
    return EXIT_OK


def _add_canvas(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("canvas", help="check, render or score a business model canvas (JSON)")
    p.add_argument("action", choices=("check", "render", "score"))
    p.add_argument("path", metavar="CANVAS.json")
    p.add_argument("--out", metavar="FILE.html", help="render: write the canvas here (default: stdout)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="score: output format")
    p.set_defaults(handler=_canvas)


def _canvas(args: argparse.Namespace) -> int:
    from careerkit import canvas

    if args.action == "check":
        return _print_findings(canvas.check_file(args.path))
    if args.action == "render":
        _write_or_print(canvas.render_file(args.path), args.out)
        return EXIT_OK
    result = canvas.score_file(args.path)
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.format == "json" else result)
    return EXIT_OK


def _print_findings(findings: Sequence[object]) -> int:
    """One line per finding; exit 1 when any is an error."""
    from careerkit.drafts import findings_text, has_errors

    print(findings_text(findings))
    return EXIT_ERROR if has_errors(findings) else EXIT_OK


# --- course -----------------------------------------------------------------------------


def _add_course(sub: argparse._SubParsersAction) -> None:
    from careerkit.course import DEFAULT_SEED

    p = sub.add_parser("course", help="the nbgrader course: init, release, autograde, feedback, export")
    csub = p.add_subparsers(dest="course_command", required=True, metavar="ACTION")
    s = csub.add_parser("init", help="create a ready course directory (template, roster, assigned careers, gradebook)")
    s.add_argument("dir", metavar="DIR", help="a new (or empty) folder")
    s.add_argument("--roster", metavar="ROSTER.csv", help="the class roster (default: the demo roster)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the random career assignment (default: {DEFAULT_SEED})")
    s.add_argument("--db", metavar="URL", help="gradebook database URL (default: SQLite gradebook.db in the course)")
    s.add_argument("--timeout", type=int, metavar="SECONDS", help="per-cell time limit during autograde (default: 60)")
    s.set_defaults(handler=_course_init)
    for name, helptext, handler in (
        ("release", "generate the student versions of a module (nbgrader generate_assignment) with the files they need", _course_release),
        ("autograde", "autograde every submission of a module, in parallel, with a summary", _course_autograde),
        ("feedback", "generate feedback pages for autograded submissions", _course_feedback),
    ):
        s = csub.add_parser(name, help=helptext)
        s.add_argument("module", metavar="MODULE|all", help="a module id (m1-skills ... m5-canvas, or m1 ... m5) or all")
        s.add_argument("--course", default=".", metavar="DIR", help="the course directory (default: .)")
        if name == "autograde":
            s.add_argument("--jobs", type=int, default=1, metavar="N", help="submissions graded at once (default: 1)")
            s.add_argument("--timeout", type=int, metavar="SECONDS", help="per-cell time limit (default: the course's)")
            s.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
            s.add_argument("--quiet", action="store_true", help="no progress bar")
        s.set_defaults(handler=handler)
    s = csub.add_parser("export", help="export grades from the gradebook")
    s.add_argument("--course", default=".", metavar="DIR", help="the course directory (default: .)")
    s.add_argument("--format", choices=("csv", "canvas"), default="csv", help="csv (one row per student) or canvas (Canvas gradebook import)")
    s.add_argument("--out", metavar="FILE", help="output file (default: grades.csv or grades-canvas.csv in the course)")
    s.set_defaults(handler=_course_export)


def _course_init(args: argparse.Namespace) -> int:
    from careerkit import course

    c = course.init(args.dir, roster=args.roster, seed=args.seed, db_url=args.db, timeout=args.timeout)
    result = c.assignments()
    print(result.table())
    print()
    print(f"Created course {c.root}: {len(result)} students, careers assigned with seed {args.seed} ({course.ASSIGNMENTS_FILE}).")
    print(f"Next: careerkit course release all --course {args.dir}")
    return EXIT_OK


def _print_steps(results: list) -> int:
    for r in results:
        print(f"{r.module}: {'ok' if r.ok else 'FAILED'} - {r.message}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_ERROR


def _course_release(args: argparse.Namespace) -> int:
    from careerkit import course

    return _print_steps(course.release(course.Course.open(args.course), args.module))


def _course_feedback(args: argparse.Namespace) -> int:
    from careerkit import course

    return _print_steps(course.feedback(course.Course.open(args.course), args.module))


def _course_autograde(args: argparse.Namespace) -> int:
    from careerkit import autograde, course

    c = course.Course.open(args.course)
    report = autograde.autograde(c, args.module, jobs=args.jobs, timeout=args.timeout, students=args.student, progress=not args.quiet)
    if not report.outcomes and not report.interrupted:
        print(f"No submissions to grade for {args.module} in {c.root / 'submitted'}.")
        return EXIT_OK
    print(report.summary())
    print(f"Report: {c.root / autograde.REPORT_FILE}")
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_ERROR if report.failed else EXIT_OK


def _course_export(args: argparse.Namespace) -> int:
    from careerkit import course, grades

    path = grades.export(course.Course.open(args.course), args.format, args.out)
    print(f"Wrote {path}")
    return EXIT_OK


# --- dashboard and symposium --------------------------------------------------------------


def _add_dashboard(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="the cohort dashboard: one self-contained HTML file (runs the notebook with papermill)")
    p.add_argument("course_dir", metavar="COURSE_DIR", help="the course directory")
    p.add_argument("--out", metavar="report.html", help="output file (default: COURSE_DIR/reports/cohort-dashboard.html)")
    p.add_argument("--anonymise", action="store_true", help="pseudonyms instead of student names and ids")
    p.add_argument("--target", type=int, default=3, metavar="N", help="interviews each student should log (default: 3)")
    p.set_defaults(handler=_dashboard)
    p = sub.add_parser("symposium", help="the symposium booklet: one page per career the cohort explored")
    p.add_argument("course_dir", metavar="COURSE_DIR", help="the course directory")
    p.add_argument("--out", metavar="booklet.html", help="output file (default: COURSE_DIR/reports/symposium.html)")
    p.set_defaults(handler=_symposium)


def _dashboard(args: argparse.Namespace) -> int:
    from careerkit.report import build_dashboard

    path = build_dashboard(args.course_dir, args.out, anonymise=args.anonymise, target=args.target)
    print(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB, opens offline)")
    return EXIT_OK


def _symposium(args: argparse.Namespace) -> int:
    from careerkit.symposium import build_booklet

    path = build_booklet(args.course_dir, args.out)
    print(f"Wrote {path}")
    return EXIT_OK


# --- demo -------------------------------------------------------------------------------


def _add_demo(sub: argparse._SubParsersAction) -> None:
    from careerkit.demo import DEMO_JOBS, DEMO_OUT

    p = sub.add_parser("demo", help="run a complete demo course (create, release, submit, autograde, feedback, export)")
    p.add_argument("--out", default=DEMO_OUT, help=f"folder for the demo course (default: {DEMO_OUT}; an earlier demo there is replaced)")
    p.add_argument("--students", type=int, default=24, metavar="N", help="number of demo students (default: the 24 of the demo roster)")
    p.add_argument("--jobs", type=int, default=DEMO_JOBS, metavar="N", help=f"submissions autograded at once (default: {DEMO_JOBS})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from careerkit.demo import run_demo

    report = run_demo(args.out, students=args.students, jobs=args.jobs, progress=not args.quiet)
    print(report)
    return EXIT_ERROR if report.failed else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
