"""Staff reach the admin through allauth's login and manage users there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import User
from billing.models import ComplimentaryPlan
from projects.services import project_create
from rendering.models import GeneratedVideo, VideoStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FAR_FUTURE = datetime(2099, 12, 31, tzinfo=UTC)


def test_it_sends_anonymous_visitors_to_the_allauth_login(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith("/accounts/login/?next=")


def test_it_lets_staff_find_users_by_email(client: Client, alice: User, bob: User) -> None:
    client.force_login(alice)
    response = client.get("/admin/accounts/user/", {"q": "bob@"})
    assert response.status_code == 200
    assert b"bob@example.com" in response.content
    change = client.get(f"/admin/accounts/user/{bob.pk}/change/")
    assert change.status_code == 200
    assert str(bob.public_id).encode() in change.content


def test_it_lets_staff_add_a_user_with_an_email(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a-good-long-password",
            "password2": "a-good-long-password",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()


def test_it_keeps_customers_out_of_the_admin(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def customer_with_work(email: str, *, projects: int, videos: int) -> User:
    user = UserFactory.create(email=email)
    for n in range(projects):
        project = project_create(owner=user, title=f"Trip {n}")
        for _ in range(videos):
            GeneratedVideo.objects.create(project=project, owner=user, status=VideoStatus.COMPLETED)
    return user


def row_of(page: str, email: str) -> str:
    return next(row for row in page.split("<tr") if f">{email}</a>" in row)


def test_the_user_list_shows_plan_verification_and_counts(
    client: Client, alice: User, bob: User
) -> None:
    customer_with_work("carol@example.com", projects=2, videos=2)
    EmailAddress.objects.filter(user=bob).update(verified=False)
    ComplimentaryPlan.objects.create(user=bob, plan="pro", until=FAR_FUTURE)
    client.force_login(alice)

    page = client.get("/admin/accounts/user/").content.decode()

    bob_row, carol_row = row_of(page, "bob@example.com"), row_of(page, "carol@example.com")
    assert '<td class="field-plan">pro (complimentary)</td>' in bob_row
    assert 'field-email_verified"><img src="/static/admin/img/icon-no.svg"' in bob_row
    assert '<td class="field-project_count">0</td>' in bob_row
    assert '<td class="field-plan">free</td>' in carol_row
    assert 'field-email_verified"><img src="/static/admin/img/icon-yes.svg"' in carol_row
    assert '<td class="field-project_count">2</td>' in carol_row
    assert '<td class="field-video_count">4</td>' in carol_row
    assert '<td class="field-renders_this_month">4 / 3</td>' in carol_row


@pytest.mark.parametrize("billing_enabled", [False, True])
def test_the_user_list_costs_the_same_queries_for_many_users(
    client: Client,
    alice: User,
    settings: Any,
    billing_enabled: bool,
    django_assert_max_num_queries: Any,
) -> None:
    settings.BILLING_ENABLED = billing_enabled
    client.force_login(alice)
    for n in range(12):
        user = customer_with_work(f"customer{n}@example.com", projects=1, videos=1)
        ComplimentaryPlan.objects.create(user=user, plan="plus", until=FAR_FUTURE)

    # Session, user, counts, the page with its usage, the plans (1–2): nothing per row.
    with django_assert_max_num_queries(8):
        response = client.get("/admin/accounts/user/")
    assert response.content.decode().count("plus (complimentary)") == 12
