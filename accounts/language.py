"""Which language a request is answered in.

Visitors: the switcher's cookie, else ``Accept-Language`` (Django's LocaleMiddleware). A
signed-in user: the language saved on their profile, whatever the browser says, so every page,
the API's messages and their e-mails agree. On sign-in the saved language is also put in the
language cookie, so it stays after signing out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation


def supported_language(code: str | None) -> str | None:
    """``code`` if the app is translated into it, else ``None``."""
    return code if code in dict(settings.LANGUAGES) else None


def _admin_prefix() -> str:
    return reverse("admin:index")


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )


class UserLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in user's saved language wins.

    The staff admin stays in English: its own pages (user plan, videos, AI log, billing
    actions) are written for staff in English only, and Django's translated admin chrome around
    them would mix languages on one page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            supported_language(getattr(user, "language", None))
            if user is not None and user.is_authenticated
            else None
        )
        if request.path_info.startswith(_admin_prefix()):
            language = settings.LANGUAGE_CODE
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)


def on_user_logged_in(
    sender: Any,
    request: HttpRequest,
    user: Any,
    response: HttpResponse | None = None,
    **kwargs: Any,
) -> None:
    """allauth's ``user_logged_in``: switch to the user's saved language for the rest of this
    request (the redirect's messages) and remember it in the cookie."""
    language = supported_language(getattr(user, "language", None))
    if not language:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    if response is not None:
        set_language_cookie(response, language)
