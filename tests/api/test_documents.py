"""`POST /documents` and `DELETE /documents/{id}`: extraction while serving, with the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.documents import parse_records
from kg.store import GraphStore
from tests.api.conftest import MakeClient
from tests.api.graphs import D1_TEXT, MEETING_ID, build_store
from tests.api.test_actors import assert_error, ok

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NDJSON = {**AUTH, "Content-Type": "application/x-ndjson"}

FISH = "Peru and Chile signed a fisheries agreement in Lima on 3 May 2023."
PUTIN = "Vladimir Putin met Xi Jinping in Moscow on 20 March 2023."
JAPAN = "Japan protested against China's military drills near Okinawa on Monday."


@pytest.fixture
def writer(tmp_path: Path, make_client: MakeClient) -> TestClient:
    """An app over an empty store of its own, with a write token."""
    return make_client(store=tmp_path / "store", read_only=False, token=TOKEN)


def store_of(client: TestClient) -> GraphStore:
    store: GraphStore = client.app.state.store  # type: ignore[attr-defined]
    return store


def post(client: TestClient, record: dict[str, Any]) -> Response:
    return client.post("/documents", json=record, headers=AUTH)


def batch(client: TestClient, *lines: Any) -> Response:
    body = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return client.post("/documents", content=body.encode(), headers=NDJSON)


def test_a_posted_record_is_extracted_and_served(writer: TestClient) -> None:
    answer = ok(post(writer, {"id": "fish", "text": FISH, "date": "2023-05-04", "title": "Fish"}))
    assert answer == {"documents": [{"id": "fish", "status": "added", "events": 1}]}
    (event,) = ok(writer.get("/events", params={"actor": "PER"}))["data"]
    assert event["type"] == "Agreement" and event["date"] == "2023-05-03"
    assert {p["id"] for p in event["participants"]} == {"PER", "CHL"}
    assert event["place"] == {"id": "lima", "label": "Lima"}
    (piece,) = event["evidence"]
    assert piece == {
        "document": {"id": "fish", "title": "Fish", "date": "2023-05-04"},
        "sentence": FISH,
        "start": 0,
        "end": len(FISH),
    }
    assert ok(writer.get("/actors/CHL"))["event_counts"] == {"Agreement": 1}
    assert store_of(writer).documents() == ["fish"]


def test_the_same_document_twice_adds_nothing(writer: TestClient) -> None:
    record = {"text": FISH, "date": "2023-05-04"}
    (first,) = ok(post(writer, record))["documents"]
    assert first["status"] == "added" and first["id"].startswith("doc-")
    size = len(store_of(writer))
    (again,) = ok(post(writer, record))["documents"]
    assert again == {**first, "status": "unchanged"}  # the same id: derived from the text
    assert len(store_of(writer)) == size
    assert ok(writer.get("/events"))["total"] == 1


def test_a_new_text_for_an_id_replaces_the_document(writer: TestClient) -> None:
    ok(post(writer, {"id": "news", "text": FISH}))
    (replaced,) = ok(post(writer, {"id": "news", "text": PUTIN}))["documents"]
    assert replaced == {"id": "news", "status": "replaced", "events": 1}
    (event,) = ok(writer.get("/events"))["data"]
    assert event["type"] == "Meeting"
    assert {"vladimir-putin", "xi-jinping"} <= {p["id"] for p in event["participants"]}
    assert store_of(writer).documents() == ["news"]


def test_a_jsonl_batch(writer: TestClient) -> None:
    answer = ok(
        batch(
            writer,
            {"id": "b1", "text": PUTIN},
            "",  # blank lines are skipped
            {"id": "b2", "text": JAPAN, "date": "2023-04-10"},
            {"id": 3, "text": FISH, "url": "https://example.org/fish"},
        )
    )
    assert [(d["id"], d["status"]) for d in answer["documents"]] == [
        ("b1", "added"),
        ("b2", "added"),
        ("3", "added"),
    ]
    assert all(d["events"] >= 1 for d in answer["documents"])
    assert store_of(writer).documents() == ["3", "b1", "b2"]
    documents = {
        p["document"]["id"] for e in ok(writer.get("/events"))["data"] for p in e["evidence"]
    }
    assert documents == {"3", "b1", "b2"}
    again = ok(batch(writer, {"id": "b1", "text": PUTIN}, {"id": "b4", "text": FISH}))
    assert [d["status"] for d in again["documents"]] == ["unchanged", "added"]


@pytest.mark.parametrize(
    ("bad", "status", "words"),
    [
        ({"id": "x", "title": "no text"}, 422, ["line 3", "'text'"]),
        ({"id": "x", "text": "   "}, 422, ["line 3", "'text'"]),
        ({"id": "x", "text": FISH, "date": "3 May 2023"}, 422, ["line 3", "YYYY-MM-DD"]),
        ({"id": "x", "text": FISH, "title": 7}, 422, ["line 3", "'title' must be a string"]),
        ({"id": True, "text": FISH}, 422, ["line 3", "'id'"]),
        ({"id": "x" * 201, "text": FISH}, 422, ["line 3", "too long"]),
        ({"id": "b1", "text": FISH}, 422, ["line 3", "duplicate", "line 1"]),
        (["not", "an", "object"], 422, ["line 3", "not a JSON object"]),
        ('{"id": "x", "text": ', 400, ["line 3", "not JSON"]),
        ("{'id': 'x'}", 400, ["line 3", "not JSON"]),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(
    writer: TestClient, bad: Any, status: int, words: list[str]
) -> None:
    ok(post(writer, {"id": "before", "text": FISH}))
    size = len(store_of(writer))
    response = batch(writer, {"id": "b1", "text": PUTIN}, {"id": "b2", "text": JAPAN}, bad)
    assert_error(response, status, *words)
    assert len(store_of(writer)) == size
    assert store_of(writer).documents() == ["before"]


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (b'{"text": ', {"Content-Type": "application/json"}, 400, ["body", "not JSON"]),
        (b"[1, 2]", {"Content-Type": "application/json"}, 422, ["body", "not a JSON object"]),
        (b'{"id": "x"}', {"Content-Type": "application/json"}, 422, ["body", "'text'"]),
        (b'{"text": "\\ud800 lone"}', {"Content-Type": "application/json"}, 422, ["Unicode"]),
        (b"[" * 100_000, {"Content-Type": "application/json"}, 400, ["body"]),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400, ["UTF-8"]),
        (b"\n \n", {"Content-Type": "application/x-ndjson"}, 400, ["no record"]),
        (b"text", {"Content-Type": "text/plain"}, 415, ["text/plain"]),
        (b"text", {}, 415, ["Content-Type"]),
        (b"{}", {"Content-Type": "application/json; charset=latin-1"}, 415, ["charset"]),
    ],
)
def test_bad_bodies_are_4xx(
    writer: TestClient, body: bytes, headers: dict[str, str], status: int, words: list[str]
) -> None:
    response = writer.post("/documents", content=body, headers={**AUTH, **headers})
    assert_error(response, status, *words)
    assert len(store_of(writer)) == 0


def test_a_body_too_large_is_413(tmp_path: Path, make_client: MakeClient) -> None:
    small = make_client(store=tmp_path / "store", read_only=False, token=TOKEN, max_upload_bytes=50)
    assert_error(post(small, {"text": FISH}), 413, "50 bytes")
    assert len(store_of(small)) == 0


def test_records_are_checked_before_anything_is_extracted() -> None:
    body = "\n".join(json.dumps({"id": f"r{i}", "text": FISH}) for i in range(3))
    assert [d.id for d in parse_records(body.encode(), batch=True)] == ["r0", "r1", "r2"]
    (single,) = parse_records(json.dumps({"text": FISH}).encode(), batch=False)
    assert single.text == FISH and single.id.startswith("doc-")


# -- DELETE /documents/{id} --------------------------------------------------------------------


def test_delete_then_404(writer: TestClient) -> None:
    ok(batch(writer, {"id": "b1", "text": PUTIN}, {"id": "b2", "text": FISH}))
    response = writer.delete("/documents/b1", headers=AUTH)
    assert response.status_code == 204 and response.content == b""
    assert store_of(writer).documents() == ["b2"]
    assert [e["type"] for e in ok(writer.get("/events"))["data"]] == ["Agreement"]
    assert_error(writer.get("/actors/vladimir-putin"), 404)
    assert_error(writer.delete("/documents/b1", headers=AUTH), 404, "no document with id b1")


def test_deleting_one_report_keeps_the_others(tmp_path: Path, make_client: MakeClient) -> None:
    client = make_client(store=build_store(tmp_path / "store"), read_only=False, token=TOKEN)
    assert [p["document"]["id"] for p in ok(client.get(f"/events/{MEETING_ID}"))["evidence"]] == [
        "d2",
        "d1",
    ]
    assert client.delete("/documents/d2", headers=AUTH).status_code == 204
    (piece,) = ok(client.get(f"/events/{MEETING_ID}"))["evidence"]
    assert piece["document"]["id"] == "d1"
    assert D1_TEXT[piece["start"] : piece["end"]] == piece["sentence"]
    assert ok(client.get("/actors/PRK"))["aliases"] == ["Pyongyang"]  # "DPRK" was d2's


@pytest.mark.parametrize("doc_id", ["x" * 201, "a\tb"])
def test_deleting_an_impossible_id_is_400(writer: TestClient, doc_id: str) -> None:
    response = writer.delete(f"/documents/{quote(doc_id, safe='')}", headers=AUTH)
    assert_error(response, 400, "not a document id")


# -- distinct ids stay distinct documents ----------------------------------------------------

IDS = ["a> <b", "a b", "a/b", "a-b", "../../etc/passwd"]


def test_distinct_ids_are_distinct_documents(writer: TestClient) -> None:
    texts = [FISH, PUTIN, JAPAN, FISH + " Both sides praised it.", PUTIN + " They met again."]
    answer = ok(batch(writer, *({"id": i, "text": t} for i, t in zip(IDS, texts, strict=True))))
    assert [(d["id"], d["status"]) for d in answer["documents"]] == [(i, "added") for i in IDS]
    assert store_of(writer).documents() == sorted(IDS)
    documents = {
        p["document"]["id"] for e in ok(writer.get("/events"))["data"] for p in e["evidence"]
    }
    assert documents == set(IDS)
    for doc_id in IDS:  # each is deleted by its own id, and by nothing else
        response = writer.delete(f"/documents/{quote(doc_id, safe='')}", headers=AUTH)
        assert response.status_code == 204, response.text
        assert doc_id not in store_of(writer).documents()
    assert store_of(writer).documents() == []


# -- who may write -----------------------------------------------------------------------------


def test_writes_are_403_without_a_server_token(writable_client: TestClient) -> None:
    size = len(store_of(writable_client))
    for response in (
        writable_client.post("/documents", json={"text": FISH}, headers=AUTH),
        writable_client.post("/documents", content=json.dumps({"text": FISH}), headers=NDJSON),
        writable_client.delete("/documents/d1", headers=AUTH),
        writable_client.delete("/documents/d1"),
    ):
        assert_error(response, 403, "not enabled")
    assert len(store_of(writable_client)) == size
    assert store_of(writable_client).documents() == ["d1", "d2"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": TOKEN},
    ],
)
def test_writes_are_401_without_the_right_token(
    tmp_path: Path, make_client: MakeClient, headers: dict[str, str]
) -> None:
    client = make_client(store=build_store(tmp_path / "store"), read_only=False, token=TOKEN)
    size = len(store_of(client))
    for response in (
        client.post("/documents", json={"text": FISH}, headers=headers),
        client.delete("/documents/d1", headers=headers),
    ):
        assert_error(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert len(store_of(client)) == size


def test_a_read_only_store_refuses_writes(store_path: Path, make_client: MakeClient) -> None:
    client = make_client(store=store_path, read_only=True, token=TOKEN)
    assert_error(post(client, {"text": FISH}), 403, "read-only")
    assert_error(client.delete("/documents/d1", headers=AUTH), 403, "read-only")


def test_the_write_routes_declare_their_errors(writer: TestClient) -> None:
    schema = ok(writer.get("/openapi.json"))
    post_op = schema["paths"]["/documents"]["post"]
    assert {"400", "401", "403", "413", "415", "422"} <= set(post_op["responses"])
    assert set(post_op["requestBody"]["content"]) == {"application/json", "application/x-ndjson"}
    delete_op = schema["paths"]["/documents/{doc_id}"]["delete"]
    assert {"204", "400", "401", "403", "404"} <= set(delete_op["responses"])


def test_no_pipeline_is_503_and_nothing_written(
    writer: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.build
    from kg.nlp import ModelError

    def missing(name: str | None = None) -> None:
        raise ModelError("no English spaCy pipeline installed")

    monkeypatch.setattr(kg.build, "load_pipeline", missing)
    assert_error(post(writer, {"text": FISH}), 503, "NLP pipeline", "no English spaCy")
    assert len(store_of(writer)) == 0
