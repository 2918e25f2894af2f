"""Whether, when and where: modality, date, place and topic of an event's trigger."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from kg.extract import dates
from kg.extract.context import Context, lexicon
from kg.records import Modality, TimeValue

WHEN_MARKS = ("when", "as", "while", "after", "before")
CLAUSE_UP = ("xcomp", "conj", "advcl", "acl", "pcomp", "relcl")
COMPLEMENTS = ("xcomp", "dobj", "ccomp", "pobj", "prep", "nsubjpass")


def clause_chain(token: Token, governor: Token) -> list[Token]:
    """The trigger, its governing verb and the verbs above them up to the clause that reports it."""
    chain = [token] if token.i == governor.i else [token, governor]
    current = governor
    for _ in range(5):
        if (
            current.dep_ not in (*CLAUSE_UP, "dobj", "pobj", "prep", "acomp")
            or current.head.i == current.i
        ):
            break
        current = current.head
        chain.append(current)
        if current.lemma_ in lexicon().reporting:
            break
    return chain


def modality_of(ctx: Context, token: Token, governor: Token) -> Modality | None:
    """Negated ("failed to reach", "did not attend"), Conditional ("if ..."), Hypothetical
    ("might", "should"), Future ("will hold", "plans to", "future talks"), else asserted (None)."""
    lex = lexicon()
    chain = clause_chain(token, governor)
    if is_hearsay(token, governor):
        return "Hypothetical"  # "his assertions that the US was willing to talk"
    result: Modality | None = None
    for i, word in enumerate(chain):
        children = list(word.children)
        if any(c.dep_ == "neg" for c in children) or any(
            c.lower_ in ("no", "never") and c.dep_ == "det" for c in children if word.pos_ == "NOUN"
        ):
            return "Negated"
        if i > 0 and word.lemma_ in lex.negating_heads and chain[i - 1].dep_ in COMPLEMENTS:
            return "Negated"  # "failed to reach", "refused to join the talks"
        if any(c.dep_ == "advcl" and has_mark(c, lex.conditional_marks) for c in children):
            result = result or "Conditional"
        if has_mark(word, lex.conditional_marks):
            result = result or "Conditional"
        auxes = [c.lower_ for c in children if c.dep_ == "aux" and c.tag_ == "MD"]
        if any(a in lex.hypothetical for a in auxes):
            result = result or "Hypothetical"
        if any(a in lex.future_modals for a in auxes):
            result = result or "Future"
        if i > 0 and word.lemma_ in lex.future_heads and chain[i - 1].dep_ in COMPLEMENTS:
            result = result or "Future"
        if i > 0 and word.lemma_ in lex.hypothetical_heads and chain[i - 1].dep_ in COMPLEMENTS:
            result = result or "Hypothetical"  # "willing to talk", "ready to sign"
        if word.pos_ == "NOUN" and any(
            c.dep_ == "amod" and c.lower_ in lex.future_adjectives for c in children
        ):
            result = result or "Future"
    return result


def has_mark(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def date_of(ctx: Context, token: Token, governor: Token, *, future: bool) -> TimeValue | None:
    """The date phrase attached to the trigger or its governing verb (not one inside another
    clause), resolved against the document date."""
    targets = [token, governor]
    if governor.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in WHEN_MARKS for c in governor.children
    ):
        targets.append(governor.head)  # "surprised the world on New Year's Day when he offered"
    for span in _attached(ctx.doc.ents, targets, labels=("DATE", "EVENT")):
        value = dates.resolve(span.text, ctx.anchor, prefer="future" if future else "past")
        if value is not None:
            return value
    return None


def _attached(spans: Iterable[Span], heads: list[Token], labels: tuple[str, ...]) -> list[Span]:
    """Entity spans whose head path reaches one of `heads` without crossing another verb."""
    targets = {t.i for t in heads}
    out: list[Span] = []
    for span in spans:
        if span.label_ not in labels:
            continue
        current = span.root
        for _ in range(6):
            if current.i in targets:
                out.append(span)
                break
            if current.head.i == current.i or (current.pos_ == "VERB" and current.i not in targets):
                break
            current = current.head
    return out


def place_of(ctx: Context, token: Token, governor: Token) -> str | None:
    """The most specific place in a locative phrase of the trigger ("at the DMZ village of
    Panmunjom" → Panmunjom)."""
    best: tuple[int, str] | None = None
    heads = {token.i: token, governor.i: governor}
    for head in list(heads.values()):
        for child in head.children:
            if child.dep_ == "dobj" and child.i in ctx.index.token_place:
                return ctx.index.token_place[child.i]  # "visited Washington"
            if child.dep_ in ("dobj", "attr"):
                heads[child.i] = child
    for head in heads.values():
        for child in head.children:
            if child.dep_ != "prep" or child.lower_ not in ("in", "at", "near", "on"):
                continue
            for t in child.subtree:
                place = ctx.index.token_place.get(t.i)
                if place is not None and (best is None or t.i > best[0]):
                    best = (t.i, place)
    return best[1] if best else None


def topic_of(token: Token) -> str | None:
    """What an agreement is about: its clause ("to resume talks on fishing rights") or its
    "on/to/over ..." phrase, never a date."""
    clauses = [c for c in token.children if c.dep_ in ("xcomp", "relcl", "acl", "ccomp")]
    phrases = [
        c
        for c in token.children
        if c.dep_ == "prep"
        and c.lower_ in ("on", "to", "over", "about", "for")
        and not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree)
    ]
    for child in (*clauses, *phrases):
        words = [t for t in child.subtree if not (t.i == child.i and t.dep_ == "prep")]
        words = [t for t in words if not (t.i < child.i + 2 and t.dep_ in ("aux", "mark"))]
        if words and len(words) <= 20:
            return token.doc[words[0].i : words[-1].i + 1].text
    return None


def is_condition(token: Token) -> bool:
    """True for the "if ..." / "unless ..." clause itself (or a noun inside it)."""
    marks = lexicon().conditional_marks
    current = token
    for _ in range(4):
        if has_mark(current, marks):
            return True
        if current.dep_ not in ("dobj", "pobj", "prep", "xcomp", "nsubj", "nsubjpass", "conj"):
            return False
        current = current.head
    return False


def is_hearsay(token: Token, governor: Token) -> bool:
    """True for what a claim, report or rumour says ("reports that X attacked Y"): the text
    does not assert it."""
    chain = clause_chain(token, governor)
    nouns = lexicon().hearsay_nouns
    return any(
        word.pos_ == "NOUN"
        and word.lemma_.lower() in nouns
        and chain[i - 1].dep_ in ("acl", "ccomp", "relcl")
        for i, word in enumerate(chain)
        if i > 0
    )


def is_obligation(token: Token, governor: Token) -> bool:
    """ "Iraq must cooperate": what someone has to do is a demand on them, not their promise."""
    modals = lexicon().obligation
    return any(
        c.dep_ == "aux" and c.lower_ in modals
        for w in clause_chain(token, governor)[:3]
        for c in w.children
    )
