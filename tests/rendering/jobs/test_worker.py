"""A real `celery worker` renders jobs end to end: claim, render, publish to S3, notify."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from accounts.models import User
from projects.models import ProjectStatus, VideoProject
from rendering.models import GeneratedVideo, VideoStatus
from tests.conftest import S3_BUCKET, S3_CREDENTIALS
from tests.rendering.jobs.support import Worker, ffmpeg_processes, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def render_via_api(client: Any, project: VideoProject) -> dict[str, Any]:
    response = client.post(f"/api/v1/projects/{project.public_id}/render/")
    assert response.status_code == 202, response.content
    return dict(response.json())


def wait_for_status(video_id: str, statuses: set[str], *, timeout: float = 90) -> GeneratedVideo:
    def done() -> GeneratedVideo | None:
        video = GeneratedVideo.objects.get(public_id=video_id)
        return video if video.status in statuses else None

    return wait_until(done, timeout=timeout, what=f"video to be {'/'.join(statuses)}", every=0.2)


def test_a_render_request_becomes_a_published_video(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
    s3_endpoint: str,
) -> None:
    worker = start_worker()
    client.force_login(bob)
    job = render_via_api(client, bob_project)
    assert job["status"] == "queued"

    video = wait_for_status(job["id"], {"completed", "failed"})
    assert video.status == VideoStatus.COMPLETED, (video.error_message, worker.tail())
    assert video.attempt == 1 and video.progress == 100
    assert video.photo_count == 3 and video.duration and video.duration > 4
    assert (video.width, video.height) == (1280, 720)
    assert set(video.timings) >= {"queued", "inspect", "encode", "publish", "total"}
    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.COMPLETED

    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=S3_CREDENTIALS["region_name"],
    )
    prefix = f"{bob.public_id}/projects/{bob_project.public_id}/videos/"
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix)["Contents"])
    # The MP4, its poster and the WebVTT track of its words, side by side.
    assert keys == [f"{prefix}{video.public_id}.{ext}" for ext in ("jpg", "mp4", "vtt")]
    assert video.subtitles == [{"language": "en", "key": f"{prefix}{video.public_id}.vtt"}]
    head = s3.head_object(Bucket=S3_BUCKET, Key=video.output_key)
    assert head["ContentLength"] == video.size_bytes

    detail = client.get(f"/api/v1/projects/{bob_project.public_id}/videos/{video.public_id}/")
    body = detail.json()
    assert body["status"] == "completed" and body["video_url"].startswith(s3_endpoint)
    assert "response-content-disposition=attachment" in body["download_url"]
    assert not ffmpeg_processes()
