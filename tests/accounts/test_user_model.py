"""The custom user: e-mail identity, public UUIDs, validated time zone."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_identifies_users_by_email_and_a_random_public_id(bob: User, charlie: User) -> None:
    assert User.USERNAME_FIELD == "email"
    assert isinstance(bob.public_id, uuid.UUID)
    assert bob.public_id != charlie.public_id
    assert not hasattr(bob, "username")


def test_it_requires_an_email_address() -> None:
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user(email="", password="x")


def test_it_lowercases_the_domain_part_of_the_email() -> None:
    user = User.objects.create_user(email="Frank@EXAMPLE.com", password="x")
    assert user.email == "Frank@example.com"


def test_it_rejects_an_unknown_time_zone(bob: User) -> None:
    bob.timezone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as excinfo:
        bob.full_clean()
    assert "timezone" in excinfo.value.message_dict


def test_it_creates_a_superuser_who_is_staff() -> None:
    admin = User.objects.create_superuser(email="root@example.com", password="x")
    assert admin.is_staff and admin.is_superuser
