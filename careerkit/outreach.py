"""Outreach messages for informational interviews, and the meeting-safety check.

Five builders, each returning a :class:`Message`: a cold email (under 100 words,
leads with the connection), a LinkedIn connection note (at most 300 characters), a
message to a peer or alumnus (a network starts with classmates and alumni), one
follow-up, and a thank-you note due within 24 hours that names one piece of advice.
None mentions jobs or attachments: an informational interview asks for a
conversation, never for a job. Hard limits raise :class:`~careerkit.errors.LimitError`;
:meth:`Message.check` flags everything else after a student edits the text.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from careerkit.catalog import Career, Catalog, load_catalog
from careerkit.errors import LimitError, UsageError, did_you_mean
from careerkit.profile import Profile, load_profile, neutral_profile

Kind = Literal["email", "linkedin", "peer", "followup", "thanks"]
KINDS: tuple[str, ...] = get_args(Kind)
#: Each message stays *under* this many words.
WORD_LIMITS = {"email": 100, "peer": 100, "followup": 75, "thanks": 150}
LINKEDIN_CHARS = 300
KIND_LABELS = {"email": "an email", "linkedin": "a LinkedIn note", "peer": "a message to a peer", "followup": "a follow-up", "thanks": "a thank-you note"}
THANKS_WITHIN = timedelta(hours=24)
ADVICE_MIN_WORDS = 3
JOB_TALK_RE = re.compile(r"\b(jobs?|positions?|openings?|hiring|hires?|vacanc(?:y|ies)|recruit\w*|employment)\b", re.IGNORECASE)
ATTACHMENT_RE = re.compile(r"\b(attach\w*|enclos\w*|CVs?|C\.V\.|r[eé]sum[eé]s?|curriculum vitae)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")

LOCATION_TYPES = ("public_place", "workplace", "phone", "video", "private_home", "other")
SAFE_LOCATIONS = ("public_place", "workplace", "phone", "video")
_LOCATION_ALIASES = {"public": "public_place", "cafe": "public_place", "home": "private_home", "office": "workplace", "phone_call": "phone", "video_call": "video"}
_SAFE_REASONS = {
    "public_place": "A public place (a café, a library, a conference) is a safe place to meet.",
    "workplace": "The interviewee's workplace is a safe place to meet: it is their professional setting and other people are around.",
    "phone": "A phone call is safe and easy to fit into a busy day.",
    "video": "A video call is safe and easy to fit into a busy day.",
}


def lower_title(title: str) -> str:
    """A title for running text: lower case, but acronyms stay (``UX Researcher`` -> ``UX researcher``)."""
    return " ".join(w if sum(ch.isupper() for ch in w) >= 2 or any(ch.isdigit() for ch in w) else w.lower() for w in title.split())


def with_article(noun: str) -> str:
    """``a``/``an`` by sound for the usual cases: an analyst, a UX researcher, an ESG analyst."""
    first = noun.split("-")[0].split()[0] if noun.strip() else ""
    if sum(ch.isupper() for ch in first) >= 2:
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = first[:1].lower() in "aeiou" and not first.lower().startswith(("uni", "use", "usu", "eu", "one"))
    return f"{'an' if vowel_sound else 'a'} {noun}"


def word_count(text: str) -> int:
    """Words as a reader counts them ("don't", "e-mail" and "2026" are one word each)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A message to send; ``due`` is when it must go out (thank-you notes)."""

    kind: Kind
    subject: str
    body: str
    to_role: str = ""
    due: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UsageError(f"unknown message kind '{self.kind}'{did_you_mean(self.kind, KINDS)}; kinds are {', '.join(KINDS)}")
        if not self.body.strip():
            raise UsageError(f"a {self.kind} message needs a body")

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def char_count(self) -> int:
        return len(self.body)

    def edit(self, *, subject: str | None = None, body: str | None = None) -> Message:
        """A copy with the student's own subject and/or body (run :meth:`check` on it)."""
        return dataclasses.replace(self, subject=self.subject if subject is None else subject, body=self.body if body is None else body)

    def check(self) -> tuple[str, ...]:
        """Plain-language problems: over the length limit, job talk, attachments (empty when ready to send)."""
        problems = []
        limit = WORD_LIMITS.get(self.kind)
        if limit is not None and self.word_count >= limit:
            problems.append(f"It has {self.word_count} words; keep {KIND_LABELS[self.kind]} under {limit} words (cut at least {self.word_count - limit + 1}).")
        if self.kind == "linkedin" and self.char_count > LINKEDIN_CHARS:
            problems.append(f"It has {self.char_count} characters, {self.char_count - LINKEDIN_CHARS} over LinkedIn's {LINKEDIN_CHARS}.")
        text = f"{self.subject}\n{self.body}"
        job = JOB_TALK_RE.search(text)
        if job:
            problems.append(f"It mentions '{job.group(0)}': ask for a conversation and advice, never for a job; take the job talk out.")
        attachment = ATTACHMENT_RE.search(text)
        if attachment:
            problems.append(f"It mentions '{attachment.group(0)}': do not attach a CV or anything else to a first message.")
        return tuple(problems)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "body": self.body,
            "to_role": self.to_role,
            "words": self.word_count,
            "characters": self.char_count,
            "due": self.due.isoformat(timespec="minutes") if self.due else None,
            "problems": list(self.check()),
        }

    def _repr_html_(self) -> str:
        return f'<pre style="white-space: pre-wrap">{html.escape(str(self))}</pre>'

    def __str__(self) -> str:
        lines = [f"Subject: {self.subject}", ""] if self.subject else []
        lines += [self.body, "", f"({self.word_count} words, {self.char_count} characters)"]
        if self.due:
            lines.append(f"Send by {self.due:%A %d %B %Y, %H:%M}.")
        lines += [f"! {p}" for p in self.check()]
        return "\n".join(lines)


