"""Inputs (.txt files, .jsonl files, folders of them) → Document records.

Every input error is named here, with the file and line, so the CLI can print one clear line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.ids import safe_id
from kg.records import Document

SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class InputError(Exception):
    """One bad input: where it is and what is wrong."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


def parse_date(value: str, where: str) -> dt.date:
    """A `YYYY-MM-DD` document date."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(where, f"date {value!r} is not YYYY-MM-DD") from None


def input_files(paths: list[Path]) -> list[Path]:
    """The .txt and .jsonl files named directly or found in the given folders, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
            if not found:
                raise InputError(str(path), "folder holds no .txt or .jsonl file")
            files.extend(found)
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise InputError(str(path), "not a .txt or .jsonl file")
            files.append(path)
        else:
            raise InputError(str(path), "no such file or folder")
    return files


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(str(path), "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}", f"not UTF-8 text (byte {err.start})") from None
    return text.removeprefix("\ufeff")


def read_txt(path: Path, date: dt.date | None = None) -> Document:
    """One .txt file is one document whose id is the file stem."""
    text = _read_text(path)
    if not text.strip():
        raise InputError(str(path), "empty document")
    return Document(id=safe_id(path.stem), text=text, date=date, origin=str(path))


def read_jsonl(path: Path, date: dt.date | None = None) -> Iterator[Document | InputError]:
    """One record a line: `text` required; `id`, `date`, `title`, `url` optional.

    A bad line is yielded as its InputError, so the good lines of the file still go through.
    """
    text = _read_text(path)
    if not text.strip():
        raise InputError(str(path), "empty file")
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 is JSON text
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(where, f"not JSON ({err.msg} at column {err.colno})")
            continue
        try:
            yield document_from_record(record, where, default_id=f"{path.stem}-{number}", date=date)
        except InputError as err:
            yield err


def document_from_record(
    record: object, where: str, *, default_id: str, date: dt.date | None = None
) -> Document:
    """A JSON record `{"text", "id"?, "date"?, "title"?, "url"?}` as a Document."""
    if not isinstance(record, dict):
        raise InputError(where, "record is not a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, "record has no 'text' (a non-empty string is required)")
    for key in ("id", "title", "url", "date"):
        if record.get(key) is not None and not isinstance(record[key], str | int):
            raise InputError(where, f"'{key}' must be a string")
    raw_date = record.get("date")
    doc_date = parse_date(str(raw_date), where) if raw_date else date
    raw_id = str(record["id"]) if record.get("id") not in (None, "") else default_id
    return Document(
        id=safe_id(raw_id),
        text=body,
        date=doc_date,
        title=record.get("title") or None,
        url=record.get("url") or None,
        origin=where,
    )


def read_inputs(paths: list[Path], date: dt.date | None = None) -> Iterator[Document | InputError]:
    """Every document of the given inputs, or the error that stopped it; `date` is the default.

    Raises InputError only when the inputs themselves cannot be listed.
    """
    for path in input_files(paths):
        try:
            if path.suffix == ".txt":
                yield read_txt(path, date)
            else:
                yield from read_jsonl(path, date)
        except InputError as err:
            yield err
