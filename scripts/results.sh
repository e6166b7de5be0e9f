#!/usr/bin/env bash
# The README's results table: every recipe at its lesson length (and golbin at the post's
# full length), then `evaluate` on each run. Two slots run side by side on a 2-core machine,
# each run with one TensorFlow thread (train --threads 1), so the figures repeat on any machine.
#   bash scripts/results.sh            # all rows, about 40 minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-out/results}
mkdir -p "$OUT"

row() {  # NAME, then the train arguments
  local name=$1; shift
  $PY -m tf_gan train "$@" --data bundled --seed 0 --threads 1 --out "$OUT/$name" --overwrite > "$OUT/$name.train.log" 2>&1
  $PY -m tf_gan evaluate "$OUT/$name" --data bundled > "$OUT/$name.eval.txt" 2> "$OUT/$name.eval.log"
}

$PY -m tf_gan evaluate --reference real --data bundled > "$OUT/reference-real.eval.txt"   # trains the classifier once
$PY -m tf_gan evaluate --reference noise --data bundled > "$OUT/reference-noise.eval.txt"
(
  row wiseodd-100k wiseodd --steps 100000 --eval-every 5000
) &
(
  row wiseodd-20k wiseodd --steps 20000 --eval-every 1000
  row keras_gan-7k keras_gan --steps 7000 --eval-every 1000
  row gfg-60ep gfg --epochs 60
  row golbin-50ep golbin --epochs 50
  row golbin-100ep golbin --epochs 100
) &
wait
echo "done: $OUT/*.eval.txt"
