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
from django.utils.translation import get_language_info

from projects.signed_media import file_url
from rendering.models import GeneratedVideo
from rendering.pipeline.webvtt import CONTENT_TYPE as VTT_TYPE

KINDS = ("mp4", "poster", "download", "vtt")
# Its own salt: a media token is no progress token, and the other way round.
EVENTS_SALT = "rendering.video_events"


def video_file(
    video: GeneratedVideo, kind: str, *, language: str | None = None
) -> tuple[str, str, str, bool]:
    """(storage key, content type, file name, inline) of one of the video's files; for
    ``vtt``, the subtitle track in ``language`` (the first track when it is None)."""
    name = slugify(video.project.title) or "memory"
    if kind == "poster":
        return video.poster_key, "image/jpeg", f"{name}.jpg", True
    if kind == "vtt":
        found, key = video.subtitle_key(language)
        return key, VTT_TYPE, f"{name}.{found or 'subtitles'}.vtt", True
    return video.output_key, "video/mp4", f"{name}.mp4", kind == "mp4"


def video_url(
    request: HttpRequest | None, video: GeneratedVideo, kind: str, *, language: str | None = None
) -> str | None:
    """A link anyone holding it can open for a short time (PROJECTS_SIGNED_URL_SECONDS):
    presigned by S3, else signed by the app. Absolute when ``request`` is given."""
    key, content_type, name, inline = video_file(video, kind, language=language)
    if not key:
        return None
    return file_url(request, key=key, content_type=content_type, filename=name, inline=inline)


def language_label(code: str) -> str:
    """A language's name in that language ("English", "Français", "日本語"): how a viewer finds
    their own in a player's subtitle menu."""
    label = {**dict(settings.LANGUAGES), **dict(settings.VIDEO_LANGUAGES)}.get(code)
    if label:
        return str(label)
    try:
        local = str(get_language_info(code)["name_local"])
    except KeyError:
        return code
    return local[:1].upper() + local[1:]


def video_subtitles(request: HttpRequest | None, video: GeneratedVideo) -> list[dict[str, str]]:
    """The video's subtitle tracks for the API, each with a short-lived link (like the MP4's)."""
    tracks = []
    for track in video.subtitles or ():
        language = str(track.get("language", "")) if isinstance(track, dict) else ""
        url = video_url(request, video, "vtt", language=language) if language else None
        if url:
            tracks.append({"language": language, "label": language_label(language), "url": url})
    return tracks


def web_subtitles(video: GeneratedVideo, viewer_language: str) -> list[dict[str, object]]:
    """The tracks for the web player: our own owner-checked view, with the viewer's language
    marked as the default track.

    Always a same-origin link, even on S3: a ``<track>`` is fetched with CORS, and a presigned
    S3 URL is another origin the bucket would have to allow. The file is a few kilobytes, so the
    view streams it instead of redirecting to S3 (see rendering/views/videos.py)."""
    path = reverse(
        "video-file",
        kwargs={"project_id": video.project.public_id, "video_id": video.public_id, "kind": "vtt"},
    )
    tracks: list[dict[str, object]] = []
    for track in video.subtitles or ():
        language = str(track.get("language", "")) if isinstance(track, dict) else ""
        if not language or not track.get("key"):
            continue
        tracks.append(
            {
                "language": language,
                "label": language_label(language),
                "url": f"{path}?{urlencode({'lang': language})}",
                "default": False,
            }
        )
    wanted = (viewer_language or "").lower()
    match = [t for t in tracks if str(t["language"]).lower() == wanted] or [
        t for t in tracks if str(t["language"]).lower().split("-")[0] == wanted.split("-")[0]
    ]
    if match:
        match[0]["default"] = True
    return tracks


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
