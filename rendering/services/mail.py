"""E-mail to the owner when their video is ready."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.language import supported_language
from rendering.models import GeneratedVideo

log = logging.getLogger(__name__)


def video_send_ready_email(*, video: GeneratedVideo) -> None:
    """Best effort: a mail server that is down must not fail a finished render."""
    project = video.project
    link = settings.SITE_URL.rstrip("/") + reverse(
        "project-editor", kwargs={"project_id": project.public_id}
    )
    minutes, seconds = divmod(round(video.duration or 0), 60)
    owner = video.owner
    # In the owner's language, whatever language the worker runs in.
    with translation.override(supported_language(owner.language) or settings.LANGUAGE_CODE):
        body = render_to_string(
            "rendering/email/video_ready.txt",
            {
                "title": project.title,
                "length": f"{minutes}:{seconds:02d}",
                "photo_count": video.photo_count,
                "link": link,
                "product_name": settings.PRODUCT_NAME,
                "site_url": settings.SITE_URL,
            },
        )
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _(
            "Your memory video “%(title)s” is ready"
        ) % {"title": project.title}
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[owner.email],
        )
    except Exception:  # noqa: BLE001 - the video is done either way; log for operators
        log.warning("could not send the ready e-mail for video %s", video.pk, exc_info=True)
