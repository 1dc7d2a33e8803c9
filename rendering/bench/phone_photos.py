"""Phone-size test photos (4032×3024 JPEG, some portrait) built from the bundled samples.

The samples are upscaled and given sensor-like noise so the encoder sees real photo texture, and
carry EXIF capture dates and orientation the way a phone writes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "photos"
PHONE = (4032, 3024)


def build_phone_photos(folder: Path, count: int, *, seed: int = 1) -> list[Path]:
    """Write ``count`` phone-size JPEGs into ``folder`` (reused if already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in SAMPLES.glob("*.jpg"))
    rng = np.random.default_rng(seed)
    start = datetime(2024, 7, 1, 10, 0, 0)
    paths = []
    for i in range(count):
        path = folder / f"IMG_{1000 + i:04d}.jpg"
        paths.append(path)
        if path.exists():
            continue
        portrait = i % 4 == 3  # a quarter of them held upright, as people do
        size = (PHONE[1], PHONE[0]) if portrait else PHONE
        with Image.open(sources[i % len(sources)]) as src:
            image = ImageOps.fit(src.convert("RGB"), size, Image.Resampling.LANCZOS)
        noisy = np.asarray(image, dtype=np.int16) + rng.normal(0, 3.0, (size[1], size[0], 1))
        image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
        exif = Image.Exif()
        exif[0x010F] = "Apple"
        exif[0x0110] = "iPhone 15"
        taken = (start + timedelta(hours=5 * i)).strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9003] = taken
        image.save(path, "JPEG", quality=90, exif=exif)
    return paths
