"""The project's words in other languages: the title, the story and each photo's caption.

A project is written in ``project.language``; each other language it is translated into has one
``TextTranslation`` row per line. Rules:

- ``translations_refresh`` translates, in one call of ``translate_texts``, only the lines that
  need it: new ones, blank ones, and machine lines whose original changed. A line the user edited
  is never overwritten; when its original changes it is *stale* (``source_text`` is what it was
  made from) until the user edits it again or resets it.
- When translation fails (or is not set up on the site) nothing is lost: existing rows stay as
  they were, missing lines get a blank row the user can fill in, and the error comes back.
- Lines whose original is gone (a cleared story or caption) are removed by the next refresh,
  edited or not (that line is no longer in the video); until then they are not shown or used.
  Removed photos' rows go with the photo (cascade).
- Offline auto-captions (a photo with no caption of its own) are made per language by the
  renderer and are not translated here.

Reads (``translation_lines``, ``translations_for``, …) live here too: they share the notion of
"the project's source lines".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from billing.entitlements import get_entitlements
from billing.errors import LimitExceeded
from projects.errors import ProjectsError
from projects.models import Photo, TextTranslation, TranslationField, VideoProject
from projects.services.projects import ensure_editable
from projects.translation import TranslationError, get_translator, translate_texts

MAX_LENGTH = {
    TranslationField.TITLE: 120,
    TranslationField.STORY: 600,
    TranslationField.CAPTION: 200,
}
NOT_CONFIGURED = (
    "Machine translation is not set up on this site; you can still write each line yourself."
)

Key = tuple[str, int | None]  # (field, photo pk)


class BadLanguage(ProjectsError):
    code = "invalid_language"
    status = 400


class LineGone(ProjectsError):
    code = "invalid_state"
    status = 409


class TranslationUnavailable(ProjectsError):
    """The line could not be translated now (not set up, or the service failed): 503."""

    code = "translation_unavailable"
    status = 503

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


@dataclass(frozen=True)
class SourceLine:
    field: str
    photo: Photo | None
    text: str

    @property
    def key(self) -> Key:
        return (self.field, self.photo.pk if self.photo else None)


@dataclass
class RefreshResult:
    language: str
    translated: int = 0  # lines sent and stored
    unchanged: int = 0  # lines already translated from the same original
    kept_edits: int = 0  # lines the user edited, left as they are
    stale: int = 0  # of those, the ones whose original has changed
    created: int = 0  # rows that did not exist before
    removed: int = 0  # rows whose original is gone
    error: TranslationError | None = None

    @property
    def error_message(self) -> str:
        if self.error is None:
            return ""
        if self.error.code == "translation_not_configured":
            return NOT_CONFIGURED
        message = self.error.message.rstrip(". ")
        return f"Translation failed: {message}. Your own words are kept."


# --- languages ----------------------------------------------------------------------------------


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.VIDEO_LANGUAGES}


def allowed_languages(*, project: VideoProject) -> list[str]:
    """The video languages a project can be translated into (not its own)."""
    return [code for code in language_names() if code != project.language]


def project_languages(*, project: VideoProject) -> list[str]:
    """The languages the project has translations in, in the order they were added."""
    rows = project.translations.order_by("id").values_list("language", flat=True)
    return list(dict.fromkeys(rows))


def check_language(*, project: VideoProject, language: str) -> str:
    if language == project.language:
        raise BadLanguage(
            "That is the project's own language: its words are already in it.",
            fields={"language": ["The project's own language."]},
        )
    if language not in language_names():
        raise BadLanguage(
            f"{language!r} is not a language this site offers.",
            fields={"language": ["Not one of the site's languages."]},
        )
    return language


def _check_plan(*, user: Any, project: VideoProject, language: str) -> None:
    existing = project_languages(project=project)
    if language in existing:
        return  # refreshing a language the project has is never refused
    allowed = get_entitlements(user=user).languages_per_video
    wanted = 1 + len(existing) + 1  # the project's own language counts too
    if wanted <= allowed:
        return
    if allowed <= 1:
        message = "Translations are part of the Plus and Pro plans. Upgrade to add languages."
    else:
        message = (
            f"Your plan allows {allowed} languages per video, the project's own included. "
            "Upgrade for more, or remove a language first."
        )
    raise LimitExceeded(
        message=message, limit="languages_per_video", current=wanted, allowed=allowed
    )


# --- the source lines ---------------------------------------------------------------------------


def source_lines(*, project: VideoProject) -> list[SourceLine]:
    """The project's own words, in the editor's order: title, story, captions by position.
    Blank lines are none (a photo without a caption gets the renderer's own, per language)."""
    lines = [
        SourceLine(TranslationField.TITLE, None, project.title),
        SourceLine(TranslationField.STORY, None, project.story),
    ]
    lines += [
        SourceLine(TranslationField.CAPTION, photo, photo.caption)
        for photo in project.photos.order_by("position", "id")
    ]
    return [line for line in lines if line.text.strip()]


def _key(row: TextTranslation) -> Key:
    return (row.field, row.photo_id)


def _clip(field: str, text: str) -> str:
    return " ".join(text.split())[: MAX_LENGTH[TranslationField(field)]]


# --- writes ---------------------------------------------------------------------------------------


def translations_refresh(*, user: Any, project: VideoProject, language: str) -> RefreshResult:
    """Bring ``language``'s lines up to date with the project's words (adds the language if new).

    One call to the translation service for every line that needs it; edited lines are kept.
    Never raises for a failed translation: the result carries the error and every row stays.
    """
    ensure_editable(project)
    language = check_language(project=project, language=language)
    _check_plan(user=user, project=project, language=language)
    lines = source_lines(project=project)
    rows = {_key(r): r for r in project.translations.filter(language=language)}
    result = RefreshResult(language=language)
    to_send: list[SourceLine] = []
    for line in lines:
        row = rows.get(line.key)
        if row is not None and row.edited:
            result.kept_edits += 1
            result.stale += row.source_text != line.text
        elif row is not None and row.text and row.source_text == line.text:
            result.unchanged += 1
        else:
            to_send.append(line)
    texts: list[str] = []
    if to_send:
        texts, result.error = translate_texts(
            [line.text for line in to_send], target=language, source=project.language
        )
    _store(user, project, language, lines, to_send, texts, result)
    return result


@transaction.atomic
def _store(
    user: Any,
    project: VideoProject,
    language: str,
    lines: list[SourceLine],
    sent: list[SourceLine],
    texts: list[str],
    result: RefreshResult,
) -> None:
    # The project row is locked so two refreshes (or a refresh and an edit) take turns; rows are
    # read again under the lock, so an edit made while the service answered is kept.
    VideoProject.objects.select_for_update().only("pk").get(pk=project.pk)
    _check_plan(user=user, project=project, language=language)  # again: two tabs adding at once
    rows = {_key(r): r for r in project.translations.filter(language=language)}
    translated = dict(zip([line.key for line in sent], texts, strict=True))
    create: list[TextTranslation] = []
    update: list[TextTranslation] = []
    for line in lines:
        row = rows.get(line.key)
        if row is not None and row.edited:
            continue
        if line.key in translated and result.error is None:
            text = _clip(line.field, translated[line.key])
        elif row is None:
            text = ""  # not translated yet: the user can write it, or translate again later
        else:
            continue  # the service failed: the row stays as it was
        if row is None:
            create.append(
                TextTranslation(
                    project=project,
                    photo=line.photo,
                    field=line.field,
                    language=language,
                    text=text,
                    source_text=line.text,
                )
            )
        else:
            row.text, row.source_text, row.updated_at = text, line.text, timezone.now()
            update.append(row)
    TextTranslation.objects.bulk_create(create)
    TextTranslation.objects.bulk_update(update, ["text", "source_text", "updated_at"])
    result.created = len(create)
    if result.error is None:
        result.translated = len(sent)
    wanted = {line.key for line in lines}
    gone = [r.pk for key, r in rows.items() if key not in wanted]
    result.removed, _ = TextTranslation.objects.filter(pk__in=gone).delete()


def translation_edit(*, translation: TextTranslation, text: str) -> TextTranslation:
    """The user's own words for one line: kept through every refresh until reset.

    The line is then made from the current original (it is no longer stale)."""
    ensure_editable(translation.project)
    limit = MAX_LENGTH[TranslationField(translation.field)]
    text = " ".join(text.split())
    if len(text) > limit:
        raise ProjectsError(
            f"Keep this line under {limit} characters.",
            fields={"text": [f"At most {limit} characters."]},
        )
    translation.text = text
    translation.edited = True
    translation.source_text = current_source(translation) or translation.source_text
    translation.save(update_fields=["text", "edited", "source_text", "updated_at"])
    return translation


def translation_reset(*, translation: TextTranslation) -> TextTranslation:
    """Drop the user's edit and translate the line again from its current original.

    When that cannot be done now (not set up, the service failing) the edit stays and
    ``TranslationUnavailable`` (503) says why."""
    project = translation.project
    ensure_editable(project)
    source = current_source(translation)
    if not source:
        raise LineGone("The original of this line is gone; translate again to tidy up.")
    if not get_translator().configured:
        raise TranslationUnavailable(NOT_CONFIGURED, code="translation_not_configured")
    texts, error = translate_texts([source], target=translation.language, source=project.language)
    if error is not None:
        message = RefreshResult(language=translation.language, error=error).error_message
        raise TranslationUnavailable(message, code=error.code)
    translation.text = _clip(translation.field, texts[0])
    translation.source_text, translation.edited = source, False
    translation.save(update_fields=["text", "source_text", "edited", "updated_at"])
    return translation


def translations_delete(*, project: VideoProject, language: str) -> int:
    """Remove a language from the project: every one of its lines, edited or not; how many."""
    ensure_editable(project)
    deleted, _ = project.translations.filter(language=language).delete()
    return deleted


# --- reads --------------------------------------------------------------------------------------


def current_source(translation: TextTranslation) -> str:
    """What the line's original says now ("" when it is gone)."""
    if translation.field == TranslationField.CAPTION:
        return translation.photo.caption if translation.photo else ""
    project = translation.project
    return project.title if translation.field == TranslationField.TITLE else project.story


def translation_get(
    *, user: Any, project_id: uuid.UUID | str, language: str, public_id: uuid.UUID | str
) -> TextTranslation:
    """The user's translation line; Http404 if it is not theirs or not in that language."""
    try:
        return TextTranslation.objects.select_related("project", "project__owner", "photo").get(
            project__owner=user,
            project__public_id=project_id,
            language=language,
            public_id=public_id,
        )
    except TextTranslation.DoesNotExist:
        raise Http404("No such translation.") from None


@dataclass(frozen=True)
class Line:
    """One line as the editor shows it; ``translation`` is None for a line not translated yet."""

    field: str
    photo: Photo | None
    source: str
    translation: TextTranslation | None

    @property
    def text(self) -> str:
        return self.translation.text if self.translation else ""

    @property
    def edited(self) -> bool:
        return bool(self.translation and self.translation.edited)

    @property
    def stale(self) -> bool:
        return bool(self.translation and self.translation.source_text != self.source)


def translation_lines(*, project: VideoProject, language: str) -> list[Line]:
    """Every source line with its translation (or none yet, until the next refresh).
    Http404 when the project has no lines in ``language``."""
    rows = {
        _key(r): r for r in project.translations.filter(language=language).select_related("photo")
    }
    if not rows:
        raise Http404("This language has not been added to the project.")
    return [
        Line(source.field, source.photo, source.text, rows.get(source.key))
        for source in source_lines(project=project)
    ]


def translations_summary(*, project: VideoProject) -> list[dict[str, Any]]:
    """Per language: how many lines, translated, edited by the user, stale."""
    names = language_names()
    out = []
    for language in project_languages(project=project):
        lines = translation_lines(project=project, language=language)
        out.append(
            {
                "language": language,
                "name": names.get(language, language),
                "lines": len(lines),
                "translated": sum(1 for line in lines if line.text),
                "edited": sum(1 for line in lines if line.edited),
                "stale": sum(1 for line in lines if line.stale),
            }
        )
    return out


def translations_for(*, project: VideoProject, language: str) -> dict[str, Any]:
    """The words a render in ``language`` uses: each line's translation, or its original where
    it has none. ``{"title", "story", "captions": {photo public id: caption}}``; photos without a
    caption of their own are absent (the renderer writes theirs)."""
    rows = {}
    if language != project.language:
        rows = {_key(r): r for r in project.translations.filter(language=language)}
    out: dict[str, Any] = {"title": project.title, "story": project.story, "captions": {}}
    for line in source_lines(project=project):
        row = rows.get(line.key)
        text = row.text if row is not None and row.text else line.text
        if line.field == TranslationField.CAPTION and line.photo is not None:
            out["captions"][str(line.photo.public_id)] = text
        else:
            out[line.field] = text
    return out
