"""Drafts through OpenAI's Responses API with Structured Outputs (a strict JSON schema).

One request per batch of photos. What is sent: the instructions, per photo an alias, its month
and (if allowed) place name as text and its prepared JPEG as a data URL; ``store=False``; a
pseudonymous ``safety_identifier``. Never an e-mail, a name, a file name or EXIF.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import openai
from openai.types.responses import Response, ResponseTextConfigParam

from rendering.pipeline.captions import month_year

from . import port
from .config import AiSettings
from .images import is_prepared, prepare_image
from .port import Draft, DraftOptions, PhotoInput, Usage
from .schema import aliases, parse_draft_text, response_schema

INSTRUCTIONS = (
    "You help someone make a short memory video from their own photos. For each photo write a "
    "short, concrete caption (at most 12 words) about what is visible. Never invent names of "
    "people or places; use a place only if it is given. Write a title of at most 6 words, a "
    "story of two to four sentences for the closing card, and suggest an order that tells the "
    "story well, with a one-line reason for each photo that moves (empty reason otherwise). "
    "Plain text only, no markup, no emoji."
)


def safety_identifier(*, user_public_id: str, secret_key: str) -> str:
    """Stable per user, meaningless outside this site: an HMAC of the public id, not the id."""
    digest = hmac.new(secret_key.encode(), f"ai-safety:{user_public_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _photo_text(alias: str, photo: PhotoInput) -> str:
    facts = [alias]
    if photo.month is not None:
        facts.append(f"taken {month_year(datetime(photo.month.year, photo.month.month, 1))}")
    if photo.place:
        facts.append(f"near {photo.place}")
    return "Photo " + ", ".join(facts)


def build_input(
    photos: Sequence[PhotoInput], names: dict[str, str], *, detail: str
) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = []
    for alias, photo in zip(names, photos, strict=True):
        # A caller that forgot to prepare a photo must not leak its EXIF: prepare it here.
        jpeg = photo.jpeg if is_prepared(photo.jpeg) else prepare_image(photo.jpeg)
        data_url = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        content.append({"type": "input_text", "text": _photo_text(alias, photo)})
        content.append({"type": "input_image", "image_url": data_url, "detail": detail})
    return [{"role": "user", "content": content}]


def _retry_after(exc: openai.APIStatusError) -> float | None:
    try:
        return float(exc.response.headers.get("retry-after", ""))
    except ValueError:
        return None


def _translate(exc: openai.OpenAIError) -> port.AiError:
    """The client's exception as the AiError the user is shown (order matters: subclasses first)."""
    detail = str(exc)
    if isinstance(exc, openai.APITimeoutError):
        return port.AiTimeout(detail)
    if isinstance(exc, openai.APIConnectionError):
        return port.AiUnreachable(detail)
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return port.AiUnauthorized(detail)
    if isinstance(exc, openai.RateLimitError):
        return port.AiRateLimited(detail, retry_after=_retry_after(exc))
    if isinstance(exc, openai.APIStatusError):
        return port.AiServerError(detail) if exc.status_code >= 500 else port.AiRejected(detail)
    if isinstance(exc, openai.APIResponseValidationError):
        return port.AiMalformedOutput(detail)
    return port.AiError(detail)


def _answer_text(response: Response) -> str:
    """The JSON text of a finished answer, or the AiError saying why there is none."""
    details = response.incomplete_details
    if response.status == "incomplete":
        if details is not None and details.reason == "content_filter":
            raise port.AiRefused("content filter")
        raise port.AiTruncated(details.reason if details and details.reason else "incomplete")
    for item in response.output:
        if item.type == "message":
            for part in item.content:
                if part.type == "refusal":
                    raise port.AiRefused(part.refusal)
    if response.status not in (None, "completed"):
        raise port.AiServerError(f"response status {response.status}")
    text = response.output_text
    if not text.strip():
        raise port.AiEmpty()
    return text


def _usage(response: Response) -> Usage:
    usage = response.usage
    if usage is None:
        return Usage()
    details = usage.input_tokens_details
    cached = getattr(details, "cached_tokens", 0) or 0
    return Usage(usage.input_tokens, usage.output_tokens, cached)


def _text_config(schema: dict[str, Any]) -> ResponseTextConfigParam:
    return {
        "format": {"type": "json_schema", "name": "memory_draft", "schema": schema, "strict": True}
    }


OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"


def base_url(config: AiSettings) -> str:
    """Settings' endpoint, else the environment's (as the client reads it), else OpenAI's.

    An *empty* OPENAI_BASE_URL (a blank line in .env) would make the client call "" itself.
    """
    return config.base_url or os.environ.get("OPENAI_BASE_URL") or OPENAI_DEFAULT_BASE_URL


class OpenAiDrafter:
    def __init__(self, config: AiSettings) -> None:
        self.config = config
        self.client = openai.OpenAI(
            api_key=config.api_key,
            base_url=base_url(config),
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
        )

    @property
    def model(self) -> str:
        return self.config.model

    def draft_story(self, photos: Sequence[PhotoInput], options: DraftOptions) -> Draft:
        if not photos:
            raise port.AiEmpty("no photos")
        names = aliases([p.photo_id for p in photos])
        schema = response_schema(list(names))
        try:
            response = self.client.responses.create(
                model=self.config.model,
                instructions=INSTRUCTIONS,
                input=build_input(photos, names, detail=options.detail),  # type: ignore[arg-type]
                text=_text_config(schema),
                max_output_tokens=self.config.max_output_tokens,
                store=False,
                safety_identifier=safety_identifier(
                    user_public_id=options.user_public_id, secret_key=self.config.secret_key
                ),
            )
        except openai.OpenAIError as exc:
            raise _translate(exc) from exc
        title, story, captions, order = parse_draft_text(_answer_text(response), names)
        return Draft(
            title=title,
            story=story,
            captions=captions,
            order=order,
            model=response.model or self.config.model,
            usage=_usage(response),
        )
