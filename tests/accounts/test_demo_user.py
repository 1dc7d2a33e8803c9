"""`manage.py create_demo_user` gives a working, verified account, however often it runs, and
with `--sample-project` a sample project whose video is finished (what `make demo` runs)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.demo import SAMPLE_PHOTOS, SAMPLE_TITLE
from accounts.management.commands.create_demo_user import DEMO_EMAIL, DEMO_PASSWORD
from accounts.models import User
from projects import storage
from projects.models import VideoProject
from rendering.models import GeneratedVideo, VideoStatus

pytestmark = pytest.mark.django_db


def test_it_creates_a_verified_demo_account_once(client: Client) -> None:
    out = StringIO()
    call_command("create_demo_user", stdout=out)
    call_command("create_demo_user", stdout=out)

    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    assert EmailAddress.objects.get(email=DEMO_EMAIL).verified
    assert DEMO_EMAIL in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_the_demo_account_opens_on_a_sample_project_with_a_finished_video(
    client: Client, s3_storage: Any, settings: Any
) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 1.5  # a short render; the demo's own is full length
    settings.RENDER_TICK = 0.1
    out = StringIO()
    call_command("create_demo_user", "--sample-project", stdout=out)
    call_command("create_demo_user", "--sample-project", stdout=out)  # again: nothing new

    user = User.objects.get(email=DEMO_EMAIL)
    project = VideoProject.objects.get(owner=user)
    assert project.title == SAMPLE_TITLE
    names = sorted(p.name for p in SAMPLE_PHOTOS.glob("*.jpg"))
    assert sorted(project.photos.values_list("original_name", flat=True)) == names
    video = GeneratedVideo.objects.get(project=project)  # rendered once, not on every run
    assert video.status == VideoStatus.COMPLETED and video.photo_count == len(names)
    assert video.output_key and video.poster_key and (video.duration or 0) > 1
    assert f"/projects/{project.public_id}/" in out.getvalue()

    client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert SAMPLE_TITLE in client.get("/").content.decode()
    html = client.get(f"/projects/{project.public_id}/").content.decode()
    assert 'id="player"' in html and "Make it again" in html
    played = client.get(f"/projects/{project.public_id}/videos/{video.public_id}/mp4")
    assert played.status_code in (200, 302)
    assert storage.size(video.output_key) == video.size_bytes
