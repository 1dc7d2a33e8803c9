"""Photo analysis runs in web threads and Celery threads at once: it must not share state."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rendering.pipeline.photos import inspect_photo

SAMPLES = Path(__file__).resolve().parents[2] / "rendering" / "samples" / "photos"


def test_it_gives_each_photo_its_own_answer_when_many_threads_inspect_at_once() -> None:
    # Photos of different sizes at once: a shared face detector resizes its scratch buffers
    # under another thread's feet and crashes inside OpenCV.
    photos = sorted(SAMPLES.glob("*.jpg"))
    alone = {p.name: inspect_photo(p).faces for p in photos}

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(inspect_photo, photos * 16))

    assert any(alone.values()), "the samples include a face"
    assert all(r.faces == alone[r.name] for r in results)
