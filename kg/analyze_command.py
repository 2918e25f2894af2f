"""`diplokg analyze centrality|communities|path|timeline|ego`: the measures of kg.analysis as rich
tables, `--json` (the same objects as the HTTP API's `/analysis/...`) or `--csv`.

`diplokg analyze --json` with no subcommand keeps its first form: the most central actors of the
co-occurrence graph.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table

from kg.store import GraphStore, StoreError

analyze_app = typer.Typer(
    help="Network measures of the signed actor graph (asserted events only).",
    invoke_without_command=True,
    no_args_is_help=False,
)

Json = dict[str, Any]


class Sort(StrEnum):
    pagerank = "pagerank"
    betweenness = "betweenness"
    degree = "degree"
    weighted_degree = "weighted_degree"
    in_strength = "in_strength"
    out_strength = "out_strength"


class By(StrEnum):
    month = "month"
    year = "year"


StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder (default: $DIPLOKG_STORE, else ./data/store)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (as the HTTP API answers).")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print CSV rows.")]
Limit = Annotated[int, typer.Option("--limit", min=1, help="How many rows to show.")]
Since = Annotated[
    str | None, typer.Option("--since", help="YYYY[-MM[-DD]]: events overlapping from then.")
]
Until = Annotated[
    str | None, typer.Option("--until", help="YYYY[-MM[-DD]]: events overlapping until then.")
]


def _cli() -> Any:
    from kg import cli  # the command's own helpers: fail, consoles, open_store

    return cli


def _fail(message: str) -> NoReturn:
    _cli().fail(message)
    raise typer.Exit(1)  # fail() exits: this line only tells mypy so


@contextmanager
def _store(path: Path | None) -> Iterator[GraphStore]:
    store = _cli().open_store(path)
    try:
        yield store
    finally:
        store.close()


def _window(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    from kg import queries

    try:
        first = queries.parse_date(since) if since else None
        last = queries.parse_date(until, end=True) if until else None
    except ValueError as err:
        _fail(f"--since/--until: {err}")
    if first and last and last < first:
        _fail(f"--until ({until}) is before --since ({since})")
    return first, last


def _actor(store: GraphStore, actor_id: str) -> Json:
    from kg import queries

    found = queries.actor_ref(store, actor_id)
    if found is None:
        _fail(f"no actor with id {actor_id} (ids are the last part of an actor's IRI)")
    return dict(found)


def _emit(answer: Json, as_json: bool, as_csv: bool, rows: Iterable[Json] | None = None) -> bool:
    """Print JSON or CSV and say True, or say False for the caller to draw its table."""
    if as_json and as_csv:
        _fail("--json and --csv: choose one")
    if as_json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        return True
    if as_csv:
        flat = [_flatten(r) for r in (rows if rows is not None else answer["data"])]
        if flat:  # no rows, no columns to name: nothing printed
            writer = csv.DictWriter(sys.stdout, fieldnames=_columns(flat), restval="")
            writer.writeheader()
            writer.writerows(flat)
        return True
    return False


def _columns(rows: Iterable[Json]) -> list[str]:
    """Every column of the rows (they may differ: one `counts.CLASS` per class seen), in the
    order first seen, the columns of one nested object (`counts.`, `quads.`) kept together."""
    seen = list(dict.fromkeys(key for row in rows for key in row))
    group = {key: key.rpartition(".")[0] or key for key in seen}
    first = {name: i for i, name in reversed(list(enumerate(group[k] for k in seen)))}
    return sorted(seen, key=lambda key: first[group[key]])


def _flatten(row: Json, prefix: str = "") -> Json:
    flat: Json = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = " ".join(str(v) for v in value)
        else:
            flat[name] = "" if value is None else value
    return flat


def _show(table: Table, note: str) -> None:
    cli = _cli()
    cli.out_console.print(table)
    cli.err_console.print(note, highlight=False)


@analyze_app.callback()
def analyze(
    ctx: typer.Context,
    store: StoreOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many actors to list.")] = 10,
    as_json: AsJson = False,
) -> None:
    """Network measures of the actor graph. Without a subcommand: the most central actors by
    degree and betweenness (actors linked by shared events), as before."""
    from kg import analysis

    if ctx.invoked_subcommand is not None:
        return
    with _store(store) as graph_store:
        graph = analysis.actor_graph(graph_store)
    scores = analysis.centrality(graph, top=top)
    if as_json:
        payload = {
            "actors": graph.number_of_nodes(),
            "links": graph.number_of_edges(),
            "central": [s.__dict__ for s in scores],
        }
        print(json.dumps(payload, indent=2))
        return
    table = Table("actor", "type", "degree", "weighted degree", "betweenness")
    for s in scores:
        table.add_row(
            s.label, s.type, f"{s.degree:.3f}", str(s.weighted_degree), f"{s.betweenness:.3f}"
        )
    _show(table, f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} links")


@analyze_app.command()
def centrality(
    store: StoreOption = None,
    sort: Annotated[Sort, typer.Option("--sort", help="The measure to sort by.")] = Sort.pagerank,
    limit: Limit = 20,
    since: Since = None,
    until: Until = None,
    by: Annotated[
        By | None, typer.Option("--by", help="The same measures per month or year.")
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Also write the measures into the store (graph dipr:graph/analysis)."
        ),
    ] = False,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Every actor's degree, strength, PageRank, betweenness (brokerage) and community."""
    from kg import analysis

    first, last = _window(since, until)
    with _store(store) as graph_store:
        measures = analysis.measures_of(graph_store, since=first, until=last)
        written = 0
        if write:
            try:
                written = analysis.write_results(graph_store, measures)
            except StoreError as err:
                _fail(str(err))
        periods = (
            analysis.measures_over_time(
                analysis.projection_of(graph_store, since=first, until=last), by.value
            )
            if by is not None
            else None
        )
    if periods is not None:
        _by_period(periods, sort.value, limit, as_json, as_csv)
        return
    rows = [analysis.measures_row(r) for r in analysis.sort_actors(measures.actors, sort.value)]
    answer = analysis.page(
        rows,
        limit,
        0,
        sort=sort.value,
        nodes=measures.nodes,
        edges=measures.edges,
        betweenness=analysis.brokerage_note(measures),
    )
    if written:
        _cli().err_console.print(f"wrote {written} triples to {analysis.ANALYSIS_GRAPH}")
    if _emit(answer, as_json, as_csv):
        return
    table = Table("actor", "type", "PageRank", "betweenness", "degree", "in", "out", "community")
    for r in answer["data"]:
        table.add_row(
            r["actor"]["label"],
            r["actor"]["type"] or "",
            f"{r['pagerank']:.4f}",
            f"{r['betweenness']:.4f}",
            str(r["degree"]),
            str(r["in_strength"]),
            str(r["out_strength"]),
            str(r["community"]),
        )
    note = answer["betweenness"]
    how = (
        f"estimated from {note['k']} sampled actors, seed {note['seed']}"
        if note["approximate"]
        else "exact"
    )
    _show(table, f"{measures.nodes} actors, {measures.edges} links; betweenness {how}")


def _by_period(periods: list[Any], sort: str, top: int, as_json: bool, as_csv: bool) -> None:
    from kg import analysis

    data = [
        {
            "period": period,
            "nodes": m.nodes,
            "edges": m.edges,
            "actors": [
                analysis.measures_row(r) for r in analysis.sort_actors(m.actors, sort)[:top]
            ],
        }
        for period, m in periods
    ]
    answer = analysis.page(data, len(data) or 1, 0, sort=sort, top=top)
    rows = [{"period": d["period"], **a} for d in data for a in d["actors"]]
    if _emit(answer, as_json, as_csv, rows):
        return
    table = Table("period", "actors", "links", f"top by {sort}")
    for d in data:
        names = ", ".join(a["actor"]["label"] for a in d["actors"])
        table.add_row(d["period"], str(d["nodes"]), str(d["edges"]), names)
    _show(table, f"{len(data)} period(s)")


@analyze_app.command()
def communities(
    store: StoreOption = None,
    limit: Limit = 50,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Louvain communities of the actor graph (seeded: the same store gives the same answer)."""
    from kg import analysis

    first, last = _window(since, until)
    with _store(store) as graph_store:
        projection = analysis.projection_of(graph_store, since=first, until=last)
        found = analysis.measures_of(graph_store, since=first, until=last).communities
    answer = analysis.page(
        analysis.community_rows(projection, found),
        limit,
        0,
        nodes=projection.graph.number_of_nodes(),
        edges=projection.graph.number_of_edges(),
        modularity=found.modularity,
        seed=found.seed,
        resolution=found.resolution,
    )
    rows = [
        {"community": c["id"], "size": c["size"], **a} for c in answer["data"] for a in c["actors"]
    ]
    if _emit(answer, as_json, as_csv, rows):
        return
    table = Table("community", "size", "actors")
    for c in answer["data"]:
        table.add_row(str(c["id"]), str(c["size"]), ", ".join(a["label"] for a in c["actors"]))
    _show(
        table,
        f"{answer['total']} communities, modularity {found.modularity:.3f}, seed {found.seed}",
    )


@analyze_app.command()
def path(
    a: Annotated[str, typer.Argument(help="An actor id (PRK, moon-jae-in).")],
    b: Annotated[str, typer.Argument(help="Another actor id.")],
    store: StoreOption = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every path up to --max-length, not only the shortest.")
    ] = False,
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, max=6, help="Links at most.")
    ] = 4,
    limit: Limit = 10,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """How two actors are connected, with the sentence behind each hop."""
    from kg import analysis

    if a == b:
        _fail("a and b are the same actor: a path links two actors")
    first, last = _window(since, until)
    with _store(store) as graph_store:
        refs = _actor(graph_store, a), _actor(graph_store, b)
        projection = analysis.projection_of(graph_store, since=first, until=last)
        if every:
            found = analysis.simple_paths(projection, a, b, max_length=max_length, limit=limit)
        else:
            found = analysis.shortest_paths(projection, a, b, limit=limit)
        rows = analysis.paths_with_evidence(graph_store, projection, found)
    answer = {
        "data": rows,
        "total": len(rows),
        "limit": limit,
        "offset": 0,
        "a": refs[0],
        "b": refs[1],
        "mode": "all" if every else "shortest",
        "max_length": max_length,
    }
    hops = [
        {"path": n, "hop": i, **_hop_row(h)}
        for n, p in enumerate(rows)
        for i, h in enumerate(p["hops"])
    ]
    if _emit(answer, as_json, as_csv, hops):
        return
    cli = _cli()
    if not rows:
        cli.err_console.print(f"no path links {refs[0]['label']} and {refs[1]['label']}")
        return
    for n, p in enumerate(rows, start=1):
        table = Table(
            "from",
            "to",
            "way",
            "events",
            "score",
            "event",
            "evidence",
            title=f"path {n}: " + " → ".join(x["label"] for x in p["actors"]),
        )
        for h in p["hops"]:
            r = _hop_row(h)
            table.add_row(
                h["source"],
                h["target"],
                h["direction"],
                str(h["events"]),
                f"{h['score']:+.1f}",
                f"{r['via_type']} {r['via_date']}",
                f"{r['sentence']} ({r['document']}:{r['start']}-{r['end']})",
            )
        cli.out_console.print(table)
    cli.err_console.print(f"{len(rows)} path(s)")


def _hop_row(h: Json) -> Json:
    via = h.get("via") or {}
    evidence = (via.get("evidence") or [{}])[0]
    return {
        "source": h["source"],
        "target": h["target"],
        "direction": h["direction"],
        "events": h["events"],
        "score": h["score"],
        "via_event": via.get("id", ""),
        "via_type": via.get("type", ""),
        "via_date": via.get("date") or "",
        "document": (evidence.get("document") or {}).get("id", ""),
        "start": evidence.get("start", ""),
        "end": evidence.get("end", ""),
        "sentence": evidence.get("sentence") or "",
    }


@analyze_app.command()
def timeline(
    a: Annotated[str, typer.Argument(help="An actor id.")],
    b: Annotated[str, typer.Argument(help="Another actor id.")],
    store: StoreOption = None,
    by: Annotated[By, typer.Option("--by", help="Month or year buckets.")] = By.month,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Is a relationship warming or cooling? The pair's events per period and their trend."""
    from kg import analysis

    if a == b:
        _fail("a and b are the same actor: a trend needs two actors")
    first, last = _window(since, until)
    with _store(store) as graph_store:
        refs = _actor(graph_store, a), _actor(graph_store, b)
        projection = analysis.projection_of(graph_store, since=first, until=last)
    trend = analysis.pair_trend(projection, a, b, by=by.value)
    answer = analysis.trend_view(projection, trend, max(len(trend.buckets), 1), 0)
    answer["a"], answer["b"] = refs
    if _emit(answer, as_json, as_csv):
        return
    table = Table(
        "period", "events", f"{a}→{b}", f"{b}→{a}", "mutual", "coop", "conflict", "score", "mean"
    )
    for r in answer["data"]:
        mean = "" if r["mean_score"] is None else f"{r['mean_score']:+.2f}"
        table.add_row(
            r["period"],
            str(r["events"]),
            str(r["a_to_b"]),
            str(r["b_to_a"]),
            str(r["mutual"]),
            str(r["cooperation"]),
            str(r["conflict"]),
            f"{r['score']:+.1f}",
            mean,
        )
    slope = (
        "no trend (fewer than two dates)"
        if trend.slope is None
        else f"{trend.direction}: {trend.slope:+.2f} points a year"
    )
    _show(table, f"{trend.total} event(s), {trend.undated} not within one {by.value}; {slope}")


@analyze_app.command()
def ego(
    actor: Annotated[str, typer.Argument(help="An actor id.")],
    store: StoreOption = None,
    radius: Annotated[
        int, typer.Option("--radius", min=1, max=3, help="Links from the actor.")
    ] = 1,
    limit: Limit = 50,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """An actor's signed ego network: who it deals with, which way, how cooperatively."""
    from kg import analysis

    first, last = _window(since, until)
    with _store(store) as graph_store:
        center = _actor(graph_store, actor)
        projection = analysis.projection_of(graph_store, since=first, until=last)
    near = analysis.ego(projection, actor, radius=radius)
    answer = analysis.ego_view(projection, near, actor, radius, limit, 0)
    answer["center"] = center
    if _emit(answer, as_json, as_csv):
        return
    table = Table(
        "from", "to", "events", "coop", "conflict", "mean score", "classes", "first", "last"
    )
    for e in answer["data"]:
        table.add_row(
            e["source"],
            e["target"],
            str(e["weight"]),
            str(e["cooperation"]),
            str(e["conflict"]),
            f"{e['mean_score']:+.2f}",
            ", ".join(f"{c} {n}" for c, n in e["counts"].items()),
            e["first"] or "",
            e["last"] or "",
        )
    _show(table, f"{center['label']}: {len(answer['nodes'])} actor(s), {answer['total']} link(s)")
