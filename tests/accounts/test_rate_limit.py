"""Repeated failed logins are cut off by allauth's rate limits, counted in the shared cache."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

FAILED_LOGINS_ALLOWED = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per account


def test_it_locks_the_account_after_repeated_failed_logins(
    client: Client, bob: User, password: str
) -> None:
    for _ in range(FAILED_LOGINS_ALLOWED):
        response = client.post("/accounts/login/", {"login": bob.email, "password": "guess"})
        assert b"Too many failed login attempts" not in response.content

    # Even the right password is refused now, with a message the user can act on.
    response = client.post("/accounts/login/", {"login": bob.email, "password": password})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_locks_the_app_api_too(client: Client, bob: User, password: str) -> None:
    url = "/_allauth/app/v1/auth/login"
    for _ in range(FAILED_LOGINS_ALLOWED):
        client.post(url, {"email": bob.email, "password": "guess"}, content_type="application/json")
    response = client.post(
        url, {"email": bob.email, "password": password}, content_type="application/json"
    )
    assert response.status_code in (400, 429)
    assert "session_token" not in response.json().get("meta", {})
