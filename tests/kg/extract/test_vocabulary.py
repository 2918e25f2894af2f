"""The lexicon: read once into one typed object, every reviewed key read by the loader."""

from __future__ import annotations

from kg.extract.vocabulary import Lexicon, load_lexicon, unread_keys


def test_the_lexicon_is_loaded_once_per_process() -> None:
    assert load_lexicon() is load_lexicon()
    assert isinstance(load_lexicon(), Lexicon)


def test_every_key_of_every_lexicon_file_is_read() -> None:
    assert {name: keys for name, keys in unread_keys().items() if keys} == {}


def test_the_pipeline_components_hold_the_same_lexicon(nlp) -> None:  # type: ignore[no-untyped-def]
    lexicons = {
        id(nlp.get_pipe(name).lexicon)
        for name in (
            "diplokg_layout",
            "diplokg_lemma_fixes",
            "diplokg_entity_fixes",
            "diplokg_triggers",
        )
    }
    assert lexicons == {id(load_lexicon())}


def test_office_holders_are_found_by_name_and_date() -> None:
    import datetime as dt

    lex = load_lexicon()
    (office,) = [
        o for o in lex.offices_of("Barack Obama", dt.date(2012, 5, 1)) if o.title == "President"
    ]
    assert office.of == "USA"
    assert not [
        o for o in lex.offices_of("Barack Obama", dt.date(2020, 5, 1)) if o.title == "President"
    ]
