"""The demo account's ready-made sample project: the bundled photos, made into a video once, so a
new user who signs in to the demo sees a finished, playable video before making their own."""

from __future__ import annotations

from pathlib import Path

from accounts.models import User
from projects.models import VideoProject
from projects.services import photo_add, project_create
from rendering.errors import RenderingError
from rendering.models import GeneratedVideo, VideoStatus
from rendering.selectors import video_last_completed
from rendering.services import video_render, video_request_render

SAMPLE_TITLE = "Our sample memories"
SAMPLE_PHOTOS = Path(__file__).resolve().parents[1] / "rendering" / "samples" / "photos"


def demo_project_ensure(
    *, user: User, photos_dir: Path = SAMPLE_PHOTOS
) -> tuple[VideoProject, GeneratedVideo]:
    """The user's sample project with its finished video, made through the same services as any
    upload and render (so it plays, streams and downloads like one). Safe to run again: what is
    there already is kept, and only a missing photo or video is made."""
    project = VideoProject.objects.filter(owner=user, title=SAMPLE_TITLE).first()
    if project is None:
        project = project_create(owner=user, title=SAMPLE_TITLE, resolution="720p")
    have = set(project.photos.values_list("original_name", flat=True))
    for path in sorted(photos_dir.glob("*.jpg")):
        if path.name not in have:
            photo_add(project=project, path=path, name=path.name, size=path.stat().st_size)
    video = video_last_completed(project=project)
    if video is not None:
        return project, video
    # Rendered here, in this process: the demo's worker is not running yet. The job it is also
    # handed finds the video finished and skips it.
    video, _created = video_request_render(user=user, project=project)
    video_render(video_id=video.pk)
    video.refresh_from_db()
    if video.status != VideoStatus.COMPLETED:
        raise RenderingError(f"The sample video could not be made: {video.error_message}")
    return project, video
