"""Shared helpers for the render pipeline tests: fake photos for the planner, a fake loader for
the frame synthesiser, FFmpeg decoding helpers and a few tiny real renders shared per session.

Real renders are expensive on two cores, so each one is made once (session scope) and several
tests look at it from different angles.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import psutil
import pytest
from PIL import Image

from rendering.pipeline import assets
from rendering.pipeline.execute import Progress, ffmpeg_binary
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.photos.model import Box
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.render import RenderResult, inspect_all, render_memory
from rendering.pipeline.timeline import Timeline
from tests.rendering import photo_samples

SAMPLE_PHOTOS = Path(__file__).resolve().parents[2] / "rendering" / "samples" / "photos"
CJK_CAPTION = "東京の夜、思い出"
ARABIC_CAPTION = "ذكريات جميلة"


# --- fake photos for the planner --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FakePhoto:
    """Satisfies ``plan.PhotoLike`` without touching a file."""

    name: str
    width: int = 4032
    height: int = 3024
    taken_at: datetime | None = None
    gps: tuple[float, float] | None = None
    sharpness: float = 100.0
    phash: int = 0
    subject: Box = field(default_factory=lambda: Box(0.4, 0.4, 0.2, 0.2))
    subject_kind: str = "salient"

    @property
    def path(self) -> Path:
        return Path("/nonexistent") / self.name


def tiny_options(**overrides: object) -> RenderOptions:
    """The smallest, quickest render the options allow: 720p, one second per photo."""
    values: dict[str, object] = {
        "resolution": "720p",
        "seconds_per_photo": 1.0,
        "transition_seconds": 0.3,
    }
    values.update(overrides)
    return RenderOptions(**values)  # type: ignore[arg-type]


# --- pixels -----------------------------------------------------------------------------------


def detail_texture(width: int, height: int, seed: int = 1) -> np.ndarray:
    """A deterministic, band-limited high-detail RGB picture (blurred noise at full contrast)."""
    import cv2

    rng = np.random.default_rng(seed)
    noise = rng.uniform(0, 255, (height, width)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), 2.0)
    smooth = (smooth - smooth.mean()) / (smooth.std() + 1e-6) * 50 + 128
    grey = np.clip(smooth, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.stack([grey, grey, grey], axis=2))


def y_plane(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """The luma plane of a synthesised (NV12) frame, as a height × width view."""
    return frame.reshape(-1)[: width * height].reshape(height, width)


def frame_to_rgb(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """A synthesised (NV12) frame as RGB, the way a player would show it."""
    import cv2

    return np.asarray(cv2.cvtColor(frame.reshape(height * 3 // 2, width), cv2.COLOR_YUV2RGB_NV12))


# --- FFmpeg helpers ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    return ffmpeg_binary()


def decode_video(path: Path, width: int, height: int) -> np.ndarray:
    """Every frame of ``path`` scaled to ``width`` × ``height`` RGB: shape (n, h, w, 3)."""
    out = subprocess.run(
        [
            ffmpeg_binary(),
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-vf",
            f"scale={width}:{height}:flags=area",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return np.frombuffer(out, np.uint8).reshape(-1, height, width, 3)


def decode_audio(path: Path, rate: int = 48000) -> np.ndarray:
    """The audio of ``path`` as mono float samples in -1..1."""
    out = subprocess.run(
        [
            ffmpeg_binary(),
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return np.frombuffer(out, np.int16).astype(np.float64) / 32768


def ffmpeg_children() -> list[psutil.Process]:
    """FFmpeg processes started by this test process (directly or not) that are still alive."""
    alive = []
    for child in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if "ffmpeg" in child.name() and child.status() != psutil.STATUS_ZOMBIE:
                alive.append(child)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.fixture
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``tempfile`` at an empty folder of this test's own, so leftovers can be counted."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- shared real renders ----------------------------------------------------------------------


@dataclass
class Rendered:
    result: RenderResult
    timeline: Timeline
    folder: Path
    inputs: list[Path]
    options: RenderOptions
    progress: list[Progress]

    def frames(self, width: int = 160) -> np.ndarray:
        height = round(width * self.result.height / self.result.width / 2) * 2
        return decode_video(self.result.output, width, height)


def _render(folder: Path, inputs: list[Path], options: RenderOptions, poster: bool) -> Rendered:

    out_dir = folder / "out"
    out_dir.mkdir()
    progress: list[Progress] = []
    result = render_memory(
        inputs,
        out_dir / "memory.mp4",
        options,
        poster=out_dir / "memory.jpg" if poster else None,
        on_progress=progress.append,
    )
    # The same plan again (planning is deterministic), to know what is on screen when.
    infos, _ = inspect_all(inputs)
    music = None if options.silent else options.music or assets.default_track(options.style)
    timeline = plan_timeline(infos, options, music=music).timeline
    return Rendered(result, timeline, out_dir, inputs, options, progress)


@pytest.fixture(scope="session")
def formats_render(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """16:9 with the style's own soundtrack: one photo of every supported format, two bad files."""
    folder = tmp_path_factory.mktemp("formats")
    photos = folder / "photos"
    photos.mkdir()
    inputs = [
        photo_samples.save(photos, "pattern.jpg", photo_samples.pattern(), "JPEG", quality=92),
        photo_samples.png_rgba(photos),
        photo_samples.heic(photos),
        photo_samples.webp_alpha(photos),
        photo_samples.animated_gif(photos),
        photo_samples.tiff_16bit_rgb(photos),
        photo_samples.write_bytes(photos, "notes.txt", b"shopping list: milk, eggs\n"),
        photo_samples.truncated_jpeg(photos),
    ]
    options = tiny_options(style="modern", order=Order.GIVEN, fps=24)
    return _render(folder, inputs, options, poster=True)


