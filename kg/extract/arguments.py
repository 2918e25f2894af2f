"""Who does what to whom: the actors of a trigger's subject, objects and noun phrases."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from kg.extract.actors import sentence_mention
from kg.extract.components import TITLES_KEY, TRIGGERS_KEY, load_lexicon
from kg.extract.context import Context, lexicon

OBJECT_PREPS = ("with", "to", "against", "on", "from", "toward", "towards", "for", "at", "into")


def verb_arguments(ctx: Context, verb: Token) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(initiators, recipients) of a verb: its subject (or the subject it inherits from the
    clause it depends on) and its objects; passive subjects are recipients, "by" agents initiators."""
    subjects: list[str] = []
    objects: list[str] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            subjects += actors_of(ctx, child)
        elif child.dep_ == "nsubjpass" and verb.lemma_ in lexicon().stative_passives:
            subjects += actors_of(ctx, child)  # "Israel is opposed to", "forces were engaged in"
        elif child.dep_ == "nsubjpass":
            objects += actors_of(ctx, child)
        elif child.dep_ == "agent":
            subjects += [a for g in child.children for a in actors_of(ctx, g)]
        elif child.dep_ in ("dobj", "dative", "attr"):
            objects += actors_of(ctx, child)
            objects += [  # "threatened action against Russia", "sanctions on Iran"
                a
                for p in child.children
                if p.dep_ == "prep" and p.lower_ in ("against", "on")
                for g in p.children
                if g.dep_ == "pobj"
                for a in actors_of(ctx, g)
            ]
            light = verb.lemma_ in lexicon().light_verbs
            if light or _symmetric_trigger(verb):
                # "held talks with Egyptian officials", "shared evidence with the US": the parser
                # hangs the partner on the noun
                preps = ("with", "between", "to", "against") if light else ("with",)
                objects += [
                    a
                    for p in child.children
                    if p.dep_ == "prep" and p.lower_ in preps
                    for g in p.children
                    if g.dep_ == "pobj"
                    for a in actors_of(ctx, g)
                ]
        elif child.dep_ == "prep" and child.lower_ in (*OBJECT_PREPS, "between", "of"):
            objects += [a for g in child.children if g.dep_ == "pobj" for a in actors_of(ctx, g)]
        elif child.dep_ == "prt":
            pass
    if not subjects:
        subjects = inherited_subject(ctx, verb)
    if not objects:  # "threatened to strike the United States", "urged Iran to stop"
        for child in verb.children:
            if child.dep_ in ("xcomp", "ccomp") and child.pos_ == "VERB":
                objects += _targets(ctx, child)
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(objects))


PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
IMPERSONAL = frozenset({"it", "its", "they", "them", "their", "theirs"})


def _antecedent(ctx: Context, pronoun: Token) -> list[str]:
    """Who a pronoun stands for: in reported speech the speaker ("Syria says it is willing",
    "Kim said he would ..."), else the nearest earlier actor of the right kind in the sentence or
    the one before ("he" a person; "it" and "they" a state or an organisation)."""
    word = pronoun.lower_
    if word not in PERSONAL | IMPERSONAL:
        return []
    wanted = ("Person",) if word in PERSONAL else ("State", "Organization")
    current = pronoun
    for _ in range(6):
        if current.head.i == current.i:
            break
        current = current.head
        if current.lemma_ in lexicon().reporting:
            for child in current.children:
                if child.dep_ == "nsubj" and child.i != pronoun.i:
                    found = [a for a in actors_of(ctx, child) if ctx.index.kind(a) in wanted]
                    if found:
                        return found
                    if word in IMPERSONAL and child.tag_ not in ("PRP", "PRP$"):
                        found = actors_of(ctx, child)  # "Palestinian leaders said they ..."
                        if found:
                            return found
            break
    previous = pronoun.sent.start
    if previous > 0:
        previous = pronoun.doc[previous - 1].sent.start
    candidates = [
        (span.start, actor)
        for span, actor in ctx.index.spans
        if previous <= span.start < pronoun.i and ctx.index.kind(actor) in wanted
    ]
    return [max(candidates)[1]] if candidates else []


