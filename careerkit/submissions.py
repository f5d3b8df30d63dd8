"""Synthetic student submissions for the demo course: answers at four quality tiers, and broken notebooks.

For each module of the course (``m1-skills`` ... ``m5-canvas``) a student's answers live in
``answers.json`` beside the notebook ``<module>.ipynb``. :func:`answers_for` writes a
demo student's answers from their discipline and assigned career, at one of
:data:`QUALITIES`; :func:`write_submission` copies the released module folder and adds
the answers; :func:`break_submission` damages a submitted notebook the way students
do (:data:`BREAKAGES`); :func:`plan_cohort` spreads the tiers over a roster.

The tiers differ in substance, not in labels (the tests check them with the library):

- **strong**: reflections connect the experience to the writer and name a concrete next
  step (reflection level 3); full profile with evidence; personalised messages within
  the limits; 3-5 logged interviews with outcomes; a storyboard with no check errors;
  a linked, specific canvas (8+/10).
- **average**: reflections connect to the writer but plan vaguely or not at all (level
  2); the guide's pre-filled why/hope kept; template messages; 2-3 interviews, few
  outcomes; a shorter storyboard with warnings; a canvas with loose links.
- **weak**: descriptive or token reflections (level 0-1); uncalibrated ratings without
  evidence; messages that ask for a job, attach a CV and break the length limits; one
  interview; a three-panel storyboard; a half-empty, vague canvas.
- **empty**: nothing written: :func:`answers_for` returns ``{}`` and
  :func:`write_submission` writes no ``answers.json`` (the folder is the release as is).

Texts come from ``data/demo_submissions/*.yaml`` (sentence pools, discipline and sector
details, one business idea per sector), filled per student and voiced four ways (plain,
informal, with typos, non-native English), so a cohort does not submit identical text.
Everything is deterministic in the arguments, ``seed`` included.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from careerkit import outreach
from careerkit.catalog import COMPETENCY_IDS, Career, Catalog, load_catalog
from careerkit.course import MODULES
from careerkit.errors import DataError, LimitError, UsageError, did_you_mean
from careerkit.files import atomic_write_text, data_path, read_yaml
from careerkit.interviews import FORMATS, OUTCOMES
from careerkit.profile import gap, profile_from_dict
from careerkit.questions import build_guide

QUALITIES = ("strong", "average", "weak", "empty")
BREAKAGES = ("invalid_json", "infinite_loop", "kernel_death", "deleted_test", "edited_test")
ANSWERS_FILE = "answers.json"
VOICES = ("plain", "informal", "typos", "non_native")
_VOICE_WEIGHTS = (40, 25, 20, 15)
#: Interviews and adviser feedback fall in the autumn 2026 term, before its last week.
FIRST_DAY, LAST_DAY = dt.date(2026, 10, 1), dt.date(2026, 11, 27)
#: Share of a cohort per tier (the rest is average); the empty ones are one or two students.
STRONG_SHARE, WEAK_SHARE = 0.25, 0.2
BREAK_CELLS = {"infinite_loop": "while True: pass", "kernel_death": "import os; os._exit(1)"}
SHORT_NAMES = {
    "career_development": "career planning", "communication": "communication", "critical_thinking": "critical thinking",
    "equity_inclusion": "inclusion", "leadership": "leadership", "professionalism": "professionalism",
    "teamwork": "teamwork", "technology": "technical skills",
}  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Words a typo must not touch: the cues a reader (and the scorer) relies on.
_PROTECTED = re.compile(r"realis|realiz|assum|surpris|recogni|notic|already|honest|thought|expect|rewrit|signed|booked|email|message|workshop|linkedin|because|before|monday|tuesday|wednesday|thursday|friday|december|interview|myself|practi|rethink|uncomfortable|undervalu|suggest|supervisor|defensive|confident|career|skill|industr|compan|professional|"
    r"research|storyboard|canvas|feedback|advis|mentor|customer|business|experience|learn|project|network|colleague", re.I)


class _HasId(Protocol):
    student_id: str


@functools.cache
def _texts() -> dict[str, Any]:
    folder = data_path("demo_submissions")
    return {name: read_yaml(folder / f"{name}.yaml") for name in ("texts", "people", "ideas")}


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(["careerkit-submissions", *map(str, parts)]))


class _Format(dict[str, str]):
    """Placeholders for ``str.format_map``; a missing one is a bug in the texts, said plainly."""

    def __missing__(self, key: str) -> str:
        raise DataError(f"data/demo_submissions: unknown placeholder {{{key}}}; known: {', '.join(sorted(self))}")


def _fill(template: str, ctx: Mapping[str, str]) -> str:
    text = template.format_map(_Format(ctx))
    return text[:1].upper() + text[1:]


class _Student:
    """One demo student in one run: career, discipline details, voice, profile and business idea."""

    def __init__(self, student_id: str, discipline: str | None, career_id: str, quality: str, seed: int, name: str) -> None:
        if quality not in QUALITIES:
            raise UsageError(f"unknown quality '{quality}'{did_you_mean(quality, QUALITIES)}; qualities are {', '.join(QUALITIES)}")
        self.catalog: Catalog = load_catalog()
        self.career: Career = self.catalog.career(career_id)
        resolved = self.catalog.resolve_discipline(discipline) if discipline else None
        if discipline and resolved is None:
            raise DataError(f"unknown discipline '{discipline}'; use one of {', '.join(self.catalog.discipline_ids)} (or None)")
        self.student_id, self.discipline, self.quality, self.seed, self.name = student_id, resolved, quality, seed, name
        base = _rng(seed, student_id)  # student-level choices: the same in every module
        self.voice = base.choices(VOICES, weights=_VOICE_WEIGHTS)[0]
        details = _texts()["people"]["disciplines"][resolved or "none"]
        sector = _texts()["people"]["sectors"][self.career.sector]
        self.idea: dict[str, Any] = _texts()["ideas"][sector["idea"]]
        self.ctx: dict[str, str] = {k: base.choice(v) for k, v in details.items()}
        self.ctx.update({k: base.choice(sector[k]) for k in ("task", "hard", "assumption", "advice")})
        career_name = outreach.lower_title(self.career.title)
        self.ctx.update(
            career=career_name, a_career=outreach.with_article(career_name), A_career=outreach.with_article(career_name).capitalize(),
            title=self.career.title, sector=self.catalog.sector(self.career.sector).name.lower(), weekday=base.choice(WEEKDAYS),
            org=base.choice(sector["orgs"]), idea=self.idea["name"], customer=self.idea["customer"],
            a_customer=outreach.with_article(self.idea["customer"]), minutes=str(base.choice((25, 30, 40, 45))),
        )
        self.orgs: list[str] = list(sector["orgs"])
        self.profile = self._profile(base)
        ranked = gap(profile_from_dict(self.profile, catalog=self.catalog), self.career, catalog=self.catalog).top(3)
        ratings = {c: v["rating"] for c, v in self.profile["competencies"].items()}
        self.ctx.update(
            strength=SHORT_NAMES[max(COMPETENCY_IDS, key=lambda c: ratings[c])],
            gap=SHORT_NAMES[ranked[0].competency],
            value=self.catalog.value(self.profile["values"][0]).name.lower() if self.profile["values"] else "learning",
        )

    def rng(self, *parts: object) -> random.Random:
        return _rng(self.seed, self.student_id, self.quality, *parts)

    def _profile(self, base: random.Random) -> dict[str, Any]:
        pools = _texts()["texts"]
        q = self.quality
        values = base.sample(self.catalog.value_ids, 5)
        others = [s for s in self.catalog.sector_ids if s != self.career.sector]
        if q == "weak":
            ratings = {c: base.choice((2, 3, 3)) for c in COMPETENCY_IDS}
            comps = {c: {"rating": r, "evidence": base.choice(("", "", "yes", "good at this"))} for c, r in ratings.items()}
            return {"student_id": self.student_id, "discipline": self.discipline, "values": values[: base.randint(0, 2)],
                    "interests": [], "sectors": [], "competencies": comps}  # fmt: skip
        ratings = {c: base.choice((0, 1, 1, 2, 2, 2, 3)) for c in COMPETENCY_IDS}
        top, low = base.sample(COMPETENCY_IDS, 2)
        ratings[top], ratings[low] = 3, min(ratings[low], 1)
        with_evidence = COMPETENCY_IDS if q == "strong" else base.sample(COMPETENCY_IDS, 4)
        comps = {}
        for c in COMPETENCY_IDS:
            evidence = _fill(base.choice(pools["evidence"][c]), self.ctx) if c in with_evidence and ratings[c] > 0 else ""
            comps[c] = {"rating": ratings[c], "evidence": evidence}
        n = 3 if q == "strong" else 2
        return {
            "student_id": self.student_id,
            "discipline": self.discipline,
            "values": values[: 5 if q == "strong" else 3],
            "interests": list(dict.fromkeys(_fill(t, self.ctx) for t in base.sample(pools["interests"], n))),
            "sectors": [self.career.sector, *base.sample(others, n - 2)],
            "competencies": comps,
        }

    def reflection(self, kind: str, rng: random.Random, ctx: Mapping[str, str] | None = None) -> str:
        """A reflection whose depth follows the tier, in the student's voice."""
        pools = _texts()["texts"]["reflections"][kind]
        ctx = {**self.ctx, **(ctx or {})}

        def pick(slot: str, k: int) -> list[str]:  # in pool order: an introduction stays first
            return [pools[slot][i] for i in sorted(rng.sample(range(len(pools[slot])), k))]

        if self.quality == "strong":
            parts = [pick("what", 2), pick("so_what", 2), pick("now_what", rng.randint(1, 2))]
        elif self.quality == "average":
            parts = [pick("what", rng.randint(1, 2)), pick("so_what", 1) + (pick("vague", 1) if rng.random() < 0.5 else [])]
        elif rng.random() < 0.6:
            parts = [pick("flat", 3)]
        else:
            parts = [[rng.choice(pools["thin"])]]
        text = "\n\n".join(" ".join(_fill(s, ctx) for s in group) for group in parts if group)
        return _voice(text, self.voice, rng)


