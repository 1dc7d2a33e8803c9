"""A video's files and its progress stream: which stored object each kind is, and short-lived
links to them that work without cookies (what a mobile app and the admin are handed)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.text import slugify

from projects.signed_media import file_url
from rendering.models import GeneratedVideo

KINDS = ("mp4", "poster", "download")
# Its own salt: a media token is no progress token, and the other way round.
EVENTS_SALT = "rendering.video_events"


def video_file(video: GeneratedVideo, kind: str) -> tuple[str, str, str, bool]:
    """(storage key, content type, file name, inline) of one of the video's files."""
    name = slugify(video.project.title) or "memory"
    if kind == "poster":
        return video.poster_key, "image/jpeg", f"{name}.jpg", True
    return video.output_key, "video/mp4", f"{name}.mp4", kind == "mp4"


def video_url(request: HttpRequest | None, video: GeneratedVideo, kind: str) -> str | None:
    """A link anyone holding it can open for a short time (PROJECTS_SIGNED_URL_SECONDS):
    presigned by S3, else signed by the app. Absolute when ``request`` is given."""
    key, content_type, name, inline = video_file(video, kind)
    if not key:
        return None
    return file_url(request, key=key, content_type=content_type, filename=name, inline=inline)


def events_url(request: HttpRequest | None, video: GeneratedVideo) -> str:
    """The video's progress stream with a signature in the query, valid for
    RENDER_EVENTS_URL_SECONDS: an EventSource cannot send a session token header."""
    path = reverse(
        "video-events",
        kwargs={"project_id": video.project.public_id, "video_id": video.public_id},
    )
    signature = signing.TimestampSigner(salt=EVENTS_SALT).sign(str(video.public_id))
    url = f"{path}?{urlencode({'signature': signature})}"
    return request.build_absolute_uri(url) if request else url


def signed_events_video(
    *, signature: str, project_id: uuid.UUID | str, video_id: uuid.UUID | str
) -> GeneratedVideo:
    """The video a progress signature was made for. Raises ``signing.BadSignature`` (or its
    subclass ``SignatureExpired``) for a forged, stale or another video's signature; Http404
    when the video is gone."""
    signed_id = signing.TimestampSigner(salt=EVENTS_SALT).unsign(
        signature, max_age=settings.RENDER_EVENTS_URL_SECONDS
    )
    if signed_id != str(video_id):
        raise signing.BadSignature("Signed for another video.")
    # The signature stands in for the owner check: it was only ever handed to the owner.
    try:
        return GeneratedVideo.objects.select_related("project", "owner").get(
            public_id=video_id, project__public_id=project_id
        )
    except GeneratedVideo.DoesNotExist:
        raise Http404("No such video.") from None
