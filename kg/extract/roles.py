"""Who does what to whom: the actors a phrase stands for, and the roles of an event's trigger.

The role patterns of `roles.json` say which phrase heads fill which role; `actors_of` says which
actors a phrase head stands for (its entity, its conjuncts, a demonym or possessor inside it, the
person a title or a definite description names, the antecedent of a pronoun, the pair "both
sides" stands for).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.sentences import sentence_of


@dataclass(frozen=True)
class Roles:
    """The actors of an event's roles, as read from its trigger."""

    initiators: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # "between A and B": both sides, no direction
    subject_not_actor: bool = False  # an explicit subject that names no actor ("critics said")
    #: the doer's own state as its target, named apart ("Chilean towns"): read when no other is
    own_targets: tuple[str, ...] = ()


def trigger_roles(ctx: Context, trigger: Token, kind: str) -> Roles:
    """The roles the lexicon's patterns give a trigger, direct patterns before fallbacks."""
    lex = ctx.lex
    heads: dict[str, list[Token]] = {"initiator": [], "recipient": [], "participant": []}
    fallback: dict[str, list[Token]] = {"initiator": [], "recipient": [], "participant": []}
    witnesses: set[int] = set()
    states_only: set[int] = set()  # phrases read by a pattern that counts only states
    anything: set[int] = set()
    doc = ctx.doc
    for hit in ctx.role_hits.get(trigger.i, []):
        classes = hit.pattern.classes
        if (
            classes
            and kind not in classes
            and not ("$symmetric" in classes and kind in lex.symmetric)
        ) or kind in hit.pattern.except_classes:
            continue
        for role, i in hit.nodes.items():
            if hit.pattern.within_phrase and not _within_phrase(doc[i], trigger):
                continue
            if role == "witness":
                witnesses.add(i)
            elif role in heads:
                (fallback if hit.pattern.fallback else heads)[role].append(doc[i])
                (states_only if hit.pattern.states else anything).add(i)

    def named_by(token: Token) -> list[str]:
        if token.i in witnesses:
            return []
        found = actors_of(ctx, token)
        if token.i in states_only and token.i not in anything:
            return [a for a in found if ctx.index.kind(a) == "State"]
        return found

    for role, tokens in fallback.items():
        named = any(named_by(t) for t in heads[role])
        if not named and not (role == "initiator" and heads["participant"]):
            heads[role] = tokens  # the direct patterns found no actor for this role
    found = {
        role: _unique(a for t in tokens for a in named_by(t)) for role, tokens in heads.items()
    }
    own = next((c for c in trigger.children if c.dep_ in ("nsubj", "csubj")), None)
    subject = own
    passive = any(c.dep_ == "nsubjpass" for c in trigger.children)
    if not found["initiator"] and not found["participant"] and own is None and not passive:
        subject, found["initiator"] = _misparsed_subject(ctx, trigger)
    if not found["initiator"] and not found["participant"] and own is None and not passive:
        subject, found["initiator"] = inherited_subject(ctx, trigger)
    if not found["recipient"] and not found["participant"]:
        found["recipient"] = _shared_object(ctx, trigger, found["initiator"], own is None)
    subject_not_actor = subject is not None and not found["initiator"]
    initiators = found["initiator"]
    recipients = tuple(a for a in found["recipient"] if a not in initiators)
    domestic: tuple[str, ...] = ()
    if not recipients and found["recipient"]:
        # the direct patterns named only the doer itself: a fallback may name another target,
        # else a phrase of its own naming the doer's state is a domestic target ("Chile's
        # unions called on Chilean leaders to ...", "lifted the curfew in all Chilean towns")
        recipients = _unique(
            a for t in fallback["recipient"] for a in named_by(t) if a not in initiators
        )
        if not recipients:
            domestic = _unique(
                a
                for t in (*heads["recipient"], *fallback["recipient"])
                for a in named_by(t)
                if a in initiators and _names_apart(ctx, t, a)
            )
    return Roles(initiators, recipients, found["participant"], subject_not_actor, domestic)


def _names_apart(ctx: Context, phrase: Token, actor: str) -> bool:
    """The phrase names the actor by a word of its own ("Chilean leaders", "Chile's ports"),
    not through a pronoun that refers back to the doer ("an expansion of its force")."""
    return any(
        ctx.index.token_actor.get(t.i) == actor
        for t in phrase.subtree
        if t.tag_ not in ("PRP", "PRP$")
    )


