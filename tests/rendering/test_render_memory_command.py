"""``manage.py render_memory`` as a user runs it: a real process, its output and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rendering.conftest import write_photo

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "photomemory.settings.test"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "render_memory", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.fixture
def photo_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "holiday"
    folder.mkdir()
    write_photo(folder / "beach.jpg")
    write_photo(folder / "hills.jpg", (300, 240))
    (folder / "notes.txt").write_text("not a photo")
    return folder


TINY = ("--resolution", "720p", "--seconds-per-photo", "1", "--style", "modern", "--music", "none")


def test_it_renders_and_prints_a_summary_listing_the_skipped_file(
    photo_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "memory.mp4"
    done = run(photo_dir, "--out", out, *TINY)
    assert done.returncode == 0, done.stderr
    assert "photos used   2" in done.stdout
    assert "notes.txt:" in done.stdout  # the reason, in the summary
    assert "warning: 1 file skipped" in done.stderr
    assert out.is_file() and out.with_suffix(".jpg").is_file()
    assert not list(tmp_path.glob("*.part.mp4"))


def test_it_prints_a_json_summary(photo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "memory.mp4"
    done = run(photo_dir, "--out", out, "--aspect", "1:1", "--json", *TINY)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["width"], summary["height"]) == (720, 720)
    assert summary["duration_seconds"] == pytest.approx(2.5 + 2 + 2.5, abs=0.1)
    assert summary["photos_used"] == 2
    assert [s["file"] for s in summary["skipped"]] == ["notes.txt"]
    assert summary["skipped"][0]["reason"]


def test_it_exits_2_with_one_line_when_no_photo_is_usable(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a photo")
    done = run(bad, "--out", tmp_path / "memory.mp4", *TINY)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "notes.txt" in lines[0]
    assert not list(tmp_path.glob("*.mp4"))


def test_it_exits_2_with_one_line_for_an_unknown_style(photo_dir: Path, tmp_path: Path) -> None:
    done = run(photo_dir, "--out", tmp_path / "memory.mp4", "--style", "funky")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "funky" in lines[0]


def test_it_exits_2_when_the_captions_file_is_not_json(photo_dir: Path, tmp_path: Path) -> None:
    captions = tmp_path / "captions.json"
    captions.write_text('{"beach.jpg": "Sea", oops}', encoding="utf-8")
    done = run(photo_dir, "--out", tmp_path / "memory.mp4", "--captions", captions, *TINY)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not valid JSON" in lines[0] and "captions.json" in lines[0]


def test_it_writes_the_words_as_webvtt_beside_the_video_even_when_none_are_burned_in(
    photo_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "memory.mp4"
    done = run(
        photo_dir,
        "--out",
        out,
        "--title",
        "Fish & chips",
        "--no-burn-text",
        "--language",
        "fr",
        "--json",
        *TINY,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    vtt = out.with_suffix(".vtt")
    assert summary["subtitles"] == [{"language": "fr", "path": str(vtt)}]
    text = vtt.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\nNOTE language: fr\n")
    assert "\nFish &amp; chips\n" in text
    assert not list(tmp_path.glob(".*.part"))
