"""Fit the competency weights of the reflection scorer on the development split.

    python tools/train_reflection.py            # prints 5-fold CV figures, writes data/reflection_weights.json
    python tools/train_reflection.py --cv-only  # the figures only; the weights file is left alone

One L2-regularised logistic regression per competency over the features of
``careerkit.reflection.competency_features`` (which cue groups of the lexicon fired,
how many cue words and sentences) and indicators of word stems seen in at least
three development reflections. The L2 strength and the bias offset are chosen by
5-fold cross-validation on dev. The level rules have nothing fitted, so their dev
figures are printed for reference (the lexicon was written looking at dev, so they are
optimistic). Only ``dev.jsonl`` is read: the held-out split
is for ``reflection_eval.py`` alone.
"""

from __future__ import annotations

import json
import random
from collections import Counter
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from careerkit import reflection as R  # noqa: E402
from careerkit.catalog import COMPETENCY_IDS  # noqa: E402
from careerkit.files import atomic_write_text  # noqa: E402

R.WEIGHTS_REQUIRED = False  # the lexicon may have changed since the weights were last fitted

L2_GRID = (0.3, 1.0, 3.0)
OFFSETS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
MIN_DOCS = 3


def _features(rows: list[dict]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[bool], list[str]]:
    lex = R._lexicon()
    feats: dict[str, list[list[float]]] = {cid: [] for cid in COMPETENCY_IDS}
    cued: dict[str, list[bool]] = {cid: [] for cid in COMPETENCY_IDS}
    keep, doc_stems = [], []
    for r in rows:
        s = R.score(r["text"])
        sents = [R._analyse(x, lex) for x in R._sentences(R._clean(r["text"]))]
        sents = [x for x in sents if x.substantive]
        keep.append(s.level > 0)
        doc_stems.append(R.stems(sents, lex) if s.level > 0 else set())
        for cid in COMPETENCY_IDS:
            feats[cid].append(R.competency_features(sents, cid, lex.groups[cid]))
            # The scorer shows a competency only with an evidence sentence, so CV must too.
            cued[cid].append(any(cid in x.competency_cues for x in sents))
    df = Counter(w for d in doc_stems for w in d)
    vocab = sorted(w for w, c in df.items() if c >= MIN_DOCS)
    index = {w: i for i, w in enumerate(vocab)}
    bow = np.zeros((len(rows), len(vocab)))
    for i, d in enumerate(doc_stems):
        for w in d:
            if w in index:
                bow[i, index[w]] = 1.0
    return {cid: np.hstack([np.array(v), bow]) for cid, v in feats.items()}, {cid: np.array(v) for cid, v in cued.items()}, keep, vocab


def _fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0] / len(y)
        w -= 0.5 * grad
    return w


def _predict(x: np.ndarray, w: np.ndarray, offset: float = 0.0) -> np.ndarray:
    return (np.hstack([x, np.ones((len(x), 1))]) @ w) + offset > 0


