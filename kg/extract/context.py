"""What the event reader knows about one document while it reads it, computed once.

Everything here is resolved before the first event is read (actors, posts, the layout, the
dependency-pattern matches, who "both sides" are at each sentence), so reading an event is a
look-up, never a change to what the document holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from kg.extract.actors import ActorIndex
from kg.extract.components import LAYOUT_KEY, TITLES_KEY, TRIGGERS_KEY
from kg.extract.gazetteer import gazetteer
from kg.extract.patterns import Hit, ParseTree, PatternSet
from kg.extract.vocabulary import Lexicon
from kg.records import Post


@dataclass(frozen=True)
class Tools:
    """The lexicon and the compiled patterns a pipeline's diplokg components hold."""

    lexicon: Lexicon
    roles: PatternSet
    negation: PatternSet


@dataclass
class Context:
    """One document as the event reader sees it."""

    doc: Doc
    lex: Lexicon
    index: ActorIndex
    posts: list[Post]
    anchor: dt.date | None
    role_hits: dict[int, list[Hit]]
    negation_hits: dict[int, list[Hit]]
    ents_by_sent: dict[int, list[Span]] = field(default_factory=dict)  # sentence start → ents
    actor_spans_by_sent: dict[int, list[tuple[Span, str]]] = field(default_factory=dict)
    pairs: dict[int, tuple[str, ...]] = field(default_factory=dict)  # sentence start → pair
    news: set[int] = field(default_factory=set)  # starts of sentences that are news
    lead_chars: set[int] = field(default_factory=set)  # offsets of the lead's sentences
    notes: list[str] = field(default_factory=list)
    post_states: dict[str, str] = field(default_factory=dict)  # person → state of their post
    title_tokens: set[int] = field(default_factory=set)  # tokens inside post titles
    capital_places: dict[int, str] = field(default_factory=dict)  # "the X capital" → place id
    state_lists: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # coordinations
    depth: int = 0  # nesting of actors_of look-ups (they may refer through each other)
    #: what actors_of answered for a token, asked from outside any other look-up: the document
    #: does not change while its events are read, and the event reader asks again and again
    actors_at: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, doc: Doc, tools: Tools, index: ActorIndex, posts: list[Post],
             anchor: dt.date | None) -> Context:  # fmt: skip
        ctx = cls(
            doc=doc,
            lex=tools.lexicon,
            index=index,
            posts=posts,
            anchor=anchor,
            role_hits={},
            negation_hits={},
        )
        roots = [t.root for t in doc.spans[TRIGGERS_KEY]]
        tree = ParseTree(doc) if roots else None  # both pattern sets read the same parse
        ctx.role_hits = tools.roles.hits(doc, (t.i for t in roots), tree)
        # a noun's negation may sit on the verb that governs it, up to two words above it
        governors = [a.i for t in roots for a in list(t.ancestors)[:3]]
        ctx.negation_hits = tools.negation.hits(doc, [t.i for t in roots] + governors, tree)
        sent_of = {}
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                sent_of[i] = sent.start
        ents: dict[int, list[Span]] = defaultdict(list)
        for ent in doc.ents:
            ents[sent_of[ent.start]].append(ent)
        ctx.ents_by_sent = dict(ents)
        spans: dict[int, list[tuple[Span, str]]] = defaultdict(list)
        for span, actor in index.spans:
            spans[sent_of[span.start]].append((span, actor))
        ctx.actor_spans_by_sent = dict(spans)
        for post in posts:
            if post.in_actor and index.kind(post.in_actor) == "State":
                ctx.post_states.setdefault(post.holder, post.in_actor)
        for actor_id, builder in index.actors.items():  # office holders the text gives no post
            if builder.kind == "Person" and actor_id not in ctx.post_states:
                states = {o.of for o in ctx.lex.offices_of(builder.label, anchor) if len(o.of) == 3}
                if len(states) == 1:
                    ctx.post_states[actor_id] = states.pop()
        ctx.title_tokens = {t.i for span in doc.spans[TITLES_KEY] for t in span}
        ctx.capital_places = _described_capitals(doc, index)
        ctx.state_lists = _state_lists(index)
        ctx._read_layout(sent_of)
        ctx._read_pairs()
        return ctx

    def _read_layout(self, sent_of: dict[int, int]) -> None:
        blocks = list(self.doc.spans.get(LAYOUT_KEY, ()))
        if not blocks:  # a text the layout reader did not see: every sentence is news
            self.news = {s.start for s in self.doc.sents}
            return
        body = [b for b in blocks if b.label_ == "body"]
        self.news = {sent_of[i] for b in body for i in range(b.start, b.end) if i in sent_of}
        if body:
            lead = body[0]  # the sentences of the first paragraph (a token's .sent costs a scan)
            self.lead_chars = {
                s.start_char for s in self.doc.sents if s.start < lead.end and s.end > lead.start
            }

    def _read_pairs(self) -> None:
        """Who "the two sides" are at each sentence: two states named in it (leaders count for
        their states), else the last such pair before it, else the two states named most so far."""
        pair: tuple[str, ...] = ()
        counts: dict[str, int] = defaultdict(int)
        for sent in self.doc.sents:
            states: list[str] = []
            for span, actor in self.actor_spans_by_sent.get(sent.start, []):
                if span.root.dep_ == "pobj" and span.root.head.lower_ in (
                    "in",
                    "at",
                    "near",
                    "inside",
                ):
                    continue  # "talks held in Canada": where, not who
                state = self.state_of(actor) if self.index.kind(actor) == "Person" else actor
                if state and self.index.kind(state) == "State" and state not in states:
                    states.append(state)
                if self.index.kind(actor) == "State":
                    counts[actor] += 1
            joined = self._conjoined_states(sent)
            if len(states) == 2 or joined:
                pair = joined or tuple(states)
                self.pairs[sent.start] = pair
            elif pair:
                self.pairs[sent.start] = pair
            else:
                top = sorted(counts, key=lambda a: -counts[a])[:2]
                self.pairs[sent.start] = tuple(top) if len(top) == 2 else ()

    def group_before(self, position: int, size: int) -> tuple[str, ...] | None:
        """The last `size` states named together (a coordination) before a token."""
        best: tuple[str, ...] | None = None
        for start, states in self.state_lists:
            if start >= position:
                break
            if len(states) == size:
                best = states
        return best

    def _conjoined_states(self, sent: Span) -> tuple[str, ...]:
        """Two states named together ("Finland and Sweden") in a sentence naming more."""
        for span, actor in self.actor_spans_by_sent.get(sent.start, []):
            if self.index.kind(actor) != "State":
                continue
            for child in span.root.children:
                other = self.index.token_actor.get(child.i)
                if (
                    child.dep_ == "conj"
                    and other
                    and other != actor
                    and self.index.kind(other) == "State"
                ):
                    return (actor, other)
        return ()

    def state_of(self, actor: str) -> str | None:
        """The state a person's post is in (for "the two sides" read from two leaders), from the
        text's posts or the office holders' dictionary."""
        return self.post_states.get(actor)

    def described_capital(self, token: object) -> str | None:
        """The place "the Chinese capital" names: that state's capital city."""
        return self.capital_places.get(getattr(token, "i", -1))

    def sentence_ents(self, sent: Span) -> list[Span]:
        return self.ents_by_sent.get(sent.start, [])

    def sentence_actor_spans(self, sent: Span) -> list[tuple[Span, str]]:
        return self.actor_spans_by_sent.get(sent.start, [])


