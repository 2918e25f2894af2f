"""Small signed actor graphs whose measures are known by hand, as event facts."""

from __future__ import annotations

from kg.analysis import ActorInfo, EventFacts, Projection, project


def meeting(eid: str, *actors: str, day: str = "") -> EventFacts:
    return EventFacts(eid, "Meeting", day, day, participants=actors)


def act(eid: str, cls: str, source: str, target: str, day: str = "", last: str = "") -> EventFacts:
    """One-way: `source` does `cls` to `target` (dated to `day`, or from `day` to `last`)."""
    return EventFacts(eid, cls, day, last or day, (source,), (target,), (source, target))


def names(*ids: str) -> dict[str, ActorInfo]:
    return {i: ActorInfo(f"Actor {i}", "State") for i in ids}


def broker() -> Projection:
    """Two triangles of meetings, {A, B, C} and {D, E, F}, and X who meets C and D:

        A ─ C ─ X ─ D ─ E
         \\ |         | /
           B          F

    Between the 15 pairs of the six others, the 9 crossing pairs all pass through X (9/15);
    C lies between {A, B} and the four on the other side (8/15), D likewise; the rest on none.
    """
    events = [
        meeting("m-ab", "A", "B"),
        meeting("m-bc", "B", "C"),
        meeting("m-ac", "A", "C"),
        meeting("m-de", "D", "E"),
        meeting("m-ef", "E", "F"),
        meeting("m-df", "D", "F"),
        act("x-c", "Request", "X", "C"),
        act("x-d", "Aid", "X", "D"),
    ]
    return project(events, names("A", "B", "C", "D", "E", "F", "X"))


def two_blocs() -> Projection:
    """Two blocs of four that all meet each other twice (A..D and E..H), and one meeting
    between D and E: Louvain finds the two blocs."""
    left, right = "ABCD", "EFGH"
    events = []
    for bloc in (left, right):
        for i, u in enumerate(bloc):
            for v in bloc[i + 1 :]:
                events += [meeting(f"m-{u}{v}-1", u, v), meeting(f"m-{u}{v}-2", u, v)]
    events.append(meeting("m-DE", "D", "E"))
    return project(events, names(*left, *right))


def star() -> Projection:
    """Three actors each accuse X once; X answers no one."""
    return project([act(f"acc-{s}", "Accuse", s, "X") for s in "ABC"], names("A", "B", "C", "X"))
