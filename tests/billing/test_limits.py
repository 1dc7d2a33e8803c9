"""The plan-limit error every feature raises: 402 with which limit, the use and how to upgrade."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.models import User
from billing.errors import LimitExceeded

pytestmark = pytest.mark.django_db


class RenderApi(APIView):
    """Stands for any feature's API view that hits a limit (rendering raises the same)."""

    def post(self, request: Request) -> Response:
        raise LimitExceeded(
            limit="renders_per_month",
            current=3,
            allowed=3,
            message="You have made 3 of 3 videos this month on the Free plan.",
        )


def test_a_reached_limit_is_a_402_that_says_which_limit_and_how_to_upgrade(bob: User) -> None:
    request = APIRequestFactory().post("/api/v1/anything/", {}, format="json")
    force_authenticate(request, user=bob)

    response: Any = RenderApi.as_view()(request)

    assert response.status_code == 402
    assert response.data == {
        "error": {
            "code": "plan_limit",
            "message": "You have made 3 of 3 videos this month on the Free plan.",
            "fields": {},
            "limit": {
                "name": "renders_per_month",
                "current": 3,
                "allowed": 3,
                "upgrade_url": "http://testserver/pricing/",
            },
        }
    }
