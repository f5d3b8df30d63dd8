"""Fit the reflection scorer's two models and write data/reflection_model.json.

    python tools/train_reflection.py                 # CV figures, then writes the model file
    python tools/train_reflection.py --cv-only       # the figures only; the model file is left alone
    python tools/train_reflection.py --random-folds  # choose L2 and offset on 5 random folds instead

Training data, all written for this project and labelled by the rubric:

- ``data/reflections/passages_*.jsonl``: 1,260 short excerpts (1-3 sentences) labelled with
  the competencies they show, in many voices, with hard negatives (skill words without substance);
- ``data/reflections/dev*.jsonl``: whole reflections with their level and competencies, one
  file per writer (``dev`` the first writers, ``dev_b``...``dev_g`` six more, ``dev_e`` adversarial).

**Competencies.** One logistic model per competency over the features of a whole reflection
(``careerkit.reflection.document_features``: its sentences' words, word pairs and lexicon cues,
and how many sentences carry each competency's cues), fitted by Adam with L2 on the passages
(weight 0.4 each) and the reflections of levels 1-3. The L2 strength and the decision offset
are chosen by cross-validation with one fold per writer, because the scorer will read writers
it has never seen. ``--unit sentence`` fits the same features per sentence instead
(multiple-instance learning with a soft maximum over a reflection's sentences); it
cross-validated lower and is kept for comparison.

**Level.** A multinomial logistic model over ``careerkit.reflection.level_features`` (the
rules' verdict, counts of what they found, and the words), on every development reflection
the hard gates let through; L2 by 5-fold CV, with each writer left out printed beside the
rules alone.

``heldout*.jsonl`` is never read here: ``benchmarks/reflection_eval.py`` reads it.
"""

from __future__ import annotations

import argparse
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
from careerkit.files import atomic_write_text  # noqa: E402

R.MODEL_REQUIRED = False  # the lexicon may have changed since the model was last fitted

L2_GRID = (0.3, 1.0, 3.0, 10.0)
OFFSETS = tuple(round(x, 2) for x in np.arange(-1.0, 3.51, 0.25))
MIN_COUNT = 3
SHARPNESS = 4.0
EPOCHS = 300
K = len(COMPETENCY_IDS)
UNIT = "doc"
PASSAGE_WEIGHT = 0.4


