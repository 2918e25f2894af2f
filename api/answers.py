"""REST answers as JSON bytes, each Event written once per model rather than once per request.

An Event model is kept per store version in each query worker (`api.event_models`), and a page
that shows it again (an actor's relations: 250 events, 188 KiB) used to serialise it again:
most of the worker's time for such a page. `dump` writes what pydantic's
`model_dump_json(by_alias=True)` writes, the same bytes, but takes the JSON of each Event model
the worker keeps from `EVENT_JSON`, written the first time (by the model's identity: a model made
anew is written anew). Models that hold no Event are written by pydantic in one call.
"""

from __future__ import annotations

import threading
import typing
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_json

from api.models import Event

#: Event JSON kept, as the event models are (kg.analysis.cache.MAX_EVENTS).
MAX_KEPT = 20_000


class EventJson:
    """The JSON of the Event models a worker keeps (`keep`), the most recently used first;
    each model is kept with its JSON, so that its identity cannot pass to another model while
    its JSON is kept. Other Event models (made for one answer) are written, not kept."""

    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self.max_kept = max_kept
        self._kept: OrderedDict[int, tuple[Event, bytes | None]] = OrderedDict()
        self._guard = threading.Lock()

    def keep(self, events: Iterable[Event]) -> None:
        """Write these models once from now on (they are kept for later answers)."""
        with self._guard:
            for event in events:
                key = id(event)
                kept = self._kept.get(key)
                if kept is None or kept[0] is not event:
                    self._kept[key] = (event, None)
                self._kept.move_to_end(key)
            while len(self._kept) > self.max_kept:
                self._kept.popitem(last=False)

    def kept(self, event: Event) -> bool:
        """Whether the model is one the worker keeps."""
        kept = self._kept.get(id(event))
        return kept is not None and kept[0] is event

    def __call__(self, event: Event) -> bytes:
        key = id(event)
        kept = self._kept.get(key)  # one lookup: atomic, no lock needed to read
        if kept is not None and kept[0] is event and kept[1] is not None:
            return kept[1]
        written = type(event).__pydantic_serializer__.to_json(event, by_alias=True)
        if kept is not None and kept[0] is event:
            with self._guard:
                if key in self._kept and self._kept[key][0] is event:
                    self._kept[key] = (event, written)
        return written

    def clear(self) -> None:
        with self._guard:
            self._kept.clear()


#: The worker's Event JSON.
EVENT_JSON = EventJson()


def dump(model: BaseModel) -> bytes:
    """`model.model_dump_json(by_alias=True)` as bytes, with the Events in it that the worker
    keeps from `EVENT_JSON`. A model whose first Event is not kept is written by pydantic in one
    call (its events were made for this answer: walking it would cost more than it saves)."""
    first = _first_event(model)
    if first is None or not EVENT_JSON.kept(first):
        return model.__pydantic_serializer__.to_json(model, by_alias=True)
    out: list[bytes | memoryview] = []
    _write(model, out)
    return b"".join(out)


def _first_event(value: Any) -> Event | None:
    """The first Event in the value, looking no further than it must."""
    if isinstance(value, Event):
        return value
    if isinstance(value, BaseModel):
        for name in _event_fields(type(value)):
            found = _first_event(getattr(value, name))
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for item in value:
            found = _first_event(item)
            if found is not None:
                return found
    return None


def _write(value: Any, out: list[bytes | memoryview]) -> None:
    """Append the value's JSON to `out` in pieces, joined once at the end (no piece copied into
    a bigger one on the way up)."""
    if isinstance(value, Event):
        out.append(EVENT_JSON(value))
    elif isinstance(value, BaseModel):
        runs = _runs(type(value))
        serializer = value.__pydantic_serializer__
        if runs is None:
            out.append(serializer.to_json(value, by_alias=True))
            return
        out.append(b"{")
        first = True
        for plain, names, key in runs:
            if plain:  # fields holding no Event, written by pydantic in one call
                written = serializer.to_json(value, by_alias=True, include=names)
                if len(written) > 2:
                    out.append(memoryview(written)[1:-1] if first else b"," + written[1:-1])
                    first = False
            else:
                out.append(key if first else b"," + key)
                first = False
                _write(getattr(value, next(iter(names))), out)
        out.append(b"}")
    elif isinstance(value, list | tuple):
        out.append(b"[")
        for n, item in enumerate(value):
            if n:
                out.append(b",")
            _write(item, out)
        out.append(b"]")
    else:
        out.append(_leaf(value))


def _leaf(value: Any) -> bytes:
    """A value holding no Event, as a model's serialiser writes it (NaN and infinities as null)."""
    if isinstance(value, BaseModel):
        return value.__pydantic_serializer__.to_json(value, by_alias=True)
    return to_json(value, by_alias=True, inf_nan_mode="null")


#: A run of a model's fields: whether they hold no Event, their names, the JSON key of the one
#: field holding Events (with its colon; b"" for a run of plain fields).
Run = tuple[bool, set[str], bytes]


@cache
def _runs(cls: type[BaseModel]) -> tuple[Run, ...] | None:
    """A model's fields in order, as runs of fields holding no Event (written by pydantic in
    one call each) and single fields that may hold one; None when none may."""
    events = _event_fields(cls)
    if not events:
        return None
    runs: list[Run] = []
    plain: list[str] = []
    for name, field in cls.model_fields.items():
        if field.exclude:
            continue
        if name not in events:
            plain.append(name)
            continue
        if plain:
            runs.append((True, set(plain), b""))
            plain = []
        key = to_json(field.serialization_alias or field.alias or name) + b":"
        runs.append((False, {name}, key))
    if plain:
        runs.append((True, set(plain), b""))
    return tuple(runs)


@cache
def _event_fields(cls: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that may hold an Event (in a list, an optional, another model)."""
    if _plain_config(cls):
        return frozenset(
            name for name, field in cls.model_fields.items() if _holds_event(field.annotation)
        )
    return frozenset()


def _plain_config(cls: type[BaseModel]) -> bool:
    """Whether the model's own serialisation is the default one field after field (no custom
    serialiser, no computed field), so that writing it field by field writes the same bytes."""
    decorators = cls.__pydantic_decorators__
    return not (
        decorators.model_serializers
        or decorators.field_serializers
        or decorators.computed_fields
        or cls.model_config.get("ser_json_inf_nan") not in (None, "null")
    )


def _holds_event(annotation: Any, seen: frozenset[Any] = frozenset()) -> bool:
    if annotation in seen:
        return False
    if isinstance(annotation, type) and issubclass(annotation, Event):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_event_fields(annotation))
    return any(_holds_event(arg, seen | {annotation}) for arg in typing.get_args(annotation))
