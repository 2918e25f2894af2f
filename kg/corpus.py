"""Inputs (.txt files, .jsonl files, folders of them) → Document records, streamed.

Every input error is named here, with the file and line, so the CLI can print one clear line; a
bad input (a missing path, an empty folder, a bad line) is yielded as its InputError and the
inputs beside it still go through. A .jsonl file is read line by line, never whole.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.ids import IdError, check_id
from kg.records import Document

SUFFIXES = (".txt", ".jsonl")
#: The longest text the spaCy pipeline takes (`Language.max_length`, spaCy's default): a longer
#: document is an input error (`kg.build`), not a crash of the build.
MAX_TEXT = 1_000_000


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


def find_inputs(paths: Iterable[Path | InputError]) -> Iterator[Path | InputError]:
    """The .txt and .jsonl files named directly or found in the given folders, in a stable order,
    and an InputError for each path that gives none (errors given are passed on)."""
    for path in paths:
        if isinstance(path, InputError):
            yield path
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
            if not found:
                yield InputError(str(path), "folder holds no .txt or .jsonl file")
            yield from found
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                yield InputError(str(path), "not a .txt or .jsonl file")
            else:
                yield path
        else:
            yield InputError(str(path), "no such file or folder")


def input_files(paths: list[Path]) -> list[Path]:
    """The input files of `paths`; raises the first InputError (for callers that need all)."""
    files: list[Path] = []
    for item in find_inputs(paths):
        if isinstance(item, InputError):
            raise item
        files.append(item)
    return files


def count_documents(items: Iterable[Path | InputError]) -> int:
    """About how many documents the inputs hold (a .jsonl file: its non-blank lines), read
    without keeping them: the length of a progress bar."""
    total = 0
    for item in items:
        if isinstance(item, InputError):
            continue
        if item.suffix == ".txt":
            total += 1
            continue
        try:
            with item.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        except OSError:
            total += 1
    return total


def _decode(data: bytes, where: Path, line: int = 1) -> str:
    if b"\x00" in data:
        raise InputError(str(where), "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        at = line + data[: err.start].count(b"\n")
        raise InputError(f"{where}:{at}", f"not UTF-8 text (byte {err.start})") from None


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from None
    return _decode(data, path).removeprefix("\ufeff")


def read_txt(path: Path, date: dt.date | None = None) -> Document:
    """One .txt file is one document whose id is the file stem."""
    text = _read_text(path)
    if not text.strip():
        raise InputError(str(path), "empty document")
    return Document(id=path.stem, text=text, date=date, origin=str(path))


def read_jsonl(path: Path, date: dt.date | None = None) -> Iterator[Document | InputError]:
    """One record a line: `text` required; `id`, `date`, `title`, `url` optional.

    Lines end at "\\n" only (U+2028 may stand inside a JSON string). A bad line is yielded as its
    InputError, so the good lines of the file still go through.
    """
    try:
        stream = path.open("rb")
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from None
    seen_any = False
    with stream:
        for number, raw in enumerate(stream, start=1):
            where = f"{path}:{number}"
            try:
                line = _decode(raw, path, number)
            except InputError as err:
                if "binary" in err.problem:
                    raise
                yield err
                continue
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            seen_any = True
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputError(where, f"not JSON ({err.msg} at column {err.colno})")
                continue
            except RecursionError:
                yield InputError(where, "JSON nested too deeply")
                continue
            try:
                yield document_from_record(
                    record, where, default_id=f"{path.stem}-{number}", date=date
                )
            except InputError as err:
                yield err
    if not seen_any:
        yield InputError(str(path), "empty file")


def document_from_record(
    record: object, where: str, *, default_id: str, date: dt.date | None = None
) -> Document:
    """A JSON record `{"text", "id"?, "date"?, "title"?, "url"?}` as a Document.

    The id is kept as given (a number becomes its digits): distinct ids stay distinct documents.
    """
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
    try:
        doc_id = check_id(raw_id)
    except IdError as err:
        raise InputError(where, f"'id': {err}") from None
    return Document(
        id=doc_id,
        text=body,
        date=doc_date,
        title=record.get("title") or None,
        url=record.get("url") or None,
        origin=where,
    )


def read_inputs(
    paths: Iterable[Path | InputError], date: dt.date | None = None
) -> Iterator[Document | InputError]:
    """Every document of the given inputs (paths, or what `find_inputs` gave), or the error that
    stopped it; `date` is the default document date."""
    for item in find_inputs(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            if item.suffix == ".txt":
                yield read_txt(item, date)
            else:
                yield from read_jsonl(item, date)
        except InputError as err:
            yield err
