"""Screen-space looks: the vignette darkens exactly what its mask says, and nothing else."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from rendering.pipeline.grading import Vignette
from rendering.pipeline.styles import STYLES, Style

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
