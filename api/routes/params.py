"""Query and path parameters the REST routes share, and how a bad one becomes a 400."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query

from kg import queries

#: What ids and dates look like. The schema shows these patterns; the routes check the values
#: themselves, so that a bad one is a 400 saying what is wrong rather than a generic 422.
ID_PATTERN = r"^[A-Za-z0-9._~-]{1,200}$"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def id_query(description: str, *examples: str) -> Any:
    """A query parameter naming a resource by id."""
    return Query(
        description=description, examples=list(examples), json_schema_extra={"pattern": ID_PATTERN}
    )


def id_path(description: str, *examples: str) -> Any:
    """A path parameter naming a resource by id."""
    return Path(
        description=description, examples=list(examples), json_schema_extra={"pattern": ID_PATTERN}
    )


def date_query(description: str = "YYYY, YYYY-MM or YYYY-MM-DD") -> Any:
    """A `since` / `until` query parameter."""
    return Query(description=description, json_schema_extra={"pattern": DATE_PATTERN})


Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
DateParam = Annotated[str | None, date_query()]
EventType = Annotated[
    str | None,
    Query(
        alias="type",
        description="an event class (Meeting, Agree, ...); its subclasses are included",
    ),
]


def check_id(kind: str, value: str) -> None:
    """400 unless `value` can be the id of a resource (letters, digits, '.', '_', '~', '-')."""
    if not queries.valid_id(value):
        raise HTTPException(
            400,
            detail=f"{value!r} is not {kind} id: ids are letters, digits, '.', '_', '~' and '-'",
        )


def date_param(name: str, value: str | None, *, end: bool) -> dt.date | None:
    """A `since` / `until` value as its first (or, for `end`, last) day; 400 when unreadable."""
    if value is None:
        return None
    try:
        return queries.parse_date(value, end=end)
    except ValueError as err:
        raise HTTPException(400, detail=f"{name}: {err}") from None


def window(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """`since` / `until` as days; 400 when unreadable or when `until` is before `since`."""
    first = date_param("since", since, end=False)
    last = date_param("until", until, end=True)
    if first is not None and last is not None and last < first:
        raise HTTPException(400, detail=f"until ({until}) is before since ({since})")
    return first, last
