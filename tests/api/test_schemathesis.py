"""Property-based checks of the whole HTTP API against its own OpenAPI schema (schemathesis).

Every operation is called with generated parameters and bodies, valid ones and invalid ones, with
the write token, on a throwaway store built like the other API tests'. No answer may be a 5xx,
have a status code or content type the schema does not declare, or a body its declared schema
rejects. Hypothesis runs derandomized with a bounded number of examples per operation, so the run
is deterministic and short.

The operations are listed from the app's schema at collection time (no store is opened for that);
the cases come from `APIOperation.as_strategy` rather than `schema.parametrize()`, whose lazy
fixture loader does not work with pytest 9.2.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from api.settings import Settings
from tests.api.graphs import MEETING_ID, MOON, build_store

TOKEN = "fuzz-token"
EXAMPLES = 50  # per operation and way of generating
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READS = ("GET", "HEAD")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
#: ids the test graph holds, for the "known" runs: generated ids almost never name anything
KNOWN_PATH = {"actor_id": "PRK", "event_id": MEETING_ID, "doc_id": "d2"}
KNOWN_QUERY = {"a": MOON, "b": "KOR"}


#: the app's schema, read without starting the app (no store is opened for it)
SPEC = create_app(Settings(store=Path("unused-store"))).openapi()


def string_bodies() -> set[str]:
    """The request media types whose body the schema declares as a plain string."""
    return {
        media
        for item in SPEC["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for media, content in operation.get("requestBody", {}).get("content", {}).items()
        if content.get("schema", {}).get("type") == "string"
    }


# schemathesis has no serializer for these (JSONL batches, SPARQL, RDF syntaxes) and would skip
# them: send the generated strings as they are
for _media in sorted(string_bodies()):
    schemathesis.serializer.alias(_media, "text/plain")


def operations() -> list[tuple[str, str, str]]:
    """(METHOD, path, how) for every operation the schema documents and every way of generating
    its requests: valid ones, invalid ones, and valid ones naming what the store holds (when the
    operation takes an id). Reads come first: the writes may empty the store."""
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method.upper() not in READS + WRITES:
                continue
            names = {p["name"] for p in operation.get("parameters", [])}
            ways = ["positive", "negative"] if _can_be_invalid(operation) else ["positive"]
            if names & (set(KNOWN_PATH) | set(KNOWN_QUERY)):
                ways.append("known")
            found.extend((method.upper(), path, how) for how in ways)
    return sorted(found, key=lambda op: (op[0] in WRITES, op[0], op[1], op[2]))


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """False for an operation whose only inputs are free-text path segments: every request to
    it is well-formed, so there is no invalid one to generate."""
    if "requestBody" in operation:
        return True
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        constraints = set(schema) - {"type", "title", "description", "examples"}
        if parameter["in"] != "path" or schema.get("type") != "string" or constraints:
            return True
    return False


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    """The schema of an app serving its own writable copy of the test graph, with a token.

    schemathesis starts the app's lifespan itself (the store opens then) and would keep it for
    the process: it is stopped here, so the store is closed before its folder goes.
    """
    path = build_store(tmp_path_factory.mktemp("fuzz") / "store")
    app = create_app(Settings(store=path, token=TOKEN, query_timeout=10.0))
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()


@pytest.mark.parametrize(("method", "path", "how"), operations())
def test_the_api_conforms_to_its_schema(
    api_schema: schemathesis.BaseSchema, method: str, path: str, how: str
) -> None:
    operation = api_schema[path][method]
    names = {p.name for p in operation.iter_parameters()}
    if how == "known":
        strategy = operation.as_strategy(
            path_parameters={k: v for k, v in KNOWN_PATH.items() if k in names} or None,
            query={k: v for k, v in KNOWN_QUERY.items() if k in names} or None,
        )
    else:
        strategy = operation.as_strategy(generation_mode=GenerationMode(how))

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

    call()
