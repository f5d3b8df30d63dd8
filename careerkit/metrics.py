"""Agreement metrics for scorers: quadratic weighted kappa, confusion matrices, per-label F1."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def confusion(gold: Sequence[int], pred: Sequence[int], k: int) -> list[list[int]]:
    """``k`` x ``k`` counts, rows gold, columns predicted."""
    m = [[0] * k for _ in range(k)]
    for g, p in zip(gold, pred, strict=True):
        m[g][p] += 1
    return m


def quadratic_weighted_kappa(gold: Sequence[int], pred: Sequence[int], k: int) -> float:
    """Cohen's kappa with quadratic weights over ``k`` ordered levels (1 = perfect, 0 = chance)."""
    n = len(gold)
    if n == 0:
        return 0.0
    m = confusion(gold, pred, k)
    hist_g = [sum(row) for row in m]
    hist_p = [sum(m[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * m[i][j]
            den += w * hist_g[i] * hist_p[j] / n
    return 1.0 - num / den if den else 1.0


def f1_table(gold: Sequence[set[str]], pred: Sequence[set[str]], labels: Iterable[str]) -> tuple[dict[str, tuple[float, float, float, int]], float]:
    """Per-label (precision, recall, F1, gold count) and the micro-averaged F1."""
    table = {}
    tp_all = fp_all = fn_all = 0
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        table[label] = (prec, rec, f1, tp + fn)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all else 0.0
    return table, micro
