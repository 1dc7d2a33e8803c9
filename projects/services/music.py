"""A project's own soundtrack: uploaded, re-encoded by us, stored privately.

The upload is decoded and re-encoded to AAC by FFmpeg (through the pipeline's one runner), so
the renderer only ever reads audio this server produced, without the file's tags.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from projects import storage
from projects.errors import MusicRejected, MusicTooLarge, UploadRejected
from projects.filenames import clean_filename
from projects.models import VideoProject
from projects.services.projects import ensure_editable
from rendering.pipeline.errors import RenderTimeout
from rendering.pipeline.execute import ffmpeg_binary, run_capture

MAX_MUSIC_BYTES = 30 * 1024 * 1024
MAX_MUSIC_SECONDS = 15 * 60  # longer than any memory video; the rest would never play
MIN_OUTPUT_BYTES = 2048  # a few hundred ms of AAC; less means there was no real audio


def project_music_upload(
    *, project: VideoProject, path: Path, name: str, size: int
) -> VideoProject:
    """Use the audio file at ``path`` as the project's music. Raises ``MusicRejected`` or
    ``MusicTooLarge``."""
    display = music_filename(name)
    ensure_editable(project)
    if size <= 0:
        raise MusicRejected(_("“%(name)s” is empty.") % {"name": display})
    if size > MAX_MUSIC_BYTES:
        raise MusicTooLarge(
            _("“%(name)s” is larger than 30 MB. Choose a shorter or smaller track.")
            % {"name": display}
        )
    with tempfile.TemporaryDirectory(prefix="pm-music-") as tmp:
        out = Path(tmp) / "music.m4a"
        _transcode(path, out, display)
        key = f"{storage.project_prefix(project.owner.public_id, project.public_id)}music.m4a"
        old = project.music if project.has_own_music else ""
        new_key = storage.put(_fresh(key), out.read_bytes())
    try:
        with transaction.atomic():
            project.music = new_key
            project.save(update_fields=["music", "updated_at"])
    except BaseException:
        storage.delete_keys([new_key])
        raise
    if old:
        transaction.on_commit(lambda: storage.delete_keys([old]))
    return project


def music_filename(name: str) -> str:
    """The name to show for a track; a hostile name is refused as music, not as a photo."""
    try:
        return clean_filename(name)
    except UploadRejected as exc:
        raise MusicRejected(exc.message) from None


def _fresh(key: str) -> str:
    import uuid

    return key.replace("music.m4a", f"music-{uuid.uuid4()}.m4a")


def _transcode(source: Path, target: Path, name: str) -> None:
    argv = [
        ffmpeg_binary(settings.FFMPEG_BINARY),
        "-hide_banner", "-nostdin", "-v", "error",
        "-i", str(source),
        "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
        "-t", str(MAX_MUSIC_SECONDS),
        "-ac", "2", "-ar", "48000", "-c:a", "aac", "-b:a", "192k",
        str(target),
    ]  # fmt: skip
    try:
        result = run_capture(argv, timeout=120)
    except RenderTimeout:
        raise MusicRejected(
            _("“%(name)s” took too long to read. Try a shorter track.") % {"name": name}
        ) from None
    if result.returncode != 0 or not target.exists() or target.stat().st_size < MIN_OUTPUT_BYTES:
        raise MusicRejected(
            _("“%(name)s” is not an audio file we can play (MP3, M4A, WAV, …).") % {"name": name}
        )
