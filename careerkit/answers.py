"""The answer store of the graded notebooks: one ``answers.json`` per module, beside the notebook.

The forms (:mod:`careerkit.forms`) write every change straight away, atomically, so
nothing a student typed is lost when a kernel dies or a browser tab closes. A file
that cannot be read is never overwritten: it is moved aside as
``answers.json.bad-<timestamp>`` and the book says so in plain words
(:attr:`AnswerBook.problem`), so a TA can recover it.

The solution version of each notebook uses :func:`example_book` instead: the
instructor's worked example, held in memory only (source notebooks never write).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import os
import re
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from careerkit.course import MODULES
from careerkit.errors import DataError, UsageError, did_you_mean

FILENAME = "answers.json"
#: nbgrader keeps each student's work in ``{step}/{student_id}/{module}/``.
GRADING_STEPS = ("autograded", "submitted")
STUDENT_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


class AnswerBook(MutableMapping[str, Any]):
    """A module's answers: a dict of JSON values that saves itself to ``path`` on every change.

    ``path`` is None for the in-memory example book. Values are stored as plain JSON
    (a deep copy made through ``json``), so a form can never alias or corrupt them.
    """

    def __init__(self, module_id: str, data: dict[str, Any] | None = None, *, path: Path | None = None, example: bool = False, problem: str | None = None) -> None:
        self.module_id = module_id
        self.path = path
        self.is_example = example
        #: What went wrong reading the file (shown to the student), or None.
        self.problem = problem
        self.last_error: str | None = None
        self._data: dict[str, Any] = _plain(data or {})

    @property
    def directory(self) -> Path | None:
        """The notebook's folder (None for the example book)."""
        return self.path.parent if self.path is not None else None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = _plain(value)
        self.save()

    def __delitem__(self, key: str) -> None:
        del self._data[key]
        self.save()

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def set(self, key: str, value: Any) -> None:
        """Store one answer and save (same as ``book[key] = value``)."""
        self[key] = value

    def update_many(self, values: dict[str, Any]) -> None:
        """Store several answers with one save."""
        for key, value in values.items():
            self._data[key] = _plain(value)
        self.save()

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of every answer."""
        return copy.deepcopy(self._data)

    def save(self) -> Path | None:
        """Write ``answers.json`` atomically (nothing for the example book); DataError if it cannot be written."""
        if self.path is None:
            return None
        from careerkit.files import atomic_write_text  # deferred: keeps `import careerkit.answers` tiny

        text = json.dumps(self._data, indent=2, ensure_ascii=False) + "\n"
        try:
            atomic_write_text(self.path, text)
        except DataError as exc:  # the write failed (files turns the OSError into a DataError)
            cause = exc.__cause__
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(exc)
            self.last_error = f"Could not save {self.path}: {reason}. Copy your latest text somewhere safe and tell your TA."
            raise DataError(self.last_error) from None
        self.last_error = None
        return self.path

    def __repr__(self) -> str:
        where = "example (in memory)" if self.path is None else str(self.path)
        return f"AnswerBook({self.module_id!r}, {where}, {len(self)} answers)"

    def _repr_html_(self) -> str:
        sid = student_id(self)
        if self.is_example:
            where = "the instructor's worked example (kept in memory, never saved)"
        else:
            where = f"<code>{html.escape(str(self.path))}</code>, saved automatically on every change"
        parts = [f"<p><b>Your answers</b> for {html.escape(self.module_id)}: {where}. Student id: <b>{html.escape(sid or 'not known yet')}</b>.</p>"]
        if self.problem:
            parts.append(f'<p style="color:#a00"><b>Attention:</b> {html.escape(self.problem)}</p>')
        return "<div>" + "".join(parts) + "</div>"


def _plain(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise DataError(f"answers must be plain JSON values (text, numbers, lists, objects); {exc}") from None


def _check_module(module_id: str) -> None:
    if module_id not in MODULES:
        raise UsageError(f"unknown module '{module_id}'{did_you_mean(str(module_id), MODULES)}; modules are {', '.join(MODULES)}")


def open_book(module_id: str, directory: str | os.PathLike[str] = ".") -> AnswerBook:
    """The student's answers for one module, from ``directory/answers.json`` (empty if there is none yet).

    A file that is not valid JSON (or not a JSON object) is moved aside as
    ``answers.json.bad-<timestamp>``, never overwritten; the book starts empty and
    its :attr:`~AnswerBook.problem` says what happened.
    """
    _check_module(module_id)
    path = Path(directory).resolve() / FILENAME
    if not path.exists():
        return AnswerBook(module_id, path=path)
    try:
        data = _read(path)
    except DataError as exc:
        return _set_aside(module_id, path, str(exc))
    return AnswerBook(module_id, data, path=path)


def _read(path: Path) -> dict[str, Any]:
    from careerkit.files import read_json

    data = read_json(path)
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object {{...}} of answers, got a {type(data).__name__}")
    return data


def _set_aside(module_id: str, path: Path, reason: str) -> AnswerBook:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bad-{stamp}-{n}")
    try:
        os.replace(path, target)
    except OSError as exc:
        problem = (
            f"{FILENAME} could not be read ({reason}) and could not be moved aside ({exc.strerror or exc}). "
            "Nothing will be saved until a TA fixes the file, so your old answers are not overwritten."
        )
        return AnswerBook(module_id, problem=problem)
    problem = (
        f"{FILENAME} could not be read ({reason}). It has been kept, untouched, as {target.name} "
        "(your TA can recover it); your forms start empty and save to a new answers.json."
    )
    return AnswerBook(module_id, path=path, problem=problem)


def peek(module_id: str, directory: str | os.PathLike[str] = ".") -> dict[str, Any] | None:
    """Another module's answers, read-only (None when absent or unreadable); nothing is moved or written."""
    path = Path(directory) / FILENAME
    try:
        return _read(path) if path.is_file() else None
    except DataError:
        return None


