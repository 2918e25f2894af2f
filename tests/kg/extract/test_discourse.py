"""The story as a whole: one happening, one event; narrative time; the dateline's place."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.modality import _opens_with_when
from kg.records import Event, Extraction

MONDAY = dt.date(2021, 3, 8)


def asserted(x: Extraction, kind: str) -> list[Event]:
    return [e for e in x.events if e.kind == kind and e.modality is None]


def test_signing_the_deal_and_the_deal_signed_are_one_agreement(read) -> None:
    x = read(
        "Chile and Peru signed a fishing agreement in Lima on Monday. "
        "The deal was signed by the two foreign ministers after a week of talks. "
        "The Lima Accord ends a dispute of ten years.",
        date=MONDAY,
    )
    (agreement,) = asserted(x, "Agreement")
    assert {"CHL", "PER"} <= set(agreement.actors())
    assert agreement.label == "Lima Accord"
    assert len(agreement.evidence) == 2  # the two later sentences
    assert agreement.date is not None and agreement.date.value == "2021-03-08"


def test_an_indefinite_second_summit_is_a_second_event(read) -> None:
    x = read(
        "Chile and Peru held a summit in Lima on Monday. "
        "A second summit between Chile and Peru collapsed in Quito in May.",
        date=MONDAY,
    )
    assert len(asserted(x, "Meeting")) == 2


def test_an_event_without_a_date_takes_the_day_just_told(read) -> None:
    x = read(
        "The ministers of Chile and Peru met in Arica on 3 March. "
        "Later that day the two sides signed a trade agreement.",
        date=MONDAY,
    )
    (agreement,) = asserted(x, "Agreement")
    assert agreement.date is not None and agreement.date.value == "2021-03-03"
    assert agreement.date_in_text is False


def test_a_day_later_counts_from_the_day_told(read) -> None:
    x = read(
        "Chile and Peru met in Arica on 3 March. A day later, Peru accused Chile of spying.",
        date=MONDAY,
    )
    (accusation,) = asserted(x, "Accuse")
    assert accusation.date is not None and accusation.date.value == "2021-03-04"


def test_a_clause_a_day_after_another_is_dated_from_it(read) -> None:
    x = read(
        "Chile and Peru agreed on Monday to reopen their border, "
        "a day after Bolivia dropped its objection.",
        date=MONDAY,
    )
    (concession,) = asserted(x, "Concede")
    assert concession.date is not None and concession.date.value == "2021-03-07"


@pytest.mark.parametrize("closeness", ["shortly", "hours", "soon"])
def test_a_clause_shortly_after_another_is_its_day(read, closeness) -> None:
    x = read(
        "Bolivia and Chile have quarrelled for years.\n\n"
        f"The decision came {closeness} after Bolivia expelled Chile's envoy.",
        date=MONDAY,
    )
    (expulsion,) = [e for e in x.events if "BOL" in e.actors("initiator")]
    assert expulsion.date is not None and expulsion.date.value == "2021-03-08"


def test_a_relative_clause_takes_the_date_of_its_noun(read) -> None:
    x = read(
        "It followed a meeting of envoys last month in which Chile recognised Peru's claim.",
        date=MONDAY,
    )
    (recognition,) = [e for e in x.events if "CHL" in e.actors("initiator")]
    assert recognition.date is not None and recognition.date.value == "2021-02"


def test_the_lead_event_happened_at_the_dateline(read) -> None:
    x = read(
        "Neighbours sign accord\n\nARICA, Chile — Chile and Peru signed a fishing accord "
        "on Monday.\n\nIn 1998 the two countries fought a brief war.",
        date=MONDAY,
    )
    (agreement,) = asserted(x, "Agreement")
    assert agreement.place == "arica"
    assert "ARICA" not in {a.label.upper() for a in x.actors}  # the dateline names a place


def test_the_headline_is_not_read_for_events(read) -> None:
    x = read("Peru accuses Chile of spying\n\nLIMA — Officials met on Monday.", date=MONDAY)
    assert not asserted(x, "Accuse")


def test_shortly_after_takes_the_day_the_story_has_reached(read) -> None:
    x = read(
        "Bolivia and Chile have quarrelled for years.\n\n"
        "Bolivia's president announced on Thursday that Bolivia was cutting ties with Chile. "
        "The move came shortly after Chile recognised Peru's claim to the islands.",
        date=MONDAY,
    )
    (recognition,) = [e for e in x.events if "CHL" in e.actors("initiator")]
    assert recognition.date is not None and recognition.date.value == "2021-03-04"


def test_what_the_main_clause_reports_moves_the_story_s_time(read) -> None:
    x = read(
        "Bolivia and Chile have quarrelled for years.\n\n"
        "Bolivia's president announced on Thursday that Bolivia was cutting ties with Chile. "
        "Chile condemned Bolivia.",
        date=MONDAY,
    )
    (accusation,) = asserted(x, "Accuse")
    assert accusation.date is not None and accusation.date.value == "2021-03-04"


def test_a_when_clause_takes_the_date_it_follows(read) -> None:
    x = read(
        "The thaw began last month, when Chile agreed to accept the border ruling.", date=MONDAY
    )
    (agree,) = asserted(x, "Agree")
    assert agree.date is not None and agree.date.value == "2021-02"


def test_a_when_clause_is_known_by_its_first_word_wherever_it_hangs() -> None:
    # the parse of a long subject may hang "when" on the subject and the clause as a ccomp
    words = ["It", "began", "in", "May", ",", "when", "Chile", "agreed", "."]
    heads = [1, 1, 1, 2, 1, 6, 7, 1, 1]
    deps = ["nsubj", "ROOT", "prep", "pobj", "punct", "advmod", "nsubj", "ccomp", "punct"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)
    assert _opens_with_when(doc[7])
    assert not _opens_with_when(doc[2])


def test_a_day_after_counts_back_from_the_day_the_story_has_reached(read) -> None:
    x = read(
        "Chile and Peru agreed on Thursday to extend the deadline.\n\n"
        "The extension came a day after Bolivia's foreign minister rejected the demands.",
        date=MONDAY,
    )
    (rejection,) = asserted(x, "Reject")
    assert rejection.date is not None and rejection.date.value == "2021-03-03"


def test_talks_that_opened_on_a_day_are_of_that_day(read) -> None:
    x = read(
        "Ministers of Chile and Peru signed the accord at the close of talks "
        "hosted by the Andean Community that began in Lima on 25 February.",
        date=MONDAY,
    )
    (talks,) = asserted(x, "Meeting")
    assert talks.date is not None and talks.date.value == "2021-02-25"


def test_a_report_in_a_when_clause_of_a_date_is_of_that_date(read) -> None:
    x = read(
        "Chile and Peru held a summit in Lima on Monday.\n\n"
        "The way was cleared on Sunday, 7 March, when Bolivia's foreign minister announced "
        "that Peru had agreed to reopen its border to Chile.",
        date=MONDAY,
    )
    (agreement,) = asserted(x, "Agreement")
    assert agreement.date is not None and agreement.date.value == "2021-03-07"


def test_talks_for_most_of_the_week_are_of_this_week_at_the_dateline(read) -> None:
    x = read(
        "Neighbours near a deal\n\nARICA, Chile — Chile and Peru signed a fishing accord "
        "on Monday.\n\nBoth mediators held talks with the two sides for most of the week, "
        "urging Chile and Peru to settle what was left.",
        date=MONDAY,
    )
    (talks,) = asserted(x, "Meeting")
    assert talks.date is not None and talks.date.value == "2021-03"
    assert talks.place == "arica"


def test_the_attack_claimed_by_a_group_is_the_attack_told_without_its_doer(read) -> None:
    x = read(
        "Unrest grew in the north.\n\n"
        "It began on 2 March, when a man rammed a stolen lorry into a patrol "
        "of the Chilean army, killing 30 soldiers. The attack was claimed by the Shining Path.",
        date=MONDAY,
    )
    (attack,) = asserted(x, "Assault")
    assert "CHL" in attack.actors("recipient") and "shining-path" in attack.actors("initiator")
    assert attack.date is not None and attack.date.value == "2021-03-02"