# --- voices ---------------------------------------------------------------------------

_NON_NATIVE = (
    (r"\bIt surprised me\b", "It was surprising for me"), (r"\badvice\b", "advices"), (r"\binformation\b", "informations"),
    (r"\bfor about (\d+) minutes", r"during around \1 minutes"), (r"\bI have booked\b", "I booked already"),
    (r"\bdiscuss\b", "discuss about"), (r"\bwhich tells me\b", "what tells me"), (r"\bmost of the week\b", "the most of week"),
)  # fmt: skip


def _voice(text: str, voice: str, rng: random.Random) -> str:
    """Rewrite a text in one of :data:`VOICES` (deterministic for the same ``rng`` state)."""
    if voice == "informal":
        for a, b in (("I will", "I'll"), ("I am", "I'm"), ("I have ", "I've "), ("do not", "don't"), ("did not", "didn't"), ("because", "bc")):
            text = text.replace(a, b)
        text = text.lower()
        return re.sub(r"\.(\s|$)", lambda m: (" lol." if rng.random() < 0.15 else ".") + m.group(1), text, count=2)
    if voice == "typos":

        def typo(m: re.Match[str]) -> str:
            w = m.group(0)
            if _PROTECTED.search(w) or rng.random() > 0.08:
                return w
            i = rng.randrange(1, len(w) - 2)
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]

        return re.sub(r"\b[a-z]{7,}\b", typo, text)
    if voice == "non_native":
        for pattern, repl in _NON_NATIVE:
            text = re.sub(pattern, repl, text)
        return re.sub(r"\bthe (?=[a-z])", lambda m: "" if rng.random() < 0.3 else m.group(0), text)
    return text