def student_id(book: AnswerBook | None = None, directory: str | os.PathLike[str] = ".") -> str | None:
    """Who the answers belong to: ``book["student_id"]``, nbgrader's folder, ``JUPYTERHUB_USER``, else None.

    During ``nbgrader autograde`` the notebook runs in ``autograded/<student>/<module>/``
    (``submitted/...`` before), so the folder names the student being graded.
    """
    if book is not None:
        sid = book.get("student_id")
        if isinstance(sid, str) and STUDENT_ID_RE.match(sid.strip()):
            return sid.strip()
    folder = book.directory if book is not None and book.directory is not None else Path(directory)
    parts = Path(os.path.abspath(folder)).parts
    for i, part in enumerate(parts[:-2]):
        if part in GRADING_STEPS and i + 3 == len(parts) and STUDENT_ID_RE.match(parts[i + 1]):
            return parts[i + 1]
    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    return user if user and STUDENT_ID_RE.match(user) else None


def grading_step_of(directory: str | os.PathLike[str] = ".") -> str | None:
    """``"autograded"`` or ``"submitted"`` when ``directory`` is nbgrader's copy of a submission (``{step}/{student}/{module}``)."""
    parts = Path(os.path.abspath(directory)).parts
    return parts[-3] if len(parts) >= 3 and parts[-3] in GRADING_STEPS else None


# --- the instructor's worked example ---------------------------------------------------


def example_book(module_id: str) -> AnswerBook:
    """The instructor's worked example for one module, in memory only: saving it writes nothing."""
    _check_module(module_id)
    return AnswerBook(module_id, example_answers(module_id), example=True)


def example_answers(module_id: str) -> dict[str, Any]:
    """The worked example's answers as a fresh dict (built from ``data/examples``)."""
    _check_module(module_id)
    from careerkit.files import data_path, read_json

    if module_id == "m1-skills":
        profile = read_json(data_path("examples/profile.json"))
        for cid, text in _EXTRA_EVIDENCE.items():
            profile["competencies"][cid]["evidence"] = text
        return {"student_id": EXAMPLE_STUDENT, "profile": profile, "reflection": EXAMPLE_TEXTS["m1-skills"]}
    if module_id == "m2-career":
        return copy.deepcopy(_EXAMPLE_M2) | {"student_id": EXAMPLE_STUDENT}
    if module_id == "m3-interviews":
        return {"student_id": EXAMPLE_STUDENT, "interviews": _example_interviews()}
    if module_id == "m4-storyboard":
        board = read_json(data_path("examples/storyboard.json"))
        for panel in board["panels"]:
            panel.pop("image", None)  # the picture ships beside data/examples, not beside the notebook
        return {"student_id": EXAMPLE_STUDENT, "storyboard": board, "reflection": EXAMPLE_TEXTS["m4-storyboard"]}
    return {"student_id": EXAMPLE_STUDENT, "canvas": read_json(data_path("examples/canvas.json"))}


