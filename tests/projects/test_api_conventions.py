"""What a mobile developer relies on: every answer under /api/ is JSON in one error shape (also
with DEBUG on, also for a crash), resources take methods, and inputs keep their types."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from projects.models import Photo, VideoProject
from tests.projects.conftest import api_url, jpeg_bytes, wav_bytes

pytestmark = pytest.mark.django_db

JSON = "application/json"


class BrokenApi(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("secret-internal-detail")


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret-internal-detail")


# The app's routes plus two that crash, for @pytest.mark.urls(__name__).
urlpatterns = [
    path("api/v1/broken/", BrokenApi.as_view()),
    path("api/v1/broken-page/", broken_page),
    path("", include("photomemory.urls")),
]


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["code"] == code, error
    assert error["message"]
    return dict(error)


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request: Any, settings: Any) -> bool:
    # The embedded default runs with DEBUG on, where Django shows its HTML pages instead.
    settings.DEBUG = request.param
    return bool(request.param)


# --- not found, wrong method, crash -----------------------------------------------------------


def test_a_malformed_id_is_a_json_404(bob_client: Client, debug: bool) -> None:
    for url in ("/api/v1/projects/123/", "/api/v1/projects/123/photos/", "/api/v1/projects/x/"):
        assert_error(bob_client.get(url), 404, "not_found")


def test_an_unknown_path_is_a_json_404(bob_client: Client, client: Client, debug: bool) -> None:
    assert_error(bob_client.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(bob_client.post("/api/v2/projects/", {}), 404, "not_found")
    assert_error(client.get("/api/"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(bob_client: Client, project: VideoProject) -> None:
    error = assert_error(bob_client.put("/api/v1/projects/"), 405, "method_not_allowed")
    assert error["fields"] == {}
    assert_error(bob_client.post("/api/v1/me/", {}), 405, "method_not_allowed")
    assert_error(bob_client.post(api_url(project), {}), 405, "method_not_allowed")
    # The schema view renders YAML, the docs HTML; their errors are JSON all the same.
    assert_error(bob_client.delete("/api/v1/schema/"), 405, "method_not_allowed")
    assert_error(bob_client.delete("/api/v1/docs/"), 405, "method_not_allowed")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/api/v1/broken/", "/api/v1/broken-page/"])
def test_a_crash_is_a_logged_json_500_that_tells_nothing_inside(
    url: str, bob: User, debug: bool, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(bob)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(url)

    error = assert_error(response, 500, "server_error")
    assert error["message"] == "Something went wrong on our side. Try again in a moment."
    assert b"secret-internal-detail" not in response.content
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert "secret-internal-detail" in str(logged[0].exc_info[1])


# --- bodies: too large, wrong content type ---------------------------------------------------


def test_a_json_body_over_the_request_limit_is_a_413(
    bob_client: Client, bob: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = {"title": "Big", "language": "en", "padding": "x" * 20_000}

    response = bob_client.post("/api/v1/projects/", body, content_type="application/json")

    error = assert_error(response, 413, "request_too_large")
    assert "at most" in error["message"]
    assert not VideoProject.objects.filter(owner=bob).exists()


def test_too_many_form_fields_in_an_upload_is_a_413(
    bob_client: Client, project: VideoProject, settings: Any, debug: bool
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields: dict[str, Any] = {f"extra{i}": "x" for i in range(20)}
    fields["file"] = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")

    response = bob_client.post(api_url(project, "photos/"), fields)

    assert_error(response, 413, "request_too_large")
    assert not Photo.objects.filter(project=project).exists()


def test_a_photo_over_the_plan_limit_is_still_refused_by_its_length(
    bob_client: Client, project: VideoProject
) -> None:
    response = bob_client.post(
        api_url(project, "photos/"),
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),  # declared, never sent: refused before reading
    )
    error = assert_error(response, 413, "file_too_large")
    assert set(error["fields"]) == {"file"}


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            "photos/",
            "Send the photo as multipart/form-data, with the file in the `file` field.",
        ),
        (
            "music/",
            "Send the track as multipart/form-data, with the audio file in the `file` field.",
        ),
    ],
)
def test_a_form_or_json_body_to_an_upload_is_a_415_that_says_what_to_send(
    bob_client: Client, project: VideoProject, tail: str, message: str
) -> None:
    form = bob_client.post(
        api_url(project, tail), "file=a.jpg", content_type="application/x-www-form-urlencoded"
    )
    as_json = bob_client.post(api_url(project, tail), {"file": "a"}, content_type=JSON)

    for response in (form, as_json):
        assert assert_error(response, 415, "unsupported_media_type")["message"] == message
    assert not Photo.objects.filter(project=project).exists()


def test_a_form_body_to_a_json_endpoint_is_a_415_that_says_json(
    bob_client: Client, bob: User
) -> None:
    response = bob_client.post("/api/v1/projects/", {"title": "Form"})  # multipart form
    error = assert_error(response, 415, "unsupported_media_type")
    assert error["message"] == "Send the body as JSON, with Content-Type: application/json."
    assert not VideoProject.objects.filter(owner=bob).exists()


# --- music errors are about music, on the field the client sent ------------------------------


def send_music(client: Client, project: VideoProject, data: bytes, name: str) -> Any:
    file = SimpleUploadedFile(name, data, content_type="audio/wav")
    return client.post(api_url(project, "music/"), {"file": file})


def test_a_file_that_is_not_audio_is_a_music_error_on_the_file_field(
    bob_client: Client, project: VideoProject
) -> None:
    response = send_music(bob_client, project, b"<html>no song</html>" * 100, "song.mp3")

    error = assert_error(response, 400, "music_rejected")
    assert list(error["fields"]) == ["file"]
    assert "not an audio file" in error["fields"]["file"][0]
    project.refresh_from_db()
    assert project.music == "default"


def test_an_empty_or_missing_track_is_a_music_error(
    bob_client: Client, project: VideoProject
) -> None:
    empty = send_music(bob_client, project, b"", "song.wav")
    assert list(assert_error(empty, 400, "music_rejected")["fields"]) == ["file"]
    missing = bob_client.post(api_url(project, "music/"), {"other": "x"})
    assert list(assert_error(missing, 400, "music_rejected")["fields"]) == ["file"]


def test_a_hostile_track_name_is_a_music_error(bob_client: Client, project: VideoProject) -> None:
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="../../etc/song.wav"\r\nContent-Type: audio/wav\r\n\r\n'
        ).encode()
        + wav_bytes(0.2)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = bob_client.post(
        api_url(project, "music/"), body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    error = assert_error(response, 400, "music_rejected")
    assert "folder path" in error["fields"]["file"][0]


def test_a_track_over_the_music_limit_is_a_413_music_error(
    bob_client: Client, project: VideoProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("projects.services.music.MAX_MUSIC_BYTES", 1000)

    response = send_music(bob_client, project, wav_bytes(0.5), "long.wav")

    error = assert_error(response, 413, "music_too_large")
    assert list(error["fields"]) == ["file"]


# --- strict types ----------------------------------------------------------------------------


@pytest.mark.parametrize("title", [123, 4.5, True, ["Trip"], {"text": "Trip"}])
def test_a_title_that_is_not_text_is_refused_and_nothing_is_created(
    bob_client: Client, bob: User, title: Any
) -> None:
    response = bob_client.post("/api/v1/projects/", {"title": title}, content_type=JSON)

    error = assert_error(response, 400, "invalid")
    assert error["fields"] == {"title": ["Must be text."]}
    assert not VideoProject.objects.filter(owner=bob).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": 2024}, "title"),
        ({"language": 7}, "language"),
        ({"style": 1}, "style"),
        ({"keep_originals": "yes"}, "keep_originals"),
        ({"keep_originals": 1}, "keep_originals"),
    ],
)
def test_a_change_of_the_wrong_type_is_refused_and_nothing_changes(
    bob_client: Client, project: VideoProject, body: dict[str, Any], field: str
) -> None:
    before = VideoProject.objects.values().get(pk=project.pk)

    response = bob_client.patch(api_url(project), body, content_type=JSON)

    assert list(assert_error(response, 400, "invalid")["fields"]) == [field]
    assert VideoProject.objects.values().get(pk=project.pk) == before


def test_a_caption_that_is_not_text_is_refused(
    bob_client: Client, project: VideoProject, add_photo: Any
) -> None:
    photo = add_photo(project)
    url = api_url(project, f"photos/{photo.public_id}/")

    response = bob_client.patch(url, {"caption": 42}, content_type=JSON)

    assert assert_error(response, 400, "invalid")["fields"] == {"caption": ["Must be text."]}
    photo.refresh_from_db()
    assert photo.caption == ""


def test_a_direct_upload_of_the_wrong_types_is_refused(
    bob_client: Client, project: VideoProject
) -> None:
    response = bob_client.post(
        api_url(project, "photos/direct-uploads/"),
        {"name": 5, "size": "1000", "keep_original": "true"},
        content_type=JSON,
    )
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"name", "size", "keep_original"}


def test_a_price_that_is_not_text_is_refused_at_checkout(bob_client: Client) -> None:
    response = bob_client.post("/api/v1/billing/checkout/", {"price_id": 5}, content_type=JSON)
    assert assert_error(response, 400, "invalid")["fields"] == {"price_id": ["Must be text."]}


def test_an_upload_form_still_takes_keep_original_as_text(
    bob_client: Client, project: VideoProject
) -> None:
    file = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = bob_client.post(api_url(project, "photos/"), {"file": file, "keep_original": "true"})
    assert response.status_code == 201, response.content
    assert response.json()["has_original"] is True


# --- resources, not verbs --------------------------------------------------------------------


def test_a_project_is_one_resource_read_changed_and_deleted_at_its_own_url(
    bob_client: Client, bob: User
) -> None:
    created = bob_client.post("/api/v1/projects/", {"title": "Lisbon"}, content_type=JSON)
    assert created.status_code == 201
    url = f"/api/v1/projects/{created.json()['id']}/"

    changed = bob_client.patch(url, {"title": "Porto"}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["title"] == "Porto"
    assert bob_client.get(url).json()["title"] == "Porto"
    assert bob_client.delete(url).status_code == 204
    assert_error(bob_client.get(url), 404, "not_found")
    assert not VideoProject.objects.filter(owner=bob).exists()


def test_a_photo_is_one_resource_uploaded_to_the_list(
    bob_client: Client, project: VideoProject
) -> None:
    file = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    uploaded = bob_client.post(api_url(project, "photos/"), {"file": file})
    assert uploaded.status_code == 201
    url = api_url(project, f"photos/{uploaded.json()['id']}/")

    assert bob_client.patch(url, {"caption": "Tram 28"}, content_type=JSON).status_code == 200
    assert bob_client.get(url).json()["caption"] == "Tram 28"
    assert bob_client.get(api_url(project, "photos/")).json()["count"] == 1
    assert bob_client.delete(url).status_code == 204
    assert not Photo.objects.filter(project=project).exists()


def test_the_old_verb_paths_are_gone(
    bob_client: Client, project: VideoProject, add_photo: Any
) -> None:
    photo = add_photo(project)
    photo_url = api_url(project, f"photos/{photo.public_id}/")
    calls = [
        ("post", "/api/v1/projects/create/", {"title": "x"}),
        ("patch", api_url(project, "update/"), {"title": "x"}),
        ("delete", api_url(project, "delete/"), None),
        ("patch", photo_url + "update/", {"caption": "x"}),
        ("delete", photo_url + "delete/", None),
        ("post", api_url(project, "photos/upload/start/"), {"name": "a.jpg", "size": 1}),
        ("get", "/api/schema/", None),
    ]
    for method, url, body in calls:
        data = json.dumps(body) if body is not None else ""
        response = getattr(bob_client, method)(url, data, content_type=JSON)
        assert_error(response, 404, "not_found")
    project.refresh_from_db()
    photo.refresh_from_db()
    assert (project.title, photo.caption) == ("Summer in Lisbon", "")


def test_the_schema_keeps_the_operation_ids_clients_are_generated_from(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    ids = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert ids >= {
        "projects_list",
        "projects_create",
        "projects_retrieve",
        "projects_update",
        "projects_delete",
        "projects_music_upload",
        "photos_list",
        "photos_upload",
        "photos_upload_start",
        "photos_upload_finish",
        "photos_reorder",
        "photos_sort_by_date",
        "photos_retrieve",
        "photos_update",
        "photos_delete",
        "projects_render",
        "videos_list",
        "videos_retrieve",
        "videos_cancel",
        "videos_retry",
        "me_retrieve",
        "me_update",
    }
    assert set(schema["paths"]["/api/v1/projects/{project_id}/"]) == {"get", "patch", "delete"}
    assert set(schema["paths"]["/api/v1/projects/{project_id}/photos/"]) == {"get", "post"}
    assert not any(p.endswith(("/update/", "/delete/", "/create/")) for p in schema["paths"])


def test_a_change_sent_without_the_trailing_slash_is_told_where_to_go(
    bob_client: Client, project: VideoProject, debug: bool
) -> None:
    url = api_url(project).rstrip("/")

    response = bob_client.patch(url, {"title": "Porto"}, content_type=JSON)

    error = assert_error(response, 404, "not_found")
    assert f"{url}/" in error["message"]
    project.refresh_from_db()
    assert project.title == "Summer in Lisbon"


def test_a_web_session_without_its_csrf_token_is_told_so(bob: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)

    response = client.post("/api/v1/projects/", {"title": "x"}, content_type=JSON)

    assert "X-CSRFToken" in assert_error(response, 403, "csrf_failed")["message"]
    assert not VideoProject.objects.filter(owner=bob).exists()
