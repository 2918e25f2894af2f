"""The organisation lexicon as data: its shape, one owner per surface form, real ISO codes, and
no organisation named like a state (a shared or state-like name would merge distinct actors)."""

from __future__ import annotations

import json
from typing import Any

import pycountry
import pytest

from kg.extract.vocabulary import LEXICON_DIR, fold, load_lexicon

PATH = LEXICON_DIR / "organizations.json"


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return json.loads(PATH.read_text(encoding="utf-8"))


def _forms(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(canonical label, surface form) for every label and alias of the file."""
    return [
        (label, form)
        for label, aliases in data["organizations"].items()
        for form in (label, *aliases)
    ]


def _country_names() -> dict[str, str]:
    """Folded name, official name and common name of every current and former ISO state."""
    names: dict[str, str] = {}
    for country in (*pycountry.countries, *pycountry.historic_countries):
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[fold(value)] = value
    return names


def test_structure(data: dict[str, Any]) -> None:
    assert set(data) == {"_comment", "organizations", "based_in"}
    assert isinstance(data["_comment"], str)
    orgs = data["organizations"]
    assert isinstance(orgs, dict) and len(orgs) > 300
    for label, aliases in orgs.items():
        assert isinstance(label, str) and label.strip() == label and label, label
        assert isinstance(aliases, list), label
        for alias in aliases:
            assert isinstance(alias, str) and alias.strip() == alias and fold(alias), (label, alias)
    based_in = data["based_in"]
    assert set(based_in) == {"_comment", "groups"}
    assert isinstance(based_in["_comment"], str)
    groups = based_in["groups"]
    assert isinstance(groups, dict) and len(groups) > 100
    for name, code in groups.items():
        assert isinstance(name, str) and name.strip() == name and fold(name), name
        assert isinstance(code, str), name


def test_no_surface_form_names_two_organisations(data: dict[str, Any]) -> None:
    owners: dict[str, set[str]] = {}
    for label, form in _forms(data):
        owners.setdefault(fold(form), set()).add(label)
    shared = {key: sorted(labels) for key, labels in owners.items() if len(labels) > 1}
    assert not shared, shared


def test_based_in_codes_are_iso_alpha3(data: dict[str, Any]) -> None:
    valid = {c.alpha_3 for c in pycountry.countries}
    valid |= {c.alpha_3 for c in pycountry.historic_countries}
    valid.add("XKX")  # Kosovo: user-assigned code, not in ISO 3166-1
    bad = {name: code for name, code in data["based_in"]["groups"].items() if code not in valid}
    assert not bad, bad


def test_based_in_names_agree(data: dict[str, Any]) -> None:
    """Two spellings of one group name one state, and a group the lexicon knows under several
    names has its canonical label in based_in (the label is what resolution keeps)."""
    codes: dict[str, set[str]] = {}
    for name, code in data["based_in"]["groups"].items():
        codes.setdefault(fold(name), set()).add(code)
    assert not {k: v for k, v in codes.items() if len(v) > 1}
    for label, aliases in data["organizations"].items():
        homes = set().union(*(codes.get(fold(f), set()) for f in (label, *aliases)))
        assert len(homes) <= 1, (label, homes)
        if homes:
            assert codes.get(fold(label)) == homes, label


def test_no_organisation_is_named_like_a_state(data: dict[str, Any]) -> None:
    names = _country_names()
    clashes = [(label, form) for label, form in _forms(data) if fold(form) in names]
    assert not clashes, clashes


def test_loader_resolves_variants_to_one_actor() -> None:
    """The extractor's own lexicon: spelling variants meet at one label and one home state."""
    lex = load_lexicon()
    assert lex.organization("Hizbullah") == lex.organization("the Hezbollah") == "Hezbollah"
    assert lex.organization("Doctors Without Borders") == "Médecins Sans Frontières"
    assert lex.organization("I.S.I.L.") == lex.organization("Daesh") == "Islamic State"
    assert lex.organization("U.N.H.C.R.") == "United Nations High Commissioner for Refugees"
    assert lex.based_in[fold("Ansar Allah")] == "YEM"
    assert lex.based_in[fold("Vetëvendosje")] == "XKX"
