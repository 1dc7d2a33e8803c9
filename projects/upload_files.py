"""Uploaded files as paths on disk, which is what the decoders take."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile


@contextmanager
def local_path(upload: UploadedFile) -> Iterator[Path]:
    """The upload as a file on disk: big uploads already are one; small ones are written out."""
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary:
        yield Path(temporary())
        return
    with tempfile.NamedTemporaryFile(prefix="pm-upload-") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)
