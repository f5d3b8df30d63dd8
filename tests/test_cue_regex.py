"""careerkit.cue_regex: the dispatched alternation finds exactly what the plain one finds, faster."""

from __future__ import annotations

import json
import re
from pathlib import Path

from careerkit.cue_regex import compile_cues
from careerkit.files import read_yaml
from careerkit.reflection_rules import _clean, _sentences, lexicon

ROOT = Path(__file__).resolve().parent.parent


def _plain(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(rf"(?:{p})\b()" for p in patterns) + ")")


def _found(rx: re.Pattern[str], order: tuple[int, ...], text: str) -> list[tuple[int, int, int]]:
    return [(m.start(), m.end(), order[m.lastindex - 1]) for m in rx.finditer(text)]


def test_the_lexicon_cues_are_dispatched_and_find_the_same_matches_as_one_alternation():
    raw = read_yaml(ROOT / "data" / "reflection_lexicon.yaml")["competencies"]
    patterns = [p for cid in raw for p in raw[cid]]
    fast, order = compile_cues(patterns)
    assert "(?=" in fast.pattern  # every shipped pattern's first letters are known
    plain = _plain(patterns)
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "data" / "reflections").glob("dev*.jsonl")) for line in path.read_text(encoding="utf-8").splitlines()]
    sentences = [s.lower() for t in texts for s in _sentences(_clean(t))]
    assert len(sentences) > 10_000
    hits = 0
    for s in sentences:
        expected = _found(plain, tuple(range(len(patterns))), s)
        assert _found(fast, order, s) == expected, s
        hits += len(expected)
    assert hits > 5_000
    assert lexicon().competencies.pattern == fast.pattern


def test_the_first_pattern_that_matches_still_wins():
    fast, order = compile_cues(["team", "work(?:ing)?", "w(?:ork|orked)", "teams?|squad"])
    assert "(?=" in fast.pattern
    assert _found(fast, order, "our team worked, working as a squad; teams") == [(4, 8, 0), (9, 15, 2), (17, 24, 1), (30, 35, 3), (37, 42, 3)]


def test_patterns_whose_first_letters_are_unknown_use_the_plain_alternation():
    for odd in ([r"\w+ing", "team"], [".ork"], [r"(?:pre)?plan", "x*y?"], [r"[^a]bc"]):
        fast, order = compile_cues(odd)
        assert fast.pattern == _plain(odd).pattern and order == tuple(range(len(odd)))
    fast, order = compile_cues([r"(?:pre)?plan\w*", "[A-Cx]ray|b"])  # an optional prefix, ranges and branches are understood
    assert "(?=" in fast.pattern
    assert _found(fast, order, "preplanned xray plans b") == [(0, 10, 0), (11, 15, 1), (16, 21, 0), (22, 23, 1)]


def test_patterns_split_into_the_same_alternatives_in_the_same_order():
    from careerkit.cue_regex import _branches

    assert _branches("(?:a|b) c|d") == ["a c", "b c", "d"]
    assert _branches("(?:a|b)?c|(?:x|y)+") == ["(?:a|b)?c", "(?:x|y)+"]  # a repeated group is not distributed
    assert _branches(r"[|(]x|\|y|(?:p(?:q|r)|s)t") == ["[|(]x", r"\|y", "p(?:q|r)t", "st"]
