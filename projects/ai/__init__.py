"""AI writing: titles, captions, a story and an order, drafted for the user to accept or not.

``port`` is the contract every caller uses; ``get_provider()`` picks OpenAI when a key is set and
the offline drafter otherwise. No Django models here: services on top store what they need.
"""

from __future__ import annotations

from .port import AiError, Draft, DraftOptions, DraftProvider, PhotoInput, Usage
from .provider import get_provider

__all__ = [
    "AiError",
    "Draft",
    "DraftOptions",
    "DraftProvider",
    "PhotoInput",
    "Usage",
    "get_provider",
]