#: the links that open a clause of its own below a phrase (a relative clause, a participle's,
#: a complement): what is named inside it is not what the phrase is
CLAUSE_LINKS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "parataxis"})


def _within_phrase(token: Token, trigger: Token) -> bool:
    """The token hangs from the trigger through phrases only, no clause between ("posts near
    the border of X", not "the deal it had struck with X")."""
    current = token
    for _ in range(12):
        if current.i == trigger.i:
            return True
        if current.dep_ in CLAUSE_LINKS or current.head.i == current.i:
            return False
        current = current.head
    return False


def _misparsed_subject(ctx: Context, trigger: Token) -> tuple[Token | None, tuple[str, ...]]:
    """A named actor just before a verb that has no subject, which the small model attached as
    a modifier ("USAID provided ...", read as an adverb): the verb's subject."""
    if trigger.pos_ != "VERB":
        return None, ()
    for child in trigger.lefts:
        if child.dep_ in ("advmod", "npadvmod", "dep") and child.i in ctx.index.token_actor:
            return child, _unique(actors_of(ctx, child))
    return None, ()


def _shared_object(
    ctx: Context, trigger: Token, initiators: tuple[str, ...], subjectless: bool
) -> tuple[str, ...]:
    """A verb conjoined to another shares its object ("summoned X and lodged a protest"), and
    a first verb with no object of its own takes the one its conjunct has ("rejects and
    condemns X's decision")."""
    verb = trigger if trigger.pos_ == "VERB" else trigger.head
    if verb.pos_ != "VERB":
        return ()
    objects = ("dobj", "dative")
    partner: Token | None
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        if not subjectless:
            return ()
        partner = verb.head
    elif not any(c.dep_ in objects for c in verb.children):
        partner = next(
            (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > verb.i),
            None,
        )
        if partner is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in partner.children):
            return ()  # "X rejected, and Y condemned ...": a clause of its own
    else:
        return ()
    return _unique(
        a
        for c in partner.children
        if c.dep_ in objects
        for a in actors_of(ctx, c)
        if a not in initiators
    )


def inherited_subject(ctx: Context, token: Token) -> tuple[Token | None, tuple[str, ...]]:
    """The doer a subjectless verb or noun inherits along its clause chain, with the phrase it
    came from: the object of a verb of control ("urged Peru to release"), the noun a relative
    clause describes ("Belarus, which had expelled"), or the subject of the nearest clause
    above ("X decided to try to expel", "X is willing to withdraw"), never past a verb of
    saying."""
    lex = ctx.lex
    current = token
    if token.dep_ in ("amod", "compound", "nmod", "poss", "appos", "nummod", "npadvmod"):
        return None, ()  # "the detained sailors": a modifier has no clause to inherit from
    for _ in range(7):
        head = current.head
        if head.i == current.i or current.dep_ in ("ccomp", "csubj", "parataxis"):
            break  # a finite clause has a subject of its own
        if current.dep_ == "xcomp" and head.lemma_ in lex.object_control:
            for child in head.children:
                if child.dep_ == "dobj" and (found := actors_of(ctx, child)):
                    return child, _unique(found)
        if current.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            if current.tag_ == "VBN" and current.dep_ == "acl":
                return None, ()  # "an agent convicted in Miami": the noun is who it was done to
            found = actors_of(ctx, head)
            if found and not any(c.dep_ == "nsubjpass" for c in current.children):
                return head, _unique(found)
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            for child in head.children:
                if child.i == current.i:
                    continue
                if child.dep_ in ("nsubj", "csubj") or (
                    child.dep_ == "nsubjpass" and _stative(ctx, head, current)
                ):
                    return child, _unique(actors_of(ctx, child))
                if child.dep_ == "agent":
                    by = [a for g in child.children for a in actors_of(ctx, g)]
                    return child, _unique(by)
            if head.lemma_ in lex.reporting:
                break
        current = head
    return None, ()


def _stative(ctx: Context, head: Token, below: Token) -> bool:
    """A passive that states its subject's stance or readiness ("is prepared to", "was
    engaged in"): its subject is the doer of what it governs."""
    return head.lemma_ in ctx.lex.stative_passives or below.dep_ in ("xcomp", "prep", "advcl")


