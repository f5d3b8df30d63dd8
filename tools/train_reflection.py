"""Fit the reflection scorer's models and write data/reflection_model.json.gz.

    python tools/train_reflection.py                 # CV figures, then writes the model file
    python tools/train_reflection.py --cv-only       # the figures only; the model file is left alone
    python tools/train_reflection.py --random-folds  # choose the settings on 5 random folds instead

Training data, all written for this project and labelled by the rubric:

- ``data/reflections/passages_*.jsonl``: 1,260 short excerpts (1-3 sentences) labelled with
  the competencies they show, in many voices, with hard negatives (skill words without substance);
- ``data/reflections/dev*.jsonl``: whole reflections with their level, their competencies and,
  for each competency, its evidence sentences; one file per writer (``dev`` the first writers,
  ``dev_b``... more; ``dev_e``, ``dev_j`` and ``dev_m`` mostly adversarial).

**Competencies.** Two logistic models per competency over features a TA can read
(``careerkit.reflection.sentence_features`` and ``document_features``: words, word pairs,
lexicon cues, who speaks, how many sentences carry each competency's cues):

- the *document* model reads a whole reflection (or passage) at once;
- the *sentence* model reads one sentence at a time and learns from the evidence sentences:
  a sentence is a positive for the competencies it is evidence of, a negative for the others,
  and counts only a little (``AMBIGUOUS``) for a competency its reflection shows elsewhere.
  A reflection's sentence score is a soft maximum over its sentences.

A competency is shown when ``mix * document + (1 - mix) * sentences + offset`` is above zero.
The L2 strength, the mix and the offset are chosen by cross-validation with one fold per
writer, because the scorer will read writers it has never seen. Passages weigh 0.4 each.

**Level.** A multinomial logistic model over ``careerkit.reflection.level_features`` (the
rules' verdict, counts of what they found, and the words), on every development reflection
the hard gates let through; L2 by 5-fold CV, with each writer left out printed beside the
rules alone.

``heldout*.jsonl`` is never read here: ``benchmarks/reflection_eval.py`` reads it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from careerkit import reflection as R  # noqa: E402
from careerkit import reflection_rules as rules  # noqa: E402
from careerkit.catalog import COMPETENCY_IDS  # noqa: E402
from careerkit.files import atomic_write_bytes  # noqa: E402
from careerkit.reflection_model import MODEL_FILE  # noqa: E402
from careerkit.reflection_rules import Sentence  # noqa: E402

R.MODEL_REQUIRED = False  # the lexicon may have changed since the model was last fitted

L2_GRID = (0.3, 1.0)
MIXES = (0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
OFFSETS = tuple(round(x, 2) for x in np.arange(-1.0, 3.51, 0.25))
MIN_COUNT = 3
SHARPNESS = 4.0
EPOCHS = 300
K = len(COMPETENCY_IDS)
PASSAGE_WEIGHT = 0.4
AMBIGUOUS = 0.3


def fit(units: list[set[str]], y: np.ndarray, weight: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Logistic regression per label with L2, by Adam; ``weight`` is one weight per unit and label."""
    df = Counter(f for u in units for f in u)
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_COUNT))}
    x = np.zeros((len(units), len(vocab)), dtype=np.float32)
    for i, u in enumerate(units):
        x[i, [vocab[f] for f in u if f in vocab]] = 1.0
    w = np.zeros((len(vocab), y.shape[1]), dtype=np.float32)
    b = np.full(y.shape[1], -2.0, dtype=np.float32)
    state = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    total = weight.sum(0)
    for t in range(1, EPOCHS + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight / total
        adam((w, b), (x.T @ g + l2 * w / total, g.sum(0)), state, t)
    return w, b, vocab


def adam(params: tuple[np.ndarray, ...], grads: tuple[np.ndarray, ...], state: list[np.ndarray], t: int) -> None:
    """One Adam step (learning rate 0.05) in place; ``state`` holds two moment arrays per parameter."""
    for k, (param, grad) in enumerate(zip(params, grads)):
        m, v = state[2 * k], state[2 * k + 1]
        m *= 0.9
        m += 0.1 * grad
        v *= 0.999
        v += 0.001 * grad * grad
        param -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)


