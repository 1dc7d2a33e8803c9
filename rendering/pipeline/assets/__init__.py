"""Files the render pipeline ships with: fonts (``fonts/``) and default soundtracks (``music/``)."""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR: Path = Path(__file__).resolve().parent
MUSIC_DIR: Path = ASSETS_DIR / "music"
STYLES: tuple[str, ...] = ("classic", "modern", "cinematic", "vintage")
# Every default track is mastered to this integrated loudness by scripts/make_soundtracks.py.
DEFAULT_TRACK_LUFS = -18.0


def default_track(style: str) -> Path:
    """The default soundtrack for ``style``: a seamlessly loopable AAC file, 64-80 s long.

    Raises ``KeyError`` for an unknown style rather than silently picking another style's music.
    """
    name = str(style)  # a StrEnum member gives its value
    if name not in STYLES:
        raise KeyError(f"no default soundtrack for style {style!r}")
    return MUSIC_DIR / f"{name}.m4a"
