"""One fast regex for many cue patterns, telling which pattern fired.

The reflection scorer looks for some fifty competency cue patterns (``data/reflection_lexicon.yaml``)
in every sentence. One alternation ``\\b(?:p1|p2|...)`` tries every pattern at every word;
:func:`compile_cues` splits the patterns into their alternatives and sorts those by the letter
they start with, so at a word starting with "t" only what can start with "t" is tried (a third
of the time, the same matches). Each pattern is followed by an empty capturing group: for a match ``m``,
``order[m.lastindex - 1]`` is the index of the pattern that fired. When a pattern's first
letters cannot be worked out, the plain alternation is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as _c  # the parser is private but stable across 3.11-3.13; any surprise falls back
from re import _parser as _p

_REPEATS = tuple(getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, name))


def compile_cues(patterns: list[str]) -> tuple[re.Pattern[str], tuple[int, ...]]:
    """The regex, and for each of its capturing groups (in order) the index of its pattern."""
    plain = (re.compile(r"\b(?:" + "|".join(rf"(?:{p})\b()" for p in patterns) + ")"), tuple(range(len(patterns))))
    try:
        alternatives = [(i, b, _first_letters(b)) for i, p in enumerate(patterns) for b in _branches(p)]
    except Exception:  # noqa: BLE001 - an unknown parser shape: the plain alternation is always right
        return plain
    if any(letters is None for _, _, letters in alternatives):
        return plain
    by_letter: dict[str, list[tuple[int, str]]] = {}
    for i, branch, letters in alternatives:
        for ch in letters:  # type: ignore[union-attr]
            by_letter.setdefault(ch, []).append((i, branch))  # in pattern order: the first that matches still wins
    parts, order = [], []
    for ch, found in sorted(by_letter.items()):
        parts.append(rf"(?={re.escape(ch)})(?:" + "|".join(rf"(?:{b})\b()" for _, b in found) + ")")
        order += [i for i, _ in found]
    return re.compile(r"\b(?:" + "|".join(parts) + ")"), tuple(order)


def _branches(pattern: str) -> list[str]:
    """The same pattern as alternatives tried in the same order: ``a|b`` gives a, b and
    ``(?:a|b) c`` gives ``a c``, ``b c``, so most alternatives start with a single letter."""
    out = []
    for branch in _split(pattern):
        if branch.startswith("(?:"):
            end = _closing(branch, 0)
            rest = branch[end + 1 :]
            if rest[:1] not in ("?", "*", "+", "{"):
                out += [inner + rest for inner in _split(branch[3:end])]
                continue
        out.append(branch)
    return out


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of every character outside escapes and character sets."""
    depth, j, in_set = 0, 0, False
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if in_set:
            in_set = c != "]"
        elif c == "[":
            in_set = True
        else:
            depth += (c == "(") - (c == ")")
            yield j, c, depth
        j += 1


def _split(pattern: str) -> list[str]:
    cuts = [j for j, c, depth in _scan(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)])]


def _closing(pattern: str, i: int) -> int:
    return next(j for j, c, depth in _scan(pattern) if j > i and c == ")" and depth == 0)


def _first_letters(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with; None if any (or an empty match) is possible."""
    letters, can_be_empty = _first(_p.parse(pattern))
    return None if letters is None or can_be_empty else letters


def _first(items: object) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        if op is _c.LITERAL:
            return out | {chr(av)}, False
        if op is _c.IN:
            chars = set()
            for o, a in av:
                if o is _c.LITERAL:
                    chars.add(chr(a))
                elif o is _c.RANGE:
                    chars.update(chr(x) for x in range(a[0], a[1] + 1))
                else:  # a category (\w) or a negated set: anything
                    return None, False
            return out | chars, False
        if op is _c.SUBPATTERN or op is _c.BRANCH or op in _REPEATS:
            subs = [av[3]] if op is _c.SUBPATTERN else av[1] if op is _c.BRANCH else [av[2]]
            empty = op in _REPEATS and av[0] == 0
            for sub in subs:
                letters, sub_empty = _first(sub)
                if letters is None:
                    return None, False
                out |= letters
                empty = empty or sub_empty
            if not empty:
                return out, False
            continue  # it may match nothing: the next item can start the match too
        if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
            continue  # zero width
        return None, False  # ANY, NOT_LITERAL, backreferences...
    return out, True
