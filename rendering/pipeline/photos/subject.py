"""Where the subject of a photo is: faces first, else the most salient region, else the centre.

The render plans its camera motion around this box, so a wrong face is worse than no face: the
detector is tuned for precision (frontal faces, strict neighbour count, a minimum size).
"""

from __future__ import annotations

import importlib
import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from .analysis import GreyArray, resize_long_side
from .model import CENTRE_BOX, Box

FloatArray = npt.NDArray[np.float32]

FACE_SIDE = 640
# alt2 gave no false positives on our samples at this strictness where "default" did;
# the profile cascade doubled the cost and found nothing the frontal one missed.
_CASCADE = "haarcascade_frontalface_alt2.xml"
_FACE_SCALE_STEP = 1.2
_FACE_MIN_NEIGHBOURS = 5
# Faces under a tenth of the short side do not steer framing, and skipping those scales halves
# the cost (measured on 2 cores: ~25 ms instead of ~50 ms for a 640 px copy).
_FACE_MIN_FRACTION = 1 / 10
# A face box covers brows to mouth; grow it to take in hair, ears, chin and some shoulder.
_FACE_PAD = {"left": 0.3, "top": 0.4, "right": 0.3, "bottom": 0.5}

_SALIENCY_SIDE = 64
_SALIENT_SPREAD = 1.5  # standard deviations either side of the saliency centre
_SALIENT_MIN_AREA = 0.01
_SALIENT_MAX_AREA = 0.85  # a "subject" filling the frame is no subject: use the centre
_FLAT_STDDEV = 2.0


@dataclass(frozen=True, slots=True)
class Subject:
    """The framing hint for one photo."""

    box: Box
    kind: str  # "faces" | "salient" | "centre"
    faces: tuple[Box, ...]


def find_subject(grey: GreyArray) -> Subject:
    """Faces (their padded union), else the salient region, else a centred box."""
    faces = detect_faces(grey)
    if faces:
        union = faces[0]
        for face in faces[1:]:
            union = union.union(face)
        return Subject(union, "faces", faces)
    salient = salient_box(grey)
    if salient is not None:
        return Subject(salient, "salient", ())
    return Subject(CENTRE_BOX, "centre", ())


def detect_faces(grey: GreyArray) -> tuple[Box, ...]:
    """Frontal faces, padded to include hair and chin, largest first."""
    small = cv2.equalizeHist(resize_long_side(grey, FACE_SIDE))
    h, w = small.shape
    side = max(24, round(min(h, w) * _FACE_MIN_FRACTION))
    found = _cascade().detectMultiScale(
        small,
        scaleFactor=_FACE_SCALE_STEP,
        minNeighbors=_FACE_MIN_NEIGHBOURS,
        minSize=(side, side),
    )
    boxes = [
        Box.from_pixels(float(x), float(y), float(fw), float(fh), w, h) for x, y, fw, fh in found
    ]
    boxes.sort(key=lambda box: box.area, reverse=True)
    return tuple(box.expanded(**_FACE_PAD) for box in boxes)


def salient_box(grey: GreyArray) -> Box | None:
    """Where the spectral-residual saliency concentrates: its weighted centre ± 1.5 standard
    deviations, or None for flat photos and ones with no concentrated saliency."""
    if float(grey.std()) < _FLAT_STDDEV:
        return None
    saliency = spectral_residual(grey)
    # Thresholding into blobs picked single sparkles (a spoon, an eye); the spread of the
    # above-average saliency frames the whole subject (cup, both eyes) instead.
    weights = np.clip(saliency - float(saliency.mean()), 0, None).astype(np.float64)
    total = float(weights.sum())
    if total <= 0:
        return None
    weights /= total
    ys, xs = np.mgrid[0:_SALIENCY_SIDE, 0:_SALIENCY_SIDE].astype(np.float64) + 0.5
    cx, cy = float((weights * xs).sum()), float((weights * ys).sum())
    sx = math.sqrt(float((weights * (xs - cx) ** 2).sum()))
    sy = math.sqrt(float((weights * (ys - cy) ** 2).sum()))
    k, side = _SALIENT_SPREAD, _SALIENCY_SIDE
    box = Box.from_edges(
        (cx - k * sx) / side, (cy - k * sy) / side, (cx + k * sx) / side, (cy + k * sy) / side
    )
    if not _SALIENT_MIN_AREA <= box.area <= _SALIENT_MAX_AREA:
        return None
    return box


def spectral_residual(grey: GreyArray) -> FloatArray:
    """Hou & Zhang (2007) spectral-residual saliency, 64×64 (aspect ignored, as in the paper)."""
    small = cv2.resize(grey, (_SALIENCY_SIDE, _SALIENCY_SIDE), interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fft2(small.astype(np.float32))
    log_amplitude = np.log(np.abs(spectrum) + 1e-6).astype(np.float32)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    recombined = np.exp(residual + 1j * np.angle(spectrum))
    saliency = (np.abs(np.fft.ifft2(recombined)) ** 2).astype(np.float32)
    return np.asarray(cv2.GaussianBlur(saliency, (0, 0), sigmaX=2.5), dtype=np.float32)


_local = threading.local()


def _cascade() -> cv2.CascadeClassifier:
    # One classifier per thread: detectMultiScale keeps scratch state in the object and is not
    # thread-safe (two web threads ingesting at once crashed in OpenCV's vector range check).
    # Loading parses a ~0.5 MB XML file, so each thread does it once, not once per photo.
    classifier: cv2.CascadeClassifier | None = getattr(_local, "cascade", None)
    if classifier is None:
        # cv2.data has no type stubs; it only holds the directory of the bundled cascades.
        cascades_dir: str = importlib.import_module("cv2.data").haarcascades
        classifier = cv2.CascadeClassifier(cascades_dir + _CASCADE)
        if classifier.empty():
            raise RuntimeError(f"OpenCV cascade {_CASCADE} is missing from the cv2 wheel")
        _local.cascade = classifier
    return classifier