def main() -> int:
    cv_only = "--cv-only" in sys.argv[1:]
    rows = [json.loads(line) for line in (ROOT / "data" / "reflections" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    feats, cued, keep, vocab = _features(rows)
    keep_arr = np.array(keep)
    idx = [i for i in range(len(rows)) if keep[i]]
    random.Random(0).shuffle(idx)
    folds = [idx[k::5] for k in range(5)]
    _print_levels(rows)
    best = None
    best_counts = {}
    for l2 in L2_GRID:
        best_counts[l2] = _cv(rows, feats, cued, idx, folds, l2)
        counts = _pool(best_counts[l2])
        for offset in OFFSETS:
            f1 = _micro(counts[offset])
            print(f"  L2 {l2:g}, offset {offset:.2f}: 5-fold CV micro-F1 {f1:.3f}")
            if best is None or f1 > best[2]:
                best = (l2, offset, f1, counts[offset])
    l2, offset, f1, per = best
    print(f"5-fold cross-validated competency micro-F1 on dev (levels 1-3): {f1:.3f} with L2 {l2:g} and a bias offset of {offset}")
    for cid, (tp, fp, fn) in per.items():
        print(f"  {cid:20s} CV F1 {2 * tp / max(2 * tp + fp + fn, 1):.2f}  (gold {tp + fn})")
    nested_f1, nested_per = _nested(best_counts[l2])
    offsets, _, _ = _per_competency_offsets(_pool(best_counts[l2]), offset)
    print(f"with a bias offset per competency (nested: chosen on the other four folds): CV micro-F1 {nested_f1:.3f}")
    for cid, (tp, fp, fn) in nested_per.items():
        print(f"  {cid:20s} CV F1 {2 * tp / max(2 * tp + fp + fn, 1):.2f}  (offset on all of dev {offsets[cid]})")
    if nested_f1 <= f1:  # per-competency offsets do not generalise: keep the shared one
        offsets = {cid: offset for cid in COMPETENCY_IDS}
    if cv_only:
        return 0
    weights = {}
    for cid in COMPETENCY_IDS:
        y = np.array([cid in rows[i]["competencies"] for i in idx], dtype=float)
        w = _fit(feats[cid][idx], y, l2)
        w[-1] += offsets[cid]
        weights[cid] = [round(float(v), 4) for v in w]
    out = ROOT / "data" / "reflection_weights.json"
    atomic_write_text(out, json.dumps({"vocabulary": vocab, "weights": weights}) + "\n")
    print(f"wrote {out} ({sum(keep_arr)} reflections of levels 1-3)")
    return 0


def _cv(rows: list[dict], feats: dict[str, np.ndarray], cued: dict[str, np.ndarray], idx: list[int], folds: list[list[int]], l2: float) -> list[dict[float, dict[str, list[int]]]]:
    """Per fold, offset and competency, [tp, fp, fn]; each fold is fitted once and scored at every offset.

    A competency is predicted only where a sentence carries one of its cues, as in the scorer."""
    out = []
    for k in range(5):
        counts = {o: {cid: [0, 0, 0] for cid in COMPETENCY_IDS} for o in OFFSETS}
        test = sorted(folds[k])
        held = set(test)
        train = [i for i in idx if i not in held]
        for cid in COMPETENCY_IDS:
            y = np.array([cid in rows[i]["competencies"] for i in train], dtype=float)
            w = _fit(feats[cid][train], y, l2)
            gold = [cid in rows[i]["competencies"] for i in test]
            for offset in OFFSETS:
                pred = _predict(feats[cid][test], w, offset) & cued[cid][test]
                c = counts[offset][cid]
                c[0] += sum(p and g for p, g in zip(pred, gold))
                c[1] += sum(p and not g for p, g in zip(pred, gold))
                c[2] += sum(g and not p for p, g in zip(pred, gold))
        out.append(counts)
    return out


def _pool(fold_counts: list[dict[float, dict[str, list[int]]]]) -> dict[float, dict[str, list[int]]]:
    return {o: {cid: [sum(f[o][cid][j] for f in fold_counts) for j in range(3)] for cid in COMPETENCY_IDS} for o in OFFSETS}


def _nested(fold_counts: list[dict[float, dict[str, list[int]]]]) -> tuple[float, dict[str, list[int]]]:
    """CV micro-F1 of per-competency offsets chosen without the fold they are scored on."""
    per = {cid: [0, 0, 0] for cid in COMPETENCY_IDS}
    for k in range(5):
        others = _pool([f for j, f in enumerate(fold_counts) if j != k])
        offset = max(OFFSETS, key=lambda o: _micro(others[o]))
        chosen, _, _ = _per_competency_offsets(others, offset)
        for cid in COMPETENCY_IDS:
            for j in range(3):
                per[cid][j] += fold_counts[k][chosen[cid]][cid][j]
    return _micro(per), per


def _per_competency_offsets(counts: dict[float, dict[str, list[int]]], start: float) -> tuple[dict[str, float], float, dict[str, list[int]]]:
    """One bias offset per competency, by coordinate ascent on CV micro-F1 from the shared offset."""
    chosen = {cid: start for cid in COMPETENCY_IDS}

    def per(ch: dict[str, float]) -> dict[str, list[int]]:
        return {cid: counts[o][cid] for cid, o in ch.items()}

    best = _micro(per(chosen))
    for _ in range(3):
        for cid in COMPETENCY_IDS:
            for o in OFFSETS:
                f1 = _micro(per({**chosen, cid: o}))
                if f1 > best + 1e-9:
                    best, chosen[cid] = f1, o
    return chosen, best, per(chosen)


def _micro(per: dict[str, list[int]]) -> float:
    tp, fp, fn = (sum(c[j] for c in per.values()) for j in range(3))
    return 2 * tp / max(2 * tp + fp + fn, 1)


def _print_levels(rows: list[dict]) -> None:
    """Level figures of the rule-based levels on dev (nothing fitted; reference only)."""
    from careerkit.metrics import quadratic_weighted_kappa

    gold = [r["level"] for r in rows]
    pred = [R.score(r["text"]).level for r in rows]
    exact = sum(g == p for g, p in zip(gold, pred)) / len(rows)
    slipped = sum(g == 0 and p > 0 for g, p in zip(gold, pred))
    print(f"dev levels ({len(rows)} reflections): QWK {quadratic_weighted_kappa(gold, pred, 4):.3f}, exact {exact:.1%}, level-0 texts scored 1-3: {slipped}/{gold.count(0)}")


if __name__ == "__main__":
    raise SystemExit(main())
