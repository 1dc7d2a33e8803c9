"""Handing frames to FFmpeg's stdin: by reference where Linux allows it, else by copy.

A 1080p frame is 3 MB and a render writes thousands of them. ``write()`` copies each into the
pipe; ``vmsplice()`` lends the kernel the frame's own pages instead, which saves the copy (about
2 % of a render's CPU). The price is a promise: a lent page must not change until FFmpeg has
read it. A pipe holds at most its capacity, so once that many more bytes have been handed over
after a frame, the frame has been read — ``lends_safely`` checks the frame source keeps its
buffers that long, and the writer copies otherwise.
"""

from __future__ import annotations

import collections
import ctypes
import errno
import math
import os
import sys
from typing import Any

PIPE_BYTES = 1 << 20  # what we ask the pipe to hold: a 3 MB frame crosses in 3 wake-ups, not 48
_F_SETPIPE_SZ = 1031
_F_GETPIPE_SZ = 1032


def widen(fd: int) -> int:
    """Ask for a ``PIPE_BYTES`` pipe; returns the capacity it has (Linux), else 0 (unknown)."""
    try:
        import fcntl

        try:
            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", _F_SETPIPE_SZ), PIPE_BYTES)
        except OSError:
            pass  # /proc/sys/fs/pipe-max-size is lower: the default pipe still works
        return int(fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", _F_GETPIPE_SZ)))
    except (ImportError, OSError):
        return 0


def ring_size(frame_bytes: int, *, write_ahead: int) -> int:
    """How many buffers a frame source must cycle through for its frames to be lent safely.

    While the source draws frame m, the writer may still be handing over frame
    ``m - 1 - write_ahead``, so only frames up to ``m - 2 - write_ahead`` are wholly in the pipe;
    those after the buffer's previous frame must fill a whole pipe.
    """
    return write_ahead + 2 + math.ceil(PIPE_BYTES / max(1, frame_bytes))


def lends_safely(ring: int, frame_bytes: int, *, write_ahead: int, capacity: int) -> bool:
    """Whether frames from a source reusing ``ring`` buffers can be lent (see ``ring_size``)."""
    return 0 < capacity <= (ring - 2 - write_ahead) * frame_bytes


class _IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


def _load_vmsplice() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        vmsplice = libc.vmsplice
    except (OSError, AttributeError):
        return None
    vmsplice.argtypes = [ctypes.c_int, ctypes.POINTER(_IOVec), ctypes.c_size_t, ctypes.c_uint]
    vmsplice.restype = ctypes.c_ssize_t
    return vmsplice


_VMSPLICE = _load_vmsplice()


class FrameWriter:
    """Writes whole frames (C-contiguous numpy arrays) to a pipe, lending them when it may.

    ``ring``: how many buffers the frame source cycles through (0: it promises nothing).
    ``write_ahead``: how many frames may wait between the source and this writer.
    """

    def __init__(self, stream: Any, *, ring: int = 0, write_ahead: int) -> None:
        self._stream = stream
        self._fd = stream.fileno()
        self._capacity = widen(self._fd)
        self._ring = ring
        self._write_ahead = write_ahead
        self._can_splice = _VMSPLICE is not None
        # The frames lent whose bytes may still be in the pipe. Holding them keeps a source that
        # drops its buffers (a generator that ends) from having their memory reused under us;
        # keep the writer until FFmpeg has exited.
        self._lent: collections.deque[Any] = collections.deque()
        self._lent_bytes = 0

    def write(self, frame: Any) -> None:
        lend = self._can_splice and lends_safely(
            self._ring, frame.nbytes, write_ahead=self._write_ahead, capacity=self._capacity
        )
        if lend:
            try:
                self._splice(frame)
                self._hold(frame)
                return
            except _NotSpliceable:
                self._can_splice = False  # e.g. stdin is a file, not a pipe: copy from now on
        self._stream.write(memoryview(frame).cast("B"))

    def _hold(self, frame: Any) -> None:
        self._lent.append(frame)
        self._lent_bytes += frame.nbytes
        # The oldest frame has been read once a full pipe's worth of bytes came after it.
        while self._lent_bytes - self._lent[0].nbytes >= self._capacity:
            self._lent_bytes -= self._lent.popleft().nbytes

    def _splice(self, frame: Any) -> None:
        address, size = frame.ctypes.data, frame.nbytes
        done = 0
        while done < size:
            vec = _IOVec(address + done, size - done)
            sent = _VMSPLICE(self._fd, ctypes.byref(vec), 1, 0)  # releases the GIL
            if sent >= 0:
                done += sent
                continue
            code = ctypes.get_errno()
            if code == errno.EINTR:
                continue
            if code in (errno.EBADF, errno.EINVAL, errno.ENOSYS) and done == 0:
                raise _NotSpliceable
            raise OSError(code, os.strerror(code))  # EPIPE: FFmpeg has gone


class _NotSpliceable(Exception):
    pass
