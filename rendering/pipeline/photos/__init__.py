"""Photo decoding, normalisation and analysis for the render pipeline.

``inspect_photo`` validates a file by decoding it and returns a ``PhotoInfo`` (size, EXIF facts,
sharpness, perceptual hash, subject box); ``load_photo`` returns upright sRGB pixels, optionally
scaled to cover a frame. Both raise ``rendering.pipeline.errors.UnusablePhoto`` with a one-line
reason a user can read. No Django here.
"""

from .analysis import phash_distance
from .api import inspect_photo, load_photo
from .model import Box, PhotoInfo

__all__ = ["Box", "PhotoInfo", "inspect_photo", "load_photo", "phash_distance"]