# --- builders ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """What every template needs, worked out once."""

    discipline: str
    sector: str
    career: str
    role: str
    connection: str
    sender: str


def _context(profile: Profile, career: Career, to_role: str | None, connection: str, sender: str, catalog: Catalog | None) -> _Context:
    catalog = catalog or load_catalog()
    role = " ".join(to_role.split()) if to_role else lower_title(career.title)
    connection = " ".join(connection.split()).rstrip(".")
    return _Context(
        discipline=catalog.discipline_name(profile.discipline) if profile.discipline else "",
        sector=catalog.sector(career.sector).name.lower(),
        career=lower_title(career.title),
        role=role,
        connection=connection[:1].upper() + connection[1:],
        sender=" ".join(sender.split()) or "[your name]",
    )


def _student(c: _Context) -> str:
    return f"a graduate student in {c.discipline}" if c.discipline else "a graduate student"


def _enforce(message: Message) -> Message:
    """Raise :class:`LimitError` when a builder's message breaks a hard limit (usually a long connection text)."""
    limit = WORD_LIMITS.get(message.kind)
    if limit is not None and message.word_count >= limit:
        raise LimitError(
            f"{KIND_LABELS[message.kind]} must stay under {limit} words; this one has {message.word_count} "
            f"(cut at least {message.word_count - limit + 1}, e.g. shorten the connection text)"
        )
    if message.kind == "linkedin" and message.char_count > LINKEDIN_CHARS:
        over = message.char_count - LINKEDIN_CHARS
        raise LimitError(
            f"the LinkedIn note has {message.char_count} characters, {over} over the limit of {LINKEDIN_CHARS}; "
            f"shorten the connection text by {over} characters or more"
        )
    return message


def cold_email(profile: Profile, career: Career, *, to_role: str | None = None, connection: str = "", sender: str = "", catalog: Catalog | None = None) -> Message:
    """A first email to someone you have not met: the connection first, then one small ask."""
    c = _context(profile, career, to_role, connection, sender, catalog)
    lead = c.connection or f"I came across your work as {with_article(c.role)} while reading about {c.sector}"
    body = (
        f"Hello,\n\n{lead}. I am {_student(c)} exploring work as {with_article(c.career)}, and I would value hearing how you came to it.\n\n"
        "Would you have 20 minutes for a phone or video call, or a coffee near your workplace, in the next few weeks? "
        f"I would be glad to fit around your schedule.\n\nThank you for considering it,\n{c.sender}"
    )
    subject = f"A graduate student's questions about {c.sector}"
    return _enforce(Message(kind="email", subject=subject, body=body, to_role=c.role))


def linkedin_note(profile: Profile, career: Career, *, to_role: str | None = None, connection: str = "", sender: str = "", catalog: Catalog | None = None) -> Message:
    """A LinkedIn connection note, at most 300 characters."""
    c = _context(profile, career, to_role, connection, sender, catalog)
    lead = f"{c.connection}. " if c.connection else ""
    body = f"Hello! {lead}I am {_student(c)} exploring {c.sector} and would value 20 minutes to hear about your path as {with_article(c.role)}. Thank you!"
    return _enforce(Message(kind="linkedin", subject="", body=body, to_role=c.role))


def peer_message(profile: Profile, career: Career, *, to_role: str | None = "classmate", connection: str = "", sender: str = "", catalog: Catalog | None = None) -> Message:
    """A note to a classmate or alumnus: one's network starts with peers."""
    c = _context(profile, career, to_role, connection, sender, catalog)
    lead = c.connection or "I hope your term is going well"
    body = (
        f"Hi,\n\n{lead}. I am exploring {c.career} work, and I am starting with people I already know.\n\n"
        f"Do you know anyone in {c.sector}, or have you talked with someone who works there? "
        f"I would also be glad to compare notes over coffee.\n\nThanks,\n{c.sender}"
    )
    return _enforce(Message(kind="peer", subject=f"Do you know anyone in {c.sector}?", body=body, to_role=c.role))


