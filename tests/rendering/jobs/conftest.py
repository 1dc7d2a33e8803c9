"""Fixtures for render jobs: bob's project with photos, the private broker and workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import Storage

from accounts.models import User
from photomemory.celery import app as celery_app
from projects.models import VideoProject
from projects.services import project_create
from tests.conftest import S3_BUCKET, S3_CREDENTIALS
from tests.projects.conftest import add_photo, jpeg_bytes  # noqa: F401 - fixture, helper
from tests.rendering.jobs.support import AsgiServer, RedisServer, Worker, broker_settings_for

__all__ = ["add_photo", "jpeg_bytes"]


@pytest.fixture
def media(s3_storage: Storage) -> Storage:
    return s3_storage


@pytest.fixture
def bob_project(bob: User, media: Storage, add_photo: Callable[..., Any]) -> VideoProject:
    """Three small photos in a 720p project (the smallest real render)."""
    project = project_create(owner=bob, title="Weekend at the lake", resolution="720p")
    for index, colour in enumerate([(200, 120, 60), (60, 140, 200), (90, 180, 90)]):
        add_photo(project, jpeg_bytes((640, 480), colour=colour), name=f"IMG_{index}.JPG")
    return project


@pytest.fixture(scope="session")
def redis_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def broker(redis_broker: RedisServer) -> Iterator[RedisServer]:
    """This process enqueues to the private broker (and finds it running and empty), so no
    test leaves render messages in the shared Redis."""
    Worker.stop_all()
    if redis_broker.process is None or redis_broker.process.poll() is not None:
        redis_broker.start()
    import redis

    redis.Redis(port=redis_broker.port).flushall()
    previous = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    broker_settings_for(celery_app, redis_broker.url)
    celery_app.set_current()  # services send through current_app
    yield redis_broker
    Worker.stop_all()
    broker_settings_for(celery_app, *previous)


def s3_env(endpoint: str) -> dict[str, str]:
    """What a subprocess needs to use the same private bucket on the moto endpoint."""
    return {
        "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": S3_CREDENTIALS["access_key"],
        "AWS_SECRET_ACCESS_KEY": S3_CREDENTIALS["secret_key"],
        "AWS_S3_REGION_NAME": S3_CREDENTIALS["region_name"],
    }


@pytest.fixture
def start_worker(
    broker: RedisServer, s3_endpoint: str, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    """Start `celery worker` processes against the test database, the broker and moto S3."""
    started: list[Worker] = []

    def start(name: str = "w1", *, concurrency: int = 1, **env: str) -> Worker:
        worker = Worker(name, tmp_path, broker, {**s3_env(s3_endpoint), **env})
        started.append(worker)
        return worker.start(concurrency=concurrency)

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def asgi_server(broker: RedisServer, s3_endpoint: str, tmp_path: Path) -> Iterator[AsgiServer]:
    server = AsgiServer(tmp_path, {**s3_env(s3_endpoint), "REDIS_URL": broker.url}).start()
    yield server
    server.stop()
