"""The reviewed lexicon files in `kg/extract/lexicon/`, read once into one typed `Lexicon`.

Trigger words, dependency patterns, modality cues, titles, organisations, place words and the
office holders' dictionary are data that people review; the code receives them as a `Lexicon`
(the spaCy components hold it, the extractor gets it from the pipeline) and never opens a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).parent / "lexicon"
_FOLD = re.compile(r"[\s.\-'’]+")


@lru_cache(maxsize=65536)  # the same names are folded again and again: bounded, memory stays flat
def fold(name: str) -> str:
    """Case, dot, hyphen, apostrophe and whitespace folding for name look-ups ("U.S" → "us")."""
    return _FOLD.sub("", name.lower().removeprefix("the "))


@dataclass(frozen=True)
class EventClass:
    """Trigger words of one ontology class; `symmetric` classes make every actor a participant."""

    name: str
    symmetric: bool
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]


@dataclass(frozen=True)
class Reclass:
    """The object decides the class: "struck the city" is an Assault, "suspended aid" a Sanction."""

    to: str | None  # None drops the event ("sent a message" is no aid)
    classes: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    lemmas: frozenset[str] = frozenset()  # a verb that changes class whenever it has an object
    unless: str = ""  # for `lemmas`: keep the class only if the verb has a child of this dependency
    modifiers: frozenset[str] = frozenset()  # words modifying a noun trigger ("air strike")
    naming: bool = False  # for `lemmas`: the verb names its object ("which X calls Y")
    bare: bool = (
        False  # for `objects`: only a complement's verb or a bare noun ("declined comment")
    )


@dataclass(frozen=True)
class Title:
    title: str
    forms: tuple[str, ...]
    implies: str | None  # the state a bare title stands for ("Secretary of State" → USA)


@dataclass(frozen=True)
class Office:
    """A post an office holder held from one day to another (`until` None: still held)."""

    title: str
    of: str  # ISO 3166 alpha-3 code of a state, or an organisation's canonical label
    since: dt.date
    until: dt.date | None

    def held_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Pattern:
    """A dependency pattern (spaCy DependencyMatcher) with what its named nodes mean."""

    id: str
    pattern: tuple[dict[str, Any], ...]
    classes: frozenset[str]  # event classes it applies to (empty: all)
    fallback: bool  # used only for roles still empty after the direct patterns
    value: str  # a modality for modality patterns, "" for role patterns
    examples: tuple[dict[str, Any], ...]
    except_classes: frozenset[str] = frozenset()  # event classes it never applies to
    states: bool = False  # its phrases count only for the states they name
    within_phrase: bool = False  # its role nodes must not sit in a clause below the trigger


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor reads with, from the reviewed files."""

    classes: tuple[EventClass, ...]
    light_verbs: frozenset[str]
    particles: frozenset[str]
    reclass: tuple[Reclass, ...]
    agreement_words: frozenset[str]
    cooperative: frozenset[str]
    hostile: frozenset[str]
    said: frozenset[str]
    statements: frozenset[str]
    need_speaker: frozenset[str]
    offer_heads: frozenset[str]
    located_targets: frozenset[str]
    reciprocal: frozenset[str]
    shared_pacts: frozenset[str]  # what several doers break against each other ("the truce")
    mutual_relations: frozenset[str]  # what several doers build with each other ("ties")
    dividing_lines: frozenset[str]  # "fired across the border": at each other
    mediation: frozenset[str]  # a go-between's words: its parties are those of the dispute
    help_verbs: frozenset[str]  # "aid to help A recover": A is the recipient
    receiving_verbs: frozenset[str]  # "supplied the arms A bought": A is the recipient
    helped_classes: frozenset[str]  # the classes whose recipient a help clause may give
    press_verbs: frozenset[str]  # "sanctions to force A to talk": A is the target
    pressed_classes: frozenset[str]
    #: "claimed responsibility for", "was responsible for": a deed its subject did
    responsibility: tuple[frozenset[str], frozenset[str], frozenset[str]]
    governing: frozenset[str]
    verb_object: tuple[tuple[str, frozenset[str], frozenset[str]], ...]  # (class, verbs, objects)
    #: (class, verbs, prepositions): "pushed Congress for reforms"
    verb_preposition: tuple[tuple[str, frozenset[str], frozenset[str]], ...]
    patient_possessors: frozenset[str]
    measure_nouns: frozenset[str]
    occurrence_verbs: frozenset[str]
    time_limits: frozenset[str]
    response_verbs: frozenset[str]
    # modality
    negating_heads: frozenset[str]
    cancelling_verbs: frozenset[str]
    refusal_heads: frozenset[str]
    potential_nouns: frozenset[str]
    terms_nouns: frozenset[str]
    hypothetical: frozenset[str]
    future_modals: frozenset[str]
    future_heads: frozenset[str]
    schedule_heads: frozenset[str]
    content_heads: frozenset[str]
    question_marks: frozenset[str]
    question_heads: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_adjectives: frozenset[str]
    conditional_marks: frozenset[str]
    hearsay_nouns: frozenset[str]
    obligation: frozenset[str]
    # speech
    reporting: frozenset[str]
    object_control: frozenset[str]
    demand_nouns: frozenset[str]
    stative_passives: frozenset[str]
    media: frozenset[str]
    unnamed_sources: frozenset[str]
    # actors and places
    hazard_words: frozenset[str]  # "Typhoon X", "Tropical Storm Y": a name of no actor
    diseases: frozenset[str]
    titles: tuple[Title, ...]
    organizations: dict[str, str]  # folded name → canonical label
    based_in: dict[str, str]  # folded group name → ISO code of its state
    organization_forms: tuple[str, ...]
    based_in_forms: tuple[str, ...]
    pair_nouns: frozenset[str]
    bloc_nouns: frozenset[str]
    institutions: frozenset[str]
    people_groups: frozenset[str]
    organization_words: frozenset[str]
    allegiance: frozenset[str]
    state_descriptions: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    place_nouns: frozenset[str]
    locative_preps: frozenset[str]
    movement_verbs: frozenset[str]
    venue_nouns: frozenset[str]
    from_verbs: frozenset[str]
    offices: dict[str, tuple[Office, ...]]  # folded full name → the posts its holder held
    office_names: dict[str, str]  # folded full name or alias → canonical name
    surnames: dict[str, tuple[str, ...]]  # folded surname → canonical names of office holders
    # document structure
    boilerplate: tuple[re.Pattern[str], ...]
    byline: re.Pattern[str]
    biography: re.Pattern[str]
    dateline: re.Pattern[str]
    # dependency patterns
    role_patterns: tuple[Pattern, ...]
    modality_patterns: tuple[Pattern, ...]
    verb_words: frozenset[str] = frozenset()  # every verb the lexicon names (filled by the loader)

    # read for every event and phrase: worked out once (a cached value is no field: it takes
    # no part in comparisons, and `replace` makes a lexicon that works it out anew)
    @cached_property
    def symmetric(self) -> frozenset[str]:
        return frozenset(c.name for c in self.classes if c.symmetric)

    @cached_property
    def title_forms(self) -> dict[str, str]:
        """Lower-case title form → canonical title ("premier" → "Prime Minister")."""
        return _title_forms(self.titles)

    def implied_state(self, title: str) -> str | None:
        return next((t.implies for t in self.titles if t.title == title), None)

    @property
    def organization_names(self) -> tuple[str, ...]:
        """Every name and alias of the organisations the lexicon knows, as written."""
        return self.organization_forms

    @property
    def group_names(self) -> tuple[str, ...]:
        return self.based_in_forms

    def organization(self, name: str) -> str | None:
        """The canonical label of an organisation the lexicon knows under this name."""
        return self.organizations.get(fold(name))

    def offices_of(self, name: str, day: dt.date | None) -> tuple[Office, ...]:
        """The posts a person of this full name held on `day` (any day when None)."""
        canonical = self.office_names.get(fold(name))
        if canonical is None:
            return ()
        return tuple(o for o in self.offices[fold(canonical)] if o.held_on(day))


