"""A photo's files, for their owner only: a presigned redirect (S3) or streamed (filesystem).

Media is never served from MEDIA_URL: every request passes the ownership check here first.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from projects import storage
from projects.filenames import content_disposition
from projects.media import KINDS, photo_file
from projects.selectors import photo_get


@require_GET
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
        key, content_type=content_type, name=name, inline=kind != "original"
    )


def private_file_response(
    key: str, *, content_type: str, name: str, inline: bool
) -> HttpResponseBase:
    """An owner's stored file, once the caller has checked ownership: a short-lived presigned
    redirect where storage signs URLs (S3), else streamed from the filesystem."""
    signed = storage.signed_url(key, content_type=content_type, filename=name, inline=inline)
    if signed:
        return HttpResponseRedirect(signed)
    try:
        handle = storage.media_storage().open(key, "rb")
    except FileNotFoundError:
        raise Http404("This file is missing.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["Cache-Control"] = "private, max-age=600"
    return response
