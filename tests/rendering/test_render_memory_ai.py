"""``render_memory --captions ai [--places]``: words from the AI drafter (the loopback fake
OpenAI, spoken to over real HTTP by the real client), and offline captions whenever it fails."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from django.core.management import call_command

from rendering.cli_ai import AiUnavailable, draft_words
from rendering.pipeline.ass import build_ass
from rendering.pipeline.render import inspect_all
from tests.conftest import FAKE_OPENAI_KEY
from tests.projects.ai.fake_openai import MODES, FakeOpenAI
from tests.projects.conftest import jpeg_bytes
from tests.rendering.test_render_memory_command import ROOT, run

LISBON = (38.72, -9.14)
STORY = "We walked the coast every morning. The light was soft. It was enough."
# Square, 720p, silent, two seconds a photo: quick, and long enough for each caption to show.
TINY = (
    *("--resolution", "720p", "--aspect", "1:1", "--seconds-per-photo", "2"),
    *("--style", "modern", "--music", "none"),
)


@pytest.fixture
def trip(tmp_path: Path) -> Path:
    """Three photos, named against their date order: the render and the AI see them by date."""
    folder = tmp_path / "trip"
    folder.mkdir()
    photos = {
        "c-first.jpg": jpeg_bytes((320, 240), taken=datetime(2021, 7, 3, 9), gps=LISBON),
        "a-second.jpg": jpeg_bytes((320, 240), taken=datetime(2021, 7, 9), colour=(40, 160, 90)),
        "b-third.jpg": jpeg_bytes((300, 240), taken=datetime(2021, 8, 1), colour=(90, 60, 180)),
    }
    for name, data in photos.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def written_ass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subtitle documents the renders burn into their videos."""
    documents: list[str] = []

    def recording(timeline: Any) -> str:
        documents.append(build_ass(timeline))
        return documents[-1]

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    return documents


