"""``{% translations_panel project %}``: the editor's Languages panel, drawn from the services."""

from __future__ import annotations

from typing import Any

from django import template

from projects.models import VideoProject
from projects.services.translations import (
    allowed_languages,
    language_names,
    project_languages,
    translations_summary,
)
from projects.translation import get_translator

register = template.Library()


@register.inclusion_tag("projects/translations/_panel.html", takes_context=True)
def translations_panel(context: dict[str, Any], project: VideoProject) -> dict[str, Any]:
    from billing.entitlements import get_entitlements

    names = language_names()
    added = set(project_languages(project=project))
    user = context["request"].user
    return {
        "project": project,
        "project_language": names.get(project.language, project.language),
        "configured": get_translator().configured,
        "languages": translations_summary(project=project),
        "available": [
            (code, names[code]) for code in allowed_languages(project=project) if code not in added
        ],
        "allowed": get_entitlements(user=user).languages_per_video,
    }
