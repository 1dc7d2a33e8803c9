"""The frame synthesiser: turns a Timeline into raw yuv420p frames for the encoder.

Why not FFmpeg's ``zoompan``: it crops on whole pixels, so a slow Ken Burns move wobbles by a
pixel back and forth ("earthquake"); the usual cure — upscaling every photo 4–8× first — costs
more than the encode. Here each frame is one affine warp with sub-pixel coordinates from a
photo pre-scaled to just the size the move needs, so motion is smooth and the cost is a few
milliseconds per frame. Photos are loaded one shot ahead on a helper thread and dropped as soon
as their shot ends, so memory stays flat however many photos a video has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from .grading import Grain, apply_grade, vignette_mask
from .styles import STYLES, Style, TransitionKind
from .timeline import Layout, Rect, Shot, Timeline, Transition

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
    from .photos import load_photo

    # The warp resamples every frame anyway: a JPEG decoded at reduced scale up to 25 % larger
    # than needed is used as it is, saving a 12-megapixel-class LANCZOS pass per photo.
    image = load_photo(path, cover=cover, background=background, slack=1.25)
    return np.asarray(image.convert("RGBA"), dtype=np.uint8)


def _rgba(image: U8) -> U8:
    """Pixels as RGBA with opaque alpha. OpenCV warps 4-channel images faster than 3-channel
    ones, and in a FIT shot the warped alpha is the anti-aliased edge of the photo for free."""
    if image.ndim == 3 and image.shape[2] == 4:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2RGBA), dtype=np.uint8)


@dataclass(slots=True)
class _Source:
    """A shot's photo, graded and sized for its move, plus what goes behind it."""

    image: U8  # RGBA
    background: U8 | None  # FIT: blurred fill of picture size, RGBA


