"""The query console in a real browser: Debian's headless Chromium, driven by Playwright.

A live uvicorn serves the two-document test store; the browser opens `/`, runs queries and reads the
result table. Playwright's own browser download is not used (it needs the internet): the test runs
the system's /usr/bin/chromium, which `make test` installs with apt-get when it runs as root, and
skips, saying why, where that browser is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from api.main import create_app
from api.settings import Settings
from kg.namespaces import DIPR
from tests.api.live import live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep Chromium from calling Google hosts (refused here, and slow to fail).
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

MEETING = "dipr:event/meeting-KOR-PRK-2018-01-09"


@pytest.fixture(scope="module")
def base_url(store_path: Path) -> Iterator[str]:
    """A live server on a free loopback port, over the shared read-only test store."""
    app = create_app(Settings(store=store_path, read_only=True))
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium); "
            "make test installs it when run as root"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    with sync_api.sync_playwright() as playwright:
        # Playwright gives the browser a fresh temporary profile (--user-data-dir) of its own
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """The console, loaded; every request it makes and every script error it meets are kept,
    and checked after the test: all requests go to the app, no script fails."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))

    def console_message(message: ConsoleMessage) -> None:
        # the browser logs the 4xx answers a test asks for ("the server responded with a
        # status of 400"): they are shown by the page, not script errors
        if message.type == "error" and "status of 4" not in message.text:
            problems.append(f"console error: {message.text}")

    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", console_message)
    opened.goto("/")
    opened.wait_for_selector("body[data-ready=true]")
    try:
        yield opened
    finally:
        context.close()
    outside = [url for url in requests if not url.startswith(base_url + "/")]
    assert not outside, f"the console fetched from outside the app: {outside}"
    assert not problems, problems


def cells(page: Page, row: int) -> list[str]:
    """The texts of the cells of a row of the result table (0: the first row of results)."""
    return page.locator("#results tbody tr").nth(row).locator("td").all_inner_texts()


def headers(page: Page) -> list[str]:
    return page.locator("#results thead th").all_inner_texts()


def test_an_example_query_shows_its_table(page: Page) -> None:
    from playwright.sync_api import expect

    page.select_option("#examples", label="Meetings with their dates and places")
    assert "dip:Meeting" in page.input_value("#query")
    page.click("#run")
    expect(page.locator("#results table")).to_be_visible()
    assert headers(page) == ["?meeting", "?date", "?place", "?participants", "?modality"]
    expect(page.locator("#results tbody tr")).to_have_count(1)
    meeting, date, place, participants, modality = cells(page, 0)
    assert meeting == MEETING  # shortened with the project's prefixes
    assert date.split() == ["2018-01-09", "xsd:date"]
    assert place == "Panmunjom"
    assert sorted(participants.split(", ")) == ["North Korea", "South Korea"]
    assert modality == ""  # unbound: the meeting took place
    expect(page.locator("#status")).to_contain_text("1 row in")
    expect(page.locator("#error")).to_be_hidden()
    link = page.locator("#results tbody a.iri").first
    assert link.get_attribute("title") == DIPR + MEETING.removeprefix("dipr:")  # the whole IRI


def test_a_typed_query_runs_with_ctrl_enter(page: Page) -> None:
    """A query without PREFIX lines: the console declares the project's prefixes it uses."""
    from playwright.sync_api import expect

    page.fill("#query", "SELECT DISTINCT ?name WHERE { ?state a dip:State ; rdfs:label ?name }\n")
    page.focus("#query")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    names = page.locator("#results tbody td").all_inner_texts()
    assert sorted(names) == ["North Korea", "South Korea", "United States"]
    expect(page.locator("#status")).to_contain_text("3 rows")
    expect(page.locator("#status")).to_contain_text("added PREFIX dip: rdfs:")


def test_actors_by_number_of_events(page: Page) -> None:
    from playwright.sync_api import expect

    page.select_option("#examples", label="Actors by number of events")
    page.click("#run")
    expect(page.locator("#results tbody tr")).to_have_count(4)
    assert headers(page) == ["?actor", "?name", "?events"]
    assert cells(page, 0) == ["dipr:actor/PRK", "North Korea", "5 xsd:integer"]
    assert cells(page, 1) == ["dipr:actor/KOR", "South Korea", "3 xsd:integer"]


def test_a_malformed_query_shows_the_servers_error(page: Page, base_url: str) -> None:
    from playwright.sync_api import expect

    bad = "SELECT ?x WHERE { ?x ?y }"
    page.fill("#query", bad)
    page.click("#run")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("400")
    detail = httpx.post(
        base_url + "/sparql",
        data={"query": bad},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["detail"]
    assert detail.strip()
    expect(error.locator("pre")).to_have_text(detail.strip())
    expect(page.locator("#results table")).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("failed after")


def test_describe_shows_turtle(page: Page) -> None:
    from playwright.sync_api import expect

    page.select_option("#examples", label="Describe a meeting (Turtle)")
    page.click("#run")
    graph = page.locator("#results pre.graph")
    expect(graph).to_be_visible()
    expect(graph).to_contain_text("dip:Meeting")
    expect(graph).to_contain_text("meeting-KOR-PRK-2018-01-09")
    expect(page.locator("#status")).to_contain_text("Turtle")


def test_following_an_iri_shows_its_triples(page: Page) -> None:
    from playwright.sync_api import expect

    page.select_option("#examples", label="Posts and who holds them")
    page.click("#run")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert cells(page, 0) == ["dipr:actor/moon-jae-in", "Moon Jae-in", "President", "South Korea"]
    page.click("#results tbody a.iri >> text=dipr:actor/moon-jae-in")
    expect(page.locator("#results thead th")).to_have_text(["?subject", "?property", "?object"])
    expect(page.locator("#results tbody")).to_contain_text("rdfs:label")
    expect(page.locator("#results tbody")).to_contain_text("org:heldBy")  # a triple it is object of
    assert "DESCRIBE" not in page.input_value("#query")
    assert "query=" in page.url  # the run query is in the address: it can be bookmarked
    page.go_back()  # and Back runs the previous one again
    expect(page.locator("#results thead th")).to_have_text(["?holder", "?name", "?title", "?state"])


def test_an_error_says_when_prefix_lines_were_added(page: Page) -> None:
    from playwright.sync_api import expect

    page.fill("#query", "SELECT ?x WHERE { ?x a dip:Meeting")
    page.click("#run")
    expect(page.locator("#error")).to_contain_text("400")
    expect(page.locator("#error")).to_contain_text("the console added 1 PREFIX line")
