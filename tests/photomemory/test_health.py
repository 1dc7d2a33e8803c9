"""Liveness and readiness probes, against the real services (and a really closed port)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.test import Client

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_it_reports_alive(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_refuses_to_post_to_a_probe(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_it_is_ready_when_every_service_answers(client: Client, s3_storage: Storage) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert set(checks) == {"database", "broker", "storage", "ffmpeg"}
    assert checks["database"]["detail"] == "postgresql"
    assert checks["broker"]["detail"] == "redis"
    assert checks["storage"]["detail"] == "S3Storage"
    assert checks["ffmpeg"]["detail"].startswith("ffmpeg version")


def test_it_reports_a_stopped_broker_as_503(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert "refused" in body["checks"]["broker"]["error"].lower()
    assert body["checks"]["database"]["ok"] is True


def test_it_reports_a_missing_ffmpeg_as_503(client: Client, settings: Any) -> None:
    settings.FFMPEG_BINARY = "/nonexistent/ffmpeg"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["ffmpeg"]["ok"] is False


def test_it_answers_a_head_probe_without_a_body(client: Client, s3_storage: Storage) -> None:
    # Load balancers and uptime checks probe with HEAD.
    for path in ("/healthz", "/readyz"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b"", path
