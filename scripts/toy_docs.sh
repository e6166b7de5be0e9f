#!/usr/bin/env bash
# The README's pictures and numbers for the toy lessons (06 and 07): both lessons at their
# defaults, each timed, their output kept in OUT/06.txt and OUT/07.txt; then the pictures
# the README shows are copied to docs/toy/, reduced to 64 colours to keep the repository small.
#   bash scripts/toy_docs.sh        # about 2 minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-out/toy-docs}
mkdir -p "$OUT" docs/toy
time $PY tutorials/06_gan_1d.py --out "$OUT/06" | tee "$OUT/06.txt"
time $PY tutorials/07_gan_2d.py --out "$OUT/07" | tee "$OUT/07.txt"
$PY - "$OUT" <<'PYTHON'
import shutil
import sys
from pathlib import Path

from PIL import Image

out, docs = Path(sys.argv[1]), Path("docs/toy")
for name in ("06/figure1.png", "07/ring_stages.png", "07/ring_coverage.png", "07/grid.png"):
    with Image.open(out / name) as im:
        im.convert("RGB").quantize(colors=64, dither=Image.Dither.NONE).save(docs / Path(name).name, optimize=True)
for name in ("07/ring.gif",):  # already 64 colours; 06/line_game.gif stays in OUT, to keep docs/ small
    shutil.copyfile(out / name, docs / Path(name).name)
print("\n".join(f"{p}  {p.stat().st_size // 1024} KB" for p in sorted(docs.iterdir())))
PYTHON
