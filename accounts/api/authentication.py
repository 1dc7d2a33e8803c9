"""DRF authentication by allauth's headless session token (`X-Session-Token`)."""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import (
    XSessionTokenAuthentication,
)
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's token check, plus a WWW-Authenticate challenge so anonymous calls get 401.

    allauth answers ``None`` for a token it does not know, which DRF reads as "no credentials"
    (401 ``not_authenticated``, "Sign in"). An app that sent a token it holds needs to know that
    this token is dead, so it can drop it and sign in again: ``session_invalid``.
    """

    def authenticate(self, request: Request) -> Any:  # type: ignore[override]
        token = self.get_session_token(request)
        if not token:
            return None
        result = super().authenticate(request)
        if result is None:
            raise AuthenticationFailed(
                "Your session token is invalid or has expired. Sign in again.",
                code="session_invalid",
            )
        return result

    def authenticate_header(self, request: Request) -> str:
        return "X-Session-Token"
