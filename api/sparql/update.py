"""Running a SPARQL 1.1 Update operation, with the protocol's `using-graph-uri` dataset.

pyoxigraph's `Store.update()` takes no dataset, so the protocol's `using-graph-uri` and
`using-named-graph-uri` are written into the update itself: each operation with a WHERE clause gets
`USING <g>` / `USING NAMED <g>` clauses, as if the client had written them, and a `DELETE WHERE`
becomes the `DELETE { P } USING ... WHERE { P }` it abbreviates (it cannot hold USING clauses).
The operations are found by rdflib's SPARQL Update parser and placed by `api.sparql.lexer`; the IRIs
are pyoxigraph NamedNodes, validated when the request was read. An update that names its own
dataset (USING, USING NAMED or WITH) as well is a 400, as the protocol says.

Without `using-graph-uri`, WHERE clauses read the store's default graph, the merge of the named
graphs, as queries do. Updates write named graphs only (`api.sparql.scope` finds which, so the
store keeps the merge in step in the same transaction).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from functools import partial

import anyio.to_thread
from fastapi import HTTPException
from fastapi.responses import Response
from pyoxigraph import NamedNode, Store

from api.settings import Settings
from api.sparql.lexer import Token, keywords, structure_problem, tokens
from api.sparql.protocol import SparqlUpdate
from api.sparql.scope import update_scope
from kg.store import GraphStore

log = logging.getLogger(__name__)

_DATASET_OPERATIONS = frozenset({"Modify", "DeleteWhere"})


async def execute_update(store: GraphStore, update: SparqlUpdate, settings: Settings) -> Response:
    """Run an update (in a worker thread, all or nothing) and answer 204 No Content."""
    await anyio.to_thread.run_sync(partial(run_update, store, update, settings.allow_service))
    return Response(status_code=204)


def run_update(store: GraphStore, update: SparqlUpdate, allow_service: bool = False) -> None:
    """Check, rewrite and apply an update (HTTPException when it is refused or fails)."""
    apply(store, prepare(update, allow_service=allow_service), update.base_iri)


def prepare(update: SparqlUpdate, *, allow_service: bool = False) -> str:
    """The text to run for an update operation: refused (400) when it would fetch URLs and that
    is not allowed, rewritten when the protocol names its dataset."""
    problem = structure_problem(update.text)
    if problem:  # pyoxigraph would overflow its stack on it, and crash the server
        raise HTTPException(400, detail=f"the update is too complex: {problem}")
    words = keywords(update.text)
    if not allow_service:
        if "SERVICE" in words:
            raise HTTPException(400, detail="SERVICE (federated query) is not allowed here")
        if "LOAD" in words:
            raise HTTPException(400, detail="LOAD is not allowed here: it would fetch a URL")
    if not (update.using_graphs or update.using_named_graphs):
        return update.text
    if not words & {"LOAD", "SERVICE"}:  # a dry run on an empty store may fetch nothing
        check_syntax(update.text, update.base_iri)
    return with_dataset(update.text, update.using_graphs, update.using_named_graphs)


def check_syntax(text: str, base_iri: str | None) -> None:
    """400 with pyoxigraph's message when `text` is not a valid update (run on an empty store)."""
    try:
        Store().update(text, base_iri=base_iri)
    except SyntaxError as err:
        raise HTTPException(400, detail=str(err)) from None
    except (OSError, RuntimeError, ValueError):
        pass  # valid syntax; the real run reports evaluation errors


def with_dataset(text: str, graphs: Sequence[NamedNode], named_graphs: Sequence[NamedNode]) -> str:
    """`text` with `USING` clauses for `graphs` and `USING NAMED` ones for `named_graphs` in
    each of its operations that has a WHERE clause."""
    operations = _operations(text)
    if any(name == "Modify" and conflict for name, conflict in operations):
        raise HTTPException(
            400,
            detail="the update names its dataset (USING, USING NAMED or WITH): "
            "it cannot take using-graph-uri or using-named-graph-uri as well",
        )
    words = list(tokens(text))
    wheres = [
        i for i, t in enumerate(words) if t.kind == "word" and t.text == "WHERE" and t.depth == 0
    ]
    expected = sum(1 for name, _ in operations if name in _DATASET_OPERATIONS)
    if len(wheres) != expected:
        raise HTTPException(
            400, detail="cannot apply using-graph-uri or using-named-graph-uri to this update"
        )
    using = " ".join([f"USING {g}" for g in graphs] + [f"USING NAMED {g}" for g in named_graphs])
    for i in reversed(wheres):  # from the end, so that earlier places do not move
        where = words[i]
        before = words[i - 1] if i > 0 else None
        if before is not None and before.kind == "word" and before.text == "DELETE":
            start, end = _group(words, i + 1)
            pattern = text[start:end]
            text = f"{text[: before.start]}DELETE {pattern} {using} WHERE {pattern}{text[end:]}"
        else:
            text = f"{text[: where.start]}{using} {text[where.start :]}"
    return text


def _operations(text: str) -> list[tuple[str, bool]]:
    """Each operation of an update: its name (rdflib's: "Modify", "DeleteWhere", "InsertData",
    ...) and whether it names its own dataset (USING, USING NAMED, WITH)."""
    from rdflib.plugins.sparql.parser import parseUpdate  # slow to import: only when needed

    try:
        parsed = parseUpdate(text)
    except Exception as err:  # pyparsing's ParseException, and what rdflib raises on terms
        raise HTTPException(
            400, detail=f"cannot apply using-graph-uri to this update: {err}"
        ) from None
    # not parsed.get("request", []): rdflib's CompValue.get answers the key itself when missing
    requests = parsed["request"] if "request" in parsed else []  # noqa: SIM401
    return [(op.name, "using" in op or "withClause" in op) for op in requests]


def _group(words: list[Token], start: int) -> tuple[int, int]:
    """Where the `{ ... }` group whose opening brace is words[start] begins and ends."""
    if start < len(words) and words[start].kind == "open":
        opening = words[start]
        for token in words[start + 1 :]:
            if token.kind == "close" and token.depth == opening.depth:
                return opening.start, token.end
    raise HTTPException(400, detail="cannot apply using-graph-uri to this update")


def apply(store: GraphStore, text: str, base_iri: str | None) -> None:
    """Run an update on the store, in one transaction (400 for a malformed or failing one, or
    for one that would write the default graph, which is the merge of the named graphs)."""
    scope = update_scope(text, base_iri)
    if scope.writes_default:
        check_syntax(text, base_iri)  # a malformed update gets the parser's message first
        raise HTTPException(
            400,
            detail=f"the update writes the default graph ({scope.writes_default}), which is the "
            "merge of the named graphs: write a named graph (GRAPH <iri> { ... } or WITH <iri>)",
        )
    try:
        store.update(text, base_iri=base_iri, graphs=scope.graphs)
    except SyntaxError as err:
        raise HTTPException(400, detail=str(err)) from None
    except (RuntimeError, ValueError) as err:
        raise HTTPException(400, detail=f"the update failed: {err}") from None
    except OSError as err:
        if keywords(text) & {"LOAD", "SERVICE"}:  # fetching a URL failed
            raise HTTPException(
                502, detail=f"fetching a URL (LOAD, SERVICE) failed: {err}"
            ) from None
        log.error("SPARQL update failed:\n%s", traceback.format_exc())
        raise HTTPException(500, detail="the update failed") from None