# --- the modules ----------------------------------------------------------------------


def _m1(st: _Student) -> dict[str, Any]:
    profile = st.profile
    if st.quality == "weak":
        profile = {**profile, "competencies": {c: dict(v) for c, v in profile["competencies"].items()}}
    return {"profile": profile, "reflection": st.reflection("skills", st.rng("m1"))}


def _m2(st: _Student) -> dict[str, Any]:
    rng, texts, c, q = st.rng("m2"), _texts()["texts"], st.career, st.quality
    research = texts["research"]
    person = rng.choice(_texts()["people"]["people"])[0].split()[0]
    ctx = {**st.ctx, "person": person, "n": str(rng.randint(4, 9)), "description": " ".join(c.description.split())}
    ctx.update(route1=c.entry_routes[0], route2=c.entry_routes[-1] if len(c.entry_routes) > 1 else c.entry_routes[0])
    met = " and ".join(st.catalog.value(v).name.lower() for v in c.values_met[:2])
    ctx.update(met=met or "variety", strained=" and ".join(st.catalog.value(v).name.lower() for v in c.values_strained[:2]) or "balance")
    first_sentence = re.split(r"(?<=\.)\s", ctx["description"])[0]
    if q == "strong":
        summary = _fill(research["strong_summary"], ctx)
        surprises = _fill(rng.choice(research["strong_surprises"]), ctx)
        sources = [_fill(s, ctx) for s in rng.sample(research["strong_sources"], rng.randint(3, 5))]
    elif q == "average":
        summary = f"{first_sentence} One way in is to {ctx['route1']}."
        surprises = _fill(rng.choice(research["average_surprises"]), ctx)
        sources = [_fill(s, ctx) for s in rng.sample(research["average_sources"], 2)]
    else:
        summary, surprises, sources = first_sentence, rng.choice(research["weak_surprises"]), list(rng.choice(research["weak_sources"]))
    profile = profile_from_dict(st.profile, catalog=st.catalog)
    guide = []
    for g in build_guide(profile, c, minutes=25, seed=st.seed, catalog=st.catalog):
        if q == "strong":
            why = _fill(rng.choice(texts["guide"]["why"][g.category]), ctx)
            hope = _fill(rng.choice(texts["guide"]["hope"][g.category]), ctx)
        elif q == "average":
            why, hope = g.why, g.hope
        else:
            why, hope = rng.choice(("", "", "to know more", "idk")), rng.choice(("", "", "good answer"))
        guide.append({"question_id": g.id, "text": g.text, "why": _voice(why, st.voice, rng), "hope": hope})
    return {
        "research": {"summary": _voice(summary, st.voice, rng), "surprises": _voice(surprises, st.voice, rng), "sources": sources},
        "guide": guide,
        "messages": _messages(st, profile, rng, ctx),
        "meeting": _meeting(st, rng),
    }


