"""`/events`: the event list, its filters, one event, and the evidence every event carries."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.namespaces import DIPR
from tests.api.graphs import AGREEMENT_ID, D1_TEXT, D2_TEXT, MEETING_ID, MOON, SUPPORT_ID
from tests.api.test_actors import EVENT_FIELDS, assert_error, ok

ASSERTED = [AGREEMENT_ID, MEETING_ID, SUPPORT_ID]  # oldest first, then by id
NEGATED_KOREAS = "agreement-KOR-PRK-2018-01-09-negated"


def ids(page: dict[str, Any]) -> list[str]:
    return [event["id"] for event in page["data"]]


@pytest.fixture(scope="session")
def client(rest_client: TestClient) -> TestClient:
    """This module's tests that read the shared graph run on both backends (conftest.BACKENDS)."""
    return rest_client


def test_the_list_is_a_page_of_asserted_events_oldest_first(client: TestClient) -> None:
    page = ok(client.get("/events"))
    assert list(page) == ["data", "total", "limit", "offset"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
    assert ids(page) == ASSERTED
    assert all(list(event) == EVENT_FIELDS for event in page["data"])
    assert all(event["modality"] is None for event in page["data"])


def test_listed_events_are_whole_event_objects(client: TestClient) -> None:
    listed = next(e for e in ok(client.get("/events"))["data"] if e["id"] == MEETING_ID)
    assert listed == ok(client.get(f"/events/{MEETING_ID}"))
    assert listed["iri"] == f"{DIPR}event/{MEETING_ID}"
    assert listed["place"] == {"id": "panmunjom", "label": "Panmunjom"}
    assert [p["document"]["id"] for p in listed["evidence"]] == ["d2", "d1"]


def test_every_event_carries_evidence_pointing_into_its_document(client: TestClient) -> None:
    texts = {"d1": D1_TEXT, "d2": D2_TEXT}
    for event in ok(client.get("/events", params={"modality": "all"}))["data"]:
        assert event["evidence"], event["id"]
        for piece in event["evidence"]:
            assert set(piece["document"]) == {"id", "title", "date"}
            text = texts[piece["document"]["id"]]
            assert text[piece["start"] : piece["end"]] == piece["sentence"]


def test_modality_all_includes_what_did_not_happen(client: TestClient) -> None:
    page = ok(client.get("/events", params={"modality": "all"}))
    assert page["total"] == 5
    negated = [e for e in page["data"] if e["modality"] == "Negated"]
    assert len(negated) == 2
    assert NEGATED_KOREAS in {e["id"] for e in negated}
    assert set(ASSERTED) <= set(ids(page))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"modality": "asserted"}, ASSERTED),
        ({"modality": "Hypothetical"}, []),
        ({"type": "Meeting"}, [MEETING_ID]),
        ({"type": "Consult"}, [MEETING_ID]),  # subclasses included
        ({"type": "Agree"}, [AGREEMENT_ID]),
        ({"type": "Event"}, ASSERTED),
        ({"type": "Threaten"}, []),
        ({"actor": MOON}, [SUPPORT_ID]),
        ({"actor": "KOR"}, [AGREEMENT_ID, MEETING_ID]),
        ({"actor": "USA"}, []),  # in a negated agreement only
        ({"actor": "USA", "modality": "all"}, None),  # checked below: the failed agreement
        ({"place": "panmunjom"}, [MEETING_ID]),
        ({"since": "2018-01-10"}, [SUPPORT_ID]),
        ({"until": "2018-01-09"}, [AGREEMENT_ID, MEETING_ID]),
        ({"since": "2018", "until": "2018"}, ASSERTED),
        ({"since": "2018-01", "until": "2018-01"}, ASSERTED),
        ({"since": "2018-02"}, []),
        ({"until": "2017-12-31"}, []),
        ({"type": "Agree", "actor": "KOR", "modality": "Negated"}, [NEGATED_KOREAS]),
        ({"type": "Meeting", "actor": MOON}, []),
        # several actors: the events they all take part in
        ({"actor": ["PRK", "KOR"]}, [AGREEMENT_ID, MEETING_ID]),
        ({"actor": ["KOR", "PRK"], "type": "Meeting"}, [MEETING_ID]),
        ({"actor": ["PRK", MOON]}, [SUPPORT_ID]),
        ({"actor": ["KOR", MOON]}, []),
        ({"actor": ["PRK", "KOR", MOON]}, []),
        ({"actor": ["KOR", "KOR"]}, [AGREEMENT_ID, MEETING_ID]),
        ({"actor": ["PRK", "KOR"], "since": "2018-01-10"}, []),
        ({"actor": ["PRK", "KOR"], "place": "panmunjom"}, [MEETING_ID]),
        ({"actor": ["PRK", "USA"], "modality": "Negated"}, None),
        ({"actor": ["PRK", "USA"]}, []),
    ],
)
def test_filters(client: TestClient, params: dict[str, Any], expected: list[str] | None) -> None:
    page = ok(client.get("/events", params=params))
    if expected is None:
        assert page["total"] == 1
        (failed,) = page["data"]
        assert failed["modality"] == "Negated" and failed["topic"] == "sanctions"
        assert [p["id"] for p in failed["participants"]] == ["PRK", "USA"]
        return
    assert ids(page) == expected
    assert page["total"] == len(expected)


