"""One way to get a draft, for the web, the API and ``render_memory`` alike: cached, then asked.

A draft is cached by what decides it — the photos' prepared bytes, their month and place, the
model, the prompt version and the image detail — so asking again for the same photos costs no
tokens. The cache is scoped (a user's public id, or ``cli``): drafts are never shared between
users. Photos are stored under their aliases (p1…pN), so the same photos in another project of
the same user hit the cache too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from django.core.cache import cache

from .offline import OFFLINE_MODEL
from .port import PROMPT_VERSION, Draft, DraftOptions, DraftProvider, OrderStep, PhotoInput, Usage
from .schema import aliases

CACHE_SECONDS = 90 * 24 * 3600  # a season of edits; a miss only costs one request again


def provider_model(provider: DraftProvider) -> str:
    return str(getattr(provider, "model", OFFLINE_MODEL))


def draft_cache_key(
    photos: Sequence[PhotoInput], options: DraftOptions, *, model: str, scope: str
) -> str:
    digest = hashlib.sha256()
    for part in (scope, model, PROMPT_VERSION, options.detail):
        digest.update(part.encode() + b"\0")
    for photo in photos:
        digest.update(hashlib.sha256(photo.jpeg).digest())
        digest.update(f"{photo.month or ''}\0{photo.place}\0".encode())
    return digest.hexdigest()


def draft_with_cache(
    provider: DraftProvider,
    photos: Sequence[PhotoInput],
    options: DraftOptions,
    *,
    scope: str,
) -> tuple[Draft, bool]:
    """``(draft, from_cache)``. A cached draft reports no token usage: it cost nothing.

    Raises the provider's ``AiError`` on failure; nothing is cached then.
    """
    model = provider_model(provider)
    if model == OFFLINE_MODEL:
        return provider.draft_story(photos, options), False
    key = "ai-draft:" + draft_cache_key(photos, options, model=model, scope=scope)
    ids = [p.photo_id for p in photos]
    stored = cache.get(key)
    if isinstance(stored, str):
        return replace(_from_json(stored, ids), usage=Usage()), True
    draft = provider.draft_story(photos, options)
    cache.set(key, _to_json(draft, ids), timeout=CACHE_SECONDS)
    return draft, False


def _to_json(draft: Draft, ids: list[str]) -> str:
    alias_of = {photo_id: alias for alias, photo_id in aliases(ids).items()}
    return json.dumps(
        {
            "title": draft.title,
            "story": draft.story,
            "captions": {alias_of[k]: v for k, v in draft.captions.items()},
            "order": [[alias_of[s.photo_id], s.reason] for s in draft.order],
            "model": draft.model,
            "prompt_version": draft.prompt_version,
            "usage": asdict(draft.usage),
        }
    )


def _from_json(text: str, ids: list[str]) -> Draft:
    data: dict[str, Any] = json.loads(text)
    names = aliases(ids)
    return Draft(
        title=data["title"],
        story=data["story"],
        captions={names[a]: c for a, c in data["captions"].items()},
        order=tuple(OrderStep(names[a], reason) for a, reason in data["order"]),
        model=data["model"],
        prompt_version=data["prompt_version"],
    )
