"""Frames lent to the encoder pipe (vmsplice) arrive intact although their buffers are reused."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rendering.pipeline import pipes
from rendering.pipeline.execute import WRITE_AHEAD, run_encoder

SLOW_READER = """
import sys, time
with open(sys.argv[1], "wb") as out:
    while chunk := sys.stdin.buffer.read1(32768):
        out.write(chunk)
        time.sleep(0.0005)
"""


def ring_of_frames(width: int, height: int, count: int, ring: int) -> Iterator[np.ndarray]:
    """Frame i is filled with the value i (mod 251) and then a gradient, drawn into a ring of
    buffers the way the synthesiser does: a buffer is rewritten when its turn comes round."""
    buffers = [np.empty((height, width), np.uint8) for _ in range(ring)]
    ramp = np.arange(width * height, dtype=np.uint32).reshape(height, width)
    for i in range(count):
        frame = buffers[i % ring]
        frame[:] = ((ramp + i * 7) % 251).astype(np.uint8)
        yield frame


@pytest.mark.parametrize(
    ("width", "height"),
    [(1280, 1080), (96, 64)],  # a frame bigger than the pipe, and one 170 times smaller
)
def test_every_frame_reaches_the_encoder_as_it_was_drawn(
    tmp_path: Path, width: int, height: int
) -> None:
    count = 60
    ring = pipes.ring_size(width * height, write_ahead=WRITE_AHEAD)
    out = tmp_path / "copy.raw"
    # A reader slower than the writer, so the pipe stays full and the writer runs ahead as far
    # as it can: the worst case for a buffer rewritten while the pipe still holds it.
    argv = [sys.executable, "-c", SLOW_READER, str(out)]

    run_encoder(argv, ring_of_frames(width, height, count, ring), total_frames=count, ring=ring)

    got = np.fromfile(out, np.uint8).reshape(count, height, width)
    expected = ring_of_frames(width, height, count, count)  # fresh buffers: nothing reused
    for i, frame in enumerate(expected):
        assert np.array_equal(got[i], frame), f"frame {i} changed on its way to the encoder"


def test_frames_are_lent_only_when_the_ring_outlasts_a_full_pipe() -> None:
    frame = 3_110_400  # a 1080p I420 frame
    ring = pipes.ring_size(frame, write_ahead=1)
    assert ring == 4
    assert pipes.lends_safely(ring, frame, write_ahead=1, capacity=1 << 20)
    assert not pipes.lends_safely(3, frame, write_ahead=1, capacity=1 << 20)
    assert not pipes.lends_safely(ring, 1000, write_ahead=1, capacity=1 << 20)  # tiny frames
    assert not pipes.lends_safely(ring, frame, write_ahead=1, capacity=0)  # capacity unknown
