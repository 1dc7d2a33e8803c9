"""Photos in: multipart uploads and direct-to-storage uploads, both validated by decoding.

Objects are written first, then the row is created in a transaction; on any failure the
objects written so far are deleted, so a refused upload leaves no row and no object behind.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from billing.entitlements import Entitlements, get_entitlements
from projects import storage
from projects.errors import PlanLimitReached, UploadRejected, UploadTooLarge
from projects.filenames import clean_filename
from projects.ingest import PreparedPhoto, UnusablePhoto, prepare_photo
from projects.models import Photo, VideoProject
from projects.services.projects import ensure_editable

_UPLOAD_SALT = "projects.direct-upload"


def photo_add(
    *,
    project: VideoProject,
    path: Path,
    name: str,
    size: int,
    keep_original: bool | None = None,
) -> Photo:
    """Validate the file at ``path`` (uploaded as ``name``) and add it as the project's last
    photo. Raises ``UploadRejected``, ``UploadTooLarge`` or ``PlanLimitReached``."""
    display_name = clean_filename(name)
    limits = get_entitlements(user=project.owner)
    ensure_editable(project)
    _check_room(project, limits)
    _check_size(size, limits, display_name)
    try:
        prepared = prepare_photo(
            path, max_megapixels=limits.max_megapixels, max_resolution=limits.max_resolution
        )
    except UnusablePhoto as exc:
        raise UploadRejected(
            _("“%(name)s” can’t be used: %(reason)s.")
            % {"name": display_name, "reason": exc.reason}
        ) from None
    keep = project.keep_originals if keep_original is None else keep_original
    return _store(project, prepared, display_name, size, limits, original=path if keep else None)


def photo_upload_start(
    *, project: VideoProject, name: str, size: int, keep_original: bool | None = None
) -> dict[str, Any]:
    """Let a client put one file straight into storage: a presigned POST limited to one key
    under the user's prefix, the plan's size limit and a short expiry, plus a signed token
    for ``photo_upload_finish``."""
    display_name = clean_filename(name)
    limits = get_entitlements(user=project.owner)
    ensure_editable(project)
    _check_room(project, limits)
    _check_size(size, limits, display_name)
    if not storage.is_s3():
        raise UploadRejected(
            _("Direct uploads need S3 storage; send the file to /photos/ instead.")
        )
    upload_id = uuid.uuid4()
    key = storage.upload_key(project.owner.public_id, project.public_id, upload_id)
    expires = settings.PROJECTS_DIRECT_UPLOAD_SECONDS
    post = storage.presigned_post(key, max_bytes=limits.max_upload_bytes, expires=expires)
    keep = project.keep_originals if keep_original is None else keep_original
    token = signing.dumps(
        {"p": str(project.public_id), "k": key, "n": display_name, "o": keep}, salt=_UPLOAD_SALT
    )
    return {
        "upload": {"url": post["url"], "fields": post["fields"]},
        "token": token,
        "expires_in": expires,
    }


def photo_upload_finish(*, project: VideoProject, token: str) -> Photo:
    """Validate a file the client put into storage with ``photo_upload_start``'s form and add
    it to the project. The uploaded object is deleted either way."""
    try:
        data = signing.loads(
            token, salt=_UPLOAD_SALT, max_age=settings.PROJECTS_DIRECT_UPLOAD_SECONDS * 4
        )
    except signing.BadSignature:
        raise UploadRejected(
            _("This upload has expired or is not valid. Start it again.")
        ) from None
    if data.get("p") != str(project.public_id):
        raise UploadRejected(_("This upload belongs to another project."))
    key = data["k"]
    if not storage.exists(key):
        raise UploadRejected(_("The file has not arrived in storage yet. Upload it, then finish."))
    try:
        with tempfile.TemporaryDirectory(prefix="pm-upload-") as tmp:
            path = Path(tmp) / "upload"
            size = storage.size(key)
            _check_size(size, get_entitlements(user=project.owner), data["n"])
            storage.download_to(key, path)
            return photo_add(
                project=project, path=path, name=data["n"], size=size, keep_original=data["o"]
            )
    finally:
        storage.delete_keys([key])


def _check_room(project: VideoProject, limits: Entitlements) -> None:
    if project.photos.count() >= limits.max_photos_per_project:
        raise PlanLimitReached(
            _(
                "This project already has %(count)s photos, the most your plan allows. "
                "Remove some to add others, or upgrade your plan."
            )
            % {"count": limits.max_photos_per_project},
            limit="max_photos_per_project",
            current=limits.max_photos_per_project,
            allowed=limits.max_photos_per_project,
        )


def _check_size(size: int, limits: Entitlements, name: str) -> None:
    if size <= 0:
        raise UploadRejected(_("“%(name)s” is empty.") % {"name": name})
    if size > limits.max_upload_bytes:
        mb = limits.max_upload_bytes // (1024 * 1024)
        raise UploadTooLarge(
            _("“%(name)s” is larger than %(mb)s MB, the most your plan allows.")
            % {"name": name, "mb": mb}
        )


def _store(
    project: VideoProject,
    prepared: PreparedPhoto,
    name: str,
    size: int,
    limits: Entitlements,
    *,
    original: Path | None,
) -> Photo:
    owner_id = project.owner.public_id
    photo_id = uuid.uuid4()
    keys = storage.photo_keys(owner_id, project.public_id, photo_id)
    written: list[str] = []
    try:
        written.append(storage.put(keys.working, prepared.working))
        written.append(storage.put(keys.thumbnail, prepared.thumbnail))
        original_key = ""
        if original is not None:
            key = storage.original_key(
                owner_id, project.public_id, photo_id, prepared.original_extension
            )
            with original.open("rb") as fh:
                original_key = storage.media_storage().save(key, File(fh))
            written.append(original_key)
        with transaction.atomic():
            return _create_row(
                project, prepared, photo_id, name, size, limits, written, original_key
            )
    except BaseException:
        storage.delete_keys(written)
        raise


def _create_row(
    project: VideoProject,
    prepared: PreparedPhoto,
    photo_id: uuid.UUID,
    name: str,
    size: int,
    limits: Entitlements,
    written: list[str],
    original_key: str,
) -> Photo:
    # The lock makes the count check and the next position safe against parallel uploads.
    locked = VideoProject.objects.select_for_update().get(pk=project.pk)
    ensure_editable(locked)
    _check_room(locked, limits)
    last = locked.photos.aggregate(last=Max("position"))["last"]
    info = prepared.info
    taken_at = info.taken_at
    if taken_at is not None and taken_at.tzinfo is None:
        # EXIF without an offset is local wall-clock time; kept as-is (labelled UTC) so the
        # date a person sees is the one their camera showed.
        taken_at = taken_at.replace(tzinfo=UTC)
    box = info.subject
    photo = Photo.objects.create(
        project=locked,
        public_id=photo_id,
        storage_key=written[0],
        thumbnail_key=written[1],
        original_key=original_key,
        original_name=name,
        width=prepared.width,
        height=prepared.height,
        size_bytes=size,
        taken_at=taken_at,
        gps_lat=info.gps[0] if info.gps else None,
        gps_lon=info.gps[1] if info.gps else None,
        camera=(info.camera or "")[:120],
        position=0 if last is None else last + 1,
        sharpness=info.sharpness,
        phash=f"{info.phash:016x}",
        subject_box={"x": box.x, "y": box.y, "w": box.w, "h": box.h},
    )
    locked.save(update_fields=["updated_at"])  # the dashboard lists recently touched first
    return photo
