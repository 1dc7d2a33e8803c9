"""Stage 1 — plan: photos + style + options → an immutable Timeline. Pure and deterministic.

The planner decides everything a film editor would: order, which shots to drop, how long each
photo stays, where the camera starts and ends (keeping faces in view and never enlarging a photo
far past its own resolution), which transition joins each pair, and where words appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from .captions import auto_caption, clean_text, date_range
from .errors import NoUsablePhotos
from .options import MAX_STORY_CHARS, MAX_TITLE_CHARS, CaptionMode, Order, RenderOptions
from .styles import Style, StyleName, TransitionKind, get_style
from .timeline import (
    AudioCue,
    Layout,
    PhotoRef,
    Rect,
    Shot,
    TextCue,
    TextKind,
    Timeline,
    Transition,
    frames_for,
)

MAX_UPSCALE = 1.5  # past this a photo looks soft: show it smaller, over a blurred copy of itself
ZOOM_PAST_NATIVE = 1.1  # a push-in may end at most 10 % past the photo's own pixels
FIT_TALLER_THAN = 0.5  # photo aspect / picture aspect below this: whole photo over blurred fill
CROP_TALLER_THAN = 0.72  # between the two, crop only when the faces still fit the window
PAN_WIDER_THAN = 1.45  # above this: a horizontal pan across the photo
FIT_WIDER_THAN = 3.2  # above this (wide panoramas): whole photo over blurred fill
DUPLICATE_DISTANCE = 10  # pHash bits; re-encodes and burst neighbours sit well below
BURST_SECONDS = 2.0
PAN_PUSH = 1.03  # how much closer the end of a pan is than its start
# Time to read the end card's story from when it appears: about 17 characters a second (a calm
# subtitle pace) after a moment to notice it, capped so a long story cannot hold the film hostage.
STORY_READ_SECONDS = 2.5
STORY_SECONDS_PER_CHAR = 0.06
STORY_MAX_SECONDS = 20.0
STORY_DELAY = 0.6  # after the end title appears, so the eye lands on the title first


class Box(Protocol):
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def w(self) -> float: ...
    @property
    def h(self) -> float: ...


class PhotoLike(Protocol):
    """What the planner needs to know of a photo (``photos.PhotoInfo`` provides it)."""

    @property
    def path(self) -> Path: ...
    @property
    def name(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def taken_at(self) -> datetime | None: ...
    @property
    def gps(self) -> tuple[float, float] | None: ...
    @property
    def sharpness(self) -> float: ...
    @property
    def phash(self) -> int: ...
    @property
    def subject(self) -> Box: ...
    @property
    def subject_kind(self) -> str: ...


P = TypeVar("P", bound=PhotoLike)


@dataclass(frozen=True, slots=True)
class Dropped:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Words:
    """What the video says, by role: the cues show it, a summary can report it."""

    title: str = ""
    story: str = ""
    captions: tuple[tuple[str, str], ...] = ()  # (photo name, caption or ""), in the order shown


@dataclass(frozen=True, slots=True)
class Plan:
    timeline: Timeline
    used: tuple[str, ...]
    dropped: tuple[Dropped, ...]
    words: Words


def plan_timeline(
    photos: Sequence[PhotoLike],
    options: RenderOptions,
    *,
    music: Path | None,
    music_loudness: float | None = None,
) -> Plan:
    """Turn analysed photos into a Timeline. ``music`` is the resolved track (None: silence);
    ``music_loudness`` its integrated loudness when known, so it needs no measuring."""
    if not photos:
        raise NoUsablePhotos("no usable photos to make a video from")
    style = get_style(options.style)
    kept, dropped = arrange(photos, options)
    width, height = options.size
    picture = _picture_box(width, height, style)
    words = _words(kept, options)
    timing = _Timing.for_(style, options, len(kept), story=words.story)

    refs = tuple(PhotoRef(p.path, p.name, p.width, p.height) for p in kept)
    shots, transitions = _shots(kept, style, timing, picture)
    texts = _texts(kept, words, options, timing)
    fade_in = frames_for(1.0 if style.name is StyleName.CINEMATIC else 0.6, options.fps)
    timeline = Timeline(
        style=style.name,
        width=width,
        height=height,
        fps=options.fps,
        frames=timing.total,
        picture=picture,
        photos=refs,
        shots=shots,
        transitions=transitions,
        texts=texts,
        audio=AudioCue(
            track=music,
            fade_in=1.0,
            fade_out=min(3.0, timing.total / options.fps / 4),
            loudness=music_loudness,
        ),
        fade_in_frames=fade_in,
        fade_out_frames=frames_for(1.2, options.fps),
        poster_frame=shots[1].start + shots[1].frames // 2,
    )
    return Plan(
        timeline=timeline, used=tuple(p.name for p in kept), dropped=tuple(dropped), words=words
    )


# --- order and culling -------------------------------------------------------------------------


def arrange(photos: Sequence[P], options: RenderOptions) -> tuple[list[P], list[Dropped]]:
    """The photos a plan shows, in the order it shows them, and those it leaves out and why.

    Public so a caller can prepare words for exactly these photos before planning (the AI
    captions of ``render_memory``); ``plan_timeline`` arranges the same way.
    """
    ordered = _order(photos, options.order)
    return _cull(ordered) if options.cull else (ordered, [])


def _order(photos: Sequence[P], order: Order) -> list[P]:
    if order is Order.GIVEN:
        return list(photos)
    # EXIF times are wall-clock times where the photo was taken; comparing them as such keeps a
    # trip in the order it was lived. Undated photos keep their place relative to each other, last.
    indexed = list(enumerate(photos))
    indexed.sort(
        key=lambda ip: (
            ip[1].taken_at is None,
            ip[1].taken_at.replace(tzinfo=None) if ip[1].taken_at else datetime.min,
            ip[0],
        )
    )
    return [p for _, p in indexed]


def _cull(photos: list[P]) -> tuple[list[P], list[Dropped]]:
    """Keep the sharpest photo of each run of near-duplicates or burst shots."""
    groups: list[list[P]] = []
    for photo in photos:
        if groups and _same_moment(groups[-1][-1], photo):
            groups[-1].append(photo)
        else:
            groups.append([photo])
    kept: list[P] = []
    dropped: list[Dropped] = []
    for group in groups:
        best = max(group, key=lambda p: p.sharpness)
        kept.append(best)
        for other in group:
            if other is not best:
                why = f"near-duplicate of {best.name}, which is sharper"
                dropped.append(Dropped(other.name, why))
    return kept, dropped


def _same_moment(a: PhotoLike, b: PhotoLike) -> bool:
    if bin(a.phash ^ b.phash).count("1") <= DUPLICATE_DISTANCE:
        return True
    if a.taken_at is not None and b.taken_at is not None:
        gap = abs(
            (b.taken_at.replace(tzinfo=None) - a.taken_at.replace(tzinfo=None)).total_seconds()
        )
        return gap <= BURST_SECONDS and bin(a.phash ^ b.phash).count("1") <= 2 * DUPLICATE_DISTANCE
    return False


# --- timing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Timing:
    fps: int
    title: int
    photo: int
    end: int
    transition: int
    count: int

    @classmethod
    def for_(cls, style: Style, options: RenderOptions, count: int, *, story: str) -> _Timing:
        fps = options.fps
        photo = frames_for(options.seconds_per_photo or style.seconds_per_photo, fps)
        wanted = (
            style.transition_seconds
            if options.transition_seconds is None
            else options.transition_seconds
        )
        # A transition longer than half a shot would leave no moment where the photo stands alone.
        transition = min(round(wanted * fps), photo // 2)
        return cls(
            fps=fps,
            title=frames_for(style.title_seconds, fps),
            photo=photo,
            end=_end_frames(style, story, transition, fps),
            transition=transition,
            count=count,
        )

    @property
    def own(self) -> list[int]:
        """Frames each segment owns: title, every photo, end card."""
        return [self.title, *([self.photo] * self.count), self.end]

    @property
    def total(self) -> int:
        return sum(self.own)


def _end_frames(style: Style, story: str, transition: int, fps: int) -> int:
    """The end card's own frames: the style's, or longer when a story must be read on it."""
    own = frames_for(style.end_seconds, fps)
    if not story:
        return own
    reading = min(STORY_MAX_SECONDS, STORY_READ_SECONDS + STORY_SECONDS_PER_CHAR * len(story))
    # The transition into the card covers its first frames, and the story comes in last.
    return max(own, transition + frames_for(STORY_DELAY, fps) + frames_for(reading, fps))


# --- shots and motion --------------------------------------------------------------------------


def _picture_box(width: int, height: int, style: Style) -> tuple[int, int, int, int]:
    # Letterbox only frames that are already wide; bars on a square or vertical video would
    # leave a thin strip of picture.
    if style.letterbox is None or width / height < 1.5 or width / height >= style.letterbox:
        return (0, 0, width, height)
    pic_h = int(round(width / style.letterbox / 2)) * 2
    top = ((height - pic_h) // 4) * 2
    return (0, top, width, pic_h)


def _shots(
    photos: Sequence[PhotoLike], style: Style, timing: _Timing, picture: tuple[int, int, int, int]
) -> tuple[tuple[Shot, ...], tuple[Transition, ...]]:
    pic_w, pic_h = picture[2], picture[3]
    own = timing.own
    starts = [sum(own[:i]) for i in range(len(own))]
    last = len(own) - 1
    shots: list[Shot] = []
    transitions: list[Transition] = []
    for seg, start in enumerate(starts):
        frames = own[seg] + (timing.transition if seg < last else 0)
        if seg == 0 or seg == last:
            photo_index = 0 if seg == 0 else len(photos) - 1
            layout, a, b = Layout.BACKDROP, *_backdrop_motion(photos[photo_index], pic_w, pic_h)
        else:
            photo_index = seg - 1
            layout, a, b = _motion(photos[photo_index], photo_index, style, pic_w, pic_h)
        shots.append(Shot(photo_index, start, frames, layout, a, b, style.ease))
        if seg > 0 and timing.transition > 0:
            transitions.append(
                Transition(seg - 1, start, timing.transition, _transition_kind(style, seg, last))
            )
    return tuple(shots), tuple(transitions)


def _transition_kind(style: Style, seg: int, last: int) -> TransitionKind:
    if seg == last:  # into the end card: always a calm one
        return (
            TransitionKind.DIP_BLACK
            if style.name is StyleName.CINEMATIC
            else TransitionKind.DISSOLVE
        )
    return style.transitions[(seg - 1) % len(style.transitions)]


def _motion(
    photo: PhotoLike, index: int, style: Style, pic_w: int, pic_h: int
) -> tuple[Layout, Rect, Rect]:
    aspect = pic_w / pic_h
    ratio = (photo.width / photo.height) / aspect
    w0, h0 = _cover_size(photo.width, photo.height, aspect)
    too_small = pic_w / w0 > MAX_UPSCALE
    faces_cut = ratio < CROP_TALLER_THAN and (
        photo.subject_kind == "faces" and photo.subject.h * photo.height > h0
    )
    portrait_in_landscape = photo.height > photo.width and aspect > 1.2
    if (
        too_small
        or faces_cut
        or portrait_in_landscape
        or not (FIT_TALLER_THAN <= ratio <= FIT_WIDER_THAN)
    ):
        return (Layout.FIT, *_fit_motion(photo, index, pic_w, pic_h))
    if ratio > PAN_WIDER_THAN:
        return (Layout.COVER, *_pan_motion(photo, index, pic_w, w0, h0))
    return (Layout.COVER, *_zoom_motion(photo, index, style, pic_w, w0, h0))


def _cover_size(img_w: int, img_h: int, aspect: float) -> tuple[float, float]:
    """The largest window of the picture's aspect that fits inside the photo, in pixels."""
    if img_w / img_h >= aspect:
        return img_h * aspect, float(img_h)
    return float(img_w), img_w / aspect


