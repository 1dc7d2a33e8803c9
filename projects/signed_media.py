"""Short-lived links to private files, for storage that cannot presign (the local filesystem).

S3 presigns its own GET links. The filesystem cannot, so the app signs one instead: the token
names one stored file — its key, type, download name and disposition — so it opens that file
and nothing else, and it stops working ``PROJECTS_SIGNED_URL_SECONDS`` after it was made. It is
the promise a presigned S3 URL makes: whoever holds the link may fetch that file for a short
time, without cookies — what a mobile app, a ``<video>`` element or an admin page needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from projects import storage

# A salt of its own, so no other signed value of the app (sessions, e-mail links) is a token.
SALT = "projects.signed_media"


@dataclass(frozen=True, slots=True)
class SignedFile:
    key: str
    content_type: str
    filename: str
    inline: bool


def sign(*, key: str, content_type: str, filename: str, inline: bool) -> str:
    """A URL-safe token for one stored file; ``unsign`` gives it back while it is fresh."""
    return signing.dumps([key, content_type, filename, inline], salt=SALT, compress=True)


def unsign(token: str) -> SignedFile:
    """The file a token names. Raises ``signing.SignatureExpired`` when it is older than
    ``PROJECTS_SIGNED_URL_SECONDS``, ``signing.BadSignature`` when it was not made by us."""
    value = signing.loads(token, salt=SALT, max_age=settings.PROJECTS_SIGNED_URL_SECONDS)
    try:
        key, content_type, filename, inline = value
    except (TypeError, ValueError):
        raise signing.BadSignature("Not a media token.") from None
    return SignedFile(key=key, content_type=content_type, filename=filename, inline=bool(inline))


def file_url(
    request: HttpRequest | None, *, key: str, content_type: str, filename: str, inline: bool
) -> str:
    """A link anyone holding it can open for a short time: presigned by S3, else signed by the
    app (absolute when there is a request to take the host from)."""
    presigned = storage.signed_url(key, content_type=content_type, filename=filename, inline=inline)
    if presigned:
        return presigned
    token = sign(key=key, content_type=content_type, filename=filename, inline=inline)
    path = reverse("media-signed", kwargs={"token": token})
    return request.build_absolute_uri(path) if request else path
