# ruff: noqa: S108
# (a local benchmark: phone photos cached in /tmp)
"""AI suggestion benchmark: 24 phone photos (4032×3024 JPEG) drafted at the default settings
through the real adapter and the official client, against the loopback fake OpenAI.

Usage: .venv/bin/python -m projects.bench.ai_bench [--photos 24] [--runs 3]

Prints what one request sends (bytes, per photo and in all), the time to prepare the photos and
the round trip against the fake (so: our cost, not the model's thinking time), and an estimate of
the tokens OpenAI would bill, from its published image-token rules and ~4 characters a token for
text. The fake's own ``usage`` figures are made up, so they are not reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photomemory.settings.base")
django.setup()

from django.conf import settings  # noqa: E402

from projects.ai import DraftOptions, PhotoInput  # noqa: E402
from projects.ai.config import ai_settings  # noqa: E402
from projects.ai.images import prepare_image  # noqa: E402
from projects.ai.openai_adapter import INSTRUCTIONS, OpenAiDrafter  # noqa: E402
from rendering.bench.phone_photos import build_phone_photos  # noqa: E402
from tests.projects.ai.fake_openai import running_fake  # noqa: E402

# Image tokens at detail "low" (OpenAI's vision pricing pages): a flat 85 for the gpt-4o and
# gpt-4.1 families; gpt-4o-mini bills images at 2,833 tokens each to keep its price per image.
LOW_DETAIL_IMAGE_TOKENS = {"gpt-4o-mini": 2833, "gpt-4o": 85, "gpt-4.1": 85, "gpt-4.1-mini": 85}
CHARS_PER_TOKEN = 4
# A realistic answer: a 12-word caption and a reason per photo, a title, a 3-sentence story.
ANSWER_WORDS_PER_PHOTO = 12 + 8


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = build_phone_photos(Path("/tmp/pm-bench-photos"), args.photos)
    originals = [p.read_bytes() for p in paths]

    prepare_s, round_trip_s = [], []
    with running_fake() as fake:
        settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = "sk-bench", fake.url
        drafter = OpenAiDrafter(ai_settings())
        for _ in range(args.runs):
            began = time.perf_counter()
            photos = [
                PhotoInput(f"photo-{i}", prepare_image(data), month=date(2024, 7, 1))
                for i, data in enumerate(originals)
            ]
            prepared = time.perf_counter()
            drafter.draft_story(photos, DraftOptions(user_public_id="bench"))
            prepare_s.append(prepared - began)
            round_trip_s.append(time.perf_counter() - prepared)
        body = fake.raw_bodies[-1]
        sent = json.loads(body)

    jpeg_sizes = [len(p.jpeg) for p in photos]
    text_chars = len(INSTRUCTIONS) + sum(
        len(part["text"]) for part in sent["input"][0]["content"] if part["type"] == "input_text"
    )
    schema_chars = len(json.dumps(sent["text"]))
    model = settings.OPENAI_MODEL
    per_image = LOW_DETAIL_IMAGE_TOKENS.get(model, 85)
    text_tokens = (text_chars + schema_chars) // CHARS_PER_TOKEN
    output_tokens = int(args.photos * ANSWER_WORDS_PER_PHOTO * 1.4 + 120)
    print(f"photos: {args.photos} phone JPEGs, {sum(map(len, originals)) / 1e6:.1f} MB in all")
    print(f"model: {model}, detail low, max_output_tokens {settings.OPENAI_MAX_OUTPUT_TOKENS}")
    print(
        f"sent: one request of {len(body) / 1024:.0f} KiB; images {min(jpeg_sizes) / 1024:.0f}–"
        f"{max(jpeg_sizes) / 1024:.0f} KiB each, ≤768 px, no EXIF"
    )
    print(f"prepare {args.photos} photos: median {statistics.median(prepare_s):.2f} s")
    print(f"round trip to the fake: median {statistics.median(round_trip_s) * 1000:.0f} ms")
    print(
        f"estimated tokens: input {args.photos * per_image + text_tokens} "
        f"({args.photos} × {per_image} image + ~{text_tokens} text and schema), "
        f"output ~{output_tokens}"
    )


if __name__ == "__main__":
    main()
