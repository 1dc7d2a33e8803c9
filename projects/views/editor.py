"""Web pages for one project: create, edit (photos and options), delete.

Photo uploads, captions and reordering go through the API (session-authenticated) from
static/projects/editor.js; these views handle the forms that work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from billing.entitlements import get_entitlements
from projects.errors import ProjectsError
from projects.models import Aspect, Resolution, VideoProject
from projects.selectors import photo_list, project_get
from projects.services import (
    project_create,
    project_delete,
    project_music_upload,
    project_update,
)
from projects.upload_files import local_path
from projects.views.home import STYLE_CARDS


@require_POST
@login_required
def project_create_view(request: HttpRequest) -> HttpResponse:
    title = request.POST.get("title", "").strip() or "My memory video"
    try:
        project = project_create(owner=request.user, title=title)
    except ProjectsError as exc:
        messages.error(request, _describe(exc))
        return redirect("home")
    return redirect("project-editor", project_id=project.public_id)


@require_GET
@login_required
def project_editor_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    return render_editor(request, project)


@require_POST
@login_required
def project_update_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    try:
        project_update(project=project, **settings_from_post(request.POST))
    except ProjectsError as exc:
        return render_editor(request, project, error=exc, status=400)
    messages.success(request, "Saved. Your video will use these settings.")
    return redirect("project-editor", project_id=project.public_id)


@require_POST
@login_required
def project_music_upload_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    upload = request.FILES.get("music")
    if upload is None:
        messages.error(request, "Choose an audio file first.")
        return redirect("project-editor", project_id=project.public_id)
    try:
        with local_path(upload) as path:
            project_music_upload(
                project=project, path=path, name=upload.name or "music", size=upload.size or 0
            )
    except ProjectsError as exc:
        return render_editor(request, project, error=exc, status=400)
    messages.success(request, "Your track is ready. The video will use it as its music.")
    return redirect("project-editor", project_id=project.public_id)


@require_POST
@login_required
def project_delete_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    title = project.title
    project_delete(project=project)
    messages.success(request, f"“{title}” and its photos are deleted.")
    return redirect("home")


def settings_from_post(post: QueryDict) -> dict[str, Any]:
    """The settings form's fields as ``project_update`` arguments (also posted with a render)."""
    return {
        "title": post.get("title"),
        "style": post.get("style"),
        "aspect": post.get("aspect"),
        "resolution": post.get("resolution"),
        # "own" keeps the uploaded track; only "default" and "none" change the music.
        "music": post.get("music") if post.get("music") != "own" else None,
        "keep_originals": post.get("keep_originals") == "on",
    }


def render_editor(
    request: HttpRequest,
    project: VideoProject,
    *,
    error: ProjectsError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The editor page. After a refused save ``project`` still holds what the user chose (it is
    not reloaded), so the form shows their choice beside the error instead of discarding it."""
    limits = get_entitlements(user=request.user)
    photos = list(photo_list(project=project))
    context = {
        "project": project,
        "photos": photos,
        "limits": limits,
        "max_upload_mb": limits.max_upload_bytes // (1024 * 1024),
        "styles": STYLE_CARDS,
        "aspects": Aspect.choices,
        "resolutions": [
            (value, label, limits.allows_resolution(value)) for value, label in Resolution.choices
        ],
        "error": error,
        "error_text": _describe(error) if error else "",
    }
    return render(request, "projects/editor.html", context, status=status)


def _describe(exc: ProjectsError) -> str:
    details = [f"{problems[0]}" for problems in exc.fields.values() if problems]
    return " ".join([exc.message, *details]) if details else exc.message
