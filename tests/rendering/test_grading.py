"""Colour treatment: each style's grade does what it says to a photo without touching the
loader's (read-only) pixels, and the vignette darkens exactly what its mask says."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from rendering.pipeline.grading import Vignette, apply_grade
from rendering.pipeline.styles import STYLES, Style, StyleName

VIGNETTED = [style for style in STYLES.values() if style.vignette > 0]
SIZES = [(1920, 1080), (1080, 1920), (1080, 1080), (1280, 536), (426, 240)]


@pytest.mark.parametrize("style", VIGNETTED, ids=lambda style: style.name.value)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_vignette_darkens_the_corners_as_its_whole_mask_would(
    style: Style, width: int, height: int
) -> None:
    vignette = Vignette.for_picture(width, height, style.vignette)
    assert vignette is not None
    luma = np.random.default_rng(3).integers(16, 236, (height, width), dtype=np.uint8)
    whole = cv2.multiply(luma, vignette.mask, scale=1 / 255)
    darkened = luma.copy()
    vignette.apply(darkened)
    assert np.array_equal(darkened, whole)  # skipping the untouched middle changes no pixel
    centre = (slice(height * 2 // 5, height * 3 // 5), slice(width * 2 // 5, width * 3 // 5))
    assert np.array_equal(darkened[centre], luma[centre])
    corner = (slice(0, height // 20), slice(0, width // 20))
    ratio = darkened[corner].astype(float).sum() / luma[corner].astype(float).sum()
    assert ratio < 1 - style.vignette / 4  # the corners visibly darker


def test_a_style_without_a_vignette_gets_none() -> None:
    assert Vignette.for_picture(1920, 1080, 0.0) is None


def _saturation(rgb: np.ndarray) -> float:
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2HSV)
    return float(hsv[..., 1].mean())


@pytest.mark.parametrize("style", STYLES.values(), ids=lambda style: style.name.value)
def test_a_grade_leaves_the_loaded_photo_as_it_was(style: Style) -> None:
    photo = np.random.default_rng(5).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    before = photo.copy()
    photo.setflags(write=False)  # as the photo loader hands pixels over
    graded = apply_grade(photo, style.grade)
    assert np.array_equal(photo, before)
    assert graded.shape == photo.shape and graded.dtype == np.uint8


def test_grades_move_colourfulness_the_way_each_style_means() -> None:
    photo = np.random.default_rng(6).integers(40, 216, (64, 96, 3), dtype=np.uint8)
    photo.setflags(write=False)
    base = _saturation(photo)
    assert _saturation(apply_grade(photo, STYLES[StyleName.MODERN].grade)) > base * 1.05
    assert _saturation(apply_grade(photo, STYLES[StyleName.VINTAGE].grade)) < base * 0.7


def test_vintage_turns_grey_into_warm_paper_and_keeps_alpha() -> None:
    grey = np.full((8, 8, 4), (128, 128, 128, 77), dtype=np.uint8)
    r, g, b, a = (int(v) for v in apply_grade(grey, STYLES[StyleName.VINTAGE].grade)[4, 4])
    assert r > g > b  # sepia: red above green above blue
    assert a == 77
