"""The planner: order, culling, timing, camera moves and words, on fake photos (no files)."""

from __future__ import annotations

from datetime import datetime

import pytest

from rendering.pipeline.errors import InvalidOptions, NoUsablePhotos
from rendering.pipeline.options import MAX_STORY_CHARS, CaptionMode, Order, RenderOptions
from rendering.pipeline.photos.model import Box
from rendering.pipeline.plan import (
    MAX_UPSCALE,
    STORY_DELAY,
    STORY_MAX_SECONDS,
    STORY_READ_SECONDS,
    STORY_SECONDS_PER_CHAR,
    ZOOM_PAST_NATIVE,
    plan_timeline,
)
from rendering.pipeline.styles import STYLES, StyleName, TransitionKind
from rendering.pipeline.timeline import (
    Layout,
    Rect,
    Shot,
    TextCue,
    TextKind,
    Timeline,
    frames_for,
)
from tests.rendering.conftest import FakePhoto, tiny_options

EPS = 1e-9


def plan(photos: list[FakePhoto], options: RenderOptions | None = None) -> Timeline:
    return plan_timeline(photos, options or RenderOptions(), music=None).timeline


def photo_shots(timeline: Timeline) -> list[Shot]:
    """The shots of the photos themselves (not the title and end cards)."""
    return list(timeline.shots[1:-1])


def rects(shot: Shot) -> list[Rect]:
    return [shot.rect_at(f) for f in range(shot.start, shot.end)]


def magnification(timeline: Timeline, shot: Shot, rect: Rect) -> float:
    """Output pixels per photo pixel."""
    return timeline.picture[2] / (rect.w * timeline.photos[shot.photo].width)


# --- order and culling ------------------------------------------------------------------------


def test_it_orders_photos_by_capture_date_with_undated_ones_last_in_given_order() -> None:
    photos = [
        FakePhoto("undated-1.jpg", phash=1),
        FakePhoto("august.jpg", taken_at=datetime(2021, 8, 3), phash=2),
        FakePhoto("undated-2.jpg", phash=3),
        FakePhoto("june.jpg", taken_at=datetime(2021, 6, 1), phash=4),
        FakePhoto("july.jpg", taken_at=datetime(2021, 7, 9), phash=5),
    ]
    result = plan_timeline(photos, RenderOptions(), music=None)
    assert result.used == ("june.jpg", "july.jpg", "august.jpg", "undated-1.jpg", "undated-2.jpg")
    assert [result.timeline.photos[s.photo].name for s in photo_shots(result.timeline)] == list(
        result.used
    )


def test_it_keeps_the_given_order_when_asked() -> None:
    photos = [
        FakePhoto("c.jpg", taken_at=datetime(2022, 1, 1)),
        FakePhoto("a.jpg", taken_at=datetime(2020, 1, 1)),
        FakePhoto("b.jpg"),
    ]
    result = plan_timeline(photos, RenderOptions(order=Order.GIVEN), music=None)
    assert result.used == ("c.jpg", "a.jpg", "b.jpg")


def test_it_drops_near_duplicates_keeping_the_sharpest_and_says_why() -> None:
    base = 0xF0F0_F0F0_F0F0_F0F0
    photos = [
        FakePhoto("burst-1.jpg", taken_at=datetime(2021, 7, 1, 12, 0, 0), phash=base, sharpness=40),
        FakePhoto(
            "burst-2.jpg", taken_at=datetime(2021, 7, 1, 12, 0, 1), phash=base ^ 0b111, sharpness=95
        ),
        FakePhoto(
            "burst-3.jpg", taken_at=datetime(2021, 7, 1, 12, 0, 2), phash=base ^ 0b11, sharpness=60
        ),
        FakePhoto("other.jpg", taken_at=datetime(2021, 7, 1, 15, 0, 0), phash=~base & (2**64 - 1)),
    ]
    result = plan_timeline(photos, RenderOptions(cull=True), music=None)
    assert result.used == ("burst-2.jpg", "other.jpg")
    reasons = {d.name: d.reason for d in result.dropped}
    assert set(reasons) == {"burst-1.jpg", "burst-3.jpg"}
    assert all("near-duplicate of burst-2.jpg" in r for r in reasons.values())
    assert len(result.timeline.photos) == 2


def test_it_keeps_every_photo_when_culling_is_off() -> None:
    photos = [FakePhoto(f"same-{i}.jpg", phash=7) for i in range(3)]
    result = plan_timeline(photos, RenderOptions(), music=None)
    assert len(result.used) == 3 and result.dropped == ()


