"""The layout of a news text: headline, dateline, body paragraphs and the page's furniture.

A headline is not a sentence of the report, a dateline ("AL-ULA, Saudi Arabia — ...") names the
place the report comes from and must not run into its first sentence, and bylines, author
biographies and "Leave a Reply" are not news. The layout is read from the text alone (character
offsets), before the parser, so that sentences never cross these boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.extract.vocabulary import Lexicon

BlockKind = Literal["headline", "body", "skip"]

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
_FINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")

#: headlines are short; longer unpunctuated lines are body text that lost its full stop
HEADLINE_WORDS = 24


@dataclass(frozen=True)
class Block:
    """A paragraph (or, in a text without blank lines, a line) and what it is."""

    start: int
    end: int
    kind: BlockKind


@dataclass(frozen=True)
class Dateline:
    """ "PLACE, Region (Agency) —" at the head of the first body paragraph (offsets in the text)."""

    start: int
    end: int  # where the report's first sentence begins
    place: tuple[int, int]
    region: tuple[int, int] | None = None
    date: str | None = None


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    dateline: Dateline | None = None

    def kind_at(self, offset: int) -> BlockKind:
        """The kind of block a character offset lies in (between blocks: skip)."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block.kind
        return "skip"

    @property
    def lead(self) -> Block | None:
        """The first body paragraph: the one a dateline opens, with the story's main event."""
        return next((b for b in self.blocks if b.kind == "body"), None)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the text's paragraphs: blank-line separated, or lines when there is no blank line."""
    splitter = _PARAGRAPH if _PARAGRAPH.search(text) else _LINE
    spans: list[tuple[int, int]] = []
    start = 0
    for match in splitter.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped:
            a += len(chunk) - len(chunk.lstrip())
            out.append((a, a + len(stripped)))
    return out


def read_layout(text: str, lex: Lexicon) -> Layout:
    """Headlines, body and skipped blocks of a text, and the dateline of its first body block."""
    spans = paragraphs(text)
    kinds: list[BlockKind] = ["body"] * len(spans)
    for i, (a, b) in enumerate(spans):
        if _furniture(text[a:b], lex):
            kinds[i] = "skip"
    body = [i for i, k in enumerate(kinds) if k == "body"]
    # the blocks before the first real paragraph that read as titles are headlines
    first = next((i for i in body if not _title_like(text[spans[i][0] : spans[i][1]])), None)
    if first is not None:
        for i in range(first):
            if kinds[i] == "body":
                kinds[i] = "headline"
    # an author's biography closes the page: it and what follows it are not news
    for i in body[::-1][:2]:
        if i != first and lex.biography.match(text[spans[i][0] : spans[i][1]]):
            for j in range(i, len(spans)):
                kinds[j] = "skip"
    blocks = tuple(Block(a, b, k) for (a, b), k in zip(spans, kinds, strict=True))
    lead = next((b for b in blocks if b.kind == "body"), None)
    dateline = _dateline(text, lead, lex) if lead is not None else None
    return Layout(blocks, dateline)


def _furniture(paragraph: str, lex: Lexicon) -> bool:
    """A byline or a line of the web page around the report ("Share this", "Leave a Reply")."""
    line = " ".join(paragraph.split())
    if any(p.search(line) for p in lex.boilerplate):
        return True
    short = len(_WORD.findall(line)) <= 12 and not _FINAL.search(line)
    return short and bool(lex.byline.match(line))


def _title_like(paragraph: str) -> bool:
    """A short line without a final full stop: a headline, a kicker or a section name."""
    line = " ".join(paragraph.split())
    return "\n" not in paragraph.strip() and (
        len(_WORD.findall(line)) <= HEADLINE_WORDS and not _FINAL.search(line)
    )


def _dateline(text: str, lead: Block, lex: Lexicon) -> Dateline | None:
    match = lex.dateline.match(text[lead.start : lead.end])
    if match is None or lead.start + match.end() >= lead.end:
        return None
    at = lead.start
    region = match.span("region") if match.group("region") else None
    return Dateline(
        start=at,
        end=at + match.end(),
        place=(at + match.start("place"), at + match.end("place")),
        region=(at + region[0], at + region[1]) if region else None,
        date=match.group("date"),
    )
