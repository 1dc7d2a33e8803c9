"""The JSON schema the model must answer in (strict Structured Outputs) and its validation.

Photos are named ``p1``…``pN`` towards the model, never by their ids: shorter, and the answer
can only refer to photos that were sent (the schema enumerates them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from rendering.pipeline.captions import clean_text

from .port import AiMalformedOutput, AiSchemaViolation, OrderStep

MAX_TITLE_CHARS = 80
MAX_CAPTION_CHARS = 140
MAX_STORY_CHARS = 600
MAX_REASON_CHARS = 120


def aliases(photo_ids: Sequence[str]) -> dict[str, str]:
    """Alias -> photo id, in the order the photos are sent."""
    return {f"p{n}": photo_id for n, photo_id in enumerate(photo_ids, start=1)}


def response_schema(alias_names: Sequence[str]) -> dict[str, Any]:
    ref = {"type": "string", "enum": list(alias_names)}

    def items(text_field: str) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"photo": ref, text_field: {"type": "string"}},
                "required": ["photo", text_field],
                "additionalProperties": False,
            },
        }

    return {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "story": {"type": "string"},
            "captions": items("caption"),
            "order": items("reason"),
        },
        "required": ["title", "story", "captions", "order"],
        "additionalProperties": False,
    }


# Bidirectional overrides can make shown text read differently from what is stored.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _plain(value: object, *, limit: int, field: str) -> str:
    """One line of plain text: control characters gone, whitespace collapsed, ``limit`` chars."""
    if not isinstance(value, str):
        raise AiSchemaViolation(f"{field} is not a string")
    return " ".join(clean_text(value.translate(_BIDI_CONTROLS), limit=limit).split("\n"))


def _entries(data: Mapping[str, Any], key: str, text_field: str) -> list[tuple[str, Any]]:
    entries = data.get(key)
    if not isinstance(entries, list):
        raise AiSchemaViolation(f"{key} is not a list")
    pairs = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("photo"), str):
            raise AiSchemaViolation(f"an entry of {key} has no photo")
        pairs.append((entry["photo"], entry.get(text_field)))
    return pairs


def _one_each(pairs: list[tuple[str, Any]], names: Mapping[str, str], key: str) -> None:
    seen = [alias for alias, _ in pairs]
    if sorted(seen) != sorted(names):
        raise AiSchemaViolation(f"{key} does not name each photo sent exactly once")


def parse_draft_text(
    text: str, names: Mapping[str, str]
) -> tuple[str, str, dict[str, str], tuple[OrderStep, ...]]:
    """The model's JSON as (title, story, captions by photo id, order), sanitised and checked."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AiMalformedOutput(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise AiSchemaViolation("the answer is not an object")
    title = _plain(data.get("title"), limit=MAX_TITLE_CHARS, field="title")
    story = _plain(data.get("story"), limit=MAX_STORY_CHARS, field="story")
    if not title:
        raise AiSchemaViolation("the title is empty")
    caption_pairs = _entries(data, "captions", "caption")
    order_pairs = _entries(data, "order", "reason")
    _one_each(caption_pairs, names, "captions")
    _one_each(order_pairs, names, "order")
    captions = {
        names[alias]: _plain(text, limit=MAX_CAPTION_CHARS, field="caption")
        for alias, text in caption_pairs
    }
    order = tuple(
        OrderStep(names[alias], _plain(reason, limit=MAX_REASON_CHARS, field="reason"))
        for alias, reason in order_pairs
    )
    return title, story, captions, order
