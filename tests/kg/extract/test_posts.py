"""Posts: titles before names, appositions, party-state tags, what bare titles imply."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "holder", "title", "in_actor"),
    [
        (
            "South Korea's President Moon-Jae In favours dialogue.",
            "moon-jae-in",
            "President",
            "KOR",
        ),
        ("U.S President Donald Trump disagreed.", "donald-trump", "President", "USA"),
        ("North Korean Leader Kim Jong-Un spoke.", "kim-jong-un", "Leader", "PRK"),
        (
            "The U.S Ambassador to the United Nations Nikki Haley spoke.",
            "nikki-haley",
            "Ambassador",
            "USA",
        ),
        ("Secretary of State Rex Tillerson spoke.", "rex-tillerson", "Secretary of State", "USA"),
        ("Senator Lindsey Graham (R-South Carolina) spoke.", "lindsey-graham", "Senator", "USA"),
        ("Japan's prime minister, Shinzo Abe, spoke.", "shinzo-abe", "Prime Minister", "JPN"),
        ("Chinese Foreign Minister Wang Yi spoke.", "wang-yi", "Foreign Minister", "CHN"),
    ],
)
def test_posts(read, text, holder, title, in_actor) -> None:
    x = read(text)
    posts = {(p.holder, p.title): p for p in x.posts}
    assert (holder, title) in posts, posts
    assert posts[(holder, title)].in_actor == in_actor
    assert {a.id: a.kind for a in x.actors}[holder] == "Person"


def test_title_words_are_not_part_of_the_name(read) -> None:
    x = read("Secretary of State Rex Tillerson met President Moon.")
    labels = {a.label for a in x.actors if a.kind == "Person"}
    assert "Rex Tillerson" in labels
    assert not any("Secretary" in label or "State" in label for label in labels)
