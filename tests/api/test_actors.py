"""`/actors`: the REST objects of the contract, field by field, on a real store."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.deps import get_reads
from api.main import create_app
from api.settings import Settings
from kg.namespaces import DIPR
from tests.api.graphs import AGREEMENT_ID, D1_TEXT, D2_TEXT, MEETING_ID, MOON, SUPPORT_ID

ACTOR_FIELDS = ["id", "iri", "label", "type", "aliases", "iso3", "posts", "event_counts"]
EVENT_FIELDS = [
    "id",
    "iri",
    "type",
    "types",
    "label",
    "date",
    "earliest",
    "latest",
    "place",
    "modality",
    "confidence",
    "topic",
    "participants",
    "evidence",
]
BY_LABEL = [MOON, "PRK", "KOR", "USA"]  # Moon Jae-in, North Korea, South Korea, United States

MOON_JSON = {
    "id": MOON,
    "iri": f"{DIPR}actor/{MOON}",
    "label": "Moon Jae-in",
    "type": "Person",
    "aliases": ["Moon-Jae In", "President Moon"],
    "iso3": None,
    "posts": [
        {
            "title": "President",
            "label": "President of South Korea",
            "in": {"id": "KOR", "label": "South Korea"},
        }
    ],
    "event_counts": {"Support": 1},
}


def ok(response: Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def assert_error(response: Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str) and body["detail"]
    for word in words:
        assert word in body["detail"]


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["data"]]


# -- GET /actors -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def client(rest_client: TestClient) -> TestClient:
    """This module's tests that read the shared graph run on both backends (conftest.BACKENDS)."""
    return rest_client


def test_list_is_a_page_of_actors_sorted_by_label(client: TestClient) -> None:
    page = ok(client.get("/actors"))
    assert list(page) == ["data", "total", "limit", "offset"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 50, 0)
    assert ids(page) == BY_LABEL
    assert all(list(actor) == ACTOR_FIELDS for actor in page["data"])
    assert page["data"][0] == MOON_JSON


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("moon", [MOON]),
        ("president moon", [MOON]),  # an alias
        ("MOON-JAE", [MOON]),  # the other alias, any case
        ("jae", [MOON]),
        ("dprk", ["PRK"]),  # an alias from the second document only
        ("PYONG", ["PRK"]),
        ("washington", ["USA"]),
        ("korea", ["PRK", "KOR"]),
        ("seoul", ["KOR"]),
        ("nobody", []),
    ],
)
def test_q_matches_the_label_or_any_alias(client: TestClient, q: str, expected: list[str]) -> None:
    page = ok(client.get("/actors", params={"q": q}))
    assert ids(page) == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(
    "q",
    [
        '") } DROP ALL #',
        "') } ; DELETE WHERE { ?s ?p ?o } #",
        '" || true || "',
        "?a",
        "\\",
        '"""',
        "} UNION { ?a ?p ?o",
    ],
)
def test_q_is_plain_text_never_sparql(client: TestClient, q: str) -> None:
    page = ok(client.get("/actors", params={"q": q}))
    assert page["data"] == [] and page["total"] == 0
    assert ok(client.get("/actors"))["total"] == 4


def test_q_injection_changes_nothing_in_a_writable_store(writable_client: TestClient) -> None:
    for q in ['") } DROP ALL #', '"))} ; CLEAR ALL ; SELECT * {{ #']:
        assert ok(writable_client.get("/actors", params={"q": q}))["total"] == 0
    assert ids(ok(writable_client.get("/actors"))) == BY_LABEL


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("Person", [MOON]), ("State", ["PRK", "KOR", "USA"]), ("Organization", [])],
)
def test_type_keeps_one_class(client: TestClient, kind: str, expected: list[str]) -> None:
    page = ok(client.get("/actors", params={"type": kind}))
    assert ids(page) == expected
    assert all(actor["type"] == kind for actor in page["data"])