class FrameSynth:
    """Iterate ``frames()`` to get each frame of the timeline as one contiguous I420 buffer."""

    def __init__(self, timeline: Timeline, *, loader: PhotoLoader = default_loader) -> None:
        self.timeline = timeline
        self.style: Style = STYLES[timeline.style]
        self._loader = loader
        px, py, pw, ph = timeline.picture
        self._pic = (px, py, pw, ph)
        self._vignette = vignette_mask(pw, ph, self.style.vignette)
        # Two picture buffers, reused every frame: allocating 8 MB per frame costs page faults.
        self._buffers = (np.empty((ph, pw, 4), np.uint8), np.empty((ph, pw, 4), np.uint8))
        self._yuv = np.empty((ph * 3 // 2, pw), np.uint8)
        self._grain = Grain(pw, ph, self.style.grain) if self.style.grain else None
        # A ring of output frames: the encoder pipe is written from another thread, so a frame
        # must stay untouched until it has been written (see execute.WRITE_AHEAD).
        self._ring = [
            np.empty((timeline.height * 3 // 2, timeline.width), dtype=np.uint8)
            for _ in range(RING_SIZE)
        ]
        self._frame = self._ring[0]
        for buffer in self._ring:
            self._fill_letterbox(buffer)
        self._flash: U8 | None = None  # made on first use: only vintage dips to white
        self.poster: U8 | None = None  # the poster frame, BGR, captured on the way past

    # -- public -----------------------------------------------------------------------------

    def frames(self) -> Iterator[U8]:
        """Yield every frame in order. The yielded buffer is reused: write it before advancing."""
        shots = self.timeline.shots
        transitions = {t.index: t for t in self.timeline.transitions}
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photo-loader")
        pending: dict[int, Future[_Source]] = {}
        live: dict[int, _Source] = {}
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
                picture = self._compose(frame, active, live, transitions)
                yield self._finish(frame, picture)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    # -- shots ------------------------------------------------------------------------------

    def _active(self, frame: int) -> list[int]:
        # Shots are sorted by start and overlap only pairwise, so a bisect is not worth it.
        return [i for i, s in enumerate(self.timeline.shots) if s.start <= frame < s.end]

    def _submit(self, pool: ThreadPoolExecutor, index: int) -> Future[_Source]:
        return pool.submit(self._prepare, self.timeline.shots[index])

    def _prepare(self, shot: Shot) -> _Source:
        ref = self.timeline.photos[shot.photo]
        _, _, pw, ph = self._pic
        bg = self.style.background
        if shot.layout is Layout.BACKDROP:
            small = self._loader(ref.path, (max(64, pw // 6), max(64, ph // 6)), bg)
            small = apply_grade(_rgba(small), self.style.grade)
            sigma = max(small.shape[:2]) / 60
            blurred = np.asarray(cv2.GaussianBlur(small, (0, 0), sigma), dtype=np.uint8)
            return _Source(_dim(blurred, BACKDROP_DIM), None)
        tight_w = min(shot.start_rect.w, shot.end_rect.w)
        tight_h = min(shot.start_rect.h, shot.end_rect.h)
        # Up to 10 % enlargement at the very end of a push-in is invisible in motion, and lets a
        # 12-megapixel JPEG decode at half scale (4× fewer pixels) for a 1080p video.
        cover = (math.ceil(pw / tight_w / 1.1), math.ceil(ph / tight_h / 1.1))
        image = apply_grade(_rgba(self._loader(ref.path, cover, bg)), self.style.grade)
        if shot.layout is Layout.COVER:
            return _Source(image, None)
        return _Source(image, self._fill(image))

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

    def _render_shot(self, shot: Shot, source: _Source, frame: int, slot: int) -> U8:
        _, _, pw, ph = self._pic
        out = self._buffers[slot]
        rect = shot.rect_at(frame)
        matrix = _affine(rect, source.image.shape[1], source.image.shape[0], pw, ph)
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        if source.background is None:
            cv2.warpAffine(
                source.image,
                matrix,
                (pw, ph),
                dst=out,
                flags=flags,
                borderMode=cv2.BORDER_REPLICATE,
            )
            return out
        # FIT: warping with a transparent border gives a premultiplied foreground whose alpha is
        # the photo's anti-aliased edge; composite it over the blurred fill. Only the photo's
        # bounding box is warped and blended: the fill around it is a plain copy.
        np.copyto(out, source.background)
        x0, y0, x1, y1 = _footprint(matrix, source.image.shape[1], source.image.shape[0], pw, ph)
        if x1 <= x0 or y1 <= y0:
            return out
        shifted = matrix.copy()
        shifted[0, 2] += matrix[0, 0] * x0
        shifted[1, 2] += matrix[1, 1] * y0
        fg = cv2.warpAffine(
            source.image,
            shifted,
            (x1 - x0, y1 - y0),
            flags=flags,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(0, 0, 0, 0),
        )
        region = out[y0:y1, x0:x1]
        inverse = cv2.bitwise_not(fg[:, :, 3])
        cv2.multiply(region, cv2.merge([inverse] * 4), dst=region, scale=1 / 255)
        cv2.add(region, fg, dst=region)
        return out

    # -- transitions and finishing ----------------------------------------------------------

    def _compose(
        self,
        frame: int,
        active: list[int],
        live: dict[int, _Source],
        transitions: dict[int, Transition],
    ) -> U8:
        shots = self.timeline.shots
        first = active[0]
        if len(active) == 1 or first not in transitions:
            return self._render_shot(shots[first], live[first], frame, 0)
        t = transitions[first]
        p = t.progress(frame)
        if t.kind in _ONE_SIDED:
            # Dips show one photo at a time: render only the one on screen.
            shown = first if p < 0.5 else active[1]
            only = self._render_shot(shots[shown], live[shown], frame, 0)
            return self._blend(t.kind, only, only, p)
        a = self._render_shot(shots[first], live[first], frame, 0)
        b = self._render_shot(shots[active[1]], live[active[1]], frame, 1)
        return self._blend(t.kind, a, b, p)

    def _blend(self, kind: TransitionKind, a: U8, b: U8, p: float) -> U8:
        eased = p * p * (3 - 2 * p)
        if kind is TransitionKind.CUT:
            return b if p >= 0.5 else a
        if kind is TransitionKind.DISSOLVE:
            return np.asarray(cv2.addWeighted(a, 1 - p, b, p, 0.0, dst=a))
        if kind is TransitionKind.DIP_BLACK:
            shown, level = (a, 1 - 2 * p) if p < 0.5 else (b, 2 * p - 1)
            return np.asarray(cv2.convertScaleAbs(shown, dst=shown, alpha=level))
        if kind is TransitionKind.DIP_WHITE:
            q = 1 - abs(2 * p - 1)  # 0 → 1 at the middle → 0
            base = a if p < 0.5 else b
            if self._flash is None:
                self._flash = np.full(base.shape, (*WHITE_FLASH, 255), dtype=np.uint8)
            return np.asarray(
                cv2.addWeighted(base, 1 - q * 0.85, self._flash, q * 0.85, 0.0, dst=base)
            )
        if kind is TransitionKind.SLIDE_LEFT:
            return _push(a, b, eased, axis=1)
        if kind is TransitionKind.SLIDE_UP:
            return _push(a, b, eased, axis=0)
        return _wipe(a, b, eased)

    def _finish(self, frame: int, picture: U8) -> U8:
        tl = self.timeline
        self._frame = self._ring[frame % RING_SIZE]
        fade = 1.0
        if frame < tl.fade_in_frames:
            fade = (frame + 1) / (tl.fade_in_frames + 1)
        elif frame >= tl.frames - tl.fade_out_frames:
            fade = (tl.frames - frame) / (tl.fade_out_frames + 1)
        if fade < 1.0:
            cv2.convertScaleAbs(picture, dst=picture, alpha=fade)
        self._put_picture(picture)
        if self._vignette is not None:
            # On luma only: a third of the work of an RGB multiply, and at these strengths the
            # chroma left as it is cannot be told apart.
            px, py, pw, ph = self._pic
            luma = self._frame[py : py + ph, px : px + pw]
            cv2.multiply(luma, self._vignette, dst=luma, scale=1 / 255)
        if self._grain is not None:
            px, py, pw, ph = self._pic
            self._grain.apply(self._frame[py : py + ph, px : px + pw])
        if frame == tl.poster_frame:
            self.poster = np.asarray(
                cv2.cvtColor(self._frame, cv2.COLOR_YUV2BGR_I420), dtype=np.uint8
            )
        return self._frame

    def _put_picture(self, picture: U8) -> None:
        px, py, pw, ph = self._pic
        w, h = self.timeline.width, self.timeline.height
        if (px, py, pw, ph) == (0, 0, w, h):
            cv2.cvtColor(picture, cv2.COLOR_RGBA2YUV_I420, dst=self._frame)
            return
        yuv: U8 = np.asarray(cv2.cvtColor(picture, cv2.COLOR_RGBA2YUV_I420, dst=self._yuv))
        # Letterbox: copy each plane of the picture into the rows it owns in the frame.
        y_plane, u_plane, v_plane = _planes(self._frame, w, h)
        py_, pu, pv = _planes(yuv, pw, ph)
        y_plane[py : py + ph, px : px + pw] = py_
        u_plane[py // 2 : (py + ph) // 2, px // 2 : (px + pw) // 2] = pu
        v_plane[py // 2 : (py + ph) // 2, px // 2 : (px + pw) // 2] = pv

    def _fill_letterbox(self, buffer: U8) -> None:
        w, h = self.timeline.width, self.timeline.height
        y_plane, u_plane, v_plane = _planes(buffer, w, h)
        y_plane[:] = 16  # video black
        u_plane[:] = 128
        v_plane[:] = 128


def _planes(buf: U8, width: int, height: int) -> tuple[U8, U8, U8]:
    """Views of the Y, U and V planes of a contiguous I420 buffer."""
    flat = buf.reshape(-1)
    y_size, c_size = width * height, (width // 2) * (height // 2)
    y = flat[:y_size].reshape(height, width)
    u = flat[y_size : y_size + c_size].reshape(height // 2, width // 2)
    v = flat[y_size + c_size : y_size + 2 * c_size].reshape(height // 2, width // 2)
    return y, u, v


def _affine(rect: Rect, src_w: int, src_h: int, out_w: int, out_h: int) -> NDArray[np.float64]:
    """Output pixel → source pixel, with pixel centres at +0.5 so nothing drifts by half a pixel."""
    sx = rect.w * src_w / out_w
    sy = rect.h * src_h / out_h
    tx = rect.x * src_w + 0.5 * sx - 0.5
    ty = rect.y * src_h + 0.5 * sy - 0.5
    return np.array([[sx, 0.0, tx], [0.0, sy, ty]], dtype=np.float64)


def _footprint(
    matrix: NDArray[np.float64], src_w: int, src_h: int, out_w: int, out_h: int
) -> tuple[int, int, int, int]:
    """The output pixels a warped source can touch (its box plus one pixel of anti-aliasing)."""
    sx, tx, sy, ty = matrix[0, 0], matrix[0, 2], matrix[1, 1], matrix[1, 2]
    x0 = max(0, math.floor((-0.5 - tx) / sx) - 1)
    x1 = min(out_w, math.ceil((src_w - 0.5 - tx) / sx) + 2)
    y0 = max(0, math.floor((-0.5 - ty) / sy) - 1)
    y1 = min(out_h, math.ceil((src_h - 0.5 - ty) / sy) + 2)
    return x0, y0, x1, y1


def _dim(image: U8, factor: float) -> U8:
    return np.asarray(cv2.convertScaleAbs(image, alpha=max(0.0, factor)), dtype=np.uint8)


def _push(a: U8, b: U8, p: float, *, axis: int) -> U8:
    """``b`` pushes ``a`` out: left for axis 1, up for axis 0."""
    size = a.shape[axis]
    off = min(size, max(0, round(p * size)))
    if axis == 1:
        return np.ascontiguousarray(np.concatenate([a[:, off:], b[:, :off]], axis=1))
    return np.ascontiguousarray(np.concatenate([a[off:], b[:off]], axis=0))


def _wipe(a: U8, b: U8, p: float) -> U8:
    """A soft-edged wipe: ``b`` is revealed from the right edge towards the left."""
    w = a.shape[1]
    band = max(8, w // 24)
    edge = round((1 - p) * (w + band)) - band
    out = a.copy()
    right = max(0, edge + band)
    out[:, right:] = b[:, right:]
    lo, hi = max(0, edge), min(w, edge + band)
    if hi > lo:
        ramp = ((np.arange(lo, hi, dtype=np.float32) - edge) / band)[None, :, None]
        mixed = a[:, lo:hi] * (1 - ramp) + b[:, lo:hi] * ramp
        out[:, lo:hi] = mixed.astype(np.uint8)
    return out
