"""The FFmpeg argv: what it asks of the encoder, and that FFmpeg accepts it for awkward paths."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from rendering.pipeline import fonts
from rendering.pipeline.ass import build_ass
from rendering.pipeline.compile import compile_command
from rendering.pipeline.execute import run_encoder
from rendering.pipeline.frames import FrameSynth
from rendering.pipeline.options import CaptionMode
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.publish import probe
from rendering.pipeline.timeline import Timeline
from tests.rendering.conftest import FakePhoto, decode_video, detail_texture, tiny_options

OUT = Path("/videos/out.mp4")
ASS = Path("/work/text.ass")


def timeline(music: Path | None = None, **options: object) -> Timeline:
    photos = [FakePhoto("a.jpg", 640, 480), FakePhoto("b.jpg", 640, 480, phash=0xFFFF)]
    return plan_timeline(photos, tiny_options(**options), music=music).timeline


def argv_for(tl: Timeline, ass: str | None = "[Script Info]\n") -> list[str]:
    return compile_command(tl, ffmpeg_binary="/opt/ff", out_path=OUT, ass_path=ASS, ass=ass).argv


def value_after(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == flag]


def test_it_builds_an_argv_list_for_the_configured_binary() -> None:
    argv = argv_for(timeline())
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv)
    assert argv[0] == "/opt/ff"
    for needed in ("-nostdin", "-progress", "libx264", "nv12", "+faststart", "aac"):
        assert needed in argv, needed
    assert argv[argv.index("-progress") + 1] == "pipe:1"
    assert value_after(argv, "-vcodec") == ["libx264"]
    assert value_after(argv, "-acodec") == ["aac"]
    assert value_after(argv, "-movflags") == ["+faststart"]
    assert str(OUT) in argv
    assert "pipe:0" in argv  # frames arrive on stdin


def test_it_cuts_the_output_to_the_timeline_duration() -> None:
    tl = timeline(fps=24, seconds_per_photo=1.3)
    argv = argv_for(tl)
    # The output -t is the last one (the silent source has its own, equal, -t).
    durations = [float(v) for v in value_after(argv, "-t")]
    assert durations and all(d == pytest.approx(tl.duration, abs=1e-6) for d in durations)
    assert value_after(argv, "-s") == [f"{tl.width}x{tl.height}"]
    assert value_after(argv, "-r") == [str(tl.fps)]


def test_it_adds_the_subtitle_filter_only_when_there_is_text() -> None:
    tl = timeline()
    with_text = " ".join(argv_for(tl, ass="[Script Info]\n"))
    without = " ".join(argv_for(tl, ass=None))
    assert "ass=filename=" in with_text and "fontsdir=" in with_text
    assert "ass=" not in without


def test_it_uses_a_silent_source_when_there_is_no_music() -> None:
    silent = " ".join(argv_for(timeline()))
    assert "anullsrc" in silent and "stream_loop" not in silent
    music = Path("/music/song.m4a")
    with_music = argv_for(timeline(music=music))
    assert "anullsrc" not in " ".join(with_music)
    assert str(music) in with_music and value_after(with_music, "-stream_loop") == ["-1"]
    graph = value_after(with_music, "-filter_complex")[0]
    assert "loudnorm" in graph and "afade=d=" in graph and "t=out" in graph


def _fake_loader(
    path: Path, cover: tuple[int, int], background: tuple[int, int, int]
) -> np.ndarray:
    return detail_texture(max(64, cover[0]), max(64, round(cover[0] * 3 / 4)), seed=len(path.name))


def test_it_escapes_awkward_subtitle_paths_so_ffmpeg_accepts_them(
    tmp_path: Path, ffmpeg: str
) -> None:
    work = tmp_path / "my photos: 'summer' [2021], a;b \\ c"
    work.mkdir()
    tl = timeline(silent=True, caption_mode=CaptionMode.GIVEN, captions={"a.jpg": "Hello"})
    # Only the first 40 frames: the title fades in from frame 11 and is fully up by frame 39.
    tl = dataclasses.replace(tl, frames=40)
    ass_path = work / "text: it's [here].ass"
    ass = build_ass(tl)
    ass_path.write_text(ass, encoding="utf-8")
    out = work / "out 'final': v1.mp4"
    argv = compile_command(tl, ffmpeg_binary=ffmpeg, out_path=out, ass_path=ass_path, ass=ass).argv
    run_encoder(
        argv,
        FrameSynth(tl, loader=_fake_loader).frames(),
        total_frames=tl.frames,
        env=fonts.ffmpeg_env(),
    )
    info = probe(out, ffmpeg=ffmpeg)
    assert info.duration == pytest.approx(40 / 30, abs=0.05)
    assert (info.width, info.height) == (tl.width, tl.height)
    # The subtitle file was really read: the frame where the title fades in differs from the
    # same render without it.
    bare = work / "bare.mp4"
    bare_argv = compile_command(
        tl, ffmpeg_binary=ffmpeg, out_path=bare, ass_path=ass_path, ass=None
    ).argv
    run_encoder(bare_argv, FrameSynth(tl, loader=_fake_loader).frames(), total_frames=tl.frames)
    with_title = decode_video(out, 320, 180)[-1].astype(int)
    without = decode_video(bare, 320, 180)[-1].astype(int)
    assert np.abs(with_title - without).max() > 40


def test_it_codes_the_grainy_vintage_style_four_crf_steps_coarser() -> None:
    # Grain is noise: at the house CRF vintage took 3.6x the bytes of classic.
    assert value_after(argv_for(timeline(style="classic")), "-crf") == ["20"]
    assert value_after(argv_for(timeline(style="vintage")), "-crf") == ["24"]


def test_it_hands_the_frames_to_the_encoder_as_they_are_without_a_conversion_pass(
    tmp_path: Path, ffmpeg: str
) -> None:
    tl = dataclasses.replace(timeline(silent=True, title="Hello"), frames=12)
    ass = build_ass(tl)
    ass_path = tmp_path / "text.ass"
    ass_path.write_text(ass, encoding="utf-8")
    out = tmp_path / "out.mp4"
    argv = compile_command(tl, ffmpeg_binary=ffmpeg, out_path=out, ass_path=ass_path, ass=ass).argv
    argv[argv.index("-loglevel") + 1] = "verbose"  # FFmpeg then reports the filters it adds
    frames = b"".join(f.tobytes() for f in FrameSynth(tl, loader=_fake_loader).frames())
    done = subprocess.run(  # noqa: S603
        argv, input=frames, capture_output=True, env={**os.environ, **fonts.ffmpeg_env()}
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    # A scaler between our frames and x264 would be one more pass over every frame, for nothing:
    # the frames already are what the output declares.
    assert b"auto_scale" not in done.stderr
    described = subprocess.run(  # noqa: S603
        [ffmpeg, "-hide_banner", "-i", str(out)], capture_output=True, text=True
    ).stderr
    assert "yuv420p(tv, smpte170m/bt709/bt709" in described
