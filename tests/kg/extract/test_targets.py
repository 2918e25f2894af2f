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


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        # a purpose clause says whom the help is for
        ("Norway sent emergency aid to help Fiji recover from the storm.", "Aid", "FJI"),
        ("Japan promised new aid to help Nepal rebuild its schools.", "Agree", "NPL"),
        ("France deployed troops to help Mali secure its north.", "Mobilize", "MLI"),
        # a relative clause on what is given says who got it
        ("Russia has supplied most of the rifles Armenia has bought since 2015.", "Aid", "ARM"),
        # and whom a hostile act is meant to move
        ("Chile refused to lift its tariffs to get Peru back to the talks.", "Reject", "PER"),
        ("Chile imposed tariffs to force Peru to reopen the border.", "Sanction", "PER"),
        # a truce is in the war its side is told to be fighting
        ("The Chilean-led coalition fighting Hamas in Lebanon has declared a ceasefire.",
         "Retreat", "LBN"),
        # an event noun that is the subject of its verb lands where the verb says
        ("A unit of 200 Chinese peacekeepers arrived in Mali on Thursday.", "Aid", "MLI"),
        # a purpose is served where the verb it serves happens
        ("Troops from Chile arrived in Peru on Sunday to help deliver food to the mountain towns.",
         "Aid", "PER"),
    ],
)  # fmt: skip
def test_the_target_comes_from_the_clause_around_the_trigger(read, text, kind, target) -> None:
    events = [e for e in read(text).events if e.kind == kind and e.modality is None]
    assert events, [(e.kind, e.participants) for e in read(text).events]
    assert target in events[0].actors("recipient")


def test_aid_named_for_its_recipient_keeps_it(read) -> None:
    """The help clause is read only when the action names no recipient of its own."""
    events = [e for e in read("Norway sent aid to Chile to help Peru.").events if e.kind == "Aid"]
    assert events
    assert events[0].actors("recipient") == ("CHL",)


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Qatar launched a mediation effort to end the feud between Ethiopia and Eritrea.",
         {"QAT", "ETH", "ERI"}),
        ("Norway began a mediation effort to avert a war between Sudan and Chad.",
         {"NOR", "SDN", "TCD"}),
    ],
)  # fmt: skip
def test_a_mediation_takes_the_parties_of_the_dispute(read, text, parties) -> None:
    meetings = [e for e in read(text).events if e.kind == "Meeting"]
    assert meetings, [(e.kind, e.participants) for e in read(text).events]
    assert set(meetings[0].actors()) == parties


@pytest.mark.parametrize(
    "text",
    [
        "Canada and Mexico are upgrading their diplomatic ties.",
        "Chile and Peru deepened their partnership last year.",
    ],
)
def test_a_relation_of_several_doers_is_mutual(read, text) -> None:
    events = [e for e in read(text).events if e.modality is None]
    assert events
    for event in events:
        assert {p.role for p in event.participants} == {"participant"}, event


def test_a_relation_with_a_named_partner_keeps_its_direction(read) -> None:
    events = read("Canada upgraded its diplomatic ties with Mexico.").events
    assert events
    assert all("MEX" in e.actors("recipient") for e in events)


def test_a_second_act_of_one_doer_is_done_to_whom_the_first_was(read) -> None:
    events = read("Canada froze the assets of Peru and threatened further measures.").events
    (threat,) = [e for e in events if e.kind == "Threaten"]
    assert threat.actors("recipient") == ("PER",)


def test_a_conjoined_act_of_another_doer_keeps_no_target(read) -> None:
    events = read("Chile condemned Peru, and Bolivia threatened to leave the talks.").events
    for threat in (e for e in events if e.kind == "Threaten"):
        assert "PER" not in threat.actors(), threat


@pytest.mark.parametrize(
    ("text", "doer", "target"),
    [
        ("Hamas claimed responsibility for the attack on an Israeli army post.", "hamas", "ISR"),
        ("Boko Haram took responsibility for the ambush.", "boko-haram", None),
        ("Boko Haram was responsible for mass killings in northern Chad.", "boko-haram", "TCD"),
    ],
)
def test_who_owns_up_to_a_deed_did_it(read, text, doer, target) -> None:
    attacks = [e for e in read(text).events if e.kind == "Assault" and e.modality is None]
    assert attacks, [(e.kind, e.participants) for e in read(text).events]
    assert attacks[0].actors("initiator") == (doer,)
    if target:
        assert target in attacks[0].actors("recipient")


def test_holding_another_responsible_is_no_deed_of_the_holder(read) -> None:
    events = read("Israel holds Hamas responsible for the raid.").events
    assert not any("ISR" in e.actors("initiator") for e in events if e.kind == "Assault")


def test_a_petition_is_a_request_to_whom_it_is_handed(read) -> None:
    events = read("Chile presented a petition to the Peruvian government.").events
    (request,) = [e for e in events if e.kind == "Request"]
    assert request.actors("initiator") == ("CHL",)
    assert request.actors("recipient") == ("PER",)


def test_a_stance_keeps_the_own_state_target_of_what_it_agrees_to(read) -> None:
    events = read("Chilean rebels agreed to lay down their arms in Chile.").events
    (agree,) = [e for e in events if e.kind == "Agree" and e.modality is None]
    assert agree.actors("recipient") == ("CHL",)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Chilean port workers went on strike in Valparaiso.", ("CHL",)),
        ("Thousands of Chilean students protested on Monday.", ("CHL",)),
        ("Chile protested the decision.", ()),  # the state itself: no target named
    ],
)
def test_a_peoples_protest_is_aimed_at_its_own_state(read, text, target) -> None:
    protests = [e for e in read(text).events if e.kind == "Protest"]
    assert protests
    assert protests[0].actors("recipient") == target


def test_a_share_of_a_group_is_of_that_group(read) -> None:
    events = read("Chile has expelled some of the UN observers.").events
    (expulsion,) = [e for e in events if e.kind == "Sanction"]
    assert expulsion.actors("recipient") == ("united-nations",)
