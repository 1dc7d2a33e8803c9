"""Requests within the API's documented limits for ``translateText`` (Cloud Translation v3)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

MAX_STRINGS = 1024
MAX_CODEPOINTS = 30_000


def batches(texts: Sequence[str]) -> Iterator[list[str]]:
    """``texts`` cut into requests of at most 1024 strings and 30,000 codepoints, order kept.

    A single line over the codepoint limit goes alone: the service then says what it thinks.
    """
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) == MAX_STRINGS or size + len(text) > MAX_CODEPOINTS):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch
