"""Network analysis of the stored graph with networkx, built on kg.queries (its only reader).

Modules:

- `projection`: the signed, directed actor graph (`project`, `Projection`; initiator → recipient,
  both ways for meetings and agreements) and the bipartite actor–event graph;
- `scale`: PLOVER's quad classes and cooperation–conflict scores per event class (reviewed data);
- `measures`: degree, strength, PageRank, brokerage (betweenness), Louvain communities;
- `chains`: shortest and simple paths with the event behind each hop, ego networks;
- `time`: the same measures per month or year, and a pair's cooperation–conflict trend;
- `cache`: all of it computed once per store version (`projection_of`, `measures_of`,
  `index_of`, `directory_of`, `actor_graph_of`);
- `index`: who took part in which asserted events, by actor and date, for the REST reads;
- `reads`: relations and pages of events counted and paged on that index;
- `results`: the measures written back as RDF in their own named graph;
- `views`: the answers as JSON-ready dicts, the same for the HTTP API and the CLI;
- `graph`: the older undirected graph of actors sharing events (`actor_graph`) and its measures;
- `network`: ego networks and paths over that graph, with the events behind each link.

Import from `kg.analysis` itself: the names below are its interface.
"""

from kg.analysis.cache import (
    CACHE,
    EVENTS,
    EventMemo,
    ResultCache,
    actor_graph_of,
    directory_of,
    facts_of,
    index_of,
    measures_of,
    projection_of,
    store_version,
    warm,
)
from kg.analysis.chains import Hop, Path, ego, hop, shortest_paths, simple_paths
from kg.analysis.graph import (
    ACTOR_TYPES,
    ActorScore,
    actor_graph,
    build_graph,
    centrality,
    communities,
    cooccurrence,
)
from kg.analysis.index import EventIndex, build_index
from kg.analysis.measures import (
    BETWEENNESS_SAMPLE,
    EXACT_BETWEENNESS_UP_TO,
    SEED,
    SORT_KEYS,
    ActorMeasures,
    Brokerage,
    Communities,
    Measures,
    actor_measures,
    brokerage,
    degree,
    in_strength,
    louvain_communities,
    out_strength,
    pagerank,
    sort_actors,
    weighted_degree,
)
from kg.analysis.network import (
    EVENTS_PER_LINK,
    EdgeView,
    NetworkView,
    PathsView,
    StepView,
    ego_network,
    paths,
)
from kg.analysis.projection import (
    Projection,
    bipartite,
    counts_of,
    links_of,
    pair_events,
    project,
    read_projection,
    subprojection,
)
from kg.analysis.reads import EVENTS_PER_RELATION, event_details, event_page, relations
from kg.analysis.results import ANALYSIS_GRAPH, result_quads, write_results
from kg.analysis.scale import QUADS, ClassWeight, Quad, Tally, class_weights, tally
from kg.analysis.time import (
    PERIODS,
    PairTrend,
    Period,
    TrendBucket,
    measures_over_time,
    over_time,
    pair_trend,
    period_of,
    periods_between,
    slices,
)
from kg.analysis.views import (
    actor_row,
    brokerage_note,
    community_rows,
    edge_row,
    ego_view,
    measures_row,
    page,
    path_rows,
    paths_with_evidence,
    trend_view,
)
from kg.queries import ActorInfo, EventFacts

__all__ = [
    "ACTOR_TYPES",
    "ANALYSIS_GRAPH",
    "BETWEENNESS_SAMPLE",
    "CACHE",
    "EVENTS",
    "EVENTS_PER_LINK",
    "EVENTS_PER_RELATION",
    "EXACT_BETWEENNESS_UP_TO",
    "PERIODS",
    "QUADS",
    "SEED",
    "SORT_KEYS",
    "ActorInfo",
    "ActorMeasures",
    "ActorScore",
    "Brokerage",
    "ClassWeight",
    "Communities",
    "EdgeView",
    "EventFacts",
    "EventIndex",
    "EventMemo",
    "Hop",
    "Measures",
    "NetworkView",
    "PairTrend",
    "Path",
    "PathsView",
    "Period",
    "Projection",
    "Quad",
    "ResultCache",
    "StepView",
    "Tally",
    "TrendBucket",
    "actor_graph",
    "actor_graph_of",
    "actor_measures",
    "actor_row",
    "bipartite",
    "brokerage",
    "brokerage_note",
    "build_graph",
    "build_index",
    "centrality",
    "class_weights",
    "communities",
    "community_rows",
    "cooccurrence",
    "counts_of",
    "degree",
    "directory_of",
    "edge_row",
    "ego",
    "ego_network",
    "ego_view",
    "event_details",
    "event_page",
    "facts_of",
    "hop",
    "in_strength",
    "index_of",
    "links_of",
    "louvain_communities",
    "measures_of",
    "measures_over_time",
    "measures_row",
    "out_strength",
    "over_time",
    "page",
    "pagerank",
    "pair_events",
    "pair_trend",
    "path_rows",
    "paths",
    "paths_with_evidence",
    "period_of",
    "periods_between",
    "project",
    "projection_of",
    "read_projection",
    "relations",
    "result_quads",
    "shortest_paths",
    "simple_paths",
    "slices",
    "sort_actors",
    "store_version",
    "subprojection",
    "tally",
    "trend_view",
    "warm",
    "weighted_degree",
    "write_results",
]
