"""Accuracy and speed of the reflection scorer on a labeled split.

    python benchmarks/reflection_eval.py                   # the three held-out splits (never trained on)
    python benchmarks/reflection_eval.py --split heldout3  # one of them
    python benchmarks/reflection_eval.py --split dev       # the development split (optimistic: trained on)
    python benchmarks/reflection_eval.py --errors        # also list disagreements

Prints level QWK, exact agreement, the level confusion matrix, per-competency
precision/recall/F1, micro-F1, throughput (reflections per second on one core) and
the import time of careerkit.reflection.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from careerkit.catalog import COMPETENCY_IDS  # noqa: E402
from careerkit.reflection import score  # noqa: E402
from careerkit.metrics import confusion, f1_table, quadratic_weighted_kappa  # noqa: E402


HELD_OUT = ("heldout", "heldout2", "heldout3")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=(*HELD_OUT, "dev", "all-heldout"), default="all-heldout",
                    help="heldout: 130 reflections by the first writers; heldout2 and heldout3: 128 each by a writer who never saw the scorer or its data")
    ap.add_argument("--errors", action="store_true", help="print every disagreement")
    args = ap.parse_args()
    splits = HELD_OUT if args.split == "all-heldout" else (args.split,)
    rows = []
    for name in splits:
        rows += _load(name)
    if len(splits) > 1:
        for name in splits:
            _report(name, _load(name), errors=False)
            _second_rater(name, _load(name))
            print()
    else:
        _second_rater(splits[0], rows)
    _report(" + ".join(splits), rows, errors=args.errors)
    _speed(rows)
    return 0


def _second_rater(split: str, rows: list[dict]) -> None:
    """How a second careful rater, labelling the same texts blind, agrees with the gold labels: the human reference."""
    path = ROOT / "data" / "reflections" / f"rater2_{split}.jsonl"
    if not path.exists():
        return
    other = {r["id"]: r for r in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())}
    pairs = [(r, other[r["id"]]) for r in rows if r["id"] in other]
    gold = [r["level"] for r, _ in pairs]
    second = [o["level"] for _, o in pairs]
    _, micro = f1_table([set(r["competencies"]) for r, _ in pairs], [set(o["competencies"]) for _, o in pairs], COMPETENCY_IDS)
    exact = sum(g == o for g, o in zip(gold, second)) / len(pairs)
    print(f"second rater against the same gold ({len(pairs)} reflections, labelled blind): level QWK {quadratic_weighted_kappa(gold, second, 4):.3f}, "
          f"exact {exact:.1%}, competency micro-F1 {micro:.3f}")


def _load(split: str) -> list[dict]:
    pattern = "dev*.jsonl" if split == "dev" else f"{split}.jsonl"
    rows = []
    for path in sorted((ROOT / "data" / "reflections").glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def _report(name: str, rows: list[dict], *, errors: bool) -> None:
    results = [score(r["text"], kind=r.get("kind")) for r in rows]
    gold = [r["level"] for r in rows]
    pred = [s.level for s in results]
    print(f"split: {name} ({len(rows)} reflections)")
    print(f"level QWK: {quadratic_weighted_kappa(gold, pred, 4):.3f}")
    print(f"level exact agreement: {sum(g == p for g, p in zip(gold, pred)) / len(rows):.1%}")
    print(f"level-0 texts scored 1-3: {sum(g == 0 and p > 0 for g, p in zip(gold, pred))} of {gold.count(0)}")
    print("level confusion (rows gold 0-3, columns predicted 0-3):")
    for g, row in enumerate(confusion(gold, pred, 4)):
        print(f"  {g}: " + " ".join(f"{v:4d}" for v in row))
    gold_c = [set(r["competencies"]) for r in rows]
    pred_c = [set(s.competency_ids) for s in results]
    table, micro = f1_table(gold_c, pred_c, COMPETENCY_IDS)
    print(f"{'competency':20s} {'prec':>6s} {'rec':>6s} {'f1':>6s} {'gold':>5s}")
    for cid, (p, r, f, n) in table.items():
        print(f"{cid:20s} {p:6.2f} {r:6.2f} {f:6.2f} {n:5d}")
    print(f"competency micro-F1: {micro:.3f}")
    if errors:
        for row, s in zip(rows, results):
            if row["level"] != s.level or set(row["competencies"]) != set(s.competency_ids):
                print(f"\n{row['id']} gold {row['level']} {sorted(row['competencies'])} pred {s.level} {sorted(s.competency_ids)} case={row.get('case')}")
                print("  " + row["text"][:300].replace("\n", " "))
                for reason in s.reasons:
                    print(f"  - {reason}")


def _speed(rows: list[dict]) -> None:
    score("warm up: load the lexicon and models")
    texts = [r["text"] for r in rows] * 10
    start = time.perf_counter()
    for t in texts:
        score(t)
    elapsed = time.perf_counter() - start
    print(f"throughput: {len(texts) / elapsed:.0f} reflections/s on one core ({len(texts)} scored in {elapsed:.2f} s)")
    cmd = [sys.executable, "-c", "import time; t=time.perf_counter(); import careerkit.reflection; print(time.perf_counter()-t)"]
    runs = sorted(float(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout) for _ in range(5))
    print(f"import careerkit.reflection: {runs[2] * 1000:.0f} ms (median of 5 fresh interpreters)")
    first = [sys.executable, "-c", "import time; t=time.perf_counter(); from careerkit.reflection import score; score('x'); print(time.perf_counter()-t)"]
    runs = sorted(float(subprocess.run(first, capture_output=True, text=True, check=True).stdout) for _ in range(5))
    print(f"import + first score (loads the lexicon and model): {runs[2] * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    raise SystemExit(main())
