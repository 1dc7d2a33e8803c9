"""Analysis: sharpness, perceptual hash and the subject box the camera motion aims at."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from rendering.pipeline.photos import Box, inspect_photo, phash_distance
from tests.rendering import photo_samples as ps

SAMPLE_NAMES = ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "hubble.jpg", "rocket.jpg"]


def test_it_scores_a_blurred_copy_clearly_less_sharp(tmp_path: Path) -> None:
    original = ps.SAMPLES / "astronaut.jpg"

    sharp = inspect_photo(original).sharpness
    soft = inspect_photo(ps.blurred(original, tmp_path)).sharpness

    assert soft < sharp / 3


def test_it_scores_sharpness_on_a_fixed_scale_across_resolutions(tmp_path: Path) -> None:
    big = ps.save(tmp_path, "big.jpg", ps.photo_like((2048, 1536)), "JPEG", quality=92)
    small = ps.resized(big, tmp_path, scale=0.5, quality=92)

    ratio = inspect_photo(big).sharpness / inspect_photo(small).sharpness

    assert 0.6 < ratio < 1.6


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_it_hashes_a_resized_reencoded_copy_as_a_near_duplicate(tmp_path: Path, name: str) -> None:
    original = ps.SAMPLES / name

    distance = phash_distance(
        inspect_photo(original).phash, inspect_photo(ps.resized(original, tmp_path)).phash
    )

    assert distance <= 6


def test_it_hashes_different_photos_far_apart() -> None:
    hashes = {name: inspect_photo(ps.SAMPLES / name).phash for name in SAMPLE_NAMES}

    for a, b in itertools.combinations(SAMPLE_NAMES, 2):
        assert phash_distance(hashes[a], hashes[b]) >= 20, (a, b)


def test_it_measures_hash_distance_in_bits() -> None:
    assert phash_distance(0, 0) == 0
    assert phash_distance(0, (1 << 64) - 1) == 64
    assert phash_distance(0b1011, 0b0001) == 2


def test_it_frames_the_astronauts_face_with_hair_and_chin() -> None:
    info = inspect_photo(ps.SAMPLES / "astronaut.jpg")

    assert info.subject_kind == "faces"
    assert len(info.faces) == 1
    box = info.subject
    assert 0.25 <= box.x <= 0.38 and 0.55 <= box.x + box.w <= 0.65
    assert 0.0 <= box.y <= 0.1 and 0.35 <= box.y + box.h <= 0.5
    assert 0.4 < box.cx < 0.5 and 0.15 < box.cy < 0.3  # her face, not the suit or helmet


def test_it_finds_faces_in_the_upright_picture(tmp_path: Path) -> None:
    stored = Image.open(ps.SAMPLES / "astronaut.jpg").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = ps.save(tmp_path, "sideways.jpg", stored, "JPEG", quality=95, exif=exif.tobytes())

    info = inspect_photo(path)

    assert info.subject_kind == "faces"
    assert 0.4 < info.subject.cx < 0.5 and 0.15 < info.subject.cy < 0.3


@pytest.mark.parametrize("name", ["chelsea.jpg", "coffee.jpg", "rocket.jpg", "hubble.jpg"])
def test_it_finds_no_faces_where_there_are_none(name: str) -> None:
    info = inspect_photo(ps.SAMPLES / name)

    assert info.faces == ()
    assert info.subject_kind == "salient"


def test_it_puts_the_salient_box_around_the_cup() -> None:
    box = inspect_photo(ps.SAMPLES / "coffee.jpg").subject

    assert 0.35 < box.cx < 0.6 and 0.4 < box.cy < 0.7
    assert 0.1 < box.w * box.h < 0.6


def test_it_falls_back_to_the_centre_for_a_featureless_photo(tmp_path: Path) -> None:
    path = ps.save(tmp_path, "fog.png", Image.new("RGB", (300, 200), (128, 128, 128)), "PNG")

    info = inspect_photo(path)

    assert (info.subject_kind, info.subject, info.faces) == (
        "centre",
        Box(0.25, 0.25, 0.5, 0.5),
        (),
    )


def test_it_describes_a_phone_sized_photo(tmp_path: Path) -> None:
    pixels = ps.photo_like()
    path = ps.save(tmp_path, "IMG_0001.jpg", pixels, "JPEG", quality=90)

    info = inspect_photo(path)

    assert (info.name, info.format, info.width, info.height) == ("IMG_0001.jpg", "JPEG", 4032, 3024)
    assert info.subject_kind == "faces"
    assert 0.4 < info.subject.cx < 0.5
    assert info.sharpness > 0 and 0 <= info.phash < 1 << 64


def test_box_helpers_stay_inside_the_image() -> None:
    box = Box(0.1, 0.2, 0.3, 0.4)

    assert (box.cx, box.cy) == pytest.approx((0.25, 0.4))
    union = box.union(Box(0.5, 0.5, 0.2, 0.2))
    assert (union.x, union.y, union.w, union.h) == pytest.approx((0.1, 0.2, 0.6, 0.5))
    padded = box.padded(0.5)
    assert (padded.x, padded.y, padded.w, padded.h) == pytest.approx((0.0, 0.0, 0.55, 0.8))
    whole = Box(0.0, 0.0, 1.0, 1.0).padded(0.2)
    assert whole == Box(0.0, 0.0, 1.0, 1.0)


def test_it_analyses_the_picture_without_its_alpha_noise(tmp_path: Path) -> None:
    # Fully transparent pixels may hold anything; analysis must see the flattened picture.
    rgba = np.zeros((200, 300, 4), dtype=np.uint8)
    rgba[..., :3] = np.random.default_rng(1).integers(0, 255, (200, 300, 3), dtype=np.uint8)
    path = ps.save(tmp_path, "hidden.png", Image.fromarray(rgba), "PNG")

    info = inspect_photo(path)

    assert info.sharpness == 0 and info.subject_kind == "centre"
