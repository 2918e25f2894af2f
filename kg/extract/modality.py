"""Whether, when and where: modality, date, place and topic of an event's trigger.

Negation comes from the constructions of `negation.json` (dependency patterns); modals, plans,
conditions and hearsay are read along the trigger's clause chain (the trigger, the verb that
governs it and the verbs above them, up to the clause that reports it) with the word lists of
`modality.json`.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from kg.extract import dates
from kg.extract.context import Context
from kg.extract.sentences import sentence_of
from kg.records import Modality, TimeValue

WHEN_MARKS = ("when", "as", "while", "after", "before")
CLAUSE_UP = ("xcomp", "conj", "advcl", "acl", "pcomp", "relcl")
COMPLEMENTS = ("xcomp", "dobj", "ccomp", "pobj", "prep", "nsubjpass")


def clause_chain(ctx: Context, token: Token, governor: Token) -> list[Token]:
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
        if current.lemma_ in ctx.lex.reporting:
            break
    return chain


def negated(ctx: Context, token: Token, governor: Token) -> bool:
    """A construction of `negation.json` on the trigger or on the verb its noun hangs from, or a
    negated head up the clause chain ("did not try to meet")."""
    if ctx.negation_hits.get(token.i) or (
        governor.i != token.i and ctx.negation_hits.get(governor.i)
    ):
        return True
    chain = clause_chain(ctx, token, governor)
    for i, word in enumerate(chain[1:], start=1):
        if chain[i - 1].dep_ not in (*COMPLEMENTS, "xcomp") or word.lemma_ in ctx.lex.reporting:
            break
        if any(c.dep_ == "neg" for c in word.children):
            return True
    return False


def modality_of(
    ctx: Context, token: Token, governor: Token, *, threat: bool = False
) -> Modality | None:
    """Negated ("failed to reach", "did not attend"), Conditional ("if ..."), Hypothetical
    ("might", "should"), Future ("will hold", "plans to", "future talks"), else asserted (None).
    A `threat` is made whatever its condition: "warned X of strikes if it does not withdraw"
    is a warning given, its "if" clause is what the warning says."""
    if is_hearsay(ctx, token, governor):
        return "Hypothetical"  # "his claim that the US was willing to talk"
    if negated(ctx, token, governor):
        return "Negated"
    chain = clause_chain(ctx, token, governor)
    if open_question(ctx, chain):
        return "Hypothetical"  # "unclear when X would restore ties", "whether X will attack"
    result = _chain_modality(ctx, chain, own={token.i, governor.i} if threat else set())
    if result is None and under_terms(ctx, chain):
        result = "Future"  # "under the deal, troops will leave": a term, to be done
    if result is None and _shares_subject(token):
        # "attacking or invading": a conjunct without a subject of its own is told as its head
        result = modality_of(ctx, token.head, token.head)
    return result


def open_question(ctx: Context, chain: list[Token]) -> bool:
    """A clause that asks: marked "whether", or "when/how/if" under a head of knowing."""
    lex = ctx.lex
    for i, word in enumerate(chain):
        marks = {c.lower_ for c in word.children if c.dep_ in ("mark", "advmod")}
        if "whether" in marks:
            return True
        if (
            marks & lex.question_marks
            and i + 1 < len(chain)
            and (
                chain[i + 1].lemma_ in lex.question_heads
                or any(
                    c.lemma_ in lex.question_heads
                    for c in chain[i + 1].children
                    if c.dep_ == "acomp"
                )
            )
        ):
            return True
    return False


def _shares_subject(token: Token) -> bool:
    return (
        token.dep_ == "conj"
        and token.pos_ == "VERB"
        and token.head.pos_ == "VERB"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    )


def under_terms(ctx: Context, chain: list[Token]) -> bool:
    """The clause is headed by "under the terms / the deal / its plan": it states a term."""
    top = chain[-1]
    for word in (top, *(w for w in chain if w.dep_ in ("ROOT", "ccomp"))):
        for child in word.children:
            if (
                child.dep_ == "prep"
                and child.lower_ == "under"
                and any(g.lemma_.lower() in ctx.lex.terms_nouns for g in child.children)
            ):
                return True
    return False


def is_refusal(ctx: Context, token: Token, governor: Token) -> bool:
    """A refusal, not a plain negation: "refused to sign", "will not attend", "would never
    accept" (a Reject when said), unlike "did not sign" or "has not yet withdrawn"."""
    chain = clause_chain(ctx, token, governor)
    for i, word in enumerate(chain):
        if i > 0 and word.lemma_ in ctx.lex.refusal_heads and chain[i - 1].dep_ in COMPLEMENTS:
            return True
        children = list(word.children)
        negation = any(c.dep_ == "neg" for c in children)
        modal = any(
            c.dep_ == "aux"
            and c.tag_ == "MD"
            and c.lower_ in ctx.lex.future_modals | {"would", "can", "ca", "could"}
            for c in children
        )
        if negation and modal:
            return True
    return False