def test_it_refuses_an_empty_list_of_photos() -> None:
    with pytest.raises(NoUsablePhotos):
        plan_timeline([], RenderOptions(), music=None)


# --- timing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "fps", "seconds"), [("classic", 30, 1.0), ("modern", 25, 1.3), ("cinematic", 24, 2.7)]
)
def test_it_lasts_exactly_title_plus_photos_plus_end_card_in_frames(
    style: str, fps: int, seconds: float
) -> None:
    photos = [FakePhoto(f"{i}.jpg", phash=i * 0xFFFF) for i in range(5)]
    timeline = plan(photos, RenderOptions(style=style, fps=fps, seconds_per_photo=seconds))
    s = STYLES[StyleName(style)]
    expected = (
        frames_for(s.title_seconds, fps)
        + 5 * frames_for(seconds, fps)
        + frames_for(s.end_seconds, fps)
    )
    assert timeline.frames == expected
    assert timeline.duration == pytest.approx(expected / fps)
    assert timeline.shots[-1].end == timeline.frames


def test_it_overlaps_consecutive_shots_exactly_by_the_transition() -> None:
    photos = [FakePhoto(f"{i}.jpg", phash=i * 0xFFFF) for i in range(4)]
    timeline = plan(photos, tiny_options(transition_seconds=0.3))
    assert len(timeline.transitions) == len(timeline.shots) - 1
    for t in timeline.transitions:
        outgoing, incoming = timeline.shots[t.index], timeline.shots[t.index + 1]
        assert t.frames == 9
        assert incoming.start == t.start
        assert outgoing.end == t.start + t.frames
    # Every frame shows one shot, or two during a transition: never none, never three.
    for frame in range(timeline.frames):
        on = [s for s in timeline.shots if s.start <= frame < s.end]
        assert 1 <= len(on) <= 2


def test_it_caps_a_transition_at_half_a_shot() -> None:
    timeline = plan(
        [FakePhoto("a.jpg")], RenderOptions(seconds_per_photo=1.0, transition_seconds=3.0)
    )
    assert all(t.frames == 15 for t in timeline.transitions)


# --- camera windows ---------------------------------------------------------------------------


VARIED = [
    FakePhoto("landscape.jpg", 4032, 3024, subject=Box(0.05, 0.1, 0.2, 0.2)),
    FakePhoto("corner.jpg", 4032, 3024, subject=Box(0.85, 0.85, 0.15, 0.15)),
    FakePhoto("wide.jpg", 6000, 2600, subject=Box(0.7, 0.3, 0.1, 0.3)),
    FakePhoto("square.jpg", 3000, 3000),
    FakePhoto("portrait.jpg", 3024, 4032, subject=Box(0.1, 0.05, 0.3, 0.2)),
    FakePhoto("panorama.jpg", 12000, 2000),
    FakePhoto("hd.jpg", 1920, 1080),
]


@pytest.mark.parametrize("style", [s.value for s in StyleName])
@pytest.mark.parametrize("aspect", ["16:9", "9:16", "1:1"])
def test_it_keeps_every_cover_window_inside_its_photo_on_every_frame(
    style: str, aspect: str
) -> None:
    timeline = plan(VARIED, RenderOptions(style=style, aspect=aspect, order=Order.GIVEN))
    covers = [s for s in timeline.shots if s.layout is Layout.COVER]
    assert covers, "the varied set must include photos that fill the picture"
    for shot in covers:
        for r in rects(shot):
            assert r.x >= -EPS and r.y >= -EPS
            assert r.x + r.w <= 1 + EPS and r.y + r.h <= 1 + EPS


FACES = [(aspect, x) for aspect in ("16:9", "9:16", "1:1") for x in (0.05, 0.3, 0.45, 0.7, 0.8)]


@pytest.mark.parametrize(("aspect", "face_x"), FACES)
def test_it_keeps_faces_fully_in_view_throughout_the_move(aspect: str, face_x: float) -> None:
    face = Box(face_x, 0.3, 0.15, 0.2)
    photo = FakePhoto("group.jpg", 4032, 3024, subject=face, subject_kind="faces")
    timeline = plan([photo, photo], RenderOptions(aspect=aspect, order=Order.GIVEN))
    # Sizes move geometrically and centres linearly, so a face touching a window edge at both
    # ends may lose a sliver mid-move; 0.2 % of the photo (8 px of 4032) is not a cut face.
    slack = 0.002
    for shot in photo_shots(timeline):
        for frame, r in zip(range(shot.start, shot.end), rects(shot), strict=True):
            inside = (
                r.x <= face.x + slack
                and r.x + r.w >= face.x + face.w - slack
                and r.y <= face.y + slack
                and r.y + r.h >= face.y + face.h - slack
            )
            assert inside, f"{aspect}: face {face} cut at frame {frame} by window {r}"


