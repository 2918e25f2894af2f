"""Reading the CAMEO five-class benchmark: labelled sentences (TSV) and actor spans (CoNLL-style).

The class file has one `sentence<TAB>label` per line (label 0-4; CSV quoting as Python's `csv`
reads it). The span file has one `token TAG` per line, sentences separated by blank lines, with
BIO tags of the source (`S`), target (`T`) and reciprocal (`R`) actors. Its sentences are
tokenized: each one is aligned to the raw sentence of the class file with the same letters and
digits (case, accents, spaces and punctuation aside), so it is read in its original typography;
the others are detokenized with sacremoses' Moses detokenizer. Either way every token gets its
character offsets in the text that is read, so a span can be found in the parse.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: The five classes: CAMEO root groups as the benchmark labels them.
CLASS_NAMES = {
    0: "statement",
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
SpanRole = Literal["S", "T", "R"]
TAGS = frozenset({"O", "B-S", "I-S", "B-T", "I-T", "B-R", "I-R"})


class CameoError(ValueError):
    """A CAMEO benchmark file that cannot be read or does not follow its format."""


@dataclass(frozen=True)
class ClassSentence:
    """One line of the class file."""

    line: int
    text: str
    label: int


@dataclass(frozen=True)
class ActorSpan:
    """Tokens start..end (end exclusive) of a span sentence, tagged source, target or both."""

    role: SpanRole
    start: int
    end: int
    text: str  # the span's tokens joined by spaces

    @property
    def is_source(self) -> bool:
        return self.role in ("S", "R")

    @property
    def is_target(self) -> bool:
        return self.role in ("T", "R")


@dataclass(frozen=True)
class SpanSentence:
    """One sentence of the span file, with the text it is read in and its tokens' offsets there."""

    number: int  # 1-based, in file order
    line: int  # line of its first token
    tokens: tuple[str, ...]
    spans: tuple[ActorSpan, ...]
    text: str = ""
    offsets: tuple[tuple[int, int] | None, ...] = ()  # per token; None for punctuation-only ones
    class_line: int | None = None  # the aligned line of the class file, None when detokenized

    def words(self, span: ActorSpan) -> tuple[str, ...]:
        """The span's tokens as `text` writes them (accents and apostrophes as read), where found."""
        found = []
        for i in range(span.start, span.end):
            offsets = self.offsets[i] if i < len(self.offsets) else None
            found.append(self.text[offsets[0] : offsets[1]] if offsets else self.tokens[i])
        return tuple(found)

    def char_span(self, span: ActorSpan) -> tuple[int, int] | None:
        """Character offsets of a span in `text` (from its first to its last located token)."""
        located = [o for o in self.offsets[span.start : span.end] if o is not None]
        if not located:
            return None
        return located[0][0], located[-1][1]


@dataclass(frozen=True)
class CameoData:
    classes: tuple[ClassSentence, ...]
    spans: tuple[SpanSentence, ...]

    @property
    def aligned(self) -> int:
        return sum(1 for s in self.spans if s.class_line is not None)

    @property
    def detokenized(self) -> int:
        return len(self.spans) - self.aligned

    def texts(self) -> list[str]:
        """Every distinct text to read, class sentences first, in file order."""
        seen = dict.fromkeys(c.text for c in self.classes)
        seen.update(dict.fromkeys(s.text for s in self.spans))
        return list(seen)


# --- the class file ----------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise CameoError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise CameoError(f"{path}: not UTF-8 text") from None


def read_classes(path: Path) -> list[ClassSentence]:
    """The class file's sentences with their labels."""
    rows: list[ClassSentence] = []
    reader = csv.reader(_read(path).splitlines(), delimiter="\t")
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise CameoError(f"{where}: expected `sentence<TAB>label`, got {len(row)} field(s)")
        text, label = row[0].strip(), row[1].strip()
        if label not in {"0", "1", "2", "3", "4"}:
            raise CameoError(f"{where}: label {label!r} is not one of 0-4")
        if not text:
            raise CameoError(f"{where}: empty sentence")
        rows.append(ClassSentence(reader.line_num, text, int(label)))
    if not rows:
        raise CameoError(f"{path}: no sentences")
    return rows


# --- the span file -----------------------------------------------------------------------------


