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
    "Symbola",  # emoji and symbols, in monochrome outlines (libass draws no colour fonts)
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
    "Symbola": ("SymbolaEmoji.ttf",),
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


# Scripts whose letters join, reorder or stack (and combining marks): libass shapes them only
# when letter spacing is 0. With ASS ``Spacing``/``\\fsp`` != 0 it lays out every character on
# its own (VSFilter compatibility), so Arabic comes out unjoined and left-to-right, Hebrew
# reversed, and Devanagari vowel signs detach. Seen with this FFmpeg's libass 0.17.
_SHAPED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),  # combining diacritics (decomposed accents)
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic ext.
    (0x0900, 0x0DFF),  # Devanagari … Sinhala (Indic)
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo (composing)
    (0x1780, 0x17FF),  # Khmer
    (0x1AB0, 0x1AFF),  # combining diacritics extended
    (0x1DC0, 0x1DFF),  # combining diacritics supplement
    (0x200C, 0x200F),  # ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFE20, 0xFE2F),  # combining half marks
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


def needs_shaping(text: str) -> bool:
    """True if ``text`` has characters that libass renders wrongly with letter spacing.

    Wide-tracked titles (``Spacing`` in an ASS style, or ``\\fsp``) must fall back to spacing 0
    for such text, or Arabic/Hebrew/Indic/Thai words come out broken.
    """
    for ch in text:
        cp = ord(ch)
        for low, high in _SHAPED_RANGES:
            if low <= cp <= high:
                return True
    return False


def ffmpeg_env() -> dict[str, str]:
    """Environment variables every FFmpeg process that renders text must be given.

    ``FONTCONFIG_FILE`` makes fontconfig (libass's fallback provider) see only our fonts, so the
    same font draws each script on every machine. Pass alongside ``fontsdir=FONTS_DIR``; merge
    into the inherited environment rather than replacing it.
    """
    return {"FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
