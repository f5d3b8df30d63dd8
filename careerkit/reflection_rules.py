"""The rules of the reflection scorer: sentences, cues, gates, plans and the rules' own level.

Cue patterns come from ``data/reflection_lexicon.yaml``. Each sentence is analysed once
(``Sentence``): is it substantive (not a bare list, not a generic claim), does it connect to
the writer, is it a plan (concrete or vague), which competencies' cues it carries, and the
word features the fitted models read. ``read`` turns a whole text into a ``Reading``: its
unique sentences, the gate that makes it a non-reflection (if any), the plans and the
rules' level. ``careerkit.reflection`` combines this with the fitted models.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from careerkit.catalog import COMPETENCY_IDS
from careerkit.cue_regex import compile_cues
from careerkit.errors import DataError
from careerkit.reflection_model import length_bin, tokens

MAX_ANALYSED_CHARS = 60_000
SHORT_WORDS = 20


# --- lexicon --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lexicon:
    prompts: tuple[frozenset[str], ...]
    english: frozenset[str]
    foreign: frozenset[str]
    topic: re.Pattern[str]
    self_connection: re.Pattern[str]
    plan: re.Pattern[str]
    plan_when: re.Pattern[str]
    plan_progressive: re.Pattern[str]
    plan_specific: re.Pattern[str]
    plan_vague: re.Pattern[str]
    competencies: re.Pattern[str] = re.compile("$^")
    owner: tuple[tuple[str, int], ...] = ()
    each: tuple[tuple[str, re.Pattern[str]], ...] = ()
    also: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)  # cache of _also


def _alt(patterns: list[str]) -> re.Pattern[str]:
    # One leading \b for all alternatives: checked once per position, not once per pattern (5x faster).
    return re.compile(r"\b(?:" + "|".join(rf"(?:{p})\b" for p in patterns) + ")")


@functools.cache
def lexicon() -> Lexicon:
    from careerkit.files import data_path, read_yaml

    raw = read_yaml(data_path("reflection_lexicon.yaml"))
    english = frozenset(raw["english_function_words"].split())
    try:
        # One regex for all cue groups (one scan per sentence, see careerkit.cue_regex); each
        # pattern ends in an empty capturing group, so m.lastindex tells which fired: group k of
        # the regex is owner[k - 1]. A word that is a cue of two competencies ("translating":
        # communication and equity) is found for the first; ``_also`` finds the others with one
        # regex per competency.
        groups = [(cid, g) for cid in COMPETENCY_IDS for g in range(len(raw["competencies"][cid]))]
        comps, order = compile_cues([p for cid in COMPETENCY_IDS for p in raw["competencies"][cid]])
        owner = [groups[i] for i in order]
        each = tuple((cid, re.compile("(?:" + "|".join(rf"(?:{p})()" for p in raw["competencies"][cid]) + ")")) for cid in COMPETENCY_IDS)
        if comps.groups != len(owner):
            raise DataError("reflection_lexicon.yaml: competency patterns must not use capturing groups; write (?:...)")
        return Lexicon(
            prompts=tuple(frozenset(_content_words(p, english)) for p in raw["prompts"].values()),
            english=english,
            foreign=frozenset(raw["foreign_function_words"].split()) - english,
            topic=_alt(raw["topic"]),
            self_connection=re.compile(r"\b(?:" + "|".join(rf"(?:{p})" for p in raw["self_connection"]) + ")"),
            plan=_alt(raw["plan"]),
            plan_when=_alt(raw["plan_when"]),
            plan_progressive=_alt(raw["plan_progressive"]),
            plan_specific=_alt(raw["plan_specific"]),
            plan_vague=_alt(raw["plan_vague"]),
            competencies=comps,
            owner=tuple(owner),
            each=each,
        )
    except (KeyError, re.error) as exc:
        raise DataError(f"reflection_lexicon.yaml: {exc}") from None


# --- text handling --------------------------------------------------------------------

_TAG = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>|<[^>]{0,500}>", re.S | re.I)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SENT_END = re.compile(r"(?<!\b[DdMm]r\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<=[.!?\u2026])[\"')\]]*\s+|\s*\n\s*|\s+[-\u2013\u2014*\u2022]\s+(?=[A-Za-z])|;\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_SPACES = re.compile(r"[^\S\n]+")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_ANALYSED_CHARS]).translate(_QUOTES)
    text = _TAG.sub(" ", text)
    # One space for a run of spaces or tabs: _SENT_END would try every start of a long run (quadratic).
    return _SPACES.sub(" ", html.unescape(text))


def _sentences(text: str) -> list[str]:
    parts = (p.strip(" \t-*\u2022>#") for p in _SENT_END.split(text))
    return [p for p in parts if p and re.search(r"[^\W\d_]", p)]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content_words(text: str, english: frozenset[str]) -> list[str]:
    return [w for w in _words(text) if len(w) > 2 and w not in english]


def _key(sentence: str) -> str:
    return " ".join(_words(sentence))


# --- analysis -------------------------------------------------------------------------

_TRAIT = (
    r"(?:\w+ ){0,3}(?:adaptable|resilient|innovative|creative|passionate|committed|dedicated|detail[- ]oriented|hard[- ]?working|"
    r"motivated|driven|curious|organi[sz]ed|reliable|flexible|proactive|strong|excellent|natural|great|good|effective|skilled|"
    r"people person|team player|fast learner|quick learner|lifelong learner|critical thinker|problem solver|communicator|leader|"
    r"tech-?savvy|well-?rounded|open-?minded|enthusiastic|eager|confident)"
)
_GENERIC = re.compile(
    r"^(?:(?:i (?:am|'m|have|'ve got|possess|bring|think i have|believe i have|would say i have|consider myself|see myself as)|"
    r"i(?:'m| am) (?:a |an )?)" + _TRAIT + r"|"
    r"i (?:communicate|lead|think|work|write|collaborate|learn|adapt) (?:\w+ ){0,2}(?:effectively|critically|well|by example|hard|quickly|clearly)|"
    r"i (?:will|'ll|want to|hope to|plan to) (?:continue to |keep |always )?(?:grow|develop|learn|improve|leverage|use|apply(?= (?:these|this|what|it|them|my|the (?:lessons|skills|knowledge)))|build on)\b(?! by| at| in the| with (?:dr|prof))|"
    r"(?:going forward|in the future|overall),? i (?:will|'ll)|"
    r"(?:my|our|these|those|all (?:of )?(?:these|my)) (?:\w+ ){0,2}(?:skills?|qualities|strengths|values|competencies|pillars)|"
    r"(?:good |strong |excellent )?(?:communication|teamwork|leadership|professionalism|critical thinking|technology|"
    r"equity|inclusion|networking|problem[- ]solving|time management|collaboration|skills?|soft skills|these skills|all of these|"
    r"being a team player|working in a team|it|this|that|they|research|writing|analysis) (?:is|are|will be|can be|has always been|have always been|makes?|matters?) "
    r"(?:\w+ )?(?:important|key|essential|crucial|vital|necessary|valuable|critical|needed|required|useful|helpful|the key|a must|everything|what matters|the dream|values|huge)|"
    r"(?:every|any|all) (?:jobs?|careers?|employers?|workplaces?|companies) (?:needs?|requires?|wants?|values?|looks? for)|"
    r"(?:the |my |his |her |their |our )?(?:\w+ ){0,2}(?:skills?|values?|interests?|technolog\w*|competenc\w+|strengths?|qualities) (?:needed |required |listed )?(?:is|are|include|includes|were) |"
    r"i (?:also )?(?:have|possess|bring) (?:\w+ ){0,3}(?:skills|abilities|qualities)\b|"
    r"(?:the )?(?:feedback|interview|inventory|conversation|exercise) (?:was|is) (?:very |really |super )?(?:helpful|useful|great|good|interesting|valuable|insightful))"
)
_ANCHOR = re.compile(
    r"\b(?:when|because|since|during|for example|for instance|e\.g|like the time|once|last (?:year|week|month|summer|semester)|"
    r"in my (?:lab|thesis|phd|job|internship|project|research|class|course|program)|\d)\b"
)
_PAST = re.compile(
    r"\bi (?:\w+ed|was|were|had|did|made|ran|took|got|went|led|set|spent|told|said|saw|thought|felt|found|knew|gave|kept|left|began|came|chose|wrote|taught|built|met|became)\b"
)
_FUTURE = re.compile(r"\b(?:will|'ll|going to|gonna|plan|next|tomorrow|(?:have|has) (?:a|an) (?:meeting|appointment|call|interview|session))\b|\bi(?:'m| am|m) \w+ing\b")
_THIRD_PERSON_START = re.compile(r"(?:she|he|they|her|his|their)\b")
# "Next steps:" on its own line: the lines after it are plan items even without "I will".
_PLAN_HEADER = re.compile(r"^(?:[\w' +&/-]{0,40} )?(?:next steps?|plans?|to-?do|action items?|changes|now what|what i(?:'ll| will) do|goals?)\s*:?$")
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine|i'm|im|i've|ive|i'd|i'll)\b|^me\b")
_LIST_SPLIT = re.compile(r"[,;/\n\u2022|]+|\s+-\s+|\band\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """One sentence as the scorer sees it; only a substantive sentence is analysed further."""

    text: str
    words: int
    substantive: bool
    self_cue: str = ""
    plan: bool = False
    plan_specific: bool = False
    plan_vague: bool = False
    dated: bool = False
    competency_cues: Mapping[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    features: tuple[str, ...] = ()  # for the models (careerkit.reflection_model); only words for a non-substantive sentence


def _analyse(sentence: str, lex: Lexicon) -> Sentence:
    low = sentence.lower()
    words = _words(low)
    n = len(words)
    generic = bool(_GENERIC.match(low)) and not _ANCHOR.search(low) and n < 25
    substantive = n >= 5 and not generic and not _is_list(low, lex)
    if not substantive:
        return Sentence(text=sentence.strip(), words=n, substantive=False, features=tuple(tokens(words, lex.english)))
    first = bool(_FIRST_PERSON.search(low))
    self_cue = ""
    if first:
        m = lex.self_connection.search(low)
        if m:
            self_cue = m.group(0)
    # A plan needs intent ("I'll", "next step") or, in a first-person sentence that does not
    # narrate the past, a date; "I'm rewriting panel 3" counts only when it is concrete.
    concrete = bool(lex.plan_specific.search(low))
    when = bool(lex.plan_when.search(low))
    plan = bool(lex.plan.search(low)) or (
        first and (when or (concrete and bool(lex.plan_progressive.search(low)))) and not (_PAST.search(low) and not _FUTURE.search(low))
    )
    found: dict[str, list[tuple[int, str]]] = {}
    for m in lex.competencies.finditer(low):
        if m.lastindex:
            word = m.group(0)
            owner = lex.owner[m.lastindex - 1]
            for cid, g in (owner, *_also(word, owner[0], lex)):
                found.setdefault(cid, []).append((g, word))
    cues = {cid: tuple(v) for cid, v in found.items()}
    features = tokens(words, lex.english)
    features += [f"cue:{cid}:{g}" for cid, hits in cues.items() for g in {g for g, _ in hits}]
    features += [f for f, on in (("self", self_cue), ("first", first), ("third", _THIRD_PERSON_START.match(low)), ("plan", plan)) if on]
    features.append(length_bin(n))
    return Sentence(
        text=sentence.strip(),
        words=n,
        substantive=True,
        self_cue=self_cue,
        plan=plan,
        plan_specific=plan and concrete,
        plan_vague=plan and bool(lex.plan_vague.search(low)),
        dated=when or concrete,
        competency_cues=cues,
        features=tuple(features),
    )


def _also(word: str, owner: str, lex: Lexicon) -> tuple[tuple[str, int], ...]:
    """The other competencies (and cue groups) whose cues match the whole of ``word``."""
    hit = lex.also.get(word)
    if hit is None:
        hit = tuple((cid, m.lastindex - 1) for cid, rx in lex.each if cid != owner and (m := rx.fullmatch(word)) and m.lastindex)
        if len(lex.also) < 100_000:  # a bounded cache: cue words are few
            lex.also[word] = hit
    return hit


def _is_list(low: str, lex: Lexicon) -> bool:
    """True for a run of short items with hardly a function word: 'teamwork, leadership, communication'."""
    items = [i for i in (p.strip() for p in _LIST_SPLIT.split(low)) if i]
    if len(items) < 3:
        return False
    words = _words(low)
    function = sum(1 for w in words if w in lex.english)
    return sum(len(_words(i)) for i in items) / len(items) <= 2.5 and function / max(len(words), 1) < 0.25


# --- scoring --------------------------------------------------------------------------

_BUZZ = frozenset(
    """skill skills strong excellent great good natural passionate important key essential crucial vital valuable
    effective effectively always every everything career careers job jobs value values really very lot many things
    communication communicator communicate critical thinking thinker thinks think leadership leader lead teamwork team
    player professional professionalism technology tech savvy equity inclusion diversity diverse growth grow mindset
    learner lifelong continue develop developing development hard working hardworking detail oriented adaptable
    resilient resilience creative creativity innovative problem solving solver organised organized people person
    interpersonal soft transferable qualities strengths strength opportunities opportunity success successful world
    today fit perfect ideal interview learned learn feedback helpful helped understand importance showed overall
    definitely super huge matter matters committed integrity example everyone field industry work works working
    results driven passion innovation thrive thriving fast paced environment environments above beyond foundation excited
    impact importance embrace lessons apply applying future modern workplace mindset insightful transforming leverage ready
    entrepreneurial improve employers look organised natural care caring central guide deeply bring analytical challenge
    challenges confident possess competencies competency needed dedication dreams dream never give determination achieve
    achieving anything mind opened eyes truly inspiring inspired making difference deserves access quality dedicated person
    people well rounded areas makes hold dearly create successful proactive requires required require takes hard
    ability abilities various aspects learning general making decisions""".split()
)
# A text whose content words are mostly these is buzzwords, not experience (rubric level 0).
MIN_SPECIFIC_SHARE = 0.4


@dataclass(slots=True)
class Reading:
    """What the rules see in a text, before any model: sentences, gate, plans and the rules' level."""

    unique: list[str]
    words: list[str]
    flags: list[str]
    gate: str
    sents: list[Sentence] = field(default_factory=list)
    selfs: list[Sentence] = field(default_factory=list)
    concrete: list[Sentence] = field(default_factory=list)
    vague: list[Sentence] = field(default_factory=list)
    rule: int = 0

    @property
    def substantive(self) -> list[Sentence]:
        return [s for s in self.sents if s.substantive]