@pytest.fixture(scope="session")
def orientation_render(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """9:16, silent: two JPEGs stored sideways with EXIF orientation 6 and 8."""
    folder = tmp_path_factory.mktemp("orientation")
    photos = folder / "photos"
    photos.mkdir()
    inputs = [photo_samples.oriented_jpeg(photos, 6), photo_samples.oriented_jpeg(photos, 8)]
    options = tiny_options(style="modern", aspect="9:16", order=Order.GIVEN, silent=True, fps=24)
    return _render(folder, inputs, options, poster=False)


@pytest.fixture(scope="session")
def captions_render(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """1:1 with a Japanese caption on the first photo and an Arabic one on the second."""
    folder = tmp_path_factory.mktemp("captions")
    first = SAMPLE_PHOTOS / "coffee.jpg"
    second = SAMPLE_PHOTOS / "chelsea.jpg"
    options = tiny_options(
        style="modern",
        aspect="1:1",
        order=Order.GIVEN,
        silent=True,
        fps=24,
        seconds_per_photo=2.0,
        caption_mode=CaptionMode.GIVEN,
        captions={first.name: CJK_CAPTION, second.name: ARABIC_CAPTION},
    )
    return _render(folder, [first, second], options, poster=False)


STORY = "We walked the coast every morning. The light was soft, and it was enough."


@pytest.fixture(scope="session")
def story_render(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """1:1 classic with a story on the end card."""
    folder = tmp_path_factory.mktemp("story")
    options = tiny_options(
        style="classic",
        aspect="1:1",
        order=Order.GIVEN,
        silent=True,
        fps=24,
        title="By the sea",
        story=STORY,
    )
    photos = [SAMPLE_PHOTOS / "coffee.jpg", SAMPLE_PHOTOS / "chelsea.jpg"]
    return _render(folder, photos, options, poster=False)


def write_photo(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A small real JPEG with some detail."""
    Image.fromarray(detail_texture(*size)).save(path, "JPEG", quality=90)
    return path


@pytest.fixture
def two_photos(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "photos"
    folder.mkdir()
    return [write_photo(folder / "a.jpg"), write_photo(folder / "b.jpg", (300, 240))]


def collect(it: Iterator[np.ndarray], keep: Callable[[int], bool]) -> dict[int, np.ndarray]:
    """Copies of the frames whose index ``keep`` accepts (the synthesiser reuses its buffer)."""
    return {i: frame.copy() for i, frame in enumerate(it) if keep(i)}
