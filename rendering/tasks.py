"""Celery tasks: thin wrappers that take an id and call one service.

Delivery is at-least-once (acks_late, reject on worker loss; see settings), so every task is
safe to run twice: ``video_render`` claims the row atomically and a second delivery skips.
"""

from __future__ import annotations

from celery import shared_task

from rendering.services import video_render, videos_sweep
from rendering.services.worker import TRANSIENT


@shared_task(
    name="rendering.tasks.render_video",
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=6,
)  # type: ignore[untyped-decorator]
def render_video(video_id: int) -> str:
    return video_render(video_id=video_id)


@shared_task(name="rendering.tasks.sweep_render_jobs", ignore_result=True)  # type: ignore[untyped-decorator]
def sweep_render_jobs() -> dict[str, int]:
    return videos_sweep()
