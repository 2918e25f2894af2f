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


#: one attribute test: (column of `ParseTree.columns`, values, whether the value must be among them)
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


class ParseTree:
    """A parsed document as integer columns and head indices, read once per document (the role
    and the negation patterns share it): walking the parse through Token objects costs more than
    the matching itself."""

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
        self._subtrees: dict[int, list[int]] = {}

    def test(self, tests: tuple[Test, ...], i: int) -> bool:
        columns = self.columns
        for column, values, inside in tests:  # noqa: SIM110 (all() costs twice this)
            if (columns[column][i] in values) != inside:
                return False
        return True

    def subtree(self, i: int) -> list[int]:
        """Token.subtree's order: the left children's subtrees, the token, the right ones'
        (worked out once per token)."""
        found = self._subtrees.get(i)
        if found is None:
            found = []
            for child in self.children[i]:
                if child < i:
                    found += self.subtree(child)
            found.append(i)
            for child in self.children[i]:
                if child > i:
                    found += self.subtree(child)
            self._subtrees[i] = found
        return found

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


#: one step of a compiled pattern: (position of the node it hangs from, operator, tests)
_Step = tuple[int, str, tuple[Test, ...]]


@dataclass(frozen=True)
class _Compiled:
    """A pattern as the matcher runs it: its trigger node's tests by their place among the
    set's distinct trigger tests, then each further node as a step from a bound one."""

    pattern: Pattern
    first: int  # index into PatternSet.first_tests
    names: tuple[str, ...]
    steps: tuple[_Step, ...]


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
        # many patterns share their trigger node's tests: each distinct one runs once per anchor
        self.first_tests: list[tuple[Test, ...]] = list(
            dict.fromkeys(nodes[0].tests for _, nodes in self.compiled)
        )
        self.runs = [_compile(p, nodes, self.first_tests) for p, nodes in self.compiled]

    def spacy_patterns(self, lex: Lexicon) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The patterns as spaCy's DependencyMatcher takes them (for tests)."""
        for p in self.patterns:
            yield p.id, resolve_lists(list(p.pattern), _word_lists(lex))

    def hits(
        self, doc: Doc, anchors: Iterable[int], tree: ParseTree | None = None
    ) -> dict[int, list[Hit]]:
        """Every match whose trigger node is one of the anchor tokens (`tree`: the document's
        ParseTree, when the caller has one already)."""
        out: dict[int, list[Hit]] = defaultdict(list)
        positions = range(len(doc))
        for i in dict.fromkeys(anchors):
            tree = tree or ParseTree(doc)
            at = positions[i]  # a negative index counts from the end, as in doc[i]
            passed = [tree.test(tests, at) for tests in self.first_tests]
            for run in self.runs:
                if passed[run.first]:
                    found = _extend(tree, run.steps, 0, [at]) if run.steps else iter([[at]])
                    for bound in found:
                        out[i].append(Hit(run.pattern, dict(zip(run.names, bound, strict=True))))
        return out


def _compile(
    pattern: Pattern, nodes: list[_Node], first_tests: list[tuple[Test, ...]]
) -> _Compiled:
    names = tuple(n.name for n in nodes)
    if len(set(names)) != len(names):
        raise ValueError(f"pattern {pattern.id!r}: two nodes have the same RIGHT_ID")
    steps: list[_Step] = []
    for k, node in enumerate(nodes[1:], 1):
        if node.left not in names[:k]:
            raise ValueError(
                f"pattern {pattern.id!r}: {node.left!r} is not a node before {node.name!r}"
            )
        steps.append((names.index(node.left), node.op, node.tests))
    return _Compiled(pattern, first_tests.index(nodes[0].tests), names, tuple(steps))


def _extend(
    tree: ParseTree, steps: tuple[_Step, ...], k: int, bound: list[int]
) -> Iterator[list[int]]:
    """Every way to bind the nodes of steps[k:] given the tokens bound so far (distinct tokens),
    in the order of the nodes."""
    left, op, tests = steps[k]
    last = k + 1 == len(steps)
    at = bound[left]
    candidates: Iterable[int]
    if op == ">":
        candidates = tree.children[at]
    elif op == "<":
        head = tree.head[at]
        candidates = (head,) if head != at else ()
    else:
        candidates = tree.related(at, op)
    columns = tree.columns
    for candidate in candidates:
        if candidate in bound:
            continue
        for column, values, inside in tests:
            if (columns[column][candidate] in values) != inside:
                break
        else:
            if last:
                yield [*bound, candidate]
                continue
            bound.append(candidate)
            yield from _extend(tree, steps, k + 1, bound)
            bound.pop()
