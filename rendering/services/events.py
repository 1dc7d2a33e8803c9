"""Progress pushed to the owner: PostgreSQL NOTIFY on ``video_generation_<user>``.

The payload is small JSON; listeners (the server-sent-events view) re-read the row when they
need more. Other databases (the embedded SQLite) have no NOTIFY: listeners poll the row instead.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import connection

from rendering.models import GeneratedVideo

CHANNEL_PREFIX = "video_generation_"


def channel_for(user_public_id: uuid.UUID) -> str:
    """The NOTIFY channel of one user (an SQL identifier: letters, digits, underscores)."""
    return f"{CHANNEL_PREFIX}{user_public_id.hex}"


def video_event_payload(video: GeneratedVideo) -> dict[str, Any]:
    return {
        "video": str(video.public_id),
        "project": str(video.project.public_id),
        "status": video.status,
        "progress": video.progress,
        "stage": video.stage,
        "eta_seconds": video.eta_seconds,
    }


def video_publish_event(video: GeneratedVideo) -> None:
    """Tell the owner's listeners about ``video``; delivered when the transaction commits."""
    publish_payload(video.owner.public_id, video_event_payload(video))


def publish_payload(user_public_id: uuid.UUID, payload: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        return
    data = json.dumps(payload, separators=(",", ":"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [channel_for(user_public_id), data])
