"""Every AI setting, read from Django settings in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class AiSettings:
    api_key: str
    model: str
    base_url: str  # "" = the client's default (it also reads OPENAI_BASE_URL itself)
    timeout_seconds: float
    max_retries: int
    max_output_tokens: int
    secret_key: str


def ai_settings() -> AiSettings:
    return AiSettings(
        api_key=settings.OPENAI_API_KEY,
        model=settings.OPENAI_MODEL,
        base_url=settings.OPENAI_BASE_URL,
        timeout_seconds=float(settings.OPENAI_TIMEOUT_SECONDS),
        max_retries=int(settings.OPENAI_MAX_RETRIES),
        max_output_tokens=int(settings.OPENAI_MAX_OUTPUT_TOKENS),
        secret_key=settings.SECRET_KEY,
    )