def render_json(*args: str | Path) -> tuple[dict[str, Any], list[str]]:
    """Run the command in this process (so it sees the fake's settings): the JSON summary and
    the lines it wrote to stderr. Raises CommandError as the command does."""
    out, err = io.StringIO(), io.StringIO()
    call_command("render_memory", *map(str, args), "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue().splitlines()


def sent_texts(body: dict[str, Any]) -> list[str]:
    """The text parts of one request to the fake (one per photo, in the order sent)."""
    content = body["input"][0]["content"]
    return [part["text"] for part in content if part["type"] == "input_text"]


ORDER = ["c-first.jpg", "a-second.jpg", "b-third.jpg"]


# --- the AI's words ---------------------------------------------------------------------------


def test_it_uses_the_ai_title_story_and_captions_and_says_where_each_came_from(
    fake_openai: FakeOpenAI, trip: Path, tmp_path: Path, written_ass: list[str]
) -> None:
    summary, err = render_json(trip, "--out", tmp_path / "m.mp4", "--captions", "ai", *TINY)
    assert err == []
    assert summary["title"] == {"text": "A Summer by the Sea", "source": "ai"}
    assert summary["story"] == {"text": STORY, "source": "ai"}
    # Sent in the order shown (by date), so p1 is the first photo on screen.
    assert summary["captions"] == [
        {"photo": name, "text": f"Waves at dawn (p{i})", "source": "ai"}
        for i, name in enumerate(ORDER, start=1)
    ]
    assert summary["used"] == ORDER and summary["photos_used"] == 3  # the old keys stay
    (body,) = fake_openai.requests
    assert sent_texts(body) == [
        "Photo p1, taken July 2021",
        "Photo p2, taken July 2021",
        "Photo p3, taken August 2021",
    ]
    # What the video shows: the same words, with the story on the end card.
    (document,) = written_ass
    assert ",story,," in document and "A Summer by the Sea" in document
    assert all(f"Waves at dawn (p{i})" in document for i in (1, 2, 3))


def test_it_sends_place_names_only_with_places_and_never_coordinates(
    fake_openai: FakeOpenAI, trip: Path, tmp_path: Path
) -> None:
    render_json(trip, "--out", tmp_path / "a.mp4", "--captions", "ai", *TINY)
    render_json(trip, "--out", tmp_path / "b.mp4", "--captions", "ai", "--places", *TINY)
    without, with_places = (sent_texts(body) for body in fake_openai.requests)
    assert not any("near" in text for text in without)
    assert with_places[0] == "Photo p1, taken July 2021, near Lisbon, Portugal"
    assert with_places[1:] == without[1:]  # the others have no GPS
    for raw in fake_openai.raw_bodies:
        assert b"38.7" not in raw and b"9.14" not in raw and b"c-first" not in raw


def test_a_photo_the_ai_wrote_no_caption_for_keeps_its_offline_one(
    fake_openai: FakeOpenAI, trip: Path, tmp_path: Path
) -> None:
    aliases = ["p1", "p2", "p3"]
    fake_openai.output_text = json.dumps(
        {
            "title": "Lisbon days",
            "story": "",
            "captions": [{"photo": a, "caption": "" if a == "p1" else f"Day {a}"} for a in aliases],
            "order": [{"photo": a, "reason": ""} for a in aliases],
        }
    )
    summary, err = render_json(trip, "--out", tmp_path / "m.mp4", "--captions", "ai", *TINY)
    assert err == []
    first, *others = summary["captions"]
    assert first == {
        "photo": "c-first.jpg",
        "text": "Lisbon, Portugal · July 2021",
        "source": "offline",
    }
    assert [(c["text"], c["source"]) for c in others] == [("Day p2", "ai"), ("Day p3", "ai")]
    assert summary["story"] == {"text": "", "source": "offline"}


def test_a_second_identical_run_asks_nothing_and_a_given_title_wins(
    fake_openai: FakeOpenAI, trip: Path, tmp_path: Path
) -> None:
    args = ("--captions", "ai", "--title", "Our summer", *TINY)
    first, _ = render_json(trip, "--out", tmp_path / "a.mp4", *args)
    second, err = render_json(trip, "--out", tmp_path / "b.mp4", *args)
    assert len(fake_openai.requests) == 1  # the draft came from the cache
    assert err == []
    for summary in (first, second):
        assert summary["title"] == {"text": "Our summer", "source": "given"}
        assert summary["story"] == {"text": STORY, "source": "ai"}
    assert first["captions"] == second["captions"]


# --- when the AI cannot help ------------------------------------------------------------------


def run_against(fake: FakeOpenAI, folder: Path, *args: str | Path) -> CompletedProcess[str]:
    """The command in a process of its own, as a user runs it, with a key and the fake as its
    endpoint (the test settings have no key), retrying once as the client does by default."""
    module = folder / "fake_ai_settings.py"
    module.write_text(
        "from photomemory.settings.test import *  # noqa: F403\n"
        f"OPENAI_API_KEY = {FAKE_OPENAI_KEY!r}\n"
        f"OPENAI_BASE_URL = {fake.url!r}\n"
        "OPENAI_TIMEOUT_SECONDS = 1.0\n"
        "OPENAI_MAX_RETRIES = 1\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fake_ai_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "render_memory", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("mode", "says"),
    [("server_error", "internal error"), ("slow", "took too long to answer")],
)
def test_a_failing_ai_is_one_line_and_the_offline_captions(
    fake_openai: FakeOpenAI, trip: Path, tmp_path: Path, mode: str, says: str
) -> None:
    fake_openai.mode = mode
    fake_openai.slow_seconds = 1.5  # past the 1 s timeout
    out = tmp_path / "m.mp4"
    done = run_against(
        fake_openai, tmp_path, trip, "--out", out, "--captions", "ai", "--json", *TINY
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.splitlines()  # not a log line of each request or retry
    assert line.startswith("render_memory: AI captions unavailable (")
    assert says in line and line.endswith("); using offline captions")
    assert len(fake_openai.requests) == 2  # it did retry, quietly
    assert out.is_file()
    summary = json.loads(done.stdout)
    assert summary["title"]["source"] == "offline" and summary["story"]["text"] == ""
    assert summary["captions"][0] == {
        "photo": "c-first.jpg",
        "text": "Lisbon, Portugal · July 2021",
        "source": "offline",
    }
    assert {c["source"] for c in summary["captions"]} == {"offline"}


@pytest.mark.parametrize("mode", [m for m in MODES if m != "ok"])
def test_every_failure_of_the_ai_becomes_one_readable_reason(
    fake_openai: FakeOpenAI, trip: Path, mode: str
) -> None:
    fake_openai.mode = mode
    fake_openai.slow_seconds = 1.5
    photos, _ = inspect_all(sorted(trip.iterdir()))
    with pytest.raises(AiUnavailable) as caught:
        draft_words(photos, places=False)
    reason = str(caught.value)
    assert reason and "\n" not in reason and "fake" not in reason  # the user's sentence


def test_without_a_key_it_says_so_in_one_line_and_renders_offline(
    trip: Path, tmp_path: Path
) -> None:
    # A real process with the test settings, which set no key.
    done = run(trip, "--out", tmp_path / "m.mp4", "--captions", "ai", "--json", *TINY)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "render_memory: AI captions unavailable (OPENAI_API_KEY is not set); using offline captions"
    ]
    summary = json.loads(done.stdout)
    assert summary["title"] == {"text": "July – August 2021", "source": "offline"}
    assert [c["source"] for c in summary["captions"]] == ["offline"] * 3


def test_places_without_ai_captions_is_a_one_line_error(trip: Path, tmp_path: Path) -> None:
    done = run(trip, "--out", tmp_path / "m.mp4", "--captions", "auto", "--places", *TINY)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "--places" in line and "--captions ai" in line
    assert not (tmp_path / "m.mp4").exists()


# --- settings and sources ---------------------------------------------------------------------


def test_the_base_url_may_come_from_the_environment_alone(
    fake_openai: FakeOpenAI, trip: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OPENAI_BASE_URL = ""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.url)
    photos, _ = inspect_all(sorted(trip.iterdir()))
    words = draft_words(photos, places=False)
    assert words.title == "A Summer by the Sea" and len(fake_openai.requests) == 1
    assert fake_openai.headers[0]["authorization"] == f"Bearer {FAKE_OPENAI_KEY}"


def test_the_json_summary_names_given_and_offline_words_without_ai(
    trip: Path, tmp_path: Path
) -> None:
    captions = tmp_path / "captions.json"
    captions.write_text(json.dumps({"a-second.jpg": "Market day"}), encoding="utf-8")
    summary, _ = render_json(
        trip, "--out", tmp_path / "m.mp4", "--captions", captions, "--title", "Ours", *TINY
    )
    assert summary["title"] == {"text": "Ours", "source": "given"}
    assert summary["story"] == {"text": "", "source": "offline"}
    market = {"photo": "a-second.jpg", "text": "Market day", "source": "given"}
    assert summary["captions"][1] == market
    plain, _ = render_json(trip, "--out", tmp_path / "n.mp4", *TINY)
    assert plain["captions"] == []  # --captions none: none made, none listed
