"""Write the five graded source notebooks of the course (and m2's demo careers.csv).

    python tools/build_course_notebooks.py          # rewrites course/source/<module>/<module>.ipynb

The notebooks are generated, not hand-edited: change the text or the cells here and
re-run. Test cells come from ``careerkit.grading.TESTS`` (grade ids and points), so the
notebooks, the self-check and the stated totals cannot drift apart. Notebooks are
written without outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from careerkit.answers import MODULES  # noqa: E402
from careerkit.files import atomic_write_text, csv_text, data_path  # noqa: E402
from careerkit.grading import TESTS, total_points  # noqa: E402

SOURCE = ROOT / "course" / "source"
DEMO_SEED = 2026

MISSION = (
    "In this course each of you explores a career you might never have picked: one assigned at random from careers "
    "outside the usual academic track. You find out what it is really like through **informational interviews**, short "
    "conversations where you ask and listen. Along the way you map your own **competencies** (the eight NACE "
    "career-readiness competencies) and practise **wayfinding**: starting from your discipline and looking for paths "
    "that lead somewhere new."
)
HOW = (
    "**How this notebook works.** Run all cells from the top (*Run > Run All Cells*) each time you open it. Fill in the "
    "forms: every change is saved at once in `answers.json` beside this notebook, so nothing you type is lost. Near the "
    "end, the **self-check** shows the points the graded tests will give for what you have saved. Reflections are scored "
    "automatically first and then read by a TA, who may change the score."
)
PROMPTS = {
    "skills": "Look back over your skills and values inventory. What did you learn about the skills your degree has given you, and where do you want to grow?",
    "interview": "Reflect on your informational interview. What did you learn about this career, and what did you learn about yourself: your skills, values and interests? What will you do next?",
    "storyboard": "Respond to the feedback your adviser gave on your storyboard. What resonated, what surprised you, what will you change, and what does it tell you about your own skills?",
}
TITLES = {
    "m1-skills": "Module 1: Your skills and values inventory",
    "m2-career": "Module 2: Your assigned career, and preparing an interview",
    "m3-interviews": "Module 3: Interview log and reflections",
    "m4-storyboard": "Module 4: Storyboard a business of your own",
    "m5-canvas": "Module 5: A business model canvas for your idea",
}
PART_NAMES = {
    "competencies": "Competency self-ratings", "evidence": "Evidence for each competency", "values_interests": "Discipline, values, interests",
    "reflection": "Reflection", "research": "Research notes", "guide": "Interview guide", "messages": "Outreach messages",
    "meeting": "Safe meeting plan", "interview_log": "Interview log", "thank_you_notes": "Thank-you notes",
    "interview_reflection": "Interview reflection", "storyboard": "Storyboard", "adviser_feedback": "Adviser feedback and response",
    "canvas": "Business model canvas (completeness, coherence, specificity)", "draws_on": "What the business draws on",
}  # fmt: skip


def meta(grade_id: str, *, locked: bool = True, grade: bool = False, solution: bool = False, points: float | None = None) -> dict[str, object]:
    nb: dict[str, object] = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        nb["points"] = points
    return {"nbgrader": nb}


def md(grade_id: str, text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip(), metadata=meta(grade_id))


def code(grade_id: str, source: str) -> nbformat.NotebookNode:
    return new_code_cell(source.strip(), metadata=meta(grade_id))


def parts_table(module: str) -> str:
    rows = [f"| {PART_NAMES[c.name]} {c.kwargs.get('slot', '')} | {c.points:g} |".replace("  |", " |") for c in TESTS[module]]
    return "\n".join(["| part | points |", "|---|---:|", *rows, f"| **total** | **{total_points(module):g}** |"])


def intro(module: str, lead: str) -> list[nbformat.NotebookNode]:
    text = f"# {TITLES[module]}\n\n**This module is worth {total_points(module):g} points.**\n\n{MISSION}\n\n{lead}\n\n{parts_table(module)}\n\n{HOW}"
    answers_cell = new_code_cell(
        f'from careerkit import answers, forms, grading\n\nbook = answers.open_book("{module}")\n'
        f'### BEGIN SOLUTION\nbook = answers.example_book("{module}")\n### END SOLUTION',
        metadata=meta("answers", locked=False, solution=True),
    )
    return [md("intro", text), answers_cell, code("answers-status", "book")]


def closing(module: str) -> list[nbformat.NotebookNode]:
    cells = [
        md("self-check-intro", "## Self-check\n\nRun this cell to see the points the graded tests below will give for the answers saved right now, and what would raise them. Fix what you can, then run it again."),
        code("self-check", f'grading.self_check(book, "{module}");'),
        md("tests-intro", "## Graded tests\n\nThese cells are what your grade is computed from. You do not need to change anything here; each shows what it found."),
    ]
    for check in TESTS[module]:
        if check.hidden:
            source = f"score = {check.call()}\n### BEGIN HIDDEN TESTS\nscore = {check.hidden_call()}\n### END HIDDEN TESTS\nscore"
        else:
            source = check.call()
        cells.append(new_code_cell(source, metadata=meta(check.grade_id, grade=True, points=check.points)))
    return cells


def m1() -> list[nbformat.NotebookNode]:
    m = "m1-skills"
    return [
        *intro(m, "In this first module you take stock of yourself: how you rate yourself on each competency, where you have shown it, what you value and what you are curious about. Everything later builds on it: your interview questions, your reflections, and the business you will imagine."),
        md("ratings-intro", "## 1. Rate yourself on the eight competencies\n\nMove each slider (0 = not yet, 3 = a real strength), and for each competency write **one concrete piece of evidence**: *where did I show this?* A lab, a class, a job, a club, your family: all count. Honest gaps are useful, not penalised."),
        code("form-ratings", "forms.competencies(book)"),
        md("values-intro", "## 2. Your discipline, values and interests\n\nChoose your discipline, then pick the values that matter most to you **in order of importance** (three or more), and a few interests or sectors you are curious about."),
        code("form-values", "forms.values_interests(book)"),
        md("reflection-intro", f"## 3. Reflection\n\n> {PROMPTS['skills']}\n\nWrite 150-300 words. The best reflections say what happened, what it means for *you*, and a concrete next step (who, what, by when)."),
        code("form-reflection", 'forms.reflection(book, "reflection")'),
        *closing(m),
    ]


def m2() -> list[nbformat.NotebookNode]:
    m = "m2-career"
    return [
        *intro(m, "Here you meet your assigned career, learn enough about it to ask good questions, prepare an interview guide, write to someone who does the work, and plan a safe meeting."),
        md("career-intro", "## 1. Your assigned career\n\nYour career was drawn at random from careers that draw on your discipline but lie off the usual track. If it does not show below, type your student id in the box."),
        code("career", "forms.student_id_field(book, on_change=lambda: grading.show_assignment(book))"),
        md("research-intro", "## 2. Research notes\n\nRead about the career (professional societies, job ads, articles, people's profiles). Summarise it in your own words, note what surprised you, and list your sources."),
        code("form-research", "forms.research(book)"),
        md("guide-intro", "## 3. Your interview guide\n\nBuild a guide that fits the time you will have. Questions are chosen for your career and, if you completed Module 1 beside this folder, for your profile. Then make it yours: rewrite each **why I ask** and **what I hope to hear** in your own words, reorder, and remove what you would not ask. If you cannot say what you hope to hear, don't ask the question."),
        code("form-guide", "forms.question_guide(book)"),
        md("outreach-intro", "## 4. Reach out\n\nWrite a short email (under 100 words) and a LinkedIn note (300 characters at most). Lead with your connection, ask for a conversation, never for a job, and sign with your name. The counters update as you type."),
        code("form-outreach", "forms.outreach(book)"),
        md("meeting-intro", "## 5. A safe meeting\n\nMeet in a public place, at their workplace, or by phone or video: never in a private home. Say when it is and who knows where you will be."),
        code("form-meeting", "forms.meeting(book)"),
        *closing(m),
    ]


def m3() -> list[nbformat.NotebookNode]:
    m = "m3-interviews"
    return [
        *intro(m, "Over the term you talk with several people. Log each conversation here soon after it happens, send a thank-you note within 24 hours, and reflect. Your **three best reflections** are graded (3 points each); the same text pasted into two interviews counts once. Names and contacts stay in your own log: only takeaways you consent to share are ever shown to the class, without names."),
        md("log-intro", f"## Your interviews\n\nAdd one entry per interview (*Add an interview*). Champion outcomes are the doors a conversation opened (a referral, mentoring, shadowing...). For each, reflect:\n\n> {PROMPTS['interview']}"),
        code("form-interviews", "forms.interview_log(book)"),
        *closing(m),
    ]


def m4() -> list[nbformat.NotebookNode]:
    m = "m4-storyboard"
    return [
        *intro(m, "*If you could not find a job, what business would you start?* Tell your idea as a comic strip of 4 to 10 panels: the first shows your customer's problem, the last how their life is better. Then show it to a trusted adviser, record their feedback, and respond."),
        md("storyboard-intro", "## 1. Your storyboard and your adviser's feedback\n\nFor each panel write the scene (what we see), the direction (what happens) and the dialogue or a caption. Record your adviser by role only, never by name."),
        code("form-storyboard", "forms.storyboard(book)"),
        md("reflection-intro", f"## 2. Reflection on the feedback\n\n> {PROMPTS['storyboard']}"),
        code("form-reflection", 'forms.reflection(book, "reflection")'),
        *closing(m),
    ]


def m5() -> list[nbformat.NotebookNode]:
    m = "m5-canvas"
    return [
        *intro(m, "Lay out the business from your storyboard as a business model canvas: who the customers are, what you offer them, how you reach them and get paid, and what it costs. The canvas is scored on **completeness** (every block filled), **coherence** (every segment served and reached, every activity paid for) and **specificity** (entries concrete enough to act on)."),
        md("canvas-intro", "## Your canvas\n\nOne entry per line in each block. Link entries with ids when you have more than one customer segment or key activity (the help line shows how)."),
        code("form-canvas", "forms.canvas(book)"),
        md("canvas-review-intro", "See it laid out, with the problems the checker finds:"),
        code("canvas-review", "grading.canvas_preview(book)"),
        *closing(m),
    ]


def careers_csv() -> str:
    """student_id,career_id for the demo roster, as `careerkit assign data/demo_roster.csv --seed 2026` draws them."""
    from careerkit.assignment import assign
    from careerkit.catalog import load_catalog
    from careerkit.roster import load_roster

    catalog = load_catalog()
    result = assign(load_roster(data_path("demo_roster.csv"), catalog), DEMO_SEED, catalog=catalog)
    rows = [[a.student_id, a.career_id] for a in sorted(result, key=lambda a: a.student_id)]
    return csv_text(["student_id", "career_id"], rows)


def main(source: Path = SOURCE) -> None:
    """Write every module's notebook (and m2's careers.csv) under ``source``."""
    builders = {"m1-skills": m1, "m2-career": m2, "m3-interviews": m3, "m4-storyboard": m4, "m5-canvas": m5}
    for module in MODULES:
        nb = new_notebook(cells=builders[module]())
        nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{module}-{i:02d}"
        nbformat.validate(nb)
        path = atomic_write_text(source / module / f"{module}.ipynb", nbformat.writes(nb) + "\n")
        print(f"wrote {path} ({total_points(module):g} points)")
    path = atomic_write_text(source / "m2-career" / "careers.csv", careers_csv())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
