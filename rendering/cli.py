"""Terminal front end for ``render_memory``: option parsing helpers, progress bar, summary.

Django-free on purpose, like the pipeline it drives; the management command is a thin shell.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from rendering.pipeline.errors import InvalidOptions
from rendering.pipeline.execute import Progress
from rendering.pipeline.options import CaptionMode
from rendering.pipeline.render import RenderResult

MAX_CAPTIONS_BYTES = 1 << 20


class Source(StrEnum):
    """Where a word on screen came from."""

    AI = "ai"
    OFFLINE = "offline"  # from the photos' own date and GPS, or the pipeline's default
    GIVEN = "given"  # typed by the user: --title, or a captions file


@dataclass(frozen=True, slots=True)
class Sources:
    """The source of each word the summary reports; ``captions`` is None for ``--captions
    none`` (no captions, none listed)."""

    title: Source = Source.OFFLINE
    story: Source = Source.OFFLINE
    captions: Source | None = Source.OFFLINE
    by_photo: Mapping[str, Source] = field(default_factory=dict)  # where it differs by photo


def parse_captions(value: str) -> tuple[CaptionMode, dict[str, str]]:
    """``none``, ``auto`` or a JSON file mapping photo file names to captions.

    The file may be ``{"IMG_1.jpg": "text", …}`` or ``[{"photo": "IMG_1.jpg", "caption": "text"}]``.
    """
    if value in ("none", "auto"):
        return CaptionMode(value), {}
    path = Path(value)
    if not path.is_file():
        raise InvalidOptions(f"{value}: captions must be none, auto, ai or a JSON file that exists")
    if path.stat().st_size > MAX_CAPTIONS_BYTES:
        raise InvalidOptions(f"{path.name}: captions file is larger than 1 MB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InvalidOptions(f"{path.name}: captions file is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise InvalidOptions(f"{path.name}: not valid JSON (line {err.lineno})") from None
    return CaptionMode.GIVEN, _caption_map(path.name, data)


def _caption_map(name: str, data: Any) -> dict[str, str]:
    if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        return {str(k): v for k, v in data.items()}
    if isinstance(data, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("photo"), str)
        and isinstance(item.get("caption"), str)
        for item in data
    ):
        return {item["photo"]: item["caption"] for item in data}
    raise InvalidOptions(
        f'{name}: expected {{"photo.jpg": "caption", …}} or [{{"photo": …, "caption": …}}]'
    )


class ProgressBar:
    """A one-line bar on a terminal; silent when output is piped or ``--json`` is asked for."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled and stream.isatty()
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if not self._enabled or (now - self._last < 0.2 and progress.fraction < 1):
            return
        self._last = now
        width = max(10, min(40, shutil.get_terminal_size().columns - 30))
        filled = round(progress.fraction * width)
        eta = progress.eta
        eta_text = f"ETA {int(eta) // 60}:{int(eta) % 60:02d}" if eta is not None else ""
        bar = "█" * filled + "·" * (width - filled)
        self._stream.write(f"\rRendering {bar} {progress.fraction:4.0%} {eta_text:9}")
        self._stream.flush()

    def finish(self) -> None:
        if self._enabled:
            self._stream.write("\r" + " " * 70 + "\r")
            self._stream.flush()


def summary_dict(
    result: RenderResult, sources: Sources | None = None, *, language: str = ""
) -> dict[str, Any]:
    sources = sources or Sources()
    words = result.words
    captions = [
        {"photo": name, "text": text, "source": sources.by_photo.get(name, sources.captions)}
        for name, text in (words.captions if sources.captions is not None else ())
    ]
    return {
        "output": str(result.output),
        "poster": str(result.poster) if result.poster else None,
        # A list, as a video may carry a track per language.
        "subtitles": (
            [{"language": language, "path": str(result.subtitles)}] if result.subtitles else []
        ),
        "photos_used": len(result.used),
        "used": list(result.used),
        "skipped": [{"file": s.name, "reason": s.reason} for s in result.skipped],
        "duration_seconds": round(result.duration, 3),
        "width": result.width,
        "height": result.height,
        "size_bytes": result.size_bytes,
        "elapsed_seconds": round(result.elapsed, 2),
        "realtime_factor": round(result.realtime_factor, 2),
        "title": {"text": words.title, "source": sources.title},
        "story": {"text": words.story, "source": sources.story},
        "captions": captions,
    }


def summary_text(result: RenderResult) -> str:
    lines = [f"Made {result.output}"]
    lines.append(f"  photos used   {len(result.used)}")
    for skipped in result.skipped:
        lines.append(f"  skipped       {skipped.name}: {skipped.reason}")
    lines += [
        f"  duration      {result.duration:.2f} s",
        f"  resolution    {result.width}×{result.height}",
        f"  size          {result.size_bytes / 2**20:.1f} MB",
        f"  elapsed       {result.elapsed:.1f} s ({result.realtime_factor:.2f}× realtime)",
    ]
    if result.poster:
        lines.append(f"  poster        {result.poster}")
    if result.subtitles:
        lines.append(f"  subtitles     {result.subtitles}")
    return "\n".join(lines)


def warn(message: str, stream: TextIO = sys.stderr) -> None:
    stream.write(f"warning: {message}\n")
