"""Sign-up, e-mail verification, log-in and log-out through the web pages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

NEW_EMAIL = "dora@example.com"
NEW_PASSWORD = "a-long-and-memorable-phrase"


def confirmation_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^/\s]+/)", body)
    assert match, f"no confirmation link in: {body}"
    return match.group(1)


def test_it_signs_up_verifies_logs_in_and_logs_out(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": NEW_EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email=NEW_EMAIL).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW_EMAIL]
    assert mail.outbox[0].subject.startswith("[PhotoMemory AI] ")

    # Unverified: signing in is refused and points back at the verification step.
    client.logout()
    response = client.post("/accounts/login/", {"login": NEW_EMAIL, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = confirmation_path(str(mail.outbox[0].body))
    assert client.get(link).status_code == 200
    response = client.post(link, follow=True)
    # Confirming in the browser that signed up signs you straight in.
    assert b"Your projects" in response.content
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": NEW_EMAIL, "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert b"Your projects" in response.content

    response = client.post("/accounts/logout/", follow=True)
    assert b"Turn your photos into a" in response.content
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_wrong_password_with_a_form_error(client: Client, bob: User) -> None:
    response = client.post("/accounts/login/", {"login": bob.email, "password": "not-it"})
    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in (response.content)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_second_account_for_the_same_email(client: Client, bob: User) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": bob.email.upper(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # allauth answers "check your inbox" to avoid revealing who has an account; no new user.
    assert response.status_code in (200, 302)
    assert User.objects.filter(email__iexact=bob.email).count() == 1


def test_it_sends_a_password_reset_link_that_sets_a_new_password(client: Client, bob: User) -> None:
    response = client.post("/accounts/password/reset/", {"email": bob.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    match = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/password/reset/key/\S+/)",
        str(mail.outbox[0].body),
    )
    assert match
    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "brand-new-phrase-42", "password2": "brand-new-phrase-42"},
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("brand-new-phrase-42")
