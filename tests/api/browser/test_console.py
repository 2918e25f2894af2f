"""The SPARQL console at / (YASGUI) in Chromium, over the two-document test store, offline.

Each test opens the page in a context that refuses every request outside the app (see conftest):
YASGUI, its editor, result table and chart are served by the app, and no completer may call a web
service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from kg.namespaces import DIPR
from tests.api.browser.conftest import OpenPage

if TYPE_CHECKING:
    from playwright.sync_api import Page

MEETING = "dipr:event/meeting-KOR-PRK-2018-01-09"
TABLE = ".yasr table.dataTable"


def query_text(page: Page) -> str:
    return str(page.evaluate("() => window.diplokgConsole.getTab().getYasqe().getValue()"))


def tab_names(page: Page) -> list[str]:
    return page.locator(".yasgui .tabsList .tab a span").all_inner_texts()


def run(page: Page) -> None:
    page.locator(".tabPanel.active .yasqe_queryButton").click()


def headers(page: Page) -> list[str]:
    """The column names of the result table (its first column numbers the rows)."""
    return page.locator(f".tabPanel.active {TABLE} thead th").all_inner_texts()[1:]


def cells(page: Page, row: int) -> list[str]:
    texts = page.locator(f".tabPanel.active {TABLE} tbody tr").nth(row).locator("td")
    return [" ".join(t.split()) for t in texts.all_inner_texts()[1:]]


def rows(page: Page) -> object:
    return page.locator(f".tabPanel.active {TABLE} tbody tr")


def type_query(page: Page, text: str) -> None:
    """Replace the editor's text by typing, as a person would."""
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def test_the_first_example_runs_and_shows_its_table(open_console: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    assert tab_names(page) == ["Meetings with their dates and places"]
    query = query_text(page)
    assert query.startswith("PREFIX dip: <https://w3id.org/diplokg/ontology#>\n")
    assert "?meeting a dip:Meeting" in query
    # the editor highlights the query: keywords, variables and prefixed names are told apart
    expect(page.locator(".tabPanel.active .CodeMirror .cm-keyword").first).to_have_text("PREFIX")
    expect(page.locator(".tabPanel.active .CodeMirror .cm-atom").first).to_be_visible()
    run(page)
    expect(rows(page)).to_have_count(1)
    assert headers(page) == ["meeting", "date", "place", "participants", "modality"]
    meeting, date, place, participants, modality = cells(page, 0)
    assert meeting == MEETING  # shortened with the project's prefixes
    assert date == '"2018-01-09"^^xsd:date'
    assert place == "Panmunjom"
    assert sorted(participants.split(", ")) == ["North Korea", "South Korea"]
    assert modality == ""  # unbound: the meeting took place
    expect(page.locator(".tabPanel.active .yasr_response_chip")).to_contain_text("1 result in")
    link = page.locator(f".tabPanel.active {TABLE} tbody a.iri").first
    assert link.get_attribute("href") == DIPR + MEETING.removeprefix("dipr:")


def test_typed_prefixes_are_declared_and_ctrl_enter_runs(open_console: OpenPage) -> None:
    """Typing `dip:` declares the project's prefix (YASGUI's prefix completion, fed the project's
    prefixes by the server)."""
    from playwright.sync_api import expect

    page = open_console("/").page
    type_query(page, "SELECT DISTINCT ?name WHERE { ?state a dip:State ; rdfs:label ?name }")
    query = query_text(page)
    assert "PREFIX dip: <https://w3id.org/diplokg/ontology#>" in query
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in query
    page.keyboard.press("Control+Enter")
    expect(rows(page)).to_have_count(3)
    names = sorted(cells(page, i)[0] for i in range(3))
    assert names == ["North Korea", "South Korea", "United States"]


def test_a_pasted_query_gets_its_missing_prefix_lines(open_console: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    page.evaluate(
        "() => window.diplokgConsole.getTab().getYasqe().setValue("
        "'SELECT ?actor (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?actor } "
        "GROUP BY ?actor ORDER BY DESC(?n) ?actor')"
    )
    run(page)
    expect(page.locator("#status")).to_have_text("added PREFIX dip:")
    expect(rows(page)).to_have_count(4)
    assert cells(page, 0) == ["dipr:actor/PRK", '"5"^^xsd:integer']
    assert query_text(page).startswith("PREFIX dip: <https://w3id.org/diplokg/ontology#>")


def test_an_example_opens_in_a_tab_and_draws_a_chart(open_console: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    page.select_option("#examples", label="Events by class (chart)")
    assert tab_names(page) == ["Meetings with their dates and places", "Events by class (chart)"]
    run(page)
    chart = page.locator(".tabPanel.active .diplokg-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute(
        "data-points", "5"
    )  # Meeting, Consult, Agreement, Agree, Support
    canvas = chart.locator("canvas")
    assert canvas.get_attribute("aria-label") == "events by class"
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    labels = page.evaluate(
        "() => Chart.getChart(document.querySelector('.tabPanel.active .diplokg-chart canvas'))"
        ".data.labels"
    )
    assert sorted(labels) == ["Agree", "Agreement", "Consult", "Meeting", "Support"]
    # the same answer as a table, one click away
    page.locator(".tabPanel.active .yasr .select_table").click()
    expect(rows(page)).to_have_count(5)


def test_a_malformed_query_shows_the_servers_error(
    open_console: OpenPage, console_url: str
) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    bad = "SELECT ?x WHERE { ?x ?y }"
    page.evaluate(f"() => window.diplokgConsole.getTab().getYasqe().setValue({bad!r})")
    run(page)
    error = page.locator(".tabPanel.active .diplokg-error")
    expect(error).to_be_visible()
    detail = httpx.post(
        console_url + "/sparql",
        data={"query": bad},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["detail"]
    assert detail.strip()
    expect(error.locator("pre")).to_have_text(detail.strip())
    expect(page.locator(f".tabPanel.active {TABLE}")).to_have_count(0)


def test_describe_shows_turtle(open_console: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    page.select_option("#examples", label="Describe a meeting (Turtle)")
    run(page)
    answer = page.locator(".tabPanel.active .yasr_results")
    expect(answer).to_contain_text("dip:Meeting")
    expect(answer).to_contain_text("meeting-KOR-PRK-2018-01-09")


def test_following_an_iri_opens_its_triples(open_console: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_console("/").page
    page.select_option("#examples", label="Posts and who holds them")
    run(page)
    expect(rows(page)).to_have_count(1)
    assert cells(page, 0) == ["dipr:actor/moon-jae-in", "Moon Jae-in", "President", "South Korea"]
    page.locator(f".tabPanel.active {TABLE} a.iri", has_text="dipr:actor/moon-jae-in").click()
    expect(page.locator(".yasgui .tabsList .tab.active")).to_contain_text("dipr:actor/moon-jae-in")
    expect(page.locator(f".tabPanel.active {TABLE} tbody")).to_contain_text("rdfs:label")
    assert headers(page) == ["subject", "property", "object"]
    expect(page.locator(f".tabPanel.active {TABLE} tbody")).to_contain_text("org:heldBy")
    assert len(page.context.pages) == 1  # not a new window out to the IRI
