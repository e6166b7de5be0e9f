"""The course as a static site: every lesson executed, with its pictures, and every docs page, offline.

    .venv/bin/pip install -r requirements-site.txt
    .venv/bin/python scripts/build_site.py [--out site]      # what `make site` runs

Each lesson's notebook (tutorials/notebooks/) runs top to bottom in a kernel, at the short
settings below (tests/test_lessons.py builds the site from its own, shorter runs), writing its pictures; one
markdown cell is added at its end showing them, so the page has the prose, the code, the
printed lines and the pictures of that run. The README becomes the front page and the
docs/ pages follow in the course's order. Links are rewritten for the site: a lesson's
script links to its page, any other file of the repository becomes plain text. MkDocs with
the Material theme builds the site (strict: a broken link fails the build), with search and
no web fonts, so nothing is fetched from the network.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "tutorials" / "notebooks"
# The settings each lesson runs at for the site: the same lesson, minutes instead of its default length.
SITE = {"01_wiseodd": "--steps 3000 --sample-every 500", "02_keras_gan": "--steps 1000 --sample-every 200",
        "03_gfg": "--epochs 10", "04_golbin": "--epochs 10", "05_compare_losses": "--steps 2000 --seeds 0",
        "06_gan_1d": "", "07_gan_2d": "", "08_cgan": "--steps 5000 --sample-every 1000",
        "09_paper": "--steps 500 --sample-every 100"}
TOY = ("06_gan_1d", "07_gan_2d")  # they make their own data
PAGES = ["setup.md", "lessons.md", "command-line.md", "changes-from-the-posts.md", "loss-lesson.md", "toy-games.md",
         "quality.md", "paper.md", "cgan.md", "speed.md", "tests-and-layout.md", "references.md"]
PICTURES = 6  # at most this many of a run's pictures on its page: its animations first, then its last images
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def execute(name: str, flags: str, run_dir: Path) -> nbformat.NotebookNode:
    """Run a lesson's notebook in a fresh kernel with `flags`; its pictures go to `run_dir`."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    data = [] if name in TOY else ["--data", "bundled"]
    env = {**os.environ, "TF_GAN_LESSON_ARGS": shlex.join([*shlex.split(flags), *data, "--out", str(run_dir)]),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    NotebookClient(nb, timeout=1800, startup_timeout=120, kernel_name="python3", shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute(env=env)
    return nb


def chosen_pictures(run_dir: Path) -> list[Path]:
    """The run's animations, then its newest pictures: what its page shows."""
    files = [p for p in run_dir.rglob("*") if p.suffix in (".gif", ".png") and "frames" not in p.parent.name]
    gifs = sorted(p for p in files if p.suffix == ".gif")
    pngs = sorted((p for p in files if p.suffix == ".png"), key=lambda p: (p.stat().st_mtime, p.name))
    return (gifs + pngs[::-1])[:PICTURES]


def with_pictures(nb: nbformat.NotebookNode, run_dir: Path, assets: Path, prefix: str) -> nbformat.NotebookNode:
    """The executed notebook, one markdown cell longer: the pictures this run made, copied beside the page."""
    assets.mkdir(parents=True, exist_ok=True)
    lines = ["## The pictures of this run", ""]
    for picture in chosen_pictures(run_dir):
        target = assets / f"{picture.parent.name}-{picture.name}" if picture.parent != run_dir else assets / picture.name
        shutil.copy2(picture, target)
        # Raw HTML: the notebook renderer drops a Markdown image whose path does not exist beside the notebook
        # file, and the page is served one folder deeper than the notebook sits.
        lines += [f'<img src="{prefix}/{target.name}" alt="{picture.relative_to(run_dir)}">', ""]
    nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
    return nb


def site_link(page: Path, target: str) -> str | None:
    """`target`, a link on the page at repository path `page`, as the site needs it (None: not a link there)."""
    if re.match(r"[a-z]+:", target) or target.startswith("#"):
        return target
    path, _, anchor = target.partition("#")
    resolved = (ROOT / page.parent / path).resolve().relative_to(ROOT)
    if resolved.parts[0] == "docs":
        moved = Path(*resolved.parts[1:])
    elif resolved == Path("README.md"):
        moved = Path("index.md")
    elif resolved.parts[0] == "tutorials" and resolved.suffix == ".py" and len(resolved.parts) == 2:
        moved = Path("lessons") / f"{resolved.stem}.ipynb"
    else:
        return None  # a file of the repository the site does not hold
    here = Path("index.md") if page == Path("README.md") else Path(*page.parts[1:])
    relative = os.path.relpath(moved, here.parent)
    return relative + (f"#{anchor}" if anchor else "")


def rewrite(page: Path, text: str) -> str:
    def one(match: re.Match) -> str:
        bang, label, target = match.groups()
        new = site_link(page, target)
        return f"{bang}[{label}]({new})" if new is not None else (label if label.startswith("`") else f"`{label}`")

    return LINK.sub(one, text)


def write_sources(src: Path) -> None:
    """The docs/ tree for MkDocs: the README as index.md, the docs pages and their figures, links rewritten."""
    shutil.copytree(ROOT / "docs", src, ignore=shutil.ignore_patterns("*.md"), dirs_exist_ok=True)
    (src / "index.md").write_text(rewrite(Path("README.md"), (ROOT / "README.md").read_text()))
    for md in (ROOT / "docs").rglob("*.md"):
        relative = md.relative_to(ROOT)
        (src / md.relative_to(ROOT / "docs")).parent.mkdir(parents=True, exist_ok=True)
        (src / md.relative_to(ROOT / "docs")).write_text(rewrite(relative, md.read_text()))


def mkdocs_config(src: Path, lessons: list[str]) -> Path:
    nav = ["  - Home: index.md", "  - Lessons:"]
    nav += [f"      - {name[:2]} {name[3:].replace('_', ' ')}: lessons/{name}.ipynb" for name in lessons]
    nav += ["  - Topics:"] + [f"      - {page}" for page in PAGES]  # each page's own title
    config = src.parent / "mkdocs.yml"
    config.write_text("\n".join([
        "site_name: tf_gan, the vanilla GAN tutorials",
        f"docs_dir: {src.name}",
        "theme:", "  name: material", "  font: false  # no web fonts: the site builds and reads offline",
        "  features: [navigation.sections, navigation.top, search.highlight]",
        "plugins:", "  - search", "  - mkdocs-jupyter:", "      execute: false", "      include_source: true",
        "markdown_extensions: [tables, toc, admonition]",
        "validation:", "  links: {not_found: warn, anchors: warn}",
        "nav:", *nav, ""]))
    return config


def assemble(executed: dict[str, tuple[nbformat.NotebookNode, Path]], out: Path, work: Path) -> None:
    """The site in `out` from executed lessons, {name: (notebook, the folder its run wrote)}, and the docs."""
    if work.exists():
        shutil.rmtree(work)
    src = work / "docs"
    write_sources(src)
    (src / "lessons").mkdir()
    for name, (nb, run_dir) in sorted(executed.items()):
        # The page is served at lessons/NAME/, so its pictures sit beside that folder, not in it.
        nb = with_pictures(nb, run_dir, src / "lessons" / f"{name}-pictures", f"../{name}-pictures")
        nbformat.write(nb, src / "lessons" / f"{name}.ipynb")
    config = mkdocs_config(src, sorted(executed))
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config.resolve()), "-d",
                           str(out.resolve())], cwd=work, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build_site: mkdocs failed:\n{done.stderr[-3000:]}")


