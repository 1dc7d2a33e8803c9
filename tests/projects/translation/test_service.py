"""translate_texts: the cache, blanks, the offline translator and never raising."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from projects.translation import (
    TranslationNotConfigured,
    TranslationServerError,
    get_translator,
    translate_texts,
)
from projects.translation.offline import OfflineTranslator
from projects.translation.service import cache_key

from .fake_google import FakeGoogle


def test_the_second_call_sends_nothing(fake_google: FakeGoogle) -> None:
    first = translate_texts(["Hello", "World"], target="ja", source="en")
    second = translate_texts(["Hello", "World"], target="ja", source="en")
    assert first == second == (["[ja] Hello", "[ja] World"], None)
    assert len(fake_google.received) == 1


def test_a_changed_line_sends_only_it(fake_google: FakeGoogle) -> None:
    translate_texts(["Hello", "World"], target="ja", source="en")
    texts, error = translate_texts(["Hello", "Wide world"], target="ja", source="en")
    assert (texts, error) == (["[ja] Hello", "[ja] Wide world"], None)
    assert fake_google.sent_texts == ["Hello", "World", "Wide world"]


def test_the_cache_is_per_language_pair(fake_google: FakeGoogle) -> None:
    translate_texts(["Hello"], target="ja", source="en")
    translate_texts(["Hello"], target="de", source="en")
    translate_texts(["Hello"], target="ja", source=None)
    assert len(fake_google.received) == 3
    assert cache_key("Hello", target="ja", source="en") != cache_key(
        "Hello", target="ja", source=None
    )


def test_the_key_holds_a_hash_not_the_text() -> None:
    key = cache_key("Our secret beach", target="ja", source="en")
    assert "secret" not in key and key.startswith("translation:tr-v1:en:ja:")


def test_only_misses_are_sent_batched(fake_google: FakeGoogle) -> None:
    translate_texts([f"line {i}" for i in range(0, 1000)], target="fr", source="en")
    texts, error = translate_texts([f"line {i}" for i in range(2100)], target="fr", source="en")
    assert error is None and texts[1500] == "[fr] line 1500"
    assert [len(b["contents"]) for b in fake_google.bodies] == [1000, 1024, 76]


def test_blank_lines_are_kept_and_never_sent(fake_google: FakeGoogle) -> None:
    texts, error = translate_texts(["", "  ", "Hi", "\n\t", "Hi"], target="es", source="en")
    assert (texts, error) == (["", "  ", "[es] Hi", "\n\t", "[es] Hi"], None)
    assert fake_google.sent_texts == ["Hi"]  # a repeated line is sent once


def test_only_blanks_send_nothing(fake_google: FakeGoogle) -> None:
    assert translate_texts(["", " "], target="es") == (["", " "], None)
    assert translate_texts([], target="es") == ([], None)
    assert fake_google.received == []


def test_the_same_language_sends_nothing(fake_google: FakeGoogle) -> None:
    assert translate_texts(["Olá"], target="pt-br", source="pt-BR") == (["Olá"], None)
    assert fake_google.received == []


def test_a_failure_keeps_every_line_even_cached_ones(fake_google: FakeGoogle) -> None:
    translate_texts(["Hello"], target="ja", source="en")
    fake_google.mode = "server_error"
    texts, error = translate_texts(["Hello", "World"], target="ja", source="en")
    assert texts == ["Hello", "World"] and error is not None
    # and a failure is not cached: the next try goes out again
    fake_google.mode = "ok"
    assert translate_texts(["World"], target="ja", source="en") == (["[ja] World"], None)


def test_without_credentials_the_words_are_kept_and_it_says_so(settings: Any) -> None:
    settings.GOOGLE_TRANSLATE_API_KEY = ""
    settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = ""
    translator = get_translator()
    assert isinstance(translator, OfflineTranslator) and translator.configured is False
    texts, error = translate_texts(["Hello"], target="ja")
    assert texts == ["Hello"]
    assert isinstance(error, TranslationNotConfigured)
    assert "not configured" in error.message


def test_the_offline_translator_raises_not_configured() -> None:
    translator = OfflineTranslator()
    assert translator.translate([], target="ja", source=None) == []
    with pytest.raises(TranslationNotConfigured):
        translator.translate(["Hello"], target="ja", source=None)


def test_a_cache_outage_still_translates(
    fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set_many", down)
    assert translate_texts(["Hi"], target="de") == (["[de] Hi"], None)


def test_an_unexpected_bug_does_not_reach_the_caller(fake_google: FakeGoogle) -> None:
    class Broken:
        configured = True

        def translate(self, texts: object, *, target: str, source: str | None) -> list[str]:
            raise KeyError("bug")

    texts, error = translate_texts(["Hi"], target="de", translator=Broken())  # type: ignore[arg-type]
    assert texts == ["Hi"] and error is not None and error.code == "translation_failed"


def test_batches_that_arrived_are_kept_when_a_later_one_fails(fake_google: FakeGoogle) -> None:
    texts = [f"line {i}" for i in range(2100)]
    fake_google.mode, fake_google.ok_first = "server_error", 2
    result, error = translate_texts(texts, target="fr", source="en")
    assert result == texts and isinstance(error, TranslationServerError)
    fake_google.mode, fake_google.ok_first = "ok", None
    fake_google.received.clear()
    result, error = translate_texts(texts, target="fr", source="en")
    assert error is None and result[2099] == "[fr] line 2099"
    assert [len(b["contents"]) for b in fake_google.bodies] == [52]  # only the failed batch
