"""The two fitted parts of the reflection scorer: small linear models over visible features.

Features are plain strings a TA can read:

- ``w:<stem>``: a word (first six letters, doubled letters made single) and ``b:<stem>_<stem>``:
  two neighbouring words;
- per sentence: ``cue:<competency>:<k>`` (cue group *k* of ``reflection_lexicon.yaml`` fired),
  ``self``, ``first``, ``third``, ``plan``, ``len:<bin>``;
- per reflection: ``n:<competency>:<k>`` (at least *k* sentences carry that competency's cues),
  and for the level the rules' own verdict (``rule:<level>``, ``gate:<reason>``, ``flag:<flag>``)
  with counts of self-connections, plans and first-person sentences.

``data/reflection_model.json.gz`` holds the models fitted by ``tools/train_reflection.py`` on the
labelled passages and development reflections:

- competencies (``CompetencyModel``): per competency, a logistic model over the whole
  reflection and one over single sentences (learnt from evidence sentences); a competency is
  shown when their mix is above zero, and its evidence is the sentence the sentence model
  scores highest;
- the level: a multinomial logistic model that reads the rules' verdict together with the words.

``explain`` names the words that pushed a decision.
Standard library only: graded notebooks import this.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from careerkit.errors import DataError

MODEL_FILE = "reflection_model.json.gz"  # gzip-compressed JSON: 3 MB of weights in under 1 MB

# Function words that still say something about competencies ("we" is teamwork's word).
KEEP = frozenset("we our us together with their they she he i my me".split())


_DOUBLE = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str, n: int = 6) -> str:
    """The first letters of a word with doubled letters made single, so "comunication" meets "communication"."""
    return _DOUBLE.sub(r"\1", word)[:n]


def tokens(ws: list[str], english: frozenset[str]) -> list[str]:
    """Word and word-pair features of one sentence's lower-cased words."""
    out = [f"w:{stem(w)}" for w in ws if w in KEEP or (len(w) >= 3 and w not in english)]
    out += [f"b:{stem(a, 5)}_{stem(b, 5)}" for a, b in zip(ws, ws[1:])]
    return out


def length_bin(n: int) -> str:
    return "len:" + ("s" if n < 9 else "m" if n < 17 else "l" if n < 31 else "xl")


def read_models(path: str | Path) -> Mapping[str, object]:
    """The fitted models of ``tools/train_reflection.py``, from their compressed JSON file."""
    try:
        data = json.loads(gzip.decompress(Path(path).read_bytes()))
    except FileNotFoundError:
        raise DataError(f"{path}: file not found; fit the models with tools/train_reflection.py") from None
    except (OSError, EOFError, zlib.error, ValueError, RecursionError) as exc:  # not gzip, cut short, not JSON
        raise DataError(f"{path}: not a usable model file ({type(exc).__name__}: {exc}); retrain with tools/train_reflection.py") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: not a usable model file (a JSON object is expected); retrain with tools/train_reflection.py")
    return data


@dataclass(frozen=True, slots=True)
class LinearModel:
    """One weight per label for each feature; a text's score for a label is its bias plus the weights
    of the features it has. Competencies: above zero means shown. Level: the highest score wins."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    @classmethod
    def from_json(cls, raw: object, labels: Sequence[str], name: str) -> "LinearModel":
        try:
            order = [str(x) for x in raw["labels"]]  # type: ignore[index]
            if sorted(order) != sorted(labels):
                raise DataError(f"reflection_model.json.gz: the {name} model is for {order}, not {list(labels)}; retrain with tools/train_reflection.py")
            pick = [order.index(c) for c in labels]
            bias = tuple(float(raw["bias"][i]) for i in pick)  # type: ignore[index]
            weights = {str(f): tuple(float(w[i]) for i in pick) for f, w in raw["weights"].items()}  # type: ignore[index]
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise DataError(f"reflection_model.json.gz: no usable {name} model ({exc!r}); retrain with tools/train_reflection.py") from None
        return cls(tuple(labels), bias, weights)

    def scores(self, features: Iterable[str]) -> list[float]:
        """One score per label, in ``labels`` order."""
        get = self.weights.get
        rows = [w for w in map(get, features) if w is not None]
        return [b + sum(col) for b, col in zip(self.bias, zip(*rows))] if rows else list(self.bias)

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """Softmax of the scores (the level model is a multinomial logistic regression)."""
        z = self.scores(features)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return [v / sum(e) for v in e]

    def explain(self, features: Iterable[str], label: str, n: int = 3, words: Sequence[str] = ()) -> list[str]:
        """The words that pushed a text towards ``label`` most, spelt as in ``words`` (the text's own words) when given."""
        k = self.labels.index(label)
        ranked = sorted({f for f in features if f in self.weights and f.startswith(("w:", "b:"))}, key=lambda f: (-self.weights[f][k], f))
        return [spell(f, words) for f in ranked[:n] if self.weights[f][k] > 0]


@dataclass(frozen=True, slots=True)
class CompetencyModel:
    """The competency decision: ``document * d + sentences * softmax_s(sentence scores) + offset > 0``,
    where ``d`` is the document model's score of the whole reflection and the soft maximum (of
    sharpness ``s``) runs over the sentence model's score of each sentence."""

    document: LinearModel
    sentences: LinearModel
    mix: tuple[float, float, float, float]  # document, sentences, offset, sharpness

    @classmethod
    def from_json(cls, raw: Mapping[str, object], labels: Sequence[str]) -> "CompetencyModel":
        document = LinearModel.from_json(raw.get("competencies"), labels, "competency")
        sentences = LinearModel.from_json(raw.get("competency_sentences"), labels, "competency sentence")
        try:
            m = raw["competency_mix"]
            mix = (float(m["document"]), float(m["sentences"]), float(m["offset"]), float(m["sharpness"]))  # type: ignore[index]
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"reflection_model.json.gz: no usable competency mix ({exc!r}); retrain with tools/train_reflection.py") from None
        if mix[3] <= 0:
            raise DataError("reflection_model.json.gz: the competency mix needs a sharpness above zero; retrain with tools/train_reflection.py")
        return cls(document, sentences, mix)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.document.labels

    def scores(self, document: Iterable[str], per_sentence: Sequence[Iterable[str]]) -> tuple[list[float], list[list[float]]]:
        """The decision score per label (shown when above zero) and each sentence's own scores."""
        a, b, offset, sharp = self.mix
        sent = [self.sentences.scores(fs) for fs in per_sentence]
        doc = self.document.scores(document)
        out = []
        for k, d in enumerate(doc):
            col = [z[k] for z in sent]
            top = max(col, default=0.0)
            pooled = top + math.log(sum(math.exp(sharp * (v - top)) for v in col)) / sharp if col else 0.0
            out.append(a * d + b * pooled + offset)
        return out, sent


def spell(feature: str, words: Sequence[str]) -> str:
    """A word feature as the writer wrote it: ``w:capsto`` is "capstone" in "my capstone project"."""
    if feature.startswith("w:"):
        return next((w for w in words if stem(w) == feature[2:]), feature[2:])
    first, _, second = feature[2:].partition("_")
    pairs = zip(words, words[1:])
    return next((f"{a} {b}" for a, b in pairs if stem(a, 5) == first and stem(b, 5) == second), f"{first} {second}")
