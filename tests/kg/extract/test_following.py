"""Actors who follow suit do what the other did, to the same recipients."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "kind", "followers", "recipient"),
    [
        ("Peru expelled the Russian ambassador, and Chile followed suit.", "Sanction", {"CHL"},
         "RUS"),
        ("The exiled leader was recognised by Peru within hours, and Chile and Bolivia swiftly "
         "followed.", "Support", {"CHL", "BOL"}, None),
    ],
)  # fmt: skip
def test_followers_do_the_same(read, text, kind, followers, recipient) -> None:
    x = read(text)
    copies = [e for e in x.events if e.kind == kind and e.trigger == "followed"]
    assert len(copies) == 1
    (copy,) = copies
    assert set(copy.actors("initiator")) == followers
    if recipient is not None:
        assert copy.actors("recipient") == (recipient,)


@pytest.mark.parametrize(
    "text",
    ["Peru expelled the Russian ambassador, and a long silence followed.",
     "Peru and Chile met in Lima, and Bolivia followed.",
     "Peru recognised the new government, and Chile followed the talks closely."],
)  # fmt: skip
def test_what_is_no_imitation_adds_no_event(read, text) -> None:
    assert not [e for e in read(text).events if e.trigger == "followed"]
