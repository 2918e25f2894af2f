"""The app's pages in a real browser: Debian's headless Chromium, driven by Playwright.

A live uvicorn serves a store on a free loopback port; every page opens in a fresh browser context
whose requests to anywhere but that server are refused and recorded, so a test fails if a page
needed the network (a CDN, a web font, a web service). Playwright's own browser download is not
used (it needs the internet): the tests run the system's /usr/bin/chromium, which `make test`
installs with apt-get when it runs as root, and skip, saying why, where that browser is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from api.main import create_app
from api.routes.console import missing_libraries
from api.settings import Settings
from tests.api.browser.world import build_world
from tests.api.live import live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
#: The project's launch flags, and two that keep Chromium from calling Google hosts.
CHROMIUM_ARGS = [
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
TIMEOUT_MS = 15_000


@dataclass
class Visit:
    """One page in its own browser context, with what it asked for and what went wrong."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


OpenPage = Callable[[str], Visit]


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless, with the project's flags."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module: Playwright's sync API keeps an event loop running in this
    thread while it is open, which later tests calling asyncio.run() must not find."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium); "
            "make test installs it when run as root"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    # a page's first query may wait for the server's query workers to start
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    missing = missing_libraries()
    assert not missing, f"the pages' npm packages are not installed (make setup): {missing}"
    with sync_api.sync_playwright() as playwright:
        # Playwright gives the browser a fresh temporary profile (--user-data-dir) of its own
        launched = launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def console_url(store_path: Path) -> Iterator[str]:
    """A live server over the shared two-document test store (read-only)."""
    app = create_app(Settings(store=store_path, read_only=True, prestart_workers=True))
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def world_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_world(tmp_path_factory.mktemp("world") / "store")


@pytest.fixture(scope="module")
def world_url(world_path: Path) -> Iterator[str]:
    """A live server over the three-state store of `world.py` (read-only)."""
    app = create_app(Settings(store=world_path, read_only=True, prestart_workers=True))
    with live_server(app) as url:
        yield url


def offline(visit: Visit) -> Callable[[Route], None]:
    """A route handler: requests to the app go through, every other one is refused and kept."""

    def handle(route: Route) -> None:
        url = route.request.url
        visit.requests.append(url)
        if url.startswith(visit.base_url + "/"):
            route.continue_()
        else:
            visit.refused.append(url)
            route.abort("internetdisconnected")

    return handle


def opener(browser: Browser, base_url: str) -> Iterator[OpenPage]:
    """Open pages of the app at `base_url`, each in a new offline context; after the test, check
    that none reached outside the app and that no script failed."""
    visits: list[Visit] = []
    contexts = []

    def open_page(path: str) -> Visit:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 860})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page, base_url)
        context.route("**/*", offline(visit))

        def console_message(message: ConsoleMessage) -> None:
            # the browser logs the 4xx answers a test asks for ("the server responded with a
            # status of 400"): they are shown by the page, not script errors
            if message.type == "error" and "status of 4" not in message.text:
                visit.problems.append(f"console error: {message.text}")

        page.on("pageerror", lambda error: visit.problems.append(f"page error: {error}"))
        page.on("console", console_message)
        page.goto(path)
        page.wait_for_selector("body[data-ready=true]")
        visits.append(visit)
        return visit

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    for visit in visits:
        assert visit.requests, "the route handler saw no request"
        assert not visit.refused, f"the page asked for something outside the app: {visit.refused}"
        assert not visit.problems, visit.problems


@pytest.fixture
def open_console(browser: Browser, console_url: str) -> Iterator[OpenPage]:
    yield from opener(browser, console_url)


@pytest.fixture
def open_explorer(browser: Browser, world_url: str) -> Iterator[OpenPage]:
    yield from opener(browser, world_url)
