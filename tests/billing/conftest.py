"""Billing fixtures: a fake Stripe API on loopback, billing switched on, the catalogue synced, and
a webhook endpoint whose signed deliveries reach Django's test client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import stripe
from django.test import Client
from djstripe.models import WebhookEndpoint

from accounts.models import User
from billing.services import catalogue_sync, webhook_endpoint_register
from photomemory.celery import app as celery_app
from tests.billing.fake_stripe import FakeStripe, sign_payload
from tests.projects.conftest import add_photo  # noqa: F401 - fixture
from tests.rendering.jobs.conftest import broker, redis_broker  # noqa: F401 - fixtures

# Shared with the browser journey, which renders on a real worker.
__all__ = ["add_photo", "broker", "redis_broker"]

SECRET_KEY = "sk_test_photomemoryfakestripekey0001"


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[FakeStripe]:
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_stripe(
    fake_stripe_server: FakeStripe, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeStripe]:
    """Billing on, with the official client pointed at the fake (as STRIPE_API_HOST does)."""
    fake_stripe_server.reset()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
    settings.STRIPE_LIVE_MODE = False
    settings.BILLING_ENABLED = True
    monkeypatch.setattr(stripe, "api_base", fake_stripe_server.url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    # E-mails are Celery tasks; run them in-process here (a worker is rendering's business).
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield fake_stripe_server
    celery_app.conf.task_always_eager = eager
    forget_producer_pool()


def forget_producer_pool() -> None:
    """Even an eager task takes a producer from the app's pool (to serialise its arguments),
    and the app keeps that producer pool, bound to this broker, through ``app.close()``. Forget
    it (kombu keeps the pool itself for whoever uses this broker again), so a later test that
    points the app at another broker (the render jobs' own) gets one for that broker."""
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    celery_app.close()


@pytest.fixture
def catalogue(fake_stripe: FakeStripe) -> FakeStripe:
    catalogue_sync()
    return fake_stripe


def price_id(fake: FakeStripe, lookup_key: str) -> str:
    return next(p["id"] for p in fake.table("prices").values() if p["lookup_key"] == lookup_key)


@pytest.fixture
def webhook(catalogue: FakeStripe) -> Webhook:
    endpoint = webhook_endpoint_register(base_url="http://testserver")
    hook = Webhook(endpoint)
    catalogue.deliver = hook.deliver
    return hook


class Webhook:
    """Posts payloads to dj-stripe's endpoint the way Stripe does, and keeps the answers."""

    def __init__(self, endpoint: WebhookEndpoint) -> None:
        self.endpoint = endpoint
        self.path = endpoint.url.removeprefix("http://testserver")
        self.secret = str(endpoint.secret)
        self.responses: list[Any] = []

    def deliver(self, url: str, payload: str, signature: str) -> Any:
        assert url.endswith(self.path)
        return self.post(payload, signature=signature)

    def post(self, payload: str | dict[str, Any], *, signature: str | None = None) -> Any:
        body = payload if isinstance(payload, str) else json.dumps(payload)
        headers = {} if signature is None else {"Stripe-Signature": signature}
        response = Client().post(self.path, body, content_type="application/json", headers=headers)
        self.responses.append(response)
        return response

    def send(self, event: dict[str, Any], *, timestamp: int | None = None) -> Any:
        body = json.dumps(event)
        return self.post(body, signature=sign_payload(body, self.secret, timestamp=timestamp))


@pytest.fixture
def subscribe(catalogue: FakeStripe, webhook: Webhook) -> Callable[..., dict[str, Any]]:
    """Bob (or anyone) pays for a plan on the fake Checkout; the webhooks arrive signed."""
    from billing.services import checkout_session_create

    def run(user: User, lookup_key: str = "photomemory_plus_monthly") -> dict[str, Any]:
        url = checkout_session_create(
            user=user, price_id=price_id(catalogue, lookup_key), site_url="http://testserver/"
        )
        session_id = url.rsplit("/", 1)[1]
        session = catalogue.checkout_complete(session_id)
        return catalogue.get("subscriptions", session["subscription"])

    return run
