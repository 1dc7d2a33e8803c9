"""Every translation setting, read from Django settings in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class TranslationSettings:
    api_key: str
    credentials_file: str
    project_id: str  # Cloud Translation v3 names the project in every request's path
    api_endpoint: str  # "" = the client's default, translate.googleapis.com
    timeout_seconds: float
    max_retries: int
    cache_seconds: int

    @property
    def configured(self) -> bool:
        """Credentials (a key or a service account) and a project to bill them to."""
        return bool((self.api_key or self.credentials_file) and self.project_id)


def translation_settings() -> TranslationSettings:
    return TranslationSettings(
        api_key=settings.GOOGLE_TRANSLATE_API_KEY,
        credentials_file=settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE,
        project_id=settings.GOOGLE_TRANSLATE_PROJECT_ID,
        api_endpoint=settings.GOOGLE_TRANSLATE_API_ENDPOINT,
        timeout_seconds=float(settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS),
        max_retries=int(settings.GOOGLE_TRANSLATE_MAX_RETRIES),
        cache_seconds=int(settings.TRANSLATION_CACHE_SECONDS),
    )