def _example_interviews() -> list[dict[str, Any]]:
    from careerkit.files import data_path, read_csv

    _, rows = read_csv(data_path("examples/interview_log.csv"))
    out = []
    for n, row in enumerate(rows):
        v = dict(row.values)
        v.pop("student_id", None)
        v["minutes"] = int(v["minutes"])
        v["outcomes"] = [o for o in v["outcomes"].split(";") if o]
        v["consent_to_share"] = v["consent_to_share"] == "yes"
        v["reflection"] = EXAMPLE_INTERVIEW_REFLECTIONS[n] if n < len(EXAMPLE_INTERVIEW_REFLECTIONS) else ""
        out.append(v)
    return out


EXAMPLE_STUDENT = "s002"

_EXTRA_EVIDENCE = {
    "career_development": "Last spring I booked two meetings with the careers office and drafted my first non-academic CV, but I have not yet talked to anyone outside academia.",
    "leadership": "I trained two new master's students on the glovebox and wrote the safety checklist our group now uses.",
    "technology": "I only use spreadsheets and the instrument software; I have never written code, which is why I rate myself 0.",
}

EXAMPLE_TEXTS = {
    "m1-skills": (
        "Rating myself made me notice how lopsided my profile is. I gave communication a 3 because I explain catalysis to "
        "first-year students every week and they leave the lab section able to repeat the idea back to me, yet I gave "
        "technology a 0, because I have never written a line of code. I had assumed my degree taught me only lab technique; "
        "writing down the evidence showed me it also gave me critical thinking I can point to, like the flawed control I "
        "caught in a published method. What surprised me is that I value learning and impact more than stability, which "
        "explains why I stayed in a difficult project that taught me a lot. My biggest gap is technology, and the careers "
        "I am curious about lean on data. By the end of January I will finish the department's introductory Python course "
        "and redo one of my kinetics analyses in a notebook, and I will ask my lab mate who codes to review it."
    ),
    "m4-storyboard": (
        "My adviser's feedback showed me that I had assumed a regulator's advice meeting was the same as an approval, and "
        "that confusion would have cost me a client's trust. I realised my strength is not only knowing the science but "
        "explaining evidence clearly, which is the communication skill I rated highest in my inventory. Her point about "
        "incubators changed how I see my customers: I had pictured lonely founders, but an incubator pays for a whole cohort "
        "and gives me a steadier income, which matters to me because I value stability more than I admitted. Next week I "
        "will email the programme lead of our university incubator to ask whether their startups struggle with first "
        "submissions, and I will test the revised storyboard on one founder before the end of the month."
    ),
}

EXAMPLE_INTERVIEW_REFLECTIONS = (
    (
        "I expected a freelance science journalist to spend her days writing, but she spends most of her time pitching "
        "stories to editors, and most pitches fail. Her advice to pitch a question with a surprising answer rather than a "
        "topic changed how I think about my own blog post: I wrote about catalysis as a topic, not as a question. I realised "
        "that I enjoy explaining ideas, which fits my value of impact, but I am less comfortable with the uncertainty of "
        "freelance income than I thought. She referred me to an editor at a local outlet. By Friday I will send that editor "
        "a three-sentence pitch about why some catalysts die, and I will ask my advisor whether I can write it up."
    ),
    (
        "The policy analyst told me that a brief is two pages at most and that the real skill is choosing what to leave "
        "out. That was hard to hear, because in my thesis chapters I include every control and every caveat. I noticed that "
        "my critical thinking is strong, but I use it to add detail rather than to decide what matters to a reader who has "
        "ten minutes. I also learned that a policy fellowship is the usual way in, which fits my interest in climate. I will "
        "rewrite the summary of my last paper as a one-page brief for a non-scientist by the end of the month and ask the "
        "analyst, who offered to mentor me, for comments on it."
    ),
    (
        "Talking to a senior technical writer changed my picture of documentation: I imagined someone tidying manuals "
        "after the engineers finish, but she sits with engineers from the first sprint and shapes the product. She said a "
        "portfolio of three short samples matters more than a long CV. I recognised that my habit of writing careful lab "
        "protocols for new students is the same skill, and that teamwork across disciplines is something I already do when "
        "I split analyses with our partner lab. I had assumed I would need a new degree; now I think I need samples. By "
        "15 December I will email her a portfolio of three samples: my NMR booking guide and two lab protocols."
    ),
)

