"""The project and photo API a mobile app uses: everything the web editor can do."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.files.storage import Storage

from accounts.models import User
from projects.models import Photo, VideoProject
from tests.projects.conftest import api_url, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def patch(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


def test_it_creates_lists_changes_and_deletes_a_project(bob_client: Any) -> None:
    created = post(bob_client, "/api/v1/projects/", {"title": "Wedding", "style": "modern"})
    assert created.status_code == 201
    project_id = created.json()["id"]

    listed = bob_client.get("/api/v1/projects/").json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == "Wedding"

    changed = patch(
        bob_client,
        f"/api/v1/projects/{project_id}/",
        {"aspect": "9:16", "music": "none", "title": "Our wedding"},
    )
    assert changed.status_code == 200
    assert (changed.json()["aspect"], changed.json()["music"]) == ("9:16", "none")

    assert bob_client.delete(f"/api/v1/projects/{project_id}/").status_code == 204
    assert bob_client.get(f"/api/v1/projects/{project_id}/").status_code == 404


def test_it_answers_invalid_input_with_one_error_shape(bob_client: Any) -> None:
    response = post(bob_client, "/api/v1/projects/", {"title": "", "style": "disco"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"title", "style"}
    assert error["message"]


def test_it_explains_a_plan_limit(bob_client: Any) -> None:
    response = post(bob_client, "/api/v1/projects/", {"title": "4K", "resolution": "2160p"})
    assert response.status_code == 402
    assert response.json()["error"] == {
        "code": "plan_limit",
        "message": "Your plan makes videos up to 1080p.",
        "fields": {"resolution": ["Choose 1080p or lower."]},
        "limit": {
            "name": "max_resolution",
            "current": "2160p",
            "allowed": "1080p",
            "upgrade_url": "http://testserver/pricing/",
        },
    }


def test_it_asks_anonymous_callers_to_sign_in(client: Any, project: VideoProject) -> None:
    response = client.get(api_url(project))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Sign in to continue."


def test_it_pages_through_many_projects(bob_client: Any, bob: User) -> None:
    VideoProject.objects.bulk_create(VideoProject(owner=bob, title=f"P{i}") for i in range(7))
    first = bob_client.get("/api/v1/projects/?limit=5").json()
    assert first["count"] == 7 and len(first["results"]) == 5 and first["next"]
    rest = bob_client.get(first["next"]).json()
    assert len(rest["results"]) == 2


def test_it_captions_reorders_sorts_by_date_and_removes_photos(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    add_photo: Callable[..., Photo],
    keys_of: Callable[[User], list[str]],
) -> None:
    late = add_photo(project, jpeg_bytes(taken=datetime(2025, 9, 2, 10)), name="late.jpg")
    undated = add_photo(project, jpeg_bytes(), name="undated.jpg")
    early = add_photo(project, jpeg_bytes(taken=datetime(2025, 9, 1, 10)), name="early.jpg")

    def names() -> list[str]:
        return [
            p["original_name"]
            for p in bob_client.get(api_url(project, "photos/")).json()["results"]
        ]

    assert names() == ["late.jpg", "undated.jpg", "early.jpg"]

    caption = patch(
        bob_client,
        api_url(project, f"photos/{late.public_id}/"),
        {"caption": "  Sunset\n at the pier "},
    )
    assert caption.json()["caption"] == "Sunset at the pier"

    order = [str(p.public_id) for p in (early, late, undated)]
    reordered = post(bob_client, api_url(project, "photos/reorder/"), {"order": order})
    assert [p["id"] for p in reordered.json()["results"]] == order
    assert names() == ["early.jpg", "late.jpg", "undated.jpg"]

    post(bob_client, api_url(project, "photos/reorder/"), {"order": order[::-1]})
    sorted_ = post(bob_client, api_url(project, "photos/sort-by-date/"))
    assert [p["original_name"] for p in sorted_.json()["results"]] == [
        "early.jpg",
        "late.jpg",
        "undated.jpg",
    ]

    before = len(keys_of(bob))
    assert bob_client.delete(api_url(project, f"photos/{late.public_id}/")).status_code == 204
    assert names() == ["early.jpg", "undated.jpg"]
    assert len(keys_of(bob)) == before - 2
    assert not any(str(late.public_id) in key for key in keys_of(bob))


def test_it_refuses_an_order_that_drops_or_repeats_a_photo(
    media: Storage,
    bob_client: Any,
    project: VideoProject,
    add_photo: Callable[..., Photo],
) -> None:
    a, b = add_photo(project), add_photo(project)
    response = post(
        bob_client,
        api_url(project, "photos/reorder/"),
        {"order": [str(a.public_id), str(a.public_id)]},
    )
    assert response.status_code == 400
    assert "exactly once" in response.json()["error"]["message"]
    assert list(project.photos.values_list("id", flat=True)) == [a.id, b.id]


def test_it_never_shows_sequential_ids(
    media: Storage,
    bob_client: Any,
    project: VideoProject,
    add_photo: Callable[..., Photo],
) -> None:
    photo = add_photo(project)
    bodies = [
        bob_client.get("/api/v1/projects/").content.decode(),
        bob_client.get(api_url(project)).content.decode(),
        bob_client.get(api_url(project, f"photos/{photo.public_id}/")).content.decode(),
    ]
    for body in bodies:
        ids = re.findall(r'"id":\s*("?[^,}]+)', body)
        assert ids and all(re.fullmatch(r'"[0-9a-f-]{36}"', i) for i in ids), ids


def test_it_publishes_an_openapi_schema_of_the_api(client: Any) -> None:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "openapi: 3" in schema
    for path in (
        "/api/v1/projects/",
        "/api/v1/projects/{project_id}/photos/",
        "/api/v1/projects/{project_id}/photos/direct-uploads/",
    ):
        assert path in schema


def test_it_serves_interactive_docs_from_our_own_static_files(client: Any) -> None:
    from django.contrib.staticfiles import finders

    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style>" not in html and "<script>" not in html  # our CSP allows neither inline
    bundle = re.search(r'src="(/static/[^"]+swagger-ui-bundle\.js)"', html)
    assert bundle, html
    assert finders.find(bundle.group(1).removeprefix("/static/"))  # shipped in a wheel, no CDN
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
