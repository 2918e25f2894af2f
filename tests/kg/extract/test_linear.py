"""Extraction grows with the text, not with its square (issue 9, point 2).

Time is not asserted (tests stay deterministic; `bench/extract_linear.py` times it): the test
counts the lines of the project's own Python that parsing and reading a document execute. A scan
of the whole document per event (the date of an event looked for in every sentence, its
paragraph found by walking the document, `doc.ents` walked per mention) makes that count grow
with the square of the text: four times the text then costs about seven times the lines, against
four once every look-up is indexed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

from spacy.language import Language

import kg
from kg.extract import extract_doc, tools_of
from kg.records import Document

PROJECT = str(Path(kg.__file__).resolve().parent)
PAIRS = [
    ("Chile", "Peru"),
    ("Kenya", "Uganda"),
    ("Norway", "Iceland"),
    ("Japan", "Canada"),
    ("Egypt", "Jordan"),
    ("Brazil", "Argentina"),
    ("Poland", "Lithuania"),
]
#: a paragraph written for this test: a meeting, an agreement, a negated event, a condemnation
PARAGRAPH = (
    "The Foreign Minister of {a} met the President of {b} on {d} May 2023. "
    "They signed an agreement on fisheries. {b} did not attend the summit. "
    "{a} condemned the missile test by {b} on {d} June 2022.\n\n"
)


def text_of(paragraphs: int) -> str:
    return "".join(
        PARAGRAPH.format(a=PAIRS[k % 7][0], b=PAIRS[(k // 7) % 7][1], d=1 + k % 28)
        for k in range(paragraphs)
    )


def lines_run(nlp: Language, text: str) -> tuple[int, int]:
    """Lines of kg/ executed to parse and read `text` (spaCy's own code is not counted), and
    the number of events read."""
    count = 0

    def in_project(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return in_project

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        return in_project if frame.f_code.co_filename.startswith(PROJECT) else None

    tools = tools_of(nlp)
    sys.settrace(on_call)
    try:
        extraction = extract_doc(Document(id="long", text=text), nlp(text), tools)
    finally:
        sys.settrace(None)
    return count, len(extraction.events)


def test_four_times_the_text_costs_about_four_times_the_work(nlp: Language) -> None:
    lines_run(nlp, text_of(3))  # first calls fill the process's caches: not counted
    short, short_events = lines_run(nlp, text_of(20))
    long, long_events = lines_run(nlp, text_of(80))
    assert 0 < short_events < long_events  # the paragraphs are read, not skipped
    # linear: 4x (measured 4.1x); a whole-document scan per event made it 7.2x
    assert long / short < 5, f"{long} lines for 80 paragraphs, {short} for 20"
