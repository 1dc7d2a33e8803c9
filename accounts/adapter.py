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
        self.render_mail(template_prefix, email, ctx).send()
