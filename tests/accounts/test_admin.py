"""Staff reach the admin through allauth's login and manage users there."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


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
