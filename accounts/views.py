"""The language switcher: Django's ``set_language``, which also saves a signed-in user's choice."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.services import user_update_preferences


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Set the language cookie (visitors and users alike) and, for a signed-in user, remember
    the choice on the profile so the next sign-in, on any device, and e-mails use it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_update_preferences(user=request.user, language=language)  # type: ignore[arg-type]
    return response
