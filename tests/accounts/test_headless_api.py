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
        {"language": "fr", "timezone": "Europe/Berlin"},
        content_type="application/json",
        headers={"X-Session-Token": token},
    )
    assert response.status_code == 200
    assert response.json()["language"] == "fr"
    assert response.json()["timezone"] == "Europe/Berlin"
    bob.refresh_from_db()
    assert (bob.language, bob.timezone) == ("fr", "Europe/Berlin")


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


def test_me_answers_errors_in_the_api_error_shape(client: Client, bob: User) -> None:
    anonymous = client.get("/api/v1/me/")
    assert anonymous.json() == {
        "error": {"code": "not_authenticated", "message": "Sign in to continue.", "fields": {}}
    }
    client.force_login(bob)
    wrong_type = client.patch("/api/v1/me/", {"timezone": 1}, content_type="application/json")
    assert wrong_type.status_code == 400
    assert wrong_type.json()["error"]["fields"] == {"timezone": ["Must be text."]}
    bob.refresh_from_db()
    assert bob.timezone == "UTC"


def test_a_bogus_token_is_told_it_is_invalid_not_missing(client: Client) -> None:
    response = client.get("/api/v1/me/", headers={"X-Session-Token": "forged-token"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"
    assert response.json()["error"] == {
        "code": "session_invalid",
        "message": "Your session token is invalid or has expired. Sign in again.",
        "fields": {},
    }
    assert client.get("/api/v1/me/").json()["error"]["code"] == "not_authenticated"


def test_a_token_of_a_session_that_ended_is_told_it_has_expired(
    client: Client, bob: User, password: str
) -> None:
    login = post_json(client, f"{APP}/auth/login", {"email": bob.email, "password": password})
    token = login.json()["meta"]["session_token"]
    assert client.get("/api/v1/me/", headers={"X-Session-Token": token}).status_code == 200
    client.delete(f"{APP}/auth/session", headers={"X-Session-Token": token})

    response = client.get("/api/v1/projects/", headers={"X-Session-Token": token})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_invalid"


def user_ids(body: Any) -> list[Any]:
    """Every "id" of a "user" object anywhere in a headless response."""
    found: list[Any] = []
    if isinstance(body, dict):
        if isinstance(body.get("user"), dict):
            found.append(body["user"].get("id"))
        for value in body.values():
            found.extend(user_ids(value))
    elif isinstance(body, list):
        for value in body:
            found.extend(user_ids(value))
    return found


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_headless_names_the_user_by_public_id_never_by_pk(
    client: Client, bob: User, password: str, kind: str
) -> None:
    base = f"/_allauth/{kind}/v1"
    login = post_json(client, f"{base}/auth/login", {"email": bob.email, "password": password})
    assert login.status_code == 200
    token = login.json()["meta"].get("session_token", "")
    headers = {"X-Session-Token": token} if token else {}
    session = client.get(f"{base}/auth/session", headers=headers)
    assert session.status_code == 200

    for response in (login, session):
        assert user_ids(response.json()) == [str(bob.public_id)]
        assert f'"id": {bob.pk},' not in response.content.decode()
        assert f'"id":{bob.pk},' not in response.content.decode()


def test_headless_signup_names_the_new_user_by_public_id(client: Client) -> None:
    response = post_json(
        client, f"{APP}/auth/signup", {"email": "finn@example.com", "password": "photos-of-2026"}
    )
    token = response.json()["meta"]["session_token"]
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", str(mail.outbox[0].body))
    assert key
    verified = post_json(client, f"{APP}/auth/email/verify", {"key": key.group(1)}, token)

    user = User.objects.get(email="finn@example.com")
    assert user_ids(verified.json()) == [str(user.public_id)]
