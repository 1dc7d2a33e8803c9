"""The frame synthesiser: turns a Timeline into raw NV12 frames for the encoder.

Why not FFmpeg's ``zoompan``: it crops on whole pixels, so a slow Ken Burns move wobbles by a
pixel back and forth ("earthquake"); the usual cure — upscaling every photo 4–8× first — costs
more than the encode. Here each photo is graded, sized for its move and turned into YCbCr planes
once; every frame is then the photo scaled with sub-pixel precision straight into the encoder's
planes (motion.py), so motion is smooth and the cost is a few milliseconds per frame. Photos are
loaded one shot ahead on a helper thread and dropped as soon as their shot ends, so memory stays
flat however many photos a video has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from . import yuv
from .grading import Grain, Vignette, apply_grade
from .motion import PAD, ShotPainter
from .styles import STYLES, Style, TransitionKind
from .timeline import Layout, Shot, Timeline, Transition
from .yuv import Planes

U8 = NDArray[np.uint8]
_ONE_SIDED = (TransitionKind.DIP_BLACK, TransitionKind.DIP_WHITE, TransitionKind.CUT)
# (path, cover size, background) -> upright sRGB RGB image, downscaled to cover that size.
PhotoLoader = Callable[[Path, tuple[int, int], tuple[int, int, int]], U8]

BACKDROP_DIM = 0.42
FILL_DIM = 0.62
WHITE_FLASH = (255, 246, 228)
PREFETCH_FRAMES = 40
RING_SIZE = 3  # > execute.WRITE_AHEAD + 1 (the frame being written) + 1 (the one being made)


def default_loader(path: Path, cover: tuple[int, int], background: tuple[int, int, int]) -> U8:
    from .photos import load_photo_array

    # The move resamples every frame anyway: a JPEG decoded at reduced scale up to 25 % larger
    # than needed is used as it is, saving a 12-megapixel-class LANCZOS pass per photo.
    return load_photo_array(path, cover=cover, background=background, slack=1.25)


class FrameSynth:
    """Iterate ``frames()`` to get each frame of the timeline as one contiguous NV12 buffer."""

    def __init__(
        self, timeline: Timeline, *, loader: PhotoLoader = default_loader, ring: int = RING_SIZE
    ) -> None:
        self.timeline = timeline
        self.style: Style = STYLES[timeline.style]
        self._loader = loader
        px, py, pw, ph = timeline.picture
        self._pic = (px, py, pw, ph)
        self._vignette = Vignette.for_picture(pw, ph, self.style.vignette)
        # Two pictures for the two photos of a transition, reused every frame.
        self._slots = (yuv.new_planes(pw, ph), yuv.new_planes(pw, ph))
        self._grain = Grain(pw, ph, self.style.grain) if self.style.grain else None
        # A ring of output frames: the encoder pipe is written from another thread, so a frame
        # must stay untouched until it has been written (see execute.WRITE_AHEAD), or read by
        # FFmpeg when it is lent rather than copied (``ring``: see pipes.ring_size). Only the
        # picture is drawn each frame; the letterbox bars are painted once.
        self._ring = [
            np.empty((timeline.height * 3 // 2, timeline.width), dtype=np.uint8)
            for _ in range(max(ring, RING_SIZE))
        ]
        self._pictures: list[Planes] = []  # the picture area of each ring buffer, as views
        for buffer in self._ring:
            whole = yuv.nv12_planes(buffer, timeline.width, timeline.height)
            yuv.fill(whole, yuv.BLACK)
            self._pictures.append(whole.region(*self._pic))
        self._flash = yuv.from_rgb(np.full((2, 2, 3), WHITE_FLASH, np.uint8)).colour_at(0, 0)
        self.poster: U8 | None = None  # the poster frame, BGR, captured on the way past

    # -- public -----------------------------------------------------------------------------

    @property
    def ring_size(self) -> int:
        """How many output buffers ``frames()`` takes turns with (see execute.run_encoder)."""
        return len(self._ring)

    def frames(self) -> Iterator[U8]:
        """Yield every frame in order. The yielded buffer is reused: write it before advancing."""
        shots = self.timeline.shots
        transitions = {t.index: t for t in self.timeline.transitions}
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-loader")
        pending: dict[int, Future[ShotPainter]] = {}
        live: dict[int, ShotPainter] = {}
        try:
            for frame in range(self.timeline.frames):
                active = [i for i in self._active(frame) if i < len(shots)]
                for i in active:
                    if i not in live:
                        live[i] = (
                            pending.pop(i) if i in pending else self._submit(pool, i)
                        ).result()
                for i in list(live):
                    if i not in active:
                        del live[i]  # free the photo the moment its shot is over
                nxt = max(active) + 1
                # Load the next photo shortly before it is needed, not a whole shot ahead:
                # fewer photos in memory at once, and the loader still has time to finish.
                soon = nxt < len(shots) and shots[nxt].start - frame <= PREFETCH_FRAMES
                if soon and nxt not in pending and nxt not in live:
                    pending[nxt] = self._submit(pool, nxt)
                buffer = self._ring[frame % self.ring_size]
                picture = self._pictures[frame % self.ring_size]
                self._compose(frame, active, live, transitions, picture)
                self._finish(frame, buffer, picture)
                yield buffer
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    # -- shots ------------------------------------------------------------------------------

    def _active(self, frame: int) -> list[int]:
        # Shots are sorted by start and overlap only pairwise, so a bisect is not worth it.
        return [i for i, s in enumerate(self.timeline.shots) if s.start <= frame < s.end]

    def _submit(self, pool: ThreadPoolExecutor, index: int) -> Future[ShotPainter]:
        return pool.submit(self._prepare, self.timeline.shots[index])

    def _prepare(self, shot: Shot) -> ShotPainter:
        """The shot's photo graded, sized for its move and in planes, ready to draw."""
        ref = self.timeline.photos[shot.photo]
        _, _, pw, ph = self._pic
        bg = self.style.background
        fill: Planes | None = None
        if shot.layout is Layout.BACKDROP:
            small = self._loader(ref.path, (max(64, pw // 6), max(64, ph // 6)), bg)
            small = apply_grade(small, self.style.grade)
            sigma = max(small.shape[:2]) / 60
            image = _dim(np.asarray(cv2.GaussianBlur(small, (0, 0), sigma)), BACKDROP_DIM)
        else:
            tight_w = min(shot.start_rect.w, shot.end_rect.w)
            tight_h = min(shot.start_rect.h, shot.end_rect.h)
            # Up to 10 % enlargement at the very end of a push-in is invisible in motion, and
            # lets a 12-megapixel JPEG decode at half scale (4× fewer pixels) for 1080p.
            cover = (math.ceil(pw / tight_w / 1.1), math.ceil(ph / tight_h / 1.1))
            image = apply_grade(self._loader(ref.path, cover, bg), self.style.grade)
            if shot.layout is Layout.FIT:
                fill = yuv.from_rgb(self._fill(image))
        h, w = image.shape[:2]
        planes = yuv.from_rgb(image, pad=PAD)
        return ShotPainter(planes, (w, h), (pw, ph), shot.start_rect, shot.end_rect, fill)

    def _fill(self, image: U8) -> U8:
        """A blurred, dimmed copy of the photo covering the picture: no black bars, ever."""
        _, _, pw, ph = self._pic
        ih, iw = image.shape[:2]
        scale = max(pw / iw, ph / ih) / 8
        small = cv2.resize(
            image,
            (max(8, round(iw * scale)), max(8, round(ih * scale))),
            interpolation=cv2.INTER_AREA,
        )
        sh, sw = small.shape[:2]
        cw, ch = min(sw, math.ceil(pw / 8)), min(sh, math.ceil(ph / 8))
        x0, y0 = (sw - cw) // 2, (sh - ch) // 2
        crop = cv2.GaussianBlur(small[y0 : y0 + ch, x0 : x0 + cw], (0, 0), 3.0)
        full = cv2.resize(crop, (pw, ph), interpolation=cv2.INTER_LINEAR)
        return _dim(np.asarray(cv2.GaussianBlur(full, (0, 0), 6.0), dtype=np.uint8), FILL_DIM)

    # -- transitions and finishing ----------------------------------------------------------

    def _draw(self, index: int, live: dict[int, ShotPainter], frame: int, out: Planes) -> None:
        live[index].draw(self.timeline.shots[index].rect_at(frame), out)

    def _compose(
        self,
        frame: int,
        active: list[int],
        live: dict[int, ShotPainter],
        transitions: dict[int, Transition],
        out: Planes,
    ) -> None:
        first = active[0]
        if len(active) == 1 or first not in transitions:
            self._draw(first, live, frame, out)
            return
        t = transitions[first]
        p = t.progress(frame)
        if t.kind in _ONE_SIDED:
            # Dips and cuts show one photo at a time: draw only the one on screen.
            self._draw(first if p < 0.5 else active[1], live, frame, out)
            if t.kind is TransitionKind.DIP_BLACK:
                yuv.towards(out, yuv.BLACK, 1 - abs(2 * p - 1))
            elif t.kind is TransitionKind.DIP_WHITE:
                yuv.towards(out, self._flash, (1 - abs(2 * p - 1)) * 0.85)
            return
        a, b = self._slots
        self._draw(first, live, frame, a)
        self._draw(active[1], live, frame, b)
        eased = p * p * (3 - 2 * p)
        if t.kind is TransitionKind.DISSOLVE:
            yuv.dissolve(out, a, b, p)
        elif t.kind is TransitionKind.SLIDE_LEFT:
            yuv.push(out, a, b, eased, axis=1)
        elif t.kind is TransitionKind.SLIDE_UP:
            yuv.push(out, a, b, eased, axis=0)
        else:
            yuv.wipe(out, a, b, eased)

    def _finish(self, frame: int, buffer: U8, picture: Planes) -> None:
        tl = self.timeline
        if frame < tl.fade_in_frames:
            yuv.towards(picture, yuv.BLACK, 1 - (frame + 1) / (tl.fade_in_frames + 1))
        elif frame >= tl.frames - tl.fade_out_frames:
            yuv.towards(picture, yuv.BLACK, 1 - (tl.frames - frame) / (tl.fade_out_frames + 1))
        if self._vignette is not None:
            self._vignette.apply(picture.y)
        if self._grain is not None:
            self._grain.apply(picture.y)
        if frame == tl.poster_frame:
            self.poster = np.asarray(cv2.cvtColor(buffer, cv2.COLOR_YUV2BGR_NV12), dtype=np.uint8)


def _dim(image: U8, factor: float) -> U8:
    return np.asarray(cv2.convertScaleAbs(image, alpha=max(0.0, factor)), dtype=np.uint8)