def unit_scores(model: tuple[np.ndarray, np.ndarray, dict[str, int]], units: list[set[str]]) -> np.ndarray:
    w, b, vocab = model
    return np.array([b + w[[vocab[f] for f in u if f in vocab]].sum(0) for u in units]).reshape(-1, len(b))


def soft_max(z: np.ndarray) -> np.ndarray:
    """The soft maximum over sentences (rows) that the scorer uses, per competency."""
    m = z.max(0)
    return m + np.log(np.exp(SHARPNESS * (z - m)).sum(0)) / SHARPNESS


def load(name: str) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "data" / "reflections").glob(name)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


class Text:
    """One passage or reflection as the models see it: its substantive sentences and labels."""

    def __init__(self, row: dict) -> None:
        self.row = row
        self.writer = row["id"].split("-")[0]
        self.sents: list[Sentence] = rules.read(row["text"], rules.lexicon()).substantive
        self.per = [set(R.sentence_features(s)) for s in self.sents]
        self.doc = set(R.document_features(self.sents, [list(p) for p in self.per])) if self.sents else set()
        self.y = np.array([c in row["competencies"] for c in COMPETENCY_IDS], dtype=np.float32)

    def sentence_labels(self) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence and competency: 1 if the sentence is evidence of it, and the unit's weight."""
        evidence = self.row.get("evidence") or {}
        y = np.zeros((len(self.sents), K), dtype=np.float32)
        weight = np.ones((len(self.sents), K), dtype=np.float32)
        for k, cid in enumerate(COMPETENCY_IDS):
            if cid not in self.row["competencies"]:
                continue
            keys = [rules._key(e) for e in evidence.get(cid, ())]
            for i, s in enumerate(self.sents):
                key = rules._key(s.text)
                if any(key and e and (key in e or e in key) for e in keys):
                    y[i, k] = 1.0
                else:
                    weight[i, k] = AMBIGUOUS  # not picked as evidence, but the reflection shows it
        return y, weight


