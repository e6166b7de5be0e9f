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

EARLIER="--set prior=normal --set bias_clip=0.001 --set masks_follow_seed=false"
declare -A ROWS=(
  [wiseodd-20k]="wiseodd --steps 20000 --eval-every 1000"
  [wiseodd-100k]="wiseodd --steps 100000 --eval-every 5000"
  [keras_gan-7k]="keras_gan --steps 7000 --eval-every 1000"
  [keras_gan-30k]="keras_gan --steps 30000 --eval-every 3000"
  [gfg-60ep]="gfg --epochs 60"
  [gfg-500ep]="gfg --epochs 500"
  [golbin-50ep]="golbin --epochs 50"
  [golbin-100ep]="golbin --epochs 100"
  # The paper's net as mnist.yaml has it: uniform noise in +-sqrt(3), G's bias clipped at 1e-7, the
  # dropout masks drawn from the run's seed. Several seeds: one in a few loses the game at the start.
  [paper-100ep]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed1]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed2]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed3]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed4]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed5]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-100ep-seed6]="paper --epochs 100 --eval-every 2500 --parzen-every 25000"
  # The paper's Algorithm 1: D's update, then G's (k = 1), where the file updates both at once
  [paper-alternating-100ep]="paper --set update=alternating --epochs 100 --eval-every 2500 --parzen-every 25000"
  # tf_gan's first version of the recipe, before issue 27: Gaussian noise, G's bias clipped at 0.001,
  # the same dropout masks on every seed. The rows measured with it keep it, to stay reproducible.
  [paper-normal-100ep]="paper $EARLIER --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-average-150ep]="paper $EARLIER --set average_g_from=5 --epochs 150 --eval-every 2500 --parzen-every 25000"
  [paper-lr-decay-100ep]="paper $EARLIER --set lr_decay=1.00004 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-no-dropout-100ep]="paper $EARLIER --set input_keep=1 --set input_scale=1 --set hidden_keep=1 --set hidden_scale=1 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-uniform-noise-100ep]="paper $EARLIER --set prior=uniform_sqrt3 --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-normal-100ep-seed1]="paper $EARLIER --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-normal-100ep-seed2]="paper $EARLIER --epochs 100 --eval-every 2500 --parzen-every 25000"
  [paper-normal-100ep-seed3]="paper $EARLIER --epochs 100 --eval-every 2500 --parzen-every 25000"
)
# Rows that continue another row's trained net (scripts/continue_from.py, then train --resume) instead of
# training from the start: SOURCE STEP, then what the resume changes. Resuming is exact, so the first
# STEP updates are the source's own.
declare -A CONTINUED=(
  # Selection: the last 20 epochs of paper-100ep again, Parzen (the full protocol and the file's own monitor)
  # after every epoch, as a person watching valid_gen_ll and keeping the best epoch would have seen them
  [paper-100ep-every-epoch]="paper-100ep 40000 --eval-every 500 --parzen-every 500"
  # Annealing: paper-100ep goes on for 30 epochs with its schedules' clock running 30 times faster, so
  # they pass what the file's would over epochs 100 to 1,000: lr 0.082 -> 0.0135, momentum 0.62 -> 0.7
  [paper-anneal-130ep]="paper-100ep 50000 --epochs 130 --set schedule_speed_from=100 --set schedule_speed=30 --parzen-every 5000"
)
# How a row runs: one thread and the posts' loop, except where a row names its own. The paper's
# net is the largest; its rows take the fast loop (each about 20 minutes with one thread, two side by side).
declare -A RUN_FLAGS=(
  [paper-100ep]="--threads 1 --loop fast"
  [paper-100ep-seed1]="--threads 1 --loop fast"
  [paper-100ep-seed2]="--threads 1 --loop fast"
  [paper-100ep-seed3]="--threads 1 --loop fast"
  [paper-100ep-seed4]="--threads 1 --loop fast"
  [paper-100ep-seed5]="--threads 1 --loop fast"
  [paper-100ep-seed6]="--threads 1 --loop fast"
  [paper-alternating-100ep]="--threads 1 --loop fast"
  [paper-normal-100ep]="--threads 2 --loop fast"
  [paper-average-150ep]="--threads 2 --loop fast"
  [paper-lr-decay-100ep]="--threads 2 --loop fast"
  [paper-no-dropout-100ep]="--threads 2 --loop fast"
  [paper-uniform-noise-100ep]="--threads 2 --loop fast"
  [paper-normal-100ep-seed1]="--threads 2 --loop fast"
  [paper-normal-100ep-seed2]="--threads 2 --loop fast"
  [paper-normal-100ep-seed3]="--threads 2 --loop fast"
)
# The seed of a row: 0, except where a row names its own.
declare -A SEEDS=(
  [paper-100ep-seed1]=1
  [paper-100ep-seed2]=2
  [paper-100ep-seed3]=3
  [paper-100ep-seed4]=4
  [paper-100ep-seed5]=5
  [paper-100ep-seed6]=6
  [paper-normal-100ep-seed1]=1
  [paper-normal-100ep-seed2]=2
  [paper-normal-100ep-seed3]=3
)
DEFAULT_FLAGS="--threads 1 --loop classic"

row() {  # NAME: train it (or continue its source), then evaluate it
  if [ -n "${CONTINUED[$1]:-}" ]; then
    continued "$1"
  else
    # shellcheck disable=SC2086  # the row's arguments are meant to split
    $PY -m tf_gan train ${ROWS[$1]} --data bundled --seed ${SEEDS[$1]:-0} ${RUN_FLAGS[$1]:-$DEFAULT_FLAGS} --out "$OUT/$1" --overwrite \
      > "$OUT/$1.train.log" 2>&1
  fi
  $PY -m tf_gan evaluate "$OUT/$1" --data bundled > "$OUT/$1.eval.txt" 2> "$OUT/$1.eval.log"
  echo "$1: $(grep 'classifier score' "$OUT/$1.eval.txt")"
}

continued() {  # NAME: a copy of its source row at a step, resumed with the row's changes (once it is trained)
  read -r source step changes <<< "${CONTINUED[$1]}"
  [ -f "$OUT/$source/config.json" ] || row "$source"
  rm -rf "${OUT:?}/$1"
  $PY scripts/continue_from.py "$OUT/$source" "$OUT/$1" --step "$step" > "$OUT/$1.train.log" 2>&1
  # shellcheck disable=SC2086
  $PY -m tf_gan train --resume "$OUT/$1" $changes >> "$OUT/$1.train.log" 2>&1
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
(for name in paper-100ep paper-100ep-every-epoch paper-anneal-130ep; do row "$name"; done) &  # one thread each
(for name in paper-100ep-seed1 paper-100ep-seed2 paper-alternating-100ep; do row "$name"; done) &
wait
# The earlier recipe's rows (two threads each, one after another)
for name in paper-normal-100ep paper-average-150ep paper-lr-decay-100ep paper-no-dropout-100ep paper-uniform-noise-100ep \
    paper-normal-100ep-seed1 paper-normal-100ep-seed2 paper-normal-100ep-seed3; do row "$name"; done
