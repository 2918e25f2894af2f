"""What did not happen, what might, and who says so."""

from __future__ import annotations

import pytest

from kg.records import Extraction


def asserted(x: Extraction, kind: str) -> list:  # type: ignore[type-arg]
    return [e for e in x.events if e.kind == kind and e.modality is None]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Chile and Peru failed to reach an agreement on the border.", "Agreement"),
        ("The talks in Quito collapsed without a deal.", "Agreement"),
        ("Bolivia called off its summit with Chile.", "Meeting"),
        ("Chile declined to sign the declaration with Peru.", "Agreement"),
        ("No agreement was signed by Chile and Peru.", "Agreement"),
        ("Peru refused to endorse the accord with Chile.", "Agreement"),
        ("Ecuador has no intention of attacking Peru.", "Assault"),
        ("It was not clear when Chile and Peru would restore ties.", "Cooperate"),
        ("Chile and Peru were due to sign an accord on Friday.", "Agreement"),
    ],
)
def test_what_did_not_happen_is_not_asserted(read, text: str, kind: str) -> None:
    x = read(text)
    assert not asserted(x, kind), [(e.kind, e.modality) for e in x.events]


def test_the_terms_of_a_deal_are_no_stance_of_their_own(read) -> None:
    x = read(
        "Chile and Peru signed a border deal on Monday. "
        "Under the deal, Chilean troops will withdraw from the disputed valley."
    )
    assert not asserted(x, "Agree")
    retreats = [e for e in x.events if e.kind == "Retreat"]
    assert retreats and all(e.modality == "Future" for e in retreats)


def test_what_critics_say_someone_might_do_is_no_threat(read) -> None:
    x = read("Critics warned that Peru might resume attacks on Chilean boats.")
    assert not asserted(x, "Threaten")


def test_a_warning_about_others_is_no_threat_by_the_speaker(read) -> None:
    x = read("Chilean officials warned that rebel gunmen might attack the border posts.")
    assert not asserted(x, "Threaten")


def test_an_actor_announcing_its_own_action_threatens(read) -> None:
    x = read("Peru warned that it would close its border if Chile failed to act.")
    (threat,) = asserted(x, "Threaten")
    assert threat.actors("initiator") == ("PER",)
    assert "CHL" in threat.actors("recipient")


def test_an_offer_of_troops_is_an_agree(read) -> None:
    x = read("Chile has offered to deploy a battalion to assist Peru.")
    assert asserted(x, "Agree") and not asserted(x, "Threaten")


def test_a_refusal_is_a_reject_but_not_yet_is_none(read) -> None:
    assert asserted(read("Peru refused to withdraw its troops from the border."), "Reject")
    assert not asserted(read("Peru has not yet withdrawn its troops from the border."), "Reject")


@pytest.mark.parametrize(
    "text",
    [
        "Chile warned Peru of sanctions if it does not reopen the border.",
        "Chile issued an ultimatum to Lima, warning of sanctions if the border stays shut.",
        "Chile threatened Peru with sanctions if the border stays shut.",
    ],
)
def test_a_threat_with_a_condition_is_a_threat_made(read, text) -> None:
    threats = [e for e in read(text).events if e.kind == "Threaten"]
    assert threats and threats[0].modality is None, threats
    assert "PER" in threats[0].actors("recipient")
