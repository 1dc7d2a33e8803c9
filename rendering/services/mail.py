"""E-mail to the owner when their video is ready."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from rendering.models import GeneratedVideo

log = logging.getLogger(__name__)


def video_send_ready_email(*, video: GeneratedVideo) -> None:
    """Best effort: a mail server that is down must not fail a finished render."""
    project = video.project
    link = settings.SITE_URL.rstrip("/") + reverse(
        "project-editor", kwargs={"project_id": project.public_id}
    )
    minutes, seconds = divmod(round(video.duration or 0), 60)
    body = (
        f"Hello,\n\nyour memory video “{project.title}” is ready: {minutes}:{seconds:02d} "
        f"long, made from {video.photo_count} photos.\n\nWatch and download it here:\n{link}\n\n"
        f"— {settings.PRODUCT_NAME}\n{settings.SITE_URL}\n"
    )
    try:
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your memory video “{project.title}” "
            "is ready",
            message=body,
            from_email=None,
            recipient_list=[video.owner.email],
        )
    except Exception:  # noqa: BLE001 - the video is done either way; log for operators
        log.warning("could not send the ready e-mail for video %s", video.pk, exc_info=True)
