"""Extraction: a spaCy Doc of one document → an Extraction record (actors, places, posts, events).

The flow is visible here: the layout and the entities are resolved first (actors, places,
posts), then each news sentence is read for events, then the story as a whole (one event per
happening, narrative time, the dateline's place).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import dates
from kg.extract.actors import MENTIONS_KEY, build_index
from kg.extract.context import Context, Tools
from kg.extract.discourse import (
    Told,
    commitments_in_deals,
    dateline_place,
    narrative_dates,
    one_event_per_happening,
)
from kg.extract.events import sentence_events, triggers_by_sentence
from kg.extract.posts import find_posts
from kg.extract.sentences import SENTENCES_KEY
from kg.records import Document, Extraction

TRIGGERS = "diplokg_triggers"


def tools_of(nlp: Language) -> Tools:
    """The lexicon and patterns held by the pipeline's diplokg components."""
    pipe = nlp.get_pipe(TRIGGERS)
    return Tools(pipe.lexicon, pipe.roles, pipe.negation)  # type: ignore[attr-defined]


def extract_doc(document: Document, doc: Doc, tools: Tools) -> Extraction:
    """Read actors, places, posts and events out of a parsed document."""
    try:
        return _read(document, doc, tools)
    finally:
        for key in (MENTIONS_KEY, SENTENCES_KEY):  # the doc stays as the pipeline made it
            doc.user_data.pop(key, None)


def _read(document: Document, doc: Doc, tools: Tools) -> Extraction:
    lex = tools.lexicon
    index = build_index(doc, lex, document.date)
    posts = find_posts(doc, index, lex, document.date)
    ctx = Context.read(doc, tools, index, posts, document.date)
    told: list[Told] = []
    by_sentence = triggers_by_sentence(ctx)
    for position, sent in enumerate(doc.sents):
        if sent.start not in ctx.news:
            continue
        for root, event in sentence_events(ctx, sent, by_sentence.get(sent.start, [])):
            told.append(Told(event, root, position))
    told = one_event_per_happening(ctx, told)
    told = commitments_in_deals(ctx, told)
    told = narrative_dates(ctx, told)
    told = dateline_place(ctx, told)
    events = [t.event for t in told]
    notes = list(ctx.notes)
    if document.date is None:
        notes += unresolved_dates(doc)
    used = {a for e in events for a in e.actors()} | {p.in_actor for p in posts if p.in_actor}
    actors, places = index.records(used)
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
    return extract_doc(document, nlp(document.text), tools_of(nlp))


def extract_all(
    documents: Iterable[Document], nlp: Language, batch_size: int = 16
) -> Iterator[Extraction]:
    """Parse documents in batches (spaCy's nlp.pipe) and read each one."""
    tools = tools_of(nlp)
    pairs = ((d.text, d) for d in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield extract_doc(document, doc, tools)
