"""Writes to accounts."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User


@transaction.atomic
def demo_user_ensure(*, email: str, password: str) -> tuple[User, bool]:
    """Create or reset the demo account: verified primary e-mail, the given password.

    Safe to run any number of times; returns (user, created).
    """
    user, created = User.objects.get_or_create(
        email=User.objects.normalize_email(email), defaults={"full_name": "Demo User"}
    )
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user, created


def user_update_preferences(
    *, user: User, language: str | None = None, timezone: str | None = None
) -> User:
    """Change the user's language and/or time zone; values are validated by the caller."""
    changed: list[str] = []
    if language is not None and language != user.language:
        user.language = language
        changed.append("language")
    if timezone is not None and timezone != user.timezone:
        user.timezone = timezone
        changed.append("timezone")
    if changed:
        user.save(update_fields=changed)
    return user
