"""Deterministic identifiers: the last segment of every IRI the extractor mints."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """A lower-case, ASCII, slash-free id ("Moon Jae-in" → "moon-jae-in")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _UNSAFE.sub("-", ascii_text.lower()).strip("-.")
    return out or short_hash(text)


def safe_id(text: str) -> str:
    """An id kept as close to the given one as IRIs allow (case kept, unsafe runs → "-")."""
    out = _UNSAFE.sub("-", text).strip("-")
    return out if out and out not in {".", ".."} else short_hash(text)


def short_hash(*parts: object, length: int = 12) -> str:
    """A stable hex digest of the parts, for ids that have no readable form."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]
