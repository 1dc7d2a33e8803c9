"""Translates through Google Cloud Translation v3 (``TranslationServiceClient``, REST transport).

Why v3 and not v2's ``translate_v2.Client``: v3 takes a per-call ``timeout`` (v2's client has
none: every request waits the library's 60 s), takes both an API key (``client_options.api_key``)
and a service account, honours ``client_options.api_endpoint`` on its REST transport (so staging
and tests' plain-HTTP fake work), and is the version Google develops. Its cost: a project id in
every request's path, hence ``GOOGLE_TRANSLATE_PROJECT_ID`` is needed with either credential.

What is sent: the lines as ``text/plain`` (never HTML: a caption's ``<`` or ``&`` stays as
typed), the target and, if known, the source language. Batches keep within the documented
limits of ``translateText``: at most 1024 strings and 30,000 codepoints per request.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence

import requests
from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.auth import credentials as auth_credentials
from google.auth import exceptions as auth_exceptions
from google.cloud import translate_v3
from google.oauth2 import service_account
from google.protobuf import json_format

from . import port
from .batching import batches
from .config import TranslationSettings
from .languages import google_language
from .port import Translation

MIME_TYPE = "text/plain"
SCOPES = ("https://www.googleapis.com/auth/cloud-translation",)
MAX_RETRY_WAIT = 10.0  # a longer retry-after is reported to the user, not slept through
BACKOFF_SECONDS = 0.5


def _retry_after(exc: api_exceptions.GoogleAPICallError) -> float | None:
    response = exc.response
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        return float(headers.get("retry-after", ""))
    except ValueError:
        return None  # absent, or an HTTP date: Google sends seconds


def as_translation_error(exc: Exception) -> port.TranslationError:
    """The client's exception as the TranslationError the user is shown (subclasses first)."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return port.TranslationUnreachable(detail)
    if isinstance(exc, requests.exceptions.Timeout):
        return port.TranslationTimeout(detail)
    if isinstance(exc, requests.exceptions.ConnectionError | auth_exceptions.TransportError):
        return port.TranslationUnreachable(detail)
    if isinstance(exc, auth_exceptions.GoogleAuthError):
        return port.TranslationUnauthorized(detail)  # a token that could not be had or refreshed
    if isinstance(exc, api_exceptions.Unauthorized | api_exceptions.Forbidden):
        return port.TranslationUnauthorized(detail)
    if isinstance(exc, api_exceptions.TooManyRequests):
        return port.TranslationRateLimited(detail, retry_after=_retry_after(exc))
    if isinstance(exc, api_exceptions.ServerError):
        return port.TranslationServerError(detail)
    if isinstance(exc, api_exceptions.ClientError):
        return port.TranslationRejected(detail)
    if isinstance(exc, json_format.ParseError | ValueError):
        return port.TranslationMalformed(detail)
    return port.TranslationError(detail)


def _retryable(error: port.TranslationError) -> bool:
    # Not a timeout: a service that was too slow once would make the user wait twice as long.
    return isinstance(
        error,
        port.TranslationRateLimited | port.TranslationServerError | port.TranslationUnreachable,
    )


def _credentials(config: TranslationSettings) -> auth_credentials.Credentials:
    """The service account's credentials; a file that cannot be read is refused credentials."""
    try:
        return service_account.Credentials.from_service_account_file(
            config.credentials_file, scopes=SCOPES
        )
    except (OSError, ValueError, auth_exceptions.GoogleAuthError) as exc:
        raise port.TranslationUnauthorized(f"credentials file: {exc}") from exc


def _client(
    config: TranslationSettings, credentials: auth_credentials.Credentials | None
) -> translate_v3.TranslationServiceClient:
    options = ClientOptions(api_endpoint=config.api_endpoint or None)
    if credentials is None:
        if config.api_key:
            options.api_key = config.api_key  # sent as x-goog-api-key
        else:
            # Loaded here, not through client_options.credentials_file, which the client may
            # quietly replace with Application Default Credentials.
            credentials = _credentials(config)
    return translate_v3.TranslationServiceClient(
        transport="rest",  # plain HTTP/JSON: proxies, staging and tests' fake all speak it
        credentials=credentials,
        client_options=options,
    )


class GoogleTranslator:
    configured = True

    def __init__(
        self,
        config: TranslationSettings,
        *,
        credentials: auth_credentials.Credentials | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``credentials`` overrides the settings' key or file (tests pass anonymous ones);
        ``sleep`` is what waits between retries (tests record instead of waiting)."""
        self.config = config
        self._credentials = credentials
        self.parent = f"projects/{config.project_id}/locations/global"
        self._sleep = sleep

    @functools.cached_property
    def client(self) -> translate_v3.TranslationServiceClient:
        """Made on first use, so ``get_translator()`` never fails: a bad credentials file is a
        ``TranslationUnauthorized`` from ``translate``."""
        return _client(self.config, self._credentials)

    def translate(
        self, texts: Sequence[str], *, target: str, source: str | None
    ) -> list[Translation]:
        results: list[Translation] = []
        for batch in batches(texts):
            results.extend(self._translate_batch(batch, target=target, source=source))
        return results

    def _translate_batch(
        self, batch: list[str], *, target: str, source: str | None
    ) -> list[Translation]:
        request = translate_v3.TranslateTextRequest(
            parent=self.parent,
            contents=batch,
            mime_type=MIME_TYPE,
            target_language_code=google_language(target),
            source_language_code=google_language(source) if source else "",
        )
        attempt = 0
        while True:
            try:
                response = self.client.translate_text(
                    request=request, timeout=self.config.timeout_seconds, retry=None
                )
                return self._results(batch, response, source=source)
            except port.TranslationError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure becomes a TranslationError
                error = as_translation_error(exc)
                wait = self._wait(error, attempt)
                if wait is None:
                    raise error from exc
            attempt += 1
            self._sleep(wait)

    def _wait(self, error: port.TranslationError, attempt: int) -> float | None:
        """Seconds before the next attempt, or None to give up with ``error``."""
        if attempt >= self.config.max_retries or not _retryable(error):
            return None
        if isinstance(error, port.TranslationRateLimited) and error.retry_after is not None:
            return error.retry_after if error.retry_after <= MAX_RETRY_WAIT else None
        return BACKOFF_SECONDS * 2**attempt

    @staticmethod
    def _results(
        batch: list[str], response: translate_v3.TranslateTextResponse, *, source: str | None
    ) -> list[Translation]:
        translations = list(response.translations)
        if len(translations) != len(batch):
            raise port.TranslationMalformed(
                f"{len(batch)} lines sent, {len(translations)} translations received"
            )
        return [
            Translation(text=t.translated_text, source=t.detected_language_code or source or "")
            for t in translations
        ]