def speakers_of(ctx: Context, token: Token) -> list[str]:
    """Who says the clause a trigger is in: the subject of the reporting verb it hangs from."""
    current = token
    for _ in range(4):
        if current.head.i == current.i or current.dep_ not in ("ccomp", "xcomp", "conj", "advcl"):
            return []
        current = current.head
        if current.lemma_ in lexicon().reporting:
            return [
                a
                for c in current.children
                if c.dep_ == "nsubj" and c.lemma_.lower() not in MEDIA
                for a in actors_of(ctx, c)
            ]
    return []


#: reporters: "..., the official IRNA news agency said" gives a source, not a speaker
MEDIA = frozenset(
    {
        "agency",
        "newspaper",
        "daily",
        "paper",
        "television",
        "radio",
        "report",
        "media",
        "source",
        "witness",
    }
)


def _targets(ctx: Context, verb: Token) -> list[str]:
    """Whom an action is aimed at: its object, or a "to/against/on" phrase of the verb or of
    its object ("cut off electricity to Azerbaijan")."""
    found: list[str] = []
    for g in verb.children:
        if g.dep_ in ("dobj", "nsubj", "dative"):
            found += actors_of(ctx, g)
    heads = [verb, *(g for g in verb.children if g.dep_ == "dobj")]
    for head in heads:
        for p in head.children:
            if p.dep_ == "prep" and p.lower_ in (
                "to",
                "against",
                "on",
                "with",
                "toward",
                "towards",
            ):
                found += [a for g in p.children if g.dep_ == "pobj" for a in actors_of(ctx, g)]
    return found


def inherited_subject(ctx: Context, token: Token) -> list[str]:
    """The subject of the clause a subjectless verb or noun hangs from ("X decided to suspend",
    "X made the decision to suspend", "X came out with an agreement and agreed")."""
    current = token
    if token.dep_ == "xcomp" and token.head.lemma_ in lexicon().object_control:
        # "urged Beijing to lift": the one urged does the lifting
        for child in token.head.children:
            if child.dep_ == "dobj" and (found := actors_of(ctx, child)):
                return found
    for _ in range(6):
        if current.dep_ in ("ROOT",) or current.head.i == current.i:
            break
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            for child in current.children:
                if child.dep_ in ("nsubj", "csubj"):
                    found = actors_of(ctx, child)
                    if found:
                        return found
                if child.dep_ == "agent":
                    return [a for g in child.children for a in actors_of(ctx, g)]
            if current.lemma_ in lexicon().reporting:
                break
    return []


def actors_of(ctx: Context, token: Token) -> list[str]:
    """The actors a noun phrase stands for: its named entity, its conjuncts, a demonym or a
    possessor inside it ("North Korean officials", "South Korea's government"), or the pair
    "both sides" refers to."""
    out: list[str] = []
    for head in (token, *conjuncts(token)):
        actor = ctx.index.token_actor.get(head.i)
        if actor is not None:
            out.append(_where_they_live(ctx, head) or actor)
            continue
        if head.tag_ in ("PRP", "PRP$"):
            out.extend(_antecedent(ctx, head))
            continue
        person = _titled_person(ctx, head)
        if person is not None:
            out.append(person)
            continue
        inner = [
            a
            for c in _modifiers(head)
            for a in (
                [ctx.index.token_actor[c.i]]
                if c.i in ctx.index.token_actor
                else _capital_state(ctx, c)
            )
        ]
        inner += [
            ctx.index.token_actor[g.i]
            for c in head.children
            if c.dep_ == "poss"
            for g in c.subtree
            if g.i in ctx.index.token_actor
        ]
        inner += [  # "the foreign ministers of France", "rebels in the Ivory Coast"
            a
            for c in head.children
            if c.dep_ == "prep" and _belongs_by(c, head)
            for g in c.children
            if g.dep_ == "pobj"
            for a in _home(ctx, g)
        ]
        holder = _described_person(ctx, head, inner)
        if holder is not None:
            out.append(holder)  # "the North Korean leader" is the leader named before
        elif inner:
            out.extend(dict.fromkeys(inner))
        elif _is_group(head):
            out.extend(_pair(ctx, head))
    return out


