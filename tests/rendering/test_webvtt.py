"""The WebVTT track: the same words and frames as the burned-in text, escaped, no watermark."""

from __future__ import annotations

import re
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from rendering.pipeline.ass import build_ass
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.render import compile_render
from rendering.pipeline.styles import STYLES, StyleName
from rendering.pipeline.timeline import TextKind, Timeline
from rendering.pipeline.webvtt import SUBTITLED, build_webvtt, escape, timestamp
from tests.rendering.conftest import CJK_CAPTION, FakePhoto
from tests.rendering.test_ass import dialogues, parse

TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
STORY = (
    "We walked to the lighthouse every evening & counted the boats <three, then four>. "
    "The last night it rained and nobody minded at all."
)


def plan(fps: int = 30, **options: object) -> Timeline:
    photos = [
        FakePhoto("a.jpg", taken_at=datetime(2024, 6, 1)),
        FakePhoto("b.jpg", taken_at=datetime(2024, 6, 3)),
        FakePhoto("c.jpg", taken_at=datetime(2024, 8, 9)),
    ]
    values: dict[str, object] = {
        "caption_mode": CaptionMode.GIVEN,
        "captions": {
            "a.jpg": "Fish & chips <3",
            "b.jpg": "Two lines\nof caption",
            "c.jpg": CJK_CAPTION,
        },
        "title": "Summer <b>by</b> the sea",
        "story": STORY,
        "order": Order.GIVEN,
        "watermark": True,
        "fps": fps,
        "seconds_per_photo": 3.3,
        "transition_seconds": 0.7,
    }
    values.update(options)
    return plan_timeline(photos, RenderOptions(**values), music=None).timeline  # type: ignore[arg-type]


def cues(vtt: str) -> list[tuple[str, int, int, list[str]]]:
    """(identifier, start ms, end ms, text lines) of every cue."""
    out = []
    for block in vtt.strip().split("\n\n")[1:]:
        if block.startswith("NOTE"):
            continue
        ident, timing, *lines = block.split("\n")
        match = TIMING.match(timing)
        assert match, timing
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2
        out.append((ident, start, end, lines))
    return out


def frame_at(ms: int, fps: int) -> int:
    """The frame a player shows at ``ms`` milliseconds (frame n from n/fps seconds)."""
    return int(Fraction(ms, 1000) * fps)


@pytest.mark.parametrize("fps", [24, 25, 30, 60])
def test_each_cue_covers_exactly_the_frames_its_text_is_drawn_on(fps: int) -> None:
    timeline = plan(fps)
    vtt = build_webvtt(timeline, language="en")
    shown = [c for c in timeline.texts if c.kind in SUBTITLED]
    got = cues(vtt)
    assert len(got) == len(shown) >= 7  # title, dates, 3 captions, end title, dates, story
    starts = [start for _, start, _, _ in got]
    assert starts == sorted(starts)  # WebVTT wants cues in order of their start
    for cue, (_ident, start, end, _lines) in zip(
        sorted(shown, key=lambda c: c.start), got, strict=True
    ):
        # The first millisecond of the cue shows its first frame, the one before it the frame
        # before; the cue's last millisecond still shows its last frame.
        assert frame_at(start, fps) == cue.start
        assert cue.start == 0 or frame_at(start - 1, fps) == cue.start - 1
        assert frame_at(end - 1, fps) == cue.end - 1
        # ...and it ends less than a millisecond after that frame: well inside the next one.
        assert Fraction(end, 1000) - Fraction(cue.end, fps) < Fraction(1, 1000)


def test_times_are_hours_minutes_seconds_and_milliseconds() -> None:
    assert timestamp(0, 30) == "00:00:00.000"
    assert timestamp(1, 30) == "00:00:00.034"  # 33.33 ms, never before the frame starts
    assert timestamp(30, 30) == "00:00:01.000"
    assert timestamp(25 * 3661, 25) == "01:01:01.000"
    assert timestamp(1001, 24) == "00:00:41.709"  # 41.7083 s