def build(out: Path, settings: dict[str, str], work: Path) -> None:
    """Execute every lesson at `settings`, then assemble the site into `out`."""
    executed = {}
    for name in sorted(settings):
        began = time.perf_counter()
        run_dir = (work.parent / "site-runs" / name).resolve()  # the kernel runs in tutorials/notebooks/
        shutil.rmtree(run_dir, ignore_errors=True)
        executed[name] = (execute(name, settings[name], run_dir), run_dir)
        print(f"{name}: executed in {time.perf_counter() - began:.0f} s", flush=True)
    assemble(executed, out, work)


def broken_links(site: Path) -> list[str]:
    """Every local href or src in the built site's pages that points at nothing: "page -> target"."""
    problems = []
    for page in site.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#?]+)', page.read_text(errors="replace")):
            if re.match(r"[a-z]+:", target) or target.startswith("//"):
                continue
            path = (page.parent / target) if not target.startswith("/") else site / target.lstrip("/")
            if not (path.is_file() or (path / "index.html").is_file()):
                problems.append(f"{page.relative_to(site)} -> {target}")
    return problems


def screenshots(site: Path, out: Path) -> list[Path]:
    """The front page and lesson 07's page in headless Chromium (the system's), as PNGs a person looks at."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("build_site: --screenshots needs Chromium (apt install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for page, height in (("index.html", 1600), ("lessons/07_gan_2d/index.html", 4000)):
        shot = out / (page.replace("/", "_").replace("_index.html", "").replace(".html", "") + ".png")
        subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size=1280,{height}",
                        f"--screenshot={shot}", (site / page).resolve().as_uri()], capture_output=True, timeout=120)
        shots.append(shot)
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--screenshots", type=Path, help="also save screenshots of two pages here (needs Chromium)")
    args = parser.parse_args()
    began = time.perf_counter()
    build(args.out, SITE, ROOT / "out" / "site-build")
    if problems := broken_links(args.out):
        sys.exit("build_site: broken links in the site:\n" + "\n".join(problems[:20]))
    for shot in screenshots(args.out, args.screenshots) if args.screenshots else []:
        print(f"screenshot: {shot}")
    print(f"site in {args.out}/ ({time.perf_counter() - began:.0f} s); serve it: make site-serve")


if __name__ == "__main__":
    main()
