"""Memory of the N rules' corpus statistics, measured on a generated corpus.

    python bench/memory_names.py [--mb 100] [--step 25]

Generates news-like documents on the fly (none is kept), runs the corpus pass of the N
rules over them, and every `--step` MB prints the size of the merged statistics (the
objects they hold, counted once each) and the extrapolation to 1 GB from the growth
over the first to the last step (a linear upper bound), and by Heaps' law: distinct
names grow as a power of the text, fitted on the steps, and the statistics with them.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import corpus

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter


def deep_size(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes held by an object and everything it refers to, each object counted once."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, list | tuple | set | frozenset):
        size += sum(deep_size(item, seen) for item in obj)
    elif hasattr(obj, "__dataclass_fields__"):
        size += sum(deep_size(getattr(obj, name), seen) for name in obj.__dataclass_fields__)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--step", type=float, default=25.0)
    args = parser.parse_args()
    linter = Linter.from_settings(Settings(select=["N"]))
    size = 0
    checkpoints: list[tuple[float, int, int]] = []
    start = time.perf_counter()
    next_step = args.step

    def documents() -> Iterator[Document]:
        nonlocal size
        for i, text in enumerate(corpus(int(args.mb * 1_000_000))):
            size += len(text.encode("utf-8"))
            yield Document(text, f"doc{i}")

    batch: list[Document] = []
    for doc in documents():
        batch.append(doc)
        if size / 1e6 >= next_step:
            linter.collect(batch)
            batch = []
            held = deep_size(linter.stats)
            forms = len(linter.stats["N101"].raw)
            checkpoints.append((size / 1e6, held, forms))
            print(
                f"{size / 1e6:7.1f} MB of text: statistics {held / 1e6:7.1f} MB, "
                f"{forms:,} distinct name forms ({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
            next_step += args.step
    linter.collect(batch)
    (mb1, held1, _), (mb2, held2, forms2) = checkpoints[0], checkpoints[-1]
    per_mb = (held2 - held1) / (mb2 - mb1)
    print(f"growth: {per_mb / 1e6:.3f} MB of statistics per MB of text ({mb1:.0f}-{mb2:.0f} MB)")
    print(
        "linear extrapolation to 1 GB of text (an upper bound): "
        f"{(held2 + per_mb * (1000 - mb2)) / 1e6:.0f} MB"
    )
    # distinct names grow as a power of the text (Heaps' law), and the statistics with them
    xs = [math.log(mb) for mb, _, _ in checkpoints]
    ys = [math.log(forms) for _, _, forms in checkpoints]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    beta = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    forms_1gb = forms2 * (1000 / mb2) ** beta
    print(
        f"distinct name forms grow as text^{beta:.2f}: about {forms_1gb:,.0f} at 1 GB, "
        f"so the statistics about {held2 / forms2 * forms_1gb / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