def counts(pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """[tp, fp, fn] per competency."""
    return np.stack([(pred & gold).sum(0), (pred & ~gold).sum(0), (~pred & gold).sum(0)], axis=1)


def micro(c: np.ndarray) -> float:
    tp, fp, fn = c.sum(0)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def fit_both(passages: list[Text], dev: list[Text], l2: float) -> tuple[tuple, tuple]:
    """The document and the sentence model on the passages and these reflections."""
    doc_units = [p.doc for p in passages] + [d.doc for d in dev]
    doc_y = np.vstack([p.y for p in passages] + [d.y for d in dev])
    doc_w = np.ones_like(doc_y)
    doc_w[: len(passages)] = PASSAGE_WEIGHT
    sent_units = [p.doc for p in passages]
    sent_y, sent_w = [p.y[None] for p in passages], [np.full((1, K), PASSAGE_WEIGHT, dtype=np.float32) for _ in passages]
    for d in dev:
        if "evidence" not in d.row:
            continue  # a writer without evidence sentences teaches the document model only
        y, w = d.sentence_labels()
        sent_units += d.per
        sent_y.append(y)
        sent_w.append(w)
    return fit(doc_units, doc_y, doc_w, l2), fit(sent_units, np.vstack(sent_y), np.vstack(sent_w), l2)


def both_scores(models: tuple[tuple, tuple], texts: list[Text]) -> tuple[np.ndarray, np.ndarray]:
    doc, sent = models
    return unit_scores(doc, [t.doc for t in texts]), np.array([soft_max(unit_scores(sent, t.per)) for t in texts]).reshape(-1, K)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--dev", default="dev*.jsonl", help="which development files (a pattern in data/reflections)")
    ap.add_argument("--random-folds", action="store_true", help="choose the settings by 5 random folds instead of one fold per writer")
    args = ap.parse_args()
    passages = [t for t in map(Text, load("passages_*.jsonl")) if t.sents]
    dev_rows = load(args.dev)
    lex = rules.lexicon()
    dev = [t for t in (Text(r) for r in dev_rows if r["level"] > 0 and rules.read(r["text"], lex).gate not in rules.HARD_GATES) if t.sents]
    gold = np.array([d.y for d in dev], dtype=bool).reshape(-1, K)
    with_evidence = sum("evidence" in d.row for d in dev)
    print(f"passages: {len(passages)} with a substantive sentence; dev reflections of levels 1-3: {len(dev)} ({with_evidence} with evidence sentences)")
    order = list(range(len(dev)))
    random.Random(0).shuffle(order)
    folds = [sorted(order[k::5]) for k in range(5)]
    if not args.random_folds:  # one fold per writer: the scorer meets writers it has never read
        writers = sorted({d.writer for d in dev})
        folds = [[i for i, d in enumerate(dev) if d.writer == w] for w in writers]
    results, out_of_fold = {}, {}
    for l2 in L2_GRID:
        z_doc, z_sent = np.zeros((len(dev), K)), np.zeros((len(dev), K))
        out_of_fold[l2] = (z_doc, z_sent)
        for test in folds:
            held = set(test)
            models = fit_both(passages, [d for i, d in enumerate(dev) if i not in held], l2)
            z_doc[test], z_sent[test] = both_scores(models, [dev[i] for i in test])
        for mix in MIXES:
            z = mix * z_doc + (1 - mix) * z_sent
            for off in OFFSETS:
                results[(l2, mix, off)] = counts(z + off > 0, gold)
            best = max(OFFSETS, key=lambda o: micro(results[(l2, mix, o)]))
            print(f"  L2 {l2:g}, mix {mix:.2f} (1 = the document model alone): best offset {best:+.2f}, CV micro-F1 {micro(results[(l2, mix, best)]):.3f}")
    (l2, mix, off), c = max(results.items(), key=lambda kv: micro(kv[1]))
    scheme = "5 random folds" if args.random_folds else f"leave-one-writer-out ({len(folds)} writers)"
    print(f"CV competency micro-F1 on dev (levels 1-3), {scheme}: {micro(c):.3f} with L2 {l2:g}, mix {mix:.2f}, offset {off:+.2f}")
    for cid, (tp, fp, fn) in zip(COMPETENCY_IDS, c):
        print(f"  {cid:20s} P {tp / max(tp + fp, 1):.2f} R {tp / max(tp + fn, 1):.2f} F1 {2 * tp / max(2 * tp + fp + fn, 1):.2f}  (gold {tp + fn})")
    z_doc, z_sent = out_of_fold[l2]
    shown = mix * z_doc + (1 - mix) * z_sent + off > 0
    per_writer = {w: micro(counts(shown[mask], gold[mask])) for w in sorted({d.writer for d in dev}) for mask in [np.array([d.writer == w for d in dev])]}
    print("  per writer: " + ", ".join(f"{w} {f:.3f}" for w, f in per_writer.items()))
    level_l2 = _level_cv(dev_rows)
    if args.cv_only:
        return 0
    (dw, db, dvocab), (sw, sb, svocab) = fit_both(passages, dev, l2)
    document = _export(COMPETENCY_IDS, db, dw, dvocab)
    sentences = _export(COMPETENCY_IDS, sb, sw, svocab)
    level_x, level_y, _, _ = _level_data(dev_rows)
    (lw, lb), level_vocab = _fit_level(level_x, level_y, level_l2)
    level = _export(("0", "1", "2", "3"), lb, lw, level_vocab)
    mixing = {"document": mix, "sentences": round(1 - mix, 3), "offset": off, "sharpness": SHARPNESS}
    out = ROOT / "data" / MODEL_FILE
    fitted = json.dumps({"competencies": document, "competency_sentences": sentences, "competency_mix": mixing, "level": level}, separators=(",", ":")) + "\n"
    atomic_write_bytes(out, gzip.compress(fitted.encode("utf-8"), 9, mtime=0))  # mtime 0: the same fit gives the same bytes
    print(f"wrote {out}: competencies {len(document['weights'])} document and {len(sentences['weights'])} sentence features "
          f"from {len(passages)} passages and {len(dev)} reflections; level {len(level['weights'])} features from {len(level_y)} reflections")
    return 0


def _export(labels: tuple[str, ...], bias: np.ndarray, w: np.ndarray, vocab: dict[str, int]) -> dict:
    names = sorted(vocab, key=vocab.get)
    weights = {f: [round(float(v), 3) for v in w[vocab[f]]] for f in names if np.abs(w[vocab[f]]).max() >= 0.01}
    return {"labels": list(labels), "bias": [round(float(v), 3) for v in bias], "weights": weights}


# --- the level model ------------------------------------------------------------------

LEVEL_L2_GRID = (1.0, 3.0, 10.0, 30.0)


def _level_data(rows: list[dict]) -> tuple[list[list[str]], np.ndarray, np.ndarray, np.ndarray]:
    """Level features of every reflection the hard gates let through, its gold level, the rules' level and its writer."""
    lex = rules.lexicon()
    xs, ys, rule, writer = [], [], [], []
    for r in rows:
        reading = rules.read(r["text"], lex)
        if reading.gate in rules.HARD_GATES:
            continue
        xs.append(rules.level_features(reading))
        ys.append(r["level"])
        rule.append(reading.rule)
        writer.append(r["id"].split("-")[0])
    return xs, np.array(ys), np.array(rule), np.array(writer)


def _fit_level(xs: list[list[str]], y: np.ndarray, l2: float) -> tuple[tuple[np.ndarray, np.ndarray], dict[str, int]]:
    """Multinomial logistic regression with L2, by Adam."""
    df = Counter(f for x in xs for f in set(x))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_COUNT))}
    a = np.zeros((len(xs), len(vocab)), dtype=np.float32)
    for i, x in enumerate(xs):
        a[i, [vocab[f] for f in set(x) if f in vocab]] = 1.0
    target = np.eye(4, dtype=np.float32)[y]
    w = np.zeros((len(vocab), 4), dtype=np.float32)
    b = np.zeros(4, dtype=np.float32)
    state = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    for t in range(1, EPOCHS + 1):
        z = a @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - target) / len(y)
        adam((w, b), (a.T @ g + l2 * w / len(y), g.sum(0)), state, t)
    return (w, b), vocab


