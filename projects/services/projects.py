"""Create, change and delete projects."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from billing.entitlements import get_entitlements
from projects import storage
from projects.errors import NotEditable, PlanLimitReached, ProjectsError
from projects.models import (
    MUSIC_DEFAULT,
    MUSIC_NONE,
    Aspect,
    ProjectStatus,
    Resolution,
    Style,
    VideoProject,
)

_LANGUAGES = {code for code, _name in settings.VIDEO_LANGUAGES}
_FLAGS = {"keep_originals", "ai_enabled", "ai_places"}
MAX_STORY = 600


def project_create(
    *,
    owner: Any,
    title: str,
    style: str = Style.CLASSIC,
    aspect: str = Aspect.LANDSCAPE,
    resolution: str = Resolution.FULL_HD,
    language: str | None = None,
    keep_originals: bool = False,
) -> VideoProject:
    """A new draft project owned by ``owner``."""
    project = VideoProject(owner=owner, language=language or owner.language or "en")
    _apply(
        project,
        owner=owner,
        title=title,
        style=style,
        aspect=aspect,
        resolution=resolution,
        language=project.language,
        keep_originals=keep_originals,
    )
    project.save()
    return project


def project_update(
    *,
    project: VideoProject,
    title: str | None = None,
    style: str | None = None,
    aspect: str | None = None,
    resolution: str | None = None,
    language: str | None = None,
    music: str | None = None,
    keep_originals: bool | None = None,
    story: str | None = None,
    ai_enabled: bool | None = None,
    ai_places: bool | None = None,
) -> VideoProject:
    """Change any of the given options; ``None`` leaves an option as it is.

    ``music`` here is ``"default"`` or ``"none"``; an own track comes in through an upload.
    """
    ensure_editable(project)
    if music is not None and music not in (MUSIC_DEFAULT, MUSIC_NONE):
        raise ProjectsError(
            _("Choose the style's music, no music, or upload your own track."),
            fields={"music": [_("Must be “default” or “none”.")]},
        )
    changed = _apply(
        project,
        owner=project.owner,
        title=title,
        style=style,
        aspect=aspect,
        resolution=resolution,
        language=language,
        keep_originals=keep_originals,
        story=story,
        ai_enabled=ai_enabled,
        ai_places=ai_places,
    )
    old_track = project.music if project.has_own_music and music is not None else ""
    if music is not None and music != project.music:
        project.music = music
        changed.append("music")
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
    if old_track and old_track != project.music:
        transaction.on_commit(lambda: storage.delete_keys([old_track]))
    return project


def project_delete(*, project: VideoProject) -> None:
    """Delete the project, its photos and every object under its storage prefix."""
    prefix = storage.project_prefix(project.owner.public_id, project.public_id)
    project.delete()
    # After commit: a rolled-back delete must not have lost the photos.
    transaction.on_commit(lambda: storage.delete_keys(list(storage.iter_keys(prefix))))


def ensure_editable(project: VideoProject) -> None:
    if project.status == ProjectStatus.PROCESSING:
        raise NotEditable(_("This project is being made into a video right now. Try again after."))


def _apply(project: VideoProject, *, owner: Any, **values: Any) -> list[str]:
    errors: dict[str, list[str]] = {}
    changed: list[str] = []
    for field, value in values.items():
        if value is None:
            continue
        if field == "title":
            value = " ".join(str(value).split())
            if not value or len(value) > 120:
                errors["title"] = ["Give the project a title of 1 to 120 characters."]
                continue
        if field == "story":
            value = " ".join(str(value).split())  # one paragraph: the end card wraps it
            if len(value) > MAX_STORY:
                errors["story"] = [f"Keep the story under {MAX_STORY} characters."]
                continue
        problem = _choice_problem(field, value)
        if problem:
            errors[field] = [problem]
            continue
        if getattr(project, field) != value or project.pk is None:
            setattr(project, field, value)
            changed.append(field)
    if errors:
        raise ProjectsError(_("Some options are not valid."), fields=errors)
    limits = get_entitlements(user=owner)
    if "resolution" in changed and not limits.allows_resolution(project.resolution):
        raise PlanLimitReached(
            _("Your plan makes videos up to %(resolution)s.")
            % {"resolution": limits.max_resolution},
            fields={
                "resolution": [
                    _("Choose %(resolution)s or lower.") % {"resolution": limits.max_resolution}
                ]
            },
            limit="max_resolution",
            current=project.resolution,
            allowed=limits.max_resolution,
        )
    if "style" in changed and project.style not in limits.styles:
        raise PlanLimitReached(
            _("That style is not part of your plan."),
            limit="styles",
            current=project.style,
            allowed=", ".join(limits.styles),
        )
    return changed


_CHOICES: dict[str, tuple[set[str], str]] = {
    "style": ({c.value for c in Style}, "Choose classic, modern, cinematic or vintage."),
    "aspect": ({c.value for c in Aspect}, "Choose 16:9, 9:16 or 1:1."),
    "resolution": ({c.value for c in Resolution}, "Choose 720p, 1080p or 2160p."),
    "language": (_LANGUAGES, "Choose one of the supported languages."),
}


def _choice_problem(field: str, value: Any) -> str | None:
    allowed = _CHOICES.get(field)
    if allowed and value not in allowed[0]:
        return allowed[1]
    if field in _FLAGS and not isinstance(value, bool):
        return "Must be true or false."
    return None
