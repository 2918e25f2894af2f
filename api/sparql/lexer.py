"""A lexical look at SPARQL text: its keywords, where they stand, and how big its structure is.

The endpoint reads a request's keywords before it runs it (SERVICE and LOAD make the server fetch
URLs; FROM changes the dataset), finds the places of an update's operations to add `USING` clauses
to, and refuses text whose structure is too deep or too long for pyoxigraph's recursive parser and
evaluator, which overflow the thread's stack (and so crash the whole server) on a few kilobytes of
nested brackets, `!` or `MINUS` chains. Strings, IRIs, comments, variables, prefixed names, blank
node labels, numbers and language tags are single tokens, so a word inside them is never taken for
a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: the deepest nesting of `{`, `(` and `[` a request may have
MAX_NESTING = 128
#: the most tokens a request may have outside its data blocks (INSERT DATA, DELETE DATA, VALUES)
MAX_TOKENS = 4000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'  # strings
    r"|'(?:[^'\\\n\r]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<variable>[?$]\w+)"
    r"|(?P<name>[\w.\-]*:[\w.:%\\\-]*)"  # prefixed names, blank node labels
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<open>\{)|(?P<close>\})"
    r"|(?P<nest>[(\[])|(?P<unnest>[)\]])"
    r"|(?P<operator>\^\^|&&|\|\||!=|<=|>=|[!^|/*+\-=<>,;.])"
    r"|(?P<word>[A-Za-z]+)",  # keywords
    re.DOTALL,
)
_TERMS = frozenset({"string", "iri", "variable", "name", "lang", "number"})


@dataclass(frozen=True)
class Token:
    """A token of SPARQL text, with its place and how deep in braces it stands."""

    kind: str  # "word", "open" / "close" (braces), "nest" / "unnest", "operator" or "term"
    text: str  # upper-cased for words
    start: int
    end: int
    depth: int  # braces open before the token (an opening brace counts itself out)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text` but comments, in order."""
    depth = 0
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or ""
        if kind == "comment":
            continue
        if kind == "word":
            yield Token("word", match[0].upper(), match.start(), match.end(), depth)
        elif kind == "open":
            yield Token("open", "{", match.start(), match.end(), depth)
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
            yield Token("close", "}", match.start(), match.end(), depth)
        else:
            kind = "term" if kind in _TERMS else kind
            yield Token(kind, match[0], match.start(), match.end(), depth)


def keywords(text: str) -> set[str]:
    """The bare words of a query or update, upper-cased: its keywords, outside strings, IRIs,
    names and comments.

    Code point escapes (`\\u0053ERVICE`) are undone first, as the SPARQL grammar says a parser
    does before it reads, so no parser can see a keyword this misses.
    """
    unescaped = _ESCAPE.sub(_unescape, text)
    return {m[0].upper() for m in _TOKENS.finditer(unescaped) if m.lastgroup == "word"}


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    return chr(code) if code <= 0x10FFFF else match[0]


def structure_problem(
    text: str, max_nesting: int = MAX_NESTING, max_tokens: int = MAX_TOKENS
) -> str | None:
    """Why `text` is too deep or too long to hand to pyoxigraph, or None when it is not.

    Data blocks (INSERT DATA, DELETE DATA, VALUES) are read flat by the parser: their tokens are
    not counted, but their nesting is.
    """
    nesting = deepest = counted = braces = 0
    previous = ""
    data_at = -1  # the brace depth the data block being read opened at; -1: not in one
    pending_data = False
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "comment":
            continue
        if kind == "open" or kind == "nest":
            nesting += 1
            deepest = max(deepest, nesting)
            if kind == "open":
                if pending_data and data_at < 0:
                    data_at = braces
                    pending_data = False
                braces += 1
        elif kind == "close" or kind == "unnest":
            nesting = max(nesting - 1, 0)
            if kind == "close":
                braces = max(braces - 1, 0)
                if braces == data_at:
                    data_at = -1
                    continue
        elif kind == "word":
            word = match[0].upper()
            if word == "VALUES" or (word == "DATA" and previous in ("INSERT", "DELETE")):
                pending_data = True
            previous = word
        if data_at < 0:
            counted += 1
    if deepest > max_nesting:
        return f"it nests {deepest} levels deep; the limit is {max_nesting}"
    if counted > max_tokens:
        return (
            f"it has {counted} tokens outside its data blocks; the limit is {max_tokens} "
            "(put long lists of values in a VALUES block)"
        )
    return None
