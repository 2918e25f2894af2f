"""Content negotiation: the formats the endpoint writes, and the one an Accept header picks.

Accept headers are read by python-mimeparse, which honours q-values (`q=0` refuses a type),
`*/*` and `type/*`. Each table lists its media types least preferred first: the last one is the
default, and it wins ties (`*/*`, a missing or unreadable header). Add a media type to a table and
the endpoint offers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar

import mimeparse
from fastapi import HTTPException
from pyoxigraph import QueryResultsFormat, RdfFormat

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
TRIG = "application/trig"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"

#: Media types offered for SELECT and ASK results, least preferred first.
SOLUTION_FORMATS: Mapping[str, QueryResultsFormat] = MappingProxyType(
    {
        TSV: QueryResultsFormat.TSV,
        CSV: QueryResultsFormat.CSV,
        SPARQL_XML: QueryResultsFormat.XML,
        "application/json": QueryResultsFormat.JSON,
        SPARQL_JSON: QueryResultsFormat.JSON,
    }
)
#: Media types offered for graphs (CONSTRUCT, DESCRIBE, the service description, /store),
#: least preferred first. Dataset formats hold the triples in their default graph.
GRAPH_FORMATS: Mapping[str, RdfFormat] = MappingProxyType(
    {
        JSON_LD: RdfFormat.JSON_LD,
        RDF_XML: RdfFormat.RDF_XML,
        N_QUADS: RdfFormat.N_QUADS,
        TRIG: RdfFormat.TRIG,
        N_TRIPLES: RdfFormat.N_TRIPLES,
        TURTLE: RdfFormat.TURTLE,
    }
)

F = TypeVar("F", QueryResultsFormat, RdfFormat, None)


def negotiate(accept: str | None, offered: Mapping[str, F]) -> str | None:
    """The offered media type the Accept header prefers: the default (the last offered) when the
    header is missing, blank or unreadable, None when it accepts none of them."""
    return _best(accept, tuple(offered))


@lru_cache(maxsize=256)
def _best(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """`negotiate`, remembered for the Accept headers last seen (clients send the same few
    again and again; mimeparse reads one in tens of microseconds)."""
    default = offered[-1]
    if not accept or not accept.strip():
        return default
    try:
        best: str = mimeparse.best_match(list(offered), accept.lower())  # types ignore case
    except (ValueError, IndexError):  # mimeparse.MimeTypeParseException is a ValueError
        return default
    return best or None


def choose(accept: str | None, offered: Mapping[str, F], what: str) -> tuple[str, F]:
    """The media type and format to answer with; 406 naming what is offered when none fits."""
    media = negotiate(accept, offered)
    if media is None:
        types = ", ".join(reversed(list(offered)))
        raise HTTPException(406, detail=f"{what} can be sent as {types}; not as {accept}")
    return media, offered[media]


def accepts(accept: str | None, media: str) -> bool:
    """Whether the Accept header takes `media` (the one type offered): true for a missing, blank
    or unreadable header, as `negotiate` defaults on those."""
    return negotiate(accept, {media: None}) is not None
