"""Reading the CAMEO files: class lines, BIO spans, alignment to the raw text, detokenizing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate.cameo_data import (
    CameoError,
    align,
    detokenize,
    letters_key,
    load_cameo,
    read_classes,
    read_spans,
    token_offsets,
)

CLASSES = (
    "Türkiye’s navy escorted the grain ships out of Odesa.\t2\n"
    '"Nobody wants a war," the envoy told reporters.\t0\n'
    "\n"
    "Peru recalled its ambassador from Mexico.\t3\n"
)
SPANS = """Turkiye O
’ O
s O
navy B-S
escorted O
the O
grain O
ships O
out O
of O
Odesa O
. O

Nobody O
wants O
a O
war O
, O
" O
the B-S
envoy I-S
told O
reporters B-T
. O

Chile B-R
and O
Peru B-R
traded I-T
accusations O
( O
again O
) O
. O
"""


def write(tmp_path: Path, classes: str = CLASSES, spans: str = SPANS) -> tuple[Path, Path]:
    tsv, ner = tmp_path / "class.tsv", tmp_path / "ner.txt"
    tsv.write_text(classes, encoding="utf-8")
    ner.write_text(spans, encoding="utf-8")
    return tsv, ner


def test_class_lines_keep_their_line_numbers_and_csv_quoting(tmp_path: Path) -> None:
    rows = read_classes(write(tmp_path)[0])
    assert [(r.line, r.label) for r in rows] == [(1, 2), (2, 0), (4, 3)]
    assert rows[1].text == "Nobody wants a war, the envoy told reporters."  # csv unquoting


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A sentence without a label.\n", ":1: expected `sentence<TAB>label`"),
        ("Fine.\t1\nBad label.\t7\n", ":2: label '7' is not one of 0-4"),
        ("\n\n", "no sentences"),
    ],
)
def test_bad_class_files_fail_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CameoError, match=message):
        read_classes(write(tmp_path, classes=text)[0])


def test_spans_from_bio_tags_with_reciprocal_and_stray_inside_tags(tmp_path: Path) -> None:
    sentences = read_spans(write(tmp_path)[1])
    assert [(s.number, s.line) for s in sentences] == [(1, 1), (2, 14), (3, 26)]
    first, second, third = sentences
    assert [(sp.role, sp.text) for sp in first.spans] == [("S", "navy")]
    assert [(sp.role, sp.text) for sp in second.spans] == [("S", "the envoy"), ("T", "reporters")]
    # R counts for both sides; an I- tag of another kind starts a span of its own
    assert [(sp.role, sp.start, sp.end) for sp in third.spans] == [
        ("R", 0, 1),
        ("R", 2, 3),
        ("T", 3, 4),
    ]
    assert third.spans[0].is_source and third.spans[0].is_target
    assert not second.spans[1].is_source


def test_a_bad_span_line_fails_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(CameoError, match=r"ner.txt:2: expected `token TAG`"):
        read_spans(write(tmp_path, spans="Peru B-S\nrecalled X-Q\n")[1])
    with pytest.raises(CameoError, match="cannot read"):
        read_spans(tmp_path / "missing.txt")


def test_alignment_ignores_accents_apostrophes_quotes_and_spacing(tmp_path: Path) -> None:
    data = load_cameo(*write(tmp_path))
    first, second, third = data.spans
    assert first.class_line == 1 and first.text.startswith("Türkiye’s navy")
    assert second.class_line == 2
    assert third.class_line is None  # not in the class file: detokenized
    assert third.text == "Chile and Peru traded accusations (again)."
    assert (data.aligned, data.detokenized) == (2, 1)
    # the span is found in the raw text, in its own typography
    (navy,) = first.spans
    assert first.char_span(navy) == (10, 14) and first.words(navy) == ("navy",)
    assert first.words(first.spans[0]) == ("navy",)
    assert first.offsets[0] == (0, 7) and first.text[0:7] == "Türkiye"
    assert first.offsets[1] is None  # the apostrophe token has no letters of its own
    assert data.texts()[:3] == [c.text for c in data.classes]
    assert len(data.texts()) == 4  # three class sentences, one detokenized span sentence


def test_token_offsets_refuse_a_text_with_other_letters() -> None:
    assert token_offsets(["Peru", "won"], "Peru lost") is None
    assert token_offsets(["U.S.", "-", "led"], "U.S.-led") == ((0, 3), None, (5, 8))
    assert letters_key("Erdoğan’s") == letters_key("Erdogan 's") == "erdogans"


def test_detokenize_uses_the_moses_rules() -> None:
    assert (
        detokenize(["Lima", "said", '"', "no", '"', ",", "again", "."]) == 'Lima said "no", again.'
    )
    assert detokenize(["It", "cost", "$", "5", "million", "(", "50", "%", ")", "."]) == (
        "It cost $5 million (50%)."
    )


def test_align_prefers_the_class_sentence_with_the_same_letters(tmp_path: Path) -> None:
    classes = read_classes(write(tmp_path)[0])
    spans = read_spans(write(tmp_path, spans="Peru B-S\nrecalled O\nits O\nambassador O\n")[1])
    (partial,) = align(spans, classes)
    assert partial.class_line is None  # a shorter sentence is another sentence
    assert partial.text == "Peru recalled its ambassador"
