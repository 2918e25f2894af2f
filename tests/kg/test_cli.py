"""The `diplokg` command as a user runs it: build, query, analyze; errors in one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.jsonl"
runner = CliRunner()

MEETING_QUERY = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
SELECT ?e ?date WHERE { ?e a dip:Meeting ; dip:date ?date ; dip:participant ?a, ?b .
  ?a dip:iso3 "PRK" . ?b dip:iso3 "KOR" }"""


def invoke(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture()
def sample_file(tmp_path: Path, sample_document) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "korea-olympics-2018.txt"
    path.write_text(sample_document.text, encoding="utf-8")
    return path


def test_build_into_store_then_query(tmp_path: Path, sample_file: Path) -> None:
    store = tmp_path / "store"
    result = invoke("build", str(sample_file), "--store", str(store), "--date", "2018-01-12")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    result = invoke("query", MEETING_QUERY, "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert [r["date"]["value"] for r in rows] == ["2018-01-09"]
    again = invoke("build", str(sample_file), "--store", str(store), "--date", "2018-01-12")
    assert "1 unchanged" in again.output


@pytest.mark.parametrize("suffix", [".nq", ".trig", ".ttl", ".nt", ".jsonld"])
def test_out_writes_only_the_file_in_its_format(
    tmp_path: Path, sample_file: Path, suffix: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIPLOKG_STORE", raising=False)
    out = tmp_path / f"graph{suffix}"
    result = invoke("build", str(sample_file), "--out", str(out), "--date", "2018-01-12")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "data").exists()  # --out alone: no store written
    fmt = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[
        suffix
    ]
    graph = rdflib.Dataset() if suffix in (".nq", ".trig", ".jsonld") else rdflib.Graph()
    graph.parse(out, format=fmt)
    meeting = rdflib.URIRef("https://w3id.org/diplokg/id/event/meeting-KOR-PRK-2018-01-09")
    date = rdflib.URIRef("https://w3id.org/diplokg/ontology#date")
    triples = (
        graph.triples((meeting, date, None))
        if isinstance(graph, rdflib.Graph) and not isinstance(graph, rdflib.Dataset)
        else graph.quads((meeting, date, None, None))
    )
    values = {str(t[2]) for t in triples}
    assert values == {"2018-01-09"}


def test_out_and_store_together(tmp_path: Path, sample_file: Path) -> None:
    out, store = tmp_path / "g.nq", tmp_path / "store"
    result = invoke("build", str(sample_file), "--out", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0 and (store / "CURRENT").exists()


def test_document_without_date_says_relative_dates_stay_unresolved(
    tmp_path: Path, sample_file: Path
) -> None:
    result = invoke("build", str(sample_file), "--out", str(tmp_path / "g.nq"))
    assert result.exit_code == 0, result.output
    assert "left unresolved" in result.output and "next month" in result.output


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        ("empty.txt", b"", "empty.txt"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.txt"),
        ("latin.txt", "Caf\xe9 diplomacy".encode("latin-1"), "latin.txt:1"),
        (
            "bad.jsonl",
            b'{"id": "ok", "text": "Chile and Peru met in Lima on 2 May 2023."}\n{oops\n',
            "bad.jsonl:2",
        ),
        ("notext.jsonl", b'{"id": "x"}\n', "notext.jsonl:1"),
    ],
)
def test_bad_input_is_one_error_line_and_writes_nothing_of_it(
    tmp_path: Path, name: str, data: bytes, where: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    store = tmp_path / "store"
    result = invoke("build", str(path), "--store", str(store))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(tmp_path / where) in errors[0]
    assert "Traceback" not in result.output
    query = invoke(
        "query",
        "SELECT ?id WHERE { ?d <http://purl.org/dc/terms/identifier> ?id }",
        "--store",
        str(store),
        "--format",
        "csv",
    )
    ids = query.output.split()[1:]
    assert ids == (["ok"] if name == "bad.jsonl" else [])


def test_unknown_out_format_and_bad_date(tmp_path: Path, sample_file: Path) -> None:
    result = invoke("build", str(sample_file), "--out", str(tmp_path / "g.xml"))
    assert result.exit_code == 1 and "unknown output format" in result.output
    result = invoke(
        "build", str(sample_file), "--date", "12/01/2018", "--store", str(tmp_path / "s")
    )
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_malformed_query_is_one_line(tmp_path: Path) -> None:
    GraphStore(tmp_path / "s").close()
    result = invoke("query", "SELECT WHERE {", "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert result.output.startswith("error: malformed query")


@pytest.mark.parametrize("command", ["query", "analyze"])
def test_a_store_that_does_not_exist_is_one_line_and_is_not_created(
    tmp_path: Path, command: str
) -> None:
    args = [command, "SELECT * WHERE { ?s ?p ?o }"] if command == "query" else [command]
    result = invoke(*args, "--store", str(tmp_path / "NOPE"))
    assert result.exit_code == 1
    assert result.output.startswith("error: there is no store at")
    assert not (tmp_path / "NOPE").exists()


def test_query_formats_and_analyze(tmp_path: Path, sample_file: Path) -> None:
    store = str(tmp_path / "store")
    invoke("build", str(sample_file), "--store", store, "--date", "2018-01-12")
    csv = invoke(
        "query",
        "SELECT ?iso WHERE { ?s <https://w3id.org/diplokg/ontology#iso3> ?iso } ORDER BY ?iso",
        "--store",
        store,
        "--format",
        "csv",
    )
    assert csv.output.split() == ["iso", "KOR", "PRK", "USA"]
    table = invoke("query", "ASK { ?s ?p ?o }", "--store", store)
    assert table.output.strip() == "true"
    analysis = invoke("analyze", "--store", store, "--json")
    assert analysis.exit_code == 0, analysis.output
    central = json.loads(analysis.output)["central"]
    assert central[0]["label"] in {"South Korea", "North Korea"}
    assert {"degree", "betweenness"} <= set(central[0])


def test_folder_input_and_progress(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES, folder / "reports.jsonl")
    result = invoke("build", str(folder), "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    n = sum(1 for line in EXAMPLES.read_text().splitlines() if line.strip())
    assert f"{n} added" in result.output


def test_the_installed_command_fails_cleanly(tmp_path: Path) -> None:
    """A real process: exit status and a single line, no traceback."""
    exe = Path(sys.executable).with_name("diplokg")
    proc = subprocess.run(
        [str(exe), "build", str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'missing.txt'}: no such file or folder"
    ]
