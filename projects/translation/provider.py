"""Which translator answers: Google when credentials are configured, the offline one otherwise."""

from __future__ import annotations

from .config import translation_settings
from .port import Translator


def get_translator() -> Translator:
    config = translation_settings()
    if config.configured:
        from .google_adapter import GoogleTranslator  # imported only when credentials exist

        return GoogleTranslator(config)
    from .offline import OfflineTranslator

    return OfflineTranslator()
