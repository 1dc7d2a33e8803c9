"""Entitlements: one function tells every part of the app what a user may do."""

from __future__ import annotations

import dataclasses

import pytest

from accounts.models import User
from billing.entitlements import Entitlements, get_entitlements

pytestmark = pytest.mark.django_db


def test_it_gives_a_new_customer_the_free_plan(bob: User) -> None:
    limits = get_entitlements(user=bob)
    assert isinstance(limits, Entitlements)
    assert limits.max_photos_per_project == 50
    assert limits.max_upload_bytes == 25 * 1024 * 1024
    assert limits.watermark is True
    assert set(limits.styles) == {"classic", "modern", "cinematic", "vintage"}


def test_it_allows_full_hd_but_not_4k_on_the_free_plan(bob: User) -> None:
    limits = get_entitlements(user=bob)
    assert limits.allows_resolution("720p")
    assert limits.allows_resolution("1080p")
    assert not limits.allows_resolution("2160p")
    assert not limits.allows_resolution("8k")


def test_it_cannot_be_changed_by_a_caller(bob: User) -> None:
    limits = get_entitlements(user=bob)
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_photos_per_project = 1000  # type: ignore[misc]