def listed_names(ctx: Context, head: Token) -> list[str]:
    """People a plural noun lists after a comma ("three journalists, A, B and C")."""
    if head.tag_ not in ("NNS", "NNPS"):
        return []
    doc = ctx.doc
    i = max(t.i for t in head.subtree) + 1
    if i >= len(doc) or doc[i].text != ",":
        return []
    found: list[str] = []
    i += 1
    while i < len(doc) and i < head.sent.end:
        actor = ctx.index.token_actor.get(i)
        if actor is not None and ctx.index.kind(actor) == "Person":
            if actor not in found:
                found.append(actor)
        elif doc[i].text not in (",", "and") or not found:
            break
        i += 1
    return found if len(found) >= 2 else []


def located_state(ctx: Context, head: Token) -> list[str]:
    """A state named in a locative phrase under a noun ("who remain in a North Korea prison")."""
    for token in head.subtree:
        if token.dep_ == "prep" and token.lower_ in ("in", "at", "inside"):
            for t in token.subtree:
                actor = ctx.index.token_actor.get(t.i)
                if actor is not None and ctx.index.kind(actor) == "State":
                    return [actor]
    return []


def _symmetric_trigger(verb: Token) -> bool:
    """A verb of a two-sided class ("shared evidence with the US", "signed a pact with Iran")."""
    return any(
        span.root.i == verb.i and span.label_ in lexicon().symmetric
        for span in verb.doc.spans[TRIGGERS_KEY]
    )


def _where_they_live(ctx: Context, head: Token) -> str | None:
    """A people named by demonym where the text says where they live ("the Albanians of
    southern Serbia", "Turks in Germany"): event data codes them under that state."""
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
    """The words that say whose a noun is: "Israeli [intelligence] officials", "French and
    Egyptian warships", "South Korea's government"."""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod"):
            found.append(child)
            found.extend(conjuncts(child))
            if child.dep_ == "compound":
                found.extend(g for g in child.children if g.dep_ in ("amod", "compound"))
    return found


