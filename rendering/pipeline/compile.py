"""Stage 2 — compile: Timeline + encoding profile → the FFmpeg argv. Pure: no process, no I/O.

FFmpeg receives the synthesised frames on its stdin (``-nostdin`` only turns off the interactive
keys; the pipe is still read as an input), lays the ASS text over them with libass, prepares the
soundtrack (loop or trim, loudness-normalise, fade) and encodes H.264 + AAC with the index at the
front.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ffmpeg  # ffmpeg-python: builds the filter graph and escapes its arguments

from .fonts import FONTS_DIR
from .styles import STYLES
from .timeline import Timeline

FRAME_PIPE = "pipe:0"  # the frame synthesiser writes raw frames to FFmpeg's stdin
# The frames' layout (see yuv.py), and the encoder's input too: H.264 stores NV12's 4:2:0 as
# any player's yuv420p, and asking x264 for yuv420p instead would put a converter in between.
FRAME_FORMAT = "nv12"
# The frames are BT.601 limited-range YCbCr of sRGB pictures (see yuv.py): matrix, primaries,
# transfer and range, as FFmpeg names them.
COLOUR = ("smpte170m", "bt709", "bt709", "tv")


@dataclass(frozen=True, slots=True)
class EncodingProfile:
    """x264/AAC settings.

    ``superfast`` at CRF 20: on our photo motion it scores a higher SSIM than ``veryfast``
    (0.9897 against 0.9880 over 900 frames at 1080p) for about 2× the bytes (≈ 4.6 Mbit/s, well
    within what players and phones stream) and 40 % less encoder CPU — and on 2 cores the encoder
    is most of a render's cost.
    """

    preset: str = "superfast"
    crf: int = 20
    # Three frame threads (x264's choice for 2 cores) keep both cores busier than two: renders
    # take 4 % less time. The lookahead runs in the encoding thread, not its own: with no
    # adaptive decisions it has little to do, and its frame buffer cost ~35 MB. No scene-cut
    # detection or adaptive B-frame placement: the plan already knows where every cut is and
    # puts a keyframe every 2 s, and those two decisions cost 10–15 % of the encode on slowly
    # moving photos for no visible gain.
    # Five B-frames rather than the preset's three: a slow zoom is predicted well from both sides,
    # so over 900 frames of our 1080p output the file is 18 % smaller (SSIM 0.9874 against
    # 0.9872 for three B-frames at the same size) and the encoder spends 10 % less CPU.
    x264_params: str = "threads=3:sync-lookahead=0:scenecut=0:b-adapt=0:bframes=5"
    audio_bitrate: str = "160k"
    sample_rate: int = 48000
    keyframe_seconds: float = 2.0
    loudness_lufs: float = -16.0


@dataclass(frozen=True, slots=True)
class Compiled:
    argv: list[str]
    ass: str | None  # the subtitle document to write to ``ass_path`` before running
    vtt: str = ""  # the same words as a WebVTT track (webvtt.py), published beside the video


def compile_command(
    timeline: Timeline,
    *,
    ffmpeg_binary: str,
    out_path: Path,
    ass_path: Path,
    ass: str | None,
    profile: EncodingProfile | None = None,
    vtt: str = "",
) -> Compiled:
    """The argv that turns frames on stdin plus the soundtrack into ``out_path``; ``vtt`` rides
    along unchanged (it is no input of FFmpeg's)."""
    profile = profile or EncodingProfile()
    video = ffmpeg.input(
        FRAME_PIPE,
        format="rawvideo",
        pix_fmt=FRAME_FORMAT,
        s=f"{timeline.width}x{timeline.height}",
        framerate=timeline.fps,
    ).video
    # Tag the frames with the colour description the output declares. Untagged, FFmpeg inserts
    # a scaler to "convert" them to it: a needless pass over every frame, 5 % of the encode.
    space, primaries, transfer, range_ = COLOUR
    video = video.filter(
        "setparams", colorspace=space, color_primaries=primaries, color_trc=transfer, range=range_
    )
    if ass is not None:
        video = video.filter("ass", filename=str(ass_path), fontsdir=str(FONTS_DIR))
    audio = _audio(timeline, profile)
    output = ffmpeg.output(
        video,
        audio,
        str(out_path),
        vcodec="libx264",
        preset=profile.preset,
        crf=profile.crf + STYLES[timeline.style].crf_offset,
        **{"x264-params": profile.x264_params},
        pix_fmt=FRAME_FORMAT,
        g=max(1, round(profile.keyframe_seconds * timeline.fps)),
        r=timeline.fps,
        # Say what the frames are, or players guess.
        colorspace=space,
        color_primaries=primaries,
        color_trc=transfer,
        color_range=range_,
        acodec="aac",
        audio_bitrate=profile.audio_bitrate,
        ar=profile.sample_rate,
        ac=2,
        t=f"{timeline.duration:.6f}",
        movflags="+faststart",
        f="mp4",
    )
    argv = (
        output.global_args(
            "-nostdin", "-hide_banner", "-loglevel", "error", "-progress", "pipe:1", "-nostats"
        )
        .overwrite_output()
        .compile(cmd=ffmpeg_binary)
    )
    return Compiled(argv=list(argv), ass=ass, vtt=vtt)


def _audio(timeline: Timeline, profile: EncodingProfile) -> ffmpeg.nodes.FilterableStream:
    duration = timeline.duration
    cue = timeline.audio
    if cue.track is None:
        return ffmpeg.input(
            f"anullsrc=r={profile.sample_rate}:cl=stereo", f="lavfi", t=f"{duration:.6f}"
        ).audio
    # Loop the track as often as needed, then cut it to the video. Loudness is normalised
    # before the fades, or loudnorm's gain riding would undo them. Our own tracks have a known
    # loudness, so a plain gain does (loudnorm resamples to 192 kHz internally: not free).
    track = ffmpeg.input(str(cue.track), stream_loop=-1).audio
    trimmed = track.filter("atrim", duration=f"{duration:.6f}").filter("asetpts", "PTS-STARTPTS")
    if cue.loudness is None:
        levelled = trimmed.filter("loudnorm", i=profile.loudness_lufs, tp=-1.5, lra=11)
    else:
        levelled = trimmed.filter("volume", f"{profile.loudness_lufs - cue.loudness:.2f}dB")
    return (
        levelled.filter("aresample", profile.sample_rate)
        .filter("aformat", channel_layouts="stereo")
        .filter("afade", t="in", st=0, d=f"{cue.fade_in:.3f}")
        .filter(
            "afade", t="out", st=f"{max(0.0, duration - cue.fade_out):.3f}", d=f"{cue.fade_out:.3f}"
        )
    )