def _verb_words(lex: Lexicon) -> frozenset[str]:
    """Every verb the lexicon names, by its lemma (first word of a verb phrase)."""
    words = {v.split()[0] for c in lex.classes for v in c.verbs}
    for group in (lex.light_verbs, lex.reporting, lex.object_control, lex.negating_heads,
                  lex.cancelling_verbs, lex.movement_verbs, lex.future_heads, lex.refusal_heads,
                  lex.stative_passives, lex.content_heads, lex.from_verbs):  # fmt: skip
        words |= {w.split()[0] for w in group}
    words |= {v for _, verbs, _ in (*lex.verb_object, *lex.verb_preposition) for v in verbs}
    return frozenset(words)


@cache
def _title_forms(titles: tuple[Title, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in titles:
        for form in (entry.title, *entry.forms):
            out.setdefault(form.lower(), entry.title)
    return out


def _read(directory: Path, name: str) -> Any:
    path = directory / name
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _words(entry: Any) -> frozenset[str]:
    """A word list, given bare or as {"lemmas"|"nouns"|"words": [...]}."""
    if isinstance(entry, dict):
        entry = entry.get("lemmas") or entry.get("nouns") or entry.get("words") or []
    return frozenset(str(w) for w in entry or ())


def _day(value: str | None, *, last: bool = False) -> dt.date | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as its first (or last) day."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        if not last:
            return dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31) if last else dt.date(parts[0], 1, 1)


def _offices(data: Any) -> tuple[dict[str, tuple[Office, ...]], dict[str, str]]:
    offices: dict[str, tuple[Office, ...]] = {}
    names: dict[str, str] = {}
    for person in data.get("people", []) if isinstance(data, dict) else []:
        name = str(person["name"])
        offices[fold(name)] = tuple(
            Office(
                title=str(p["title"]),
                of=str(p["of"]),
                since=_day(p.get("from")) or dt.date.min,
                until=_day(p.get("to"), last=True),
            )
            for p in person.get("posts", [])
        )
        for form in (name, *person.get("aliases", [])):
            names.setdefault(fold(str(form)), name)
    return offices, names


def _surnames(
    offices: dict[str, tuple[Office, ...]], names: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for canonical in set(names.values()):
        words = canonical.split()
        # the family name comes last in most names, first in Chinese and Korean ones
        for word in {words[0], words[-1]} if len(words) > 1 else set():
            out.setdefault(fold(word), set()).add(canonical)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _patterns(data: Any, *, value_key: str = "") -> tuple[Pattern, ...]:
    out = []
    for entry in data.get("patterns", []) if isinstance(data, dict) else []:
        out.append(
            Pattern(
                id=str(entry["id"]),
                pattern=tuple(entry["pattern"]),
                classes=frozenset(entry.get("classes", ())),
                fallback=bool(entry.get("fallback", False)),
                value=str(entry.get(value_key, "")) if value_key else "",
                examples=tuple(entry.get("examples", ())),
                except_classes=frozenset(entry.get("except_classes", ())),
                states=bool(entry.get("states", False)),
                within_phrase=bool(entry.get("within_phrase", False)),
            )
        )
    return tuple(out)


def _regex(words: Any, template: str) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words or (), key=len, reverse=True))
    return re.compile(template.format(alternatives or "(?!)"), re.IGNORECASE)


