"""Whole renders with the real FFmpeg: tiny videos checked the way a viewer would see them."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from rendering.pipeline.ass import build_ass
from rendering.pipeline.errors import InvalidOptions, NoUsablePhotos
from rendering.pipeline.frames import FrameSynth
from rendering.pipeline.publish import probe
from rendering.pipeline.render import render_memory
from rendering.pipeline.timeline import TextKind, Timeline
from tests.rendering import photo_samples
from tests.rendering.conftest import STORY, Rendered, decode_audio, frame_to_rgb, tiny_options


def mid_frame(rendered: Rendered, photo_name: str) -> int:
    tl = rendered.timeline
    (index,) = [i for i, p in enumerate(tl.photos) if p.name == photo_name]
    (shot,) = [s for s in tl.shots[1:-1] if s.photo == index]
    return shot.start + shot.frames // 2


def blobs(frame: np.ndarray, colour: str) -> np.ndarray:
    """Pixels that are clearly red or blue: the photo itself, not its dimmed blurred fill."""
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    if colour == "red":
        return (r > 190) & (g < 90) & (b < 90)
    return (b > 190) & (r < 90) & (g < 110)


# --- orientation and formats ------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [6, 8])
def test_it_shows_sideways_stored_photos_upright(
    orientation_render: Rendered, orientation: int
) -> None:
    frames = orientation_render.frames(width=180)
    frame = frames[mid_frame(orientation_render, f"orientation-{orientation}.jpg")]
    red, blue = blobs(frame, "red"), blobs(frame, "blue")
    assert red.sum() > 50 and blue.sum() > 50
    ry, rx = np.argwhere(red).mean(axis=0)
    by, bx = np.argwhere(blue).mean(axis=0)
    # Upright: the red block is top-left of the blue one, and the photo is wider than tall.
    assert rx < bx and ry < by
    ys, xs = np.argwhere(red | blue).T
    assert np.ptp(xs) > np.ptp(ys)


def test_it_renders_every_supported_format_in_one_video(formats_render: Rendered) -> None:
    used = set(formats_render.result.used)
    assert used == {
        "pattern.jpg",
        "alpha.png",
        "photo.heic",
        "alpha.webp",
        "animated.gif",
        "deep.tif",
    }
    frames = formats_render.frames(width=192)
    for name in sorted(used):
        frame = frames[mid_frame(formats_render, name)]
        # Every photo shows its blue block (the GIF its first frame, not the green second one).
        assert blobs(frame, "blue").sum() > 30, f"{name} is not on screen"
        green = (frame[..., 1] > 150) & (frame[..., 0] < 100) & (frame[..., 2] < 100)
        assert green.sum() < 10, f"{name} shows green"


def test_it_reports_bad_files_with_their_reasons(formats_render: Rendered) -> None:
    skipped = {s.name: s.reason for s in formats_render.result.skipped}
    assert set(skipped) == {"notes.txt", "truncated.jpg"}
    assert all(reason and len(reason) < 120 and "\n" not in reason for reason in skipped.values())
    assert "notes.txt" not in skipped["notes.txt"]  # the reason, not the name again


# --- captions ---------------------------------------------------------------------------------


def test_it_draws_non_latin_captions_where_the_caption_goes(captions_render: Rendered) -> None:
    tl = captions_render.timeline
    cues = [t for t in tl.texts if t.kind is TextKind.CAPTION]
    assert len(cues) == 2
    w, h = tl.width, tl.height
    full = captions_render.frames(width=w)
    wanted = {(c.start + c.end) // 2 for c in cues}
    # The same frames without any words: straight from the synthesiser, as FFmpeg received them.
    bare: dict[int, np.ndarray] = {}
    for i, frame in enumerate(FrameSynth(tl).frames()):
        if i in wanted:
            bare[i] = frame_to_rgb(frame, w, h).astype(int)
        if i >= max(wanted):
            break
    for index in sorted(wanted):
        diff = np.abs(full[index].astype(int) - bare[index]).max(axis=2)
        band, top = diff[int(h * 0.78) : int(h * 0.95)], diff[: int(h * 0.6)]
        assert (band > 60).sum() > 150, f"frame {index}: no caption drawn"
        assert (top > 60).sum() < 20, f"frame {index}: something drawn where no caption goes"


def bare_frames(timeline: Timeline, wanted: set[int]) -> dict[int, np.ndarray]:
    """Frames without any words: straight from the synthesiser, as FFmpeg received them."""
    bare: dict[int, np.ndarray] = {}
    for i, frame in enumerate(FrameSynth(timeline).frames()):
        if i in wanted:
            bare[i] = frame_to_rgb(frame, timeline.width, timeline.height).astype(int)
        if i >= max(wanted):
            break
    return bare


def test_it_writes_the_story_under_the_end_title_once_it_has_come_in(
    story_render: Rendered,
) -> None:
    tl = story_render.timeline
    (story,) = [t for t in tl.texts if t.kind is TextKind.STORY]
    (end_title,) = [t for t in tl.texts if t.kind is TextKind.END_TITLE]
    assert story.text == STORY
    w, h = tl.width, tl.height
    # Where libass puts it: the top of the paragraph and the size of its lines, from the script.
    ass = build_ass(tl)
    (event,) = [ln for ln in ass.splitlines() if ln.startswith("Dialogue:") and ",story," in ln]
    top = int(re.findall(r"\\move\(\d+,\d+,\d+,(\d+),", event)[0])
    (style,) = [ln for ln in ass.splitlines() if ln.startswith("Style: story,")]
    size = float(style.split(",")[2])
    before = story.start - 2  # the end title is up, the story not yet
    during = (story.start + story.end) // 2
    full = story_render.frames(width=w)
    assert len(full) == tl.frames
    bare = bare_frames(tl, {before, during})
    drawn = {i: np.abs(full[i].astype(int) - bare[i]).max(axis=2) > 60 for i in (before, during)}
    band = slice(top, top + round(size * 2.5))  # two lines of story at most
    assert end_title.start < before
    assert drawn[before][band].sum() < 30, "the story shows before it comes in"
    assert drawn[during][band].sum() > 400, "no story drawn under the end title"
    assert drawn[during][: top - round(size)].sum() > 400, "no end title above the story"
    assert drawn[during][round(h * 0.85) :].sum() < 20, "something drawn near the bottom edge"


# --- sound ------------------------------------------------------------------------------------


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2)))


def test_it_fades_the_soundtrack_in_and_out(formats_render: Rendered, ffmpeg: str) -> None:
    info = probe(formats_render.result.output, ffmpeg=ffmpeg)
    assert info.audio_codec == "aac"
    audio = decode_audio(formats_render.result.output)
    rate = 48000
    assert len(audio) / rate == pytest.approx(formats_render.timeline.duration, abs=0.1)
    first, last = audio[: rate // 10], audio[-rate // 10 :]
    middle = audio[len(audio) // 2 - rate // 2 : len(audio) // 2 + rate // 2]
    assert rms(middle) > 0.02  # music, not silence
    assert rms(first) < rms(middle) / 5
    assert rms(last) < rms(middle) / 5


def test_it_gives_a_silent_video_a_silent_aac_track(
    orientation_render: Rendered, ffmpeg: str
) -> None:
    assert probe(orientation_render.result.output, ffmpeg=ffmpeg).audio_codec == "aac"
    assert np.abs(decode_audio(orientation_render.result.output)).max() < 1e-3


# --- the file itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "size"),
    [
        ("formats_render", (1280, 720)),
        ("orientation_render", (720, 1280)),
        ("captions_render", (720, 720)),
    ],
)
def test_it_lasts_exactly_as_planned_at_the_right_size(
    request: pytest.FixtureRequest, ffmpeg: str, fixture: str, size: tuple[int, int]
) -> None:
    rendered: Rendered = request.getfixturevalue(fixture)
    info = probe(rendered.result.output, ffmpeg=ffmpeg)
    assert (info.width, info.height) == size == (rendered.result.width, rendered.result.height)
    assert info.duration == pytest.approx(rendered.timeline.duration, abs=0.1)
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p"
    assert len(rendered.frames(width=64)) == rendered.timeline.frames


def test_it_writes_a_poster_jpeg_of_the_first_photo(formats_render: Rendered) -> None:
    poster = formats_render.result.poster
    assert poster is not None and poster.is_file()
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    image = cv2.imread(str(poster))
    assert image is not None and image.shape[:2] == (720, 1280)
    assert image.std() > 20  # a picture, not a blank


def test_it_leaves_only_the_video_and_poster_behind(formats_render: Rendered) -> None:
    assert sorted(p.name for p in formats_render.folder.iterdir()) == ["memory.jpg", "memory.mp4"]


# --- refusals ---------------------------------------------------------------------------------


def test_it_refuses_when_no_photo_is_usable_and_says_why(tmp_path: Path) -> None:
    bad = [
        photo_samples.write_bytes(tmp_path, "notes.txt", b"hello"),
        photo_samples.truncated_jpeg(tmp_path),
        photo_samples.write_bytes(tmp_path, "empty.jpg", b""),
    ]
    out = tmp_path / "out.mp4"
    with pytest.raises(NoUsablePhotos) as caught:
        render_memory(bad, out, tiny_options(silent=True))
    message = str(caught.value)
    assert "none of the 3 files" in message
    for name in ("notes.txt", "truncated.jpg", "empty.jpg"):
        assert name in message
    assert "empty file" in message
    assert list(tmp_path.glob("*.mp4")) == []


@pytest.mark.parametrize("content", [b"ID3 this is not really an mp3" * 10, None])
def test_it_refuses_a_music_file_it_cannot_play(
    tmp_path: Path, two_photos: list[Path], content: bytes | None
) -> None:
    music = tmp_path / "song.mp3"
    if content is not None:
        music.write_bytes(content)
    with pytest.raises(InvalidOptions, match="song.mp3"):
        render_memory(two_photos, tmp_path / "out.mp4", tiny_options(music=music))
    assert list(tmp_path.glob("*.mp4")) == []
