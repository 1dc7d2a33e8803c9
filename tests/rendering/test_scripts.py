"""Captions in every script, drawn through the real path (``build_ass`` → FFmpeg's ``ass`` filter
with our fonts): real glyphs (no tofu box), one visual size, right-to-left in order.

The measure (see fonts.py): the inked height of a reference glyph — Latin "H"; a capital of
Cyrillic and Greek; a full ideograph; a full Hangul syllable; Arabic alef; a Hebrew letter;
Devanagari from the top of the headline to the baseline — must be within ±10 % of the face's
"H". Thai's consonant body is its x-height and is held to Latin "x". Each render is one small
FFmpeg call for all its texts, taken once per module.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np
import pytest

from rendering.pipeline import fonts
from rendering.pipeline.ass import sized_text
from rendering.pipeline.timeline import TextKind
from tests.rendering.script_frames import Frame, ink_box, ink_height, render_captions

SIZE = 1080  # caption font 45 px: "H" is 27 px tall, so ±10 % is ±2.7 px


class Sample(NamedTuple):
    caption: str  # what a user might write
    reference: str  # the glyphs measured, repeated
    latin: str  # the Latin glyphs they must match


SAMPLES: dict[str, Sample] = {
    "latin": Sample("Lisbon, Portugal · July 2021", "HHH", "HHH"),
    "accented": Sample("São Tomé · Ærøskøbing · Çeşme · Łódź", "ÐÐÐ", "HHH"),
    "cyrillic": Sample("Москва, Россия · июль", "ННН", "HHH"),
    "greek": Sample("Αθήνα, Ελλάδα · Ιούλιος", "ΗΗΗ", "HHH"),
    "chinese": Sample("北京的夏天 · 2021年7月", "国国国", "HHH"),
    "japanese": Sample("東京の夜、思い出", "日日日", "HHH"),
    "korean": Sample("서울의 여름 · 2021년", "몸몸몸", "HHH"),
    "arabic": Sample("ذكريات جميلة في لشبونة", "ااا", "HHH"),
    "hebrew": Sample("שלום ירושלים", "ההה", "HHH"),
    "devanagari": Sample("नमस्ते दिल्ली", "ममम", "HHH"),
    "thai": Sample("สวัสดี กรุงเทพฯ", "กกก", "xxx"),
}
EMOJI = ("🎉", "❤️", "🐱", "👍🏽", "👍")
MISSING = "\u0378"  # unassigned: no font has it, so libass draws Inter's .notdef box
TOO_NEW = "\U0001fae8"  # 🫨 (Unicode 15): Symbola stops at Unicode 9
BASELINE = ("H ااا H", "H ההה H", "H ममम H", "H กกก H", "H 国 H", "H 몸 H", "H 🐱 H")
RTL = ("א", "ב", "אב", "Lisbon 2021 —", "لشبونة", "Lisbon 2021 — لشبونة", "زرنا", "زرنا Lisbon")


@pytest.fixture(scope="module")
def frames() -> dict[str, Frame]:
    texts = ["HHH", "xxx", f"H{MISSING}{MISSING}H", f"Party {MISSING}", MISSING]
    texts += ["Party 🎉 ❤️ 🐱 👍🏽 ok", f"Party {TOO_NEW}"]
    texts += [s.caption for s in SAMPLES.values()] + [s.reference for s in SAMPLES.values()]
    texts += list(EMOJI) + list(RTL) + list(BASELINE)
    return dict(zip(texts, render_captions(texts, size=SIZE), strict=True))


def _crop(frame: Frame) -> Frame:
    box = ink_box(frame)
    assert box is not None, "nothing drawn"
    top, bottom, left, right = box
    return frame[top : bottom + 1, left : right + 1]


def _best_match(frame: Frame, template: Frame) -> tuple[float, int]:
    """How well ``template`` matches somewhere in ``frame`` (1 = exactly), and its centre x."""
    scores = cv2.matchTemplate(frame, template, cv2.TM_CCOEFF_NORMED)
    _, best, _, (x, _) = cv2.minMaxLoc(scores)
    return float(best), x + template.shape[1] // 2


def _has_tofu(frame: Frame, frames: dict[str, Frame]) -> bool:
    """Whether Inter's .notdef box is anywhere in ``frame``, at any scale a script run gets."""
    box, region = _crop(frames[MISSING]), _crop(frame)
    region = np.pad(region, 4)
    for scale in np.arange(0.5, 2.01, 0.05):
        h, w = round(box.shape[0] * scale), round(box.shape[1] * scale)
        if h > region.shape[0] or w > region.shape[1]:
            break
        template: Frame = cv2.resize(box, (w, h), interpolation=cv2.INTER_AREA).astype(np.uint8)
        if _best_match(region, template)[0] > 0.9:
            return True
    return False