class _Tracked(dict[str, Any]):
    """A lexicon file's mapping that remembers which keys the loader read."""

    def __init__(self, data: dict[str, Any], seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)


def unread_keys(directory: str | None = None) -> dict[str, set[str]]:
    """The top-level keys of each lexicon file that the loader never reads (a test keeps it
    empty: reviewed data nobody reads is a trap for its reviewers)."""
    where = Path(directory) if directory else LEXICON_DIR
    seen: dict[str, set[str]] = {}

    def tracked(folder: Path, name: str) -> Any:
        data = _read(folder, name)
        seen.setdefault(name, set())
        return _Tracked(data, seen[name]) if isinstance(data, dict) else data

    _build(where, tracked)
    return {
        name: set(_read(where, name)) - keys - {"_comment"}
        for name, keys in seen.items()
        if isinstance(_read(where, name), dict)
    }


def load_lexicon(directory: str | None = None) -> Lexicon:
    """Read every lexicon file of `directory` (default: the package's own) once per process."""
    return _load(str(Path(directory).resolve()) if directory else str(LEXICON_DIR))


@cache
def _load(directory: str) -> Lexicon:
    return _build(Path(directory), _read)


def _build(where: Path, _read: Any) -> Lexicon:
    triggers = _read(where, "triggers.json")
    modality = _read(where, "modality.json")
    speech = _read(where, "speech.json")
    orgs = _read(where, "organizations.json")
    groups = _read(where, "groups.json")
    places = _read(where, "places.json")
    titles = _read(where, "titles.json")
    structure = _read(where, "structure.json")
    hazards = _read(where, "hazards.json")
    offices, office_names = _offices(_read(where, "leaders.json"))
    stances = triggers.get("stances", {})
    organizations: dict[str, str] = {}
    for label, forms in orgs.get("organizations", {}).items():
        for form in (label, *forms):
            organizations.setdefault(fold(form), label)
    lexicon = Lexicon(
        classes=tuple(
            EventClass(
                name=name,
                symmetric=bool(entry.get("symmetric")),
                verbs=tuple(entry.get("verbs", ())),
                nouns=tuple(entry.get("nouns", ())),
                adjectives=tuple(entry.get("adjectives", ())),
            )
            for name, entry in triggers.get("classes", {}).items()
        ),
        light_verbs=_words(triggers.get("light_verbs")),
        particles=_words(triggers.get("particles")),
        reclass=tuple(
            Reclass(
                to=rule.get("to"),
                classes=frozenset(rule.get("classes", ())),
                objects=frozenset(rule.get("objects", ())),
                lemmas=frozenset(rule.get("lemmas", ())),
                unless=str(rule.get("unless", "")),
                modifiers=frozenset(rule.get("modifiers", ())),
                naming=bool(rule.get("naming", False)),
                bare=bool(rule.get("bare", False)),
            )
            for rule in triggers.get("reclass", {}).get("rules", ())
        ),
        agreement_words=_words(triggers.get("named_agreements")),
        cooperative=_words(stances.get("cooperative")),
        hostile=_words(stances.get("hostile")),
        said=_words(stances.get("said")),
        statements=_words(stances.get("statements")),
        need_speaker=_words(stances.get("need_speaker")),
        offer_heads=_words(stances.get("offer_heads")),
        located_targets=_words(stances.get("located_targets")),
        reciprocal=_words(triggers.get("reciprocal")),
        shared_pacts=_words(triggers.get("shared_pacts")),
        mutual_relations=_words(triggers.get("mutual_relations")),
        dividing_lines=_words(triggers.get("dividing_lines")),
        mediation=_words(triggers.get("mediation")),
        help_verbs=_words(triggers.get("helped", {}).get("verbs")),
        receiving_verbs=_words(triggers.get("helped", {}).get("receiving")),
        helped_classes=_words(triggers.get("helped", {}).get("classes")),
        press_verbs=_words(triggers.get("pressed", {}).get("verbs")),
        pressed_classes=_words(triggers.get("pressed", {}).get("classes")),
        responsibility=tuple(
            _words(triggers.get("responsibility", {}).get(key))
            for key in ("nouns", "verbs", "adjectives")
        ),  # type: ignore[arg-type]
        governing=_words(stances.get("governing")),
        verb_object=tuple(
            (str(p["class"]), frozenset(p["verbs"]), frozenset(p["objects"]))
            for p in triggers.get("verb_object", {}).get("pairs", ())
        ),
        verb_preposition=tuple(
            (str(p["class"]), frozenset(p["verbs"]), frozenset(p["prepositions"]))
            for p in triggers.get("verb_preposition", {}).get("pairs", ())
        ),
        patient_possessors=_words(triggers.get("patient_possessors")),
        measure_nouns=_words(triggers.get("measure_nouns")),
        occurrence_verbs=_words(triggers.get("occurrence_verbs")),
        time_limits=_words(triggers.get("time_limits")),
        response_verbs=_words(triggers.get("response_verbs")),
        negating_heads=_words(modality.get("negating_heads")),
        cancelling_verbs=_words(modality.get("cancelling_verbs")),
        refusal_heads=_words(modality.get("refusal_heads")),
        potential_nouns=_words(modality.get("potential_nouns")),
        terms_nouns=_words(modality.get("terms_nouns")),
        hypothetical=_words(modality.get("hypothetical_modals")),
        future_modals=_words(modality.get("future_modals")),
        future_heads=_words(modality.get("future_heads")),
        schedule_heads=_words(modality.get("schedule_heads")),
        content_heads=_words(modality.get("content_heads")),
        question_marks=frozenset(modality.get("open_questions", {}).get("marks", ())),
        question_heads=frozenset(modality.get("open_questions", {}).get("heads", ())),
        hypothetical_heads=_words(modality.get("hypothetical_heads")),
        future_adjectives=_words(modality.get("future_adjectives")),
        conditional_marks=_words(modality.get("conditional_marks")),
        hearsay_nouns=_words(modality.get("hearsay_nouns")),
        obligation=_words(modality.get("obligation_modals")),
        reporting=_words(speech.get("reporting_verbs")),
        object_control=_words(speech.get("object_control")),
        demand_nouns=_words(speech.get("demand_nouns")),
        stative_passives=_words(speech.get("stative_passives")),
        media=_words(speech.get("media")),
        unnamed_sources=_words(speech.get("unnamed_sources")),
        titles=tuple(
            Title(str(t["title"]), tuple(t.get("forms", ())), t.get("implies"))
            for t in titles.get("titles", ())
        ),
        organizations=organizations,
        based_in={fold(k): str(v) for k, v in orgs.get("based_in", {}).get("groups", {}).items()},
        organization_forms=tuple(
            form
            for label, forms in orgs.get("organizations", {}).items()
            for form in (label, *forms)
        ),
        based_in_forms=tuple(orgs.get("based_in", {}).get("groups", {})),
        pair_nouns=frozenset(w.lower() for w in _words(groups.get("pair_nouns"))),
        bloc_nouns=frozenset(w.lower() for w in _words(groups.get("bloc_nouns"))),
        institutions=_words(groups.get("institutions")),
        people_groups=_words(groups.get("people_groups")),
        organization_words=_words(groups.get("organization_words")),
        allegiance=_words(groups.get("allegiance")),
        state_descriptions=_words(groups.get("state_descriptions")),
        person_pronouns=frozenset(groups.get("pronouns", {}).get("person", ())),
        group_pronouns=frozenset(groups.get("pronouns", {}).get("group", ())),
        place_nouns=_words(places.get("place_nouns")),
        hazard_words=_words(hazards.get("hazard_words")),
        diseases=_words(hazards.get("diseases")),
        locative_preps=_words(places.get("locative_preps")),
        movement_verbs=_words(places.get("movement_verbs")),
        venue_nouns=_words(places.get("venue_nouns")),
        from_verbs=_words(places.get("from_verbs")),
        offices=offices,
        office_names=office_names,
        surnames=_surnames(offices, office_names),
        boilerplate=tuple(
            re.compile(p, re.IGNORECASE) for p in structure.get("boilerplate", {}).get("lines", ())
        ),
        byline=_regex(structure.get("byline", {}).get("starts"), r"^\s*(?:{0})\b"),
        biography=_regex(
            structure.get("biography", {}).get("nouns"),
            r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}\s+(?:is|was)\s+(?:a|an|the)\s+"
            r"(?:[\w-]+\s+){{0,4}}(?:{0})\b",
        ),
        dateline=re.compile(structure.get("dateline", {}).get("regex", r"(?!)")),
        role_patterns=_patterns(_read(where, "roles.json")),
        modality_patterns=_patterns(_read(where, "negation.json"), value_key="modality"),
    )
    return replace(lexicon, verb_words=_verb_words(lexicon))