class Bags:
    """Sentences of many bags as one 0/1 matrix, with each bag's labels."""

    def __init__(self, bags: list[list[list[str]]], labels: np.ndarray, vocab: dict[str, int]) -> None:
        rows, cols, starts = [], [], []
        n = 0
        for bag in bags:
            starts.append(n)
            for feats in bag:
                for f in set(feats):
                    if f in vocab:
                        rows.append(n)
                        cols.append(vocab[f])
                n += 1
        self.x = np.zeros((n, len(vocab)), dtype=np.float32)
        self.x[rows, cols] = 1.0
        self.starts = np.array(starts)
        self.bag_of = np.repeat(np.arange(len(bags)), np.diff(np.r_[self.starts, n]))
        self.y = labels.astype(np.float32)

    def pooled(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Soft maximum of sentence scores per bag, and each sentence's share of it."""
        m = np.maximum.reduceat(z, self.starts, axis=0)
        e = np.exp(SHARPNESS * (z - m[self.bag_of]))
        s = np.add.reduceat(e, self.starts, axis=0)
        return m + np.log(s) / SHARPNESS, e / s[self.bag_of]

    def hard_max(self, z: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(z, self.starts, axis=0)


def fit(data: Bags, l2: float, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adam on the bag log-loss; ``weight`` is one weight per bag."""
    f = data.x.shape[1]
    w = np.zeros((f, K), dtype=np.float32)
    b = np.full(K, -2.0, dtype=np.float32)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    total = weight.sum()
    for t in range(1, EPOCHS + 1):
        z = data.x @ w + b
        pz, share = data.pooled(z)
        p = 1 / (1 + np.exp(-pz))
        g_bag = (p - data.y) * weight[:, None] / total
        g_sent = g_bag[data.bag_of] * share
        gw = data.x.T @ g_sent + l2 * w / total
        gb = g_sent.sum(axis=0)
        for param, grad, m, v in ((w, gw, mw, vw), (b, gb, mb, vb)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w, b


def load(name: str) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "data" / "reflections").glob(name)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def bag_features(text: str) -> list[list[str]]:
    lex = rules.lexicon()
    sents = rules.read(text, lex).substantive
    bag = [R.sentence_features(s) for s in sents]
    if UNIT == "doc" and bag:
        return [R.document_features(sents, bag)]
    return bag


def labels(rows: list[dict]) -> np.ndarray:
    return np.array([[c in r["competencies"] for c in COMPETENCY_IDS] for r in rows], dtype=np.float32).reshape(-1, K)


def counts(pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """[tp, fp, fn] per competency."""
    return np.stack([(pred & gold).sum(0), (pred & ~gold).sum(0), (~pred & gold).sum(0)], axis=1)


def micro(c: np.ndarray) -> float:
    tp, fp, fn = c.sum(0)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--dev", default="dev*.jsonl", help="which development files (a pattern in data/reflections)")
    ap.add_argument("--no-passages", action="store_true", help="train on dev reflections alone (for comparison)")
    ap.add_argument("--passages-only", action="store_true", help="fit on passages alone and score all of dev")
    ap.add_argument("--unit", choices=("doc", "sentence"), default="doc", help="one unit per reflection or per sentence (multiple-instance)")
    ap.add_argument("--passage-weight", type=float, default=0.4)
    ap.add_argument("--random-folds", action="store_true", help="choose L2 and offset by 5 random folds instead of one fold per writer")
    args = ap.parse_args()
    global UNIT, PASSAGE_WEIGHT
    UNIT, PASSAGE_WEIGHT = args.unit, args.passage_weight
    passages = [] if args.no_passages else load("passages_*.jsonl")
    dev = load(args.dev)
    keep = [i for i, r in enumerate(dev) if r["level"] > 0 and rules.read(r["text"], rules.lexicon()).gate not in rules.HARD_GATES]
    dev_bags = [bag_features(dev[i]["text"]) for i in keep]
    dev_y = labels([dev[i] for i in keep]).astype(bool)
    pas_bags = [bag_features(r["text"]) for r in passages]
    usable = [i for i, b in enumerate(pas_bags) if b]
    print(f"passages: {len(passages)} ({len(passages) - len(usable)} with no substantive sentence left out); dev reflections of levels 1-3: {len(keep)}")
    pas_bags = [pas_bags[i] for i in usable]
    pas_y = labels([passages[i] for i in usable])
    order = list(range(len(keep)))
    random.Random(0).shuffle(order)
    folds = [sorted(order[k::5]) for k in range(5)]
    if not args.random_folds:  # one fold per writer: the scorer meets writers it has never read
        writers = sorted({dev[i]["id"].split("-")[0] for i in keep})
        folds = [[j for j, i in enumerate(keep) if dev[i]["id"].split("-")[0] == w] for w in writers]
    results = {}
    for l2 in L2_GRID:
        total = np.zeros((len(OFFSETS), K, 3), dtype=int)
        for k, test in enumerate(folds):
            train = [i for i in order if i not in set(test)] if not args.passages_only else []
            model, vocab = _train(pas_bags + [dev_bags[i] for i in train], np.vstack([pas_y, dev_y[train].astype(np.float32)]) if train else pas_y, l2, n_passages=len(pas_bags))
            z = _doc_scores(model, vocab, [dev_bags[i] for i in test])
            for j, off in enumerate(OFFSETS):
                total[j] += counts(z + off > 0, dev_y[test])
        for j, off in enumerate(OFFSETS):
            results[(l2, off)] = total[j]
        best_off = max(range(len(OFFSETS)), key=lambda j: micro(total[j]))
        print(f"  L2 {l2:g}: best offset {OFFSETS[best_off]:+.2f}, CV micro-F1 {micro(total[best_off]):.3f} (offset 0: {micro(total[OFFSETS.index(0.0)]):.3f})")
    (l2, off), c = max(results.items(), key=lambda kv: micro(kv[1]))
    scheme = "5 random folds" if args.random_folds else f"leave-one-writer-out ({len(folds)} writers)"
    print(f"CV competency micro-F1 on dev (levels 1-3), {scheme}: {micro(c):.3f} with L2 {l2:g} and offset {off:+.2f}")
    for cid, (tp, fp, fn) in zip(COMPETENCY_IDS, c):
        print(f"  {cid:20s} P {tp / max(tp + fp, 1):.2f} R {tp / max(tp + fn, 1):.2f} F1 {2 * tp / max(2 * tp + fp + fn, 1):.2f}  (gold {tp + fn})")
    level_l2 = _level_cv(dev)
    if args.cv_only:
        return 0
    (w, b), vocab = _train(pas_bags + dev_bags, np.vstack([pas_y, dev_y.astype(np.float32)]), l2, n_passages=len(pas_bags))
    competencies = _export(COMPETENCY_IDS, b + off, w, vocab)
    level_x, level_y, _, _ = _level_data(dev)
    (lw, lb), level_vocab = _fit_level(level_x, level_y, level_l2)
    level = _export(("0", "1", "2", "3"), lb, lw, level_vocab)
    out = ROOT / "data" / "reflection_model.json"
    atomic_write_text(out, json.dumps({"competencies": competencies, "level": level}, separators=(",", ":")) + "\n")
    print(f"wrote {out}: competencies {len(competencies['weights'])} features from {len(pas_bags)} passages and {len(dev_bags)} reflections; "
          f"level {len(level['weights'])} features from {len(level_y)} reflections")
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
        for k, (param, grad) in enumerate(((w, a.T @ g + l2 * w / len(y)), (b, g.sum(0)))):
            m, v = state[2 * k], state[2 * k + 1]
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
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


def _train(bags: list[list[list[str]]], y: np.ndarray, l2: float, *, n_passages: int) -> tuple[tuple[np.ndarray, np.ndarray], dict[str, int]]:
    df = Counter(f for bag in bags for f in {f for s in bag for f in s})
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= MIN_COUNT))}
    data = Bags(bags, y, vocab)
    weight = np.ones(len(bags), dtype=np.float32)
    weight[:n_passages] = PASSAGE_WEIGHT
    return fit(data, l2, weight), vocab


def _doc_scores(model: tuple[np.ndarray, np.ndarray], vocab: dict[str, int], bags: list[list[list[str]]]) -> np.ndarray:
    w, b = model
    out = np.zeros((len(bags), K))
    for i, bag in enumerate(bags):
        z = np.array([b + w[[vocab[f] for f in set(feats) if f in vocab]].sum(0) for feats in bag])
        m = z.max(0)
        out[i] = m + np.log(np.exp(SHARPNESS * (z - m)).sum(0)) / SHARPNESS
    return out


if __name__ == "__main__":
    raise SystemExit(main())