def read(text: str, lex: Lexicon) -> Reading:
    flags = ["truncated"] if len(text) > MAX_ANALYSED_CHARS else []
    raw = _sentences(_clean(text))
    unique: list[str] = []
    seen: set[str] = set()
    for s in raw:
        k = _key(s)
        if k and k not in seen:
            seen.add(k)
            unique.append(s)
    if len(raw) - len(unique) >= 2:
        flags.append("repeated_sentences")
    words = _words(" ".join(unique))
    gate = _gate(unique, words, lex, "".join(raw))
    if gate in HARD_GATES:
        return Reading(unique, words, flags, gate)
    sents = [_analyse(s, lex) for s in unique]
    substantive = [s for s in sents if s.substantive]
    content_words = {w for w in words if len(w) > 3 and w not in lex.english}
    specific_words = content_words - _BUZZ
    if not gate and (not substantive or len(specific_words) < 6 or len(specific_words) < MIN_SPECIFIC_SHARE * len(content_words)):
        gate = "buzzwords"
    selfs = [s for s in substantive if s.self_cue]
    concrete, vague = _plans(sents)
    # The rules' level; a soft gate (a bio, generic or off-topic text, buzzwords) says 0 and the
    # level model, which reads the rules' verdict with the words, may overrule it.
    rule = 0 if gate else 3 if selfs and concrete else 2 if selfs else 1
    return Reading(unique, words, flags, gate, sents, selfs, concrete, vague, rule)


