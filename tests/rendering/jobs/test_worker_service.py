"""The worker's service run in this process: outcomes users see (e-mail, skipped photos, clear
failures) and the transient errors that hand the job back for a retry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from accounts.models import User
from projects import storage
from projects.models import ProjectStatus, VideoProject
from rendering.models import GeneratedVideo, VideoStatus
from rendering.pipeline.ass import build_ass
from rendering.services import video_cancel, video_render, video_request_render

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 1.5
    settings.RENDER_TICK = 0.1


def test_a_finished_video_mails_its_owner_a_link(bob: User, bob_project: VideoProject) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    assert video_render(video_id=video.pk) == "completed"
    video.refresh_from_db()
    assert video.status == VideoStatus.COMPLETED and video.skipped == []
    [message] = mail.outbox
    assert message.to == [bob.email]
    assert message.subject == "[PhotoMemory AI] Your memory video “Weekend at the lake” is ready"
    assert f"/projects/{bob_project.public_id}/" in message.body
    assert "made from 3 photos" in message.body


def test_a_photo_gone_from_storage_is_left_out_by_name(
    bob: User, bob_project: VideoProject
) -> None:
    first = bob_project.photos.order_by("position").first()
    assert first is not None
    video, _ = video_request_render(user=bob, project=bob_project)
    storage.delete_keys([first.storage_key])
    assert video_render(video_id=video.pk) == "completed"
    video.refresh_from_db()
    assert video.photo_count == 2
    assert video.skipped == [{"name": "IMG_0.JPG", "reason": "missing from storage; add it again"}]


def test_with_every_photo_gone_the_job_fails_saying_what_to_do(
    bob: User, bob_project: VideoProject
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    storage.delete_keys([p.storage_key for p in bob_project.photos.all()])
    assert video_render(video_id=video.pk) == "failed"
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert video.error_message.startswith("The photos of this project are missing from storage.")
    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.FAILED


def test_a_storage_hiccup_hands_the_job_back_and_the_retry_renders_it(
    bob: User, bob_project: VideoProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    real = storage.download_to
    calls = {"n": 0}

    def flaky(key: str, target: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("connection reset by peer")
        real(key, target)

    monkeypatch.setattr(storage, "download_to", flaky)
    with pytest.raises(ConnectionError):  # the task's autoretry takes it from here
        video_render(video_id=video.pk)
    video.refresh_from_db()
    assert (video.status, video.claim_token) == (VideoStatus.QUEUED, None)

    assert video_render(video_id=video.pk) == "completed"
    video.refresh_from_db()
    assert video.attempt == 2


def test_a_job_cancelled_before_a_worker_took_it_is_skipped(
    bob: User, bob_project: VideoProject
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    video_cancel(video=video)
    assert video_render(video_id=video.pk) == "skipped"
    video.refresh_from_db()
    assert video.status == VideoStatus.CANCELLED and video.attempt == 0
    assert GeneratedVideo.objects.filter(output_key__gt="").count() == 0


def test_the_story_in_a_spec_goes_on_the_end_card_and_an_old_spec_needs_none(
    bob: User, bob_project: VideoProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []

    def recording(timeline: Any) -> str:
        written.append(build_ass(timeline))
        return written[-1]

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    video, _ = video_request_render(user=bob, project=bob_project)
    video.spec = {**video.spec, "story": "We swam {\\b1}every{\\b0} day."}
    video.save(update_fields=["spec"])
    assert video_render(video_id=video.pk) == "completed"
    (story,) = [ln for ln in written[0].splitlines() if ",story,," in ln]
    assert story.endswith("We swam \\{\\\u2060b1\\}every\\{\\\u2060b0\\} day.")

    old = {k: v for k, v in video.spec.items() if k != "story"}
    again, _ = video_request_render(user=bob, project=bob_project)
    GeneratedVideo.objects.filter(pk=again.pk).update(spec=old)
    assert video_render(video_id=again.pk) == "completed"
    assert not [ln for ln in written[1].splitlines() if ",story,," in ln]