def _unique(actors: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(actors))  # type: ignore[call-overload]


#: how deep phrases may refer through each other (a possessive pronoun, an antecedent's own
#: possessor, ...) before the look-up gives up
MAX_DEPTH = 6


def actors_of(ctx: Context, token: Token) -> list[str]:
    """The actors a noun phrase stands for: its named entity, its conjuncts, a demonym or a
    possessor inside it ("North Korean officials", "Chile's government"), or the pair "both
    sides" refers to."""
    if ctx.depth >= MAX_DEPTH:
        return []
    top = ctx.depth == 0  # a nested look-up may stop short at MAX_DEPTH: not kept
    if top and (known := ctx.actors_at.get(token.i)) is not None:
        return list(known)
    ctx.depth += 1
    try:
        found = _actors_of(ctx, token)
    finally:
        ctx.depth -= 1
    if top:
        ctx.actors_at[token.i] = tuple(found)
    return found


def _actors_of(ctx: Context, token: Token) -> list[str]:
    out: list[str] = []
    index = ctx.index
    for head in (token, *conjuncts(token), *stray_conjuncts(token)):
        actor = index.token_actor.get(head.i)
        if actor is not None:
            out.append(_where_they_live(ctx, head) or actor)
            continue
        if head.tag_ in ("PRP", "PRP$"):
            out.extend(_antecedent(ctx, head))
            continue
        if head.tag_ in ("WDT", "WP") and _dated_relative_clause(head.head, head):
            out.extend(actors_of(ctx, head.head.head))  # "Peru, which rejected ... in May"
            continue
        persons = _titled_persons(ctx, head)
        if persons:
            out.extend(persons)
            continue
        inner = [a for c in _modifiers(head) if (a := _named_by(ctx, c)) is not None]
        inner += [a for c in head.children if c.dep_ == "poss" for a in actors_of(ctx, c)]
        inner += [  # "the foreign ministers of France", "rebels in the Ivory Coast"
            a
            for c in head.children
            if c.dep_ == "prep" and _belongs_by(ctx, c, head)
            for g in c.children
            if g.dep_ == "pobj"
            for a in _home(ctx, g)
        ]
        inner += [  # "rebels loyal to X", "militias allied with Y"
            a
            for c in head.children
            if c.dep_ == "amod" and c.lower_ in ctx.lex.allegiance
            for p in c.children
            if p.dep_ == "prep"
            for g in p.children
            if g.dep_ == "pobj"
            for a in actors_of(ctx, g)
        ]
        if not inner and head.pos_ == "NOUN":
            inner += _doers_named_by(ctx, head)  # "a bombing by X", "missiles fired by Y"
        holder = _described_person(ctx, head, inner)
        named = [a for c in head.children if c.dep_ == "appos" for a in actors_of(ctx, c)]
        if holder is not None:
            out.append(holder)  # "the Peruvian president" is the president named before
        elif named and head.pos_ in ("NOUN", "PROPN"):
            out.extend(dict.fromkeys(named))  # "his rival, Ana Roe", "the presidents, A and B"
        elif inner:
            out.extend(dict.fromkeys(inner))
        elif (described := _described_state(ctx, head)) is not None:
            out.append(described)  # "accusing the emirate of": the state named just before
        elif _is_pair(ctx, head):
            out.extend(ctx.pairs.get(sentence_of(ctx.doc, head.i).start, ()))
        elif (group := _counted_group(ctx, head)) is not None:
            out.extend(group)  # "the four governments": the four states named together before
        elif (bloc := _bloc(ctx, head)) is not None:
            out.extend(bloc)  # "the bloc": the states named together, or the body, told last
    return out


def _doers_named_by(ctx: Context, head: Token) -> list[str]:
    """The agent a noun names of itself: what a thing does is done by whoever made or sent
    it ("a car bombing by X killed ...", "the missiles fired by Y struck ...")."""
    agents = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"]
    agents += [
        g
        for c in head.children
        if c.dep_ == "acl" and c.tag_ == "VBN"
        for g in c.children
        if g.dep_ == "agent"
    ]
    return [a for by in agents for g in by.children if g.dep_ == "pobj" for a in actors_of(ctx, g)]


