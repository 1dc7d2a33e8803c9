"""Billing e-mails: a failed payment, a cancelled subscription."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.models import User

SUBJECTS = {
    "payment_failed": gettext_lazy("Your payment did not go through"),
    "subscription_cancelled": gettext_lazy("Your subscription has ended"),
}


def billing_email_send_now(*, kind: str, user_id: int) -> None:
    """Send the ``kind`` e-mail to the user, in their language."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in SUBJECTS:
        return
    context = {
        "user": user,
        "billing_url": settings.SITE_URL.rstrip("/") + reverse("billing-account"),
        "pricing_url": settings.SITE_URL.rstrip("/") + reverse("billing-pricing"),
        "grace_days": settings.BILLING_PAST_DUE_GRACE_DAYS,
        "site_url": settings.SITE_URL,
    }
    with translation.override(user.language):
        body = render_to_string(f"billing/email/{kind}.txt", context)
        subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{SUBJECTS[kind]}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