def _plans(sents: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Concrete and vague plan sentences. A plan's date or person may come in the next sentence
    ("I asked to run the sessions. The first one is on October 12."), and the lines under a
    "Next steps:" heading are plan items."""
    concrete: list[Sentence] = []
    vague: list[Sentence] = []
    follow = 0
    for s in sents:
        if not s.substantive and _PLAN_HEADER.match(s.text.lower()):
            follow = len(sents)
            continue
        if s.plan and s.plan_specific:
            concrete.append(s)
        elif s.plan:
            vague.append(s)
            follow = max(follow, 2)
            continue
        elif follow and s.dated and not _THIRD_PERSON_START.match(s.text.lower()):
            concrete.append(s)
        follow = max(follow - 1, 0)
    return concrete, ([] if concrete else vague)


def rules_confidence(level: int, selfs: list[Sentence], concrete: list[Sentence], vague: list[Sentence], n: int) -> float:
    c = 0.75
    if level == 1:
        c = 0.8 if n > 60 else 0.65
    elif level == 2:
        c = 0.6 + 0.1 * min(len(selfs), 3) - (0.1 if vague else 0.0)
    elif level == 3:
        c = 0.6 + 0.1 * min(len(selfs), 2) + 0.1 * min(len(concrete), 2) - 0.1
    return round(max(0.3, min(0.95, c)), 2)


GATE_CONFIDENCE = {
    "empty": 0.99, "too_short": 0.95, "non_english": 0.9, "gibberish": 0.9, "bare_list": 0.9, "prompt_copy": 0.85,
    "copied_bio": 0.8, "generic": 0.75, "off_topic": 0.8, "buzzwords": 0.7, "unclear": 0.6,
}


_META_STEMS = frozenset(w[:5] for w in "reflect reflection discuss explain describe question questions task respond response answer including result write essay following regarding".split())
_BIO = re.compile(
    r"\b(?:holds (?:a|an|the) (?:phd|ph\.d|master|bachelor|mba|md|degree|b\.?s|m\.?s)|years of (?:experience|expertise)|(?:her|his|their) expertise|"
    r"expertise (?:includes?|in)|speciali[sz]es in|prior to (?:joining|her|his)|proven track record|is passionate about|is based in|"
    r"in (?:her|his) (?:free|spare) time|(?:received|earned|completed) (?:her|his) (?:phd|ph\.d|master|bachelor|doctorate|mba|degree|postdoc)|"
    r"serves on the board|frequent speaker|has published|positions of increasing responsibility|currently (?:leads|serves|works))"
)
_REPORTED = re.compile(r"\b(?:said|says|told|tells|explained|described|mentioned|showed|talked|asked|admitted|recommended|suggested|pointed out)\b")
_ACTOR = re.compile(r"\b(?:she|he|her|his|him|interviewee|adviser|advisor|storyboard|panels?|mentor|supervisor|(?:the|my|this) (?:skills? )?inventory)\b")


_LATIN = re.compile(r"[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def _gate(sentences: list[str], words: list[str], lex: Lexicon, raw: str) -> str:
    """The reason a text is not a reflection at all (level 0), or ``""``."""
    letters = sum(map(str.isalpha, raw))
    if not words and not letters:
        return "empty"
    if letters and not raw.isascii() and len(_LATIN.findall(raw)) / letters < 0.6:
        return "non_english"
    n = len(words)
    english = sum(1 for w in words if w in lex.english)
    foreign = sum(1 for w in words if w in lex.foreign)
    if n >= 6 and foreign > english and english / n < 0.25:
        return "non_english"
    if n <= SHORT_WORDS:
        return "too_short"
    text = " ".join(sentences).lower()
    if english / n < 0.2:
        return "bare_list" if _is_list(text, lex) or sum(1 for s in sentences if len(_words(s)) <= 3) >= len(sentences) * 0.6 else "gibberish"
    content = _content_words(text, lex.english)
    prompt_stems = {w[:5] for p in lex.prompts for w in p} | _META_STEMS
    fresh = {w for w in content if w[:5] not in prompt_stems}
    if len(fresh) < 6 or len(fresh) < 0.3 * len(set(content)):
        return "prompt_copy"
    if not _FIRST_PERSON.search(text):
        # Nobody speaks: a profile pasted from a website, or a definition of the exercise.
        if len(_BIO.findall(text)) >= 2:
            return "copied_bio"
        if not _ACTOR.search(text) and not _REPORTED.search(text) and not re.search(r"\d", text):
            return "generic"
    if len(lex.topic.findall(text)) < max(2, n // 60):
        return "off_topic"
    return ""


HARD_GATES = frozenset({"empty", "too_short", "non_english", "gibberish", "bare_list", "prompt_copy"})


def level_features(r: Reading) -> list[str]:
    """Features of the level model: the rules' verdict, counts of what the rules found, and the words."""
    sub = r.substantive
    feats = [f"gate:{r.gate}", f"rule:{r.rule}", *(f"flag:{f}" for f in r.flags)]
    counts = {
        "sub": len(sub),
        "self": sum(1 for s in sub if s.self_cue),
        "conc": len(r.concrete),
        "vague": len(r.vague),
        "first": sum(1 for s in sub if "first" in s.features),
        "plan": sum(1 for s in sub if s.plan),
        "past1": sum(1 for s in sub if _PAST.search(s.text.lower())),
        "q": sum(u.count("?") for u in r.unique),
    }
    feats += [f"{name}>={k}" for name, n in counts.items() for k in (1, 2, 3, 5, 8) if n >= k]
    feats += [f"words>={k}" for k in (20, 40, 80, 150, 300) if len(r.words) >= k]
    asked = sum(1 for u in r.unique if u.rstrip().endswith("?")) / max(len(r.unique), 1)
    feats += [f"questions>={k}" for k in (0.25, 0.5) if asked >= k]
    toks = {f for s in r.sents for f in s.features if f.startswith(("w:", "b:"))}
    return feats + list(toks)


def lower_words(text: str) -> list[str]:
    """The words of a text, lower-cased, as every part of the scorer counts them."""
    return _words(text.lower())
