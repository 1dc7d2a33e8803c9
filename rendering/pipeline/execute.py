"""Stage 3 — execute: the only module that starts FFmpeg.

Every FFmpeg run is an argv list (no shell) in its own process group, so a timeout or a cancel
kills FFmpeg and anything it started in one signal. ``-progress`` output is parsed into a
callback; the tail of stderr is kept for the error message.
"""

from __future__ import annotations

import collections
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from . import pipes
from .errors import RenderCancelled, RenderFailed, RenderTimeout

STDERR_TAIL_LINES = 30
WATCH_INTERVAL = 0.1  # seconds between checks for cancel and timeout: kill lands well under 2 s
WRITE_AHEAD = 1  # frames made ahead of the encoder pipe (a source's ring must exceed this + 1)
_END = object()


def ffmpeg_binary(configured: str = "") -> str:
    """The configured FFmpeg, else the static one from the imageio-ffmpeg wheel."""
    if configured:
        return configured
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass(frozen=True, slots=True)
class Progress:
    frame: int
    total: int
    elapsed: float

    @property
    def fraction(self) -> float:
        return min(1.0, self.frame / self.total) if self.total else 0.0

    @property
    def eta(self) -> float | None:
        if self.frame <= 0:
            return None
        return self.elapsed * (self.total - self.frame) / self.frame


ProgressCallback = Callable[[Progress], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Captured:
    returncode: int
    stdout: bytes
    stderr: str


class _Process:
    """A running FFmpeg in its own session, with readers for progress and stderr."""

    def __init__(self, argv: list[str], *, env: Mapping[str, str] | None, stdin: int | None):
        merged = {**os.environ, **env} if env else None
        self.popen = subprocess.Popen(  # noqa: S603 — argv built by compile.py, never a shell
            argv,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=merged,
        )
        self.tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._stderr = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr.start()
        self.killed_because: str | None = None

    def _read_stderr(self) -> None:
        if self.popen.stderr is None:
            return
        for raw in self.popen.stderr:
            self.tail.append(raw.decode("utf-8", "replace").rstrip())

    def kill(self, because: str) -> None:
        """SIGKILL the whole process group: FFmpeg cannot ignore it or leave children behind."""
        if self.killed_because is None:
            self.killed_because = because
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self) -> int:
        code = self.popen.wait()
        self._stderr.join(timeout=5)
        return code

    @property
    def stderr_tail(self) -> str:
        return "\n".join(self.tail)


def run_encoder(
    argv: list[str],
    frames: Iterable[Any],
    *,
    total_frames: int,
    env: Mapping[str, str] | None = None,
    on_progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    timeout: float | None = None,
    ring: int = 0,
) -> None:
    """Run FFmpeg, feeding it ``frames`` (buffers) on stdin, until it has written its output.

    Raises ``RenderCancelled`` or ``RenderTimeout`` after killing FFmpeg, and ``RenderFailed``
    with FFmpeg's stderr tail when it exits non-zero. The frame iterator is closed on every path,
    so its loader threads end too. ``ring``: the iterator yields its buffers in turn from that
    many and rewrites one only when its turn comes round again; with enough of them the frames
    are lent to the pipe instead of copied (see ``pipes``).
    """
    started = time.monotonic()
    proc = _Process(argv, env=env, stdin=subprocess.PIPE)
    stop = threading.Event()
    watcher = threading.Thread(
        target=_watch, args=(proc, stop, should_cancel, timeout, started), daemon=True
    )
    watcher.start()
    progress = threading.Thread(
        target=_read_progress,
        args=(proc.popen.stdout, total_frames, started, on_progress),
        daemon=True,
    )
    progress.start()
    try:
        pipe = _feed(proc, frames, ring)
        code = proc.wait()
        del pipe  # frames lent to the pipe stay alive until FFmpeg has read them
    except BaseException:
        proc.kill("error")
        proc.wait()
        raise
    finally:
        stop.set()
        watcher.join(timeout=2)
        progress.join(timeout=2)
        close = getattr(frames, "close", None)
        if close is not None:
            close()
    _raise_for(proc, code, timeout)


