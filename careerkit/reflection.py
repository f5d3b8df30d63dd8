"""Skill-reflection scoring: depth level 0-3 and NACE competencies with evidence.

Implements the course rubric (``reflection-rubric.md``): level 0 is not a reflection
(empty, off-topic, a copy of the prompt, gibberish, a bare list of skill words, or
about 20 words or fewer), 1 describes (What?), 2 connects the experience to the
writer's own skills, values, interests or assumptions (So what?), 3 adds a concrete
next step that follows (Now what?). A competency counts when a sentence discusses it
with substance, never for a word in a list.

Two layers, both visible to a TA:

1. Rules (``careerkit.reflection_rules``). Cue patterns from ``data/reflection_lexicon.yaml`` mark each sentence as a
   self-connection, a plan (concrete or vague) and as carrying competency cues; gates catch
   non-reflections. Hard gates (empty, too short, not English, gibberish, a bare list, a
   copy of the prompt) decide level 0 alone.
2. Fitted models (``careerkit.reflection_model``, ``data/reflection_model.json.gz``): a level
   model that reads the rules' verdict together with the words, and per competency a model of
   the whole reflection mixed with a model of single sentences (learnt from the evidence
   sentences TAs would point at). A vague plan never makes level 3 whatever the model says.

Every result carries ``reasons``: the sentence that connects to the writer, the plan, where
the model overruled the rules and on which words, and the words behind each competency.
Standard library only, so graded notebooks import it fast.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from careerkit.catalog import COMPETENCY_IDS
from careerkit.errors import CareerkitError, DataError
from careerkit.reflection_model import KEEP, MODEL_FILE, CompetencyModel, LinearModel, read_models
from careerkit.reflection_rules import GATE_CONFIDENCE, HARD_GATES, Sentence, level_features, lexicon, lower_words, read, rules_confidence

MODEL_REQUIRED = True  # tools/train_reflection.py turns this off while it refits the models
LEVEL_NAMES = ("not a reflection", "descriptive (What?)", "interpretive (So what?)", "critical and forward-looking (Now what?)")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreConfig:
    """How level and competencies turn into nbgrader points.

    ``score = max_points * (level_share[level] * (1 - competency_share)
    + competency_share * min(shown, competency_cap) / competency_cap)``; level 0 scores 0.
    """

    max_points: float = 4.0
    level_share: tuple[float, float, float, float] = (0.0, 0.5, 0.8, 1.0)
    competency_share: float = 0.2
    competency_cap: int = 2

    def __post_init__(self) -> None:
        if self.max_points <= 0:
            raise DataError(f"max_points must be positive, got {self.max_points}")
        if len(self.level_share) != 4 or not all(0.0 <= s <= 1.0 for s in self.level_share):
            raise DataError(f"level_share needs four shares between 0 and 1, got {self.level_share}")
        if list(self.level_share) != sorted(self.level_share):
            raise DataError("level_share must not decrease with the level")
        if not 0.0 <= self.competency_share <= 1.0 or self.competency_cap < 1:
            raise DataError("competency_share must be 0-1 and competency_cap at least 1")

    def points(self, level: int, shown: int) -> float:
        if level == 0:
            return 0.0
        share = self.level_share[level] * (1 - self.competency_share)
        share += self.competency_share * min(shown, self.competency_cap) / self.competency_cap
        return round(float(self.max_points * share), 2)


DEFAULT_CONFIG = ScoreConfig()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReflectionScore:
    """The scorer's verdict on one reflection, with the evidence behind it."""

    level: int
    competencies: Mapping[str, tuple[str, ...]]
    feedback: str
    score: float
    max_score: float
    confidence: float
    reasons: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    words: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "competencies", MappingProxyType(dict(sorted(self.competencies.items()))))

    @property
    def competency_ids(self) -> tuple[str, ...]:
        """Ids of the competencies shown, in alphabetical order."""
        return tuple(self.competencies)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "level_name": self.level_name,
            "competencies": {k: list(v) for k, v in self.competencies.items()},
            "feedback": self.feedback,
            "score": self.score,
            "max_score": self.max_score,
            "confidence": self.confidence,
            "reasons": list(self.reasons),
            "flags": list(self.flags),
            "words": self.words,
        }

    def __str__(self) -> str:
        lines = [f"Level {self.level}: {self.level_name} - {self.score:g}/{self.max_score:g} points (confidence {self.confidence:.2f})"]
        for cid, sentences in self.competencies.items():
            lines.append(f"  {cid}: \"{_clip(sentences[0])}\"")
        lines += [f"  why: {r}" for r in self.reasons]
        lines.append(f"Next: {self.feedback}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        items = "".join(f"<li><b>{esc(c)}</b>: &ldquo;{esc(_clip(s[0]))}&rdquo;</li>" for c, s in self.competencies.items())
        reasons = "".join(f"<li>{esc(r)}</li>" for r in self.reasons)
        return (
            f"<div class='careerkit-reflection'><p><b>Level {self.level}</b> &mdash; {esc(self.level_name)}; "
            f"<b>{self.score:g}/{self.max_score:g}</b> points</p>"
            f"<p>Competencies shown:</p><ul>{items or '<li>none yet</li>'}</ul>"
            f"<p>Why:</p><ul>{reasons}</ul><p><b>Next step:</b> {esc(self.feedback)}</p></div>"
        )


def _clip(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


@functools.cache
def _models() -> tuple[CompetencyModel | None, LinearModel | None]:
    """The competency and level models of ``data/reflection_model.json.gz``."""
    from careerkit.files import data_path

    try:
        fitted = read_models(data_path(MODEL_FILE))
        return (
            CompetencyModel.from_json(fitted, COMPETENCY_IDS),
            LinearModel.from_json(fitted.get("level"), ("0", "1", "2", "3"), "level"),
        )
    except DataError:
        if MODEL_REQUIRED:
            raise
        return None, None  # tools/train_reflection.py is refitting them; until then the rules alone decide


def score(text: str | None, *, kind: str | None = None, config: ScoreConfig = DEFAULT_CONFIG) -> ReflectionScore:
    """Score one reflection against the rubric; never raises on odd text (empty, huge, HTML, emoji)."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise DataError(f"a reflection must be text, got {type(text).__name__}")
    lex = lexicon()
    competency_model, level_model = _models()
    r = read(text, lex)
    words, flags, gate, selfs, concrete, vague, rule = r.words, r.flags, r.gate, r.selfs, r.concrete, r.vague, r.rule
    if gate in HARD_GATES:
        return _verdict(0, {}, gate, words, flags + [gate], config, confidence=GATE_CONFIDENCE[gate])
    substantive = r.substantive
    reasons: list[str] = []
    confidence = GATE_CONFIDENCE[gate] if gate else rules_confidence(rule, selfs, concrete, vague, len(words))
    level, model_note = rule, ""
    if level_model is not None:
        features = level_features(r)
        probs = level_model.probabilities(features)
        level = max(range(4), key=probs.__getitem__)
        if level == 0 and rule >= 2 and probs[0] < SURE_NOT_A_REFLECTION:
            level = max(range(1, 4), key=probs.__getitem__)  # the rules found a self-connection: no zero on a hunch
        if level == 3 and vague and not concrete:  # the rubric: a vague plan never makes level 3
            level = 2
        confidence = round(max(0.3, min(0.99, probs[level])), 2)
        if level != rule:
            words_for = level_model.explain(features, str(level), words=lower_words(" ".join(r.unique)))
            model_note = f"the level model reads level {level} (the rules alone: {rule}" + (f"; words: {', '.join(words_for)})" if words_for else ")")
    if gate:
        flags.append(gate)
    if level == 0:
        verdict = _verdict(0, {}, gate or "unclear", words, flags, config, confidence=confidence)
        return replace(verdict, reasons=(*verdict.reasons, model_note)) if model_note else verdict
    if selfs:
        reasons.append(f"connects to the writer (\u201c{selfs[0].self_cue}\u201d): {_clip(selfs[0].text, 120)}")
    elif level == 1:
        reasons.append("describes what happened but never says what it means for the writer")
    if concrete and level >= 2:
        reasons.append(f"concrete next step: {_clip(concrete[0].text, 120)}")
    elif vague and level >= 2:
        reasons.append(f"a next step, but too vague to act on: {_clip(vague[0].text, 120)}")
        flags.append("vague_plan")
    if level == 1 and (concrete or vague):
        flags.append("plan_without_connection")
    if model_note:
        reasons.append(model_note)
    comps, why = _competencies(substantive, competency_model)
    reasons += [f"shows {w}" for w in why]
    return _verdict(level, comps, "", words, flags, config, confidence=confidence, reasons=reasons, vague=bool(vague) and not concrete, plan=bool(concrete or vague))


# The level model overrules a self-connection the rules found with "not a reflection" (zero
# points) only when it is this sure. Chosen with each writer of the development set left out in
# turn, when it had 7 writers: 5 more of 234 non-reflections got a level, and short genuine
# reflections kept theirs.
SURE_NOT_A_REFLECTION = 0.7


def sentence_features(s: Sentence) -> list[str]:
    """Active features of one sentence for the competency model: its words and word pairs, the
    lexicon's cue groups that fired, who speaks, whether it is a plan, and its length."""
    return list(s.features)


def document_features(sentences: list[Sentence], per_sentence: list[list[str]]) -> list[str]:
    """Features of a whole reflection: every sentence's, and how many sentences carry each competency's cues."""
    feats = {f for fs in per_sentence for f in fs}
    for cid in COMPETENCY_IDS:
        n = sum(1 for s in sentences if cid in s.competency_cues)
        feats.update(f"n:{cid}:{k}" for k in (1, 2, 3, 5) if n >= k)
    return list(feats)


@functools.cache
def _function_words() -> frozenset[str]:
    """Words that say nothing about a competency on their own ("when", "the"; not "we")."""
    return lexicon().english - KEEP


def _competencies(sentences: list[Sentence], model: CompetencyModel | None) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Competencies shown, each with its evidence sentences, and a line per competency saying why.

    The model (``data/reflection_model.json.gz``) mixes a reading of the whole reflection with a
    reading of each sentence; a competency above zero is shown, and its evidence is the sentence
    the sentence model scores highest, with the next one when that one shows it too."""
    if model is None or not sentences:
        return {}, []
    per = [sentence_features(s) for s in sentences]
    z, per_sentence = model.scores(document_features(sentences, per), per)
    comps: dict[str, tuple[str, ...]] = {}
    why: list[str] = []
    function_words = _function_words()
    for k, v in enumerate(z):
        if v <= 0:
            continue
        cid = model.labels[k]
        ranked = sorted(range(len(sentences)), key=lambda i: -per_sentence[i][k])
        lead = ranked[0]
        picks = [i for i in ranked[:2] if i == lead or per_sentence[i][k] > 0]
        comps[cid] = tuple(sentences[i].text for i in picks)  # the strongest first
        cues = [w for _, w in sentences[lead].competency_cues.get(cid, ())]
        pushed = model.sentences.explain(per[lead], cid, n=8, words=lower_words(sentences[lead].text))
        telling = [w for w in pushed if any(x not in function_words for x in w.split())]  # "split", "we met"; not "when the"
        words = list(dict.fromkeys(cues + telling))[:4]
        if words:
            why.append(f"{cid.replace('_', ' ')}: {', '.join(words)}")
    return comps, why


_FEEDBACK_ZERO = {
    "empty": "Nothing to score yet: write a few sentences about what happened and what it meant to you.",
    "too_short": "Say more (a few sentences): one thing you learned about the career and one thing you learned about yourself.",
    "non_english": "The automatic scorer reads English only; please write your reflection in English, or ask your TA to grade this one by hand.",
    "gibberish": "This doesn't read as sentences yet: write in full sentences what you heard and what it means for you.",
    "bare_list": "A list of skills is not a reflection yet: pick one skill and tell the story of when you (or your interviewee) used it, and what that showed you.",
    "prompt_copy": "You've restated the question; now answer it in your own words: what did you hear, and what does it mean for you?",
    "copied_bio": "This reads like your interviewee's profile: tell what they said to you and what it meant for you, in your own words.",
    "generic": "This explains the activity in general; write about your own interview, storyboard or inventory: what happened, and what it means for you.",
    "off_topic": "This doesn't seem to be about your interview, storyboard or skills: write about what you learned in this course activity.",
    "buzzwords": "These sentences name skills but nothing is behind them: describe a real moment when you or your interviewee used one, and what it showed you.",
    "unclear": "This doesn't read as a reflection on your interview, storyboard or skills yet: write what happened, in your own words, and what it means for you.",
}


def _verdict(
    level: int,
    comps: Mapping[str, tuple[str, ...]],
    gate: str,
    words: list[str],
    flags: list[str],
    config: ScoreConfig,
    *,
    confidence: float,
    reasons: list[str] | None = None,
    vague: bool = False,
    plan: bool = False,
) -> ReflectionScore:
    if level == 0:
        feedback = _FEEDBACK_ZERO[gate]
        reasons = [f"not a reflection yet: {gate.replace('_', ' ')}"]
        comps = {}
    elif level == 1:
        feedback = "Say what this means for you: which of your own skills, values or interests did you recognise, or which assumption changed?"
        if plan:
            feedback += " Then tie your next step to that insight."
    elif level == 2:
        feedback = (
            "Your next step is too vague to act on: name who you will contact, what you will do, or by when."
            if vague
            else "Add a concrete next step that follows from this insight: who you will contact, what you will do, and by when."
        )
    else:
        missing = [c for c in COMPETENCY_IDS if c not in comps]
        feedback = "Strong reflection: you connected the experience to yourself and planned a concrete step."
        if missing:
            feedback += f" To go further, show a competency you haven't yet, such as {missing[0].replace('_', ' ')}, with an example."
    return ReflectionScore(
        level=level,
        competencies=comps,
        feedback=feedback,
        score=config.points(level, len(comps)),
        max_score=float(config.max_points),
        confidence=confidence,
        reasons=tuple(reasons or ()),
        flags=tuple(dict.fromkeys(flags)),
        words=len(words),
    )


# --- batches --------------------------------------------------------------------------

BATCH_COLUMNS = ("id", "level", "competencies", "score", "confidence", "feedback")


def score_csv(
    path: str,
    *,
    text_column: str = "text",
    id_column: str = "id",
    config: ScoreConfig = DEFAULT_CONFIG,
) -> tuple[list[str], list[dict[str, object]]]:
    """Score every row of a CSV; returns the output header and one record per input row, in order.

    Other input columns are copied through after the scorer's columns. A row that cannot
    be scored gets an empty level and its reason in ``error``; the batch goes on.
    """
    from careerkit.files import read_csv

    header, rows = read_csv(path, required=(id_column, text_column))
    own = (*BATCH_COLUMNS, "level_name", "evidence", "reasons", "error")
    extra = [h for h in header if h and h not in (id_column, text_column) and h not in own]  # an input 'error' column never masks ours
    out_header = [*own, *extra]
    records: list[dict[str, object]] = []
    for row in rows:
        v = row.values
        record: dict[str, object] = {"id": v.get(id_column, "")}
        try:
            result = score(v.get(text_column, ""), config=config)
        except (CareerkitError, ValueError, RecursionError) as exc:  # one bad row never stops the batch
            record.update(level="", competencies="", score="", confidence="", feedback="", level_name="", evidence="", reasons="", error=f"line {row.line}: {exc}")
        else:
            record.update(
                level=result.level,
                competencies=";".join(result.competency_ids),
                score=result.score,
                confidence=result.confidence,
                feedback=result.feedback,
                level_name=result.level_name,
                evidence=" | ".join(f"{c}: {_clip(s[0], 200)}" for c, s in result.competencies.items()),
                reasons=" | ".join(result.reasons),
                error="",
            )
        for h in extra:
            record[h] = v.get(h, "")
        records.append(record)
    return out_header, records
