"""The office-holder dictionary (lexicon/leaders.json) is well formed and self-consistent."""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

LEXICON = Path(__file__).resolve().parents[3] / "kg" / "extract" / "lexicon"
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
HORIZON = (2026, 1, 1)  # `to: null` means "still in office" on this day
POST_KEYS = {"title", "of", "from", "to"}
OPTIONAL_POST_KEYS = {"acting"}
# Titles the dictionary needs that titles.json does not list (yet).
EXTRA_TITLES: set[str] = set()  # titles the dictionary uses that titles.json lacks
# Posts several people hold at once (two deputy presidents, several spokespeople).
SHARED_TITLES = {
    "Deputy President",
    "Deputy Prime Minister",
    "Vice President",
    "Spokesperson",
    "Envoy",
}


def _load(name: str) -> Any:
    return json.loads((LEXICON / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def people() -> list[dict[str, Any]]:
    doc = _load("leaders.json")
    assert set(doc) == {"_comment", "people"}
    assert isinstance(doc["_comment"], str) and doc["_comment"].strip()
    assert isinstance(doc["people"], list) and doc["people"]
    return doc["people"]


def _posts(people: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(p["name"], q) for p in people for q in p["posts"]]


def _date(text: str) -> tuple[int, ...]:
    """An ISO date of year, month or day precision, as a tuple of its parts (checked real)."""
    m = DATE.match(text)
    assert m, f"not an ISO date: {text!r}"
    parts = tuple(int(g) for g in m.groups() if g is not None)
    year, month, day = (*parts, 1, 1)[:3]
    datetime.date(year, month, day)  # raises on 2021-02-30 and the like
    return parts


def _not_after(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """a <= b, comparing at the coarser of the two precisions (1994 <= 1994-06-30)."""
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def test_schema(people) -> None:
    for p in people:
        assert set(p) == {"name", "aliases", "posts"}, p
        assert isinstance(p["name"], str) and p["name"].strip() == p["name"] and p["name"]
        assert isinstance(p["aliases"], list), p["name"]
        assert all(isinstance(a, str) and a.strip() == a and a for a in p["aliases"]), p["name"]
        assert isinstance(p["posts"], list) and p["posts"], p["name"]
        for q in p["posts"]:
            assert POST_KEYS <= set(q) <= POST_KEYS | OPTIONAL_POST_KEYS, (p["name"], q)
            assert isinstance(q["title"], str) and q["title"].strip(), (p["name"], q)
            assert isinstance(q["of"], str) and q["of"], (p["name"], q)
            assert isinstance(q["from"], str), (p["name"], q)
            assert q["to"] is None or isinstance(q["to"], str), (p["name"], q)
            assert q.get("acting", True) is True, (p["name"], q)


def test_of_is_a_state_code_or_an_organisation(people) -> None:
    codes = {c.alpha_3 for c in pycountry.countries}
    codes |= {c.alpha_3 for c in pycountry.historic_countries}
    codes.add("XKX")  # Kosovo: user-assigned, not in ISO 3166-1
    orgs = set(_load("organizations.json")["organizations"])
    unknown = {(name, q["of"]) for name, q in _posts(people) if q["of"] not in codes | orgs}
    assert not unknown


def test_titles_are_canonical(people) -> None:
    canonical = {t["title"] for t in _load("titles.json")["titles"]}
    unknown = {q["title"] for _, q in _posts(people)} - canonical - EXTRA_TITLES
    assert not unknown
    assert not EXTRA_TITLES & canonical, "drop titles.json's titles from EXTRA_TITLES"


def test_dates_parse_and_are_ordered(people) -> None:
    for name, q in _posts(people):
        start = _date(q["from"])
        end = HORIZON if q["to"] is None else _date(q["to"])
        assert _not_after(start, end), (name, q)
        assert _not_after(end, HORIZON), (name, q)


def test_a_person_holds_a_post_once_at_a_time(people) -> None:
    for p in people:
        spans: dict[tuple[str, str], list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
        for q in p["posts"]:
            end = HORIZON if q["to"] is None else _date(q["to"])
            spans.setdefault((q["title"], q["of"]), []).append((_date(q["from"]), end))
        for key, terms in spans.items():
            terms.sort()
            for (_, end), (start, _) in itertools.pairwise(terms):
                assert _not_after(end, start), (p["name"], key, terms)


def test_a_sole_post_has_one_holder_at_a_time(people) -> None:
    """Two presidents of one state in the same year means a date is wrong (acting terms aside)."""
    holders: dict[tuple[str, str], list[tuple[tuple[int, ...], tuple[int, ...], str]]] = {}
    for name, q in _posts(people):
        if q.get("acting") or q["title"] in SHARED_TITLES:
            continue
        end = HORIZON if q["to"] is None else _date(q["to"])
        holders.setdefault((q["title"], q["of"]), []).append((_date(q["from"]), end, name))
    clashes = []
    for post, terms in holders.items():
        terms.sort()
        for i, (_, end, name) in enumerate(terms):
            clashes += [
                (post, name, other)
                for start, _, other in terms[i + 1 :]
                if not _not_after(end, start)
            ]
    assert not clashes


def test_names_and_aliases_are_unique(people) -> None:
    counts = Counter(label.casefold() for p in people for label in {p["name"], *p["aliases"]})
    assert not {label for label, n in counts.items() if n > 1}
    for p in people:
        assert len(p["aliases"]) == len(set(p["aliases"])), p["name"]
        assert p["name"] not in p["aliases"], p["name"]


def test_aliases_are_not_bare_given_names_or_surnames(people) -> None:
    """An alias equal to the first or last word of someone's name would match other people."""
    words: set[str] = set()
    for p in people:
        parts = p["name"].casefold().split()
        if len(parts) > 1:
            words |= {parts[0], parts[-1]}
    bare = {(p["name"], a) for p in people for a in p["aliases"] if a.casefold() in words}
    assert not bare


def test_aliases_carry_no_title(people) -> None:
    """Titles are matched from titles.json; 'King Felipe VI' as an alias would duplicate that.

    A name may itself begin with a title word ('Sheikh Hasina', 'Sultan bin Abdulaziz'), and
    its aliases may then too.
    """
    titles = _load("titles.json")["titles"]
    words = {t["title"] for t in titles} | {f for t in titles for f in t["forms"]}
    titled = {
        (p["name"], a)
        for p in people
        for a in p["aliases"]
        for w in words
        if a.startswith(w + " ") and not p["name"].startswith(w + " ")
    }
    assert not titled