def _chain_modality(ctx: Context, chain: list[Token], own: set[int]) -> Modality | None:
    """Modals, conditions, plans and potential nouns along the clause chain; the condition
    clauses of the words in `own` are not read."""
    lex = ctx.lex
    result: Modality | None = None
    for i, word in enumerate(chain):
        children = list(word.children)
        if i > 0 and word.lemma_ in lex.negating_heads and chain[i - 1].dep_ in COMPLEMENTS:
            return "Negated"  # "refused to join the talks"
        if word.i not in own and any(
            c.dep_ == "advcl" and has_mark(c, lex.conditional_marks) for c in children
        ):
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
        if i > 0 and is_content(lex, word, chain[i - 1]):
            result = result or "Hypothetical"  # "the demands included closing the network"
        if word.pos_ == "NOUN" and any(
            c.dep_ == "amod" and c.lower_ in lex.future_adjectives for c in children
        ):
            result = result or "Future"
        if (
            i > 0
            and word.pos_ == "NOUN"
            and word.lemma_.lower() in lex.potential_nouns
            and chain[i - 1].dep_ in ("acl", "relcl")
        ):
            result = result or "Hypothetical"  # "the authority to sever relations"
    return result


def is_content(lex: object, word: Token, below: Token) -> bool:
    """`below` is what `word` says something else contains ("included closing X", "provides
    for X to return Y")."""
    heads: frozenset[str] = getattr(lex, "content_heads", frozenset())
    return word.lemma_ in heads and below.dep_ in (*COMPLEMENTS, "pcomp", "advcl")


def has_mark(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def date_of(ctx: Context, token: Token, governor: Token, *, future: bool) -> TimeValue | None:
    """The date phrase attached to the trigger or its governing verb (not one inside another
    clause), resolved against the document date."""
    targets = [token, governor]
    if governor.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in WHEN_MARKS for c in governor.children
    ):
        targets.append(governor.head)  # "surprised everyone on Monday when he offered"
    elif governor.dep_ in ("advcl", "ccomp") and _opens_with_when(governor):
        targets.append(governor.head)  # "began last month, when X, ..., agreed": misparsed
    elif (
        governor.dep_ == "advcl"
        and governor.tag_ == "VBG"
        and not any(c.dep_ in ("mark", "aux", "nsubj") for c in governor.children)
    ):
        targets.append(governor.head)  # "it began on 3 May, ..., killing 40": that day's
    ents = ctx.sentence_ents(sentence_of(ctx.doc, token.i))
    prefer: dates.Prefer = "future" if future else "past"
    # "on 3 March, when the memorandum was signed", "on 3 May, when X drove into Y, killing 40"
    clause = governor.head if governor.dep_ == "advcl" and governor.tag_ == "VBG" else governor
    if clause.dep_ in ("relcl", "acl") and clause.head.ent_type_ == "DATE":
        targets.append(clause.head)
    if _told_by_its_verb(ctx, token, governor):
        targets.append(token.head)  # "the summit collapsed in May"
    if token.pos_ in ("NOUN", "PROPN"):
        # "a round of talks that resumed on 3 May": the event noun's own relative clause
        targets += [
            w
            for w in token.subtree
            if w.dep_ == "relcl"
            and (_noun_phrase_of(w.head, token) or _tells_the_course(ctx, w, token))
        ]
    shifted = _shifted_date(ctx, governor, future=future)
    if shifted is not None:
        return shifted
    for span in _attached(ents, targets, labels=("DATE", "TIME", "EVENT")):
        value = dates.resolve(span.text, ctx.anchor, prefer=prefer)
        if value is not None:
            return value
    if governor.dep_ == "relcl" and governor.head.pos_ == "NOUN":
        # "a meeting of envoys last month in which X recognised Y": the noun's date
        for span in _attached(ents, [governor.head], labels=("DATE",)):
            value = dates.resolve(span.text, ctx.anchor, prefer=prefer)
            if value is not None:
                return value
    reporter = _reporting_head(ctx, governor)
    if reporter is not None:
        # "announced on Wednesday that X was breaking relations": told that day
        heads = [reporter, *([reporter.head] if reporter.dep_ == "advcl" else [])]
        if reporter.dep_ in ("relcl", "acl") and reporter.head.ent_type_ == "DATE":
            heads.append(reporter.head)  # "on Monday, 4 May, when X announced that ..."
        for span in _attached(ents, heads, labels=("DATE", "TIME")):
            value = dates.resolve(span.text, ctx.anchor, prefer=prefer)
            if value is not None and value.precision == "day":
                return value
    # a sentence that gives one date gives it for the events of its main clause, whatever the
    # parse attaches it to ("X bombed a camp near the border on Feb. 26")
    if not in_main_clause(governor):
        return None
    found = [
        v
        for e in ents
        if e.label_ == "DATE"
        and not _in_clause_of_its_own(e.root)
        and (v := dates.resolve(e.text, ctx.anchor, prefer=prefer))
    ]
    return found[0] if len(found) == 1 and found[0].precision == "day" else None


