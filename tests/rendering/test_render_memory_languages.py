"""``render_memory --language X`` / ``--languages X,Y``: the user's and the AI's words translated
by the loopback fake of Google Translation v3 (spoken to over real HTTP by the official client),
dates and places localised, one video per language, and the original words whenever the
translator cannot help."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.projects.ai.fake_openai import FakeOpenAI
from tests.projects.conftest import jpeg_bytes
from tests.projects.translation.conftest import FAKE_API_KEY, FAKE_PROJECT
from tests.projects.translation.fake_google import FakeGoogle, pseudo, running_fake
from tests.rendering.test_render_memory_command import run

LISBON = (38.72, -9.14)
# Square, 720p, silent, two seconds a photo: quick, and long enough for each caption to show.
TINY = (
    *("--resolution", "720p", "--aspect", "1:1", "--seconds-per-photo", "2"),
    *("--style", "modern", "--music", "none"),
)
TITLE = "Our summer"
CAPTION = "Market day"


@pytest.fixture
def fake_google(settings: Any) -> Iterator[FakeGoogle]:
    """As tests/projects/translation/conftest.py: the settings point the real client at it."""
    with running_fake() as fake:
        settings.GOOGLE_TRANSLATE_API_KEY = FAKE_API_KEY
        settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = ""
        settings.GOOGLE_TRANSLATE_PROJECT_ID = FAKE_PROJECT
        settings.GOOGLE_TRANSLATE_API_ENDPOINT = fake.url
        settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS = 1.0
        settings.GOOGLE_TRANSLATE_MAX_RETRIES = 0
        yield fake


@pytest.fixture
def trip(tmp_path: Path) -> Path:
    folder = tmp_path / "trip"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(
        jpeg_bytes((320, 240), taken=datetime(2021, 7, 3, 9), gps=LISBON)
    )
    (folder / "b.jpg").write_bytes(
        jpeg_bytes((300, 240), taken=datetime(2021, 7, 9), colour=(40, 160, 90))
    )
    return folder


@pytest.fixture
def captions(tmp_path: Path) -> Path:
    path = tmp_path / "captions.json"
    path.write_text(json.dumps({"b.jpg": CAPTION}), encoding="utf-8")
    return path


def render_json(*args: str | Path) -> tuple[dict[str, Any], list[str]]:
    """The command in this process (it sees the fakes' settings): JSON summary, stderr lines."""
    out, err = io.StringIO(), io.StringIO()
    call_command("render_memory", *map(str, args), "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue().splitlines()


def vtt(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- one video per language -------------------------------------------------------------------


def test_languages_writes_a_translated_video_and_track_per_language(
    fake_google: FakeGoogle, trip: Path, captions: Path, tmp_path: Path
) -> None:
    out = tmp_path / "memory.mp4"
    summary, err = render_json(
        trip, "--out", out, "--title", TITLE, "--captions", captions, "--languages", "ja,ar", *TINY
    )
    assert err == []
    videos = summary["videos"]
    assert [v["language"] for v in videos] == ["ja", "ar"]
    for video, code in zip(videos, ("ja", "ar"), strict=True):
        mp4 = tmp_path / f"memory.{code}.mp4"
        track = tmp_path / f"memory.{code}.vtt"
        assert video["output"] == str(mp4) and mp4.is_file()
        assert video["subtitles"] == [{"language": code, "path": str(track)}] and track.is_file()
        assert video["poster"] == str(tmp_path / f"memory.{code}.jpg")
        assert video["duration_seconds"] > 0 and video["translated"] is True
        assert video["title"] == {"text": pseudo(TITLE, code), "source": "given"}
        assert video["captions"][1] == {
            "photo": "b.jpg",
            "text": pseudo(CAPTION, code),
            "source": "given",
        }
        text = vtt(track)
        assert pseudo(TITLE, code) in text and pseudo(CAPTION, code) in text
        assert TITLE not in text.replace(pseudo(TITLE, code), "")
    assert not out.exists()  # no unsuffixed video
    # Dates and places in each language, made by the pipeline, not by the translator.
    assert "2021年7月" in vtt(tmp_path / "memory.ja.vtt")
    assert "يوليو" in vtt(tmp_path / "memory.ar.vtt")
    # One request per language, the source left to Google to detect.
    assert [b["targetLanguageCode"] for b in fake_google.bodies] == ["ja", "ar"]
    assert all("sourceLanguageCode" not in b for b in fake_google.bodies)
    assert set(fake_google.sent_texts) == {TITLE, CAPTION}


def test_language_translates_one_video_with_the_source_given_and_keeps_the_json_shape(
    fake_google: FakeGoogle, trip: Path, tmp_path: Path
) -> None:
    out = tmp_path / "m.mp4"
    summary, err = render_json(
        trip, "--out", out, "--title", TITLE, "--language", "de", "--source-language", "en", *TINY
    )
    assert err == []
    assert "videos" not in summary and summary["output"] == str(out)
    assert summary["subtitles"] == [{"language": "de", "path": str(out.with_suffix(".vtt"))}]
    assert summary["title"] == {"text": f"[de] {TITLE}", "source": "given"}
    (body,) = fake_google.bodies
    assert body["sourceLanguageCode"] == "en" and body["targetLanguageCode"] == "de"


def test_without_a_language_nothing_is_translated(
    fake_google: FakeGoogle, trip: Path, tmp_path: Path
) -> None:
    summary, err = render_json(trip, "--out", tmp_path / "m.mp4", "--title", TITLE, *TINY)
    assert err == [] and summary["title"]["text"] == TITLE
    assert fake_google.received == []


# --- when the translator cannot help ----------------------------------------------------------


def test_a_failing_translator_is_one_line_per_language_and_the_original_words(
    fake_google: FakeGoogle, trip: Path, captions: Path, tmp_path: Path
) -> None:
    fake_google.mode = "server_error"
    summary, err = render_json(
        trip,
        *("--out", tmp_path / "memory.mp4", "--title", TITLE, "--captions", captions),
        *("--languages", "ja,ar", *TINY),
    )
    assert err == [
        f"render_memory: translation to {code} unavailable (the translation service had an "
        "internal error); using the original words"
        for code in ("ja", "ar")
    ]
    for video in summary["videos"]:
        assert video["title"]["text"] == TITLE and video["translated"] is False
        text = vtt(Path(video["subtitles"][0]["path"]))
        assert TITLE in text and CAPTION in text
    assert "2021年7月" in vtt(tmp_path / "memory.ja.vtt")  # dates still localised


def test_without_a_translator_it_says_so_in_one_line_and_renders(
    trip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_GOOGLE_TRANSLATE_API_KEY", raising=False)
    out = tmp_path / "m.mp4"
    done = run(trip, "--out", out, "--title", TITLE, "--language", "ja", "--json", *TINY)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "render_memory: translation to ja unavailable (translation is not configured on this "
        "site); using the original words"
    ]
    assert json.loads(done.stdout)["title"]["text"] == TITLE
    assert TITLE in vtt(out.with_suffix(".vtt"))


# --- options that do not go together ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--language", "ja", "--languages", "ar,de"), "--languages"),
        (("--languages", "ja,xx-nope"), "xx-nope"),
        (("--languages", "ja,,de"), "comma"),
        (("--source-language", "xx-nope"), "xx-nope"),
    ],
)
def test_bad_language_options_are_one_line_and_exit_2(
    trip: Path, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    done = run(trip, "--out", tmp_path / "m.mp4", *args, *TINY)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert says in line
    assert not list(tmp_path.glob("*.mp4"))


# --- the AI drafts once -----------------------------------------------------------------------


def test_the_ai_drafts_once_and_each_language_translates_its_words(
    fake_openai: FakeOpenAI, fake_google: FakeGoogle, trip: Path, tmp_path: Path
) -> None:
    summary, err = render_json(
        trip, "--out", tmp_path / "m.mp4", "--captions", "ai", "--languages", "ja,de", *TINY
    )
    assert err == []
    assert len(fake_openai.requests) == 1
    for video in summary["videos"]:
        code = video["language"]
        assert video["title"] == {"text": f"[{code}] A Summer by the Sea", "source": "ai"}
        assert video["story"]["text"].startswith(f"[{code}] We walked")
        assert video["captions"][0]["text"] == f"[{code}] Waves at dawn (p1)"
        assert f"[{code}] Waves at dawn (p2)" in vtt(Path(video["subtitles"][0]["path"]))
    assert [b["targetLanguageCode"] for b in fake_google.bodies] == ["ja", "de"]