def test_the_tofu_detector_sees_a_missing_glyph(frames: dict[str, Frame]) -> None:
    assert _has_tofu(frames[f"H{MISSING}{MISSING}H"], frames)
    assert _has_tofu(frames[f"Party {MISSING}"], frames)
    assert _has_tofu(frames[f"Party {TOO_NEW}"], frames)  # a box scaled as an emoji run
    assert not _has_tofu(frames["HHH"], frames)


@pytest.mark.parametrize("script", SAMPLES)
def test_every_script_draws_real_glyphs(frames: dict[str, Frame], script: str) -> None:
    sample = SAMPLES[script]
    for text in (sample.caption, sample.reference):
        assert ink_height(frames[text]) > 10, f"{script}: nothing drawn for {text!r}"
        assert not _has_tofu(frames[text], frames), f"{script}: a .notdef box in {text!r}"


@pytest.mark.parametrize("script", SAMPLES)
def test_every_script_is_as_large_as_latin(frames: dict[str, Frame], script: str) -> None:
    sample = SAMPLES[script]
    height, latin = ink_height(frames[sample.reference]), ink_height(frames[sample.latin])
    assert 0.9 <= height / latin <= 1.1, f"{script}: {height:.1f} px against Latin {latin:.1f} px"


@pytest.mark.parametrize("style", ["classic", "modern", "cinematic", "vintage"])
def test_titles_keep_every_script_as_large_as_the_title_face(style: str) -> None:
    # Title faces differ in cap height (Courier Prime's H is 74 % of Inter's), so the scale of a
    # fallback script depends on the face it stands in for.
    texts = ["HHH", "xxx"] + [s.reference for s in SAMPLES.values()]
    rendered = render_captions(texts, size=720, style=style, kind=TextKind.TITLE)
    shots = dict(zip(texts, rendered, strict=True))
    for script, sample in SAMPLES.items():
        height, latin = ink_height(shots[sample.reference]), ink_height(shots[sample.latin])
        assert 0.9 <= height / latin <= 1.1, f"{style}/{script}: {height:.1f} / {latin:.1f} px"


def test_arabic_is_no_longer_drawn_at_sixty_percent(frames: dict[str, Frame]) -> None:
    # The user's report: Noto Sans Arabic's tall vertical metrics made libass draw it at 56 % of
    # Inter's capitals. Its run is scaled by 178 %.
    assert "\\fscx178\\fscy178" in sized_text("مرحبا", "Inter")
    assert ink_height(frames["ااا"]) / ink_height(frames["HHH"]) > 0.95


def _baseline(frame: Frame) -> int:
    """The bottom row of the line's first glyph (an "H")."""
    box = ink_box(frame)
    assert box is not None
    rows = np.flatnonzero((frame[:, box[2] : box[2] + 3] > 96).any(axis=1))
    return int(rows[-1])


@pytest.mark.parametrize("text", BASELINE)
def test_a_scaled_script_does_not_lift_the_caption(frames: dict[str, Frame], text: str) -> None:
    # Noto Sans Arabic's deep line box, scaled by 178 %, lifted the line 19 px at 1080p: a
    # caption would jump between a Latin photo and an Arabic one.
    assert _baseline(frames[text]) == _baseline(frames["HHH"]), text


