"""A photo's files: which stored object each kind is, and short-lived links to them."""

from __future__ import annotations

from django.http import HttpRequest

from projects.models import Photo
from projects.signed_media import file_url

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
    """A link anyone holding it can open for a short time (PROJECTS_SIGNED_URL_SECONDS):
    presigned by S3, else signed by the app. Absolute when ``request`` is given."""
    key, content_type, name = photo_file(photo, kind)
    if not key:
        return None
    return file_url(
        request, key=key, content_type=content_type, filename=name, inline=kind != "original"
    )
