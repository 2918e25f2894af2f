"""The lemma fixes: regular inflections of the lexicon's verbs get their lemma back."""

from __future__ import annotations

import pytest

from kg.extract.components import _regular_lemma

VERBS = frozenset({"stage", "drop", "deny", "meet", "sign"})


@pytest.mark.parametrize(
    ("form", "lemma"),
    [("staged", "stage"), ("staging", "stage"), ("dropped", "drop"), ("denied", "deny"),
     ("signs", "sign"), ("walked", None)],
)  # fmt: skip
def test_regular_lemmas(form: str, lemma: str | None) -> None:
    assert _regular_lemma(form, VERBS) == lemma
