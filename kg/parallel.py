"""Extraction past one process: a pool of local processes, or a Dask distributed cluster.

Either way each worker loads the spaCy pipeline once and turns batches of documents into plain
`Extraction` records; the build's one writer process puts them in the store (or `--out`), so the
store never has two writers. With `--parts DIR`, Dask workers write each partition as an N-Quads
part file instead, for `diplokg load` or a triple store's bulk loader.

Batches are submitted a few at a time (a bounded window), so a corpus of any size streams through
in a fixed amount of memory; results come back in input order.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any

from kg.records import Document, Extraction

#: documents sent to a worker at a time
BATCH = 8


class ParallelError(Exception):
    """A cluster that cannot be reached or used, with a one-line reason."""


def choose_extractor(
    *,
    workers: int = 1,
    dask: str | None = None,
    model: str | None = None,
    parts: Path | None = None,
) -> Runner:
    """The runner the build options ask for."""
    if dask is not None:
        return DaskRunner(dask, model=model, workers=workers, parts=parts)
    if workers > 1:
        return PoolRunner(workers, model=model)
    return LocalRunner(model)


def batches(documents: Iterable[Document], size: int = BATCH) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def windowed(
    submit: Callable[[list[Document]], Future[Any]], documents: Iterable[Document], window: int
) -> Iterator[Any]:
    """Submit batches, at most `window` in flight; their results in submission order."""
    pending: deque[Future[Any]] = deque()
    for batch in batches(documents):
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Runner:
    """Where extraction runs: a context manager whose `extract` maps documents to extractions."""

    def extract(self, documents: Iterator[Document]) -> Iterator[Extraction]:
        raise NotImplementedError

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop what the runner started."""


class LocalRunner(Runner):
    """Extraction in this process (the pipeline is loaded when a document first needs it)."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model

    def extract(self, documents: Iterator[Document]) -> Iterator[Extraction]:
        from kg.build import local_extractor

        return local_extractor(self.model)(documents)


# -- a pool of local processes ---------------------------------------------------------------------

_PIPELINE: Any = None
_PROBLEM: Exception | None = None


def _load(model: str | None) -> None:
    """A pool worker's start: load the pipeline once (an error is kept for the first batch)."""
    global _PIPELINE, _PROBLEM
    from kg.nlp import ModelError, load_pipeline

    try:
        _PIPELINE = load_pipeline(model)
    except ModelError as err:
        _PROBLEM = err


def _extract_batch(documents: list[Document]) -> list[Extraction]:
    from kg.extract import extract_all

    if _PROBLEM is not None:
        raise _PROBLEM
    return list(extract_all(documents, _PIPELINE))


class PoolRunner(Runner):
    """`build --workers N`: N spawned processes, each with its own pipeline."""

    def __init__(self, workers: int, model: str | None = None) -> None:
        self.workers = workers
        self.model = model
        self._pool: ProcessPoolExecutor | None = None

    def extract(self, documents: Iterator[Document]) -> Iterator[Extraction]:
        first = next(documents, None)
        if first is None:
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=mp.get_context("spawn"), initializer=_load,
                initargs=(self.model,),
            )  # fmt: skip
        pool = self._pool

        def submit(batch: list[Document]) -> Future[list[Extraction]]:
            return pool.submit(_extract_batch, batch)

        for result in windowed(submit, _chain(first, documents), 3 * self.workers):
            yield from result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _chain(first: Document, rest: Iterator[Document]) -> Iterator[Document]:
    yield first
    yield from rest


# -- Dask ----------------------------------------------------------------------------------------

PLUGIN = "diplokg-pipeline"


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Loads the spaCy pipeline once per Dask worker, when the worker starts."""

        name = PLUGIN

        def __init__(self, model: str | None) -> None:
            self.model = model
            self.nlp: Any = None

        def setup(self, worker: Any) -> None:
            from kg.nlp import load_pipeline

            self.nlp = load_pipeline(self.model)

    return PipelinePlugin


def _dask_extract(documents: list[Document]) -> list[Extraction]:
    """A Dask task: one partition of documents, read with the worker's pipeline."""
    from distributed import get_worker

    from kg.extract import extract_all

    nlp = get_worker().plugins[PLUGIN].nlp  # type: ignore[attr-defined]
    return list(extract_all(documents, nlp))


@dataclass(frozen=True)
class PartWritten:
    """What a worker wrote for one partition."""

    path: str
    quads: int
    extractions: list[Extraction]  # without their texts: the client has them


def _dask_part(documents: list[Document], folder: str, index: int, started: str) -> PartWritten:
    """A Dask task writing one partition as an N-Quads part file (written whole, then named)."""
    from kg.export.rdf import RdfFile
    from kg.rdf import extraction_quads

    extractions = _dask_extract(documents)
    path = Path(folder) / f"part-{index:05d}.nq"
    when = dt.datetime.fromisoformat(started)
    with RdfFile(path) as file:
        for extraction in extractions:
            file.write(list(extraction_quads(extraction, when)))
    light = [replace(x, document=replace(x.document, text="")) for x in extractions]
    return PartWritten(str(path), file.count, light)


class DaskRunner(Runner):
    """`build --dask tcp://HOST:8786` (or `local`: a LocalCluster of `workers` processes)."""

    def __init__(
        self, address: str, *, model: str | None = None, workers: int = 1, parts: Path | None = None
    ) -> None:
        self.address = address
        self.model = model
        self.workers = workers if workers > 1 else (os.cpu_count() or 1)
        self.parts = parts
        self.started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._client: Any = None
        self._cluster: Any = None
        self.part_files: list[str] = []

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ParallelError("--dask needs the dask[distributed] package") from None
        try:
            if self.address == "local":
                self._cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None,
                )  # fmt: skip
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.address, timeout="20s")
            self._client.register_plugin(_plugin_class()(self.model))
        except (OSError, TimeoutError) as err:
            self.close()
            raise ParallelError(f"cannot use the Dask cluster at {self.address}: {err}") from None
        return self._client

    def extract(self, documents: Iterator[Document]) -> Iterator[Extraction]:
        first = next(documents, None)
        if first is None:
            return
        client = self._connect()
        window = 2 * max(1, len(client.scheduler_info().get("workers", {}))) + 2
        if self.parts is None:
            for result in windowed(
                lambda batch: client.submit(_dask_extract, batch, pure=False),
                _chain(first, documents),
                window,
            ):
                yield from result
            return
        self.parts.mkdir(parents=True, exist_ok=True)
        folder = self.parts.resolve()
        counter = iter(range(1 << 62))
        texts: dict[str, str] = {}

        def submit(batch: list[Document]) -> Future[Any]:
            texts.update((d.id, d.text) for d in batch)
            return client.submit(
                _dask_part, batch, str(folder), next(counter),
                self.started.isoformat(), pure=False,
            )  # fmt: skip

        for written in windowed(submit, _chain(first, documents), window):
            self.part_files.append(written.path)
            for x in written.extractions:
                yield replace(x, document=replace(x.document, text=texts.pop(x.document.id, "")))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
