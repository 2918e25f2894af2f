"""Shared fixtures: the real spaCy pipeline (loaded once), the sample article, temporary stores."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from spacy.language import Language

from kg.extract import extract
from kg.nlp import load_pipeline
from kg.records import Document, Extraction
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIPLOKG_SHARED", ROOT.parent / "shared"))
SAMPLE = SHARED / "corpus" / "korea-olympics-2018.txt"
SAMPLE_DATE = dt.date(2018, 1, 12)


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def sample_document() -> Document:
    assert SAMPLE.is_file(), f"the sample article is expected at {SAMPLE} (set DIPLOKG_SHARED)"
    return Document(
        id="korea-olympics-2018", text=SAMPLE.read_text(encoding="utf-8"), date=SAMPLE_DATE
    )


@pytest.fixture(scope="session")
def sample_extraction(nlp: Language, sample_document: Document) -> Extraction:
    return extract(sample_document, nlp)


@pytest.fixture()
def store(tmp_path: Path) -> GraphStore:
    graph_store = GraphStore(tmp_path / "store")
    yield graph_store  # type: ignore[misc]
    graph_store.close()


@pytest.fixture()
def read(nlp: Language):  # type: ignore[no-untyped-def]
    """Extract one text written by the test: read("Text.", date=...)."""

    def _read(
        text: str, date: dt.date | None = dt.date(2024, 3, 6), doc_id: str = "t"
    ) -> Extraction:
        return extract(Document(id=doc_id, text=text, date=date), nlp)

    return _read