def test_it_shows_a_portrait_photo_whole_in_a_landscape_video() -> None:
    timeline = plan([FakePhoto("portrait.jpg", 3024, 4032)], RenderOptions(aspect="16:9"))
    (shot,) = photo_shots(timeline)
    assert shot.layout is Layout.FIT
    for r in rects(shot):
        # The window is wider than the photo, so the whole photo shows, over its blurred fill.
        assert r.w > 1 and r.x < 0 and r.x + r.w > 1
        assert r.y <= EPS and r.y + r.h >= 1 - EPS


def test_it_pans_across_a_landscape_photo_in_a_vertical_video() -> None:
    timeline = plan([FakePhoto("landscape.jpg", 4032, 3024)], RenderOptions(aspect="9:16"))
    (shot,) = photo_shots(timeline)
    assert shot.layout is Layout.COVER
    travel = abs(shot.end_rect.cx - shot.start_rect.cx)
    assert travel > 0.15  # a visible sweep across the photo
    assert shot.start_rect.cy == pytest.approx(shot.end_rect.cy, abs=0.02)
    assert shot.start_rect.h == pytest.approx(1.0)


def test_it_never_enlarges_a_small_photo_past_the_upscale_limit() -> None:
    timeline = plan([FakePhoto("small.jpg", 640, 480)], RenderOptions(resolution="1080p"))
    (shot,) = photo_shots(timeline)
    assert shot.layout is Layout.FIT  # shown smaller, over its blurred copy
    for r in rects(shot):
        assert magnification(timeline, shot, r) <= MAX_UPSCALE + 1e-6


