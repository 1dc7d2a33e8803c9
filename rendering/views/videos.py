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
from projects.errors import ProjectsError
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
        _video, created = video_request_render(user=request.user, project=project)
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
    key, content_type, name, inline = video_file(video, kind)
    if not key:
        raise Http404("This video is not ready.")
    return private_file_response(
        key, request=request, content_type=content_type, name=name, inline=inline
    )


def _report(request: HttpRequest, exc: RenderingError | LimitExceeded) -> None:
    # base.html adds an upgrade button to messages tagged "plan-limit".
    if isinstance(exc, LimitExceeded):
        messages.warning(request, exc.message, extra_tags="plan-limit")
    else:
        messages.error(request, exc.message)
