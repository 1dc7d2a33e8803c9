"""Staff see what AI writing cost: per request, per customer this month, and why one failed."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from projects.models import AiRequest, AiRequestStatus, Suggestion
from projects.services import project_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_requests(bob: User) -> list[AiRequest]:
    project = project_create(owner=bob, title="Lisbon")
    done = AiRequest.objects.create(
        project=project,
        owner=bob,
        status=AiRequestStatus.COMPLETED,
        model="gpt-4o-mini",
        photo_count=24,
        input_tokens=5000,
        output_tokens=900,
        cached_tokens=1200,
        sent=[{"photo": "p", "bytes": 41000, "fields": ["image", "month"]}],
    )
    Suggestion.objects.create(request=done, project=project, field="title", text="Sea days")
    failed = AiRequest.objects.create(
        project=project,
        owner=bob,
        status=AiRequestStatus.FAILED,
        error_code="ai_rate_limited",
        error_message="The AI service is busy (rate limited). Try again shortly.",
    )
    return [done, failed]


def test_staff_see_each_request_with_its_tokens_and_the_list_total(
    client: Client, alice: User, bobs_requests: list[AiRequest]
) -> None:
    client.force_login(alice)
    page = client.get("/admin/projects/airequest/").content.decode()
    assert "Tokens in this list: 5000 input, 900 output (1200 of the input cached)" in page
    assert "Failed" in page
    detail = client.get(f"/admin/projects/airequest/{bobs_requests[0].pk}/change/").content.decode()
    assert "41000" in detail and "Sea days" in detail


def test_the_customer_page_shows_this_months_ai_usage(
    client: Client, alice: User, bob: User, bobs_requests: list[AiRequest]
) -> None:
    client.force_login(alice)
    page = client.get(f"/admin/accounts/user/{bob.pk}/change/").content.decode()
    assert "AI this month" in page
    assert "2 requests (1 of 0 counted), 5000 input / 900 output tokens (1200 cached)" in page


def test_customers_cannot_read_the_ai_log_of_the_admin(
    client: Client, bob: User, bobs_requests: list[AiRequest]
) -> None:
    client.force_login(bob)
    assert client.get("/admin/projects/airequest/").status_code == 302