def _opens_with_when(clause: Token) -> bool:
    """A clause whose first word is "when", wherever the parser hung it."""
    first = min(clause.subtree, key=lambda t: t.i)
    return first.lower_ == "when" or (
        first.is_punct and first.i + 1 < len(first.doc) and first.doc[first.i + 1].lower_ == "when"
    )


def _tells_the_course(ctx: Context, clause: Token, noun: Token) -> bool:
    """ "talks convened by the Union that opened on 3 May": a relative clause of a verb of an
    event's course ("opened", "began", "ended") whose pronoun subject the parser hung on a noun
    of a participle phrase of the event noun (`acl`): it tells the event's course, not the
    noun's."""
    subject = any(c.dep_ == "nsubj" and c.lower_ in ("that", "which") for c in clause.children)
    if not subject or clause.lemma_ not in ctx.lex.occurrence_verbs:
        return False
    current = clause.head
    for _ in range(4):
        if current.i == noun.i:
            return False  # the noun's own clause: `_noun_phrase_of` reads it
        if current.dep_ == "acl" and current.head.i == noun.i:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _noun_phrase_of(word: Token, noun: Token) -> bool:
    """The noun itself, or a noun it is "of" ("a round of talks")."""
    return word.i == noun.i or (
        word.dep_ == "pobj" and word.head.lower_ == "of" and word.head.head.i == noun.i
    )


def _in_clause_of_its_own(word: Token) -> bool:
    """A word inside a relative or adverbial clause ("talks that had resumed on 3 May"): that
    clause's date is not the sentence's."""
    return any(a.pos_ == "VERB" and a.dep_ in ("relcl", "acl", "advcl") for a in word.ancestors)


def _reporting_head(ctx: Context, governor: Token) -> Token | None:
    """The verb of saying a clause is the content of, a few clauses up, if any; past it, the
    clause a "when" clause of saying hangs from ("cleared on Monday, when X announced that ...")."""
    current = governor
    found: Token | None = None
    for _ in range(4):
        if current.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or current.head.i == current.i:
            break
        if current.dep_ == "advcl" and not any(
            c.dep_ in ("mark", "advmod") and c.lower_ in WHEN_MARKS for c in current.children
        ):
            break
        current = current.head
        if current.lemma_ in ctx.lex.reporting or found is not None:
            found = current
    return found


def _shifted_date(ctx: Context, governor: Token, *, future: bool) -> TimeValue | None:
    """ "a day after X dropped its objection", "two days before the vote": a clause dated by
    its distance from the clause it hangs from."""
    if governor.dep_ not in ("advcl", "conj"):
        return None
    mark = next(
        (c for c in governor.children if c.dep_ == "mark" and c.lower_ in ("after", "before")), None
    )
    if mark is None:
        return None
    # "soon after": the small model may hang the adverb on the other clause's verb
    before = [c for c in governor.head.children if c.i == mark.i - 1]
    near = (*mark.children, *governor.children, *before)
    measure = next((c for c in near if c.dep_ == "npadvmod" and c.lemma_ in ("day", "week")), None)
    if measure is not None:
        count = next((c for c in measure.children if c.dep_ in ("nummod", "det")), None)
        n = dates.offset_days(f"{count.text if count else 'a'} {measure.text} later") or 1
    elif any(
        (c.dep_ == "advmod" and c.lower_ in SAME_DAY_ADVERBS)
        or (c.dep_ == "npadvmod" and c.lemma_ in SAME_DAY_UNITS)
        for c in near
    ):
        n = 0  # "shortly after", "hours after": the same day
    else:
        return None
    head = governor.head
    base = date_of(ctx, head, head, future=future)
    days = -n if mark.lower_ == "after" else n
    if base is None and ctx.anchor is not None and in_main_clause(head):
        # "the move came shortly after X", "the extension came a day after X": counted from the
        # day the story has reached, which narrative time knows better than the document's date
        # (discourse.narrative_dates)
        return dates.story_day(ctx.anchor, days)
    if base is None or base.precision != "day":
        return None
    return dates.time_value(base.earliest + dt.timedelta(days=days), "day", "")


#: "shortly after X", "hours before Y": so close to the other clause that it is the same day
SAME_DAY_ADVERBS = frozenset({"shortly", "soon", "just", "immediately", "moments", "minutes"})
SAME_DAY_UNITS = frozenset({"hour", "minute", "moment"})