def _predict_level(model: tuple[tuple[np.ndarray, np.ndarray], dict[str, int]], xs: list[list[str]]) -> np.ndarray:
    (w, b), vocab = model
    return np.array([int(np.argmax(w[[vocab[f] for f in set(x) if f in vocab]].sum(0) + b)) for x in xs])


def _level_cv(rows: list[dict]) -> float:
    """Choose the level model's L2 by 5-fold CV; print it beside the rules and leave-one-writer-out figures."""
    from careerkit.metrics import quadratic_weighted_kappa

    xs, y, rule, writer = _level_data(rows)
    print(f"level model: {len(y)} reflections past the hard gates; the rules alone: QWK {quadratic_weighted_kappa(y, rule, 4):.3f}, exact {np.mean(y == rule):.1%}")
    order = list(range(len(y)))
    random.Random(0).shuffle(order)
    folds = [sorted(order[k::5]) for k in range(5)]
    best = None
    for l2 in LEVEL_L2_GRID:
        pred = np.zeros(len(y), dtype=int)
        for test in folds:
            train = sorted(set(order) - set(test))
            pred[test] = _predict_level(_fit_level([xs[i] for i in train], y[train], l2), [xs[i] for i in test])
        qwk = quadratic_weighted_kappa(y, pred, 4)
        print(f"  L2 {l2:g}: 5-fold CV QWK {qwk:.3f}, exact {np.mean(y == pred):.1%}")
        if best is None or qwk > best[1]:
            best = (l2, qwk)
    l2 = best[0]
    for w in sorted(set(writer)):
        test = [i for i in range(len(y)) if writer[i] == w]
        train = [i for i in range(len(y)) if writer[i] != w]
        pred = _predict_level(_fit_level([xs[i] for i in train], y[train], l2), [xs[i] for i in test])
        print(f"  writer {w} left out ({len(test)}): QWK {quadratic_weighted_kappa(y[test], pred, 4):.3f}, exact {np.mean(y[test] == pred):.1%}"
              f" (rules {quadratic_weighted_kappa(y[test], rule[test], 4):.3f}, {np.mean(y[test] == rule[test]):.1%})")
    return l2


if __name__ == "__main__":
    raise SystemExit(main())
