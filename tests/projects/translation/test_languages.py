from __future__ import annotations

import pytest

from projects.translation import UnsupportedLanguage, normalize_language, translate_texts
from projects.translation.languages import google_language

from .fake_google import FakeGoogle


@pytest.mark.parametrize("code", ["en", "de", "es", "fr", "it", "pt", "ja"])
def test_every_app_language_is_accepted(code: str) -> None:
    assert normalize_language(code) == code


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("pt-BR", "pt-BR"),
        ("pt-br", "pt-BR"),  # Django's spelling
        ("pt_BR", "pt-BR"),  # POSIX's
        ("zh-Hans", "zh-Hans"),
        ("ZH-hant-tw", "zh-Hant-TW"),
        ("ar", "ar"),
        ("he", "he"),
        ("es-419", "es-419"),
        (" ja ", "ja"),
    ],
)
def test_bcp47_tags_come_back_in_canonical_case(given: str, canonical: str) -> None:
    assert normalize_language(given) == canonical


@pytest.mark.parametrize("code", ["", "xx", "english", "pt-BRR", "en--US", "zz-Latn", "12"])
def test_unknown_codes_raise_a_clear_error(code: str) -> None:
    with pytest.raises(UnsupportedLanguage) as caught:
        normalize_language(code)
    assert repr(code) in caught.value.message
    assert caught.value.code == "translation_unsupported_language"


def test_chinese_scripts_are_sent_as_google_spells_them() -> None:
    assert google_language("zh-Hans") == "zh-CN"
    assert google_language("zh-Hant") == "zh-TW"
    assert google_language("pt-BR") == "pt-BR"


def test_an_unknown_target_sends_nothing_and_keeps_the_words(fake_google: FakeGoogle) -> None:
    texts, error = translate_texts(["Hello"], target="klingon")
    assert texts == ["Hello"]
    assert isinstance(error, UnsupportedLanguage)
    assert fake_google.received == []


def test_an_unknown_source_is_caught_too(fake_google: FakeGoogle) -> None:
    texts, error = translate_texts(["Hello"], target="ja", source="xx")
    assert (texts, type(error)) == (["Hello"], UnsupportedLanguage)
    assert fake_google.received == []