_EXAMPLE_GUIDE = (
    ("path-01", "path", "How did you explain your career change to family or former colleagues?",
     "My advisor expects me to stay in chemistry, and I want to learn how someone framed a move like this without burning bridges.",
     "The words they used and one reaction that surprised them."),
    ("day-01", "day", "What does a day look like when something goes wrong?",
     "Safety signals sound high-stakes; I want to know whether the pressure suits someone who likes careful, slow work like me.",
     "A real case, who was called in, and how long it took to settle."),
    ("skills-01", "skills", "How are new tools such as AI changing the way you do your job?",
     "I rated myself 0 in technology, so I need to know which tools matter before I choose a course this spring.",
     "Two or three named tools and which tasks still need a scientist's judgment."),
    ("skills-02", "skills", "Which technical skills would make a newcomer stand out in your team?",
     "I have one term left to learn something new, and I want to spend it on what a hiring team actually notices.",
     "A short list, and how good a newcomer must be at each (for example basic SQL or case processing)."),
    ("culture-01", "culture", "Which values does your organization actually live by, beyond those on its website?",
     "Impact and learning are my top values; I want to hear whether daily decisions reflect patient safety or mostly deadlines.",
     "One decision where a value cost the company something."),
    ("network_luck-01", "network_luck", "Did anyone discourage you from this path?",
     "Two professors told me leaving research is a waste of a PhD, and I want to hear how someone answered that.",
     "Who doubted them, what they said back, and whether the doubt turned out right."),
    ("closing-01", "closing", "Who else would you recommend I talk to about drug safety work?",
     "I want my next conversation to be with someone earlier in their career, so I can see the first two years.",
     "One name or role, ideally someone who moved from a chemistry PhD in the last five years."),
)

_EXAMPLE_M2: dict[str, Any] = {
    "research": {
        "summary": (
            "Pharmacovigilance scientists monitor the safety of medicines once they are on the market. They review reports "
            "of side effects from doctors and patients, search safety databases for signals that a drug causes harm, and "
            "write periodic safety reports for regulators such as the EMA and FDA. Most work in pharmaceutical companies or "
            "contract research organisations, in teams with physicians and data scientists."
        ),
        "surprises": (
            "I did not expect how much of the work is writing and judgment rather than lab work, or that many people enter "
            "from a PhD in chemistry or pharmacology through a junior drug-safety associate role."
        ),
        "sources": ["EMA Good Pharmacovigilance Practices (GVP) overview", "ISoP (International Society of Pharmacovigilance) careers page"],
    },
    "guide": [{"question_id": q, "text": text, "why": why, "hope": hope} for q, _, text, why, hope in _EXAMPLE_GUIDE],
    "messages": {
        "email": {
            "subject": "A chemistry PhD student's questions about drug safety",
            "body": (
                "Hello Dr. Lee,\n\nYour talk on signal detection at the ISoP student webinar stayed with me. I am a chemistry "
                "PhD student curious about pharmacovigilance, and I would value hearing how you moved into it.\n\nCould we "
                "talk for 20 minutes by video in the next few weeks? I will fit around your schedule.\n\nWith thanks,\nJosé"
            ),
        },
        "linkedin": {
            "body": "Hello Dr. Lee, I enjoyed your ISoP webinar on signal detection. I am a chemistry PhD student exploring drug safety and would value 20 minutes to hear about your path. Thank you! José",
        },
    },
    "meeting": {
        "location": "video",
        "plan": "A 25-minute video call on a weekday afternoon; I will send a calendar invite with the link, tell my lab mate when it is, and have my guide open.",
    },
}
