"""``render_memory --language X`` / ``--languages X,Y``: the words a person or the AI wrote
(title, story, captions), translated into the video's language by ``projects.translation``.

Dates and place names need no translation: the pipeline writes them in the video's language
itself, and so do the offline captions. Like ``cli_ai`` this needs Django (settings, the cache)
and never stops a render: a failure is one short reason, and the caller keeps the original words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from projects.translation import TranslationError, translate_texts
from rendering.pipeline.captions import clean_text
from rendering.pipeline.options import MAX_STORY_CHARS, MAX_TITLE_CHARS

# The service logs each failure as a warning and the HTTP clients log every request: on a
# terminal that would bury the one line the command promises (the caller writes it).
_CHATTY_LOGGERS = ("projects.translation", "google", "urllib3", "httpx")


@dataclass(frozen=True, slots=True)
class Words:
    """Words to show that someone wrote; "" where there are none."""

    title: str = ""
    story: str = ""
    captions: dict[str, str] | None = None  # photo file name -> caption; None: not ours to touch


def translate_words(words: Words, *, target: str, source: str | None) -> tuple[Words, str | None]:
    """``words`` in ``target``, and None; or ``words`` as they are and the reason (one short
    sentence) when the translator could not help. Nothing is sent when there are no words, or
    when ``source`` is ``target`` already."""
    captions = dict(words.captions or {})
    texts = [words.title, words.story, *captions.values()]
    if not any(text.strip() for text in texts) or _same(source, target):
        return words, None
    with _quiet():
        translated = translate_texts(texts, target=target, source=source)
    if translated.error is not None:
        return words, reason(translated.error)
    title, story, *lines = translated.texts
    return (
        Words(
            title=clean_text(title, limit=MAX_TITLE_CHARS),
            story=clean_text(story, limit=MAX_STORY_CHARS),
            captions=(
                None
                if words.captions is None
                else {name: clean_text(line) for name, line in zip(captions, lines, strict=True)}
            ),
        ),
        None,
    )


def reason(error: TranslationError) -> str:
    """The first sentence of the error's message, to sit inside a line of our own."""
    first = error.message.strip().split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:] if first[:2] != first[:2].upper() else first


def warning(target: str, why: str) -> str:
    return f"render_memory: translation to {target} unavailable ({why}); using the original words"


def _same(source: str | None, target: str) -> bool:
    if source is None:
        return False
    return source.replace("_", "-").lower() == target.replace("_", "-").lower()


@contextmanager
def _quiet() -> Iterator[None]:
    """Only errors from the translation's loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.ERROR))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
