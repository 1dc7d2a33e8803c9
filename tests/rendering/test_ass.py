"""The ASS document: user text stays inert, times land on frames, the watermark only when asked."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import pytest

from rendering.pipeline.ass import STORY_MEASURE, WORD_JOINER, build_ass
from rendering.pipeline.captions import clean_text
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.timeline import TextCue, TextKind, Timeline
from tests.rendering.conftest import ARABIC_CAPTION, CJK_CAPTION, FakePhoto

HOSTILE = "{\\b1}bold{\\c&H0000FF&} and \\N not a break \\\\ two \\h slashes\nsecond {\\fs200}line}"
# Tags the writer itself emits: fades, moves, zero tracking for shaped scripts.
OURS = re.compile(r"^(\\fsp0)?(\\fad\(\d+,\d+\))?(\\move\(-?\d+,-?\d+,-?\d+,-?\d+,\d+,\d+\))?$")


def timeline_with(text: str, **options: object) -> Timeline:
    photo = FakePhoto("a.jpg", taken_at=datetime(2021, 7, 1))
    opts = RenderOptions(
        caption_mode=CaptionMode.GIVEN,
        captions={"a.jpg": text},
        title=text.replace("\n", " ")[:120],
        order=Order.GIVEN,
        **options,  # type: ignore[arg-type]
    )
    return plan_timeline([photo], opts, music=None).timeline


def dialogues(ass: str) -> list[tuple[str, str, str, str]]:
    """(start, end, style, text) of every Dialogue line."""
    out = []
    for line in ass.splitlines():
        if line.startswith("Dialogue:"):
            fields = line[len("Dialogue:") :].strip().split(",", 9)
            out.append((fields[1], fields[2], fields[3], fields[9]))
    return out


def parse(text: str) -> tuple[list[str], str]:
    """Split an event's text the way libass does: override blocks, and the text shown.

    ``\\{`` and ``\\}`` are literal braces, ``\\N`` a line break; a backslash before anything
    else (here: the word joiner) is shown as it is.
    """
    blocks: list[str] = []
    shown: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            shown.append(text[i + 1])
            i += 2
        elif ch == "\\" and i + 1 < len(text) and text[i + 1] in "Nnh":
            shown.append({"N": "\n", "n": " ", "h": "\u00a0"}[text[i + 1]])
            i += 2
        elif ch == "{":
            end = text.find("}", i)
            assert end != -1, f"unterminated override block in {text!r}"
            blocks.append(text[i + 1 : end])
            i = end + 1
        else:
            shown.append(ch)
            i += 1
    return blocks, "".join(shown).replace("\\" + WORD_JOINER, "\\")


def seconds(ass_time: str) -> float:
    h, m, s = ass_time.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


# --- escaping ---------------------------------------------------------------------------------


def test_it_keeps_override_tags_typed_by_a_user_as_literal_text() -> None:
    timeline = timeline_with(HOSTILE)
    events = dialogues(build_ass(timeline))
    caption = [e for e in events if e[2] == "caption"]
    assert len(caption) == 1
    for _, _, style, text in events:
        blocks, shown = parse(text)
        assert all(OURS.match(b) for b in blocks), f"{style}: foreign override block in {blocks}"
    blocks, shown = parse(caption[0][3])
    assert shown == clean_text(HOSTILE)  # exactly what the user typed, braces and all
    assert shown.count("\n") == 1  # only the user's own line break breaks the line


def test_it_makes_a_typed_backslash_n_no_line_break() -> None:
    timeline = timeline_with("one \\N two")
    (caption,) = [e for e in dialogues(build_ass(timeline)) if e[2] == "caption"]
    _, shown = parse(caption[3])
    assert "\n" not in shown and shown == "one \\N two"


def test_it_keeps_each_event_on_one_line_of_the_document() -> None:
    timeline = timeline_with("first\nsecond\nthird")
    ass = build_ass(timeline)
    (caption,) = [e for e in dialogues(ass) if e[2] == "caption"]
    assert caption[3].endswith("first\\Nsecond\\Nthird")
    assert len(dialogues(ass)) == len(timeline.texts)
    for line in ass.splitlines():
        assert line == "" or re.match(r"^(\[[^\]]+\]|[A-Za-z ]+: .*)$", line), line


def test_it_strips_control_characters_from_user_text() -> None:
    assert clean_text("Sun\x00ny\x07 day\x1b[31m\x7f") == "Sunny day[31m"
    assert (
        clean_text("line one\r\nline two\rline three\nline four")
        == "line one\nline two\nline three"
    )
    assert clean_text("  lots   of\u00a0 space  ") == "lots of space"
    assert len(clean_text("x" * 500)) == 200


def test_it_turns_a_tab_between_words_into_a_space() -> None:
    # Text pasted from a spreadsheet: the tab separates two words and must not glue them.
    assert clean_text("Lisbon\tPortugal") == "Lisbon Portugal"


def test_it_passes_cjk_and_arabic_text_through_unchanged() -> None:
    for text in (CJK_CAPTION, ARABIC_CAPTION, "Café – naïve ✓"):
        assert clean_text(text) == text
        (caption,) = [e for e in dialogues(build_ass(timeline_with(text))) if e[2] == "caption"]
        assert parse(caption[3])[1] == text


def test_it_does_not_track_arabic_titles_so_the_letters_stay_joined() -> None:
    timeline = timeline_with(ARABIC_CAPTION, style="cinematic")
    (title,) = [e for e in dialogues(build_ass(timeline)) if e[2] == "title"]
    blocks, shown = parse(title[3])
    assert blocks[0].startswith("\\fsp0")
    assert shown == ARABIC_CAPTION


def test_it_uppercases_cinematic_titles_but_not_captions() -> None:
    timeline = timeline_with("summer days", style="cinematic")
    events = {e[2]: parse(e[3])[1] for e in dialogues(build_ass(timeline))}
    assert events["title"] == "SUMMER DAYS"
    assert events["caption"] == "summer days"


# --- timing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fps", "frame", "expected"),
    [
        (30, 0, "0:00:00.00"),
        (30, 1, "0:00:00.03"),
        (30, 2, "0:00:00.07"),
        (30, 45, "0:00:01.50"),
        (24, 3, "0:00:00.13"),  # 0.125 s: half a centisecond rounds up, never early
        (25, 10, "0:00:00.40"),
        (60, 1, "0:00:00.02"),
        (30, 108_000, "1:00:00.00"),
        (30, 109_831, "1:01:01.03"),
    ],
)
def test_it_times_cues_on_frames_rounded_to_the_nearest_centisecond(
    fps: int, frame: int, expected: str
) -> None:
    base = timeline_with("x", fps=fps)
    timeline = dataclasses.replace(
        base, texts=(TextCue(TextKind.CAPTION, "x", frame, frame + fps),), frames=frame + fps
    )
    ((start, _, _, _),) = dialogues(build_ass(timeline))
    assert start == expected


def test_it_places_every_cue_of_a_real_plan_within_half_a_centisecond_of_its_frame() -> None:
    timeline = timeline_with("hello", fps=24, watermark=True, seconds_per_photo=3.3)
    events = dialogues(build_ass(timeline))
    assert len(events) == len(timeline.texts)
    for (start, end, style, _), cue in zip(events, timeline.texts, strict=True):
        assert style == cue.kind.value
        assert abs(seconds(start) - cue.start / 24) <= 0.005 + 1e-9
        assert abs(seconds(end) - cue.end / 24) <= 0.005 + 1e-9
        assert round(seconds(start) * 24) == cue.start


def test_it_adds_the_watermark_only_when_asked() -> None:
    marked = build_ass(timeline_with("x", watermark=True))
    plain = build_ass(timeline_with("x"))
    (mark,) = [e for e in dialogues(marked) if e[2] == "watermark"]
    assert "Made with PhotoMemory" in mark[3]
    assert mark[0] == "0:00:00.00"
    assert not [e for e in dialogues(plain) if e[2] == "watermark"]
    assert "PhotoMemory" not in "".join(e[3] for e in dialogues(plain))


def test_it_sizes_the_script_to_the_frame() -> None:
    timeline = timeline_with("x", aspect="9:16", resolution="720p")
    ass = build_ass(timeline)
    assert "PlayResX: 720\n" in ass and "PlayResY: 1280\n" in ass


def test_it_puts_cinematic_captions_in_the_bottom_letterbox_bar() -> None:
    timeline = timeline_with("x", style="cinematic")
    ass = build_ass(timeline)
    (style_line,) = [ln for ln in ass.splitlines() if ln.startswith("Style: caption,")]
    fields = style_line.split(",")
    size, margin_v = float(fields[2]), int(fields[21])
    _, y, _, h = timeline.picture
    bar = timeline.height - (y + h)
    assert margin_v + size <= bar  # the caption sits wholly inside the bar, not on the picture


@pytest.mark.parametrize("style", ["classic", "cinematic", "vintage"])
def test_it_wraps_a_long_centred_title_inside_the_side_margins(style: str) -> None:
    # libass wraps a line at the style's margins even for positioned (\move) events: without
    # them a date range in vintage's monospaced face ran off both edges of a square video.
    timeline = timeline_with("July 2019 – December 2021", style=style, aspect="1:1")
    ass = build_ass(timeline)
    for name in ("title", "subtitle", "end_title", "end_subtitle"):
        (line,) = [ln for ln in ass.splitlines() if ln.startswith(f"Style: {name},")]
        fields = line.split(",")
        margin_l, margin_r = int(fields[19]), int(fields[20])
        assert margin_l >= timeline.width * 0.05 and margin_r == margin_l, name


# --- the end card's story ---------------------------------------------------------------------

LONG_STORY = (
    "We walked the coast every morning while the town was still asleep. The light was soft, "
    "the coffee was strong, and nobody was in a hurry. "
) * 5


def style_fields(ass: str, name: str) -> list[str]:
    (line,) = [ln for ln in ass.splitlines() if ln.startswith(f"Style: {name},")]
    return line[len("Style: ") :].split(",")


def story_event(timeline: Timeline) -> tuple[list[str], str]:
    (story,) = [e for e in dialogues(build_ass(timeline)) if e[2] == "story"]
    return parse(story[3])


def settles_at(blocks: list[str]) -> int:
    """The y a positioned event ends its drift at (from our own ``\\move``)."""
    (move,) = re.findall(r"\\move\((-?\d+),(-?\d+),(-?\d+),(-?\d+),", "".join(blocks))
    return int(move[3])


@pytest.mark.parametrize("style", ["classic", "modern", "cinematic", "vintage"])
def test_it_gives_the_story_a_style_smaller_than_the_end_title(style: str) -> None:
    timeline = timeline_with("x", style=style, story="A day to remember.")
    ass = build_ass(timeline)
    story, end_title = style_fields(ass, "story"), style_fields(ass, "end_title")
    assert float(story[2]) < float(end_title[2])  # font size
    assert float(story[2]) >= timeline.height * 0.03  # still readable on a phone
    assert float(story[16]) > 0 and float(story[17]) > 0  # an edge and a shadow over the blur
    margin_l, margin_r = int(story[19]), int(story[20])
    assert margin_l >= min(timeline.width, timeline.height) * 0.05 and margin_r == margin_l


def test_it_keeps_override_tags_typed_into_the_story_as_literal_text() -> None:
    timeline = timeline_with("x", story=HOSTILE)
    blocks, shown = story_event(timeline)
    assert all(OURS.match(b) for b in blocks), f"foreign override block in {blocks}"
    # Exactly what was typed, braces and backslashes and all; only the wrapping adds breaks.
    assert shown.replace("\n", " ") == clean_text(HOSTILE, limit=600).replace("\n", " ")
    assert "{\\b1}bold" in shown and "\\fs200" in shown


@pytest.mark.parametrize("aspect", ["16:9", "9:16", "1:1"])
def test_it_wraps_a_long_story_into_even_lines_inside_the_frame(aspect: str) -> None:
    timeline = timeline_with("x", aspect=aspect, story=LONG_STORY[:600])
    blocks, shown = story_event(timeline)
    lines = shown.split("\n")
    assert " ".join(lines) == clean_text(LONG_STORY[:600], limit=600)
    assert 6 <= len(lines) <= 16
    assert max(len(line) for line in lines) <= STORY_MEASURE
    assert max(len(line) for line in lines[:-1]) - min(len(line) for line in lines[:-1]) <= 12
    size = float(style_fields(build_ass(timeline), "story")[2])
    top = settles_at(blocks)
    assert top + len(lines) * size <= timeline.height  # the last line is still on screen


def test_it_keeps_the_user_line_breaks_and_cuts_unspaced_cjk_into_lines() -> None:
    timeline = timeline_with("x", story="First line.\nSecond line.")
    assert story_event(timeline)[1] == "First line.\nSecond line."
    cjk = CJK_CAPTION * 12
    _, shown = story_event(timeline_with("x", story=cjk))
    lines = shown.split("\n")
    assert "".join(lines) == cjk and len(lines) > 1
    assert all(len(line) * 2 <= STORY_MEASURE for line in lines)  # wide characters count twice


def test_it_lifts_the_end_title_to_make_room_for_the_story_below_it() -> None:
    plain = [e for e in dialogues(build_ass(timeline_with("x"))) if e[2] == "end_title"]
    told_ass = build_ass(timeline_with("x", story=LONG_STORY[:300]))
    told = {e[2]: parse(e[3])[0] for e in dialogues(told_ass)}
    plain_y = settles_at(parse(plain[0][3])[0])
    title_y, dates_y, story_y = (
        settles_at(told[k]) for k in ("end_title", "end_subtitle", "story")
    )
    assert title_y < plain_y
    assert title_y < dates_y < story_y


# --- every script at one size, in its own direction ---------------------------------------------

SCALE = re.compile(r"^\\fscx\d+\\fscy\d+$")


def test_it_scales_fallback_scripts_with_its_own_tags_only() -> None:
    text = "{\\b1}Lisbon — لشبونة {\\fs90}"
    (caption,) = [e for e in dialogues(build_ass(timeline_with(text))) if e[2] == "caption"]
    blocks, shown = parse(caption[3])
    assert shown == clean_text(text)  # the user's braces still literal
    assert "\\fscx178\\fscy178" in blocks and blocks[-1] == "\\fscx100\\fscy100"
    assert all(OURS.match(b) or SCALE.match(b) for b in blocks), blocks


def test_it_lowers_a_caption_whose_scaled_script_reaches_deeper() -> None:
    ass = build_ass(timeline_with(ARABIC_CAPTION))
    line = next(x for x in ass.splitlines() if x.startswith("Dialogue:") and ",caption," in x)
    style_margin = int(style_fields(ass, "caption")[21])
    assert 0 < int(line.split(",")[7]) < style_margin
    latin = build_ass(timeline_with("Lisbon"))
    assert [x.split(",")[7] for x in latin.splitlines() if ",caption," in x] == ["0"]


def test_every_style_lets_libass_take_the_direction_from_the_first_letter() -> None:
    for style in ("classic", "modern", "cinematic", "vintage"):
        styles = [
            x
            for x in build_ass(timeline_with("x", style=style)).splitlines()
            if x.startswith("Style:")
        ]
        assert styles and all(x.endswith(",-1") for x in styles), style
