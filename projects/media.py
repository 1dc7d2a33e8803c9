"""Links to a photo's files that only its owner can follow."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from projects import storage
from projects.models import Photo

KINDS = ("thumb", "image", "original")


def photo_file(photo: Photo, kind: str) -> tuple[str, str, str]:
    """(storage key, content type, download name) of one of the photo's files."""
    stem = photo.original_name.rsplit(".", 1)[0] or "photo"
    if kind == "thumb":
        return photo.thumbnail_key, "image/jpeg", f"{stem}-thumbnail.jpg"
    if kind == "image":
        return photo.storage_key, "image/jpeg", f"{stem}.jpg"
    ext = photo.original_key.rsplit(".", 1)[-1]
    types = {
        "jpg": "image/jpeg",
        "png": "image/png",
        "heic": "image/heic",
        "webp": "image/webp",
        "gif": "image/gif",
        "tiff": "image/tiff",
    }
    return photo.original_key, types.get(ext, "application/octet-stream"), f"{stem}.{ext}"


def photo_url(request: HttpRequest | None, photo: Photo, kind: str) -> str | None:
    """A presigned storage link (S3), or the app's own owner-checked link (filesystem)."""
    key, content_type, name = photo_file(photo, kind)
    if not key:
        return None
    signed = storage.signed_url(
        key, content_type=content_type, filename=name, inline=kind != "original"
    )
    if signed:
        return signed
    path = reverse(
        "project-photo-file",
        kwargs={"project_id": photo.project.public_id, "photo_id": photo.public_id, "kind": kind},
    )
    return request.build_absolute_uri(path) if request else path
