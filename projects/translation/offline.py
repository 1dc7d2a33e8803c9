"""The translator without credentials: nothing leaves the machine and nothing is translated."""

from __future__ import annotations

from collections.abc import Sequence

from .port import Translation, TranslationNotConfigured


class OfflineTranslator:
    """Says so rather than pretending: every call raises ``TranslationNotConfigured``.

    An empty batch is not a request and answers ``[]``, like the Google adapter.
    """

    configured = False

    def translate(
        self, texts: Sequence[str], *, target: str, source: str | None
    ) -> list[Translation]:
        if not texts:
            return []
        raise TranslationNotConfigured("no Google Translate credentials in settings")
