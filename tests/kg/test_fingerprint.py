"""A changed extractor is a newer one: the version documents record follows the extractor's code
and lexicon, so a rebuild after an update re-extracts instead of saying nothing is new."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg import __version__
from kg.fingerprint import PACKAGE, SOURCES, digest, extractor_version
from kg.rdf import EXTRACTOR


def copy_of_the_package(tmp_path: Path) -> Path:
    copy = tmp_path / "kg"
    for name in SOURCES:
        source = PACKAGE / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def test_documents_record_the_version_and_a_digest_of_the_extractor() -> None:
    assert extractor_version() == EXTRACTOR
    assert EXTRACTOR.startswith(f"diplokg {__version__}+") and len(digest()) == 12


def test_a_changed_lexicon_or_rule_is_a_newer_extractor(tmp_path: Path) -> None:
    copy = copy_of_the_package(tmp_path)
    assert digest(copy) == digest()  # the same sources, wherever they are
    (copy / "unrelated.py").write_text("x = 1\n")  # other modules do not make graphs
    assert digest(copy) == digest()
    triggers = copy / "extract" / "lexicon" / "triggers.json"
    triggers.write_text(triggers.read_text().replace("{", '{"_note": "edited", ', 1))
    edited = digest(copy)
    assert edited != digest()
    events = copy / "extract" / "events.py"
    events.write_text(events.read_text() + "\n# a rule changed\n")
    assert digest(copy) not in {edited, digest()}
