"""Web pages' render actions: start, cancel, retry (forms that work without JavaScript), and the
owner-only video files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from billing.errors import LimitExceeded
from projects import storage
from projects.errors import ProjectsError
from projects.filenames import content_disposition
from projects.selectors import project_get
from projects.services import project_update
from projects.views.editor import render_editor, settings_from_post
from projects.views.files import private_file_response
from rendering.errors import RenderingError
from rendering.media import KINDS, video_file
from rendering.selectors import video_active, video_get
from rendering.services import video_cancel, video_request_render, video_retry


@require_POST
@login_required
def project_render_view(request: HttpRequest, project_id: str) -> HttpResponse:
    project = project_get(user=request.user, public_id=project_id)
    # The editor's render button submits the settings form: what is selected on screen is what
    # gets rendered, whether or not it was saved first. A refused setting renders nothing and
    # shows the editor with the user's choice and the reason.
    if "style" in request.POST and not video_active(project=project):
        try:
            project_update(project=project, **settings_from_post(request.POST))
        except ProjectsError as exc:
            return render_editor(request, project, error=exc, status=400)
    try:
        _video, created = video_request_render(
            user=request.user, project=project, burn_text=_burn_text(request)
        )
    except (RenderingError, LimitExceeded) as exc:
        _report(request, exc)
    else:
        if created:
            messages.success(request, _("Your video is being made. You can leave this page."))
    return redirect("project-editor", project_id=project.public_id)


@require_POST
@login_required
def video_cancel_view(request: HttpRequest, project_id: str, video_id: str) -> HttpResponse:
    video = video_get(user=request.user, project_id=project_id, public_id=video_id)
    try:
        video_cancel(video=video)
    except (RenderingError, LimitExceeded) as exc:
        _report(request, exc)
    else:
        messages.info(request, _("Stopped. Nothing was counted against your plan."))
    return redirect("project-editor", project_id=video.project.public_id)


@require_POST
@login_required
def video_retry_view(request: HttpRequest, project_id: str, video_id: str) -> HttpResponse:
    video = video_get(user=request.user, project_id=project_id, public_id=video_id)
    try:
        video_retry(video=video)
    except (RenderingError, LimitExceeded) as exc:
        _report(request, exc)
    return redirect("project-editor", project_id=video.project.public_id)


@require_safe
@login_required
def video_file_view(
    request: HttpRequest, project_id: str, video_id: str, kind: str
) -> HttpResponseBase:
    if kind not in KINDS:
        raise Http404("No such file.")
    video = video_get(user=request.user, project_id=project_id, public_id=video_id)
    language = request.GET.get("lang") or None
    key, content_type, name, inline = video_file(video, kind, language=language)
    if not key:
        raise Http404("This video is not ready." if kind != "vtt" else "No such subtitles.")
    if kind == "vtt":
        return _subtitles_response(request, key=key, content_type=content_type, name=name)
    return private_file_response(
        key, request=request, content_type=content_type, name=name, inline=inline
    )


def _subtitles_response(
    request: HttpRequest, *, key: str, content_type: str, name: str
) -> HttpResponse:
    """A subtitle track, served by us even where storage presigns (S3).

    The player fetches a ``<track>`` in CORS mode: a redirect to a presigned S3 URL is another
    origin, which the browser refuses unless the bucket sends CORS headers for our site. A track
    is a few kilobytes, so reading it through this owner-checked view costs nothing and keeps
    the bucket private and CORS-free. (The API hands out presigned URLs: apps fetch them
    directly, without CORS.)"""
    try:
        with storage.media_storage().open(key, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404("This file is missing.") from None
    response = HttpResponse(b"" if request.method == "HEAD" else data, content_type=content_type)
    response["Content-Length"] = str(len(data))
    response["Content-Disposition"] = content_disposition(name, inline=True)
    response["Cache-Control"] = "private, max-age=600"
    return response


def _burn_text(request: HttpRequest) -> bool:
    """The panel's "words on the picture" box: a hidden ``off`` before the checkbox's ``on``, so
    the last value is the box's state; a form without it (older pages) draws the words."""
    values = request.POST.getlist("burn_text")
    return not values or values[-1] == "on"


def _report(request: HttpRequest, exc: RenderingError | LimitExceeded) -> None:
    # base.html adds an upgrade button to messages tagged "plan-limit".
    if isinstance(exc, LimitExceeded):
        messages.warning(request, exc.message, extra_tags="plan-limit")
    else:
        messages.error(request, exc.message)
