"""The `diplokg` command: build, query, analyze, serve."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.corpus import InputError, count_documents, find_inputs, parse_date, read_inputs
from kg.evaluate.halves import Half
from kg.namespaces import PREFIXES
from kg.store import GraphStore, StoreError, default_store_path

app = typer.Typer(
    help="Build, query and serve knowledge graphs of diplomatic events read from news text.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out_console = Console()
err_console = Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder (default: $DIPLOKG_STORE, else ./data/store)."),
]


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear error line and a non-zero exit."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_store(path: Path | None, *, read_only: bool = False, create: bool = False) -> GraphStore:
    """The store at `path` (default: $DIPLOKG_STORE, else ./data/store), or one error line;
    only `create` makes one that is not there (a command that reads says it is missing)."""
    try:
        return GraphStore(path or default_store_path(), read_only=read_only, must_exist=not create)
    except StoreError as err:
        fail(str(err))


@app.command()
def build(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, .jsonl files or folders.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the graph to this file (.nq .trig .ttl .nt .jsonld)."),
    ] = None,
    store: StoreOption = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Document date (YYYY-MM-DD) where the input gives none."),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy pipeline (default: en_core_web_sm).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Extract in N processes (each loads the model once)."
        ),
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="tcp://HOST:8786|local",
            help="Extract on a Dask cluster (its scheduler's address, or 'local' for one on "
            "this machine).",
        ),
    ] = None,
    parts: Annotated[
        Path | None,
        typer.Option(
            "--parts",
            help="With --dask: the workers write N-Quads part files (one per partition) into "
            "this folder, which every worker must reach, instead of sending records back.",
        ),
    ] = None,
) -> None:
    """Extract events from INPUTS into the store, or into --out only, or both."""
    from kg.build import build as run_build
    from kg.export.rdf import RdfError, format_for
    from kg.nlp import ModelError
    from kg.parallel import ParallelError, choose_extractor

    try:
        default_date = parse_date(date, "--date") if date else None
        if out is not None:
            format_for(out)
        if parts is not None and dask is None:
            raise InputError("--parts", "part files are written by Dask workers: add --dask")
    except (InputError, RdfError) as err:
        fail(str(err))
    found = list(find_inputs(inputs))
    if not any(isinstance(item, Path) for item in found):
        for item in found:
            err_console.print(f"[bold red]error:[/] {item}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    to_store = store is not None or (out is None and parts is None)
    graph_store = open_store(store, create=True) if to_store else None
    progress = Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=not err_console.is_terminal,
    )
    try:
        extractor = choose_extractor(workers=workers, dask=dask, model=model, parts=parts)
        with progress, extractor:
            task = progress.add_task("documents", total=count_documents(found))
            report = run_build(
                read_inputs(found, default_date),
                store=graph_store,
                out=out,
                model=model,
                extractor=extractor.extract,
                started=getattr(extractor, "started", None),
                on_document=lambda _: progress.advance(task),
            )
    except (ModelError, StoreError, ParallelError, RdfError) as err:
        fail(str(err))
    finally:
        if graph_store is not None:
            graph_store.close()
    for note in report.notes:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    counts = {
        s: list(report.statuses.values()).count(s) for s in ("added", "replaced", "unchanged")
    }
    extracted = report.extracted
    events = sum(n for d, n in report.events.items() if report.statuses.get(d) != "unchanged")
    summary = f"{extracted} document(s) extracted, {events} event(s)"
    if graph_store is not None:
        summary += ", store {}: {} added, {} replaced, {} unchanged".format(
            store or default_store_path(), counts["added"], counts["replaced"], counts["unchanged"]
        )
        if counts["unchanged"] and not extracted:
            summary += " (nothing new to extract)"
    if out is not None:
        summary += f", wrote {report.quads} quads to {out}"
    if parts is not None:
        summary += f", part files in {parts}"
    err_console.print(summary, highlight=False)
    for error in report.errors:
        err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query ('-' reads it from stdin).")],
    store: StoreOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """Run a SPARQL query over the store (the default graph is the merge of all graphs)."""
    text = sys.stdin.read() if sparql == "-" else sparql
    graph_store = open_store(store)
    try:
        try:
            result = graph_store.query(text, prefixes=False)
        except SyntaxError as err:
            fail(f"malformed query: {err}")
        except (OSError, RuntimeError) as err:
            fail(f"query failed: {err}")
        if isinstance(result, QueryBoolean):
            answer = bool(result)
            if fmt is OutputFormat.json:
                out_console.print_json(json.dumps({"head": {}, "boolean": answer}))
            else:
                print("true" if answer else "false")
        elif isinstance(result, QuerySolutions):
            _print_solutions(result, fmt)
        else:
            rdf_format = RdfFormat.N_TRIPLES if fmt is OutputFormat.csv else RdfFormat.TURTLE
            data = serialize(
                list(result),
                format=rdf_format,
                prefixes=PREFIXES if rdf_format is RdfFormat.TURTLE else None,
            )
            sys.stdout.write((data or b"").decode("utf-8"))
    finally:
        graph_store.close()


def _print_solutions(result: QuerySolutions, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write((result.serialize(format=QueryResultsFormat.JSON) or b"").decode() + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write((result.serialize(format=QueryResultsFormat.CSV) or b"").decode())
        return
    names = [v.value for v in result.variables]
    table = Table(*names, show_lines=False)
    rows = 0
    for row in result:
        table.add_row(*[_short(row[n]) for n in names])
        rows += 1
    out_console.print(table)
    err_console.print(f"{rows} row(s)")


def _short(term: object) -> str:
    """A term as people read it: prefixed IRIs, plain literal values."""
    if term is None:
        return ""
    value = str(getattr(term, "value", term))
    if type(term).__name__ == "NamedNode":
        for prefix, iri in PREFIXES.items():
            if value.startswith(iri):
                return f"{prefix}:{value[len(iri) :]}"
    return value


class Protocol(StrEnum):
    auto = "auto"
    quads = "quads"
    gsp = "gsp"
    update = "update"


@app.command()
def load(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="N-Quads/N-Triples files to send (default: the store's graphs)."),
    ] = None,
    store: StoreOption = None,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="The target's Graph Store Protocol URL (Oxigraph: http://host:7878/store), or "
            "its SPARQL Update URL.",
        ),
    ] = "",
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            metavar="IRI|default",
            help="Send the merge of all graphs, each triple once, into this one graph.",
        ),
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User name (Basic or Digest).")] = None,
    password: Annotated[str | None, typer.Option("--password", help="Password.")] = None,
    token: Annotated[str | None, typer.Option("--token", help="Bearer token.")] = None,
    protocol: Annotated[
        Protocol,
        typer.Option(
            "--protocol",
            help="quads (many graphs per request as N-Quads), gsp (graph by graph), update "
            "(SPARQL Update), or auto (quads, else gsp, else update).",
        ),
    ] = Protocol.auto,
    update_url: Annotated[
        str | None,
        typer.Option(
            "--update-url",
            help="The SPARQL Update URL that drops a batch's graphs (default: beside the "
            "endpoint, .../store or .../data → .../update).",
        ),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Triples per request.")] = 20_000,
    batch_bytes: Annotated[
        int, typer.Option("--batch-bytes", min=1024, help="Bytes of N-Quads per request, at most.")
    ] = 32 * 1024 * 1024,
    retries: Annotated[
        int, typer.Option("--retries", min=0, help="Tries again after a transient failure.")
    ] = 4,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, help="Requests in flight at once.")
    ] = 2,
) -> None:
    """Send the store's graphs (or FILES) to another triple store, many graphs per request."""
    from kg.load import (
        Journal,
        LoadError,
        Sender,
        client_for,
        file_graphs,
        journal_path,
        merged_graph,
        store_graphs,
        target_graph,
        update_url_for,
    )
    from kg.load import load as run_load

    if not endpoint.startswith(("http://", "https://")):
        fail(f"--endpoint: give the target's http(s) URL, not {endpoint!r}")
    if token and user:
        fail("give --user/--password or --token, not both")
    try:
        merged, target = target_graph(graph)
    except ValueError as err:
        fail(f"--graph: {graph!r} is not an IRI ({err})")
    paths = list(files or [])
    for path in paths:
        if not path.is_file():
            fail(f"{path}: no such file")
    graph_store = None if paths else open_store(store, read_only=True)
    source = paths[0] if paths else Path(graph_store.path or ".")  # type: ignore[union-attr]
    journal = Journal(journal_path(source, endpoint, graph))
    resumed = len(journal.done)
    if paths:
        graphs = file_graphs(paths, target, merged=merged)
        total = None
    else:
        assert graph_store is not None
        graphs = merged_graph(graph_store, target) if merged else store_graphs(graph_store)
        total = 1 if merged else len(graph_store.named_graphs())
    progress = Progress(
        TextColumn("[bold]loading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[triples]:,} triples"),
        TimeElapsedColumn(),
        console=err_console,
        transient=not err_console.is_terminal,
    )
    try:
        with client_for(user=user, password=password, token=token) as http, progress:
            task = progress.add_task("graphs", total=total, triples=0)
            updates = update_url or (update_url_for(endpoint) if protocol != Protocol.gsp else None)
            if protocol == Protocol.quads and updates is None:
                fail("--protocol quads: give --update-url (the endpoint's SPARQL Update URL)")
            sender = Sender(
                http, endpoint, protocol=protocol.value, update_url=updates, retries=retries
            )

            def advance(graph_done: bool, count: int) -> None:
                sent = progress.tasks[0].fields["triples"] + count
                progress.update(task, advance=int(graph_done), triples=sent)

            report = run_load(
                graphs, sender, journal=journal, batch=batch, batch_bytes=batch_bytes,
                parallel=parallel, on_progress=advance,
            )  # fmt: skip
    except LoadError as err:
        fail(f"{err}; run the same command again to send the rest")
    finally:
        if graph_store is not None:
            graph_store.close()
    how = {
        "quads": f"N-Quads batches, {report.requests} request(s)",
        "update": "SPARQL Update",
    }.get(report.protocol, "Graph Store Protocol, graph by graph")
    summary = (
        f"loaded {report.graphs} graph(s), {report.triples:,} triples in {report.seconds:.1f} s "
        f"into {endpoint} ({how})"
    )
    if report.skipped or resumed:
        summary += f"; {report.skipped} graph(s) were sent by an interrupted run"
    err_console.print(summary, highlight=False)


