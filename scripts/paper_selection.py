"""What choosing an epoch could add to the paper net's Parzen figure: a run judged after every epoch, read back.

    python scripts/paper_selection.py [RUN]      # RUN defaults to out/results/paper-100ep-every-epoch

`bash scripts/results.sh paper-100ep-every-epoch` continues paper-100ep from epoch 80 and
fills quality.csv with the Parzen window after every epoch: the full protocol (10,000
samples, sigma chosen on the held-out digits, the test digits' mean) and the paper's own
training monitor (`monitor_ll`: sigma 0.2, 100 fresh samples per 100 held-out digits, the
channel `valid_gen_ll`). This prints, as Markdown, each epoch's two figures, their spread,
and what a person keeping the epoch the monitor liked best would have reported.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from paper_seeds import ROOT, UPDATES_PER_EPOCH

from tf_gan.files import read_csv

LAST_EPOCHS = 20  # the window read: the epochs the continued run judged one by one


def main(run: Path) -> None:
    rows = [r for r in read_csv(run / "quality.csv") if not math.isnan(r.get("parzen_monitor_nats", math.nan))]
    rows = [r for r in rows if r["step"] > rows[-1]["step"] - LAST_EPOCHS * UPDATES_PER_EPOCH] if rows else rows
    if not rows:
        sys.exit(f"paper_selection: {run}/quality.csv has no row with the paper's monitor; "
                 "make it with: bash scripts/results.sh paper-100ep-every-epoch")
    print("| epoch | Parzen, the full protocol (nats) | the paper's monitor (nats) | classifier score |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {int(r['step']) // UPDATES_PER_EPOCH} | {r['parzen_nats']:.1f} | {r['parzen_monitor_nats']:.1f} | "
              f"{r['classifier_score']:.2f} |")
    full = np.array([r["parzen_nats"] for r in rows])
    picked = max(rows, key=lambda r: r["parzen_monitor_nats"])
    best = max(rows, key=lambda r: r["parzen_nats"])
    print(f"\nover epochs {int(rows[0]['step']) // UPDATES_PER_EPOCH}-{int(rows[-1]['step']) // UPDATES_PER_EPOCH}: "
          f"full protocol {full.min():.1f} to {full.max():.1f} (mean {full.mean():.1f}, sd {full.std(ddof=1):.1f}); "
          f"the last epoch {full[-1]:.1f}; the best epoch by the full protocol {int(best['step']) // UPDATES_PER_EPOCH} "
          f"({best['parzen_nats']:.1f}); the epoch the monitor picks {int(picked['step']) // UPDATES_PER_EPOCH}, "
          f"where the full protocol gives {picked['parzen_nats']:.1f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "results" / "paper-100ep-every-epoch")
