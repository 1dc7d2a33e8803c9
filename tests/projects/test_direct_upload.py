"""Direct-to-storage uploads for mobile: start → POST the file to S3 → finish; the server then
validates the file exactly as it does a multipart upload."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from django.core.files.storage import Storage

from accounts.models import User
from projects.models import Photo, VideoProject
from tests.projects.conftest import api_url, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def start(client: Any, project: VideoProject, name: str, size: int) -> Any:
    return client.post(
        api_url(project, "photos/direct-uploads/"),
        {"name": name, "size": size},
        content_type="application/json",
    )


def put_file(started: dict[str, Any], data: bytes) -> requests.Response:
    upload = started["upload"]
    return requests.post(
        upload["url"], data=upload["fields"], files={"file": ("photo.jpg", data)}, timeout=10
    )


def finish(client: Any, project: VideoProject, token: str) -> Any:
    return client.post(
        api_url(project, "photos/direct-uploads/complete/"),
        {"token": token},
        content_type="application/json",
    )


def test_it_adds_a_photo_uploaded_straight_to_storage(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    data = jpeg_bytes((1000, 750))
    started = start(bob_client, project, "IMG_7.HEIC", len(data))
    assert started.status_code == 201
    body = started.json()
    assert body["upload"]["fields"]["key"].startswith(
        f"{bob.public_id}/projects/{project.public_id}/uploads/"
    )
    assert "policy" in {k.lower() for k in body["upload"]["fields"]}
    assert put_file(body, data).status_code in (200, 204)

    done = finish(bob_client, project, body["token"])

    assert done.status_code == 201, done.content
    assert done.json()["original_name"] == "IMG_7.HEIC"
    assert (done.json()["width"], done.json()["height"]) == (1000, 750)
    assert not any("/uploads/" in key for key in keys_of(bob))  # the raw upload is gone


def test_it_validates_a_direct_upload_by_decoding_and_cleans_up(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    data = b"<html><body>not a photo</body></html>"
    body = start(bob_client, project, "a.jpg", len(data)).json()
    put_file(body, data)
    done = finish(bob_client, project, body["token"])
    assert done.status_code == 400
    assert "web page" in done.json()["error"]["message"]
    assert not Photo.objects.exists()
    assert keys_of(bob) == []


def test_it_refuses_to_finish_before_the_file_arrived(
    media: Storage, bob_client: Any, project: VideoProject
) -> None:
    body = start(bob_client, project, "a.jpg", 1000).json()
    done = finish(bob_client, project, body["token"])
    assert done.status_code == 400
    assert "has not arrived" in done.json()["error"]["message"]


def test_it_refuses_a_forged_or_foreign_token(
    media: Storage, bob_client: Any, bob: User, project: VideoProject
) -> None:
    from projects.services import project_create

    other = project_create(owner=bob, title="Other")
    body = start(bob_client, other, "a.jpg", 1000).json()
    assert finish(bob_client, project, body["token"]).json()["error"]["message"] == (
        "This upload belongs to another project."
    )
    assert (
        "not valid" in finish(bob_client, project, body["token"] + "x").json()["error"]["message"]
    )


@pytest.mark.parametrize(
    ("name", "size", "status", "message"),
    [
        ("../../x.jpg", 1000, 400, "folder path"),
        ("photo\x00.jpg", 1000, 400, "Null characters are not allowed"),
        ("gpj.\u202eexe", 1000, 400, "control characters"),
        ("a" * 300 + ".jpg", 1000, 400, "too long"),
        ("big.jpg", 26 * 1024 * 1024, 413, "larger than 25 MB"),
        ("empty.jpg", 0, 400, "is empty"),
    ],
)
def test_it_refuses_hostile_names_and_sizes_before_handing_out_a_form(
    media: Storage,
    bob_client: Any,
    project: VideoProject,
    name: str,
    size: int,
    status: int,
    message: str,
) -> None:
    response = start(bob_client, project, name, size)
    assert response.status_code == status
    assert message in response.json()["error"]["message"]


def test_it_limits_the_storage_form_to_the_plans_size_and_a_short_expiry(
    media: Storage, bob_client: Any, project: VideoProject
) -> None:
    body = start(bob_client, project, "a.jpg", 1000).json()
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    assert ["content-length-range", 1, 25 * 1024 * 1024] in policy["conditions"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(minutes=15)
    assert body["expires_in"] == 900
