"""Document ids as IRI segments: readable, and distinct ids never share one."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.ids import from_segment, iri_segment
from kg.rdf import doc_iri, local_id

IDS = ["a> <b", "a b", "a/b", "a-b", "a%20b", "../../etc/passwd", ".", "..", "é-ü", "x#y", "q?=1"]


def test_segments_are_injective_and_decode_back() -> None:
    segments = [iri_segment(i) for i in IDS]
    assert len(set(segments)) == len(IDS)
    assert [from_segment(s) for s in segments] == IDS


@pytest.mark.parametrize(
    ("doc_id", "segment"),
    [
        ("d1", "d1"),
        ("a b", "a%20b"),
        ("a/b", "a%2Fb"),
        ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"),
        ("..", "%2E%2E"),
        ("é-ü", "é-ü"),
    ],
)
def test_readable_segments(doc_id: str, segment: str) -> None:
    assert iri_segment(doc_id) == segment
    iri = doc_iri(doc_id)
    assert isinstance(iri, NamedNode) and iri.value.endswith("/doc/" + segment)
    assert local_id(iri.value) == doc_id
