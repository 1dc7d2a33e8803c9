"""DRF authentication by allauth's headless session token (`X-Session-Token`)."""

from __future__ import annotations

from allauth.headless.contrib.rest_framework.authentication import (
    XSessionTokenAuthentication,
)
from rest_framework.request import Request


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's token check, plus a WWW-Authenticate challenge so anonymous calls get 401."""

    def authenticate_header(self, request: Request) -> str:
        return "X-Session-Token"
