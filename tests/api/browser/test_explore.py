"""The explorer at /explore in Chromium, over the three-state store of `world.py`, offline.

Each test opens the page in a context that refuses every request outside the app (see conftest):
the search, the drawing, the time slider and the event lists come from the app's REST API only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.api.browser.conftest import OpenPage
from tests.api.browser.world import AUTUMN, SUMMER, WINTER

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

GREEN = "rgb(46,139,87)"  # all cooperation
RED = "rgb(192,57,43)"  # all conflict


def graph(page: Page, script: str) -> object:
    """Evaluate `script` with `cy`, the page's Cytoscape instance, in scope."""
    return page.evaluate(
        f"() => {{ const cy = document.getElementById('graph')._cyreg.cy; {script} }}"
    )


def drawn(page: Page) -> dict[str, object]:
    """The nodes and edges on screen: ids, labels, edge colours and weights."""
    return graph(  # type: ignore[return-value]
        page,
        """return {
          nodes: cy.nodes().map((n) => n.data('label')).sort(),
          ego: cy.nodes('.ego').map((n) => n.id()),
          edges: Object.fromEntries(cy.edges().map((e) => [e.id(),
            {colour: e.style('line-color').replace(/ /g, ''), weight: e.data('weight')}])),
        };""",
    )


def click_at(page: Page, script: str) -> None:
    """A real mouse click where `script` (returning a rendered {x, y}) says an element is."""
    point = graph(page, script)
    box = page.locator("#graph").bounding_box()
    assert isinstance(point, dict) and box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def sentences(page: Page) -> list[str]:
    return page.locator("#events blockquote.sentence").all_inner_texts()


def search_and_draw(page: Page, words: str, actor_id: str) -> None:
    from playwright.sync_api import expect

    page.fill("#q", words)
    match = page.locator(f"#matches button.match[data-id={actor_id}]")
    expect(match).to_be_visible()
    match.click()
    expect(page.locator("#graph")).to_have_attribute("data-state", "drawn")


def test_a_search_draws_the_ego_network_coloured_by_cooperation_and_conflict(
    open_explorer: OpenPage,
) -> None:
    from playwright.sync_api import expect

    page = open_explorer("/explore").page
    page.fill("#q", "stockholm")  # an alias
    expect(page.locator("#matches button.match")).to_have_count(1)
    expect(page.locator("#matches")).to_contain_text("Sweden")
    page.press("#q", "Enter")  # Enter takes the first match
    expect(page.locator("#graph")).to_have_attribute("data-state", "drawn")
    shown = drawn(page)
    assert shown["nodes"] == ["Finland", "Norway", "Sweden"]
    assert shown["ego"] == ["SWE"]
    assert shown["edges"] == {
        "NOR|SWE": {"colour": GREEN, "weight": 2},  # two meetings
        "FIN|SWE": {"colour": RED, "weight": 2},  # an accusation and sanctions
        "FIN|NOR": {"colour": GREEN, "weight": 2},  # aid and thanks
    }
    expect(page.locator("#status")).to_contain_text("Sweden: 2 partners, 3 links")
    assert "actor=SWE" in page.url  # the view can be bookmarked


def test_link_colours_come_from_the_apis_cooperation_and_conflict_counts(
    open_explorer: OpenPage,
) -> None:
    """The page colours a link by the `cooperation` and `conflict` the API counts for it, not by
    a reading of its own: answers changed on their way say every link is conflict, and every
    link is drawn red."""
    page = open_explorer("/explore").page
    seen: dict[str, tuple[int, int]] = {}

    def all_conflict(route: Route) -> None:
        answer = route.fetch()
        network = answer.json()
        for edge in network["edges"]:
            seen[f"{edge['source']}|{edge['target']}"] = (edge["cooperation"], edge["conflict"])
            edge["cooperation"], edge["conflict"] = 0, edge["weight"]
        route.fulfill(response=answer, json=network)

    page.route("**/actors/*/network*", all_conflict)
    search_and_draw(page, "sweden", "SWE")
    assert seen == {
        "NOR|SWE": (2, 0),  # the API's own counts: two meetings
        "FIN|SWE": (0, 2),  # an accusation and sanctions
        "FIN|NOR": (2, 0),  # aid and thanks
    }
    assert {e["colour"] for e in drawn(page)["edges"].values()} == {RED}  # type: ignore[attr-defined]


