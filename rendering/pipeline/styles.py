"""The four looks a memory video can have.

A style is data, not code: pacing, motion, transitions, colour treatment, typography and the
title/end cards. The planner reads the pacing and motion, the frame synthesiser the colour and
transition fields, the ASS writer the typography. A viewer should tell them apart at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StyleName(StrEnum):
    CLASSIC = "classic"
    MODERN = "modern"
    CINEMATIC = "cinematic"
    VINTAGE = "vintage"


class TransitionKind(StrEnum):
    CUT = "cut"
    DISSOLVE = "dissolve"
    DIP_BLACK = "dip_black"
    DIP_WHITE = "dip_white"
    SLIDE_LEFT = "slide_left"
    SLIDE_UP = "slide_up"
    WIPE_LEFT = "wipe_left"


@dataclass(frozen=True, slots=True)
class Grade:
    """Colour treatment applied once per photo (image space), before any motion.

    Values are gentle on purpose: a memory video should flatter the photos, not restyle them.
    """

    warmth: float = 0.0  # + warm (more red, less blue), - cool
    saturation: float = 1.0
    contrast: float = 1.0  # S-curve strength around mid-grey
    lift: float = 0.0  # raises blacks (0..1 of full scale): the "faded film" look
    gain: float = 1.0  # scales whites down below 1.0
    sepia: float = 0.0  # 0..1 mix toward a sepia tone
    teal_orange: float = 0.0  # shadows toward teal, highlights toward orange

    @property
    def is_identity(self) -> bool:
        return self == Grade()


@dataclass(frozen=True, slots=True)
class Style:
    name: StyleName
    label: str
    tagline: str
    seconds_per_photo: float
    transition_seconds: float
    transitions: tuple[TransitionKind, ...]  # cycled through, photo by photo
    zoom: float  # how far a Ken Burns move travels (1.12 = 12 % closer)
    ease: float  # 0 = constant speed, 1 = full ease in/out
    grade: Grade
    vignette: float  # 0 = none, 1 = corners at half brightness
    grain: float  # luma noise amplitude in 8-bit code values
    letterbox: float | None  # picture aspect inside the frame (2.39 for scope), None = full frame
    background: tuple[int, int, int]  # title/end cards and transparent pixels, RGB
    text_colour: tuple[int, int, int]
    accent_colour: tuple[int, int, int]
    title_seconds: float
    end_seconds: float
    title_uppercase: bool
    title_spacing: float  # letter spacing in ASS units, relative to a 1080-line frame
    caption_align: str  # "bottom_center" | "bottom_left"
    # Added to the encoder's CRF. Film grain is noise, which x264 codes faithfully at any cost:
    # at the house CRF vintage took 3.6× the bytes of classic. Four steps coarser keep it near
    # the others' bitrate, and grain still reads as grain.
    crf_offset: int = 0


STYLES: dict[StyleName, Style] = {
    StyleName.CLASSIC: Style(
        name=StyleName.CLASSIC,
        label="Classic",
        tagline="Gentle pacing, soft crossfades and warm tones.",
        seconds_per_photo=4.0,
        transition_seconds=1.0,
        transitions=(TransitionKind.DISSOLVE,),
        zoom=1.12,
        ease=0.5,
        grade=Grade(warmth=0.06, saturation=1.05, contrast=1.04),
        vignette=0.18,
        grain=0.0,
        letterbox=None,
        background=(28, 22, 18),
        text_colour=(255, 248, 235),
        accent_colour=(226, 190, 130),
        title_seconds=3.5,
        end_seconds=3.0,
        title_uppercase=False,
        title_spacing=0.0,
        caption_align="bottom_center",
    ),
    StyleName.MODERN: Style(
        name=StyleName.MODERN,
        label="Modern",
        tagline="Brisk cuts, slides and wipes, clean type.",
        seconds_per_photo=2.5,
        transition_seconds=0.5,
        transitions=(TransitionKind.SLIDE_LEFT, TransitionKind.WIPE_LEFT, TransitionKind.SLIDE_UP),
        zoom=1.10,
        ease=0.8,
        grade=Grade(saturation=1.10, contrast=1.08),
        vignette=0.0,
        grain=0.0,
        letterbox=None,
        background=(245, 245, 242),
        text_colour=(255, 255, 255),
        accent_colour=(255, 94, 77),
        title_seconds=2.5,
        end_seconds=2.5,
        title_uppercase=False,
        title_spacing=0.0,
        caption_align="bottom_left",
    ),
    StyleName.CINEMATIC: Style(
        name=StyleName.CINEMATIC,
        label="Cinematic",
        tagline="Letterbox, slow pushes, dips to black and a graded look.",
        seconds_per_photo=4.5,
        transition_seconds=1.2,
        transitions=(TransitionKind.DIP_BLACK, TransitionKind.DISSOLVE),
        zoom=1.16,
        ease=0.35,
        grade=Grade(saturation=0.92, contrast=1.12, teal_orange=0.55),
        vignette=0.35,
        grain=1.0,
        letterbox=2.39,
        background=(0, 0, 0),
        text_colour=(240, 240, 240),
        accent_colour=(200, 170, 120),
        title_seconds=4.0,
        end_seconds=3.5,
        title_uppercase=True,
        title_spacing=12.0,
        caption_align="bottom_center",
    ),
    StyleName.VINTAGE: Style(
        name=StyleName.VINTAGE,
        label="Vintage",
        tagline="Faded sepia, film grain and a soft vignette.",
        seconds_per_photo=3.5,
        transition_seconds=0.9,
        transitions=(TransitionKind.DISSOLVE, TransitionKind.DIP_WHITE),
        zoom=1.08,
        ease=0.5,
        grade=Grade(saturation=0.55, contrast=0.95, lift=0.07, gain=0.93, sepia=0.55, warmth=0.04),
        vignette=0.45,
        grain=3.0,
        letterbox=None,
        background=(38, 30, 22),
        text_colour=(246, 236, 214),
        accent_colour=(196, 160, 110),
        title_seconds=3.5,
        end_seconds=3.0,
        title_uppercase=False,
        title_spacing=1.0,
        caption_align="bottom_center",
        crf_offset=4,
    ),
}


def get_style(name: str) -> Style:
    """The style called ``name``; ``KeyError`` lists the choices for a clear message upstream."""
    try:
        return STYLES[StyleName(name)]
    except ValueError:
        choices = ", ".join(s.value for s in StyleName)
        raise KeyError(f"unknown style {name!r}; choose one of {choices}") from None
