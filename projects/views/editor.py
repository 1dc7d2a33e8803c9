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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.entitlements import Entitlements, get_entitlements
from projects.ai.config import ai_settings
from projects.errors import ProjectsError
from projects.models import (
    Aspect,
    CaptionSource,
    Photo,
    Resolution,
    SuggestionField,
    SuggestionState,
    VideoProject,
)
from projects.selectors import (
    ai_request_latest,
    ai_requests_this_month,
    ai_suggestions,
    photo_list,
    project_get,
)
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
    title = request.POST.get("title", "").strip() or _("My memory video")
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
    messages.success(request, _("Saved. Your video will use these settings."))
    return redirect("project-editor", project_id=project.public_id)


@require_POST
@login_required
def project_music_upload_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    upload = request.FILES.get("music")
    if upload is None:
        messages.error(request, _("Choose an audio file first."))
        return redirect("project-editor", project_id=project.public_id)
    try:
        with local_path(upload) as path:
            project_music_upload(
                project=project, path=path, name=upload.name or "music", size=upload.size or 0
            )
    except ProjectsError as exc:
        return render_editor(request, project, error=exc, status=400)
    messages.success(request, _("Your track is ready. The video will use it as its music."))
    return redirect("project-editor", project_id=project.public_id)


@require_POST
@login_required
def project_delete_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    title = project.title
    project_delete(project=project)
    messages.success(request, _("“%(title)s” and its photos are deleted.") % {"title": title})
    return redirect("home")


def settings_from_post(post: QueryDict) -> dict[str, Any]:
    """The settings form's fields as ``project_update`` arguments (also posted with a render)."""
    return {
        "title": post.get("title"),
        "story": post.get("story"),
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
    ai = _ai_context(request, project, photos, limits)
    context = {
        "project": project,
        "photos": photos,
        "photo_cards": [(photo, ai["captions"].get(photo.pk)) for photo in photos],
        "ai": ai,
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


def _ai_context(
    request: HttpRequest, project: VideoProject, photos: list[Photo], limits: Entitlements
) -> dict[str, Any]:
    """The "Words by AI" panel's first state; static/projects/ai.js keeps it live from the API.

    Suggestions are shown only while AI writing is set up on the server and on for the project.
    """
    configured = bool(ai_settings().api_key)
    used = ai_requests_this_month(user=request.user) if configured else 0
    shown = configured and project.ai_enabled
    suggestions = list(ai_suggestions(project=project)) if shown else []
    by_field = {s.field: s for s in suggestions if s.field != SuggestionField.CAPTION}
    order = by_field.get(SuggestionField.ORDER)
    position = {str(photo.public_id): index for index, photo in enumerate(photos, start=1)}
    named = {str(photo.public_id): photo for photo in photos}
    return {
        "configured": configured,
        "used": used,
        "allowed": limits.ai_drafts_per_month,
        "left": max(0, limits.ai_drafts_per_month - used),
        "request": ai_request_latest(project=project) if shown else None,
        "title": by_field.get(SuggestionField.TITLE),
        "story": by_field.get(SuggestionField.STORY),
        "order": order,
        "moves": [
            {
                "photo": named[step["photo"]],
                "reason": step.get("reason", ""),
                "to": index,
                "from": position[step["photo"]],
            }
            for index, step in enumerate(order.order if order else [], start=1)
            if step.get("photo") in named
        ],
        "captions": {
            s.photo_id: s for s in suggestions if s.field == SuggestionField.CAPTION and s.photo_id
        },
        # Something left for "Accept all", which never replaces a caption the user wrote.
        "has_pending": any(
            s.state == SuggestionState.PENDING
            and not (s.photo and s.photo.caption and s.photo.caption_source == CaptionSource.USER)
            for s in suggestions
        ),
    }


def _describe(exc: ProjectsError) -> str:
    details = [f"{problems[0]}" for problems in exc.fields.values() if problems]
    return " ".join([exc.message, *details]) if details else exc.message
