"""Dates and places in the video's language: CLDR (Babel) month names, date intervals and
country names; city names from CLDR's zone cities or GeoNames' names in the language's script."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from rendering.pipeline.ass import build_ass
from rendering.pipeline.captions import auto_caption, date_range, month_year
from rendering.pipeline.errors import InvalidOptions
from rendering.pipeline.geocode import BIDI_CONTROLS, Place, place_label, reverse_geocode
from rendering.pipeline.options import CaptionMode, RenderOptions
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.timeline import TextKind
from rendering.services.worker import _language
from tests.projects.conftest import jpeg_bytes
from tests.rendering.conftest import FakePhoto
from tests.rendering.test_render_memory_command import run

JULY = datetime(2021, 7, 14, 18, 0)
AUGUST = datetime(2021, 8, 2)
DECEMBER = datetime(2020, 12, 24)
JANUARY = datetime(2021, 1, 2)
LISBON = (38.7223, -9.1393)
TOKYO = (35.6762, 139.6503)
OSAKA = (34.6937, 135.5023)
HAIFA = (32.794, 34.989)
HONG_KONG = (22.3, 114.17)

# language: (month-year, same-year range, range across years)
DATES = {
    "en": ("July 2021", "July – August 2021", "December 2020 – January 2021"),
    "fr": ("juillet 2021", "juillet – août 2021", "décembre 2020 – janvier 2021"),
    "de": ("Juli 2021", "Juli–August 2021", "Dezember 2020 – Januar 2021"),
    "es": ("julio de 2021", "julio–agosto de 2021", "diciembre de 2020 – enero de 2021"),
    "pt": ("julho de 2021", "julho – agosto de 2021", "dezembro de 2020 – janeiro de 2021"),
    # The stand-alone month ("июль", "lipiec"), not the genitive of a full date ("июля").
    "ru": ("июль 2021 г.", "июль – август 2021 г.", "декабрь 2020 г. – январь 2021 г."),
    "pl": ("lipiec 2021", "lipiec–sierpień 2021", "grudzień 2020–styczeń 2021"),
    "ja": ("2021年7月", "2021年7月～8月", "2020年12月～2021年1月"),
    "zh": ("2021年7月", "2021年7月至8月", "2020年12月至2021年1月"),
    "ar": ("يوليو 2021", "يوليو – أغسطس 2021", "ديسمبر 2020 – يناير 2021"),
    "he": ("יולי 2021", "יולי–אוגוסט 2021", "דצמבר 2020–ינואר 2021"),
}

PLACES = {
    "en": ("Lisbon, Portugal", "Tokyo, Japan", "Osaka, Japan", "Haifa, Israel"),
    "fr": ("Lisbonne, Portugal", "Tokyo, Japon", "Osaka, Japon", "Haifa, Israël"),
    "de": ("Lissabon, Portugal", "Tokio, Japan", "Osaka, Japan", "Haifa, Israel"),
    "es": ("Lisboa, Portugal", "Tokio, Japón", "Osaka, Japón", "Haifa, Israel"),
    "ru": ("Лиссабон, Португалия", "Токио, Япония", "Осака, Япония", "Хайфа, Израиль"),
    # Bigger place first; kanji for a Japanese city, katakana for a foreign one.
    "ja": ("ポルトガル・リスボン", "日本・東京", "日本・大阪", "イスラエル・ハイファ"),
    "zh": ("葡萄牙里斯本", "日本东京", "日本大阪", "以色列海法"),
    "ar": ("لشبونة، البرتغال", "طوكيو، اليابان", "أوساكا، اليابان", "حيفا، إسرائيل"),
    "he": ("ליסבון, פורטוגל", "טוקיו, יפן", "אוסקה, יפן", "חיפה, ישראל"),
}


@pytest.mark.parametrize("language", DATES)
def test_month_and_ranges_in_each_language(language: str) -> None:
    month, same_year, across = DATES[language]
    assert month_year(JULY, language=language) == month
    assert date_range([AUGUST, None, JULY], language=language) == same_year
    assert date_range([JANUARY, DECEMBER], language=language) == across
    assert date_range([JULY, datetime(2021, 7, 30)], language=language) == month
    assert date_range([None], language=language) == ""


@pytest.mark.parametrize("language", PLACES)
def test_places_in_each_language(language: str) -> None:
    labels = []
    for point in (LISBON, TOKYO, OSAKA, HAIFA):
        place = reverse_geocode(*point)
        assert place is not None
        labels.append(place_label(place, language=language))
    assert tuple(labels) == PLACES[language]


@pytest.mark.parametrize("language", ["fr", "ja", "ar", "he", "ru", "zh", "es", "fa"])
def test_text_has_plain_spaces_and_no_direction_marks(language: str) -> None:
    text = auto_caption(JULY, LISBON, language=language) + date_range(
        [DECEMBER, JANUARY], language=language
    )
    assert not set(text) & set(BIDI_CONTROLS)
    assert not set(text) & {"\u00a0", "\u2009", "\u202f"}


def test_a_range_babel_cannot_split_names_both_months() -> None:
    # CLDR's Persian "LLLL تا MMMM y" came out of Babel as "July to July 2021".
    assert date_range([JULY, AUGUST], language="fa") == "ژوئیهٔ 2021 تا اوت 2021"


def test_english_is_exactly_as_before_with_or_without_the_keyword() -> None:
    assert auto_caption(JULY, LISBON) == "Lisbon, Portugal · July 2021"
    assert auto_caption(JULY, LISBON, language="en") == "Lisbon, Portugal · July 2021"
    # English keeps GeoNames' names, not CLDR's ("New York", "Hong Kong SAR China").
    assert auto_caption(None, (40.7128, -74.0060), language="en-GB") == (
        "New York City, United States"
    )
    assert date_range([DECEMBER, JANUARY], language="en-US") == "December 2020 – January 2021"


@pytest.mark.parametrize("code", ["xx", "", "klingon", "??", "en-", "zz-ZZ"])
def test_an_unknown_language_falls_back_to_english(code: str) -> None:
    assert auto_caption(JULY, LISBON, language=code) == "Lisbon, Portugal · July 2021"
    assert date_range([JULY, AUGUST], language=code) == "July – August 2021"


def test_regional_and_dashed_codes_are_read() -> None:
    assert month_year(JULY, language="pt-BR") == "julho de 2021"
    assert month_year(JULY, language="pt_PT") == "julho de 2021"
    assert place_label(reverse_geocode(*TOKYO), language="zh-Hant") == "日本東京"  # type: ignore[arg-type]


def test_a_city_state_or_territory_is_named_once() -> None:
    assert place_label(Place("Singapore", "Singapore", "SG", 1.0), language="fr") == "Singapour"
    hong_kong = reverse_geocode(*HONG_KONG)
    assert hong_kong is not None
    assert place_label(hong_kong, language="de") == "Hongkong"
    assert place_label(hong_kong, language="ja") == "香港"


def test_a_latin_script_language_keeps_the_geonames_city_name_it_cannot_tell_apart() -> None:
    munich = reverse_geocode(48.137, 11.575)
    assert munich is not None
    assert place_label(munich, language="fr") == "Munich, Allemagne"
    assert place_label(munich, language="ja") == "ドイツ・ミュンヘン"  # katakana exists


def test_a_place_without_alternates_keeps_its_name_and_localises_its_country() -> None:
    place = Place("Smalltown", "Portugal", "PT", 2.0)
    assert place_label(place, language="ru") == "Smalltown, Португалия"


# --- options and the plan ---------------------------------------------------------------------


def test_options_take_a_parseable_language_and_refuse_others() -> None:
    assert RenderOptions().language == "en"
    assert RenderOptions(language="pt-BR").language == "pt-BR"
    with pytest.raises(InvalidOptions, match="unknown language 'xx'"):
        RenderOptions(language="xx")


def test_the_plan_writes_title_end_card_and_captions_in_the_language() -> None:
    photos = [
        FakePhoto("a.jpg", taken_at=DECEMBER, gps=LISBON, phash=1),
        FakePhoto("b.jpg", taken_at=JANUARY, phash=2),
    ]
    options = RenderOptions(caption_mode=CaptionMode.AUTO, language="fr")
    texts = plan_timeline(photos, options, music=None).timeline.texts
    by_kind = {kind: [t.text for t in texts if t.kind is kind] for kind in TextKind}
    # A date standing in as the title is capitalised, and not repeated under itself.
    assert by_kind[TextKind.TITLE] == ["Décembre 2020 – janvier 2021"]
    assert by_kind[TextKind.END_TITLE] == ["Décembre 2020 – janvier 2021"]
    assert by_kind[TextKind.SUBTITLE] == by_kind[TextKind.END_SUBTITLE] == []
    assert by_kind[TextKind.CAPTION] == ["Lisbonne, Portugal · décembre 2020", "janvier 2021"]
    named = plan_timeline(photos, RenderOptions(title="Hiver", language="ja"), music=None)
    subtitles = [t.text for t in named.timeline.texts if t.kind is TextKind.SUBTITLE]
    end = [t.text for t in named.timeline.texts if t.kind is TextKind.END_SUBTITLE]
    assert subtitles == end == ["2020年12月～2021年1月"]


def test_given_dates_are_used_as_given_when_the_photos_have_none() -> None:
    photos = [FakePhoto("a.jpg", phash=1)]
    options = RenderOptions(dates="juin 2024", language="fr")
    texts = plan_timeline(photos, options, music=None).timeline.texts
    assert [t.text for t in texts if t.kind is TextKind.TITLE] == ["Juin 2024"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, "en"),  # queued before the language mattered
        ({"language": ""}, "en"),
        ({"language": "xx"}, "en"),  # not readable: English rather than a failed video
        ({"language": "ja"}, "ja"),
        ({"language": "pt-BR"}, "pt-BR"),
    ],
)
def test_the_worker_reads_the_specs_language(spec: dict[str, Any], expected: str) -> None:
    assert _language(spec) == expected


# --- the command ------------------------------------------------------------------------------

CAPTION = re.compile(r"^Dialogue: 0,[^,]*,[^,]*,caption,,0,0,0,,(?:\{[^}]*\})*(.*)$", re.M)
TITLE = re.compile(r"^Dialogue: 0,[^,]*,[^,]*,title,,0,0,0,,(?:\{[^}]*\})*(.*)$", re.M)
TINY = (
    *("--resolution", "720p", "--aspect", "1:1", "--seconds-per-photo", "2"),
    *("--style", "modern", "--music", "none"),
)


@pytest.fixture
def written_ass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    documents: list[str] = []

    def recording(timeline: Any) -> str:
        documents.append(build_ass(timeline))
        return documents[-1]

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    return documents


def test_the_command_writes_dates_and_places_in_the_language(
    tmp_path: Path, written_ass: list[str]
) -> None:
    folder = tmp_path / "trip"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(
        jpeg_bytes((320, 240), taken=datetime(2021, 7, 3, 9), gps=(38.72, -9.14))
    )
    (folder / "b.jpg").write_bytes(
        jpeg_bytes((320, 240), taken=datetime(2021, 8, 1), colour=(90, 60, 180))
    )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "render_memory",
        *map(str, (folder, "--out", tmp_path / "m.mp4", "--captions", "auto", *TINY)),
        "--language",
        "ja",
        "--json",
        stdout=out,
        stderr=err,
    )
    assert json.loads(out.getvalue())["photos_used"] == 2
    (document,) = written_ass
    # The words as shown: without the scale tags ass.py puts around each run of CJK.
    shown = [re.sub(r"\{\\fscx\d+\\fscy\d+\}", "", text) for text in TITLE.findall(document)]
    assert shown == ["2021年7月～8月"]
    shown = [re.sub(r"\{\\fscx\d+\\fscy\d+\}", "", t) for t in CAPTION.findall(document)]
    assert shown == ["ポルトガル・リスボン · 2021年7月", "2021年8月"]


def test_the_command_refuses_an_unknown_language_in_one_line(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes((320, 240), taken=datetime(2021, 7, 3, tzinfo=UTC)))
    done = run(photo, "--out", tmp_path / "m.mp4", "--language", "xx", *TINY)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown language 'xx'" in lines[0]
    assert not list(tmp_path.glob("*.mp4"))