@pytest.mark.parametrize("aspect", ["16:9", "9:16", "1:1"])
@pytest.mark.parametrize("resolution", ["720p", "1080p"])
def test_it_never_enlarges_any_photo_past_the_upscale_limit(aspect: str, resolution: str) -> None:
    options = RenderOptions(aspect=aspect, resolution=resolution, order=Order.GIVEN)
    short = 720 if resolution == "720p" else 1080
    offenders = []
    for shape in (0.5, 0.75, 1.0, 4 / 3, 1.5, 16 / 9, 2.5, 3.5):
        for width in range(short // 3, short * 4, 23):
            photo = FakePhoto("p.jpg", width, max(64, round(width / shape)))
            timeline = plan([photo], options)
            for shot in photo_shots(timeline):
                worst = max(
                    magnification(timeline, shot, r) for r in (shot.start_rect, shot.end_rect)
                )
                if worst > MAX_UPSCALE + 1e-6:
                    offenders.append(
                        (photo.width, photo.height, shot.layout.value, round(worst, 3))
                    )
    assert not offenders, f"enlarged past {MAX_UPSCALE}×: {offenders[:5]}"


def test_it_zooms_no_further_than_the_photo_resolution_allows() -> None:
    # A 1920×1080 photo in a 1080p video: at most 10 % past its own pixels.
    timeline = plan([FakePhoto("hd.jpg", 1920, 1080)], RenderOptions(resolution="1080p"))
    (shot,) = photo_shots(timeline)
    assert shot.layout is Layout.COVER
    peak = max(magnification(timeline, shot, r) for r in rects(shot))
    assert peak == pytest.approx(ZOOM_PAST_NATIVE, abs=1e-6)


def test_it_does_not_push_in_on_a_photo_already_at_its_limit() -> None:
    # 3000 px wide in a 3840 px frame: already enlarged 1.28×, no room for a push-in.
    timeline = plan([FakePhoto("p.jpg", 3000, 1688)], RenderOptions(resolution="2160p"))
    (shot,) = photo_shots(timeline)
    assert shot.layout is Layout.COVER
    assert shot.start_rect.w == pytest.approx(shot.end_rect.w)


def test_it_gives_a_big_photo_the_style_full_zoom() -> None:
    timeline = plan([FakePhoto("big.jpg", 4032, 3024)], RenderOptions(style="classic"))
    (shot,) = photo_shots(timeline)
    wide, tight = max(shot.start_rect.w, shot.end_rect.w), min(shot.start_rect.w, shot.end_rect.w)
    assert wide / tight == pytest.approx(STYLES[StyleName.CLASSIC].zoom)


def test_it_plans_the_same_timeline_for_the_same_input() -> None:
    options = RenderOptions(style="vintage", caption_mode=CaptionMode.AUTO, cull=True)
    first = plan_timeline(VARIED, options, music=None)
    second = plan_timeline(list(VARIED), options, music=None)
    assert first == second


# --- words ------------------------------------------------------------------------------------


def captions(timeline: Timeline) -> list[str]:
    return [t.text for t in timeline.texts if t.kind is TextKind.CAPTION]


def test_it_uses_the_captions_given_for_each_photo_name() -> None:
    photos = [FakePhoto("a.jpg", phash=1), FakePhoto("b.jpg", phash=2)]
    options = RenderOptions(
        caption_mode=CaptionMode.GIVEN,
        captions={"b.jpg": "  Grandma's   garden\x07 "},
        order=Order.GIVEN,
    )
    timeline = plan(photos, options)
    assert captions(timeline) == ["Grandma's garden"]
    (cue,) = [t for t in timeline.texts if t.kind is TextKind.CAPTION]
    shot_b = timeline.shots[2]
    assert shot_b.start < cue.start < cue.end <= shot_b.end


def test_it_writes_place_and_month_captions_from_gps_and_date() -> None:
    photos = [
        FakePhoto("lisbon.jpg", taken_at=datetime(2021, 7, 14, 18, 0), gps=(38.72, -9.14)),
        FakePhoto("undated.jpg", phash=123456),
    ]
    timeline = plan(photos, RenderOptions(caption_mode=CaptionMode.AUTO))
    assert captions(timeline) == ["Lisbon, Portugal · July 2021"]


def test_it_shows_no_captions_unless_asked() -> None:
    photos = [FakePhoto("lisbon.jpg", taken_at=datetime(2021, 7, 14), gps=(38.72, -9.14))]
    assert captions(plan(photos, RenderOptions(caption_mode=CaptionMode.NONE))) == []


def test_it_titles_the_video_with_the_date_range_when_no_title_is_given() -> None:
    photos = [
        FakePhoto("a.jpg", taken_at=datetime(2020, 12, 24), phash=1),
        FakePhoto("b.jpg", taken_at=datetime(2021, 1, 2), phash=2),
    ]
    timeline = plan(photos, RenderOptions())
    titles = [t.text for t in timeline.texts if t.kind is TextKind.TITLE]
    assert titles == ["December 2020 – January 2021"]
    named = plan(photos, RenderOptions(title="Winter at home"))
    subtitles = [t.text for t in named.texts if t.kind is TextKind.SUBTITLE]
    assert subtitles == ["December 2020 – January 2021"]


# --- the end card's story ---------------------------------------------------------------------

STORY = "We walked the coast every morning. The light was soft. It was enough."


def story_cues(timeline: Timeline) -> list[TextCue]:
    return [t for t in timeline.texts if t.kind is TextKind.STORY]


@pytest.mark.parametrize("style", [s.value for s in StyleName])
def test_it_shows_the_story_on_the_end_card_after_the_end_title_until_the_last_frame(
    style: str,
) -> None:
    photos = [FakePhoto("a.jpg", taken_at=datetime(2021, 7, 1)), FakePhoto("b.jpg", phash=9)]
    timeline = plan(photos, RenderOptions(style=style, story=STORY, fps=25))
    (story,) = story_cues(timeline)
    (end_title,) = [t for t in timeline.texts if t.kind is TextKind.END_TITLE]
    end_card = timeline.shots[-1]
    assert story.text == STORY
    assert story.start == end_title.start + frames_for(STORY_DELAY, 25)
    assert end_card.start < end_title.start < story.start
    assert story.end == end_title.end == timeline.frames == end_card.end


def test_it_lengthens_only_the_end_card_and_only_when_there_is_a_story() -> None:
    photos = [
        FakePhoto(f"{i}.jpg", taken_at=datetime(2021, 7, i + 1), phash=i * 0xFFFF) for i in range(3)
    ]

    def with_story(story: str) -> Timeline:
        captions = {"1.jpg": "Beach"}
        options = RenderOptions(
            fps=30, title="Summer", caption_mode=CaptionMode.GIVEN, captions=captions, story=story
        )
        return plan(photos, options)

    plain, told = with_story(""), with_story(STORY)
    reading = STORY_READ_SECONDS + STORY_SECONDS_PER_CHAR * len(STORY)
    (story,) = story_cues(told)
    assert (story.end - story.start) / 30 == pytest.approx(reading, abs=1 / 30)
    assert told.frames > plain.frames
    # Everything before the end card is the same, frame for frame, and so is when its words
    # come in; only how long they stay changes.
    card = plain.shots[-1].start
    assert told.shots[:-1] == plain.shots[:-1]
    assert told.transitions == plain.transitions
    assert told.shots[-1].start == card
    assert [t for t in told.texts if t.start < card] == [t for t in plain.texts if t.start < card]
    on_card = [(t.kind, t.text, t.start) for t in plain.texts if t.start >= card]
    assert [k for k, _, _ in on_card] == [TextKind.END_TITLE, TextKind.END_SUBTITLE]
    assert [(t.kind, t.text, t.start) for t in told.texts if t.start >= card] == [
        *on_card,
        (TextKind.STORY, STORY, story.start),
    ]
    assert not story_cues(plain)
    assert with_story("  \n\t ") == plain  # a blank story is no story


def test_it_caps_the_time_a_long_story_keeps_the_end_card_on_screen() -> None:
    photos = [FakePhoto("a.jpg")]
    timeline = plan(photos, RenderOptions(fps=24, story="word " * 120))
    (story,) = story_cues(timeline)
    assert (story.end - story.start) / 24 == pytest.approx(STORY_MAX_SECONDS, abs=1 / 24)


def test_it_keeps_a_short_story_on_at_least_the_style_own_end_card() -> None:
    photos = [FakePhoto("a.jpg")]
    plain = plan(photos, RenderOptions(style="cinematic"))
    told = plan(photos, RenderOptions(style="cinematic", story="Home."))
    assert told.shots[-1].frames >= plain.shots[-1].frames


def test_it_refuses_a_story_longer_than_the_end_card_holds() -> None:
    RenderOptions(story="x" * MAX_STORY_CHARS)
    with pytest.raises(InvalidOptions, match="story is 601 characters long.*at most 600"):
        RenderOptions(story="x" * (MAX_STORY_CHARS + 1))


# --- style-specific framing -------------------------------------------------------------------


def test_it_letterboxes_cinematic_landscape_videos_only() -> None:
    photos = [FakePhoto("a.jpg")]
    wide = plan(photos, RenderOptions(style="cinematic", aspect="16:9"))
    x, y, w, h = wide.picture
    assert (x, w) == (0, wide.width)
    assert 0 < y and y + h < wide.height and h % 2 == 0
    assert w / h == pytest.approx(2.39, abs=0.02)
    assert y == pytest.approx(wide.height - (y + h), abs=2)  # centred: equal bars
    tall = plan(photos, RenderOptions(style="cinematic", aspect="9:16"))
    assert tall.picture == (0, 0, tall.width, tall.height)
    classic = plan(photos, RenderOptions(style="classic", aspect="16:9"))
    assert classic.picture == (0, 0, classic.width, classic.height)


@pytest.mark.parametrize("style", [s.value for s in StyleName])
def test_it_joins_photos_with_the_style_own_transitions(style: str) -> None:
    photos = [FakePhoto(f"{i}.jpg", phash=i * 0xFFFF) for i in range(6)]
    timeline = plan(photos, RenderOptions(style=style))
    s = STYLES[StyleName(style)]
    between = [t.kind for t in timeline.transitions[:-1]]
    assert set(between) == set(s.transitions)
    calm = TransitionKind.DIP_BLACK if s.name is StyleName.CINEMATIC else TransitionKind.DISSOLVE
    assert timeline.transitions[-1].kind is calm


def test_it_picks_the_poster_frame_in_the_middle_of_the_first_photo() -> None:
    timeline = plan([FakePhoto("a.jpg"), FakePhoto("b.jpg", phash=99)], tiny_options())
    first = timeline.shots[1]
    assert first.start < timeline.poster_frame < first.end


def test_it_fades_the_music_out_over_at_most_a_quarter_of_the_video() -> None:
    timeline = plan([FakePhoto("a.jpg")], tiny_options(style="modern"))
    assert timeline.audio.fade_out <= timeline.duration / 4 + 1e-9
    assert timeline.audio.fade_in + timeline.audio.fade_out < timeline.duration