def _zoom_motion(
    photo: PhotoLike, index: int, style: Style, pic_w: int, w0: float, h0: float
) -> tuple[Rect, Rect]:
    img_w, img_h = photo.width, photo.height
    sx, sy, sw, sh = _subject_px(photo)
    # The tight window must not magnify past the photo's pixels, and must still hold the faces.
    zoom = min(style.zoom, max(1.0, ZOOM_PAST_NATIVE * w0 / pic_w))
    if photo.subject_kind == "faces":
        zoom = min(zoom, max(1.0, w0 / (sw * 1.05)), max(1.0, h0 / (sh * 1.05)))
    w1, h1 = w0 / zoom, h0 / zoom
    cx, cy = sx + sw / 2, sy + sh / 2
    wide = _window(cx, cy, w0, h0, img_w, img_h)
    tight = _window(cx, cy, w1, h1, img_w, img_h)
    push_in = style.name is StyleName.CINEMATIC or photo.subject_kind == "faces" or index % 2 == 0
    return (wide, tight) if push_in else (tight, wide)


def _pan_motion(
    photo: PhotoLike, index: int, pic_w: int, w0: float, h0: float
) -> tuple[Rect, Rect]:
    img_w, img_h = photo.width, photo.height
    sx, _, sw, _ = _subject_px(photo)
    faces = photo.subject_kind == "faces"
    # A slight push during the pan keeps it alive without losing height — unless it would
    # enlarge the photo past the limit or crop the faces.
    push = PAN_PUSH
    if pic_w * push / w0 > MAX_UPSCALE or (faces and sw > w0 / push):
        push = 1.0
    w1 = w0 / push
    end = _clamp(sx + sw / 2, w1 / 2, img_w - w1 / 2)
    lo, hi = w0 / 2, img_w - w0 / 2
    travel = min(hi - lo, 0.8 * w0)
    rightward = end - travel >= lo if index % 2 == 0 else end + travel > hi
    start = _clamp(end - travel if rightward else end + travel, lo, hi)
    if faces and sw <= w0:  # the opening window must hold the faces too
        start = _clamp(_clamp(start, sx + sw - w0 / 2, sx + w0 / 2), lo, hi)
    a = _window(start, img_h / 2, w0, h0, img_w, img_h)
    b = _window(end, img_h / 2, w1, h0 / push, img_w, img_h)
    return a, b


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _fit_motion(photo: PhotoLike, index: int, pic_w: int, pic_h: int) -> tuple[Rect, Rect]:
    img_w, img_h = photo.width, photo.height
    aspect = pic_w / pic_h
    if img_w / img_h < aspect:  # taller than the picture: height decides
        h = max(float(img_h), pic_h / MAX_UPSCALE)
        w = h * aspect
    else:
        w = max(float(img_w), pic_w / MAX_UPSCALE)
        h = w / aspect
    # Windows larger than the photo: the photo floats centred over its own blurred copy.
    near = _free_window(img_w / 2, img_h / 2, w, h, img_w, img_h)
    far = _free_window(img_w / 2, img_h / 2, w * 1.07, h * 1.07, img_w, img_h)
    return (far, near) if index % 2 == 0 else (near, far)


