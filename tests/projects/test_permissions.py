"""Permission matrix: every URL of the app is listed here, and every one that names a project or
a photo answers 404 to anyone but its owner, by web session and by mobile token, for reads,
writes and deletes. A new URL that is missing here fails the first test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from projects.models import (
    AiRequest,
    AiRequestStatus,
    Photo,
    Suggestion,
    TextTranslation,
    VideoProject,
)
from projects.services import photo_add, project_create, project_update
from projects.storage import put
from rendering.models import GeneratedVideo, VideoStatus
from tests.projects.conftest import jpeg_bytes, wav_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# Public or not ours to scope: sign-in flows, staff admin, probes, the API schema and docs.
PUBLIC_PREFIXES = (
    "admin/",
    "accounts/",
    "_allauth/",
    "healthz",
    "readyz",
    "api/v1/schema/",
    "api/v1/docs/",
    "static/",
    "stripe/",  # Stripe's webhooks: authenticated by their signature, not by a session
)
# Landing page for visitors, the signed-in user's own dashboard; the plans and prices.
PUBLIC_NAMES = {"home", "billing-pricing", "api-billing-plans"}
# The interface language: a visitor's choice (saved on the profile when signed in) and the
# JavaScript catalogue of the app's own words; neither names an object.
PUBLIC_NAMES |= {"set_language", "javascript-catalog"}
# Signed-in user's own collection or profile: no object id to guess.
SELF_SCOPED = {
    "api-me",
    "api-project-list",
    "project-create",
    # The user's own plan, checkout and portal (a checkout session of someone else's is 404).
    "billing-account",
    "billing-checkout",
    "billing-success",
    "billing-cancel",
    "billing-portal",
    "api-billing-overview",
    "api-billing-checkout",
    "api-billing-portal",
}

# Opened by a signed, short-lived token that names one file; no id to guess
# (tests/projects/test_media_links.py).
SIGNED_NAMES = {"media-signed"}
# Web URLs that also take a mobile session token (a mobile app follows the progress stream).
TOKEN_AWARE_PAGES = {"video-events"}

JSON = "application/json"
# "name" or "name method" (a resource takes several) → (method, body, content type). Bodies are
# valid, so only ownership can refuse them.
OWNER_SCOPED: dict[str, tuple[str, Any, str | None]] = {
    "api-project-detail": ("get", None, None),
    "api-project-detail patch": ("patch", {"title": "Taken over"}, JSON),
    "api-project-detail delete": ("delete", None, None),
    "api-photo-list": ("get", None, None),
    "api-photo-list post": ("post", "file", None),
    "api-photo-upload-start": ("post", {"name": "a.jpg", "size": 1000}, JSON),
    "api-photo-upload-finish": ("post", {"token": "x"}, JSON),
    "api-photo-reorder": ("post", {"order": []}, JSON),
    "api-photo-sort-by-date": ("post", {}, JSON),
    "api-photo-detail": ("get", None, None),
    "api-photo-detail patch": ("patch", {"caption": "mine now"}, JSON),
    "api-photo-detail delete": ("delete", None, None),
    "project-photo-file": ("get", None, None),
    "project-editor": ("get", None, None),
    "project-update": (
        "post",
        {
            "title": "Taken over",
            "style": "modern",
            "aspect": "1:1",
            "resolution": "720p",
            "music": "none",
        },
        None,
    ),
    "project-delete": ("post", {}, None),
    "project-music-upload": ("post", "music", None),
    "api-project-music": ("post", "file", None),
    # Render jobs (rendering/): bob's video is a finished one, so cancel and retry answer 409.
    "api-project-render": ("post", {}, JSON),
    "api-video-list": ("get", None, None),
    "api-video-detail": ("get", None, None),
    "api-video-cancel": ("post", {}, JSON),
    "api-video-retry": ("post", {}, JSON),
    "project-render": ("post", {}, None),
    "video-cancel": ("post", {}, None),
    "video-retry": ("post", {}, None),
    "video-events": ("get", None, None),
    "video-file": ("get", None, None),
    # The subtitle track: same URL, kind "vtt", served by the view itself even on S3.
    "video-file vtt": ("get", None, None),
    # AI writing: bob's project has AI on and a pending suggestion.
    "api-ai": ("get", None, None),
    "api-ai-requests": ("post", {}, JSON),
    "api-ai-accept-all": ("post", {}, JSON),
    "api-ai-suggestion-accept": ("post", {"text": "charlie was here"}, JSON),
    "api-ai-suggestion-reject": ("post", {}, JSON),
    "api-ai-suggestion-undo": ("post", {}, JSON),
    # Translations: bob's project has its title in Japanese.
    "api-translations": ("get", None, None),
    "api-translations-language": ("get", None, None),
    "api-translations-language delete": ("delete", None, None),
    "api-translations-refresh": ("post", {}, JSON),
    "api-translations-line": ("patch", {"text": "charlie was here"}, JSON),
    "api-translations-line-reset": ("post", {}, JSON),
}
SCOPED_NAMES = {key.split()[0] for key in OWNER_SCOPED}


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str | None]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def all_routes() -> list[tuple[str, str | None]]:
    return list(walk(get_resolver().url_patterns))


def test_it_lists_every_url_of_the_app_in_the_matrix() -> None:
    missing = [
        (route, name)
        for route, name in all_routes()
        if not route.startswith(PUBLIC_PREFIXES)
        and name not in PUBLIC_NAMES | SELF_SCOPED | SIGNED_NAMES
        and name not in SCOPED_NAMES
    ]
    assert missing == [], "add these URLs to the permission matrix"


def test_it_has_no_stale_entries_in_the_matrix() -> None:
    names = {name for _route, name in all_routes()}
    assert SCOPED_NAMES - names == set()


def test_it_never_puts_a_sequential_id_in_a_url() -> None:
    for route, name in all_routes():
        if name in SCOPED_NAMES:
            assert "<int:" not in route and "<uuid:" in route, route


@pytest.fixture
def bobs_things(media: Storage, bob: User, tmp_path: Any) -> tuple[VideoProject, Photo]:
    project = project_create(owner=bob, title="Bob's holiday", keep_originals=True)
    path = tmp_path / "p.jpg"
    path.write_bytes(jpeg_bytes())
    photo = photo_add(project=project, path=path, name="bob.jpg", size=path.stat().st_size)
    video = GeneratedVideo.objects.create(
        project=project, owner=bob, status=VideoStatus.COMPLETED, progress=100, duration=3.0
    )
    base = f"{bob.public_id}/projects/{project.public_id}/videos/{video.public_id}"
    video.output_key = put(f"{base}.mp4", b"not really a video")
    video.poster_key = put(f"{base}.jpg", jpeg_bytes())
    video.subtitles = [{"language": "en", "key": put(f"{base}.vtt", b"WEBVTT\n")}]
    video.save(update_fields=["output_key", "poster_key", "subtitles"])
    project_update(project=project, ai_enabled=True)
    ai = AiRequest.objects.create(project=project, owner=bob, status=AiRequestStatus.COMPLETED)
    Suggestion.objects.create(request=ai, project=project, photo=photo, field="caption", text="x")
    TextTranslation.objects.create(
        project=project, field="title", language="ja", text="x", source_text=project.title
    )
    return project, photo


def request(
    client: Client, key: str, project: VideoProject, photo: Photo, headers: dict[str, str]
) -> Any:
    method, body, content_type = OWNER_SCOPED[key]
    name = key.split()[0]
    kwargs: dict[str, Any] = {"project_id": project.public_id}
    route = next(r for r, n in all_routes() if n == name)
    if "<uuid:photo_id>" in route:
        kwargs["photo_id"] = photo.public_id
    if "<uuid:video_id>" in route:
        kwargs["video_id"] = project.videos.get().public_id
    if "<uuid:suggestion_id>" in route:
        kwargs["suggestion_id"] = project.suggestions.get().public_id
    if "<str:language>" in route:
        kwargs["language"] = "ja"
    if "<uuid:translation_id>" in route:
        kwargs["translation_id"] = project.translations.get().public_id
    if name == "project-photo-file":
        kwargs["kind"] = "image"
    if name == "video-file":
        kwargs["kind"] = "vtt" if key == "video-file vtt" else "mp4"
    url = reverse(name, kwargs=kwargs)
    if body == "music":
        body = {"music": SimpleUploadedFile("song.wav", wav_bytes(), content_type="audio/wav")}
    if body == "file":
        body = {"file": SimpleUploadedFile("c.jpg", jpeg_bytes(), content_type="image/jpeg")}
    call = getattr(client, method)
    if content_type:
        return call(url, body, content_type=content_type, headers=headers)
    return (
        call(url, body or {}, headers=headers) if method != "delete" else call(url, headers=headers)
    )


def token_for(client: Client, user: User, password: str) -> str:
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": user.email, "password": password},
        content_type=JSON,
    )
    return str(response.json()["meta"]["session_token"])


@pytest.mark.parametrize("name", sorted(OWNER_SCOPED))
@pytest.mark.parametrize("how", ["web session", "mobile token"])
def test_it_hides_bobs_project_and_photos_from_charlie(
    name: str,
    how: str,
    bobs_things: tuple[VideoProject, Photo],
    charlie: User,
    password: str,
    keys_of: Any,
    bob: User,
) -> None:
    project, photo = bobs_things
    client, headers = Client(), {}
    if how == "web session":
        client.force_login(charlie)
    else:
        headers = {"X-Session-Token": token_for(client, charlie, password)}
    before = keys_of(bob)

    response = request(client, name, project, photo, headers)

    if how == "mobile token" and not name.startswith("api-") and name not in TOKEN_AWARE_PAGES:
        # Web pages take no tokens: charlie's token is just an anonymous visitor there.
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404, (name, response.status_code, response.content[:200])
    project.refresh_from_db()
    photo.refresh_from_db()
    assert (project.title, photo.caption) == ("Bob's holiday", "")
    assert keys_of(bob) == before


@pytest.mark.parametrize("name", sorted(OWNER_SCOPED))
def test_it_lets_bob_use_his_own_project_and_photos(
    name: str, bobs_things: tuple[VideoProject, Photo], bob: User
) -> None:
    project, photo = bobs_things
    client = Client()
    client.force_login(bob)
    response = request(client, name, project, photo, {})
    # The real answer varies (a refused token, an empty reorder): never "not found" or "denied".
    assert response.status_code not in (401, 403, 404, 500), (name, response.content[:300])