@pytest.mark.parametrize("emoji", EMOJI)
def test_emoji_draw_as_glyphs(frames: dict[str, Frame], emoji: str) -> None:
    frame = frames[emoji]
    assert not _has_tofu(frame, frames), emoji
    assert 0.7 <= ink_height(frame) / ink_height(frames["HHH"]) <= 1.4, emoji


def test_emoji_in_a_sentence_draw_as_glyphs(frames: dict[str, Frame]) -> None:
    assert not _has_tofu(frames["Party 🎉 ❤️ 🐱 👍🏽 ok"], frames)


def test_a_skin_tone_adds_no_swatch_after_the_emoji(frames: dict[str, Frame]) -> None:
    # A monochrome font cannot show the tone; Symbola's swatch square would read as a box.
    toned, plain = _crop(frames["👍🏽"]), _crop(frames["👍"])
    assert toned.shape == plain.shape


def test_hebrew_reads_right_to_left(frames: dict[str, Frame]) -> None:
    word = frames["אב"]
    alef_score, alef_x = _best_match(word, _crop(frames["א"]))
    bet_score, bet_x = _best_match(word, _crop(frames["ב"]))
    assert alef_score > 0.8 and bet_score > 0.8
    assert alef_x > bet_x  # א, the first letter, is on the right


def test_a_mixed_caption_keeps_latin_left_and_arabic_shaped_on_the_right(
    frames: dict[str, Frame],
) -> None:
    line = frames["Lisbon 2021 — لشبونة"]
    latin_score, latin_x = _best_match(line, _crop(frames["Lisbon 2021 —"]))
    arabic_score, arabic_x = _best_match(line, _crop(frames["لشبونة"]))
    # Each part looks exactly as it does alone: Arabic still joined, in its own order.
    assert latin_score > 0.9 and arabic_score > 0.9
    assert latin_x < arabic_x


def test_an_arabic_caption_with_a_latin_word_reads_right_to_left(
    frames: dict[str, Frame],
) -> None:
    # Its first strong letter is Arabic, so the paragraph is right to left: the first word is
    # on the right, "Lisbon" after it on the left (ASS Encoding -1).
    line = frames["زرنا Lisbon"]
    score, arabic_x = _best_match(line, _crop(frames["زرنا"]))
    box = ink_box(line)
    assert score > 0.9 and box is not None
    assert arabic_x > (box[2] + box[3]) / 2


# --- the runs the scale tags wrap ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Lisbon 2021", [("Lisbon 2021", 100)]),
        ("Lisbon 2021 — لشبونة", [("Lisbon 2021 — ", 100), ("لشبونة", 178)]),
        ("ذكريات جميلة 2021", [("ذكريات", 178), (" ", 100), ("جميلة", 178), (" 2021", 100)]),
        ("נמסתה", [("נמסתה", 127)]),
        ("नमस्ते दिल्ली", [("नमस्ते", 120), (" ", 100), ("दिल्ली", 120)]),  # matras, virama in
        ("Party 🎉 👍🏽!", [("Party ", 100), ("🎉", 106), (" ", 100), ("👍🏽", 106), ("!", 100)]),
        ("Ελλάδα Москва", [("Ελλάδα Москва", 100)]),  # Inter draws them itself
        ("", []),
    ],
)
def test_sized_runs(text: str, runs: list[tuple[str, int]]) -> None:
    assert fonts.sized_runs(text, "Inter") == runs
    assert "".join(run for run, _ in fonts.sized_runs(text, "Courier Prime")) == text


def test_scale_tags_leave_user_braces_literal() -> None:
    assert sized_text("{\\b1}مرحبا}", "Inter") == (
        "\\{\\\u2060b1\\}{\\fscx178\\fscy178}مرحبا{\\fscx100\\fscy100}\\}"
    )
