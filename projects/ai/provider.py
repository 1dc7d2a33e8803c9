"""Which drafter answers: OpenAI when a key is configured, the offline one otherwise."""

from __future__ import annotations

from .config import ai_settings
from .port import DraftProvider


def get_provider() -> DraftProvider:
    config = ai_settings()
    if config.api_key:
        from .openai_adapter import OpenAiDrafter  # imported only when a key makes it usable

        return OpenAiDrafter(config)
    from .offline import OfflineDrafter

    return OfflineDrafter()
