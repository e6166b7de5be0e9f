#!/usr/bin/env bash
# The README's results table: every recipe at its lesson length and, where it fits in an
# hour here, at the post's full length; then `evaluate` on each run. Two slots run side by
# side on a 2-core machine, each run with one TensorFlow thread (train --threads 1) and the
# posts' loop (--loop classic, whose numbers do not depend on a compiler; the paper's larger
# net takes the fast loop on both cores), so the figures
# repeat exactly on the same machine; another CPU gives other last bits, and so other figures.
#   bash scripts/results.sh                   # every row: about an hour on 2 cores
#   bash scripts/results.sh gfg-60ep ...      # only these rows, one after another
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-out/results}
mkdir -p "$OUT"

declare -A ROWS=(
  [wiseodd-20k]="wiseodd --steps 20000 --eval-every 1000"
  [wiseodd-100k]="wiseodd --steps 100000 --eval-every 5000"
  [keras_gan-7k]="keras_gan --steps 7000 --eval-every 1000"
  [keras_gan-30k]="keras_gan --steps 30000 --eval-every 3000"
  [gfg-60ep]="gfg --epochs 60"
  [gfg-500ep]="gfg --epochs 500"
  [golbin-50ep]="golbin --epochs 50"
  [golbin-100ep]="golbin --epochs 100"
  [paper-100ep]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-average-150ep]="paper --set average_g_from=5 --epochs 150 --eval-every 2500 --parzen-every 25000"
  # The faithful net with one knob turned, to see what holds its Parzen figure down
  [paper-lr-decay-100ep]="paper --set lr_decay=1.00004 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-no-dropout-100ep]="paper --set input_keep=1 --set input_scale=1 --set hidden_keep=1 --set hidden_scale=1 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-uniform-noise-100ep]="paper --set prior=uniform_sqrt3 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed1]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"  # other draws of the faithful run
  [paper-100ep-seed2]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed3]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
)
# How a row runs: one thread and the posts' loop, except where a row names its own. The paper's
# net is the largest; it takes the fast loop on both cores (about 25 minutes for 100 epochs).
declare -A RUN_FLAGS=(
  [paper-100ep]="--threads 2 --loop fast"
  [paper-average-150ep]="--threads 2 --loop fast"
  [paper-lr-decay-100ep]="--threads 2 --loop fast"
  [paper-no-dropout-100ep]="--threads 2 --loop fast"
  [paper-uniform-noise-100ep]="--threads 2 --loop fast"
  [paper-100ep-seed1]="--threads 2 --loop fast"
  [paper-100ep-seed2]="--threads 2 --loop fast"
  [paper-100ep-seed3]="--threads 2 --loop fast"
)
# The seed of a row: 0, except where a row names its own.
declare -A SEEDS=(
  [paper-100ep-seed1]=1
  [paper-100ep-seed2]=2
  [paper-100ep-seed3]=3
)
DEFAULT_FLAGS="--threads 1 --loop classic"

row() {  # NAME: train it, then evaluate it
  # shellcheck disable=SC2086  # the row's arguments are meant to split
  $PY -m tf_gan train ${ROWS[$1]} --data bundled --seed ${SEEDS[$1]:-0} ${RUN_FLAGS[$1]:-$DEFAULT_FLAGS} --out "$OUT/$1" --overwrite \
    > "$OUT/$1.train.log" 2>&1
  $PY -m tf_gan evaluate "$OUT/$1" --data bundled > "$OUT/$1.eval.txt" 2> "$OUT/$1.eval.log"
  echo "$1: $(grep 'classifier score' "$OUT/$1.eval.txt")"
}

if [ $# -gt 0 ]; then
  for name in "$@"; do row "$name"; done
  exit
fi
$PY -m tf_gan evaluate --reference real --data bundled > "$OUT/reference-real.eval.txt"  # trains the classifier once
$PY -m tf_gan evaluate --reference noise --data bundled > "$OUT/reference-noise.eval.txt"
(for name in wiseodd-100k keras_gan-30k gfg-60ep; do row "$name"; done) &
(for name in wiseodd-20k keras_gan-7k golbin-50ep golbin-100ep gfg-500ep; do row "$name"; done) &
wait
row paper-100ep  # alone: these use both cores
row paper-average-150ep
for name in paper-lr-decay-100ep paper-no-dropout-100ep paper-uniform-noise-100ep paper-100ep-seed1 paper-100ep-seed2 paper-100ep-seed3; do row "$name"; done
