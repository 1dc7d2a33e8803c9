"""Render-engine benchmark: our pipeline against the encoder floor and MoviePy.

    python -m rendering.bench.render_bench [--photos 24] [--also 96] [--repeat 3]
        [--content-floor] [--no-moviepy]

Each contender runs in its own process so peak RSS (the process and its FFmpeg children,
sampled every 20 ms) is its own. Prints wall time (median), realtime factor, ratio to the floor,
speed-up over MoviePy and peak RSS. ``--content-floor`` also times, on our own frames read from
a file, x264 alone and then our render's whole FFmpeg command. That splits the ratio to the
floor into what our pictures cost the encoder, what captions and music add, and what making
the frames adds (analysing and decoding the photos, drawing every frame, the pipe).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from .phone_photos import build_phone_photos

OUT = Path("bench-out")
SECONDS_PER_PHOTO = 3.0
TRANSITION = 0.75


@dataclass
class Run:
    wall: float
    peak_rss_mb: float
    video_seconds: float
    cpu: float = 0.0  # user + system seconds of the whole process tree


def measure(argv: list[str]) -> Run:
    """Run a command, sampling the RSS of its whole process tree; returns wall time and peak."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = psutil.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            try:
                procs = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(argv)}\n{err.decode()[-2000:]}")
    lines = out.decode().strip().splitlines()
    seconds = float(json.loads(lines[-1])["video_seconds"]) if lines else 0.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, peak / 2**20, seconds, cpu)


def median_run(argv: list[str], repeat: int) -> Run:
    return median_of([measure(argv) for _ in range(repeat)])


def median_of(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        max(r.peak_rss_mb for r in runs),
        runs[0].video_seconds,
        statistics.median(r.cpu for r in runs),
    )


def interleaved(commands: list[list[str]], repeat: int) -> list[Run]:
    """Medians of commands run turn about, so a machine that speeds up or slows down during the
    benchmark (a shared host can drift by ±15 % over minutes) weighs on all of them."""
    rounds = [[measure(argv) for argv in commands] for _ in range(repeat)]
    return [median_of([runs[i] for runs in rounds]) for i in range(len(commands))]


def contender(name: str, photos_dir: Path, count: int, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rendering.bench.contenders",
        name,
        "--photos",
        str(photos_dir),
        "--count",
        str(count),
        "--out",
        str(out),
        "--seconds-per-photo",
        str(SECONDS_PER_PHOTO),
        "--transition",
        str(TRANSITION),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument(
        "--also", type=int, default=96, help="a second photo count for RSS (0: skip)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--moviepy-repeat", type=int, default=1)
    parser.add_argument("--no-moviepy", action="store_true")
    parser.add_argument(
        "--content-floor",
        action="store_true",
        help="also time x264 alone, then our whole FFmpeg command, on our own frames read from a "
        "file (written raw first: 7 GB)",
    )
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    photos_dir = OUT / "photos"
    build_phone_photos(photos_dir, max(args.photos, args.also))
    print(
        f"photos: {args.photos} phone-size JPEGs (4032×3024, every 4th portrait), 1080p30, "
        f"{SECONDS_PER_PHOTO:g} s each, {TRANSITION:g} s transitions, title, captions, music"
    )

    commands = [
        contender("ours", photos_dir, args.photos, OUT / "ours.mp4"),
        contender("floor", photos_dir, args.photos, OUT / "floor.mp4"),
    ]
    raw = OUT / "content.nv12"
    if args.content_floor:
        measure(contender("frames", photos_dir, args.photos, raw))
        for name in ("content", "encode"):
            commands.append(contender(name, photos_dir, args.photos, raw.with_suffix(".mp4")))
    try:
        ours, floor, *more = interleaved(commands, args.repeat)
    finally:
        for leftover in (raw, raw.with_suffix(".json"), raw.with_name("text.ass")):
            leftover.unlink(missing_ok=True)
    rows = [("encoder floor (testsrc2)", floor)]
    if more:
        rows.append(("encoder on our frames", more[0]))
        rows.append(("+ captions, music", more[1]))
    rows.append(("photomemory", ours))
    moviepy = None
    if not args.no_moviepy:
        moviepy = median_run(
            contender("moviepy", photos_dir, args.photos, OUT / "moviepy.mp4"), args.moviepy_repeat
        )
        rows.append(("moviepy", moviepy))

    print(f"\n{'contender':28} {'wall s':>8} {'CPU s':>8} {'× realtime':>11} {'peak RSS MB':>12}")
    for name, run in rows:
        print(
            f"{name:28} {run.wall:8.1f} {run.cpu:8.1f} {run.video_seconds / run.wall:11.2f} "
            f"{run.peak_rss_mb:12.0f}"
        )
    print(f"\nvideo length: {ours.video_seconds:.1f} s")
    print(f"ratio to the encoder floor: {ours.wall / floor.wall:.2f}× (target ≤ 1.5×)")
    if more:
        content, encode = more
        print(
            f"  = {content.wall / floor.wall:.2f}× (x264 on our pictures rather than testsrc2)"
            f" × {encode.wall / content.wall:.2f}× (captions, music)"
            f" × {ours.wall / encode.wall:.2f}× (making the frames: analysis, decoding, drawing)"
        )
    if moviepy is not None:
        print(f"speed-up over MoviePy: {moviepy.wall / ours.wall:.1f}× (target ≥ 10×)")
    if args.also:
        big = median_run(contender("ours", photos_dir, args.also, OUT / "ours_big.mp4"), 1)
        print(
            f"peak RSS with {args.photos} photos: {ours.peak_rss_mb:.0f} MB; "
            f"with {args.also} photos: {big.peak_rss_mb:.0f} MB (target ≤ 500 MB, flat); "
            f"{args.also} photos at {big.video_seconds / big.wall:.2f}× realtime"
        )


if __name__ == "__main__":
    main()