def _messages(st: _Student, profile: Any, rng: random.Random, ctx: Mapping[str, str]) -> dict[str, dict[str, str]]:
    texts = _texts()["texts"]
    if st.quality == "weak":
        sender = st.name or "[your name]"
        body = texts["weak_messages"]["email"][rng.randrange(2)]
        wctx = {**ctx, "sender": sender}
        return {
            "email": {"subject": rng.choice(texts["weak_messages"]["email_subjects"]), "body": body.format_map(_Format(wctx))},
            "linkedin": {"body": rng.choice(texts["weak_messages"]["linkedin"]).format_map(_Format(wctx))},
        }
    email_conn = linkedin_conn = ""
    if st.quality == "strong":
        email_conn = _fill(rng.choice(texts["connections"]["email"]), ctx)
        linkedin_conn = _fill(rng.choice(texts["connections"]["linkedin"]), ctx)
    try:
        email = outreach.cold_email(profile, st.career, connection=email_conn, sender=st.name, catalog=st.catalog)
    except LimitError:  # a long connection text: keep the template's own opening
        email = outreach.cold_email(profile, st.career, sender=st.name, catalog=st.catalog)
    try:
        note = outreach.linkedin_note(profile, st.career, connection=linkedin_conn, catalog=st.catalog)
    except LimitError:
        note = outreach.linkedin_note(profile, st.career, catalog=st.catalog)
    subject, body = email.subject, email.body
    if st.quality == "strong":
        subject = f"{ctx['field'].capitalize()} student: 20 minutes about your path into {ctx['sector']}?"
        body = body.replace("\n[your name]", "").replace("I would be glad to fit around your schedule.", "Any time that suits you works for me.")
    return {"email": {"subject": subject, "body": body}, "linkedin": {"body": note.body}}


def _meeting(st: _Student, rng: random.Random) -> dict[str, str]:
    plans = _texts()["texts"]["meeting"]
    if st.quality == "strong":
        location = rng.choice(("video", "public_place", "workplace", "phone"))
        return {"location": location, "plan": rng.choice(plans[location])}
    if st.quality == "average":
        return {"location": rng.choice(("video", "phone", "public_place")), "plan": rng.choice(plans["average"])}
    return {"location": rng.choice(("private_home", "other", "video")), "plan": rng.choice(plans["weak"])}


def _m3(st: _Student) -> dict[str, Any]:
    rng, q = st.rng("m3"), st.quality
    n = {"strong": rng.randint(3, 5), "average": rng.randint(2, 3), "weak": 1}[q]
    same_sector = [c for c in st.catalog.in_sector(st.career.sector) if c.id != st.career.id]
    careers = [st.career, *rng.sample(same_sector, min(n - 1, len(same_sector)))]
    careers += [st.career] * (n - len(careers))
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted(FIRST_DAY + dt.timedelta(days=d) for d in rng.sample(range(span + 1), n))
    people = rng.sample(_texts()["people"]["people"], n)
    sector = _texts()["people"]["sectors"][st.career.sector]
    rows = []
    for i, (career, day, (person, pronoun)) in enumerate(zip(careers, days, people, strict=True)):
        role = outreach.lower_title(career.title)
        fmt = rng.choice(FORMATS)
        location = fmt if fmt != "in_person" else ("private_home" if q == "weak" and rng.random() < 0.3 else rng.choice(("public_place", "workplace")))
        referral = careers[i + 1] if i + 1 < n else rng.choice(same_sector or [career])
        they = {"she": ("she", "her"), "he": ("he", "his"), "they": ("they", "their")}[pronoun]
        ctx = {
            "person": person.split()[0], "They": they[0].capitalize(), "their": they[1], "role": role, "a_role": outreach.with_article(role),
            "org": st.orgs[i % len(st.orgs)], "task": rng.choice(sector["task"]), "hard": rng.choice(sector["hard"]),
            "advice": rng.choice(sector["advice"]), "format": fmt.replace("_", " "), "minutes": str(rng.choice((20, 30, 40, 45))),
            "referral": outreach.with_article(outreach.lower_title(referral.title)),
        }  # fmt: skip
        if q == "strong":
            takeaways = f"Most of the week goes into {ctx['task']}. Hardest part: {ctx['hard']}. Advice: {ctx['advice']}."
            outcomes = rng.sample(OUTCOMES[:5], rng.randint(1, 2)) if i == 0 or rng.random() < 0.75 else []
            thanks: dt.date | None = day + dt.timedelta(days=rng.randint(0, 1))
        elif q == "average":
            takeaways = f"Advice: {ctx['advice']}."
            outcomes = ["lead"] if rng.random() < 0.4 else []
            thanks = day + dt.timedelta(days=rng.randint(1, 3)) if rng.random() < 0.6 else None
        else:
            takeaways, outcomes, thanks = rng.choice(("good chat", "interesting", "")), [], None
        ascii_name = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode().lower()
        rows.append({
            "date": day.isoformat(), "career_id": career.id, "interviewee_role": role[:1].upper() + role[1:],
            "organisation": ctx["org"], "interviewee_name": person,
            "interviewee_contact": rng.choice((ascii_name.replace(" ", ".") + "@example.org", f"+1 555 01{rng.randint(10, 99)}")),
            "source": rng.choice(("alumni", "peer", "linkedin", "referral") if i else ("alumni", "peer", "linkedin", "cold")),
            "format": fmt, "location": location, "minutes": int(ctx["minutes"]), "takeaways": takeaways,
            "thank_you_date": thanks.isoformat() if thanks else None, "outcomes": outcomes,
            "consent_to_share": q == "strong" and rng.random() < 0.8,
            "reflection": st.reflection("interview", rng, ctx),
        })  # fmt: skip
    return {"interviews": rows}


