"""The staff path the README promises: createsuperuser, sign in, open the admin."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password-2026"


def test_a_new_superuser_signs_in_and_opens_the_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", email="ops@example.com", verbosity=0)

    client = Client()
    login = client.post("/accounts/login/", {"login": "ops@example.com", "password": PASSWORD})
    assert login.status_code == 302
    assert "confirm-email" not in login["Location"]  # no verification detour
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Support and operations" in response.content  # the admin index


def test_only_the_new_superusers_address_is_marked_verified(
    monkeypatch: pytest.MonkeyPatch, bob: User
) -> None:
    EmailAddress.objects.filter(user=bob).update(verified=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", email="ops@example.com", verbosity=0)

    ops = User.objects.get(email="ops@example.com")
    assert ops.is_superuser and ops.is_staff
    assert EmailAddress.objects.filter(user=ops, verified=True, primary=True).count() == 1
    assert not EmailAddress.objects.get(user=bob).verified
    User.objects.create_user(email="later@example.com", password=PASSWORD)  # after the command
    assert not EmailAddress.objects.filter(email="later@example.com").exists()