@app.command()
def export(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The file to write; its extension picks the format: .nq .trig .ttl .nt .jsonld "
            "(RDF), .csv .tsv (the event table), .graphml .gexf (the actor network).",
        ),
    ],
    store: StoreOption = None,
) -> None:
    """Write the store to a file, in the format the file's extension names."""
    from kg.export import ExportError, check_output
    from kg.export import export as run_export

    try:
        check_output(out)
    except ExportError as err:
        fail(str(err))
    graph_store = open_store(store, read_only=True)
    try:
        written = run_export(graph_store, out)
    except ExportError as err:
        fail(str(err))
    finally:
        graph_store.close()
    err_console.print(f"wrote {written.count:,} {written.unit} to {out}", highlight=False)


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Enable writes (SPARQL Update, /store, documents) for requests bearing this "
            "token (default: $DIPLOKG_TOKEN, else no writes).",
        ),
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let SERVICE and LOAD make the server fetch outside URLs."
        ),
    ] = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="An origin browsers may call the API from ('*' for any); repeatable "
            "(default: $DIPLOKG_CORS_ORIGINS, comma-separated).",
        ),
    ] = None,
    query_timeout: Annotated[
        float | None,
        typer.Option(
            "--query-timeout",
            min=0.001,
            help="Seconds a query (SPARQL or REST) may run before it is stopped with a 503 "
            "(default 30).",
        ),
    ] = None,
    max_queries: Annotated[
        int | None,
        typer.Option(
            "--max-queries",
            min=1,
            help="Queries (SPARQL and REST) run at once, each in its own process; beyond that "
            "503 with Retry-After (default: the number of cores).",
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            metavar="URL",
            help="Serve the REST API and /sparql over this remote SPARQL 1.1 query endpoint "
            "instead of the store (read-only; default: $DIPLOKG_BACKEND).",
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint and the REST API over HTTP."""
    from dataclasses import replace

    from api.main import serve as run_server
    from api.settings import Settings

    path = store or default_store_path()
    try:
        settings = Settings.from_env()
        settings = replace(
            settings,
            store=path,
            token=token if token is not None else settings.token,
            allow_service=allow_service or settings.allow_service,
            cors_origins=tuple(cors_origin) if cors_origin else settings.cors_origins,
            query_timeout=query_timeout or settings.query_timeout,
            max_queries=max_queries or settings.max_queries,
            backend=backend or settings.backend,
        )
    except ValueError as err:
        fail(str(err))
    writes = "writes need the token" if settings.token else "no token: writes are off"
    what = f"endpoint {settings.backend}" if settings.backend else f"store {path}"

    def announce() -> None:  # once the store opened and the port is ours, not before
        err_console.print(f"serving {what} on http://{host}:{port} (API docs at /docs; {writes})")

    try:
        run_server(settings, host=host, port=port, announce=announce)
    except (StoreError, OSError) as err:
        fail(str(err))


@app.command("eval")
def evaluate(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="GOLD",
            help="Gold files (shared/gold/*.json); their `file` is the text to read.",
        ),
    ] = None,
    plover: Annotated[
        Path | None,
        typer.Option("--plover", help="PLOVER gold-standard records (gsr.jsonl)."),
    ] = None,
    cameo: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            "--cameo",
            metavar="CLASS.tsv NER.txt",
            help="CAMEO five-class sentences (sentence<TAB>label) and their actor spans (CoNLL).",
        ),
    ] = None,
    half: Annotated[
        Half | None,
        typer.Option("--half", help="Score only this half of the gold documents (A or B)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every number and every miss as JSON.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write the markdown report (e.g. docs/quality.md)."),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy pipeline (default: en_core_web_sm).")
    ] = None,
    misses: Annotated[
        str,
        typer.Option("--misses", metavar="N|all", help="Misses shown per kind: a number or 'all'."),
    ] = "10",
) -> None:
    """Score the extractor against gold files, the PLOVER records and/or the CAMEO sentences."""
    from kg.evaluate.command import EvalError, EvalRequest, run

    if misses == "all":
        limit: int | None = None
    elif misses.isdigit():
        limit = int(misses)
    else:
        fail(f"--misses: expected a number or 'all', got {misses!r}")
    request = EvalRequest(
        gold=tuple(gold or ()),
        plover=plover,
        cameo=cameo,
        half=half,
        json_out=json_out,
        report=report,
        model=model,
        misses=limit,
    )
    try:
        run(request, out_console, err_console)
    except EvalError as err:
        fail(str(err))


from kg.analyze_command import analyze_app  # noqa: E402 (it uses the helpers above)

app.add_typer(analyze_app, name="analyze")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
