"""allauth's e-mails name the product and link to the public site, not the request's host.

Without django.contrib.sites allauth names the site after the request's host ("Hello from
127.0.0.1:8000!"), and builds links on whatever host the request came in on (an internal
address behind the load balancer, or the API host a phone talked to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from accounts.language import supported_language


@dataclass(frozen=True, slots=True)
class ProductSite:
    """What allauth's templates read from `current_site`."""

    name: str
    domain: str


def product_site() -> ProductSite:
    return ProductSite(name=settings.PRODUCT_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def on_site_url(url: str, *, request_root: str | None) -> str:
    """The same link on SITE_URL when it points at the request's own host."""
    if request_root and url.startswith(request_root):
        return settings.SITE_URL.rstrip("/") + "/" + url.removeprefix(request_root)
    return url


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account keeps the language the visitor signed up in (switcher or browser)."""
        user.language = supported_language(translation.get_language()) or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = self.request
        root = request.build_absolute_uri("/") if request is not None else None
        links = {
            key: on_site_url(value, request_root=root)
            for key, value in context.items()
            if isinstance(value, str) and key.endswith("_url")
        }
        ctx = {
            "request": request,
            "email": email,
            **context,
            **links,
            "current_site": product_site(),
            "site_url": settings.SITE_URL,
        }
        # In the recipient's language (verification, password reset, …); a mail to an address
        # with no account (e.g. "no account with this e-mail") goes out in the request's.
        user = context.get("user")
        language = supported_language(getattr(user, "language", None)) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        message.send()
