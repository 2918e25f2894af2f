"""The gazetteer's cache file: the same tables as built from the packages, keyed on its sources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.extract import gazetteer as gaz


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own; the process's gazetteer is read afresh around it."""
    monkeypatch.setenv("DIPLOKG_CACHE", str(tmp_path / "cache"))
    gaz.gazetteer.cache_clear()
    yield tmp_path / "cache"
    gaz.gazetteer.cache_clear()


def test_the_cached_gazetteer_is_the_built_one(cache_dir: Path) -> None:
    built = gaz.build_gazetteer()
    first = gaz.gazetteer()  # builds it and writes the file
    assert gaz.cache_path().is_file()
    assert gaz.cache_path().parent == cache_dir
    gaz.gazetteer.cache_clear()
    cached = gaz.gazetteer()  # read from the file
    assert first == built
    assert cached == built
    assert list(cached.names) == list(built.names)  # the same order of names
    assert cached.state("Ivory Coast") == built.state("Ivory Coast")
    assert cached.state("Americans") == built.state("Americans")


def test_the_key_names_the_sources(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = gaz.cache_key()
    assert gaz.cache_path().name == f"gazetteer-{key}.json"
    versions = {p: "0.0.0-test" for p in gaz.SOURCES}
    monkeypatch.setattr(gaz.metadata, "version", lambda package: versions[package])
    assert gaz.cache_key() != key  # another version of a package: another file


def test_a_broken_cache_file_is_built_again(cache_dir: Path) -> None:
    path = gaz.cache_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"names": {}}), encoding="utf-8")  # not a whole gazetteer
    assert gaz.gazetteer() == gaz.build_gazetteer()
    gaz.gazetteer.cache_clear()
    assert gaz.gazetteer() == gaz.build_gazetteer()  # and the file was rewritten
    assert json.loads(path.read_text(encoding="utf-8"))["names"]


def test_a_folder_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("DIPLOKG_CACHE", str(blocked / "cache"))  # under a file: no folder
    gaz.gazetteer.cache_clear()
    try:
        assert gaz.gazetteer().state("Canberra") is not None
    finally:
        gaz.gazetteer.cache_clear()


@pytest.mark.parametrize(
    "name",
    ["Ivory Coast", "Burma", "Persia", "Siam", "Korea Electric", "Taiwan Strait", "Zephyr Widgets", "Lake Orrin",
     "Republic of Korea", "Holland", "UK", "Sudanese", "Quill"],
)  # fmt: skip
def test_names_no_pattern_matches_are_no_states_of_country_converter(name: str) -> None:
    if not gaz.may_be_coco_name(name):
        assert gaz._ask_coco(name) is None  # the converter is not asked: it would find none
    assert gaz._coco(name) == gaz._ask_coco(name)


def test_country_converter_is_screened_by_its_own_patterns() -> None:
    assert gaz.may_be_coco_name("Persia")
    assert not gaz.may_be_coco_name("Zephyr Widgets")
    assert gaz._coco("Persia") == gaz.StateName("IRN", "Iran", "name")