def _feed(proc: _Process, frames: Iterable[Any], ring: int) -> pipes.FrameWriter:
    """Write frames to FFmpeg from a helper thread while this one makes the next frames.

    Without the hand-off, making a frame and waiting for the encoder to take the previous one
    would alternate, and the two cores would take turns instead of working together.
    """
    stdin = proc.popen.stdin
    if stdin is None:
        raise RenderFailed("the encoder has no input pipe")
    pipe = pipes.FrameWriter(stdin, ring=ring, write_ahead=WRITE_AHEAD)
    ahead: queue.Queue[Any] = queue.Queue(maxsize=WRITE_AHEAD)
    broken = threading.Event()

    def write() -> None:
        try:
            while (frame := ahead.get()) is not _END:
                pipe.write(frame)
        except (BrokenPipeError, ValueError, OSError):
            broken.set()  # FFmpeg died or was killed: its exit status tells why
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    writer = threading.Thread(target=write, name="encoder-feed", daemon=True)
    writer.start()
    try:
        for frame in frames:
            if not _hand_over(ahead, frame, broken, proc):
                break
    except BaseException:
        # Interrupted here (a Celery soft time limit, Ctrl-C, a frame that failed): kill FFmpeg
        # first, or a writer blocked on an encoder that stopped reading would never return.
        proc.kill("error")
        raise
    finally:
        _hand_over(ahead, _END, broken, proc)
        writer.join()
    return pipe


def _hand_over(ahead: queue.Queue[Any], item: Any, broken: threading.Event, proc: _Process) -> bool:
    while not broken.is_set() and proc.killed_because is None:
        try:
            ahead.put(item, timeout=WATCH_INTERVAL)
            return True
        except queue.Full:
            continue
    if item is _END:
        try:  # the writer may still be blocked on a full queue: give it the sentinel
            ahead.put_nowait(item)
        except queue.Full:
            pass
    return False


def _watch(
    proc: _Process,
    stop: threading.Event,
    should_cancel: CancelCheck | None,
    timeout: float | None,
    started: float,
) -> None:
    while not stop.wait(WATCH_INTERVAL):
        if proc.popen.poll() is not None:
            return
        if should_cancel is not None and should_cancel():
            proc.kill("cancelled")
            return
        if timeout is not None and time.monotonic() - started > timeout:
            proc.kill("timeout")
            return


def _read_progress(
    stream: IO[bytes] | None,
    total: int,
    started: float,
    on_progress: ProgressCallback | None,
) -> None:
    if stream is None:
        return
    frame = 0
    for raw in stream:
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if key == "frame" and value.isdigit():
            frame = int(value)
        elif key == "progress" and on_progress is not None:
            on_progress(Progress(frame, total, time.monotonic() - started))


def _raise_for(proc: _Process, code: int, timeout: float | None) -> None:
    if proc.killed_because == "cancelled":
        raise RenderCancelled("the render was cancelled")
    if proc.killed_because == "timeout":
        raise RenderTimeout(
            f"the render took longer than {timeout:.0f} s and was stopped", proc.stderr_tail
        )
    if code != 0:
        raise RenderFailed("the video encoder failed", proc.stderr_tail)


def run_capture(argv: list[str], *, timeout: float = 60.0) -> Captured:
    """Run a short FFmpeg job (probe, still frame) to completion and return all of its output."""
    popen = subprocess.Popen(  # noqa: S603 — argv built by our own modules, never a shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = popen.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(popen.pid, signal.SIGKILL)
        popen.communicate()
        raise RenderTimeout(f"FFmpeg took longer than {timeout:.0f} s") from None
    return Captured(popen.returncode, out, err.decode("utf-8", "replace"))
