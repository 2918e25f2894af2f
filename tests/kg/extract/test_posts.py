"""Posts: titles before names, appositions, party-state tags, plural titles, what bare titles
imply, and the office holders' dictionary where the text gives no state."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.parametrize(
    ("text", "holder", "title", "in_actor"),
    [
        ("Chile's President Ana Roe favours dialogue.", "ana-roe", "President", "CHL"),
        ("U.S. President John Doe disagreed.", "john-doe", "President", "USA"),
        ("Peruvian Prime Minister Luis Soto spoke.", "luis-soto", "Prime Minister", "PER"),
        ("The Chilean Ambassador to the United Nations Maria Lopez spoke.", "maria-lopez",
         "Ambassador", "CHL"),
        ("Secretary of State Mary Stone spoke.", "mary-stone", "Secretary of State", "USA"),
        ("Senator Paul Reed (R-Ohio) spoke.", "paul-reed", "Senator", "USA"),
        ("Senator Paul Reed of Ohio spoke.", "paul-reed", "Senator", "USA"),
        ("Japan's prime minister, Taro Yamada, spoke.", "taro-yamada", "Prime Minister", "JPN"),
        ("President Luis Soto of Bolivia spoke.", "luis-soto", "President", "BOL"),
        ("Juan Pérez, a spokesman for the African Union, spoke.", "juan-perez", "Spokesman",
         "african-union"),
        ("The emir of Qatar, Sheikh Ali Hamad, arrived.", "ali-hamad", "Emir", "QAT"),
    ],
)  # fmt: skip
def test_posts_the_text_gives(read, text, holder, title, in_actor) -> None:
    x = read(text)
    posts = {(p.holder, p.title): p for p in x.posts}
    assert (holder, title) in posts, posts
    assert posts[(holder, title)].in_actor == in_actor
    assert {a.id: a.kind for a in x.actors}[holder] == "Person"


def test_a_plural_title_gives_each_holder_the_state_in_order(read) -> None:
    x = read(
        "The water pact bears the signatures of the foreign ministers of Chile, Peru and "
        "Bolivia, Carlos Ruiz, Jorge Silva and Maria Lopez."
    )
    posts = {p.holder: (p.title, p.in_actor) for p in x.posts}
    assert posts["carlos-ruiz"] == ("Foreign Minister", "CHL")
    assert posts["jorge-silva"] == ("Foreign Minister", "PER")
    assert posts["maria-lopez"] == ("Foreign Minister", "BOL")


def test_an_adviser_serves_the_state_of_the_one_he_advises(read) -> None:
    x = read("Tom Hale, a senior adviser to President Ana Roe of Chile, attended.")
    posts = {(p.holder, p.title): p.in_actor for p in x.posts}
    assert posts[("tom-hale", "Senior Adviser")] == "CHL"
    assert posts[("ana-roe", "President")] == "CHL"


def test_a_title_without_a_state_does_not_take_the_story_s_state(read) -> None:
    # the story is about Peru; nothing says whose president Ana Roe is
    x = read("Peru closed its border on Monday. President Ana Roe called the move a mistake.")
    (post,) = [p for p in x.posts if p.holder == "ana-roe"]
    assert post.in_actor is None


def test_the_office_holders_dictionary_gives_the_state_at_the_document_date(read) -> None:
    x = read("President Bill Clinton praised the accord.", date=dt.date(1995, 3, 1))
    posts = {(p.holder, p.title): p.in_actor for p in x.posts}
    assert posts[("bill-clinton", "President")] == "USA"
    later = read("President Bill Clinton praised the accord.", date=dt.date(2015, 3, 1))
    assert {p.in_actor for p in later.posts if p.holder == "bill-clinton"} == {None}
    former = read("Former President Bill Clinton praised the accord.", date=dt.date(2015, 3, 1))
    assert {p.in_actor for p in former.posts if p.holder == "bill-clinton"} == {"USA"}


def test_a_surname_the_dictionary_knows_one_holder_of_is_that_person(read) -> None:
    x = read("Putin met the envoy on Monday.", date=dt.date(2018, 7, 16))
    assert "vladimir-putin" in {a.id for a in x.actors}


def test_title_words_are_not_part_of_the_name(read) -> None:
    x = read("Secretary of State Mary Stone met President Ana Roe.")
    labels = {a.label for a in x.actors if a.kind == "Person"}
    assert "Mary Stone" in labels
    assert not any("Secretary" in label or "State" in label for label in labels)
