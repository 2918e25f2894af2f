"""Deterministic identifiers: the last segment of every IRI the extractor mints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """A lower-case, ASCII, slash-free id ("Moon Jae-in" → "moon-jae-in")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _UNSAFE.sub("-", ascii_text.lower()).strip("-.")
    return out or short_hash(text)


_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_PLAIN = re.compile(r"[A-Za-z0-9._~-]+")  # a segment of these alone is the id as it is


class IdError(ValueError):
    """An id that cannot name a document, with the reason."""


def check_id(value: str) -> str:
    """`value` if it can be a document id (non-empty, no control characters), else IdError."""
    if not value.strip():
        raise IdError("the id is empty")
    if _CONTROL.search(value):
        raise IdError(f"the id {value!r} holds a control character")
    return value


def iri_segment(value: str) -> str:
    """An id as one IRI path segment, percent-encoded: readable and injective.

    Letters, digits, "-", ".", "_" and "~" stay (non-ASCII letters too: IRIs allow them); every
    other character, "%" included, becomes its UTF-8 %XX bytes, so `unquote` gives the id back and
    two ids never share a segment ("a b" → "a%20b", "a/b" → "a%2Fb", "../x" → "..%2Fx"). The ids
    "." and ".." are encoded whole, since IRI resolution would take them for path steps.
    """
    if value in (".", ".."):
        return "%2E" * len(value)
    if _PLAIN.fullmatch(value):  # most ids: nothing to encode
        return value
    return "".join(
        c if c in _KEEP or (ord(c) > 127 and c.isalnum()) else quote(c, safe="") for c in value
    )


def from_segment(segment: str) -> str:
    """The id an IRI segment encodes (the inverse of `iri_segment`)."""
    return unquote(segment)


def short_hash(*parts: object, length: int = 12) -> str:
    """A stable hex digest of the parts, for ids that have no readable form."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]