def _named_by(ctx: Context, token: Token) -> str | None:
    """The actor a modifier names: its entity, or the state of a capital ("the Lima government")."""
    return ctx.index.token_actor.get(token.i) or ctx.index.capital_state(token)


def speakers_of(ctx: Context, token: Token) -> list[str]:
    """Who says the clause a trigger is in: the subject of the reporting verb it hangs from
    (reporters and unnamed sources are no speakers)."""
    current = token
    lex = ctx.lex
    for _ in range(4):
        if current.head.i == current.i or current.dep_ not in ("ccomp", "xcomp", "conj", "advcl"):
            return []
        current = current.head
        if current.lemma_ in lex.reporting:
            return [
                a
                for c in current.children
                if c.dep_ == "nsubj" and c.lemma_.lower() not in lex.media
                for a in actors_of(ctx, c)
            ]
    return []


def reporting_subject(ctx: Context, token: Token) -> Token | None:
    """The subject of the reporting verb a clause hangs from ("critics said X would ..."), if any."""
    current = token
    for _ in range(5):
        if current.head.i == current.i:
            return None
        if current.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "dobj", "pobj", "prep"):
            return None
        current = current.head
        if current.lemma_ in ctx.lex.reporting:
            return next((c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None


def _antecedent(ctx: Context, pronoun: Token) -> list[str]:
    """Who a pronoun stands for: in reported speech the speaker ("Chile says it is willing",
    "Roe said he would ..."), else the nearest earlier actor of the right kind in the sentence or
    the one before ("he" a person; "it" and "they" a state or an organisation)."""
    lex = ctx.lex
    word = pronoun.lower_
    if word not in lex.person_pronouns | lex.group_pronouns:
        return []
    wanted = ("Person",) if word in lex.person_pronouns else ("State", "Organization")
    current = pronoun
    for _ in range(6):
        if current.head.i == current.i:
            break
        current = current.head
        if current.lemma_ in lex.reporting:
            for child in current.children:
                if child.dep_ == "nsubj" and child.i != pronoun.i:
                    if word in ("it", "its") and child.tag_ in ("NNS", "NNPS"):
                        break  # "officials warned that its gunmen ...": not the officials'
                    found = [a for a in actors_of(ctx, child) if ctx.index.kind(a) in wanted]
                    if found:
                        return found
                    if word in lex.group_pronouns and child.tag_ not in ("PRP", "PRP$"):
                        found = actors_of(ctx, child)  # "Chilean leaders said they ..."
                        if found:
                            return found
            break
    sent = sentence_of(ctx.doc, pronoun.i)
    singular = word in ("it", "its")
    if pronoun.dep_ == "poss":
        # "X agreed to answer their demands": a possessive in a clause mostly means its subject
        phrase, subject = inherited_subject(ctx, pronoun.head)
        found = [a for a in subject if ctx.index.kind(a) in wanted]
        if found and not (singular and phrase is not None and phrase.tag_ in ("NNS", "NNPS")):
            return found
    if pronoun.dep_ in ("nsubj", "nsubjpass") and sent.start > 0:
        # a subject pronoun continues the previous sentence's subject ("X met Y. He said ...")
        previous = sentence_of(ctx.doc, sent.start - 1)
        for child in previous.root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ not in ("PRP", "PRP$"):
                found = [a for a in actors_of(ctx, child) if ctx.index.kind(a) in wanted]
                plural = word in ("they", "them", "their")
                if (len(found) == 1 or (plural and found)) and not _named_before_in(
                    ctx, sent, pronoun, wanted
                ):
                    return found
    candidates = [
        (span.start, actor)
        for span, actor in ctx.sentence_actor_spans(sent)
        if span.start < pronoun.i
        and ctx.index.kind(actor) in wanted
        # "Israeli officials warned that its ...": "its" is no plural noun's modifier
        and not (
            singular
            and span.root.dep_ in ("amod", "compound")
            and span.root.head.tag_ in ("NNS", "NNPS")
        )
    ]
    if not candidates and sent.start > 0:
        previous = sentence_of(ctx.doc, sent.start - 1)
        candidates = [
            (span.start, actor)
            for span, actor in ctx.sentence_actor_spans(previous)
            if ctx.index.kind(actor) in wanted
        ]
    return [max(candidates)[1]] if candidates else []


def _named_before_in(ctx: Context, sent: object, pronoun: Token, wanted: tuple[str, ...]) -> bool:
    """An actor of the pronoun's kind is named earlier in its own sentence."""
    return any(
        span.start < pronoun.i and ctx.index.kind(actor) in wanted
        for span, actor in ctx.sentence_actor_spans(sentence_of(ctx.doc, pronoun.i))
    )


def _where_they_live(ctx: Context, head: Token) -> str | None:
    """A people named by demonym where the text says where they live ("Turks in Germany"):
    event data codes them under that state."""
    if head.tag_ != "NNPS" or head.ent_type_ != "NORP":
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
            for pobj in prep.children:
                found = [a for a in actors_of(ctx, pobj) if ctx.index.kind(a) == "State"]
                if found:
                    return found[0]
    return None


def _modifiers(head: Token) -> list[Token]:
    """The words that say whose a noun is: "Chilean [navy] officers", "French and Egyptian
    warships", "Peru's government", "the Chile-led coalition"."""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod"):
            found.append(child)
            found.extend(conjuncts(child))
            if child.dep_ == "compound" or child.lemma_ in ("lead", "back", "sponsor"):
                found.extend(
                    g for g in child.children if g.dep_ in ("amod", "compound", "npadvmod")
                )
    return found


def _belongs_by(ctx: Context, prep: Token, head: Token) -> bool:
    """ "ministers of France", "activists from Fatah"; "in/throughout" only for a state's bodies
    and groups of people ("rebels in the north of Chad", "students throughout Peru")."""
    if head.pos_ in ("PRON", "DET", "NUM") and prep.lower_ == "of":
        return True  # "some of the UN observers", "most of them"
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    if prep.lower_ in ("of", "from"):
        return True
    groups = ctx.lex.institutions | ctx.lex.people_groups
    return prep.lower_ in ("in", "throughout", "across") and (
        head.lemma_.lower() in groups or head.lower_ in groups or head.ent_type_ == "NORP"
    )


def _home(ctx: Context, token: Token) -> list[str]:
    """The actors a place phrase names: a state, or the state of a capital ("in Lima")."""
    found = actors_of(ctx, token)
    if found:
        return found
    state = ctx.index.capital_state(token)
    return [state] if state else []


def _described_person(ctx: Context, head: Token, states: list[str]) -> str | None:
    """The person a definite description names: "the Peruvian president" is whoever the text
    has shown holding the post of President in Peru."""
    if head.pos_ != "NOUN" or head.tag_ != "NN":
        return None
    forms = ctx.lex.title_forms
    words = [
        c.lower_ for c in head.children if c.dep_ == "compound" and c.i not in ctx.index.token_actor
    ]
    title = forms.get(" ".join([*words, head.lower_])) or forms.get(head.lower_)
    if title is None:
        return None
    wanted = {title.lower(), *(f for f, t in forms.items() if t == title)}
    holders = {p.holder for p in ctx.posts if p.title.lower() in wanted and p.in_actor in states}
    return holders.pop() if len(holders) == 1 else None


def _titled_persons(ctx: Context, head: Token) -> list[str]:
    """The person a title phrase names ("the Chilean Ambassador to the United Nations Ana
    Roe"), or the persons a plural one lists ("the foreign ministers of A and B, X and Y")."""
    if head.i not in ctx.title_tokens:
        return []
    found: list[str] = []
    for t in head.subtree:
        actor = ctx.index.token_actor.get(t.i)
        if actor is not None and ctx.index.kind(actor) == "Person" and actor not in found:
            found.append(actor)
            if head.tag_ not in ("NNS", "NNPS"):
                break
    return found


def conjuncts(token: Token) -> list[Token]:
    """The other members of a coordination ("A, B and C"), including a list the parser took
    for an apposition (one named state is never another's apposition)."""
    found: list[Token] = []
    for child in token.children:
        listed = (
            child.dep_ == "appos"
            and child.ent_type_ in ("GPE", "NORP")
            and token.ent_type_
            in (
                "GPE",
                "NORP",
            )
        )
        if child.dep_ == "conj" or listed:
            found.append(child)
            found.extend(conjuncts(child))
        elif child.dep_ == "appos" and token.ent_type_ == "PERSON":
            # "signed by A, adviser to C, and B, a spokesman": the list goes on past an apposition
            found.extend(t for t in _appos_conjuncts(child) if t.ent_type_ == "PERSON")
    return found


def _dated_relative_clause(verb: Token, pronoun: Token) -> bool:
    """A relative clause that tells a dated event of its noun ("Peru, which walked out in
    May"); an undated one describes it ("Syria, which is still at war with Israel")."""
    return (
        verb.dep_ == "relcl"
        and pronoun.i < verb.i
        and any(t.ent_type_ == "DATE" for t in verb.subtree)
    )


def stray_conjuncts(token: Token) -> list[Token]:
    """Names the small model hangs on the verb instead of the list they end ("signed by A,
    adviser to C, and B, a spokesman": B as a conjunct of "signed")."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        verb = token.head
    elif token.dep_ == "pobj" and token.head.dep_ == "agent":
        verb = token.head.head
    else:
        return []
    return [
        c
        for c in verb.children
        if c.dep_ == "conj"
        and c.i > token.i
        and c.pos_ == "PROPN"
        and c.ent_type_ in ("PERSON", "GPE", "ORG", "NORP")
        and not any(g.dep_ in ("nsubj", "nsubjpass", "dobj", "aux", "auxpass") for g in c.children)
    ]


def _appos_conjuncts(appos: Token) -> list[Token]:
    out: list[Token] = []
    for t in appos.subtree:
        if t.dep_ == "conj" and t.head.i in {a.i for a in appos.subtree} and t.ent_type_:
            out.append(t)
    return out


NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _counted_group(ctx: Context, token: Token) -> tuple[str, ...] | None:
    """ "the four governments", "all three countries": the last N states named together."""
    if token.lemma_.lower() not in ctx.lex.pair_nouns or token.tag_ not in ("NNS", "NNPS"):
        return None
    for child in token.children:
        n = NUMBERS.get(child.lower_) or (int(child.text) if child.text.isdigit() else 0)
        if child.dep_ == "nummod" and n >= 3:
            return ctx.group_before(token.i, n)
    return None


def _bloc(ctx: Context, token: Token) -> tuple[str, ...] | None:
    """ "the bloc", "the alliance": the last group of three or more states named together, or
    the last international organisation named, whichever the text told later."""
    if token.lemma_.lower() not in ctx.lex.bloc_nouns or token.tag_ not in ("NN", "NNP"):
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    best: tuple[int, tuple[str, ...]] | None = None
    for start, states in ctx.state_lists:
        if start >= token.i:
            break
        if len(states) >= 3:
            best = (start, states)
    index = ctx.index
    for span, actor in index.spans:
        if span.start >= token.i:
            break
        international = index.kind(actor) == "Organization" and index.based_in(actor) is None
        if international and (best is None or span.start > best[0]):
            best = (span.start, (actor,))
    return best[1] if best else None


def _described_state(ctx: Context, head: Token) -> str | None:
    """ "the emirate", "the kingdom": the state named last before, outside the clause's subject."""
    if head.lemma_.lower() not in ctx.lex.state_descriptions or head.tag_ != "NN":
        return None
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) or any(
        c.dep_ in ("amod", "compound", "poss") for c in head.children
    ):
        return None
    verb = head
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    sent = sentence_of(ctx.doc, head.i)
    # the story's topic first: the one state the sentence's main clause is about ("Bangladesh
    # said ..., the first time the country has ..."), if the description is not in that clause
    topic = [
        a
        for c in sent.root.children
        if c.dep_ in ("nsubj", "nsubjpass") and head.i not in {t.i for t in c.subtree}
        for a in actors_of(ctx, c)
        if ctx.index.kind(a) == "State"
    ]
    if len(topic) == 1 and verb.i != sent.root.i:
        return topic[0]
    spans = list(ctx.sentence_actor_spans(sent))
    if sent.start > 0:
        spans = list(ctx.sentence_actor_spans(sentence_of(ctx.doc, sent.start - 1))) + spans
    for span, actor in reversed(spans):
        if span.start < head.i and span.start not in subject and ctx.index.kind(actor) == "State":
            return actor
    return None


def _is_pair(ctx: Context, token: Token) -> bool:
    """ "the two sides", "both countries", "the two governments"."""
    if token.lemma_.lower() not in ctx.lex.pair_nouns or token.tag_ not in ("NNS", "NNPS"):
        return False
    return any(c.lower_ in ("two", "both") for c in token.children)
