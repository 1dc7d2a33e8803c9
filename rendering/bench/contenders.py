"""The things the benchmark times, each run as its own process.

Prints one JSON line ``{"video_seconds": …}`` at the end so the parent can compute rates.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

from rendering.pipeline import assets, fonts
from rendering.pipeline.compile import FRAME_FORMAT, FRAME_PIPE, EncodingProfile
from rendering.pipeline.execute import ffmpeg_binary
from rendering.pipeline.frames import FrameSynth
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.render import compile_render, inspect_all, render_memory

FPS = 30
WIDTH, HEIGHT = 1920, 1080


def ours(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    result = render_memory(photos, out, _options(spp, transition), poster=out.with_suffix(".jpg"))
    return result.duration


def floor(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    """The encoder alone: as many frames as our video has, from testsrc2, same x264 settings."""
    frames = _our_frame_count(len(photos), spp, transition)
    source = ["-f", "lavfi", "-i", f"testsrc2=s={WIDTH}x{HEIGHT}:r={FPS}", "-frames:v", str(frames)]
    _encode(source, "yuv420p", out)  # what testsrc2 draws: no conversion before x264
    return frames / FPS


def frames(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    """Not timed: our video's frames, as the synthesiser makes them, raw into ``out``; beside
    them the FFmpeg command our render runs on them (``encode`` replays it) and its captions
    (``text.ass``)."""
    infos, _ = inspect_all(photos)
    plan = plan_timeline(
        infos,
        _options(spp, transition),
        music=assets.default_track("classic"),
        music_loudness=assets.DEFAULT_TRACK_LUFS,
    )
    timeline = plan.timeline
    compiled = compile_render(
        timeline, out.parent, out.with_name(f"{out.stem}-encode.mp4"), binary=ffmpeg_binary()
    )
    argv = [str(out) if arg == FRAME_PIPE else arg for arg in compiled.argv]
    out.with_suffix(".json").write_text(json.dumps(argv), encoding="utf-8")
    with out.open("wb") as fh:
        for frame in FrameSynth(timeline).frames():
            frame.tofile(fh)  # straight from the buffer, no 3 MB copy per frame
    return timeline.duration


def content(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    """The encoder alone on our own frames (written by ``frames`` to ``out`` as .nv12), read
    from a file: what x264 costs on these pictures, with no synthesis, text or sound around it."""
    raw = out.with_suffix(".nv12")
    source = ["-f", "rawvideo", "-pix_fmt", FRAME_FORMAT, "-s", f"{WIDTH}x{HEIGHT}"]
    _encode([*source, "-framerate", str(FPS), "-i", str(raw)], FRAME_FORMAT, out)
    return _raw_seconds(raw)


def encode(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    """Our render's own FFmpeg command (captions, music, AAC, faststart) on our frames read
    from the file ``frames`` wrote (``out`` as .nv12): a render whose frames cost nothing."""
    raw = out.with_suffix(".nv12")
    argv = json.loads(raw.with_suffix(".json").read_text(encoding="utf-8"))
    progress = argv.index("-progress")
    del argv[progress : progress + 2]  # nobody reads it here
    subprocess.run(argv, check=True, env={**os.environ, **fonts.ffmpeg_env()})  # noqa: S603
    return _raw_seconds(raw)


def _raw_seconds(raw: Path) -> float:
    """How long the raw 1080p NV12 frames in ``raw`` last."""
    return raw.stat().st_size // (WIDTH * HEIGHT * 3 // 2) / FPS


def _options(spp: float, transition: float) -> RenderOptions:
    return RenderOptions(
        style="classic",
        resolution="1080p",
        title="A summer to remember",
        seconds_per_photo=spp,
        transition_seconds=transition,
        caption_mode=CaptionMode.AUTO,
        order=Order.GIVEN,
    )


def _encode(source: list[str], pix_fmt: str, out: Path) -> None:
    """Video only, with our x264 settings."""
    profile = EncodingProfile()
    subprocess.run(  # noqa: S603
        [
            ffmpeg_binary(),
            "-nostdin",
            "-v",
            "error",
            "-y",
            *source,
            "-c:v",
            "libx264",
            "-preset",
            profile.preset,
            "-crf",
            str(profile.crf),
            "-x264-params",
            profile.x264_params,
            "-pix_fmt",
            pix_fmt,
            "-g",
            str(2 * FPS),
            str(out),
        ],
        check=True,
    )


def _our_frame_count(count: int, spp: float, transition: float) -> int:
    from rendering.pipeline.styles import get_style

    style = get_style("classic")
    return (
        round(style.title_seconds * FPS) + count * round(spp * FPS) + round(style.end_seconds * FPS)
    )


def moviepy(photos: list[Path], out: Path, spp: float, transition: float) -> float:
    """The same slideshow the straightforward way: zoom each photo, crossfade, music."""
    from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, vfx

    from rendering.pipeline.assets import default_track

    w, h = WIDTH, HEIGHT
    clips = []
    t = 0.0
    for path in photos:
        clip = (
            ImageClip(str(path))
            .resized(height=h)
            .with_duration(spp + transition)
            .resized(lambda s: 1 + 0.04 * s)
            .with_position("center")
            .with_start(t)
        )
        if t > 0:
            clip = clip.with_effects([vfx.CrossFadeIn(transition)])
        clips.append(clip)
        t += spp
    video = CompositeVideoClip(clips, size=(w, h)).with_duration(t + transition)
    music = AudioFileClip(str(default_track("classic"))).with_duration(video.duration)
    video = video.with_audio(music)
    video.write_videofile(
        str(out),
        fps=FPS,
        codec="libx264",
        preset=EncodingProfile().preset,
        audio_codec="aac",
        logger=None,
        threads=2,
    )
    return float(video.duration)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=["ours", "floor", "frames", "content", "encode", "moviepy"])
    parser.add_argument("--photos", type=Path, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds-per-photo", type=float, required=True)
    parser.add_argument("--transition", type=float, required=True)
    args = parser.parse_args()
    photos = sorted(args.photos.glob("*.jpg"))[: args.count]
    run = {
        "ours": ours,
        "floor": floor,
        "frames": frames,
        "content": content,
        "encode": encode,
        "moviepy": moviepy,
    }[args.name]
    seconds = run(photos, args.out, args.seconds_per_photo, args.transition)
    print(json.dumps({"video_seconds": seconds}))


if __name__ == "__main__":
    main()