def follow_up(
    profile: Profile,
    career: Career,
    *,
    to_role: str | None = None,
    sent_on: date | None = None,
    connection: str = "",
    sender: str = "",
    catalog: Catalog | None = None,
) -> Message:
    """The one follow-up to send about a week after an unanswered message; after it, let go."""
    c = _context(profile, career, to_role, connection, sender, catalog)
    when = f"on {sent_on:%d %B}" if sent_on else "last week"
    lead = f"{c.connection}. " if c.connection else ""
    body = (
        f"Hello,\n\n{lead}I wrote {when} to ask for a short conversation about your work as {with_article(c.role)}. "
        "If a 15-minute call this month suits you, I would be grateful; if not, no reply is needed.\n\n"
        f"Thank you,\n{c.sender}"
    )
    return _enforce(Message(kind="followup", subject=f"Following up: a short conversation about {c.sector}", body=body, to_role=c.role))


def thank_you(
    profile: Profile,
    career: Career,
    *,
    advice: str,
    interviewed_at: date | datetime,
    to_role: str | None = None,
    connection: str = "",
    sender: str = "",
    catalog: Catalog | None = None,
) -> Message:
    """A thank-you note naming the one piece of advice you will act on; ``due`` is 24 hours after the interview."""
    advice = " ".join(advice.split()).strip(" .\"'“”")
    if word_count(advice) < ADVICE_MIN_WORDS:
        raise UsageError(f"a thank-you note names one specific piece of advice you will act on (a few words at least); got {advice!r}")
    c = _context(profile, career, to_role, connection, sender, catalog)
    if isinstance(interviewed_at, datetime):
        due = interviewed_at + THANKS_WITHIN
    else:  # a bare date: by the end of the next day
        due = datetime.combine(interviewed_at + timedelta(days=1), time(23, 59))
    body = (
        f"Hello,\n\nThank you for talking with me about your work as {with_article(c.role)}. "
        f"Your advice, “{advice},” is the piece I will act on first, and I will let you know how it goes.\n\n"
        f"Thank you again for your time and generosity,\n{c.sender}"
    )
    return _enforce(Message(kind="thanks", subject="Thank you for your time and advice", body=body, to_role=c.role, due=due))


# --- meeting safety ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyCheck:
    """Whether a meeting place is safe, and why, in plain words."""

    location: str
    safe: bool
    reason: str

    def __bool__(self) -> bool:
        return self.safe

    def __str__(self) -> str:
        return f"{'OK' if self.safe else 'NOT SAFE'}: {self.reason}"


def normalise_location(location: str) -> str:
    """Location text to a location type id (``"Public place"`` -> ``public_place``); unknown text stays as typed."""
    key = re.sub(r"[\s\-]+", "_", location.strip().lower()).replace("café", "cafe")
    return _LOCATION_ALIASES.get(key, key)


def meeting_safety(location: str) -> SafetyCheck:
    """Meet only in a public place, at the interviewee's workplace, or by phone or video call."""
    kind = normalise_location(location)
    if kind in SAFE_LOCATIONS:
        return SafetyCheck(location=kind, safe=True, reason=_SAFE_REASONS[kind])
    if kind == "private_home":
        reason = (
            "Do not meet in a private home, theirs or yours. Thank them and suggest a café, their workplace, "
            "or a phone or video call instead, and tell someone where and when you are meeting."
        )
    else:
        reason = (
            f"'{location}' is not one of the safe places to meet{did_you_mean(kind, LOCATION_TYPES)}: "
            "choose a public place, the interviewee's workplace, or a phone or video call."
        )
    return SafetyCheck(location=kind, safe=False, reason=reason)


# --- one call for the command line ----------------------------------------------------


def compose_message(
    kind: str,
    career_id: str,
    *,
    profile: str | os.PathLike[str] | None = None,
    to_role: str | None = None,
    connection: str = "",
    sender: str = "",
    advice: str | None = None,
    interviewed_at: date | datetime | None = None,
    catalog: Catalog | None = None,
) -> Message:
    """The message for ``careerkit outreach``; ``thanks`` needs ``advice`` (and the interview date, default today)."""
    if kind not in KINDS:
        raise UsageError(f"unknown message kind '{kind}'{did_you_mean(kind, KINDS)}; kinds are {', '.join(KINDS)}")
    catalog = catalog or load_catalog()
    student = load_profile(profile, catalog=catalog) if profile is not None else neutral_profile()
    career = catalog.career(career_id)
    if kind == "thanks":
        if advice is None:
            raise UsageError("a thank-you note names the one piece of advice you will act on: give it with --advice")
        when = interviewed_at or date.today()
        return thank_you(student, career, advice=advice, interviewed_at=when, to_role=to_role, connection=connection, sender=sender, catalog=catalog)
    if kind == "linkedin":
        return linkedin_note(student, career, to_role=to_role, connection=connection, sender=sender, catalog=catalog)
    if kind == "peer":
        return peer_message(student, career, to_role=to_role or "classmate", connection=connection, sender=sender, catalog=catalog)
    if kind == "followup":
        return follow_up(student, career, to_role=to_role, connection=connection, sender=sender, catalog=catalog)
    return cold_email(student, career, to_role=to_role, connection=connection, sender=sender, catalog=catalog)
