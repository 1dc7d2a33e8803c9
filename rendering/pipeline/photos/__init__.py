"""Photo decoding, normalisation and analysis for the render pipeline.

``inspect_photo`` validates a file by decoding it and returns a ``PhotoInfo`` (size, EXIF facts,
sharpness, perceptual hash, subject box); ``load_photo`` returns upright sRGB pixels, optionally
scaled to cover a frame (``load_photo_array``: as a numpy array, one copy fewer). All raise
``rendering.pipeline.errors.UnusablePhoto`` with a one-line reason a user can read. No Django here.

Decisions worth knowing:

- Formats are an allow-list: JPEG (incl. MPO), PNG, HEIF, WebP, GIF (first frame), TIFF.
  BMP, SVG, PDF, AVIF and the rest are refused by name when their signature is recognisable.
- A photo needs at least 64 px on each side (``decode.MIN_SIDE``); smaller would be a smear on
  a 1080p frame.
- The pixel limit is checked from the header, before any pixel memory exists. Pillow's own
  bomb check (~179 MP) stays a hard ceiling above ``max_megapixels``.
- HEIF arrives upright from libheif; its EXIF orientation is reported but not applied again.
- Sizes and boxes are always in upright (displayed) coordinates.
"""

from .analysis import phash_distance
from .api import inspect_photo, load_photo, load_photo_array
from .model import Box, PhotoInfo

__all__ = ["Box", "PhotoInfo", "inspect_photo", "load_photo", "load_photo_array", "phash_distance"]