def test_type_and_q_combine(client: TestClient) -> None:
    assert ids(ok(client.get("/actors", params={"type": "State", "q": "moon"}))) == []
    assert ids(ok(client.get("/actors", params={"type": "State", "q": "north"}))) == ["PRK"]


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [(2, 0, BY_LABEL[:2]), (2, 1, BY_LABEL[1:3]), (500, 3, BY_LABEL[3:]), (1, 4, [])],
)
def test_limit_and_offset_page_through(
    client: TestClient, limit: int, offset: int, expected: list[str]
) -> None:
    page = ok(client.get("/actors", params={"limit": limit, "offset": offset}))
    assert ids(page) == expected
    assert (page["total"], page["limit"], page["offset"]) == (4, limit, offset)


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"type": "City"}, "type"),
        ({"type": "person"}, "type"),
    ],
)
def test_bad_list_parameters_are_422(client: TestClient, params: dict[str, Any], word: str) -> None:
    assert_error(client.get("/actors", params=params), 422, word)


# -- GET /actors/{id} --------------------------------------------------------------------------


def test_a_person_with_aliases_and_a_post(client: TestClient) -> None:
    actor = ok(client.get(f"/actors/{MOON}"))
    assert list(actor) == ACTOR_FIELDS
    assert actor == MOON_JSON


def test_a_state_merged_from_two_documents(client: TestClient) -> None:
    actor = ok(client.get("/actors/PRK"))
    assert actor == {
        "id": "PRK",
        "iri": f"{DIPR}actor/PRK",
        "label": "North Korea",
        "type": "State",
        "aliases": ["DPRK", "Pyongyang"],  # "DPRK" from d2, "Pyongyang" from d1
        "iso3": "PRK",
        "posts": [],
        # the two negated agreements are not counted; the meeting reported twice counts once
        "event_counts": {"Agreement": 1, "Meeting": 1, "Support": 1},
    }


def test_an_actor_only_in_negated_events_has_no_counts(client: TestClient) -> None:
    actor = ok(client.get("/actors/USA"))
    assert (actor["label"], actor["aliases"], actor["event_counts"]) == (
        "United States",
        ["Washington"],
        {},
    )


@pytest.mark.parametrize("actor_id", ["nobody", "panmunjom", "d1", MEETING_ID, "prk"])
def test_unknown_actor_is_404(client: TestClient, actor_id: str) -> None:
    assert_error(client.get(f"/actors/{actor_id}"), 404, f"no actor with id {actor_id}")


@pytest.mark.parametrize("actor_id", ["a b", "PRK>", "<x>", "caf%C3%A9", "x" * 201])
def test_an_impossible_id_is_400(client: TestClient, actor_id: str) -> None:
    assert_error(client.get(f"/actors/{actor_id}"), 400, "not an actor id")
    assert_error(client.get(f"/actors/{actor_id}/relations"), 400, "not an actor id")


# -- GET /actors/{id}/relations ----------------------------------------------------------------


def test_relations_are_counterparts_with_their_asserted_events(client: TestClient) -> None:
    page = ok(client.get("/actors/PRK/relations"))
    assert (page["total"], page["limit"], page["offset"]) == (2, 50, 0)
    kor, moon = page["data"]
    assert list(kor) == ["actor", "events", "events_total", "counts", "first", "last"]
    assert kor["actor"] == {"id": "KOR", "label": "South Korea", "type": "State"}
    assert moon["actor"] == {"id": MOON, "label": "Moon Jae-in", "type": "Person"}
    assert kor["counts"] == {"Agreement": 1, "Meeting": 1}
    assert moon["counts"] == {"Support": 1}
    assert (kor["events_total"], kor["first"], kor["last"]) == (2, "2018-01-09", "2018-01-09")
    assert (moon["events_total"], moon["first"], moon["last"]) == (1, "2018-01-10", "2018-01-10")
    # the most recent first (the same day: by id, the last first)
    assert [e["id"] for e in kor["events"]] == [MEETING_ID, AGREEMENT_ID]
    assert [e["id"] for e in moon["events"]] == [SUPPORT_ID]
    # USA shares only a negated agreement with PRK: no relation
    assert "USA" not in {r["actor"]["id"] for r in page["data"]}


