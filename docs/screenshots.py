"""Screenshots of the console and the explorer for the README (`make screenshots`).

Builds the generated corpus of notebooks/scenario.py into a temporary store with the real
extractor, serves it with `diplokg serve` on a free loopback port, opens the pages in Debian's
headless Chromium with every request outside the app refused, and writes docs/console.png,
docs/console-chart.png and docs/explorer.png. It fails if a page asked for anything outside the app.

    .venv/bin/python docs/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1360, "height": 820}


def scenario_corpus(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("scenario", ROOT / "notebooks" / "scenario.py")
    assert spec and spec.loader
    scenario = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scenario)
    return scenario.write(folder / "scenario.jsonl")  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def diplokg_server(store: Path) -> Iterator[str]:
    """`diplokg serve` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("diplokg")), "serve", "--store", str(store)]
    process = subprocess.Popen([*command, "--port", str(port), "--host", "127.0.0.1"])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"diplokg serve stopped (exit {process.returncode})")
            try:
                if httpx.get(url + "/actors?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("diplokg serve did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def console_shots(page: Page, out: Path) -> list[Path]:
    page.goto("/")
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#examples", label="Actors by number of events")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr")
    page.screenshot(path=out / "console.png")
    page.select_option("#examples", label="Events per month (chart)")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .diplokg-chart canvas")
    page.locator(".tabPanel.active .CodeMirror").evaluate("e => e.scrollIntoView()")
    page.screenshot(path=out / "console-chart.png", full_page=True)
    return [out / "console.png", out / "console-chart.png"]


def explorer_shot(page: Page, out: Path) -> Path:
    """The network of the corpus's busiest go-between, the United Nations, and the events of its
    heaviest link that a click can reach (its middle not under a node)."""
    page.goto("/explore")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#q", "united nations")
    page.locator("#matches button.match").first.click()
    page.wait_for_selector("#graph[data-state=drawn]")
    point = page.evaluate(
        """() => {
          const cy = document.getElementById('graph')._cyreg.cy;
          const ego = cy.nodes('.ego');
          const inside = (p) => cy.nodes().some((n) => {
            const b = n.renderedBoundingBox({ includeLabels: true });
            return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
          });
          const links = ego.connectedEdges().sort((a, b) => b.data('weight') - a.data('weight'));
          const free = links.filter((e) => !inside(e.renderedMidpoint()));
          return (free.length ? free[0] : links[0]).renderedMidpoint();
        }"""
    )
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector("#events[data-state=loaded]")
    page.wait_for_timeout(300)
    page.screenshot(path=out / "explorer.png")
    return out / "explorer.png"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diplokg-shots-") as tmp:
        corpus = scenario_corpus(Path(tmp))
        store = Path(tmp) / "store"
        build = [str(Path(sys.executable).with_name("diplokg")), "build", str(corpus)]
        subprocess.run([*build, "--store", str(store)], check=True)
        with diplokg_server(store) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(base_url=url, viewport=VIEWPORT)
            refused: list[str] = []

            def offline(route: Route) -> None:
                if route.request.url.startswith(url + "/"):
                    route.continue_()
                else:
                    refused.append(route.request.url)
                    route.abort("internetdisconnected")

            context.route("**/*", offline)
            page = context.new_page()
            page.set_default_timeout(30_000)
            written = [*console_shots(page, args.out), explorer_shot(page, args.out)]
            browser.close()
    if refused:
        raise SystemExit(f"the pages asked for something outside the app: {refused}")
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
