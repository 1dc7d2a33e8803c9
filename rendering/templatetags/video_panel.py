"""``{% video_panel project %}``: the editor's "Your video" panel (render, progress, player,
earlier videos)."""

from __future__ import annotations

from typing import Any

from django import template

from billing.entitlements import get_entitlements
from projects.models import VideoProject
from projects.views.home import STYLE_CARDS
from rendering.media import web_subtitles
from rendering.models import GeneratedVideo
from rendering.selectors import (
    renders_this_month,
    video_completed_get,
    video_history,
    video_last_completed,
    video_latest,
)

register = template.Library()

STYLE_NAMES = {card.key: card.name for card in STYLE_CARDS}


@register.inclusion_tag("rendering/video_panel.html", takes_context=True)
def video_panel(context: dict[str, Any], project: VideoProject, photo_count: int) -> dict[str, Any]:
    request = context["request"]
    limits = get_entitlements(user=request.user)
    latest = video_latest(project=project)
    # The player keeps the last finished video while a re-render runs, fails or is cancelled;
    # ?video=<id> plays an earlier one from the list.
    chosen = request.GET.get("video")
    current = video_completed_get(project=project, public_id=chosen) if chosen else None
    current = current or video_last_completed(project=project)
    history = video_history(project=project)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "project": project,
        "video": latest,
        "current": current,
        "current_style": _style_name(current) if current else "",
        # <track>s of the playing video, the viewer's language on by default.
        "subtitles": web_subtitles(current, _viewer_language(request)) if current else [],
        # The next render draws the words unless the last one was asked not to.
        "burn_text": _last_burn_text(latest or current),
        "history": [{"video": v, "style": _style_name(v)} for v in history],
        "photo_count": photo_count,
        "renders_used": renders_this_month(user=request.user),
        "renders_allowed": limits.renders_per_month,
    }


def _viewer_language(request: Any) -> str:
    return str(getattr(request, "LANGUAGE_CODE", "") or "")


def _last_burn_text(video: GeneratedVideo | None) -> bool:
    return bool(video.spec.get("burn_text", True)) if video is not None else True


def _style_name(video: GeneratedVideo) -> str:
    # The spec is what the video was made with; the project's style may have changed since.
    key = str(video.spec.get("style", ""))
    return str(STYLE_NAMES.get(key, key.capitalize()))  # in the page's language
