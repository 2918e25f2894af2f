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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from kg.extract.vocabulary import Lexicon, Pattern

#: node names of role patterns that carry a role
ROLES = ("initiator", "recipient", "participant", "witness")

#: token attributes a pattern may test, as spaCy's matcher names them, with the attribute ids
#: `Doc.to_array` reads them by: a test compares the integers spaCy stores (string hashes, POS
#: as its symbol), never decoded strings
_ATTRS: dict[str, int] = {
    "DEP": DEP,
    "POS": POS,
    "TAG": TAG,
    "LEMMA": LEMMA,
    "LOWER": LOWER,
    "ORTH": ORTH,
    "TEXT": ORTH,
    "ENT_TYPE": ENT_TYPE,
}
_COLUMNS = (DEP, POS, TAG, LEMMA, LOWER, ORTH, ENT_TYPE)
_COLUMN = {attr: k for k, attr in enumerate(_COLUMNS)}


def _value_id(key: str, value: str) -> int:
    """A pattern's string value as the id `Doc.to_array` gives for it."""
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


#: one attribute test: (column of `_Tree.columns`, values, whether the value must be among them)
Test = tuple[int, frozenset[int], bool]


def _predicate(attrs: dict[str, Any]) -> tuple[Test, ...]:
    """One node's attribute tests."""
    tests: list[Test] = []
    for key, wanted in attrs.items():
        if key not in _ATTRS:
            raise ValueError(f"pattern attribute {key!r} is not supported")
        column = _COLUMN[_ATTRS[key]]

        def ids(values: Iterable[str], key: str = key) -> frozenset[int]:
            return frozenset(_value_id(key, v) for v in values)

        if isinstance(wanted, dict):
            if "IN" in wanted:
                tests.append((column, ids(wanted["IN"]), True))
            if "NOT_IN" in wanted:
                tests.append((column, ids(wanted["NOT_IN"]), False))
        else:
            tests.append((column, ids([wanted]), True))
    return tuple(tests)


class _Tree:
    """A parsed document as integer columns and head indices, read once per `hits` call:
    walking the parse through Token objects costs more than the matching itself."""

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        self.columns: list[list[int]] = (
            doc.to_array(list(_COLUMNS)).T.tolist() if n else [[] for _ in _COLUMNS]
        )
        offsets = doc.to_array([HEAD]).astype("int64").tolist() if n else []
        self.head = [i + offset for i, offset in enumerate(offsets)]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, head in enumerate(self.head):
            if head != i:
                self.children[head].append(i)  # ascending, as Token.children gives them

    def test(self, tests: tuple[Test, ...], i: int) -> bool:
        columns = self.columns
        for column, values, inside in tests:  # noqa: SIM110 (all() costs twice this)
            if (columns[column][i] in values) != inside:
                return False
        return True

    def subtree(self, i: int) -> Iterator[int]:
        """Token.subtree's order: the left children's subtrees, the token, the right ones'."""
        for child in self.children[i]:
            if child < i:
                yield from self.subtree(child)
        yield i
        for child in self.children[i]:
            if child > i:
                yield from self.subtree(child)

    def ancestors(self, i: int) -> Iterator[int]:
        steps = 0
        while self.head[i] != i and steps < len(self.head):
            i = self.head[i]
            yield i
            steps += 1

    def related(self, i: int, op: str) -> Iterator[int]:
        """The tokens standing in relation `op` (DependencyMatcher's operators) to token `i`,
        in the order spaCy's Token properties give them."""
        if op == ">":
            yield from self.children[i]
        elif op == "<":
            if self.head[i] != i:
                yield self.head[i]
        elif op == ">>":
            yield from (t for t in self.subtree(i) if t != i)
        elif op == "<<":
            yield from self.ancestors(i)
        elif op in ("$+", "$-", "$++", "$--"):
            head = self.head[i]
            if head == i:
                return
            for sibling in self.children[head]:
                if sibling == i:
                    continue
                if (
                    (op == "$+" and sibling == i + 1)
                    or (op == "$-" and sibling == i - 1)
                    or (op == "$++" and sibling > i)
                    or (op == "$--" and sibling < i)
                ):
                    yield sibling
        else:
            raise ValueError(f"pattern operator {op!r} is not supported")


@dataclass(frozen=True)
class _Node:
    name: str
    tests: tuple[Test, ...]
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
        tree: _Tree | None = None
        for i in dict.fromkeys(anchors):
            tree = tree or _Tree(doc)
            at = doc[i].i  # a negative index counts from the end, as in doc[i]
            for pattern, nodes in self.compiled:
                if tree.test(nodes[0].tests, at):
                    for found in _extend(tree, nodes, 1, {nodes[0].name: at}):
                        out[i].append(Hit(pattern, found))
        return out


def _extend(
    tree: _Tree, nodes: list[_Node], k: int, bound: dict[str, int]
) -> Iterator[dict[str, int]]:
    """Every way to bind nodes[k:] given the nodes bound so far (distinct tokens)."""
    if k == len(nodes):
        yield dict(bound)
        return
    node = nodes[k]
    used = set(bound.values())
    for candidate in tree.related(bound[node.left], node.op):
        if candidate not in used and tree.test(node.tests, candidate):
            bound[node.name] = candidate
            yield from _extend(tree, nodes, k + 1, bound)
            del bound[node.name]
