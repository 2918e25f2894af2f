"""api.event_models: an answer's events validated once per store version, and the answers the
routes give with them byte for byte the same as validating them afresh."""

from __future__ import annotations

from pathlib import Path

from api.event_models import MODELS
from api.models import EventList, RelationList
from api.routes.actors import relation_page
from api.routes.events import event_page
from kg import analysis
from kg.store import GraphStore
from tests.api.graphs import MOON, build_store, extraction_d1


def relations(store: GraphStore, actor: str) -> RelationList:
    return relation_page(
        store, actor_id=actor, event_type=None, since=None, until=None,
        limit=50, offset=0, events_limit=5,
    )  # fmt: skip


def events(store: GraphStore, actor: str) -> EventList:
    return event_page(
        store, event_type=None, actors=[actor], place=None, since=None, until=None,
        modality="asserted", limit=50, offset=0,
    )  # fmt: skip


def test_answers_match_a_fresh_validation_and_reuse_the_models(tmp_path: Path) -> None:
    store = GraphStore(build_store(tmp_path / "store"))
    try:
        found = analysis.relations(store, MOON)
        assert found is not None
        fresh = RelationList.model_validate(
            {"data": found[0], "total": found[1], "limit": 50, "offset": 0}
        )
        first = relations(store, MOON)
        assert first.model_dump_json(by_alias=True) == fresh.model_dump_json(by_alias=True)
        again = relations(store, MOON)
        shown = [e for relation in first.data for e in relation.events]
        assert shown and all(
            a is b for a, b in zip(shown, (e for r in again.data for e in r.events), strict=True)
        )
        listed = {e.id: e for e in events(store, MOON).data}
        assert all(listed[e.id] is e for e in shown)  # one model per event, whichever route
    finally:
        store.close()


def test_a_write_makes_new_models(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    try:
        assert store.add(extraction_d1()) == "added"
        before = {e.id: e for r in relations(store, MOON).data for e in r.events}
        assert before
        assert store.remove(extraction_d1().document.id)
        assert store.add(extraction_d1()) == "added"  # the same facts, a new version
        after = {e.id: e for r in relations(store, MOON).data for e in r.events}
        assert after.keys() == before.keys()
        assert all(after[i] is not before[i] for i in after)
        assert after == before  # equal models, made again
    finally:
        MODELS.clear()
        store.close()