def _feedback_day(rng: random.Random) -> str:
    return (LAST_DAY - dt.timedelta(days=rng.randint(3, 20))).isoformat()


def _m4(st: _Student) -> dict[str, Any]:
    rng, idea, q = st.rng("m4"), st.idea, st.quality
    customer = rng.choice(_texts()["people"]["people"])[0].split()[0]
    me = f"the {st.ctx['field']} PhD behind {idea['name']}"
    panels = [
        {"scene": f"{idea['place']}.", "direction": f"{customer} {idea['pain']}.", "dialogue": f"{customer} (thinking): I don't know how we will manage this."},
        {"scene": f"A video call between {customer} and {me}.", "direction": f"After twenty minutes of listening, {me} offers {idea['service']}.",
         "dialogue": "Me: Let's look at what you already have before you spend anything."},
        {"scene": "Two weeks later, the same desk, now with one clear document on it.", "direction": f"{customer} receives {idea['deliverable']}.",
         "dialogue": f"{customer}: So this is what we were missing."},
        {"scene": "A wall calendar with weekly check-ins, each one ticked off.", "direction": "Every week they review progress in a short call and fix one problem at a time.",
         "dialogue": "Caption: One named expert, no surprises."},
        {"scene": f"{customer} presents the results to the rest of the team.", "direction": "The team asks hard questions; the answers are all in the document.",
         "dialogue": f"Colleague: Why didn't we do this a year ago, {customer}?"},
        {"scene": "The same place as the first panel, calm and tidy.", "direction": f"{customer} smiles at the result: {idea['outcome']}.",
         "dialogue": f"{customer}: We can finally focus on the work that matters."},
    ]  # fmt: skip
    adviser = outreach.lower_title(rng.choice(st.catalog.in_sector(st.career.sector)).title)
    if q == "strong":
        feedback = {
            "role": f"{adviser} I interviewed"[:80], "date": _feedback_day(rng),
            "resonated": "The first panel: that is exactly the panic they see in customers. The deliverable in panel 3 is the real value.",
            "confusing": "Panel 4 does not say who pays for the weekly check-ins, and panel 5 is not needed.",
            "suggestions": f"Put a price in the story, say how {customer} heard about the service, and consider a second kind of customer.",
        }  # fmt: skip
    else:
        panels = [panels[0], panels[1], panels[2], {**panels[5], "direction": f"{customer} shakes hands with {me}.", "dialogue": "Caption: The end."}]
        feedback = {"role": adviser if q == "average" else rng.choice(("my friend", "Dr. Novak", "supervisor")), "date": _feedback_day(rng),
                    "resonated": "The problem is real.", "confusing": "The middle part." if q == "average" else "",
                    "suggestions": "Make the price clearer." if q == "average" else "more pictures"}  # fmt: skip
        if q == "weak":
            panels = [
                {"scene": "office", "direction": f"{customer} has a problem", "dialogue": "help!"},
                {"scene": "meeting", "direction": "", "dialogue": f"{idea['name']} can help"},
                {"scene": "office", "direction": "problem solved", "dialogue": "thanks!"},
            ]
    role = feedback["role"]
    adviser_phrase = role if role.startswith(("my ", "Dr")) else outreach.with_article(role)
    feedback["response"] = st.reflection("storyboard", st.rng("m4", "response"), {"a_adviser": adviser_phrase})
    storyboard = {"title": idea["title"] if q != "weak" else idea["name"], "persona": f"{customer}, {idea['persona']}", "panels": panels, "feedback": [feedback]}
    reflection = st.reflection("storyboard", rng, {"a_adviser": adviser_phrase})
    return {"storyboard": storyboard, "reflection": reflection}