def _backdrop_motion(photo: PhotoLike, pic_w: int, pic_h: int) -> tuple[Rect, Rect]:
    w0, h0 = _cover_size(photo.width, photo.height, pic_w / pic_h)
    cx, cy = photo.width / 2, photo.height / 2
    wide = _window(cx, cy, w0, h0, photo.width, photo.height)
    return wide, _window(cx, cy, w0 / 1.08, h0 / 1.08, photo.width, photo.height)


def _subject_px(photo: PhotoLike) -> tuple[float, float, float, float]:
    s = photo.subject
    return s.x * photo.width, s.y * photo.height, s.w * photo.width, s.h * photo.height


def _window(cx: float, cy: float, w: float, h: float, img_w: int, img_h: int) -> Rect:
    """A window of size w×h centred as near (cx, cy) as it can be while staying inside the photo."""
    x = min(max(cx - w / 2, 0.0), max(0.0, img_w - w))
    y = min(max(cy - h / 2, 0.0), max(0.0, img_h - h))
    return Rect(x / img_w, y / img_h, w / img_w, h / img_h)


def _free_window(cx: float, cy: float, w: float, h: float, img_w: int, img_h: int) -> Rect:
    return Rect((cx - w / 2) / img_w, (cy - h / 2) / img_h, w / img_w, h / img_h)