def _described_capitals(doc: Doc, index: ActorIndex) -> dict[int, str]:
    """ "the Chinese capital", "Peru's capital": the capital city of the state named, as a
    place of the document (added to the places of the index)."""
    out: dict[int, str] = {}
    capital = get_string_id("capital")
    lowers = doc.to_array(LOWER).tolist() if len(doc) else []
    # only the tokens "capital" are looked at (reading every token costs more than the search)
    for token in (doc[i] for i, lower in enumerate(lowers) if lower == capital):
        if token.pos_ != "NOUN":
            continue
        for child in token.children:
            state = index.token_actor.get(child.i)
            if child.dep_ in ("amod", "poss", "compound") and index.kind(state or "") == "State":
                city = gazetteer().capital_of(state or "")
                if city:
                    out[token.i] = index.add_place(doc[token.i : token.i + 1], city)
                    index.place_states[out[token.i]] = state or ""
    return out


def _state_lists(index: ActorIndex) -> list[tuple[int, tuple[str, ...]]]:
    """Coordinations of states ("Chile, Peru and Bolivia"), by the position of their first."""
    out: list[tuple[int, tuple[str, ...]]] = []
    seen: set[int] = set()
    for span, actor in index.spans:
        root = span.root
        if root.i in seen or index.kind(actor) != "State" or root.dep_ == "conj":
            continue
        members = [actor]
        stack = [root]
        while stack:
            tok = stack.pop()
            for child in tok.children:
                if child.dep_ in ("conj", "appos") and child.i in index.token_actor:
                    other = index.token_actor[child.i]
                    seen.add(child.i)
                    if index.kind(other) == "State" and other not in members:
                        members.append(other)
                    stack.append(child)
        if len(members) >= 2:
            out.append((span.start, tuple(members)))
    return out
