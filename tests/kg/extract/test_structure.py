"""Document layout: headlines, datelines, bylines and the page's furniture, read before parsing.

The layout reader needs no statistical model: these tests run it on spaCy's blank English.
"""

from __future__ import annotations

import pytest
import spacy

from kg.extract.components import DATELINE_KEY, LAYOUT_KEY
from kg.extract.structure import paragraphs, read_layout
from kg.extract.vocabulary import load_lexicon

LEX = load_lexicon()
REPORT = (
    "Chile and Peru sign fishing accord\n\n"
    "By Ana Ruiz\n\n"
    "LIMA, Peru — Chile and Peru signed a fishing accord on Monday. It ends a long dispute.\n\n"
    "The two ministers met again in the afternoon.\n\n"
    "Ana Ruiz is a correspondent for a news agency in Lima.\n\n"
    "Share this article"
)


def test_blocks_of_a_wire_report() -> None:
    layout = read_layout(REPORT, LEX)
    kinds = [(REPORT[b.start : b.end][:12], b.kind) for b in layout.blocks]
    assert kinds == [
        ("Chile and Pe", "headline"),
        ("By Ana Ruiz", "skip"),
        ("LIMA, Peru —", "body"),
        ("The two mini", "body"),
        ("Ana Ruiz is ", "skip"),
        ("Share this a", "skip"),
    ]


@pytest.mark.parametrize(
    ("text", "place", "region"),
    [
        ("LIMA, Peru — Chile signed.", "LIMA", "Peru"),
        ("QUITO (Reuters) - Ecuador said it would sign.", "QUITO", None),
        ("SANTA CRUZ, Bolivia, March 3 (AP) — Bolivia agreed.", "SANTA CRUZ", "Bolivia"),
    ],
)
def test_datelines(text: str, place: str, region: str | None) -> None:
    dateline = read_layout(text, LEX).dateline
    assert dateline is not None
    assert text[slice(*dateline.place)] == place
    assert (text[slice(*dateline.region)] if dateline.region else None) == region
    assert text[dateline.end :].split()[0][0].isupper()


def test_a_sentence_that_starts_with_a_capitalised_word_is_no_dateline() -> None:
    assert read_layout("The United States — and Canada — agreed.", LEX).dateline is None


def test_one_line_is_a_body_even_without_a_full_stop() -> None:
    (block,) = read_layout("Chile and Peru sign fishing accord", LEX).blocks
    assert block.kind == "body"


def test_text_without_blank_lines_is_read_line_by_line() -> None:
    assert len(paragraphs("Headline here\nFirst line.\nSecond line.")) == 3


def test_the_component_starts_sentences_at_blocks_and_after_the_dateline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("diplokg_layout")
    doc = nlp(REPORT)
    assert [s.label_ for s in doc.spans[LAYOUT_KEY]][:3] == ["headline", "skip", "body"]
    spans = {s.label_: s.text for s in doc.spans[DATELINE_KEY]}
    assert spans["place"] == "LIMA" and spans["region"] == "Peru"
    chile = next(t for t in doc if t.text == "Chile" and t.idx > REPORT.index("—"))
    assert chile.is_sent_start
    dash = next(t for t in doc if t.text == "—")
    assert dash.is_sent_start is False