def test_a_relation_event_is_the_whole_event_object(client: TestClient) -> None:
    kor = ok(client.get("/actors/PRK/relations"))["data"][0]
    meeting = next(e for e in kor["events"] if e["id"] == MEETING_ID)
    assert list(meeting) == EVENT_FIELDS
    d1_start = D1_TEXT.index("North and South Korea")
    d1_end = D1_TEXT.index(".", d1_start) + 1
    assert (
        meeting
        == {
            "id": MEETING_ID,
            "iri": f"{DIPR}event/{MEETING_ID}",
            "type": "Meeting",
            "types": ["Meeting", "Consult", "Event"],
            "label": None,
            "date": "2018-01-09",
            "earliest": "2018-01-09",
            "latest": "2018-01-09",
            "place": {"id": "panmunjom", "label": "Panmunjom"},
            "modality": None,
            "confidence": 0.9,  # the best of the two reports
            "topic": "participation in the Winter Olympics",
            "participants": [
                {"id": "PRK", "label": "North Korea", "role": "participant"},
                {"id": "KOR", "label": "South Korea", "role": "participant"},
            ],
            # one node, two pieces of evidence, oldest document first
            "evidence": [
                {
                    "document": {
                        "id": "d2",
                        "title": "Koreas meet at Panmunjom",
                        "date": "2018-01-09",
                    },
                    "sentence": D2_TEXT,
                    "start": 0,
                    "end": len(D2_TEXT),
                },
                {
                    "document": {
                        "id": "d1",
                        "title": "Koreas hold first talks in two years",
                        "date": "2018-01-10",
                    },
                    "sentence": D1_TEXT[d1_start:d1_end],
                    "start": d1_start,
                    "end": d1_end,
                },
            ],
        }
    )


def test_evidence_offsets_point_into_the_document_text(client: TestClient) -> None:
    texts = {"d1": D1_TEXT, "d2": D2_TEXT}
    for relation in ok(client.get("/actors/PRK/relations"))["data"]:
        for event in relation["events"]:
            for piece in event["evidence"]:
                text = texts[piece["document"]["id"]]
                assert text[piece["start"] : piece["end"]] == piece["sentence"]


def test_roles_are_the_most_specific_link(client: TestClient) -> None:
    kor = ok(client.get("/actors/KOR/relations"))["data"][0]
    agreement = next(e for e in kor["events"] if e["id"] == AGREEMENT_ID)
    assert agreement["types"] == ["Agreement", "Agree", "Event"]
    assert agreement["participants"] == [
        {"id": "PRK", "label": "North Korea", "role": "initiator"},
        {"id": "KOR", "label": "South Korea", "role": "recipient"},
    ]
    # the agreement the Koreas did not reach is not in the relation
    sentences = {p["sentence"] for e in kor["events"] for p in e["evidence"]}
    assert not any("did not agree" in s for s in sentences)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Meeting"}, {"KOR": [MEETING_ID]}),
        ({"type": "Consult"}, {"KOR": [MEETING_ID]}),  # subclasses included
        ({"type": "Agree"}, {"KOR": [AGREEMENT_ID]}),
        ({"type": "Support"}, {MOON: [SUPPORT_ID]}),
        ({"type": "Event"}, {"KOR": [MEETING_ID, AGREEMENT_ID], MOON: [SUPPORT_ID]}),
        ({"type": "Threaten"}, {}),
        ({"since": "2018-01-10"}, {MOON: [SUPPORT_ID]}),
        ({"until": "2018-01-09"}, {"KOR": [MEETING_ID, AGREEMENT_ID]}),
        (
            {"since": "2018", "until": "2018"},
            {"KOR": [MEETING_ID, AGREEMENT_ID], MOON: [SUPPORT_ID]},
        ),
        (
            {"since": "2018-01", "until": "2018-01"},
            {"KOR": [MEETING_ID, AGREEMENT_ID], MOON: [SUPPORT_ID]},
        ),
        ({"since": "2018-01-09", "until": "2018-01-09"}, {"KOR": [MEETING_ID, AGREEMENT_ID]}),
        ({"since": "2018-02"}, {}),
        ({"until": "2017-12-31"}, {}),
        ({"type": "Meeting", "since": "2018-01-10"}, {}),
    ],
)
def test_relation_filters(
    client: TestClient, params: dict[str, str], expected: dict[str, list[str]]
) -> None:
    page = ok(client.get("/actors/PRK/relations", params=params))
    found = {r["actor"]["id"]: [e["id"] for e in r["events"]] for r in page["data"]}
    assert found == expected
    assert page["total"] == len(expected)