def _spans(tags: Sequence[str], tokens: Sequence[str]) -> tuple[ActorSpan, ...]:
    """BIO tags → spans (an I- tag that does not continue its kind starts a span, as conlleval)."""
    found: list[ActorSpan] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, role = tag.partition("-")
        if kind and (prefix != "I" or role != kind):
            found.append(ActorSpan(kind, start, i, " ".join(tokens[start:i])))  # type: ignore[arg-type]
            kind = ""
        if prefix == "B" or (prefix == "I" and not kind):
            start, kind = i, role
    return tuple(found)


def read_spans(path: Path) -> list[SpanSentence]:
    """The span file's sentences (tokens and spans only: `align` gives them their text)."""
    sentences: list[SpanSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first = 0

    def close() -> None:
        if tokens:
            number = len(sentences) + 1
            spans = _spans(tags, tokens)
            sentences.append(SpanSentence(number, first, tuple(tokens), spans))
        tokens.clear()
        tags.clear()

    for n, raw in enumerate(_read(path).splitlines(), 1):
        line = raw.strip()
        if not line:
            close()
            continue
        token, _, tag = line.rpartition(" ")
        if not token or tag not in TAGS:
            raise CameoError(f"{path}:{n}: expected `token TAG` with a tag among O, B-S, I-S, ...")
        if not tokens:
            first = n
        tokens.append(token.strip())
        tags.append(tag)
    close()
    if not sentences:
        raise CameoError(f"{path}: no sentences")
    return sentences


# --- alignment ---------------------------------------------------------------------------------


def _letters(text: str) -> Iterator[tuple[str, int]]:
    """The letters and digits of `text` without accents, case-folded, each with its offset."""
    for i, char in enumerate(text):
        for k in unicodedata.normalize("NFKD", char).casefold():
            if k.isalnum():
                yield k, i


def letters_key(text: str) -> str:
    """What two typings of one sentence share: its letters and digits (see `_letters`)."""
    return "".join(k for k, _ in _letters(text))


def token_offsets(tokens: Sequence[str], text: str) -> tuple[tuple[int, int] | None, ...] | None:
    """Each token's character span in `text`; None when `text` does not hold the tokens' letters.

    A token without letters or digits (punctuation) gets None: the tokens around it place it.
    """
    located = list(_letters(text))
    if "".join(k for k, _ in located) != "".join(letters_key(t) for t in tokens):
        return None
    offsets: list[tuple[int, int] | None] = []
    cursor = 0
    for token in tokens:
        n = len(letters_key(token))
        if not n:
            offsets.append(None)
            continue
        offsets.append((located[cursor][1], located[cursor + n - 1][1] + 1))
        cursor += n
    return tuple(offsets)


def detokenize(tokens: Sequence[str]) -> str:
    """A tokenized sentence as running text (sacremoses' Moses detokenizer for English)."""
    try:
        from sacremoses import MosesDetokenizer
    except ImportError:  # pragma: no cover - a dev dependency of the project
        raise CameoError("detokenizing needs sacremoses: pip install sacremoses") from None
    return str(MosesDetokenizer(lang="en").detokenize(list(tokens)))


def align(
    spans: Sequence[SpanSentence], classes: Sequence[ClassSentence]
) -> tuple[SpanSentence, ...]:
    """Give each span sentence its text: the class file's sentence with the same letters, else
    its detokenized tokens; and its tokens' offsets in that text."""
    by_key: dict[str, ClassSentence] = {}
    for c in classes:
        by_key.setdefault(letters_key(c.text), c)
    aligned: list[SpanSentence] = []
    for s in spans:
        match = by_key.get("".join(letters_key(t) for t in s.tokens))
        text = match.text if match else detokenize(s.tokens)
        offsets = token_offsets(s.tokens, text) or tuple(None for _ in s.tokens)
        aligned.append(
            SpanSentence(
                s.number,
                s.line,
                s.tokens,
                s.spans,
                text=text,
                offsets=offsets,
                class_line=match.line if match else None,
            )
        )
    return tuple(aligned)


def load_cameo(class_path: Path, span_path: Path) -> CameoData:
    """Both files of the benchmark, the span sentences aligned to the class sentences."""
    classes = read_classes(class_path)
    return CameoData(tuple(classes), align(read_spans(span_path), classes))
