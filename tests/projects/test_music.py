"""Own music: an uploaded track is re-encoded by the server and replaces the style's music."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from projects.models import VideoProject
from tests.projects.conftest import api_url, wav_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def send(client: Any, project: VideoProject, data: bytes, name: str = "song.wav") -> Any:
    file = SimpleUploadedFile(name, data, content_type="audio/wav")
    return client.post(api_url(project, "music/"), {"file": file})


def test_it_uses_an_uploaded_track_as_the_music(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    response = send(bob_client, project, wav_bytes(2.0))
    assert response.status_code == 200, response.content
    assert response.json()["music"] == "uploaded"
    project.refresh_from_db()
    assert project.music.endswith(".m4a") and project.music in keys_of(bob)
    with media.open(project.music) as fh:
        assert fh.read(12)[4:8] == b"ftyp"  # our own AAC in MP4, not the uploaded WAV

    old = project.music
    send(bob_client, project, wav_bytes(1.0))
    project.refresh_from_db()
    assert project.music != old and old not in keys_of(bob)

    bob_client.patch(api_url(project), {"music": "none"}, content_type="application/json")
    assert [k for k in keys_of(bob) if k.endswith(".m4a")] == []


def test_it_refuses_a_file_that_is_not_audio(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    response = send(bob_client, project, b"<html>not a song</html>" * 100, name="song.mp3")
    assert response.status_code == 400
    assert "not an audio file we can play" in response.json()["error"]["message"]
    project.refresh_from_db()
    assert project.music == "default" and keys_of(bob) == []


def test_it_takes_a_track_from_the_editor_page(bob_client: Any, project: VideoProject) -> None:
    file = SimpleUploadedFile("our-song.wav", wav_bytes(), content_type="audio/wav")
    response = bob_client.post(f"/projects/{project.public_id}/music", {"music": file})
    assert response.status_code == 302
    page = bob_client.get(response["Location"]).content.decode()
    assert "Your track is ready." in page and "My own track" in page
