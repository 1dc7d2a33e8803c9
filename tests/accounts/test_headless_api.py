"""Mobile clients: allauth headless (app client) and our API with the X-Session-Token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"


def post_json(client: Client, path: str, data: dict[str, Any], token: str = "") -> Any:
    headers = {"X-Session-Token": token} if token else {}
    return client.post(path, data, content_type="application/json", headers=headers)


def test_it_signs_up_verifies_and_reads_me_with_the_session_token(client: Client) -> None:
    response = post_json(
        client, f"{APP}/auth/signup", {"email": "erin@example.com", "password": "pictures-of-2026"}
    )
    # Verification is mandatory: the account exists but the flow is pending.
    assert response.status_code == 401
    body = response.json()
    token = body["meta"]["session_token"]
    pending = [flow["id"] for flow in body["data"]["flows"] if flow.get("is_pending")]
    assert pending == ["verify_email"]

    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", str(mail.outbox[0].body))
    assert key
    response = post_json(client, f"{APP}/auth/email/verify", {"key": key.group(1)}, token)
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    # Logging in rotates the session: the app must switch to the token it is handed now.
    token = response.json()["meta"].get("session_token", token)

    me = client.get("/api/v1/me/", headers={"X-Session-Token": token})
    assert me.status_code == 200
    user = User.objects.get(email="erin@example.com")
    assert me.json() == {
        "id": str(user.public_id),
        "email": "erin@example.com",
        "language": "en",
        "timezone": "UTC",
    }


def test_it_logs_in_through_the_app_api(client: Client, bob: User, password: str) -> None:
    response = post_json(client, f"{APP}/auth/login", {"email": bob.email, "password": password})
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    me = client.get("/api/v1/me/", headers={"X-Session-Token": token})
    assert me.status_code == 200
    assert me.json()["id"] == str(bob.public_id)
    assert "pk" not in me.json() and str(bob.pk) not in me.json().values()


def test_it_refuses_a_wrong_password_through_the_app_api(client: Client, bob: User) -> None:
    response = post_json(client, f"{APP}/auth/login", {"email": bob.email, "password": "nope"})
    assert response.status_code == 400
    assert "session_token" not in response.json().get("meta", {})


def test_it_answers_401_without_or_with_a_bad_token(client: Client) -> None:
    anonymous = client.get("/api/v1/me/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "X-Session-Token"
    forged = client.get("/api/v1/me/", headers={"X-Session-Token": "forged-token"})
    assert forged.status_code == 401


def test_it_accepts_the_web_session_too(client: Client, charlie: User) -> None:
    client.force_login(charlie)
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == charlie.email


def test_it_changes_language_and_timezone(client: Client, bob: User, password: str) -> None:
    login = post_json(client, f"{APP}/auth/login", {"email": bob.email, "password": password})
    token = login.json()["meta"]["session_token"]
    response = client.patch(
        "/api/v1/me/",
        {"language": "de", "timezone": "Europe/Berlin"},
        content_type="application/json",
        headers={"X-Session-Token": token},
    )
    assert response.status_code == 200
    assert response.json()["language"] == "de"
    assert response.json()["timezone"] == "Europe/Berlin"
    bob.refresh_from_db()
    assert (bob.language, bob.timezone) == ("de", "Europe/Berlin")


def test_it_refuses_an_unknown_language_or_timezone_with_400(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.patch(
        "/api/v1/me/",
        {"language": "xx", "timezone": "Mars/Olympus_Mons"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"language", "timezone"}
    bob.refresh_from_db()
    assert (bob.language, bob.timezone) == ("en", "UTC")


def test_it_refuses_other_methods_on_me_with_405(client: Client, charlie: User) -> None:
    client.force_login(charlie)
    assert client.post("/api/v1/me/", {}).status_code == 405
    assert client.delete("/api/v1/me/").status_code == 405