# --- words on screen ---------------------------------------------------------------------------


def _dates(photos: Sequence[PhotoLike], options: RenderOptions) -> str:
    return date_range((p.taken_at for p in photos), language=options.language) or clean_text(
        options.dates, limit=60
    )


def _words(photos: Sequence[PhotoLike], options: RenderOptions) -> Words:
    dates = _dates(photos, options)
    return Words(
        # A date standing in as the title starts with a capital ("Juillet 2021"), as a title does
        # in every cased script; the same range under a given title keeps CLDR's own case.
        title=clean_text(options.title, limit=MAX_TITLE_CHARS)
        or dates[:1].upper() + dates[1:]
        or "Our memories",
        story=clean_text(options.story, limit=MAX_STORY_CHARS),
        captions=tuple((p.name, _caption(p, options)) for p in photos),
    )


def _texts(
    photos: Sequence[PhotoLike], words: Words, options: RenderOptions, timing: _Timing
) -> tuple[TextCue, ...]:
    fps = timing.fps
    dates = _dates(photos, options)
    title = words.title
    subtitle = clean_text(options.subtitle, limit=MAX_TITLE_CHARS) or (
        dates if dates.casefold() != title.casefold() else ""
    )
    own = timing.own
    starts = [sum(own[:i]) for i in range(len(own))]
    lead = frames_for(0.35, fps)
    title_end = timing.title + timing.transition // 2
    cues = [TextCue(TextKind.TITLE, title, lead, title_end)]
    if subtitle:
        cues.append(TextCue(TextKind.SUBTITLE, subtitle, lead + frames_for(0.5, fps), title_end))
    for i, (_, text) in enumerate(words.captions):
        if text:
            start = starts[i + 1] + timing.transition + frames_for(0.2, fps)
            end = starts[i + 1] + own[i + 1]
            if end - start >= frames_for(1.0, fps):
                cues.append(TextCue(TextKind.CAPTION, text, start, end))
    end_start = starts[-1] + timing.transition
    cues.append(TextCue(TextKind.END_TITLE, title, end_start, timing.total))
    if dates and dates.casefold() != title.casefold():
        cues.append(
            TextCue(TextKind.END_SUBTITLE, dates, end_start + frames_for(0.3, fps), timing.total)
        )
    if words.story:
        start = end_start + frames_for(STORY_DELAY, fps)
        cues.append(TextCue(TextKind.STORY, words.story, start, timing.total))
    if options.watermark:
        cues.append(TextCue(TextKind.WATERMARK, "Made with PhotoMemory", 0, timing.total))
    return tuple(cues)


def _caption(photo: PhotoLike, options: RenderOptions) -> str:
    if options.caption_mode is CaptionMode.GIVEN:
        return clean_text(options.captions.get(photo.name, ""))
    if options.caption_mode is CaptionMode.AUTO:
        return auto_caption(photo.taken_at, photo.gps, language=options.language)
    return ""
