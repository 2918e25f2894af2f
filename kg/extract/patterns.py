"""The lexicon's dependency patterns, matched from the event triggers outwards.

`roles.json` says who fills which role of an event, `negation.json` which constructions say that
it did not happen. They are written in spaCy's DependencyMatcher format (and tests check that
spaCy's own DependencyMatcher finds what this module finds), but a pattern's first node is
always the trigger, so they are matched here from each trigger token along the parse: spaCy's
matcher would test every node of every pattern against every token of the document, which costs
as much as parsing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from kg.extract.vocabulary import Lexicon, Pattern

#: node names of role patterns that carry a role
ROLES = ("initiator", "recipient", "participant", "witness")

#: token attributes a pattern may test, as spaCy's matcher names them
# token attributes as the integer ids spaCy stores (string hashes; POS as its symbol), so that
# a test compares numbers instead of decoding strings token by token
_ATTRS: dict[str, Callable[[Token], int]] = {
    "DEP": lambda t: t.dep,
    "POS": lambda t: t.pos,
    "TAG": lambda t: t.tag,
    "LEMMA": lambda t: t.lemma,
    "LOWER": lambda t: t.lower,
    "ORTH": lambda t: t.orth,
    "TEXT": lambda t: t.orth,
    "ENT_TYPE": lambda t: t.ent_type,
}


def _value_id(key: str, value: str) -> int:
    """A pattern's string value as the id `_ATTRS[key]` returns for it."""
    return int(POS_IDS[value]) if key == "POS" else int(get_string_id(value))


def _word_lists(lex: Lexicon) -> dict[str, frozenset[str]]:
    """The lexicon lists a pattern may name as "$name"."""
    return {
        "light_verbs": lex.light_verbs,
        "object_control": lex.object_control,
        "reporting_verbs": lex.reporting,
        "stative_passives": lex.stative_passives,
        "movement_verbs": lex.movement_verbs,
        "negating_heads": lex.negating_heads,
        "cancelling_verbs": lex.cancelling_verbs,
        "patient_possessors": lex.patient_possessors,
    }


def resolve_lists(value: Any, lists: dict[str, frozenset[str]]) -> Any:
    """Replace "$name" by the named word list, recursively (the form spaCy's matcher reads)."""
    if isinstance(value, str) and value.startswith("$") and value[1:] in lists:
        return sorted(lists[value[1:]])
    if isinstance(value, dict):
        return {k: resolve_lists(v, lists) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolve_lists(v, lists) for v in value]
    return value


Test = Callable[[Token], bool]


def _predicate(attrs: dict[str, Any]) -> Test:
    """One node's attribute tests as a function of a token."""
    tests: list[Test] = []
    for key, wanted in attrs.items():
        if key not in _ATTRS:
            raise ValueError(f"pattern attribute {key!r} is not supported")
        get = _ATTRS[key]

        def ids(values: Iterable[str], key: str = key) -> frozenset[int]:
            return frozenset(_value_id(key, v) for v in values)

        if isinstance(wanted, dict):
            if "IN" in wanted:
                tests.append(_member(get, ids(wanted["IN"]), True))
            if "NOT_IN" in wanted:
                tests.append(_member(get, ids(wanted["NOT_IN"]), False))
        else:
            tests.append(_member(get, ids([wanted]), True))
    if len(tests) == 1:
        return tests[0]
    return lambda t: all(test(t) for test in tests)


def _member(get: Callable[[Token], int], values: frozenset[int], inside: bool) -> Test:
    def test(token: Token) -> bool:
        return (get(token) in values) == inside

    return test


def _related(token: Token, op: str) -> Iterator[Token]:
    """The tokens standing in relation `op` (DependencyMatcher's operators) to `token`."""
    if op == ">":
        yield from token.children
    elif op == "<":
        if token.head.i != token.i:
            yield token.head
    elif op == ">>":
        yield from (t for t in token.subtree if t.i != token.i)
    elif op == "<<":
        yield from token.ancestors
    elif op in ("$+", "$-", "$++", "$--"):
        if token.head.i == token.i:
            return
        for sibling in token.head.children:
            if sibling.i == token.i:
                continue
            after, before = sibling.i > token.i, sibling.i < token.i
            if (
                (op == "$+" and sibling.i == token.i + 1)
                or (op == "$-" and sibling.i == token.i - 1)
                or (op == "$++" and after)
                or (op == "$--" and before)
            ):
                yield sibling
    else:
        raise ValueError(f"pattern operator {op!r} is not supported")


@dataclass(frozen=True)
class _Node:
    name: str
    test: Test
    left: str  # the node this one hangs from ("" for the trigger)
    op: str


@dataclass(frozen=True)
class Hit:
    """One match: the pattern and its named nodes (node name → token index)."""

    pattern: Pattern
    nodes: dict[str, int]


class PatternSet:
    """Dependency patterns read from a trigger token."""

    def __init__(self, patterns: tuple[Pattern, ...], lex: Lexicon) -> None:
        lists = _word_lists(lex)
        self.patterns = patterns
        self.compiled: list[tuple[Pattern, list[_Node]]] = []
        for p in patterns:
            nodes = resolve_lists(list(p.pattern), lists)
            self.compiled.append(
                (
                    p,
                    [
                        _Node(
                            n["RIGHT_ID"],
                            _predicate(n.get("RIGHT_ATTRS", {})),
                            n.get("LEFT_ID", ""),
                            n.get("REL_OP", ""),
                        )
                        for n in nodes
                    ],
                )
            )

    def spacy_patterns(self, lex: Lexicon) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The patterns as spaCy's DependencyMatcher takes them (for tests)."""
        for p in self.patterns:
            yield p.id, resolve_lists(list(p.pattern), _word_lists(lex))

    def hits(self, doc: Doc, anchors: Iterable[int]) -> dict[int, list[Hit]]:
        """Every match whose trigger node is one of the anchor tokens."""
        out: dict[int, list[Hit]] = defaultdict(list)
        for i in dict.fromkeys(anchors):
            token = doc[i]
            for pattern, nodes in self.compiled:
                if nodes[0].test(token):
                    for found in _extend(nodes, 1, {nodes[0].name: token}):
                        out[i].append(Hit(pattern, {k: t.i for k, t in found.items()}))
        return out


def _extend(nodes: list[_Node], k: int, bound: dict[str, Token]) -> Iterator[dict[str, Token]]:
    """Every way to bind nodes[k:] given the nodes bound so far (distinct tokens)."""
    if k == len(nodes):
        yield dict(bound)
        return
    node = nodes[k]
    used = {t.i for t in bound.values()}
    for candidate in _related(bound[node.left], node.op):
        if candidate.i not in used and node.test(candidate):
            bound[node.name] = candidate
            yield from _extend(nodes, k + 1, bound)
            del bound[node.name]
