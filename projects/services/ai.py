"""AI writing: request suggestions, run the request (in a worker), accept or reject them.

A request is a row (``AiRequest``) made in the web process after the plan's allowance is
checked, then run by a Celery task on the ``ai`` queue. Running it never touches the user's own
text: it only stores ``Suggestion`` rows. The user applies them one by one (or all at once,
never over a caption they wrote). Whatever fails, the offline captions stay.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.entitlements import get_entitlements
from billing.errors import LimitExceeded
from projects import storage
from projects.ai import AiError, Draft, DraftOptions, PhotoInput, Usage, get_provider
from projects.ai.config import ai_settings
from projects.ai.drafting import draft_with_cache, provider_model
from projects.ai.images import ImagePreparationError, image_size, prepare_image
from projects.ai.port import PROMPT_VERSION, ImageDetail, OrderStep
from projects.errors import ProjectsError
from projects.models import (
    AI_ACTIVE,
    AiRequest,
    AiRequestStatus,
    CaptionSource,
    Photo,
    Suggestion,
    SuggestionField,
    SuggestionState,
    VideoProject,
)
from projects.selectors import ai_requests_this_month
from projects.services.photos import photo_caption_update, photos_reorder
from projects.services.projects import ensure_editable, project_update
from rendering.pipeline.geocode import place_label, reverse_geocode

log = logging.getLogger(__name__)

AI_TASK = "projects.tasks.draft_suggestions"
STAGE_PREPARING = gettext_noop("Preparing photos…")
STAGE_WRITING = gettext_noop("Writing captions…")


class AiNotConfigured(ProjectsError):
    code = "ai_not_configured"
    status = 503


class AiNotEnabled(ProjectsError):
    code = "ai_off"
    status = 409


class SuggestionNotPending(ProjectsError):
    code = "invalid_state"
    status = 409


# --- request ----------------------------------------------------------------------------------


def ai_request_create(*, user: Any, project: VideoProject) -> tuple[AiRequest, bool]:
    """Queue a suggestion request for ``project``; ``(request, created)``.

    A request already queued or running is given back rather than a second one. The user's row
    is locked while the month's requests are counted, so two clicks cannot both pass the last
    one of the allowance.
    """
    if not ai_settings().api_key:
        raise AiNotConfigured(
            _(
                "AI writing is not set up on this server. Captions still come from your "
                "photos' dates and places."
            )
        )
    if not project.ai_enabled:
        raise AiNotEnabled(_("Turn on AI suggestions for this project first."))
    if not project.photos.exists():
        raise ProjectsError(_("Add photos first: the suggestions are written from them."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        _expire_stuck(project)
        active = project.ai_requests.filter(status__in=AI_ACTIVE).first()
        if active is not None:
            return active, False
        limits = get_entitlements(user=user)
        _check_allowance(user=user, allowed=limits.ai_drafts_per_month)
        try:
            with transaction.atomic():
                request = AiRequest.objects.create(
                    project=project,
                    owner=user,
                    detail=limits.ai_image_detail,
                    places_allowed=project.ai_places,
                    photo_count=project.photos.count(),
                    prompt_version=PROMPT_VERSION,
                    model=ai_settings().model,
                )
        except IntegrityError:  # a concurrent request won the partial unique index
            active = project.ai_requests.filter(status__in=AI_ACTIVE).first()
            if active is None:
                raise
            return active, False
        transaction.on_commit(lambda: ai_request_dispatch(request_id=request.pk))
    return request, True


def ai_request_dispatch(*, request_id: int) -> None:
    """Hand the request to the ``ai`` queue; if the broker cannot take it now, the request fails
    at once with a message saying so (the user can ask again) rather than wait unseen."""
    try:
        # Fail fast when the broker is down, as render dispatch does: answer the user now.
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0)
            current_app.send_task(AI_TASK, args=[request_id], retry=False, connection=conn)
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("AI request %s not handed to the broker", request_id, exc_info=True)
        AiRequest.objects.filter(pk=request_id, status=AiRequestStatus.QUEUED).update(
            status=AiRequestStatus.FAILED,
            error_code="ai_queue_unavailable",
            error_message=gettext_noop(
                "The suggestion could not be queued right now. Try again shortly."
            ),
            finished_at=timezone.now(),
        )


def _check_allowance(*, user: Any, allowed: int) -> None:
    used = ai_requests_this_month(user=user)
    if allowed <= 0:
        message = _("AI suggestions are part of the Plus and Pro plans. Upgrade to use them.")
    elif used >= allowed:
        message = _(
            "You have used %(used)s of the %(allowed)s AI suggestions your plan includes this "
            "month. Upgrade your plan for more, or wait until next month."
        ) % {"used": used, "allowed": allowed}
    else:
        return
    raise LimitExceeded(message=message, limit="ai_drafts_per_month", current=used, allowed=allowed)


def _stuck_after() -> timedelta:
    config = ai_settings()
    per_try = config.timeout_seconds * (config.max_retries + 1)
    return timedelta(seconds=per_try * _batches_max() + 120)


def _expire_stuck(project: VideoProject) -> None:
    """A request whose worker died is not left blocking the project for ever."""
    cutoff = timezone.now() - _stuck_after()
    project.ai_requests.filter(status__in=AI_ACTIVE, created_at__lt=cutoff).update(
        status=AiRequestStatus.FAILED,
        stage="",
        error_code="ai_timeout",
        error_message=gettext_noop("The suggestion took too long and was stopped. Try again."),
        finished_at=timezone.now(),
    )


def _batch_size() -> int:
    return max(1, int(settings.AI_BATCH_PHOTOS))


def _batches_max() -> int:
    return -(-int(settings.AI_MAX_PHOTOS) // _batch_size())


# --- run (in the worker) ----------------------------------------------------------------------


def ai_request_run(*, request_id: int) -> str:
    """Draft the suggestions of one queued request. Safe to run twice: the row is claimed."""
    claimed = AiRequest.objects.filter(pk=request_id, status=AiRequestStatus.QUEUED).update(
        status=AiRequestStatus.RUNNING, stage=STAGE_PREPARING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    request = AiRequest.objects.select_related("project", "owner").get(pk=request_id)
    began = time.monotonic()
    try:
        result = _draft(request)
    except AiError as exc:
        _fail(request, exc, began)
        return "failed"
    _complete(request, result, began)
    return "completed"


@dataclass
class _Result:
    draft: Draft
    sent: list[dict[str, Any]]
    batches: int
    from_cache: bool
    usage: Usage


def _draft(request: AiRequest) -> _Result:
    project = request.project
    photos = list(project.photos.order_by("position", "id")[: settings.AI_MAX_PHOTOS])
    inputs, sent = _inputs(photos, places=request.places_allowed)
    if not inputs:
        raise AiError("none of the photos could be read")
    _set_stage(request, STAGE_WRITING)
    provider = get_provider()
    detail: ImageDetail = "high" if request.detail == "high" else "low"
    options = DraftOptions(user_public_id=str(request.owner.public_id), detail=detail)
    drafts: list[Draft] = []
    cached = True
    for start in range(0, len(inputs), _batch_size()):
        batch = inputs[start : start + _batch_size()]
        draft, hit = draft_with_cache(provider, batch, options, scope=str(request.owner.public_id))
        drafts.append(draft)
        cached = cached and hit
    request.model = provider_model(provider)
    return _Result(_merge(drafts), sent, len(drafts), cached, _sum_usage(drafts))


def _inputs(
    photos: Sequence[Photo], *, places: bool
) -> tuple[list[PhotoInput], list[dict[str, Any]]]:
    """What may be sent of each photo, and the log line saying what that was."""
    inputs, sent = [], []
    media = storage.media_storage()
    for photo in photos:
        try:
            with media.open(photo.storage_key) as f:
                jpeg = prepare_image(f.read())
        except (OSError, ImagePreparationError):
            log.warning("AI: photo %s could not be read", photo.public_id, exc_info=True)
            continue
        place = _place(photo) if places else ""
        month = date(photo.taken_at.year, photo.taken_at.month, 1) if photo.taken_at else None
        inputs.append(PhotoInput(str(photo.public_id), jpeg, place=place, month=month))
        fields = ["image"] + (["month"] if month else []) + (["place"] if place else [])
        width, height = image_size(jpeg)
        sent.append(
            {
                "photo": str(photo.public_id),
                "bytes": len(jpeg),
                "width": width,
                "height": height,
                "fields": fields,
            }
        )
    return inputs, sent


def _place(photo: Photo) -> str:
    if photo.gps_lat is None or photo.gps_lon is None:
        return ""
    found = reverse_geocode(photo.gps_lat, photo.gps_lon)
    return place_label(found) if found else ""


def _merge(drafts: list[Draft]) -> Draft:
    """Batches in the project's order: the first batch names the memory, captions and orders
    add up (each batch is reordered within itself)."""
    first = drafts[0]
    captions: dict[str, str] = {}
    order: list[OrderStep] = []
    for draft in drafts:
        captions.update(draft.captions)
        order.extend(draft.order)
    return Draft(first.title, first.story, captions, tuple(order), first.model)


def _sum_usage(drafts: list[Draft]) -> Usage:
    return Usage(
        sum(d.usage.input_tokens for d in drafts),
        sum(d.usage.output_tokens for d in drafts),
        sum(d.usage.cached_tokens for d in drafts),
    )


def _set_stage(request: AiRequest, stage: str) -> None:
    AiRequest.objects.filter(pk=request.pk).update(stage=stage)


def _elapsed_ms(began: float) -> int:
    return int((time.monotonic() - began) * 1000)


@transaction.atomic
def _complete(request: AiRequest, result: _Result, began: float) -> None:
    project = request.project
    # Suggestions not yet decided from an earlier request are replaced by the new ones.
    project.suggestions.filter(state=SuggestionState.PENDING).delete()
    photos = {str(p.public_id): p for p in project.photos.all()}
    rows = [
        Suggestion(
            request=request, project=project, field=SuggestionField.TITLE, text=result.draft.title
        ),
        Suggestion(
            request=request, project=project, field=SuggestionField.STORY, text=result.draft.story
        ),
        Suggestion(
            request=request,
            project=project,
            field=SuggestionField.ORDER,
            order=[{"photo": s.photo_id, "reason": s.reason} for s in result.draft.order],
        ),
    ]
    rows += [
        Suggestion(
            request=request,
            project=project,
            photo=photos[pid],
            field=SuggestionField.CAPTION,
            text=text,
        )
        for pid, text in result.draft.captions.items()
        if pid in photos and text
    ]
    Suggestion.objects.bulk_create([r for r in rows if r.text or r.order])
    usage = result.usage
    request.status, request.stage = AiRequestStatus.COMPLETED, ""
    request.sent, request.batches, request.from_cache = (
        result.sent,
        result.batches,
        result.from_cache,
    )
    request.sent_bytes = sum(int(s["bytes"]) for s in result.sent)
    request.input_tokens, request.output_tokens = usage.input_tokens, usage.output_tokens
    request.cached_tokens = usage.cached_tokens
    request.finished_at, request.duration_ms = timezone.now(), _elapsed_ms(began)
    request.save()


def _fail(request: AiRequest, exc: AiError, began: float) -> None:
    log.warning("AI request %s failed: %s", request.public_id, exc.detail or exc.code)
    message = exc.message
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        message = f"{message} (the service asks to wait {round(retry_after)} s)"
    AiRequest.objects.filter(pk=request.pk).update(
        status=AiRequestStatus.FAILED,
        stage="",
        model=request.model,
        error_code=exc.code,
        error_message=message[:300],
        error_detail=(exc.detail or "")[:4000],
        retry_after_seconds=retry_after,
        finished_at=timezone.now(),
        duration_ms=_elapsed_ms(began),
    )


# --- decide -----------------------------------------------------------------------------------


def suggestion_accept(*, suggestion: Suggestion, text: str | None = None) -> Suggestion:
    """Apply ``suggestion`` (with the user's edit, if ``text`` is given) and mark it accepted.

    A caption, title or story the user accepts is theirs from then on; accepting an order
    reorders the photos and keeps the order it replaced, for undo.
    """
    project = suggestion.project
    ensure_editable(project)
    _ensure_pending(suggestion)
    with transaction.atomic():
        chosen = suggestion.text if text is None else text
        field = suggestion.field
        if field == SuggestionField.CAPTION and suggestion.photo is not None:
            source = CaptionSource.AI if chosen == suggestion.text else CaptionSource.USER
            photo_caption_update(photo=suggestion.photo, caption=chosen, source=source)
        elif field == SuggestionField.TITLE:
            project_update(project=project, title=chosen)
        elif field == SuggestionField.STORY:
            project_update(project=project, story=chosen)
        elif field == SuggestionField.ORDER:
            suggestion.previous = _current_order(project)
            _apply_order(project, [step["photo"] for step in suggestion.order])
        if text is not None and field != SuggestionField.ORDER:
            suggestion.text = " ".join(text.split())[:600]
        _decide(suggestion, SuggestionState.ACCEPTED)
    return suggestion


def suggestion_reject(*, suggestion: Suggestion) -> Suggestion:
    _ensure_pending(suggestion)
    _decide(suggestion, SuggestionState.REJECTED)
    return suggestion


def suggestion_undo(*, suggestion: Suggestion) -> Suggestion:
    """Put an accepted order back as it was (photos added since stay, at the end)."""
    project = suggestion.project
    ensure_editable(project)
    if suggestion.field != SuggestionField.ORDER or suggestion.state != SuggestionState.ACCEPTED:
        raise SuggestionNotPending(_("Only an accepted order can be undone."))
    with transaction.atomic():
        _apply_order(project, suggestion.previous)
        suggestion.state, suggestion.decided_at, suggestion.previous = (
            SuggestionState.PENDING,
            None,
            [],
        )
        suggestion.save(update_fields=["state", "decided_at", "previous"])
    return suggestion


def suggestions_accept_all(*, project: VideoProject) -> dict[str, int]:
    """Accept every pending suggestion except over a caption the user wrote themselves.

    Returns counts: ``accepted`` and ``kept`` (photos whose own caption was left alone).
    """
    ensure_editable(project)
    accepted = kept = 0
    pending = project.suggestions.filter(state=SuggestionState.PENDING).select_related("photo")
    with transaction.atomic():
        for suggestion in pending.order_by(_FIELD_ORDER, "id"):
            photo = suggestion.photo
            if photo is not None and photo.caption and photo.caption_source == CaptionSource.USER:
                kept += 1
                continue
            suggestion_accept(suggestion=suggestion)
            accepted += 1
    return {"accepted": accepted, "kept": kept}


_FIELD_ORDER = Case(
    When(field=SuggestionField.TITLE, then=Value(0)),
    When(field=SuggestionField.STORY, then=Value(1)),
    When(field=SuggestionField.CAPTION, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _ensure_pending(suggestion: Suggestion) -> None:
    if suggestion.state != SuggestionState.PENDING:
        raise SuggestionNotPending(
            _("This suggestion was already %(state)s.")
            % {"state": suggestion.get_state_display().lower()}
        )


def _decide(suggestion: Suggestion, state: str) -> None:
    suggestion.state, suggestion.decided_at = state, timezone.now()
    suggestion.save(update_fields=["state", "decided_at", "text", "previous"])


def _current_order(project: VideoProject) -> list[str]:
    return [
        str(pid)
        for pid in project.photos.order_by("position", "id").values_list("public_id", flat=True)
    ]


def _apply_order(project: VideoProject, ids: Sequence[str]) -> None:
    """Photos named in ``ids`` first, in that order; photos added since keep their order after
    them, and photos removed since are skipped."""
    rank = {pid: i for i, pid in enumerate(ids)}
    current = _current_order(project)
    current.sort(key=lambda pid: rank.get(pid, len(rank)))  # stable: the rest keep their order
    photos_reorder(project=project, order=[uuid.UUID(pid) for pid in current])
