"""A toy lesson's controls in a real browser: serve its notebook with Voilà, click "Step D" and "Step G", screenshot.

    .venv/bin/pip install -r requirements-browser.txt      # Voilà; Chromium comes from the system (apt install chromium)
    .venv/bin/python scripts/browser_check.py [--notebook tutorials/notebooks/07_gan_2d.ipynb] [--out out/screenshots]

Voilà runs the notebook in a kernel (at short settings, through TF_GAN_LESSON_ARGS) and shows its
outputs and live widgets as a page. Headless Chromium opens the page; this script drives it through
the DevTools protocol (a websocket, with tornado, which Jupyter already installs): it waits for the
board, saves a screenshot, clicks "Step D" ten times, saves another, clicks "Step G" ten times, saves
a third, and checks that the board's status line counted the clicks. Not part of `make test`: it
needs Chromium and takes about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
SHORT = "--steps 200 --look-every 100 --hand 20"  # the lesson at short settings: the page is ready in seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2)
            return
        time.sleep(0.5)
    sys.exit(f"browser_check: nothing answered at {url} within {seconds:.0f} s")


class Page:
    """One Chromium tab, driven through the DevTools protocol."""

    def __init__(self, socket_url: str) -> None:
        self.socket_url, self.next_id = socket_url, 0

    async def open(self) -> None:
        self.ws = await websocket_connect(self.socket_url, max_message_size=64 * 2**20)

    async def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        await self.ws.write_message(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(await self.ws.read_message())
            if reply.get("id") == self.next_id:
                return reply.get("result", {})

    async def js(self, expression: str) -> object:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    async def screenshot(self, path: Path) -> Path:
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    async def until(self, expression: str, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if await self.js(expression):
                return
            await asyncio.sleep(1)
        sys.exit(f"browser_check: the page never showed {expression!r} within {seconds:.0f} s")


CLICK = """(() => {{ const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === '{name}');
  if (!b) return false; b.click(); return true; }})()"""
STATUS = "[...document.querySelectorAll('.widget-label')].map(l => l.textContent).find(t => t.startsWith('D steps'))"


async def drive(page: Page, out: Path, name: str) -> list[Path]:
    await page.open()
    await page.call("Page.enable")
    await page.until(STATUS, 300)  # the kernel has run the lesson and drawn the board
    await page.js("document.querySelector('button').scrollIntoView()")
    shots = [await page.screenshot(out / f"{name}_board_start.png")]
    lesson = name
    for name, count in (("Step D", 10), ("Step G", 10)):
        for _ in range(count):
            if not await page.js(CLICK.format(name=name)):
                sys.exit(f"browser_check: no button {name!r} on the page")
            await asyncio.sleep(0.4)
        await asyncio.sleep(2)
        shots.append(await page.screenshot(out / f"{lesson}_board_after_{name.lower().replace(' ', '_')}.png"))
    status = await page.js(STATUS)
    if not str(status).startswith("D steps 10, G steps 10"):
        sys.exit(f"browser_check: the board says {status!r}, not 10 steps of each player")
    print(f"the board after the clicks: {status}")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=ROOT / "tutorials" / "notebooks" / "07_gan_2d.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("browser_check: no Chromium here; on Debian or Ubuntu: apt install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    voila_port, devtools_port = free_port(), free_port()
    env = {**os.environ, "TF_GAN_LESSON_ARGS": f"{SHORT} --out {args.out / 'lesson'}"}
    server = subprocess.Popen([sys.executable, "-m", "voila", str(args.notebook), "--no-browser",
                               f"--port={voila_port}", "--Voila.ip=127.0.0.1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=(args.out / "voila.log").open("w"))
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                                f"--remote-debugging-port={devtools_port}", "--window-size=1100,1400",
                                f"http://127.0.0.1:{voila_port}/"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{voila_port}/", 60)
        wait_for(f"http://127.0.0.1:{devtools_port}/json/version", 60)
        tabs = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json").read())
        page = Page(next(t for t in tabs if t["type"] == "page")["webSocketDebuggerUrl"])
        for shot in asyncio.run(drive(page, args.out, args.notebook.stem[:2])):
            print(f"screenshot: {shot}")
    finally:
        browser.terminate()
        server.terminate()


if __name__ == "__main__":
    main()
