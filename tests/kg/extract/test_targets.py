"""Whom an event is done to when the trigger itself does not say (issue 7, CAMEO targets)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        # a stance takes the target of the action it agrees to, refuses or demands
        ("Hamas agreed to a ceasefire in Lebanon.", "Agree", "LBN"),
        ("Hamas agreed to lay down its weapons in Lebanon.", "Agree", "LBN"),
        ("Canada refused to lift its sanctions on Cuba.", "Reject", "CUB"),
        # the object told as the passive subject ("sanctions were lifted")
        ("Sanctions against Cuba were lifted by Canada in May.", "Concede", "CUB"),
        # a state where the action lands, on the noun or on the verb that governs it
        ("In Lebanon, Hamas declared a ceasefire on Monday.", "Retreat", "LBN"),
        ("Thousands of Karen villagers, led by the KNU, sought refuge in Thailand.", "Request",
         "THA"),
        # one withdraws from where one was
        ("France completed the withdrawal of its troops from Chad.", "Retreat", "TCD"),
    ],
)  # fmt: skip
def test_the_target_comes_from_the_construction(read, text, kind, target) -> None:
    events = [e for e in read(text).events if e.kind == kind and e.modality is None]
    assert events, [(e.kind, e.participants) for e in read(text).events]
    assert target in events[0].actors("recipient")
    assert target not in events[0].actors("initiator")


@pytest.mark.parametrize(
    "text",
    [
        "Hamas declared a ceasefire in Sidon on Monday.",
        "The World Bank called for reforms in Mombasa.",
    ],
)
def test_a_city_stays_a_place_and_takes_no_role(read, text) -> None:
    for event in read(text).events:
        assert not event.actors("recipient"), event


def test_a_commitment_in_a_deal_keeps_its_target_out_of_the_deal(read) -> None:
    x = read(
        "Chile agreed on Monday to halt its offensive in Bolivia. "
        "Chile and Peru signed the deal in Lima on Monday."
    )
    deals = [e for e in x.events if e.kind == "Agreement"]
    assert deals
    assert "BOL" not in deals[0].actors()


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The Bush administration has pushed Peru for a new constitution.", "PER"),
        ("Senator Roe lobbied the Chilean government for an answer.", "CHL"),
    ],
)
def test_pushing_someone_for_something_asks_them(read, text, target) -> None:
    (request,) = [e for e in read(text).events if e.kind == "Request"]
    assert request.actors("recipient") == (target,)


def test_pushing_back_a_deadline_asks_nobody(read) -> None:
    assert not [e for e in read("Kenya pushed back the deadline.").events if e.kind == "Request"]


@pytest.mark.parametrize(
    ("text", "kind", "doer", "target"),
    [
        ("Chilean police opened fire on Bolivian protesters.", "Assault", "CHL", "BOL"),
        ("Hamas used Lebanese villagers as human shields.", "Coerce", "hamas", "LBN"),
        ("Peru gave Chile a deadline of one week.", "Request", "PER", "CHL"),
    ],
)
def test_events_named_by_a_verb_and_its_noun(read, text, kind, doer, target) -> None:
    (event,) = [e for e in read(text).events if e.kind == kind]
    assert event.actors("initiator") == (doer,)
    assert event.actors("recipient") == (target,)