def _belongs_by(prep: Token, head: Token) -> bool:
    """ "ministers of France", "activists from Fatah"; "in/throughout" only for a state's bodies
    and groups of people ("rebels in the Ivory Coast", "students throughout Indonesia")."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    if prep.lower_ in ("of", "from"):
        return True
    groups = lexicon().institutions | lexicon().people_groups
    return prep.lower_ in ("in", "throughout", "across") and (
        head.lemma_.lower() in groups or head.lower_ in groups or head.ent_type_ == "NORP"
    )


def _home(ctx: Context, token: Token) -> list[str]:
    """The actors a place phrase names: a state, or the state of a capital ("in Baghdad")."""
    return actors_of(ctx, token) or _capital_state(ctx, token)


def _capital_state(ctx: Context, token: Token) -> list[str]:
    """The state of a capital named as a place ("in Baghdad", "the Khartoum government")."""
    place = ctx.index.token_place.get(token.i)
    if place in ctx.index.place_states:
        iso3, label = ctx.index.place_states[place]
        return [ctx.index.add_implied(iso3, "State", label, iso3, sentence_mention(token.sent))]
    return []


@cache
def _title_forms() -> dict[str, str]:
    """Lower-case title form → canonical title ("leader" → "Leader")."""
    out: dict[str, str] = {}
    for entry in load_lexicon("titles.json")["titles"]:
        for form in [entry["title"], *entry.get("forms", [])]:
            out[form.lower()] = entry["title"]
    return out


def _described_person(ctx: Context, head: Token, states: list[str]) -> str | None:
    """The person a definite description names: "the North Korean leader" is whoever the text
    has shown holding the post of Leader in North Korea."""
    if head.pos_ != "NOUN" or head.tag_ != "NN":
        return None
    words = [
        c.lower_ for c in head.children if c.dep_ == "compound" and c.i not in ctx.index.token_actor
    ]
    title = _title_forms().get(" ".join([*words, head.lower_])) or _title_forms().get(head.lower_)
    if title is None:
        return None
    holders = {p.holder for p in ctx.posts if p.title == title and p.in_actor in states}
    return holders.pop() if len(holders) == 1 else None


def _titled_person(ctx: Context, head: Token) -> str | None:
    """The person a title phrase names ("the U.S Ambassador to the United Nations Nikki Haley")."""
    if not any(t.start <= head.i < t.end for t in ctx.doc.spans[TITLES_KEY]):
        return None
    for t in head.subtree:
        actor = ctx.index.token_actor.get(t.i)
        if actor is not None and ctx.index.kind(actor) == "Person":
            return actor
    return None


def conjuncts(token: Token) -> list[Token]:
    found: list[Token] = []
    for child in token.children:
        if child.dep_ == "conj":
            found.append(child)
            found.extend(conjuncts(child))
    return found


def _is_group(token: Token) -> bool:
    """ "the two sides", "both countries", "the two Koreas"."""
    if token.lemma_.lower() not in lexicon().group_nouns or token.tag_ not in ("NNS", "NNPS"):
        return False
    return any(c.lower_ in ("two", "both") for c in token.children) or token.lower_ == "koreas"


def _pair(ctx: Context, token: Token) -> list[str]:
    """The two parties of a bilateral story: named in the same sentence (leaders count for
    their states), else the last pair resolved, else the two states the document names most."""
    sent = token.sent
    parties: list[str] = []
    for span, actor in ctx.index.spans:
        if sent.start <= span.start < sent.end:
            state = ctx.state_of(actor) if ctx.index.kind(actor) == "Person" else actor
            if state and state not in parties:
                parties.append(state)
    if len(parties) == 2:
        ctx.pair = tuple(parties)
    elif not ctx.pair and (joined := _last_conjoined_pair(ctx, sent.start)):
        ctx.pair = joined
    elif not ctx.pair:
        counts: dict[str, int] = {}
        for span, actor in ctx.index.spans:
            if span.start < sent.start and ctx.index.kind(actor) == "State":
                counts[actor] = counts.get(actor, 0) + 1
        top = sorted(counts, key=lambda a: -counts[a])[:2]
        if len(top) == 2:
            ctx.pair = tuple(top)
    return list(ctx.pair)


def _last_conjoined_pair(ctx: Context, before: int) -> tuple[str, str] | None:
    """The last two states named together ("North Korea and South Korea's dialogues")."""
    found: tuple[str, str] | None = None
    for span, actor in ctx.index.spans:
        if span.start >= before or ctx.index.kind(actor) != "State":
            continue
        for conj in conjuncts(span.root):
            other = ctx.index.token_actor.get(conj.i)
            if other and other != actor and ctx.index.kind(other) == "State":
                found = (actor, other)
    return found


def noun_arguments(ctx: Context, noun: Token, governor: Token) -> tuple[tuple[str, ...], tuple[str, ...]]:  # fmt: skip
    """Arguments of a nominal event: its possessor and "between/with/to/of" phrases, then the
    governing verb's subject."""
    subjects: list[str] = []
    objects: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in ("compound", "amod") and child.i in ctx.index.token_actor
        ):
            subjects += actors_of(ctx, child)
        elif child.dep_ == "prep" and child.lower_ in (*OBJECT_PREPS, "between", "of", "by"):
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                target = subjects if child.lower_ == "by" else objects
                target += actors_of(ctx, pobj)
    if governor.i != noun.i:
        gov_subjects, gov_objects = verb_arguments(ctx, governor)
        subjects = list(gov_subjects) + subjects
        objects += [a for a in gov_objects if a not in objects]
    elif not subjects:
        subjects = inherited_subject(ctx, noun)
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(objects))
