"""Django's createsuperuser, plus what allauth needs before it lets the new account in.

Staff sign in to the admin through allauth (photomemory/urls.py), and allauth requires a verified
e-mail address: without one, a fresh superuser would be asked to confirm an address nobody sent
it mail for. The person at the terminal typed the address, so it counts as verified.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.management.commands import createsuperuser
from django.db import transaction
from django.db.models.signals import post_save

from accounts.models import User

DISPATCH_UID = "createsuperuser-verified-email"


def mark_email_verified(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    if created:
        EmailAddress.objects.update_or_create(
            user=instance, email=instance.email, defaults={"verified": True, "primary": True}
        )


class Command(createsuperuser.Command):
    help = (
        "Create a superuser whose e-mail address counts as verified, so it can sign in at "
        "/accounts/login/ and open /admin/ straight away."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Only the user this command creates: the receiver lives exactly as long as the command.
        post_save.connect(mark_email_verified, sender=User, dispatch_uid=DISPATCH_UID)
        try:
            with transaction.atomic(using=options["database"]):
                super().handle(*args, **options)
        finally:
            post_save.disconnect(sender=User, dispatch_uid=DISPATCH_UID)
