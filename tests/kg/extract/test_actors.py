"""Actors and places: identity, ISO codes, capitals, demonyms, and places kept apart."""

from __future__ import annotations

import pytest

from kg.records import Extraction


def actor_ids(x: Extraction) -> set[str]:
    return {a.id for a in x.actors}


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("The United States said it was ready.", "USA"),
        ("Officials in the U.S. said it was ready.", "USA"),
        ("North Korean officials said it was ready.", "PRK"),
        ("Britain said it was ready.", "GBR"),
        ("Washington said it was ready.", "USA"),
        ("The Kremlin's ally Belarus said it was ready.", "BLR"),
        ("Soviet Union leaders said it was ready.", "SUN"),
    ],
)
def test_states_get_iso_codes(read, text, iso3) -> None:
    states = {a.id: a for a in read(text).actors if a.kind == "State"}
    assert iso3 in states
    assert states[iso3].iso3 == iso3


def test_one_actor_for_every_name_of_a_state(read) -> None:
    x = read(
        "The U.S said talks with Cuba would resume. The United States and Cuba met. US officials agreed."
    )
    (usa,) = [a for a in x.actors if a.id == "USA"]
    assert usa.label == "United States"
    assert {"U.S", "US"} <= set(usa.aliases)


def test_short_names_refer_to_the_full_name_before_them(read) -> None:
    x = read(
        "President Moon Jae-in welcomed the offer. Later, Moon met Kim Jong-un at the border. "
        "Kim praised the talks."
    )
    persons = {a.id: a for a in x.actors if a.kind == "Person"}
    assert set(persons) == {"moon-jae-in", "kim-jong-un"}
    assert "Moon" in persons["moon-jae-in"].aliases
    assert "Kim" in persons["kim-jong-un"].aliases


def test_spelling_variants_of_a_name_share_one_id(read) -> None:
    a = read("Moon-Jae In spoke.", doc_id="a")
    b = read("Moon Jae-in spoke.", doc_id="b")
    assert actor_ids(a) & actor_ids(b) == {"moon-jae-in"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The two sides met at the border village of Panmunjom on Tuesday.", "Panmunjom"),
        ("Officials gathered in Pyeongchang before the games.", "Pyeongchang"),
        ("Senator Lindsey Graham (R-South Carolina) spoke.", "South Carolina"),
        ("The leaders met in Geneva.", "Geneva"),
    ],
)
def test_places_are_never_actors(read, text, place) -> None:
    x = read(text)
    assert place in {p.label for p in x.places}
    assert place not in {a.label for a in x.actors}
    assert not any(place in a.aliases for a in x.actors)


@pytest.mark.parametrize(
    "text",
    [
        "Chile dropped its claim to the valley.",
        "Bolivia agreed to give up a claim to the valley.",
    ],
)
def test_a_common_noun_is_no_capital(read, text) -> None:
    # "The Valley" is Anguilla's capital; "the valley", lower case, is not.
    assert "AIA" not in actor_ids(read(text))


def test_capital_as_destination_is_a_place_and_as_speaker_a_state(read) -> None:
    x = read("Tokyo protested the move. The envoy then travelled to Tokyo.")
    assert "JPN" in actor_ids(x)
    assert "Tokyo" in {p.label for p in x.places}


def test_international_organisations_by_acronym(read) -> None:
    x = read("The UN and the U.N. Security Council met. The United Nations said so.")
    ids = actor_ids(x)
    assert "united-nations" in ids
    assert all(a.kind == "Organization" for a in x.actors if a.id == "united-nations")


def test_events_and_named_agreements_are_not_actors(read) -> None:
    x = read("After the Winter Olympics, critics said the 1994 Agreed Framework had failed.")
    labels = {a.label for a in x.actors}
    assert not labels & {"Winter Olympics", "Olympics", "Agreed Framework"}


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Bosnian Serbs demanded a truce on Monday.", "BIH"),
        ("The Hungarians of northern Serbia protested on Sunday.", "SRB"),
        ("Ghanaian authorities have deported 168 Liberians.", "GHA"),
        ("Rebels in the Ivory Coast dismissed the appeal.", "CIV"),
    ],
)
def test_groups_act_for_their_state(read, text, iso3) -> None:
    x = read(text)
    assert any(iso3 in e.actors("initiator") for e in x.events), [
        (e.kind, e.participants) for e in x.events
    ]


def test_known_organisations_are_actors_even_untagged(read) -> None:
    x = read("The pro-Iranian Hizbollah group declared a unilateral ceasefire in south Lebanon.")
    orgs = {a.id: a for a in x.actors if a.kind == "Organization"}
    assert "hezbollah" in orgs and orgs["hezbollah"].based_in == "LBN"
    assert "IRN" not in {a.id for a in x.actors}  # "pro-Iranian" is a stance, not Iran


def test_an_arrest_in_a_state_is_made_by_its_authorities(read) -> None:
    x = read("A Danish engineer was arrested in Lebanon on Monday.")
    (arrest,) = [e for e in x.events if e.kind == "Coerce"]
    assert arrest.actors("initiator") == ("LBN",)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Germany pledged aid to victims of Typhoon Kora in the Philippines.", "PHL"),
        ("Canada sent doctors to fight the Ebola outbreak in Liberia.", "LBR"),
        ("Japan gave Peru two million vaccine doses to fight COVID-19.", "PER"),
    ],
)
def test_storms_and_diseases_are_no_actors(read, text, state) -> None:
    x = read(text)
    assert {a.kind for a in x.actors} == {"State"}, x.actors
    assert not [e for e in x.events if e.kind == "Assault"]  # fighting a disease attacks nobody
    assert any(state in e.actors("recipient") for e in x.events if e.kind == "Aid")


def test_a_fund_named_for_a_disease_stays_an_actor(read) -> None:
    x = read("The Global Fund to Fight AIDS, Tuberculosis and Malaria gave Kenya a grant.")
    assert any(a.kind == "Organization" for a in x.actors)


@pytest.mark.parametrize(
    "text",
    [
        "The NATO chief phoned Erdogan on Monday.",
        "The NATO chief phoned Recep Tayyip Erdogan to discuss the crisis.",
    ],
)
def test_an_office_holder_the_model_mistags_is_a_person(read, text) -> None:
    x = read(text)
    assert "recep-tayyip-erdogan" in {a.id for a in x.actors if a.kind == "Person"}, x.actors


def test_a_state_name_read_as_a_plural_noun_is_a_state(read) -> None:
    x = read("Chile has opened an embassy and established diplomatic ties with Seychelles.")
    assert "SYC" in {a.id for a in x.actors}


@pytest.mark.parametrize(
    ("text", "person"),
    [("Trump and Putin spoke by phone on Monday.", "trump")],
)
def test_an_untagged_surname_of_an_office_holder_is_a_person(read, text, person) -> None:
    assert person in {a.id for a in read(text).actors if a.kind == "Person"}


@pytest.mark.parametrize(
    "text",
    [
        "The summit in May was cancelled.",
        "Talks with Emilio Pablo Quintero ended.",
    ],
)
def test_months_and_first_names_are_no_office_holders(read, text) -> None:
    assert not {a.id for a in read(text).actors} & {"may", "theresa-may", "pablo"}
