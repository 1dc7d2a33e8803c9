"""Production refuses to take payments it could not confirm: the webhook secret is required."""

from __future__ import annotations

from tests.photomemory.test_settings import PRODUCTION_ENV, manage

STRIPE = {
    "STRIPE_SECRET_KEY": "sk_live_photomemoryexamplekey000001",
    "STRIPE_LIVE_MODE": "true",
}


def test_it_refuses_to_start_with_stripe_keys_but_no_webhook_secret() -> None:
    result = manage("check", "--deploy", env={**PRODUCTION_ENV, **STRIPE})
    assert result.returncode != 0
    assert "Set the STRIPE_WEBHOOK_SECRET environment variable" in result.stderr


def test_it_passes_the_deploy_checks_with_the_webhook_secret() -> None:
    env = {**PRODUCTION_ENV, **STRIPE, "STRIPE_WEBHOOK_SECRET": "whsec_examplesecret0001"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_names_a_missing_webhook_secret(settings: object) -> None:
    from django.test import override_settings

    from billing.checks import webhook_secret_check

    with override_settings(BILLING_ENABLED=True, STRIPE_WEBHOOK_SECRET=""):
        assert [m.id for m in webhook_secret_check()] == ["billing.E001"]
    with override_settings(BILLING_ENABLED=False, STRIPE_WEBHOOK_SECRET=""):
        assert webhook_secret_check() == []