def test_it_escapes_what_would_start_markup() -> None:
    assert escape("a & b <c> d") == "a &amp; b &lt;c&gt; d"
    vtt = build_webvtt(plan())
    body = vtt.split("\n", 1)[1]
    assert "<" not in body and ">" not in body.replace("-->", "")
    got = {ident: lines for ident, _, _, lines in cues(vtt)}
    assert got["title"] == ["Summer &lt;b&gt;by&lt;/b&gt; the sea"]
    assert got["caption-1"] == ["Fish &amp; chips &lt;3"]
    assert got["caption-2"] == ["Two lines", "of caption"]  # the user's own line break
    assert got["caption-3"] == [CJK_CAPTION]
    assert "&amp; counted" in " ".join(got["story"])


def test_it_leaves_the_watermark_out_and_keeps_every_other_kind() -> None:
    timeline = plan()
    assert any(c.kind is TextKind.WATERMARK for c in timeline.texts)
    vtt = build_webvtt(timeline)
    idents = [ident for ident, _, _, _ in cues(vtt)]
    assert "watermark" not in idents and "PhotoMemory" not in vtt
    assert {"title", "subtitle", "end-title", "end-subtitle", "story"} <= set(idents)


def test_the_story_breaks_where_the_end_card_breaks_it() -> None:
    timeline = plan(style="classic")
    (ass_story,) = [e for e in dialogues(build_ass(timeline)) if e[2] == "story"]
    drawn = parse(ass_story[3])[1].split("\n")
    assert len(drawn) >= 2
    got = {ident: lines for ident, _, _, lines in cues(build_webvtt(timeline))}
    assert got["story"] == [escape(line) for line in drawn]


def test_titles_keep_the_users_case_where_the_style_draws_capitals() -> None:
    assert STYLES[StyleName.CINEMATIC].title_uppercase
    timeline = plan(style="cinematic")
    got = {ident: lines for ident, _, _, lines in cues(build_webvtt(timeline))}
    assert got["title"] == ["Summer &lt;b&gt;by&lt;/b&gt; the sea"]


def test_it_is_a_well_formed_file_with_the_language_in_a_note() -> None:
    vtt = build_webvtt(plan(), language="fr")
    assert vtt.startswith("WEBVTT\n\nNOTE language: fr\n\n")
    assert vtt.endswith("\n") and "\n\n\n" not in vtt
    assert "\r" not in vtt
    for block in vtt.strip().split("\n\n")[2:]:
        assert "-->" in block.split("\n")[1]
        assert "" not in block.split("\n")  # no blank line inside a cue


def test_a_video_without_words_has_an_empty_track() -> None:
    timeline = plan(caption_mode=CaptionMode.NONE, captions={}, title="", story="", watermark=False)
    kinds = {c.kind for c in timeline.texts}
    vtt = build_webvtt(timeline)
    assert vtt.startswith("WEBVTT\n")
    assert len(cues(vtt)) == len([c for c in timeline.texts if c.kind in SUBTITLED])
    assert TextKind.CAPTION not in kinds


# --- where the ASS is compiled ----------------------------------------------------------------


@pytest.mark.parametrize("burn_text", [True, False])
def test_compile_makes_the_track_from_the_same_timeline_burned_in_or_not(
    tmp_path: Path, burn_text: bool
) -> None:
    timeline = plan()
    compiled = compile_render(
        timeline,
        tmp_path,
        tmp_path / "out.mp4",
        binary="ffmpeg",
        burn_text=burn_text,
        language="en",
    )
    assert compiled.vtt == build_webvtt(timeline, language="en")  # every word either way
    written = (tmp_path / "text.ass").read_text(encoding="utf-8")
    assert compiled.ass == written
    styles = [style for _, _, style, _ in dialogues(written)]
    if burn_text:
        assert {"title", "subtitle", "caption", "end_title", "story", "watermark"} <= set(styles)
    else:
        # Nothing of the memory's words is drawn; the watermark (a plan rule) still is.
        assert styles == ["watermark"]
    assert any("ass=" in arg for arg in compiled.argv)


def test_with_no_words_burned_and_no_watermark_there_is_no_text_filter(tmp_path: Path) -> None:
    timeline = plan(watermark=False)
    compiled = compile_render(
        timeline, tmp_path, tmp_path / "out.mp4", binary="ffmpeg", burn_text=False
    )
    assert compiled.ass is None
    assert not any("ass=" in arg for arg in compiled.argv)
    assert not (tmp_path / "text.ass").exists()
    assert len(cues(compiled.vtt)) >= 7
