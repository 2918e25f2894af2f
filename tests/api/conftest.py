"""Fixtures for the HTTP API tests: real on-disk stores filled from hand-built records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.backends import oxigraph_server
from tests.api.graphs import build_store

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-document store, built once; apps open it read-only, so they can share it."""
    return build_store(tmp_path_factory.mktemp("graph") / "store")


@pytest.fixture(scope="session")
def store_client(store_path: Path) -> Iterator[TestClient]:
    """An app serving the shared store (read-only), started as uvicorn would start it."""
    app = create_app(Settings(store=store_path, read_only=True))
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


@pytest.fixture(scope="session")
def client(store_client: TestClient) -> TestClient:
    return store_client


#: where the REST suites read the shared graph: the store itself, or a remote SPARQL endpoint
BACKENDS = ("store", "oxigraph")


@pytest.fixture(scope="session", params=BACKENDS)
def rest_client(
    request: pytest.FixtureRequest,
    store_client: TestClient,
    store_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient]:
    """An app serving the shared graph's REST API: from the store, or (`diplokg serve --backend
    URL`) over a real `oxigraph serve` holding the same quads."""
    if request.param == "store":
        yield store_client
        return
    with oxigraph_server(store_path, tmp_path_factory.mktemp("oxigraph")) as url:
        app = create_app(Settings(backend=url))
        with TestClient(app, raise_server_exceptions=False) as started:
            yield started


@pytest.fixture
def make_client(store_path: Path) -> Iterator[MakeClient]:
    """Start an app with other settings: `make_client(max_results=2)`, `make_client(store=...)`."""
    with ExitStack() as stack:

        def make(**settings: Any) -> TestClient:
            settings.setdefault("store", store_path)
            settings.setdefault("read_only", settings["store"] == store_path)
            app = create_app(Settings(**settings))
            return stack.enter_context(TestClient(app, raise_server_exceptions=False))

        yield make


@pytest.fixture
def writable_client(tmp_path: Path, make_client: MakeClient) -> TestClient:
    """An app over a store of its own, opened for writing: what a refused write must not touch."""
    return make_client(store=build_store(tmp_path / "store"), read_only=False)
