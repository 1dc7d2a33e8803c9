"""Render-job services: the only code that changes GeneratedVideo rows.

``requests``: what users and staff ask for (render, cancel, retry).
``dispatch``: handing jobs to the broker, and the sweeper that re-queues lost ones.
``worker``: what a Celery worker does with a job (claim, render, publish).
"""

from rendering.services.dispatch import video_dispatch, videos_sweep
from rendering.services.requests import video_cancel, video_request_render, video_retry
from rendering.services.worker import video_render

__all__ = [
    "video_cancel",
    "video_dispatch",
    "video_render",
    "video_request_render",
    "video_retry",
    "videos_sweep",
]
