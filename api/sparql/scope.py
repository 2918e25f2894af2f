"""Which graphs a SPARQL update can write, read off its text.

The store's default graph is the merge of its named graphs (`kg.store`), so an update must name
the graphs it writes, and the store then redoes the merge for those graphs only. This module finds
them: every graph after `GRAPH`, `WITH`, `INTO`, `TO` and the graph operations (CLEAR, DROP, ADD,
MOVE, COPY, CREATE). It may name more graphs than the update writes (a `GRAPH <g>` in a WHERE
clause), never fewer: a graph given by a variable, or CLEAR/DROP of NAMED or ALL, means any graph.
It also says why an update would write the default graph itself (triples outside `GRAPH` in
INSERT DATA, DELETE DATA, DELETE WHERE or in templates without WITH; LOAD without INTO; CLEAR or
DROP DEFAULT; ADD, MOVE or COPY to DEFAULT; MOVE DEFAULT), which the endpoint refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, Store

from api.sparql.lexer import _ESCAPE, Token, _unescape, tokens

_OPERATIONS = frozenset(
    {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)


@dataclass(frozen=True)
class Scope:
    """The graphs an update may write (None: any), and why it would write the default graph."""

    graphs: frozenset[NamedNode] | None
    writes_default: str | None = None


class _Any(Exception):
    """The update may write any graph."""


def update_scope(text: str, base_iri: str | None = None) -> Scope:
    """The scope of an update; a text this cannot read gets `Scope(None)` (pyoxigraph then
    reports what is wrong with it)."""
    words = list(tokens(_ESCAPE.sub(_unescape, text)))
    names: list[tuple[str, str]] = []  # (prologue so far, graph term as written)
    problems: list[str] = []
    try:
        for operation, prologue in _operations(words):
            _read(operation, prologue, names, problems)
        graphs = _resolve(names, base_iri)
    except _Any:
        return Scope(None, problems[0] if problems else None)
    return Scope(graphs, problems[0] if problems else None)


def _operations(words: list[Token]) -> list[tuple[list[Token], str]]:
    """The operations (split at `;` outside braces), each with the PREFIX/BASE text before it."""
    operations: list[tuple[list[Token], str]] = []
    prologue: list[str] = []
    current: list[Token] = []
    i = 0
    while i < len(words):
        token = words[i]
        if token.depth == 0 and token.kind == "operator" and token.text == ";":
            operations.append((current, " ".join(prologue)))
            current = []
        elif token.depth == 0 and token.kind == "word" and token.text in ("PREFIX", "BASE"):
            size = 3 if token.text == "PREFIX" else 2
            prologue.append(" ".join(w.text for w in words[i : i + size]))
            i += size
            continue
        else:
            current.append(token)
        i += 1
    operations.append((current, " ".join(prologue)))
    return [(op, pro) for op, pro in operations if op]


def _read(
    op: list[Token], prologue: str, names: list[tuple[str, str]], problems: list[str]
) -> None:
    """Note the graphs one operation writes, and whether it writes the default graph."""
    first = op[0].text if op[0].kind == "word" else ""
    if first not in _OPERATIONS:
        raise _Any
    for i, token in enumerate(op):  # every GRAPH anywhere: variables mean any graph
        if token.kind == "word" and token.text == "GRAPH" and i + 1 < len(op):
            _graph(op[i + 1], prologue, names)
    words = [t.text if t.kind == "word" else "" for t in op]
    rest = [w for w in words if w != "SILENT"]
    if first in ("CLEAR", "DROP"):
        target = rest[1] if len(rest) > 1 else ""
        if target in ("NAMED", "ALL"):
            raise _Any
        if target == "DEFAULT":
            problems.append(f"{first} DEFAULT")
        return
    if first == "CREATE":
        return
    if first in ("ADD", "MOVE", "COPY"):
        _graph_operation(first, op, prologue, names, problems)
        return
    if first == "LOAD":
        if "INTO" not in words:
            problems.append("LOAD without INTO GRAPH")
        return
    with_graph = first == "WITH"
    if with_graph:
        _graph(op[1], prologue, names)
    for i, token in enumerate(op):
        if token.kind != "open" or token.depth != 0 or i == 0:
            continue
        before = op[i - 1].text if op[i - 1].kind == "word" else ""
        if before == "WHERE" and i >= 2 and op[i - 2].text == "DELETE":
            kind = "DELETE WHERE"
        elif before == "DATA":
            kind = f"{op[i - 2].text} DATA"
        elif before in ("INSERT", "DELETE"):
            kind = "" if with_graph else f"a {before} template"
        else:
            continue  # a WHERE clause: read, not written
        if kind and _has_bare_triples(op, i):
            problems.append(f"{kind} with triples outside GRAPH")


def _graph_operation(
    first: str, op: list[Token], prologue: str, names: list[tuple[str, str]], problems: list[str]
) -> None:
    """ADD / MOVE / COPY: the target is written, MOVE's source emptied."""
    terms = [t for t in op[1:] if not (t.kind == "word" and t.text in ("SILENT", "GRAPH"))]
    split = next((i for i, t in enumerate(terms) if t.kind == "word" and t.text == "TO"), None)
    if split is None or split == 0 or split + 1 >= len(terms):
        raise _Any
    source, target = terms[0], terms[split + 1]
    for role, term in (("target", target), ("source", source)):
        if role == "source" and first != "MOVE":
            continue
        if term.kind == "word" and term.text == "DEFAULT":
            problems.append(f"{first} {'to' if role == 'target' else 'from'} DEFAULT")
        else:
            _graph(term, prologue, names)


def _graph(token: Token, prologue: str, names: list[tuple[str, str]]) -> None:
    if token.kind != "term" or token.text[0] in "?$":
        raise _Any
    names.append((prologue, token.text))


def _has_bare_triples(op: list[Token], start: int) -> bool:
    """Whether the block opening at op[start] holds anything outside its GRAPH { } groups."""
    depth = op[start].depth + 1
    i = start + 1
    while i < len(op):
        token = op[i]
        if token.kind == "close" and token.depth == depth - 1:
            return False
        if token.depth == depth:
            if token.kind == "word" and token.text == "GRAPH":
                i = _after_group(op, i + 2)
                continue
            if not (token.kind == "operator" and token.text == "."):
                return True
        i += 1
    return False


def _after_group(op: list[Token], start: int) -> int:
    """The index after the `{ ... }` group that opens at op[start]."""
    if start >= len(op) or op[start].kind != "open":
        raise _Any
    depth = op[start].depth
    for i in range(start + 1, len(op)):
        if op[i].kind == "close" and op[i].depth == depth:
            return i + 1
    raise _Any


def _resolve(names: list[tuple[str, str]], base_iri: str | None) -> frozenset[NamedNode]:
    """The graph terms as IRIs: prefixed names and relative IRIs resolved by pyoxigraph, with
    the declarations written before them."""
    graphs: set[NamedNode] = set()
    by_prologue: dict[str, list[str]] = {}
    for prologue, term in names:
        by_prologue.setdefault(prologue, []).append(term)
    for prologue, terms in by_prologue.items():
        query = f"{prologue}\nSELECT ?g WHERE {{ VALUES ?g {{ {' '.join(terms)} }} }}"
        try:
            rows = Store().query(query, base_iri=base_iri)
        except (SyntaxError, ValueError, OSError, RuntimeError):
            raise _Any from None
        for row in rows:  # type: ignore[union-attr]
            if not isinstance(row["g"], NamedNode):
                raise _Any
            graphs.add(row["g"])
    return frozenset(graphs)