def in_main_clause(token: Token) -> bool:
    """No subordinate clause ("after X scrapped", "who had met") between a word and the root."""
    current = token
    for _ in range(8):
        if current.dep_ in ("advcl", "relcl", "acl", "pcomp", "ccomp", "csubj"):
            return False
        if current.head.i == current.i:
            return True
        current = current.head
    return False


def _attached(spans: list[Span], heads: list[Token], labels: tuple[str, ...]) -> list[Span]:
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


def _told_by_its_verb(ctx: Context, token: Token, governor: Token) -> bool:
    """An event noun that is the subject of a verb telling its course ("the summit collapsed",
    "talks took place"): that verb's date and place are the event's."""
    return (
        token.i == governor.i
        and token.pos_ in ("NOUN", "PROPN")
        and token.dep_ in ("nsubj", "nsubjpass")
        and token.head.lemma_ in ctx.lex.occurrence_verbs
    )


def place_of(ctx: Context, token: Token, governor: Token) -> str | None:
    """The most specific place in a locative phrase of the trigger or its governor ("met in
    Hanoi, Vietnam" → Hanoi; "talks at the Peace Palace"; "the meeting in Quito")."""
    index = ctx.index
    heads = {token.i: token, governor.i: governor}
    if _told_by_its_verb(ctx, token, governor):
        heads[token.head.i] = token.head  # "the summit collapsed in Quito"
    for head in list(heads.values()):
        for child in head.children:
            if child.dep_ == "dobj" and child.i in index.token_place:
                return index.token_place[child.i]  # "visited Ottawa"
            if child.dep_ in ("dobj", "attr") or (child.dep_ == "acl" and child.tag_ == "VBN"):
                heads[child.i] = child  # "held talks in X", "the talks held in X"
            if child.dep_ == "prep" and child.lower_ in ("for", "during"):
                for g in child.children:  # "met X for talks in Y"
                    if g.dep_ == "pobj":
                        heads[g.i] = g
    # the nearest phrase first, and in it the name a place noun is "of" over the modifier of that
    # noun ("at the border village of X": X)
    best: tuple[int, int, int, str] | None = None  # (modifier, depth, -position, place)
    for head in heads.values():
        locative: tuple[str, ...] = ("in", "at", "near", "on", "inside")
        if head.lemma_ in ctx.lex.from_verbs:
            locative += ("from",)  # "announced from the palace in Caracas"
        for child in head.children:
            if child.dep_ != "prep" or child.lower_ not in locative:
                continue
            for t in child.subtree:
                place = index.token_place.get(t.i) or ctx.described_capital(t)
                if place is None:
                    continue
                rank = (int(t.dep_ in ("compound", "amod", "nmod")), _depth(t, child), -t.i, place)
                if best is None or rank[:3] < best[:3]:
                    best = rank
    return best[3] if best else None


def _depth(token: Token, top: Token) -> int:
    depth = 0
    while token.i != top.i and depth < 10:
        token = token.head
        depth += 1
    return depth


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


def is_condition(ctx: Context, token: Token) -> bool:
    """True for the "if ..." / "unless ..." clause itself (or a noun inside it)."""
    marks = ctx.lex.conditional_marks
    current = token
    for _ in range(4):
        if has_mark(current, marks):
            return True
        if current.dep_ not in (
            "dobj",
            "pobj",
            "prep",
            "xcomp",
            "nsubj",
            "nsubjpass",
            "conj",
            "acl",
            "relcl",
            "pcomp",
        ):
            return False
        current = current.head
    return False


def is_hearsay(ctx: Context, token: Token, governor: Token) -> bool:
    """True for what a claim, report or rumour says ("reports that X attacked Y"): the text
    does not assert it."""
    chain = clause_chain(ctx, token, governor)
    nouns = ctx.lex.hearsay_nouns
    return any(
        word.pos_ == "NOUN" and word.lemma_.lower() in nouns and _content_clause(chain[i - 1])
        for i, word in enumerate(chain)
        if i > 0
    )


def _content_clause(clause: Token) -> bool:
    """A clause that says what a claim or report says ("reports that X attacked"), not one
    that says what the report does ("a report accusing X", which accuses)."""
    if clause.dep_ == "ccomp":
        return True
    return clause.dep_ in ("acl", "relcl") and any(
        c.dep_ in ("nsubj", "nsubjpass", "mark") and c.lower_ not in ("which", "who")
        for c in clause.children
    )


def is_obligation(ctx: Context, token: Token, governor: Token) -> bool:
    """ "Chile must cooperate": what someone has to do is a demand on them, not their promise."""
    modals = ctx.lex.obligation
    return any(
        c.dep_ == "aux" and c.lower_ in modals
        for w in clause_chain(ctx, token, governor)[:3]
        for c in w.children
    )
