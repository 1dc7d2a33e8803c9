"""Where project media lives: key layout, writes, deletes and short-lived links.

Keys follow DESIGN.md: ``<user_public_id>/projects/<project_uuid>/photos/<photo_uuid>.jpg``.
Everything goes through ``storages["default"]``: S3 in production and tests, the local
filesystem in the embedded default, so both take the same code path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

from projects.filenames import content_disposition

THUMB_SUFFIX = "_thumb"


def media_storage() -> Storage:
    # Looked up on each call, so tests that switch STORAGES see the switch.
    return storages["default"]


def is_s3(storage: Storage | None = None) -> bool:
    return hasattr(storage or media_storage(), "bucket")


def user_prefix(user_public_id: uuid.UUID) -> str:
    return f"{user_public_id}/"


def project_prefix(user_public_id: uuid.UUID, project_id: uuid.UUID) -> str:
    return f"{user_public_id}/projects/{project_id}/"


def photo_keys(user_public_id: uuid.UUID, project_id: uuid.UUID, photo_id: uuid.UUID) -> PhotoKeys:
    base = f"{project_prefix(user_public_id, project_id)}photos/{photo_id}"
    return PhotoKeys(working=f"{base}.jpg", thumbnail=f"{base}{THUMB_SUFFIX}.jpg")


def original_key(
    user_public_id: uuid.UUID, project_id: uuid.UUID, photo_id: uuid.UUID, ext: str
) -> str:
    return f"{project_prefix(user_public_id, project_id)}originals/{photo_id}.{ext}"


def upload_key(user_public_id: uuid.UUID, project_id: uuid.UUID, upload_id: uuid.UUID) -> str:
    """Where a client puts a file directly (presigned POST) before the server validates it."""
    return f"{project_prefix(user_public_id, project_id)}uploads/{upload_id}"


@dataclass(frozen=True, slots=True)
class PhotoKeys:
    working: str
    thumbnail: str


def put(key: str, data: bytes) -> str:
    """Write ``data`` under the fresh (UUID) ``key``; returns the key actually used."""
    # _save skips save()'s "is the name free?" probe: an extra S3 round trip per object, and
    # our keys carry a new UUID so they cannot be taken.
    storage: Any = media_storage()
    return str(storage._save(key, ContentFile(data)))


def delete_keys(keys: Iterable[str]) -> None:
    """Delete objects; a key that is already gone is not an error."""
    storage = media_storage()
    for key in keys:
        if key:
            storage.delete(key)


def exists(key: str) -> bool:
    return media_storage().exists(key)


def size(key: str) -> int:
    return media_storage().size(key)


def download_to(key: str, target: Path) -> None:
    with media_storage().open(key, "rb") as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            dst.write(chunk)


def signed_url(key: str, *, content_type: str, filename: str, inline: bool = True) -> str | None:
    """A presigned GET link with the right Content-Type and Content-Disposition, or None when
    the storage cannot sign (the filesystem: the app streams the file itself)."""
    storage = media_storage()
    if not is_s3(storage):
        return None
    params = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition(filename, inline=inline),
    }
    return storage.url(key, parameters=params, expire=settings.PROJECTS_SIGNED_URL_SECONDS)  # type: ignore[call-arg]


def presigned_post(key: str, *, max_bytes: int, expires: int) -> dict[str, Any]:
    """A form a client can POST one file with: this key only, at most ``max_bytes``."""
    storage: Any = media_storage()
    client = storage.connection.meta.client
    return client.generate_presigned_post(  # type: ignore[no-any-return]
        Bucket=storage.bucket.name,
        Key=key,
        Conditions=[["content-length-range", 1, max_bytes]],
        ExpiresIn=expires,
    )


def iter_keys(prefix: str = "") -> Iterator[str]:
    """Every key under ``prefix`` (all keys when empty)."""
    storage: Any = media_storage()
    if is_s3(storage):
        for obj in storage.bucket.objects.filter(Prefix=prefix):
            yield obj.key
        return
    assert isinstance(storage, FileSystemStorage)  # noqa: S101 - the only other backend we ship
    root = Path(storage.location)
    for dirpath, _dirs, files in os.walk(root / prefix if prefix else root):
        for name in files:
            yield (Path(dirpath) / name).relative_to(root).as_posix()


def last_modified(key: str) -> Any:
    return media_storage().get_modified_time(key)