def test_events_limit_caps_the_events_shown_never_the_counts(client: TestClient) -> None:
    full = ok(client.get("/actors/PRK/relations"))["data"]
    capped = ok(client.get("/actors/PRK/relations", params={"events_limit": 1}))["data"]
    assert [e["id"] for e in capped[0]["events"]] == [MEETING_ID]  # the most recent
    assert [e["id"] for e in capped[1]["events"]] == [SUPPORT_ID]
    for whole, cut in zip(full, capped, strict=True):
        assert {k: v for k, v in cut.items() if k != "events"} == {
            k: v for k, v in whole.items() if k != "events"
        }
    counted = ok(client.get("/actors/PRK/relations", params={"events_limit": 0}))["data"]
    assert [(r["actor"]["id"], r["events"], r["events_total"]) for r in counted] == [
        ("KOR", [], 2),
        (MOON, [], 1),
    ]


def test_the_events_of_a_relation_page_through_events_of_both_actors(client: TestClient) -> None:
    kor = ok(client.get("/actors/PRK/relations", params={"events_limit": 1}))["data"][0]
    pages = [
        ok(client.get("/events", params={"actor": ["PRK", "KOR"], "limit": 1, "offset": n}))
        for n in range(kor["events_total"])
    ]
    assert all(page["total"] == kor["events_total"] for page in pages)
    # oldest first there (the same day: by id)
    assert [page["data"][0]["id"] for page in pages] == [AGREEMENT_ID, MEETING_ID]


@pytest.mark.parametrize("value", ["-1", "101", "some"])
def test_a_bad_events_limit_is_422(client: TestClient, value: str) -> None:
    assert_error(
        client.get("/actors/PRK/relations", params={"events_limit": value}), 422, "events_limit"
    )


def test_relations_page(client: TestClient) -> None:
    page = ok(client.get("/actors/PRK/relations", params={"limit": 1, "offset": 1}))
    assert [r["actor"]["id"] for r in page["data"]] == [MOON]
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)


def test_an_actor_in_negated_events_only_has_no_relations(client: TestClient) -> None:
    page = ok(client.get("/actors/USA/relations"))
    assert page == {"data": [], "total": 0, "limit": 50, "offset": 0}


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("since", "2018-13"),
        ("since", "18"),
        ("until", "2018/01/09"),
        ("until", "2018-02-30"),
        ("since", "tomorrow"),
        ("since", "2018-1-9"),
    ],
)
def test_a_bad_date_is_400(client: TestClient, param: str, value: str) -> None:
    assert_error(client.get("/actors/PRK/relations", params={param: value}), 400, param, value)


def test_an_unknown_event_type_is_400(client: TestClient) -> None:
    assert_error(
        client.get("/actors/PRK/relations", params={"type": "Party"}), 400, "Party", "Meeting"
    )


def test_relations_of_an_unknown_actor_are_404(client: TestClient) -> None:
    assert_error(client.get("/actors/nobody/relations"), 404, "no actor with id nobody")


# -- errors everywhere are {"detail": ...} -----------------------------------------------------


def test_an_unknown_route_is_404_json(client: TestClient) -> None:
    assert_error(client.get("/nowhere"), 404)
    assert_error(client.delete("/actors/PRK"), 405)


def test_an_unexpected_failure_is_500_without_a_traceback(store_path: Any) -> None:
    app = create_app(Settings(store=store_path, read_only=True))

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.dependency_overrides[get_reads] = broken
    with TestClient(app, raise_server_exceptions=False) as broken_client:
        response = broken_client.get("/actors")
    assert_error(response, 500)
    assert response.json() == {"detail": "internal server error"}
    assert "secret" not in response.text


def test_every_4xx_is_declared_with_the_error_schema(client: TestClient) -> None:
    schema = ok(client.get("/openapi.json"))
    error_ref = "#/components/schemas/Error"
    expected = {
        ("/actors", "get"): {"422"},
        ("/actors/{actor_id}", "get"): {"400", "404", "422"},
        ("/actors/{actor_id}/relations", "get"): {"400", "404", "422"},
        ("/sparql", "get"): {"400", "406", "422"},
        ("/sparql", "post"): {"400", "403", "406", "415", "422"},
    }
    for (path, method), codes in expected.items():
        responses = schema["paths"][path][method]["responses"]
        declared = {code for code in responses if code.startswith("4")}
        assert codes <= declared, (path, method, declared)
        for code in declared:
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": error_ref}, (path, method, code)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_docs_and_home(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
