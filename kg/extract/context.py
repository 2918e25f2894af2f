"""What the event reader carries through a document, and the lexicon it reads with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc

from kg.extract.actors import ActorIndex
from kg.extract.components import load_lexicon
from kg.records import Post, TimeValue


@dataclass(frozen=True)
class Lexicon:
    symmetric: frozenset[str]
    light_verbs: frozenset[str]
    negating_heads: frozenset[str]
    hypothetical: frozenset[str]
    future_modals: frozenset[str]
    future_heads: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_adjectives: frozenset[str]
    conditional_marks: frozenset[str]
    hearsay_nouns: frozenset[str]
    group_nouns: frozenset[str]
    institutions: frozenset[str]
    reclass: tuple[dict[str, Any], ...]
    reporting: frozenset[str]
    object_control: frozenset[str]
    demand_nouns: frozenset[str]
    obligation: frozenset[str]
    stative_passives: frozenset[str]
    people_groups: frozenset[str]


@cache
def lexicon() -> Lexicon:
    data = load_lexicon("triggers.json")
    mod = data["modality"]
    orgs = load_lexicon("organizations.json")
    groups = orgs["group_subjects"]["nouns"]
    return Lexicon(
        symmetric=frozenset(c for c, e in data["classes"].items() if e.get("symmetric")),
        light_verbs=frozenset(data["light_verbs"]),
        negating_heads=frozenset(mod["negating_heads"]),
        hypothetical=frozenset(mod["hypothetical_modals"]),
        future_modals=frozenset(mod["future_modals"]),
        future_heads=frozenset(mod["future_heads"]),
        hypothetical_heads=frozenset(mod["hypothetical_heads"]),
        future_adjectives=frozenset(mod["future_adjectives"]),
        conditional_marks=frozenset(mod["conditional_marks"]),
        hearsay_nouns=frozenset(mod["hearsay_nouns"]),
        group_nouns=frozenset(w.lower() for w in groups),
        institutions=frozenset(orgs["institutions"]["nouns"]),
        reclass=tuple(data["reclass"]["rules"]),
        reporting=frozenset(data["reporting_verbs"]["lemmas"]),
        object_control=frozenset(data["object_control"]["lemmas"]),
        demand_nouns=frozenset(data["demand_nouns"]),
        obligation=frozenset(mod["obligation_modals"]),
        stative_passives=frozenset(data["stative_passives"]["lemmas"]),
        people_groups=frozenset(orgs["people_groups"]["nouns"]),
    )


@dataclass
class Context:
    """What the reading of one document carries from sentence to sentence."""

    doc: Doc
    index: ActorIndex
    posts: list[Post]
    anchor: dt.date | None
    pair: tuple[str, ...] = ()  # the two parties "both sides" stands for, last resolved
    paragraph_date: dict[int, TimeValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def state_of(self, actor: str) -> str | None:
        """The state a person's post is in (for "the two sides" read from two leaders)."""
        for post in self.posts:
            if post.holder == actor and post.in_actor and self.index.kind(post.in_actor) == "State":
                return post.in_actor
        return None
