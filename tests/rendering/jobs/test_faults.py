"""No job is ever lost: real `celery worker` processes, a real Redis and a real PostgreSQL,
and the faults deployments see — killed workers, duplicate deliveries, broker restarts and
outages, a database restart, a hanging FFmpeg, and users who cancel."""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest
from celery import current_app
from django.db import OperationalError, connection

from accounts.models import User
from projects.models import VideoProject
from projects.services import project_create
from projects.storage import iter_keys
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services.dispatch import RENDER_TASK
from rendering.services.worker import WORKDIR_PREFIX
from tests.projects.conftest import jpeg_bytes
from tests.rendering.jobs.support import RedisServer, Worker, ffmpeg_processes, wait_until
from tests.rendering.jobs.test_worker import render_via_api, wait_for_status

pytestmark = pytest.mark.django_db(transaction=True)

LONGER = {"RENDER_SECONDS_PER_PHOTO": "4"}  # long enough to catch a render in the act


def rendering_now(video_id: str, *, at_least: int = 12) -> GeneratedVideo:
    def check() -> GeneratedVideo | None:
        video = GeneratedVideo.objects.get(public_id=video_id)
        if video.status == VideoStatus.PROCESSING and video.progress >= at_least:
            return video
        assert video.status in ("queued", "processing"), (video.status, video.error_message)
        return None

    return wait_until(check, timeout=60, what="FFmpeg to be encoding", every=0.1)


def video_objects(user: User) -> list[str]:
    return sorted(k for k in iter_keys(f"{user.public_id}/") if "/videos/" in k)


def second_project(bob: User, add_photo: Callable[..., Any]) -> VideoProject:
    project = project_create(owner=bob, title="Second trip", resolution="720p")
    for colour in [(180, 60, 60), (60, 60, 180)]:
        add_photo(project, jpeg_bytes((640, 480), colour=colour))
    return project


def test_kill_9_of_the_worker_mid_render_loses_nothing_and_renders_each_job_once(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
    add_photo: Callable[..., Any],
) -> None:
    other = second_project(bob, add_photo)
    first = start_worker("w1", **LONGER)
    client.force_login(bob)
    jobs = [render_via_api(client, bob_project)["id"], render_via_api(client, other)["id"]]
    rendering_now(jobs[0])
    dead = first.pids()

    first.kill9()
    # FFmpeg reads its frames from the dead worker: it sees end of input and exits.
    wait_until(lambda: not ffmpeg_processes(), timeout=5, what="FFmpeg to exit")
    start_worker("w2", **LONGER)
    done = [wait_for_status(job, {"completed", "failed"}, timeout=120) for job in jobs]

    assert [v.status for v in done] == ["completed", "completed"], [v.error_message for v in done]
    assert done[0].attempt == 2  # the interrupted one ran again, once
    assert done[1].attempt == 1
    # Each video's MP4, poster and subtitles, and nothing a dead worker half-wrote.
    assert video_objects(bob) == sorted(k for v in done for k in v.object_keys())
    assert len(video_objects(bob)) == 6
    leftovers = [
        p
        for p in Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}*")
        if int(p.name.removeprefix(WORKDIR_PREFIX).split("-")[0]) in dead
    ]
    assert leftovers == []  # the new worker removed the dead one's temp folder


def test_the_same_task_delivered_twice_at_once_renders_once(
    bob: User,
    bob_project: VideoProject,
    broker: RedisServer,
    start_worker: Callable[..., Worker],
    settings: Any,
) -> None:
    video = GeneratedVideo.objects.create(
        project=bob_project, owner=bob, spec=_spec(bob_project), photo_count=3
    )
    for _ in range(2):
        current_app.send_task(RENDER_TASK, args=[video.pk])
    assert broker.queue_length() == 2
    worker = start_worker("w1", concurrency=2)  # both copies start together

    done = wait_for_status(str(video.public_id), {"completed", "failed"})
    assert done.status == VideoStatus.COMPLETED and done.attempt == 1
    wait_until(lambda: worker.count("succeeded") >= 2, timeout=20, what="both deliveries")
    assert worker.count("not queued any more") == 1
    assert len(video_objects(bob)) == 3  # one MP4, one poster, one subtitle track


