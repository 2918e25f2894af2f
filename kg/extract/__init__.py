"""Extraction: a spaCy Doc of one document → an Extraction record (actors, places, posts, events)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import dates
from kg.extract.actors import build_index
from kg.extract.events import find_events
from kg.extract.posts import find_posts, story_states
from kg.records import Document, Extraction


def extract_doc(document: Document, doc: Doc) -> Extraction:
    """Read actors, places, posts and events out of a parsed document."""
    index = build_index(doc)
    posts = find_posts(doc, index)
    events, notes = find_events(doc, index, posts, document.date)
    posts = story_states(doc, index, posts, events)
    if document.date is None:
        notes += unresolved_dates(doc)
    actors, places = index.records()
    used_places = {e.place for e in events if e.place}
    return Extraction(
        document=document,
        actors=actors,
        places=tuple(p for p in places if p.id in used_places or p.mentions),
        posts=tuple(posts),
        events=tuple(events),
        notes=tuple(dict.fromkeys(notes)),
    )


def unresolved_dates(doc: Doc) -> list[str]:
    """One note naming the relative date expressions a document without a date leaves open."""
    relative = [
        e.text
        for e in doc.ents
        if e.label_ == "DATE" and dates.is_relative(e.text) and not dates.is_duration(e.text)
    ]
    if not relative:
        return []
    listed = ", ".join(repr(t) for t in dict.fromkeys(relative))
    return [f"the document has no date: relative dates left unresolved ({listed})"]


def extract(document: Document, nlp: Language) -> Extraction:
    """Parse and read one document."""
    return extract_doc(document, nlp(document.text))


def extract_all(
    documents: Iterable[Document], nlp: Language, batch_size: int = 16
) -> Iterator[Extraction]:
    """Parse documents in batches (spaCy's nlp.pipe) and read each one."""
    pairs = ((d.text, d) for d in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield extract_doc(document, doc)
