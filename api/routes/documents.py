"""`/documents`: extract documents into the store while serving, and remove them.

`POST /documents` takes one JSON record `{"id"?, "text", "date"?, "title"?, "url"?}`
(`application/json`) or a batch of them, one a line (`application/x-ndjson`). Every record is
checked before anything is extracted, so a bad one (named by its line) leaves the store as it was.
The documents are then read by the process's spaCy pipeline (loaded on first use, in a worker
thread; one request extracts at a time) and stored one transaction each through `kg.build.build`:
the same text sent again is `unchanged` and is not even parsed. The store's write lock is held for
each document's write only, never while a text is read, so reads, deletes and other writes go on.

An id is kept as given: distinct ids are distinct documents (their IRIs percent-encode them), and
`DELETE /documents/{id}` takes the id as given too, percent-encoded in the URL as usual.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

import anyio.to_thread
import mimeparse
from fastapi import APIRouter, HTTPException, Path, Request, Response

from api.auth import WRITE_ERRORS, WriteAccess
from api.deps import SettingsDep, StoreDep
from api.models import DocumentRecord, DocumentsAdded, errors
from kg.corpus import MAX_TEXT, InputError, document_from_record
from kg.ids import IdError, check_id, short_hash
from kg.records import Document
from kg.store import GraphStore

if TYPE_CHECKING:
    from kg.build import BuildReport

router = APIRouter(prefix="/documents", tags=["documents"], responses=errors(422))

JSON = "application/json"
NDJSON = "application/x-ndjson"
#: media types read as a batch, one record a line
JSONL_TYPES = frozenset({NDJSON, "application/jsonl", "application/x-jsonlines"})
#: the longest id a document may have
MAX_ID = 200

#: one extraction at a time (the pipeline is shared); the store serialises the writes themselves
_EXTRACT_LOCK = threading.Lock()

_RECORD_SCHEMA = DocumentRecord.model_json_schema()


@router.post(
    "",
    response_model=DocumentsAdded,
    responses={**WRITE_ERRORS, **errors(400, 413, 415, 503)},
    summary="Extract documents into the store",
    description="One record as `application/json`, or a batch as `application/x-ndjson` (one "
    "record a line). A record without `id` gets one derived from its text. Each document is "
    "`added`, `unchanged` (the same text was stored already: nothing is written) or `replaced` "
    "(a new text for a stored id). A record that cannot be read is a 400 (not JSON) or a 422 "
    "naming its line, and nothing of the request is stored.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                JSON: {"schema": _RECORD_SCHEMA},
                NDJSON: {
                    "schema": {
                        "type": "string",
                        "description": "one JSON record a line",
                    }
                },
            },
        }
    },
)
async def add_documents(
    request: Request, store: StoreDep, settings: SettingsDep, _: WriteAccess
) -> DocumentsAdded:
    media = _media_type(request.headers.get("content-type"))
    body = await _read_body(request, settings.max_upload_bytes)
    documents = parse_records(body, batch=media in JSONL_TYPES)
    report = await anyio.to_thread.run_sync(_store_documents, store, documents)
    if report.errors:  # not expected: every record was checked first
        raise HTTPException(422, detail=str(report.errors[0]))
    return DocumentsAdded.model_validate(
        {
            "documents": [
                {"id": d.id, "status": report.statuses[d.id], "events": report.events[d.id]}
                for d in documents
            ]
        }
    )


@router.delete(
    "/{doc_id:path}",
    status_code=204,
    response_class=Response,
    responses={**WRITE_ERRORS, **errors(400, 404, 503)},
    summary="Remove a document and everything read from it",
    description="Drops the document's graph: facts other documents also support stay.",
)
def delete_document(
    store: StoreDep,
    _: WriteAccess,
    doc_id: Annotated[str, Path(description="the document id, as it was given", examples=["d1"])],
) -> Response:
    try:
        check_document_id(doc_id)
    except InputError as err:
        raise HTTPException(400, detail=f"{doc_id!r} is not a document id: {err.problem}") from None
    if not store.remove(doc_id):
        raise HTTPException(404, detail=f"no document with id {doc_id}")
    return Response(status_code=204)


# -- reading the request ---------------------------------------------------------------------


def _media_type(header: str | None) -> str:
    accepted = f"send {JSON} (one record) or {NDJSON} (one record a line)"
    if not header:
        raise HTTPException(415, detail=f"the request has no Content-Type: {accepted}")
    try:
        main, sub, params = mimeparse.parse_mime_type(header)
    except ValueError:
        raise HTTPException(
            415, detail=f"cannot read Content-Type {header!r}: {accepted}"
        ) from None
    media = f"{main}/{sub}".lower()
    if media != JSON and media not in JSONL_TYPES:
        raise HTTPException(415, detail=f"unsupported Content-Type {media}: {accepted}")
    charset = {k.lower(): v for k, v in params.items()}.get("charset", "utf-8")
    if charset.strip('"').lower() not in {"utf-8", "utf8"}:
        raise HTTPException(415, detail=f"unsupported charset {charset}: send UTF-8")
    return media


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = HTTPException(413, detail=f"the request body is larger than {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    stream: AsyncIterator[bytes] = request.stream()
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse_records(body: bytes, *, batch: bool) -> list[Document]:
    """The documents of a request body, all checked: 400 for what is not JSON, 422 for a record
    that is not a document, each naming its line in a batch."""
    try:
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise HTTPException(400, detail=f"the body is not UTF-8 text (byte {err.start})") from None
    lines = text.split("\n") if batch else [text]
    records: list[tuple[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        where = f"line {number}" if batch else "body"
        if batch and not line.strip():
            continue
        try:
            records.append((where, json.loads(line)))
        except json.JSONDecodeError as err:
            raise HTTPException(
                400, detail=f"{where}: not JSON ({err.msg} at column {err.colno})"
            ) from None
        except RecursionError:
            raise HTTPException(400, detail=f"{where}: JSON nested too deeply") from None
    if not records:
        raise HTTPException(400, detail="the batch holds no record")
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for where, record in records:
        try:
            document = read_record(record, where)
        except InputError as err:
            raise HTTPException(422, detail=str(err)) from None
        if document.id in seen:
            raise HTTPException(
                422,
                detail=f"{where}: duplicate document id {document.id!r} "
                f"(first at {seen[document.id]})",
            )
        seen[document.id] = where
        documents.append(document)
    return documents


def read_record(record: object, where: str) -> Document:
    """One record as a Document; InputError (naming `where`) when it is not one.

    Stricter than the corpus reader on what a web client may send: strings only (an `id` may be a
    number), valid Unicode, a text spaCy can take, and an id short enough to name the document.
    """
    if isinstance(record, dict):
        for key in ("id", "text", "date", "title", "url"):
            value = record.get(key)
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, str | int)
                or (key != "id" and not isinstance(value, str))
            ):
                raise InputError(where, f"'{key}' must be a string")
            if isinstance(value, str) and not _is_unicode(value):
                raise InputError(where, f"'{key}' is not valid Unicode text (a lone surrogate)")
        body = record.get("text")
        if isinstance(body, str) and len(body) > MAX_TEXT:
            raise InputError(where, f"'text' is longer than {MAX_TEXT:,} characters")
    body = record.get("text") if isinstance(record, dict) else None
    default_id = f"doc-{short_hash(body)}" if isinstance(body, str) else "doc"
    document = document_from_record(record, where, default_id=default_id)
    check_document_id(document.id, where)
    return document


def check_document_id(doc_id: str, where: str = "id") -> None:
    """InputError unless `doc_id` can name a document: any text but control characters, at most
    MAX_ID characters."""
    try:
        check_id(doc_id)
    except IdError as err:
        raise InputError(where, f"'id': {err}") from None
    if len(doc_id) > MAX_ID:
        raise InputError(where, f"'id' is too long: {MAX_ID} characters at most")


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _store_documents(store: GraphStore, documents: list[Document]) -> BuildReport:
    """Extract and store, in a worker thread: spaCy is imported and the pipeline loaded here on
    first use, so that a server that is never sent a document never pays for them."""
    from kg.build import build
    from kg.nlp import ModelError

    with _EXTRACT_LOCK:
        try:
            return build(documents, store=store)
        except ModelError as err:
            raise HTTPException(503, detail=f"the NLP pipeline is not available: {err}") from None