def test_jobs_queued_before_a_redis_restart_all_complete(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    broker: RedisServer,
    start_worker: Callable[..., Worker],
    add_photo: Callable[..., Any],
) -> None:
    other = second_project(bob, add_photo)
    client.force_login(bob)
    jobs = [render_via_api(client, bob_project)["id"], render_via_api(client, other)["id"]]
    assert broker.queue_length() == 2
    broker.stop()  # no persistence: both messages are gone
    broker.start()
    assert broker.queue_length() == 0

    start_worker("w1")
    done = [wait_for_status(job, {"completed", "failed"}, timeout=120) for job in jobs]
    assert [v.status for v in done] == ["completed", "completed"]
    assert [v.attempt for v in done] == [1, 1]


def test_render_still_answers_fast_with_redis_down_and_runs_once_it_is_back(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    broker: RedisServer,
    start_worker: Callable[..., Worker],
) -> None:
    broker.stop()
    client.force_login(bob)
    started = time.monotonic()
    job = render_via_api(client, bob_project)
    assert time.monotonic() - started < 2.0
    assert job["status"] == "queued"

    broker.start()
    start_worker("w1")
    done = wait_for_status(job["id"], {"completed", "failed"})
    assert done.status == VideoStatus.COMPLETED and done.attempt == 1


def test_a_postgresql_restart_during_a_render_does_not_stop_it(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
) -> None:
    worker = start_worker("w1", **LONGER)
    client.force_login(bob)
    job = render_via_api(client, bob_project)["id"]
    rendering_now(job)
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    connection.close()  # ours died with the restart too

    def finished() -> GeneratedVideo | None:
        try:
            video = GeneratedVideo.objects.get(public_id=job)
        except OperationalError:
            connection.close()
            return None
        return video if video.status in ("completed", "failed") else None

    done = wait_until(finished, timeout=120, what="the render to finish", every=0.5)
    assert done.status == VideoStatus.COMPLETED, (done.error_message, worker.tail())
    assert done.attempt == 1
    assert "heartbeat failed" in worker.tail(400) or "database unavailable" in worker.tail(400)


def test_a_hanging_ffmpeg_is_killed_at_the_soft_limit_and_the_job_fails_clearly(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    pidfile = tmp_path / "ffmpeg.pid"
    fake = tmp_path / "ffmpeg"
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 600\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    worker = start_worker(
        "w1", FFMPEG_BINARY=str(fake), RENDER_SOFT_TIME_LIMIT="6", RENDER_HARD_TIME_LIMIT="30"
    )
    client.force_login(bob)
    job = render_via_api(client, bob_project)["id"]

    try:
        done = wait_for_status(job, {"completed", "failed"}, timeout=60)
    except AssertionError:
        raise AssertionError(worker.tail(80)) from None
    assert done.status == VideoStatus.FAILED, worker.tail()
    assert done.attempt == 1  # its lease was kept alive while it hung: no second try
    assert done.error_message.startswith("Rendering took longer than")
    pid = int(pidfile.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not GeneratedVideo.objects.filter(status=VideoStatus.PROCESSING).exists()


def test_cancel_stops_ffmpeg_within_two_seconds_and_keeps_nothing(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
) -> None:
    worker = start_worker("w1", **LONGER)
    client.force_login(bob)
    job = render_via_api(client, bob_project)["id"]
    rendering_now(job)
    assert ffmpeg_processes()
    response = client.post(f"/api/v1/projects/{bob_project.public_id}/videos/{job}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    pressed = time.monotonic()
    wait_until(lambda: not ffmpeg_processes(), timeout=2, what="FFmpeg to be killed")
    assert time.monotonic() - pressed < 2.0

    wait_until(lambda: worker.count("succeeded") >= 1, timeout=20, what="the task to end")
    video = GeneratedVideo.objects.get(public_id=job)
    assert video.status == VideoStatus.CANCELLED and not video.output_key
    assert video_objects(bob) == []
    workdirs = [
        p
        for p in Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}*")
        if int(p.name.removeprefix(WORKDIR_PREFIX).split("-")[0]) in worker.pids()
    ]
    assert workdirs == []


def _spec(project: VideoProject) -> dict[str, Any]:
    from rendering.services.requests import _spec as build

    return build(project)
