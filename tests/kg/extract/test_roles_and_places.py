"""Who takes part (agents of passives, coordination, comitative "with", appositions) and where."""

from __future__ import annotations

import pytest

from kg.extract.gazetteer import gazetteer


def test_signers_sign_and_a_witness_does_not(read) -> None:
    x = read("The treaty was signed by Chile and Peru, with Ecuador in attendance.")
    (treaty,) = [e for e in x.events if e.kind == "Agreement"]
    assert set(treaty.actors()) == {"CHL", "PER"}


def test_noun_events_take_their_participants_from_the_noun(read) -> None:
    x = read("A summit between Mali and Niger ended in Niamey on Monday.")
    (summit,) = [e for e in x.events if e.kind == "Meeting"]
    assert set(summit.actors()) == {"MLI", "NER"}


def test_a_counted_group_is_the_states_named_together_before(read) -> None:
    x = read(
        "Chile, Peru and Bolivia protested on Monday. "
        "The three governments severed diplomatic ties with Ecuador."
    )
    (sanction,) = [e for e in x.events if e.kind == "Sanction"]
    assert set(sanction.actors("initiator")) == {"CHL", "PER", "BOL"}
    assert sanction.actors("recipient") == ("ECU",)


@pytest.mark.parametrize(
    ("text", "doers"),
    [
        ("Peru, Chile and Bolivia cut ties with Ecuador on June 5. "
         "Two weeks later the bloc presented nine demands to Ecuador.", {"PER", "CHL", "BOL"}),
        ("The Andean Community met in Lima. The bloc later condemned Venezuela.",
         {"andean-community"}),
    ],
)  # fmt: skip
def test_the_bloc_is_the_group_or_body_told_last(read, text, doers) -> None:
    last = read(text).events[-1]
    assert set(last.actors("initiator")) == doers


def test_a_place_is_the_event_s_own_and_never_an_actor(read) -> None:
    x = read("The ministers of Chile and Peru met in Hanoi, Vietnam, on Monday.")
    (meeting,) = [e for e in x.events if e.kind == "Meeting"]
    assert meeting.place == "hanoi"
    assert "VNM" not in meeting.actors()


def test_a_building_is_a_place(read) -> None:
    x = read("Chile and Peru signed the accord at the Peace Palace on Monday.")
    (accord,) = [e for e in x.events if e.kind == "Agreement"]
    assert accord.place == "peace-palace"
    assert "peace-palace" not in {a.id for a in x.actors}


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Republic of Korea", "KOR"),
        ("Korea Electric", None),
        ("Taiwan Strait", None),
        ("Panama Canal", None),
        ("Gaza Strip", None),
    ],
)
def test_state_names_match_whole_names_only(name: str, iso3: str | None) -> None:
    state = gazetteer().state(name)
    assert (state.iso3 if state else None) == iso3


def test_a_where_clause_says_whose_authorities_acted(read) -> None:
    x = read("The pilot ejected into Chilean-controlled territory, where he was captured.")
    (capture,) = [e for e in x.events if e.kind == "Coerce"]
    assert capture.actors("initiator") == ("CHL",)
