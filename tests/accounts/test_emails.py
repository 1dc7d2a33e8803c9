"""Every e-mail we send names the product and links to the public site (SITE_URL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from billing.emails import billing_email_send_now
from projects.services import project_create
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services.mail import video_send_ready_email

pytestmark = pytest.mark.django_db

SITE_URL = "https://photomemory.example"


@pytest.fixture(autouse=True)
def public_site(settings: Any) -> None:
    settings.SITE_URL = SITE_URL  # not the host the test client talks to (testserver)


def signup(client: Client, email: str) -> None:
    password = "a-long-and-memorable-phrase"
    client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


def test_the_verification_mail_names_the_product_and_links_to_the_site(client: Client) -> None:
    signup(client, "dora@example.com")

    [message] = mail.outbox
    assert message.subject == "[PhotoMemory AI] Please Confirm Your Email Address"
    assert message.body.startswith("Hello from PhotoMemory AI!")
    assert "register an account on photomemory.example" in message.body
    assert f"go to {SITE_URL}/accounts/confirm-email/" in message.body
    assert message.body.rstrip().endswith(f"Thank you for using PhotoMemory AI!\n{SITE_URL}")
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
    assert message.from_email.startswith("PhotoMemory AI <")


def test_the_account_exists_mail_names_the_product(client: Client, bob: User) -> None:
    signup(client, bob.email)

    [message] = mail.outbox
    assert message.subject.startswith("[PhotoMemory AI] ")
    assert message.body.startswith("Hello from PhotoMemory AI!")
    assert f"{SITE_URL}/accounts/password/reset/" in message.body
    assert "testserver" not in message.body


def test_the_password_reset_mail_names_the_product(client: Client, bob: User) -> None:
    client.post("/accounts/password/reset/", {"email": bob.email})

    [message] = mail.outbox
    assert message.subject == "[PhotoMemory AI] Password Reset Email"
    assert message.body.startswith("Hello from PhotoMemory AI!")
    assert f"{SITE_URL}/accounts/password/reset/key/" in message.body


@pytest.mark.parametrize("kind", ["payment_failed", "subscription_cancelled"])
def test_billing_mails_name_the_product(bob: User, kind: str) -> None:
    billing_email_send_now(kind=kind, user_id=bob.pk)

    [message] = mail.outbox
    assert message.subject.startswith("[PhotoMemory AI] ")
    assert "PhotoMemory AI subscription" in message.body
    assert message.body.rstrip().endswith(f"— PhotoMemory AI\n{SITE_URL}")


def test_the_video_ready_mail_names_the_product(bob: User) -> None:
    project = project_create(owner=bob, title="Weekend at the lake")
    video = GeneratedVideo.objects.create(
        project=project, owner=bob, status=VideoStatus.COMPLETED, duration=75, photo_count=3
    )

    video_send_ready_email(video=video)

    [message] = mail.outbox
    assert message.subject == "[PhotoMemory AI] Your memory video “Weekend at the lake” is ready"
    assert f"{SITE_URL}/projects/{project.public_id}/" in message.body
    assert message.body.rstrip().endswith(f"— PhotoMemory AI\n{SITE_URL}")
