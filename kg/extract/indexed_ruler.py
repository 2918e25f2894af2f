"""The model's attribute_ruler, matched through an index of its patterns.

spaCy's `AttributeRuler` hands its patterns (the tag map and the exceptions for POS, MORPH and
LEMMA) to a `Matcher`, which tries every pattern at every token: about 14% of the English
pipeline's time. Its patterns are fixed sequences of tokens tested on TAG, LOWER, DEP and
IS_SPACE, so each token need only try the patterns whose first token can be it (by its tag or
its lower-case form). This ruler finds the same matches, in the same order, and sets them with
spaCy's own `set_annotations`; a test compares both on every token.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

#: The token attributes the model's patterns test, in the order `_columns` reads them.
ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")

#: A test of one token of a pattern, on that token's values of ATTRS.
Test = Callable[[tuple[Any, ...]], bool]


class UnindexablePattern(ValueError):
    """A pattern this ruler cannot match the way the Matcher does (an operator, another key)."""


def _test(attr: int | str, wanted: Any) -> Test:
    """One attribute's test, with the Matcher's meaning of IN, NOT_IN and REGEX (a search)."""
    if not isinstance(attr, str) or attr not in ATTRS:
        raise UnindexablePattern(f"attribute {attr!r}")
    at = ATTRS.index(attr)
    if not isinstance(wanted, dict):
        return lambda values: bool(values[at] == wanted)
    if set(wanted) == {"IN"}:
        within = frozenset(wanted["IN"])
        return lambda values: values[at] in within
    if set(wanted) == {"NOT_IN"}:
        outside = frozenset(wanted["NOT_IN"])
        return lambda values: values[at] not in outside
    if set(wanted) == {"REGEX"}:
        pattern = re.compile(wanted["REGEX"])
        return lambda values: pattern.search(str(values[at])) is not None
    raise UnindexablePattern(f"predicate {wanted!r}")


def _columns(doc: Doc) -> list[tuple[str, str, str, bool]]:
    """Each token's values of ATTRS, read once."""
    return [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]


@dataclass(frozen=True)
class _Pattern:
    """One pattern of a rule: the rule's number and match id, and the tests of each token."""

    rule: int
    match_id: int
    tokens: tuple[tuple[Test, ...], ...]

    def matches(self, values: list[tuple[str, str, str, bool]], start: int) -> bool:
        if start + len(self.tokens) > len(values):
            return False
        for k, tests in enumerate(self.tokens):
            token = values[start + k]
            for test in tests:
                if not test(token):
                    return False
        return True


def _tests(pattern: list[dict[int | str, Any]]) -> tuple[tuple[Test, ...], ...]:
    """Each token's tests; UnindexablePattern for an operator or an attribute given by id."""
    if not pattern or any(not isinstance(spec, dict) or "OP" in spec for spec in pattern):
        raise UnindexablePattern(f"pattern {pattern!r}")
    return tuple(tuple(_test(attr, wanted) for attr, wanted in spec.items()) for spec in pattern)


def _keys(spec: dict[int | str, Any]) -> list[tuple[int, Any]] | None:
    """The (attribute, value) pairs a first token must have one of, the rarest attribute
    first, or None (the pattern is tried at every token)."""
    for attr in ("LOWER", "TAG", "DEP", "IS_SPACE"):
        wanted = spec.get(attr)
        if isinstance(wanted, str | bool):
            return [(ATTRS.index(attr), wanted)]
        if isinstance(wanted, dict) and set(wanted) == {"IN"}:
            return [(ATTRS.index(attr), value) for value in wanted["IN"]]
    return None


class IndexedAttributeRuler(AttributeRuler):
    """An `AttributeRuler` whose `match` looks its patterns up by each token's tag and form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_key: dict[tuple[int, Any], list[_Pattern]] = defaultdict(list)
        self._everywhere: list[_Pattern] = []

    def add(
        self, patterns: Iterable[list[dict[int | str, Any]]], attrs: dict[str, Any], index: int = 0
    ) -> None:
        """Add a rule, as `AttributeRuler.add` does, and index its patterns; a pattern the index
        cannot match as the Matcher does raises UnindexablePattern, the rule left out."""
        listed = list(patterns)
        tests = [_tests(pattern) for pattern in listed]
        rule = len(self.attrs)
        super().add(listed, attrs, index)
        match_id = self.vocab.strings[str(rule)]
        for pattern, tested in zip(listed, tests, strict=True):
            indexed = _Pattern(rule, match_id, tested)
            keys = _keys(pattern[0])
            if keys is None:
                self._everywhere.append(indexed)
            for key in keys or ():
                self._by_key[key].append(indexed)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule, match id, start, end) of every match, sorted as `AttributeRuler.match` sorts
        them: later rules are set last and take precedence."""
        found = set()
        by_key = self._by_key
        values = _columns(doc)
        for start, token in enumerate(values):
            tag, lower, dep, space = token
            candidates = (
                *by_key.get((0, tag), ()),
                *by_key.get((1, lower), ()),
                *by_key.get((2, dep), ()),
                *by_key.get((3, space), ()),
                *self._everywhere,
            )
            for pattern in candidates:
                if pattern.matches(values, start):
                    found.add((pattern.rule, pattern.match_id, start, start + len(pattern.tokens)))
        return sorted(found)


@Language.factory("diplokg_attribute_ruler", default_config={"validate": False})
def make_indexed_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name=name, validate=validate)


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put an `IndexedAttributeRuler` with the same rules in place of the pipeline's
    attribute ruler; False (the pipeline unchanged) when it has none, or a rule this ruler
    cannot match as the Matcher does."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if type(ruler) is not AttributeRuler:
        return False
    patterns = ruler.patterns
    check = IndexedAttributeRuler(nlp.vocab, name=name)
    try:
        check.add_patterns(patterns)
    except UnindexablePattern:
        return False
    indexed = nlp.replace_pipe(name, "diplokg_attribute_ruler")
    assert isinstance(indexed, IndexedAttributeRuler)
    indexed.add_patterns(patterns)
    return True
