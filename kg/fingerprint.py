"""The extractor's version as documents record it: the package version plus a digest of what
decides a document's graph (the extractor's code and lexicon, the pipeline set-up, the RDF
mapping), so that a changed extractor is a newer one even when the package version stays."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg import __version__

PACKAGE = Path(__file__).resolve().parent
#: what a document's graph is made by, relative to the package: folders are taken whole
SOURCES = ("extract", "nlp.py", "records.py", "rdf.py", "ids.py", "namespaces.py")


def digest(package: Path = PACKAGE) -> str:
    """12 hex digits of SHA-256 over the sources' paths and bytes (.py and .json files)."""
    h = hashlib.sha256()
    for name in SOURCES:
        root = package / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for file in files:
            if file.suffix in {".py", ".json"} and file.is_file():
                h.update(file.relative_to(package).as_posix().encode() + b"\0")
                h.update(file.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def extractor_version(package: Path = PACKAGE) -> str:
    """`diplokg VERSION+DIGEST`, as `dip:extractorVersion` holds it."""
    return f"diplokg {__version__}+{digest(package)}"
