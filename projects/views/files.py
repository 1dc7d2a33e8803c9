"""Private files: a photo's for its owner (web session), any one file by a signed short-lived
link (what the API hands out), each as a presigned redirect (S3) or streamed (filesystem).

Media is never served from MEDIA_URL: every request passes an ownership check or a signature
check here first.
"""

from __future__ import annotations

from typing import IO

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from projects import signed_media, storage
from projects.filenames import content_disposition
from projects.media import KINDS, photo_file
from projects.ranges import ByteRange, RangeNotSatisfiable, parse_range
from projects.selectors import photo_get

# Larger than FileResponse's 4 KiB: a video would otherwise go out in thousands of tiny writes.
BLOCK_SIZE = 1 << 16
PLAIN = "text/plain; charset=utf-8"


@require_safe
@login_required
def photo_file_view(
    request: HttpRequest, project_id: str, photo_id: str, kind: str
) -> HttpResponseBase:
    if kind not in KINDS:
        raise Http404("No such file.")
    photo = photo_get(user=request.user, project_id=project_id, public_id=photo_id)
    key, content_type, name = photo_file(photo, kind)
    if not key:
        raise Http404("This photo has no original kept.")
    return private_file_response(
        key, request=request, content_type=content_type, name=name, inline=kind != "original"
    )


@require_safe
def signed_file_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """The one file a signed link names, to whoever holds the link, while it is fresh."""
    try:
        signed = signed_media.unsign(token)
    except signing.SignatureExpired:
        # 410, not 404: the client had a real link and should ask the API for a fresh one.
        return HttpResponse(
            "This link has expired. Fetch the item again for a fresh link.",
            status=410,
            content_type=PLAIN,
        )
    except signing.BadSignature:
        raise Http404("No such file.") from None
    return private_file_response(
        signed.key,
        request=request,
        content_type=signed.content_type,
        name=signed.filename,
        inline=signed.inline,
    )


def private_file_response(
    key: str, *, request: HttpRequest, content_type: str, name: str, inline: bool
) -> HttpResponseBase:
    """A stored file, once the caller has checked the right to it: a short-lived presigned
    redirect where storage signs URLs (S3, which serves ranges itself), else streamed from the
    filesystem with single byte ranges and HEAD, as video players need."""
    signed = storage.signed_url(key, content_type=content_type, filename=name, inline=inline)
    if signed:
        return HttpResponseRedirect(signed)
    files = storage.media_storage()
    try:
        size = files.size(key)
    except FileNotFoundError:
        raise Http404("This file is missing.") from None
    try:
        wanted = _wanted_range(request, size=size)
    except RangeNotSatisfiable:
        refusal = HttpResponse(
            "The requested range is past the end of the file.", status=416, content_type=PLAIN
        )
        refusal["Content-Range"] = f"bytes */{size}"
        refusal["Accept-Ranges"] = "bytes"
        return refusal
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = _stream(files.open(key, "rb") if size else None, wanted, content_type)
    response["Content-Length"] = str(wanted.length if wanted else size)
    if wanted:
        response["Content-Range"] = wanted.content_range(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["Cache-Control"] = "private, max-age=600"
    return response


def _wanted_range(request: HttpRequest, *, size: int) -> ByteRange | None:
    # Range is defined for GET only. We send no validators, so an If-Range cannot match: the
    # RFC then asks for the whole file.
    if request.method != "GET" or "If-Range" in request.headers:
        return None
    return parse_range(request.headers.get("Range"), size=size)


def _stream(handle: IO[bytes] | None, wanted: ByteRange | None, content_type: str) -> FileResponse:
    if handle is None:  # an empty file: nothing to open or seek
        return FileResponse(iter(()), content_type=content_type)
    if wanted is None:
        # The handle itself, so a WSGI server can sendfile() it.
        response = FileResponse(handle, content_type=content_type)
    else:
        handle.seek(wanted.start)
        response = FileResponse(
            _Window(handle, wanted.length), content_type=content_type, status=206
        )
    response.block_size = BLOCK_SIZE
    return response


class _Window:
    """Reads at most ``length`` bytes of an open file from where it stands, then ends: one
    range streamed in blocks, never read whole into memory. Closing closes the file."""

    def __init__(self, handle: IO[bytes], length: int) -> None:
        self._handle = handle
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()
