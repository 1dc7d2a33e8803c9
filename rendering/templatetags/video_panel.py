"""``{% video_panel project %}``: the editor's "Your video" panel (render, progress, player)."""

from __future__ import annotations

from typing import Any

from django import template

from billing.entitlements import get_entitlements
from projects.models import VideoProject
from rendering.selectors import renders_this_month, video_latest

register = template.Library()


@register.inclusion_tag("rendering/video_panel.html", takes_context=True)
def video_panel(context: dict[str, Any], project: VideoProject, photo_count: int) -> dict[str, Any]:
    request = context["request"]
    limits = get_entitlements(user=request.user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "project": project,
        "video": video_latest(project=project),
        "photo_count": photo_count,
        "renders_used": renders_this_month(user=request.user),
        "renders_allowed": limits.renders_per_month,
    }
