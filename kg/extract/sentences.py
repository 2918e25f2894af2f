"""The sentence a token is in, as spaCy's `Token.sent` and `Span.sent` give it, from the
document's sentences read once: `.sent` scans the tokens around it each time it is asked, and
the extractor asks for every actor, trigger, date and post."""

from __future__ import annotations

from spacy.tokens import Doc, Span

#: `Doc.user_data` key of the sentence of each token (removed when the document has been read)
SENTENCES_KEY = "diplokg_sentences"


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence of token `i`: `doc[i].sent`, and `span.sent` for a span starting at `i`."""
    table: list[Span] | None = doc.user_data.get(SENTENCES_KEY)
    if table is None:
        table = doc.user_data[SENTENCES_KEY] = [s for s in doc.sents for _ in range(len(s))]
    return table[i]