def test_a_month_dated_event_is_within_its_month_only(client: TestClient) -> None:
    usa = {"actor": "USA", "modality": "all"}
    assert ok(client.get("/events", params={**usa, "since": "2018-01"}))["total"] == 1
    assert ok(client.get("/events", params={**usa, "since": "2018-01-09"}))["total"] == 0
    assert ok(client.get("/events", params={**usa, "until": "2018-01-31"}))["total"] == 1


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [(1, 0, ASSERTED[:1]), (2, 1, ASSERTED[1:]), (500, 3, []), (1, 2, ASSERTED[2:])],
)
def test_limit_and_offset(client: TestClient, limit: int, offset: int, expected: list[str]) -> None:
    page = ok(client.get("/events", params={"limit": limit, "offset": offset}))
    assert ids(page) == expected
    assert (page["total"], page["limit"], page["offset"]) == (3, limit, offset)


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"type": "Party"}, 400, ["Party", "Meeting"]),
        ({"type": "meeting"}, 400, ["meeting"]),
        ({"actor": "nobody"}, 404, ["no actor with id nobody"]),
        ({"actor": "panmunjom"}, 404, ["no actor"]),
        ({"actor": "a b"}, 400, ["not an actor id"]),
        ({"place": "atlantis"}, 404, ["no place with id atlantis"]),
        ({"place": "PRK"}, 404, ["no place"]),
        ({"place": "<x>"}, 400, ["not a place id"]),
        ({"since": "2018-13"}, 400, ["since", "2018-13"]),
        ({"until": "yesterday"}, 400, ["until", "yesterday"]),
        ({"since": "2019", "until": "2018"}, 400, ["before"]),
        ({"modality": "negated"}, 422, ["modality"]),
        ({"modality": "any"}, 422, ["modality"]),
        ({"limit": 0}, 422, ["limit"]),
        ({"limit": 501}, 422, ["limit"]),
        ({"offset": -1}, 422, ["offset"]),
        ({"actor": ["PRK", "nobody"]}, 404, ["no actor with id nobody"]),
        ({"actor": ["PRK", "a b"]}, 400, ["not an actor id"]),
        ({"actor": ["PRK", "KOR", "USA", MOON, "A", "B"]}, 422, ["actor"]),
        ({"actor": ["nobody"], "modality": "all"}, 404, ["no actor with id nobody"]),
    ],
)
def test_bad_parameters_are_4xx(
    client: TestClient, params: dict[str, Any], status: int, words: list[str]
) -> None:
    assert_error(client.get("/events", params=params), status, *words)


@pytest.mark.parametrize(
    "value",
    ['PRK") } DROP ALL #', "PRK> } UNION { ?e ?p ?o", "?actor", '" || true || "'],
)
def test_filter_values_are_never_sparql(client: TestClient, value: str) -> None:
    for name in ("actor", "place", "type"):
        response = client.get("/events", params={name: value})
        assert response.status_code in (400, 404), response.text
    assert ok(client.get("/events"))["total"] == 3


# -- GET /events/{id} --------------------------------------------------------------------------


def test_one_event(client: TestClient) -> None:
    event = ok(client.get(f"/events/{SUPPORT_ID}"))
    assert list(event) == EVENT_FIELDS
    assert event["type"] == "Support" and event["date"] == "2018-01-10"
    assert event["participants"] == [
        {"id": MOON, "label": "Moon Jae-in", "role": "initiator"},
        {"id": "PRK", "label": "North Korea", "role": "recipient"},
    ]
    (piece,) = event["evidence"]
    assert piece["document"] == {
        "id": "d1",
        "title": "Koreas hold first talks in two years",
        "date": "2018-01-10",
    }
    assert piece["sentence"] == "President Moon welcomed the talks on Wednesday."
    assert D1_TEXT[piece["start"] : piece["end"]] == piece["sentence"]


def test_a_negated_event_is_found_by_id(client: TestClient) -> None:
    event = ok(client.get(f"/events/{NEGATED_KOREAS}"))
    assert event["modality"] == "Negated" and event["topic"] == "a joint ice hockey team"


@pytest.mark.parametrize("event_id", ["nothing", "PRK", "panmunjom", "d1", MEETING_ID + "x"])
def test_an_unknown_event_is_404(client: TestClient, event_id: str) -> None:
    assert_error(client.get(f"/events/{event_id}"), 404, f"no event with id {event_id}")


@pytest.mark.parametrize("event_id", ["a b", "x>", "<y>", "caf%C3%A9", "e" * 201])
def test_an_impossible_event_id_is_400(client: TestClient, event_id: str) -> None:
    assert_error(client.get(f"/events/{event_id}"), 400, "not an event id")


# -- the schema declares every 4xx these routes answer -----------------------------------------


def test_every_4xx_is_declared_with_the_error_schema(client: TestClient) -> None:
    schema = ok(client.get("/openapi.json"))
    expected = {
        ("/events", "get"): {"400", "404", "422"},
        ("/events/{event_id}", "get"): {"400", "404", "422"},
        ("/actors/{actor_id}/network", "get"): {"400", "404", "422"},
        ("/paths", "get"): {"400", "404", "422"},
        ("/analysis/centrality", "get"): {"400", "422"},
        ("/analysis/communities", "get"): {"400", "422"},
        ("/analysis/timeline", "get"): {"400", "404", "422"},
        ("/documents", "post"): {"400", "401", "403", "413", "415", "422"},
        ("/documents/{doc_id}", "delete"): {"400", "401", "403", "404", "422"},
    }
    for (path, method), codes in expected.items():
        responses = schema["paths"][path][method]["responses"]
        declared = {code for code in responses if code.startswith("4")}
        assert codes <= declared, (path, method, declared)
        for code in declared:
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (path, method, code)