def _m5(st: _Student) -> dict[str, Any]:
    rng, idea, q = st.rng("m5"), st.idea, st.quality
    segs = [{"id": i, "text": t} for i, t in idea["segments"]]
    ids = [s["id"] for s in segs]

    def fill(text: str) -> str:
        return text.format_map(_Format(st.ctx))

    if q == "weak":
        canvas: dict[str, Any] = {
            "title": idea["name"], "variant": "business",
            "customer_segments": [f"{idea['customer']}s", "companies"], "value_propositions": ["good service", "save time"],
            "channels": ["social media", "word of mouth"], "revenue_streams": ["fees"],
            "key_resources": ["me"] if rng.random() < 0.5 else [], "key_activities": [], "key_partners": [],
            "customer_relationships": [], "cost_structure": ["costs"],
        }  # fmt: skip
        return {"canvas": canvas}
    canvas = {
        "title": idea["title"], "variant": "business", "customer_segments": segs,
        "value_propositions": [{"text": t, "segments": [s]} for t, s in zip(idea["value"], ids, strict=True)],
        "channels": [{"text": t, "segments": [s]} for t, s in zip(idea["channels"], ids, strict=True)],
        "customer_relationships": [{"text": t, "segments": [s]} for t, s in zip(idea["relationships"], ids, strict=True)],
        "revenue_streams": [{"text": t, "segments": [s], "how": how} for t, how, s in idea["revenue"]],
        "key_resources": [fill(t) for t in idea["resources"]],
        "key_activities": [{"id": i, "text": t} for i, t in idea["activities"]],
        "key_partners": list(idea["partners"]),
        "cost_structure": [{"text": t, "covers": list(cov)} for t, cov in idea["costs"]],
    }  # fmt: skip
    ratings = {c: v["rating"] for c, v in st.profile["competencies"].items()}
    strongest = sorted((c for c in COMPETENCY_IDS if ratings[c] >= 2), key=lambda c: -ratings[c])[:3]
    canvas["draws_on"] = {"competencies": strongest, "values": st.profile["values"][:3]}
    if q == "average":  # loose links, a vague channel, money without numbers
        canvas["customer_segments"] = [s["text"] for s in segs]
        canvas["value_propositions"] = [v["text"] for v in canvas["value_propositions"]]
        canvas["channels"] = [canvas["channels"][0]["text"], "social media"]
        canvas["customer_relationships"] = [r["text"] for r in canvas["customer_relationships"]]
        canvas["revenue_streams"] = [{"text": re.sub(r"(?: of| at)? [\d,.]+ EUR", "", r["text"]), "how": r["how"]} for r in canvas["revenue_streams"]]
        canvas["cost_structure"] = [c["text"] for c in canvas["cost_structure"]][:1] + ["Marketing"]
        del canvas["draws_on"]
    return {"canvas": canvas}


_BUILDERS = {"m1-skills": _m1, "m2-career": _m2, "m3-interviews": _m3, "m4-storyboard": _m4, "m5-canvas": _m5}


# --- the public API -------------------------------------------------------------------


def answers_for(module_id: str, *, student_id: str, discipline: str | None, career_id: str, quality: str, seed: int, name: str = "") -> dict[str, Any]:
    """One student's ``answers.json`` content for one module (``{}`` for an empty submission).

    ``discipline`` is a catalog discipline id or roster text (None when unknown);
    ``name`` signs the outreach messages (left as the template's placeholder when empty).
    """
    if module_id not in _BUILDERS:
        raise UsageError(f"unknown module '{module_id}'{did_you_mean(module_id, MODULES)}; modules are {', '.join(MODULES)}")
    student = _Student(student_id, discipline, career_id, quality, seed, name)
    if quality == "empty":
        return {}
    return {"student_id": student_id, **_BUILDERS[module_id](student)}


