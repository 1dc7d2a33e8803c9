"""`manage.py create_demo_user` gives a working, verified account, however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.management.commands.create_demo_user import DEMO_EMAIL, DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_creates_a_verified_demo_account_once(client: Client) -> None:
    out = StringIO()
    call_command("create_demo_user", stdout=out)
    call_command("create_demo_user", stdout=out)

    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    assert EmailAddress.objects.get(email=DEMO_EMAIL).verified
    assert DEMO_EMAIL in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
