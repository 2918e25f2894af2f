"""Inputs: .txt, .jsonl and folders; every bad input named with its file and line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.corpus import InputError, read_inputs
from kg.records import Document


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_txt_is_one_document_named_by_its_stem(tmp_path: Path) -> None:
    f = write(tmp_path / "talks.txt", "Chile and Peru met.")
    (doc,) = read_inputs([f], dt.date(2024, 1, 2))
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.date) == ("talks", "Chile and Peru met.", dt.date(2024, 1, 2))


def test_jsonl_records_with_optional_fields(tmp_path: Path) -> None:
    lines = [
        {
            "id": "a",
            "text": "One.",
            "date": "2023-05-01",
            "title": "T",
            "url": "https://example.org/a",
        },
        {"text": "Two."},
    ]
    f = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n\n")
    a, b = read_inputs([f])
    assert isinstance(a, Document) and isinstance(b, Document)
    assert (a.id, a.date, a.title, a.url) == (
        "a",
        dt.date(2023, 5, 1),
        "T",
        "https://example.org/a",
    )
    assert (b.id, b.date) == ("c-2", None)


def test_folder_reads_txt_and_jsonl_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B.")
    write(tmp_path / "a.jsonl", json.dumps({"id": "x", "text": "A."}))
    write(tmp_path / "notes.md", "ignored")
    assert [d.id for d in read_inputs([tmp_path]) if isinstance(d, Document)] == ["x", "b"]


@pytest.mark.parametrize(
    ("name", "data", "where", "problem"),
    [
        ("empty.txt", "", "empty.txt", "empty document"),
        ("blank.txt", "  \n\n ", "blank.txt", "empty document"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary.txt", "binary file"),
        ("latin1.txt", "caf\xe9 talks\n".encode("latin-1"), "latin1.txt:1", "not UTF-8"),
        ("bad.jsonl", '{"text": "ok"}\n{not json}\n', "bad.jsonl:2", "not JSON"),
        ("notext.jsonl", '{"id": "a", "title": "x"}\n', "notext.jsonl:1", "no 'text'"),
        ("list.jsonl", "[1, 2]\n", "list.jsonl:1", "not a JSON object"),
        ("date.jsonl", '{"text": "t", "date": "12/01/2018"}\n', "date.jsonl:1", "not YYYY-MM-DD"),
    ],
)
def test_bad_inputs_are_named(tmp_path: Path, name: str, data, where: str, problem: str) -> None:
    f = write(tmp_path / name, data)
    errors = [e for e in read_inputs([f]) if isinstance(e, InputError)]
    assert len(errors) == 1
    assert errors[0].where == str(tmp_path / where)
    assert problem in errors[0].problem


def test_good_lines_of_a_file_survive_a_bad_one(tmp_path: Path) -> None:
    f = write(
        tmp_path / "mix.jsonl", '{"id": "a", "text": "A."}\nnope\n{"id": "b", "text": "B."}\n'
    )
    items = list(read_inputs([f]))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [("missing.txt", "no such file"), ("data.csv", "not a .txt"), ("empty-folder", "no .txt")],
)
def test_a_bad_path_is_named_and_the_others_still_go_in(
    tmp_path: Path, name: str, problem: str
) -> None:
    if name.endswith(".csv"):
        write(tmp_path / name, "a,b")
    if name == "empty-folder":
        (tmp_path / name).mkdir()
    good = write(tmp_path / "good.txt", "Chile and Peru met.")
    items = list(read_inputs([good, tmp_path / name, good]))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    assert items[1] == InputError(str(tmp_path / name), items[1].problem)  # type: ignore[union-attr]
    assert problem in items[1].problem  # type: ignore[union-attr]


def test_ids_are_kept_as_given(tmp_path: Path) -> None:
    records = [
        {"id": i, "text": f"Text {n}."} for n, i in enumerate(["a> <b", "a b", "a/b", "a-b"])
    ]
    records.append({"id": "../../etc/passwd", "text": "T."})
    f = write(tmp_path / "ids.jsonl", "\n".join(json.dumps(r) for r in records))
    ids = [d.id for d in read_inputs([f]) if isinstance(d, Document)]
    assert ids == ["a> <b", "a b", "a/b", "a-b", "../../etc/passwd"]
    bad = write(tmp_path / "bad.jsonl", json.dumps({"id": "a\u0000b", "text": "T."}))
    (error,) = read_inputs([bad])
    assert isinstance(error, InputError) and "control character" in error.problem