def test_a_click_on_a_link_lists_its_events_with_sentences_and_documents(
    open_explorer: OpenPage,
) -> None:
    from playwright.sync_api import expect

    page = open_explorer("/explore").page
    search_and_draw(page, "swe", "SWE")
    click_at(page, "return cy.getElementById('FIN|SWE').renderedMidpoint();")
    events = page.locator("#events")
    expect(events).to_have_attribute("data-state", "loaded")
    expect(page.locator("#evidence-title")).to_have_text("Finland — Sweden")
    expect(events.locator("li.event")).to_have_count(2)
    assert events.locator(".badge").all_inner_texts() == ["Accuse", "Sanction"]
    assert sentences(page) == [
        "Sweden accused Finland of breaking the fishing accord on Tuesday.",
        "Sweden imposed sanctions on Finland over the fishing dispute.",
    ]
    assert events.locator("cite.document").all_inner_texts() == ["Nordic talks", "Sanctions"]
    assert events.locator(".who").all_inner_texts() == ["Sweden → Finland"] * 2
    expect(events.locator("li.event").first).to_have_class("event verbal-conflict")


def test_a_click_on_a_node_lists_its_events(open_explorer: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_explorer("/explore?actor=NOR").page  # straight from an address
    expect(page.locator("#graph")).to_have_attribute("data-state", "drawn")
    assert page.input_value("#q") == "Norway"
    click_at(page, "return cy.getElementById('FIN').renderedPosition();")
    events = page.locator("#events")
    expect(events).to_have_attribute("data-state", "loaded")
    expect(page.locator("#evidence-title")).to_have_text("Events of Finland")
    assert events.locator(".badge").all_inner_texts() == ["Accuse", "Aid", "Support", "Sanction"]
    expected = [WINTER.split(". ")[1], *(s + "." for s in SUMMER.rstrip(".").split(". "))]
    assert sentences(page)[:3] == expected
    assert AUTUMN.split(". ")[0] + "." in sentences(page)
    expect(page.locator("#more")).to_be_hidden()  # four events: one page


def test_the_time_slider_redraws_the_network_of_a_period(open_explorer: OpenPage) -> None:
    from playwright.sync_api import expect

    visit = open_explorer("/explore")
    page = visit.page
    search_and_draw(page, "sweden", "SWE")
    slider = page.locator("#until")
    assert slider.get_attribute("max") == "9"  # 2021-02 ... 2021-11
    expect(page.locator("#period")).to_contain_text("all events (2021-02 to 2021-11")

    # back to June 2021: the November meeting and sanctions drop out
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#period")).to_have_text("events up to the end of 2021-06")
    expect(page.locator("#status")).to_contain_text("up to the end of 2021-06")
    edges = drawn(page)["edges"]
    assert edges == {
        "NOR|SWE": {"colour": GREEN, "weight": 1},
        "FIN|SWE": {"colour": RED, "weight": 1},
        "FIN|NOR": {"colour": GREEN, "weight": 2},
    }
    assert any("until=2021-06" in url for url in visit.requests)  # the API did the filtering

    # the month of February alone: the first meeting and the accusation; and their evidence
    page.select_option("#window", "1")
    expect(page.locator("#status")).to_contain_text("events of 2021-06")
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#period")).to_have_text("events of 2021-02")
    expect(page.locator("#status")).to_contain_text("Sweden: 2 partners, 2 links")
    assert set(drawn(page)["edges"]) == {"NOR|SWE", "FIN|SWE"}
    click_at(page, "return cy.getElementById('NOR|SWE').renderedMidpoint();")
    expect(page.locator("#evidence-title")).to_have_text("Norway — Sweden (2021-02 to 2021-02)")
    expect(page.locator("#events li.event")).to_have_count(1)
    assert sentences(page) == [WINTER.split(". ")[0] + "."]


def test_an_unknown_actor_in_the_address_says_so(open_explorer: OpenPage) -> None:
    from playwright.sync_api import expect

    page = open_explorer("/explore?actor=atlantis").page
    expect(page.locator("#status")).to_have_text("404: no actor with id atlantis")
    page.fill("#q", "zzz")
    expect(page.locator("#matches")).to_have_text("No actor matches “zzz”.")
