"""The fonts we ship for on-screen text, and what FFmpeg needs to use only them.

libass (inside FFmpeg's ``ass``/``subtitles`` filter) renders every title and caption. It is given
``fontsdir=FONTS_DIR`` and finds a style's face by its *family name*, which for libass is the
font's SFNT name ID 1 — e.g. "EB Garamond 12", not the typographic "EB Garamond".

Glyphs a face lacks (東京, مرحبا, नमस्ते…) come from libass's fallback, which asks fontconfig.
Left alone, fontconfig answers from whatever the machine has installed (DejaVu here, nothing in a
slim container), so output would differ between machines or show tofu boxes. ``ffmpeg_env()``
points fontconfig at ``FONTS_DIR/fonts.conf``, which lists only this folder and fixes the
fallback order to ``FALLBACK_FAMILIES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONTS_DIR: Path = Path(__file__).resolve().parent / "assets" / "fonts"
FONTCONFIG_FILE: Path = FONTS_DIR / "fonts.conf"

# One body face for captions, subtitles and the watermark in every style: Inter has regular,
# italic (classic's subtitle) and bold (modern's subtitle) and covers Latin, Greek and Cyrillic.
BODY_FAMILY = "Inter"


@dataclass(frozen=True, slots=True)
class StyleFonts:
    """libass family names for one style: ``title`` for title cards, ``body`` for the rest."""

    title: str
    body: str


_STYLE_FONTS: dict[str, StyleFonts] = {
    # Elegant old-style serif; regular + italic shipped.
    "classic": StyleFonts(title="EB Garamond 12", body=BODY_FAMILY),
    # Clean geometric sans; modern sets its titles bold, so regular + bold shipped.
    "modern": StyleFonts(title="Manrope", body=BODY_FAMILY),
    # Tall condensed capitals that hold wide tracking; the family name is "Bebas Neue Regular".
    "cinematic": StyleFonts(title="Bebas Neue Regular", body=BODY_FAMILY),
    # Typewriter face.
    "vintage": StyleFonts(title="Courier Prime", body=BODY_FAMILY),
}

# The order libass tries for a character the style's face lacks (set in fonts.conf's <prefer>).
FALLBACK_FAMILIES: tuple[str, ...] = (
    "Inter",  # Latin, Greek, Cyrillic (Bebas Neue and Courier Prime lack Greek/Cyrillic)
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "Droid Sans Fallback",  # Chinese and Japanese
    "NanumSquare",  # Korean Hangul, which Droid Sans Fallback lacks
)

# Every font file shipped, by libass family name (tests check each exists and is licensed).
FONT_FILES: dict[str, tuple[str, ...]] = {
    "EB Garamond 12": ("EBGaramond12-Regular.otf", "EBGaramond12-Italic.otf"),
    "Manrope": ("Manrope-Regular.ttf", "Manrope-Bold.ttf"),
    "Bebas Neue Regular": ("BebasNeue-Regular.otf",),
    "Courier Prime": ("CourierPrime-Regular.otf",),
    "Inter": ("Inter-Regular.otf", "Inter-Italic.otf", "Inter-Bold.otf"),
    "Noto Sans Arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "Noto Sans Hebrew": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    "Noto Sans Devanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    "Noto Sans Thai": ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    "Droid Sans Fallback": ("DroidSansFallbackFull.ttf",),
    "NanumSquare": ("NanumSquareR.ttf",),
}


def fonts_for(style: str) -> StyleFonts:
    """The libass family names for ``style`` ("classic", "modern", "cinematic", "vintage").

    Raises ``KeyError`` for an unknown style: a typo must not silently render in a default font.
    """
    try:
        return _STYLE_FONTS[str(style)]
    except KeyError:
        raise KeyError(f"no fonts for style {style!r}") from None


def font_paths(family: str) -> tuple[Path, ...]:
    """The shipped files of one family, as absolute paths."""
    return tuple(FONTS_DIR / name for name in FONT_FILES[family])


def ffmpeg_env() -> dict[str, str]:
    """Environment variables every FFmpeg process that renders text must be given.

    ``FONTCONFIG_FILE`` makes fontconfig (libass's fallback provider) see only our fonts, so the
    same font draws each script on every machine. Pass alongside ``fontsdir=FONTS_DIR``; merge
    into the inherited environment rather than replacing it.
    """
    return {"FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
