"""Where the subject of a photo is: faces first, else the most salient region, else the centre.

The render plans its camera motion around this box, so a wrong face is worse than no face: the
detector is tuned for precision (frontal faces, strict neighbour count, a minimum size).
"""

from __future__ import annotations

import functools
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
_FACE_MIN_FRACTION = 1 / 12  # of the short side: smaller faces do not steer framing
# A face box covers brows to mouth; grow it to take in hair, ears, chin and some shoulder.
_FACE_PAD = {"left": 0.3, "top": 0.4, "right": 0.3, "bottom": 0.5}

_SALIENCY_SIDE = 64
_SALIENCY_THRESHOLD = 3.0  # × mean saliency, as in Hou & Zhang (2007)
_SALIENT_MIN_AREA = 0.01
_SALIENT_MAX_AREA = 0.9
_SALIENT_PAD = 0.1
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
    boxes = [Box.from_pixels(*(float(v) for v in rect), w, h) for rect in found]
    boxes.sort(key=lambda box: box.area, reverse=True)
    return tuple(box.expanded(**_FACE_PAD) for box in boxes)


def salient_box(grey: GreyArray) -> Box | None:
    """The bounding box of the strongest salient blob (spectral residual), or None."""
    if float(grey.std()) < _FLAT_STDDEV:
        return None
    saliency = spectral_residual(grey)
    mask = (saliency > _SALIENCY_THRESHOLD * float(saliency.mean())).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    weights = np.bincount(labels.ravel(), weights=saliency.ravel(), minlength=count)
    best = int(np.argmax(weights[1:])) + 1
    x, y, bw, bh, _ = (int(v) for v in stats[best])
    box = Box.from_pixels(x, y, bw, bh, _SALIENCY_SIDE, _SALIENCY_SIDE).padded(_SALIENT_PAD)
    if not _SALIENT_MIN_AREA <= box.area <= _SALIENT_MAX_AREA:
        return None
    return box


def spectral_residual(grey: GreyArray) -> FloatArray:
    """Hou & Zhang's spectral-residual saliency map, 64×64 (aspect ignored, as in the paper)."""
    small = cv2.resize(grey, (_SALIENCY_SIDE, _SALIENCY_SIDE), interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fft2(small.astype(np.float32))
    log_amplitude = np.log(np.abs(spectrum) + 1e-6).astype(np.float32)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    recombined = np.exp(residual + 1j * np.angle(spectrum))
    saliency = (np.abs(np.fft.ifft2(recombined)) ** 2).astype(np.float32)
    out: FloatArray = cv2.GaussianBlur(saliency, (0, 0), sigmaX=2.5)
    return out


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    # Loading parses a ~0.5 MB XML file: once per process, not once per photo.
    classifier = cv2.CascadeClassifier(str(cv2.data.haarcascades) + _CASCADE)
    if classifier.empty():
        raise RuntimeError(f"OpenCV cascade {_CASCADE} is missing from the cv2 wheel")
    return classifier