def write_submission(
    release_dir: str | Path, submit_dir: str | Path, module_id: str, *,
    student_id: str, discipline: str | None, career_id: str, quality: str, seed: int, name: str = "",
) -> Path:  # fmt: skip
    """Copy the released module folder into ``submit_dir`` and write the answers; returns ``submit_dir``.

    An ``empty`` submission gets no ``answers.json``: the folder is the release untouched.
    """
    source = Path(release_dir) / module_id
    if not source.is_dir():
        raise DataError(f"no released module folder {source}; release '{module_id}' first")
    answers = answers_for(module_id, student_id=student_id, discipline=discipline, career_id=career_id, quality=quality, seed=seed, name=name)
    target = Path(submit_dir)
    shutil.copytree(source, target, dirs_exist_ok=True)
    if answers:
        atomic_write_text(target / ANSWERS_FILE, json.dumps(answers, indent=2, ensure_ascii=False) + "\n")
    return target


def break_submission(submit_dir: str | Path, module_id: str, kind: str) -> str:
    """Damage the submitted notebook ``<module_id>.ipynb`` as students do; returns a one-line description."""
    if kind not in BREAKAGES:
        raise UsageError(f"unknown breakage '{kind}'{did_you_mean(kind, BREAKAGES)}; breakages are {', '.join(BREAKAGES)}")
    path = Path(submit_dir) / f"{module_id}.ipynb"
    if not path.is_file():
        raise DataError(f"no notebook to break: {path} does not exist")
    text = path.read_text(encoding="utf-8")
    if kind == "invalid_json":
        cut = len(text) // 2
        path.write_text(text[:cut], encoding="utf-8")
        return f"{path.name}: truncated at character {cut} of {len(text)} (not valid JSON any more)"
    try:
        nb = json.loads(text)
        cells: list[dict[str, Any]] = nb["cells"]
    except (ValueError, KeyError, TypeError):
        raise DataError(f"{path} is not a notebook (no JSON object with 'cells'); cannot break it with '{kind}'") from None
    index = next((i for i, c in enumerate(cells) if _is_test_cell(c)), None)
    if index is None:
        raise DataError(f"{path} has no graded test cell (nbgrader grade true, solution false) to break with '{kind}'")
    test = cells[index]
    grade_id = test["metadata"]["nbgrader"].get("grade_id", f"cell {index}")
    if kind in BREAK_CELLS:
        cell: dict[str, Any] = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": BREAK_CELLS[kind]}
        if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
            taken = {c.get("id") for c in cells}
            cell["id"] = next(f"{kind.replace('_', '-')}-{n}" for n in range(len(cells) + 1) if f"{kind.replace('_', '-')}-{n}" not in taken)
        cells.insert(index, cell)
        what = f"inserted `{BREAK_CELLS[kind]}` before test cell '{grade_id}'"
    elif kind == "deleted_test":
        del cells[index]
        what = f"deleted test cell '{grade_id}'"
    else:
        points = test["metadata"]["nbgrader"].get("points", 0)
        test["source"] = f"# this test kept failing, so I fixed it\n{points!r}"
        test["outputs"], test["execution_count"] = [], None
        what = f"replaced test cell '{grade_id}' with a line worth its {points} points"
    atomic_write_text(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return f"{path.name}: {what}"


def _is_test_cell(cell: Mapping[str, Any]) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade") is True and not meta.get("solution", False)


def plan_cohort(students: Iterable[_HasId], *, seed: int) -> dict[str, str]:
    """student_id -> quality: mostly average, about a quarter strong, a fifth weak, one or two empty."""
    ids = sorted(s.student_id for s in students)
    if len(set(ids)) != len(ids):
        raise DataError("plan_cohort: a student_id appears twice")
    n = len(ids)
    empty = 0 if n < 4 else 1 if n < 16 else 2
    strong, weak = round(n * STRONG_SHARE), round(n * WEAK_SHARE)
    order = list(ids)
    random.Random(f"careerkit-cohort:{seed}").shuffle(order)
    tiers = ["empty"] * empty + ["strong"] * strong + ["weak"] * weak
    tiers += ["average"] * (n - len(tiers))
    plan = dict(zip(order, tiers, strict=True))
    return {sid: plan[sid] for sid in ids}
