"""The project's status after one of its renders ends without a video.

A cancelled or failed re-render does not take away the video made before it: the editor keeps
showing that one, so the dashboard must not call the project "Cancelled" or "Failed" either.
"""

from __future__ import annotations

from projects.models import ProjectStatus, VideoProject
from rendering.models import GeneratedVideo, VideoStatus


def project_status_settle(*, project_id: int, ended: str) -> str:
    """Mark the project ``ended`` (cancelled or failed) unless it still has a finished video,
    in which case it stays completed. Returns the status written."""
    has_video = GeneratedVideo.objects.filter(
        project_id=project_id, status=VideoStatus.COMPLETED
    ).exists()
    status = ProjectStatus.COMPLETED if has_video else ended
    VideoProject.objects.filter(pk=project_id).update(status=status)
    return status
