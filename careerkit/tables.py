"""Plain-text tables for the terminal (the CLI's summaries) and notebooks."""

from __future__ import annotations

from collections.abc import Sequence


def text_table(head: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell, a dashed rule under the header; ``right`` lists right-aligned columns."""
    cells = [[str(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(head)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))).rstrip()

    return "\n".join([line(list(head)), "  ".join("-" * w for w in widths), *(line(r) for r in cells)])
