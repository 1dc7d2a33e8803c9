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

import unicodedata
from dataclasses import dataclass, field
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


# --- one visual size for every script ----------------------------------------------------------
#
# libass sizes a face so that its OS/2 winAscent + winDescent equals the ASS font size. Those
# metrics differ wildly between fonts: Noto Sans Arabic reserves 2.1 em for stacked marks, so at
# one font size its letters come out at 56 % of Inter's capitals. So each fallback script gets a
# scale (ASS ``\\fscx``/``\\fscy`` on its runs, see ``sized_runs``) that makes it as large as the
# Latin letters of the face it stands in for.
#
# The measure: the inked height of one reference glyph, as a fraction of the ASS font size
# (ink height / (winAscent + winDescent), read from the font files with fontTools and checked by
# rendering, tests/rendering/test_scripts.py). Latin's is the capital H. Each script's reference
# is the part of it that plays the capital's role: a full ideograph (国) or Hangul syllable (몸),
# Arabic alef (ا: Noto draws it exactly at Latin cap height), a Hebrew letter (ה: Hebrew is
# uncased, every letter is full height), Devanagari म from the top of its headline to the
# baseline. Thai is the exception: its consonant body (ก) is its x-height (vowels and tone marks
# stack above it like ascenders), so it matches Latin "x"; matched to H it would tower over Latin.
# Marks above and below (accents, harakat, matras, Thai vowels) are not measured: they follow.
#
# Equal is the aim, within ±10 %; inside that band each ``target`` leans the way type designers
# harmonise scripts (Noto's own families): dense square ideographs and Hangul blocks a little
# taller than H (at exactly H they look small), heavy Hebrew and Devanagari a little shorter.

# Per face a style sets text in, as fractions of the ASS font size: cap height "H", x-height "x",
# and the descent libass gives its line box (winDescent / (winAscent + winDescent)).
FACE_HEIGHTS: dict[str, tuple[float, float, float]] = {
    "Inter": (0.601, 0.451, 0.200),
    "EB Garamond 12": (0.533, 0.331, 0.263),
    "Manrope": (0.527, 0.395, 0.220),
    "Bebas Neue Regular": (0.583, 0.583, 0.208),  # capitals only: lower case is small capitals
    "Courier Prime": (0.445, 0.347, 0.314),
}


@dataclass(frozen=True, slots=True)
class Script:
    """A script drawn by a fallback font, and how tall its reference glyph is in that font."""

    name: str
    family: str  # the font libass falls back to for it
    reference: str  # the glyph measured
    height: float  # its ink height as a fraction of the ASS font size
    descent: float  # the font's winDescent / (winAscent + winDescent): its line box below the base
    matches: str  # "cap" or "x": the Latin height it is matched to
    target: float  # its height over that Latin height (1.0 = equal)
    ranges: tuple[tuple[int, int], ...]
    native: frozenset[str] = field(default_factory=frozenset)  # faces that draw it themselves


SCRIPTS: tuple[Script, ...] = (
    Script(
        "arabic", "Noto Sans Arabic", "ا", 0.338, 0.349, "cap", 1.0,
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    Script(
        "hebrew", "Noto Sans Hebrew", "ה", 0.436, 0.215, "cap", 0.92,
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    Script(
        "devanagari", "Noto Sans Devanagari", "म", 0.477, 0.313, "cap", 0.95,
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    ),
    Script("thai", "Noto Sans Thai", "ก", 0.369, 0.298, "x", 1.0, ((0x0E00, 0x0E7F),)),
    Script(
        "korean", "NanumSquare", "몸", 0.794, 0.231, "cap", 1.05,
        ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF)),
    ),
    Script(
        "cjk", "Droid Sans Fallback", "国", 0.663, 0.203, "cap", 1.05,
        ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3190, 0x31FF), (0x3400, 0x4DBF),
         (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF)),
    ),
    Script("emoji", "Symbola", "🐱", 0.568, 0.270, "cap", 1.0, ((0x1F000, 0x1FAFF),)),
    # Greek and Cyrillic fall back to Inter only in the title faces that lack them.
    Script(
        "greek", "Inter", "Η", 0.601, 0.200, "cap", 1.0, ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
        frozenset({"Inter", "EB Garamond 12", "Manrope"}),
    ),
    Script(
        "cyrillic", "Inter", "Н", 0.601, 0.200, "cap", 1.0, ((0x0400, 0x052F),),
        frozenset({"Inter", "EB Garamond 12", "Manrope", "Bebas Neue Regular"}),
    ),
)  # fmt: skip

# Characters that belong to the run they are in: combining marks, joiners, variation selectors,
# emoji tag characters, the enclosing keycap. (Skin tones sit inside the emoji range itself.)
_INHERIT_RANGES: tuple[tuple[int, int], ...] = (
    (0x200C, 0x200D),
    (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F),
    (0xE0000, 0xE01EF),
)


def script_of(ch: str) -> Script | None:
    """The fallback script ``ch`` belongs to; None for Latin, digits, punctuation, spaces."""
    cp = ord(ch)
    for script in SCRIPTS:
        for low, high in script.ranges:
            if low <= cp <= high:
                return script
    return None


def _inherits(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.category(ch) in {"Mn", "Me"} or any(
        low <= cp <= high for low, high in _INHERIT_RANGES
    )


def script_scale(face: str, script: Script) -> int:
    """Percent to scale ``script`` by in text set in ``face`` (100 for a face we don't know)."""
    heights = FACE_HEIGHTS.get(face)
    if heights is None or face in script.native:
        return 100
    target = heights[0] if script.matches == "cap" else heights[1]
    return round(100 * script.target * target / script.height)


def sized_runs(text: str, face: str) -> list[tuple[str, int]]:
    """``text`` cut into runs, each with the percent to draw it at in ``face``.

    A script's run takes the combining marks and joiners inside it; everything the face draws
    itself (Latin, digits, punctuation, spaces: scaled, Inter's space would open wide gaps
    between Arabic words) stays at 100.
    Concatenating the runs gives ``text`` back.
    """
    tags: list[Script | None] = []
    for ch in text:
        tags.append(tags[-1] if tags and _inherits(ch) else script_of(ch))
    runs: list[tuple[str, int]] = []
    for ch, tag in zip(text, tags, strict=True):
        pct = 100 if tag is None else script_scale(face, tag)
        if runs and runs[-1][1] == pct:
            runs[-1] = (runs[-1][0] + ch, pct)
        else:
            runs.append((ch, pct))
    return runs


def extra_descent(text: str, face: str) -> float:
    """How much deeper than ``face``'s own the last line of ``text`` reaches, in font sizes.

    libass sets a bottom-aligned line on the margin by the deepest descent of the fonts in it,
    scaled: a scaled Arabic run (Noto Sans Arabic keeps 35 % of its size below the baseline, Inter
    20 %) would lift the caption's baseline by 0.42 of the font size, and captions would jump
    between photos. ``ass.py`` lowers such a line's margin by this much.
    """
    heights = FACE_HEIGHTS.get(face)
    if heights is None:
        return 0.0
    deepest = heights[2]
    for run, pct in sized_runs(text.rsplit("\n", 1)[-1], face):
        script = next((script_of(ch) for ch in run if script_of(ch) is not None), None)
        if pct != 100 and script is not None:
            deepest = max(deepest, script.descent * pct / 100)
    return deepest - heights[2]


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
