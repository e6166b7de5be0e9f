#!/usr/bin/env bash
# The README's conditional-GAN and noise-space pictures, shrunk into docs/cgan/.
#   bash scripts/cgan_docs.sh          # about 3 minutes on 2 cores, once the cgan runs exist
# The cgan runs are cgan-60k-s0 and cgan-300k-s0 of scripts/cgan_results.py (trained here if
# missing: 2 and 9 minutes on an idle machine); the unconditional one is wiseodd at the demo's
# 20,000 steps. `interpolate` walks both, and the
# pictures the README shows are copied, at most 640 pixels wide, into docs/cgan/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-out/cgan-docs}
CGAN=out/cgan-results/cgan-60k-s0
LONG=out/cgan-results/cgan-300k-s0  # its quality.csv, as a picture
WISEODD=$OUT/wiseodd-20k
mkdir -p "$OUT" docs/cgan

for run in "$CGAN" "$LONG"; do
  [ -f "$run/eval.json" ] || $PY scripts/cgan_results.py "$(basename "$run")"
done
if [ ! -f "$WISEODD/config.json" ]; then
  $PY -m tf_gan train wiseodd --steps 20000 --seed 0 --data bundled --threads 2 --out "$WISEODD" \
    > "$OUT/wiseodd-20k.train.log" 2>&1
fi
/usr/bin/time -f "interpolate: %e s" $PY -m tf_gan interpolate "$CGAN" --out "$OUT/cgan-latent" \
  | tee "$OUT/cgan-latent.txt"
$PY -m tf_gan interpolate "$WISEODD" --out "$OUT/wiseodd-latent" | tee "$OUT/wiseodd-latent.txt"

last=$(ls "$CGAN/digits" | sort | tail -1)
$PY - "$CGAN/digits/$last:digits-60k.png" "$LONG/quality.png:quality-300k.png" \
  "$OUT/cgan-latent/paths.png:paths.png" "$OUT/cgan-latent/paths_read.png:paths-read.png" \
  "$OUT/cgan-latent/digits.png:latent-digits.png" "$OUT/cgan-latent/digits_read.png:digits-read.png" \
  "$OUT/cgan-latent/nearest.png:nearest.png" \
  "$OUT/cgan-latent/nearest_distances.png:nearest-distances.png" \
  "$OUT/wiseodd-latent/paths.png:wiseodd-paths.png" \
  "$OUT/wiseodd-latent/paths_read.png:wiseodd-paths-read.png" <<'EOF'
"""Copy each SOURCE:NAME picture to docs/cgan/NAME, at most 640 pixels wide, in 64 greys or colours."""
import sys
from PIL import Image

for pair in sys.argv[1:]:
    source, name = pair.split(":")
    with Image.open(source) as image:
        image = image.convert("RGB")
        if image.width > 640:
            image = image.resize((640, round(image.height * 640 / image.width)), Image.LANCZOS)
        image.quantize(colors=64).save(f"docs/cgan/{name}", optimize=True)
        print(f"docs/cgan/{name}")
EOF
