"""One call that runs the four stages: the entry point for the Celery task and the command line.

inspect photos → plan → compile → execute (frames piped into FFmpeg) → publish (probe, promote).
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from . import assets, fonts, pipes
from .ass import build_ass
from .compile import Compiled, EncodingProfile, compile_command
from .errors import InvalidOptions, NoUsablePhotos, UnusablePhoto
from .execute import (
    WRITE_AHEAD,
    CancelCheck,
    ProgressCallback,
    ffmpeg_binary,
    run_capture,
    run_encoder,
)
from .frames import FrameSynth
from .options import RenderOptions
from .photos import PhotoInfo, inspect_photo
from .plan import Plan, Words, plan_timeline
from .publish import check_against_plan, probe, promote
from .timeline import TextKind, Timeline
from .webvtt import build_webvtt

M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number
INSPECT_THREADS = 2


@dataclass(frozen=True, slots=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class RenderResult:
    output: Path
    poster: Path | None
    used: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    duration: float
    width: int
    height: int
    size_bytes: int
    elapsed: float
    timings: dict[str, float] = field(default_factory=dict)
    words: Words = field(default_factory=Words)  # the title, story and captions shown
    subtitles: Path | None = None  # the WebVTT track of the words, when one was asked for

    @property
    def realtime_factor(self) -> float:
        """Seconds of video made per second of wall time."""
        return self.duration / self.elapsed if self.elapsed else 0.0


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the files in named folders (sorted, hidden ones left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def inspect_all(paths: Sequence[Path]) -> tuple[list[PhotoInfo], list[Skipped]]:
    """Analyse every file; unusable ones are skipped with their one-line reason.

    Two at a time: decoding and face detection release the GIL, and nothing else runs yet.
    """

    def one(path: Path) -> PhotoInfo | Skipped:
        try:
            return inspect_photo(path)
        except UnusablePhoto as err:
            return Skipped(err.name, err.reason)

    with ThreadPoolExecutor(max_workers=INSPECT_THREADS, thread_name_prefix="inspect") as pool:
        results = list(pool.map(one, paths))
    infos = [r for r in results if isinstance(r, PhotoInfo)]
    return infos, [r for r in results if isinstance(r, Skipped)]


def check_music(path: Path, *, ffmpeg: str) -> None:
    """Refuse a soundtrack FFmpeg cannot decode, before any photo is rendered."""
    if not path.is_file():
        raise InvalidOptions(f"{path.name}: music file not found")
    result = run_capture([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)], timeout=30)
    if " Audio: " not in result.stderr:
        raise InvalidOptions(f"{path.name}: not an audio file (use mp3, m4a, wav or ogg)")


def render_memory(
    paths: Sequence[Path],
    out: Path,
    options: RenderOptions,
    *,
    poster: Path | None = None,
    ffmpeg: str = "",
    profile: EncodingProfile | None = None,
    on_progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    timeout: float | None = None,
    scratch: Path | None = None,
    inspection: tuple[Sequence[PhotoInfo], Sequence[Skipped]] | None = None,
    subtitles: Path | None = None,
) -> RenderResult:
    """Render a memory video from photo files to ``out`` (and a poster JPEG and a WebVTT track of
    its words, in ``options.language``, if asked). The track is written whether or not the words are
    burned in (``options.burn_text``), and only once the video passed its probe.

    Intermediate files go to a fresh folder under ``scratch`` (default: the system's temp
    folder), removed on every path that Python survives. ``inspection`` is what
    ``inspect_all(paths)`` returned, when the caller needed it first: photos are analysed once."""
    started = time.monotonic()
    _release_big_buffers_eagerly()
    binary = ffmpeg_binary(ffmpeg)
    music = _resolve_music(options, binary)
    own_track = music is not None and options.music is None
    infos, skipped = inspect_all(paths) if inspection is None else _copied(inspection)
    if not infos:
        raise NoUsablePhotos(_none_usable(len(paths), skipped))
    inspected = time.monotonic()
    plan = plan_timeline(
        infos,
        options,
        music=music,
        music_loudness=assets.DEFAULT_TRACK_LUFS if own_track else None,
    )
    skipped += [Skipped(d.name, d.reason) for d in plan.dropped]
    workdir = Path(tempfile.mkdtemp(prefix="photomemory-render-", dir=scratch))
    temp_out = out.parent / f".{out.stem}.{uuid.uuid4().hex[:8]}.part.mp4"
    try:
        synth, compiled = _encode(
            plan,
            workdir,
            temp_out,
            binary,
            profile,
            on_progress,
            should_cancel,
            timeout,
            burn_text=options.burn_text,
            language=options.language,
        )
        encoded = time.monotonic()
        info = probe(temp_out, ffmpeg=binary)
        check_against_plan(info, plan.timeline)
        if poster is not None and synth.poster is not None:
            _write_poster(synth, poster)
        if subtitles is not None:
            _write_text(compiled.vtt, subtitles)
        promote(temp_out, out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        temp_out.unlink(missing_ok=True)
    done = time.monotonic()
    return RenderResult(
        output=out,
        poster=poster,
        used=plan.used,
        skipped=tuple(skipped),
        duration=info.duration,
        width=info.width,
        height=info.height,
        size_bytes=info.size_bytes,
        elapsed=done - started,
        timings={
            "inspect": inspected - started,
            "encode": encoded - inspected,
            "publish": done - encoded,
        },
        words=plan.words,
        subtitles=subtitles,
    )


def compile_render(
    timeline: Timeline,
    workdir: Path,
    out: Path,
    *,
    binary: str,
    profile: EncodingProfile | None = None,
    burn_text: bool = True,
    language: str = "",
) -> Compiled:
    """The FFmpeg command that encodes ``timeline``'s frames into ``out``; its captions file is
    written into ``workdir`` first. The WebVTT track is made here too, from the same timeline
    and always with every word, so the burned-in text and the track cannot drift apart."""
    ass_path = workdir / "text.ass"
    burned = timeline if burn_text else _without_words(timeline)
    ass = build_ass(burned) if burned.texts else None
    if ass is not None:
        ass_path.write_text(ass, encoding="utf-8")
    return compile_command(
        burned,
        ffmpeg_binary=binary,
        out_path=out,
        ass_path=ass_path,
        ass=ass,
        profile=profile,
        vtt=build_webvtt(timeline, language=language),
    )


def _without_words(timeline: Timeline) -> Timeline:
    """The timeline with only the watermark left to draw (a plan rule, kept whatever the user
    chose); the frames, cards and backdrops are untouched."""
    kept = tuple(c for c in timeline.texts if c.kind is TextKind.WATERMARK)
    return dataclasses.replace(timeline, texts=kept)


def _encode(
    plan: Plan,
    workdir: Path,
    temp_out: Path,
    binary: str,
    profile: EncodingProfile | None,
    on_progress: ProgressCallback | None,
    should_cancel: CancelCheck | None,
    timeout: float | None,
    *,
    burn_text: bool = True,
    language: str = "",
) -> tuple[FrameSynth, Compiled]:
    timeline = plan.timeline
    compiled = compile_render(
        timeline,
        workdir,
        temp_out,
        binary=binary,
        profile=profile,
        burn_text=burn_text,
        language=language,
    )
    # One OpenCV thread: x264 already keeps both cores busy, and OpenCV's worker threads would
    # only add scheduling overhead to the same total of work.
    cv2.setNumThreads(1)
    # Enough output buffers that each frame can be lent to the encoder pipe, not copied.
    ring = pipes.ring_size(timeline.width * timeline.height * 3 // 2, write_ahead=WRITE_AHEAD)
    synth = FrameSynth(timeline, ring=ring)
    run_encoder(
        compiled.argv,
        synth.frames(),
        ring=synth.ring_size,
        total_frames=timeline.frames,
        env=fonts.ffmpeg_env(),
        on_progress=on_progress,
        should_cancel=should_cancel,
        timeout=timeout,
    )
    return synth, compiled


def _copied(
    inspection: tuple[Sequence[PhotoInfo], Sequence[Skipped]],
) -> tuple[list[PhotoInfo], list[Skipped]]:
    return list(inspection[0]), list(inspection[1])  # the caller's lists stay as they were


def _release_big_buffers_eagerly() -> None:
    """Have glibc hand every buffer of 1 MiB or more straight back to the OS when freed.

    By default glibc raises its mmap threshold after the first large free, so later frame-sized
    arrays come from the heap and freed photos stay resident: ~15 MB of peak RSS per render.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def _resolve_music(options: RenderOptions, ffmpeg: str) -> Path | None:
    if options.silent:
        return None
    if options.music is None:
        return assets.default_track(options.style)
    check_music(options.music, ffmpeg=ffmpeg)
    return options.music


def _write_poster(synth: FrameSynth, poster: Path) -> None:
    if synth.poster is None:
        return
    ok, data = cv2.imencode(".jpg", synth.poster, [cv2.IMWRITE_JPEG_QUALITY, 88])
    if not ok:
        return
    temp = poster.parent / f".{poster.name}.part"
    temp.write_bytes(data.tobytes())
    os.replace(temp, poster)


def _write_text(text: str, path: Path) -> None:
    """Write a small text file in place atomically, as the poster is."""
    temp = path.parent / f".{path.name}.part"
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _none_usable(count: int, skipped: Sequence[Skipped]) -> str:
    if count == 0:
        return "no photos given"
    first = "; ".join(f"{s.name}: {s.reason}" for s in skipped[:3])
    if count == 1:
        return f"the only file given is not a usable photo — {first}"
    more = f" (and {len(skipped) - 3} more)" if len(skipped) > 3 else ""
    return f"none of the {count} files is a usable photo — {first}{more}"
